"""The training worker: a QObject living in its own QThread around one TrainingRun.

It keeps only what needs Qt — pacing, commands, signals and error handling; the
training itself is ``nnviz.engine.TrainingRun``. Commands arrive as one queued signal
(see TrainingClient) and are handled between chunks of updates. Snapshots leave
through ``snapshot_ready`` at most ~27 times a second while playing, and exactly once
after every other command.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import traceback

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..engine.config import Config
from ..engine.errors import InputError
from ..engine.run import TrainingRun
from ..engine.trainer import NonFiniteError

PUBLISH_INTERVAL = 1 / 27  # seconds between snapshots while playing, at the most frequent
#: At full speed the window may take at most this share of the time: frames are spaced
#: so that preparing and drawing one (measured) is ≤ GUI_SHARE of the interval, and the
#: training thread keeps the rest. Many views on screen mean fewer, not slower, frames.
#: Measured (benchmarks/bench_ui.py, 1600 × 1000): 0.15 leaves training 73–85 % of the
#: engine alone in the default layout and 66–84 % with every view floated, at 2.8–3 and
#: 1.2–1.8 frames/s; 0.2 gave 59–77 % and 49–71 % at 3–5.6 and 1.4–3.4 frames/s; 0.3 left
#: 43–64 % (training waits while a frame is drawn). The lessons' own paces are not affected.
GUI_SHARE = 0.15
FRAME_COST_SMOOTHING = 0.3  # weight of the newest frame in the running frame cost
CHUNK_SECONDS = 0.012  # longest stretch of training before commands are looked at
MIN_TRAIN_SECONDS = 0.008  # training time guaranteed between two frames
MAX_SPEED = 0  # speed value meaning "as fast as possible"
FRAME_WAIT_LIMIT = 0.25  # seconds training waits for the GUI to finish a frame
EVERY_UPDATE_UP_TO = 30  # updates/s up to which every update gets its own frame
#: Training gives the GIL away for GIL_NAP seconds after every GIL_YIELD_EVERY seconds of
#: updates. CPython 3.11 hands the GIL to a waiting thread only when the holder keeps it
#: a whole switch interval without releasing it; NumPy releases it for a microsecond in
#: every fancy-indexing gather and random draw, and each release wakes the waiter and
#: restarts its wait, so the GUI thread could wait 100–300 ms for its turn (measured:
#: benchmarks/bench_gil.py, a thread sleeping 2 ms beside TrainingRun.update() in a loop:
#: p99 lateness 17–85 ms without naps, 2.6–4.4 ms with them; bench_ui's 10 ms timer, every
#: view on screen: p99 12–29 ms instead of 71–101 ms, training's share unchanged). A nap
#: is long enough for the waiter to wake and take the GIL.
GIL_YIELD_EVERY = 0.003
GIL_NAP = 0.0001


class TrainingWorker(QObject):
    snapshot_ready = Signal(object)  # Snapshot
    stopped = Signal(str)  # why training stopped on its own (divergence)
    failed = Signal(str)  # an unexpected error: a summary line, then the traceback
    notice = Signal(str)  # something the learner should know (history discarded, saved, …)
    rejected = Signal(str)  # a configuration or session could not be used; the run on screen goes on
    opened = Signal(object)  # (path, TrainingRun.config, meta) after a session replaced the run
    restored = Signal(object)  # the Config of the run an undo brought back

    def __init__(self, config: Config):
        super().__init__()
        self._first_config = config
        self.run: TrainingRun | None = None
        self._previous: TrainingRun | None = None  # the run before the last rebuild (Ctrl+Z swaps back)
        self._generation = 0  # stamped on snapshots; set by reset and open
        self._playing = False
        self._goal = None  # while the timer works towards it: a function saying "done"
        self._speed = MAX_SPEED  # updates per second, or MAX_SPEED
        self._timer: QTimer | None = None  # created in the worker thread by start()
        self._last_publish = self._last_tick = self._budget = 0.0
        self._frame_cost = 0.0  # running seconds a frame costs: the snapshot, then the GUI drawing it
        self._snapshot_seconds = 0.0  # what preparing the last snapshot took
        # Set by the GUI thread when it has drawn the last snapshot. While it draws,
        # training waits: the GUI's many short Python calls would otherwise queue for
        # the GIL behind the training loop and a frame would take seconds.
        self.frame_drawn = threading.Event()
        self.frame_drawn.set()

    # -- commands ------------------------------------------------------------------
    @Slot()
    def start(self):
        """Build the first run; runs in the worker thread once it has started."""
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._replace_run(lambda: TrainingRun(self._first_config), self._generation, "Not opened")

    @Slot(str, object)
    def command(self, name: str, args: tuple):
        """Every command from the window arrives here (one queued signal)."""
        if self.run is None and name not in ("reset", "open", "speed", "undo"):
            return  # no run could be built yet: nothing to train or show
        getattr(self, f"_do_{name}")(*args)

    def _do_reset(self, config: Config, generation: int):
        self._replace_run(lambda: TrainingRun(config), generation, "Not applied")

    def _do_open(self, path: str, generation: int):
        def load():
            run = TrainingRun.load(path)
            self.opened.emit((path, run.config, run.meta))
            return run
        self._replace_run(load, generation, "Not opened")

    def _replace_run(self, make, generation: int, refusal: str = "Not applied"):
        """Swap in a new run only when it could be made; otherwise the old one goes on
        (and is published with the new generation, so the window keeps showing it)."""
        self._stop()
        self._generation = generation
        try:
            new = make()
        except InputError as err:
            self.rejected.emit(f"{refusal}: {err}")
        except Exception as err:  # noqa: BLE001 - the thread must survive any error
            self.failed.emit(f"{type(err).__name__}: {err}\n\n{traceback.format_exc()}")
        else:
            self._previous, self.run = self.run, new
        self._publish()

    def _do_undo(self, generation: int):
        """Swap the run before the last rebuild back in (and the current one out: a
        second undo redoes)."""
        self._stop()
        self._generation = generation
        if self._previous is None:
            self.rejected.emit("Nothing to undo: no model was rebuilt since nnviz started.")
        else:
            self.run, self._previous = self._previous, self.run
            self.restored.emit(self.run.config)
        self._publish()

    def _do_play(self):
        if self.run is not None and not self._playing:
            self._playing = True
            self._work_towards(None)

    def _do_pause(self):
        self._stop()
        self._publish()

    def _do_step(self):
        self._once(self.run.update)

    def _do_phase(self):
        self._once(self.run.phase)

    def _do_seek(self, k: int):
        self._once(lambda: self.run.seek(k))

    def _do_epoch(self):
        """The rest of the epoch, in chunks: Pause, Reset and closing act at once."""
        self._stop()
        if self._guarded(self.run.update):
            trainer = self.run.trainer
            self._work_towards(lambda: trainer.epoch_finished)

    def _do_advance(self, updates: int):
        """``updates`` updates, then one snapshot (the frames of a recorded animation)."""
        self._stop()
        target = self.run.steps_done + updates
        self._work_towards(lambda: self.run.steps_done >= target)

    def _do_speed(self, updates_per_second: int):
        self._speed = updates_per_second
        if self._timer.isActive():
            self._timer.start(self._interval())

    def _do_hyper(self, values: dict):
        """Live settings, from the next update that starts; nothing is reset."""
        try:
            self.run.set_hyper(**values)
        except InputError as err:
            self.rejected.emit(f"Not applied: {err}")

    def _do_save(self, path: str, meta: dict):
        try:
            self.run.save(path, meta)
        except (OSError, InputError) as err:
            self.rejected.emit(f"Not saved: {path}: {getattr(err, 'strerror', None) or err}")
            return
        self.notice.emit(f"Saved the session at update {self.run.steps_done:,} to {path}.")

    @Slot()
    def shutdown(self):
        self._stop()
        if self._timer is not None:
            self._timer.deleteLater()
            self._timer = None

    # -- pacing ----------------------------------------------------------------------
    def _once(self, action):
        self._stop()
        self._guarded(action)
        self._publish()

    def _stop(self):
        self._playing, self._goal = False, None
        if self._timer is not None:
            self._timer.stop()

    def _work_towards(self, goal):
        """Train on the timer until ``goal()`` (None: until paused)."""
        self._goal = goal
        self._last_tick, self._budget = time.perf_counter(), 0.0
        self._timer.start(self._interval())
        if goal is None:
            self._publish()  # the window shows "playing" at once

    def _interval(self) -> int:
        return 0 if self._speed == MAX_SPEED or not self._playing else 10

    def _tick(self):
        """One chunk: as many updates as the speed, the goal and CHUNK_SECONDS allow."""
        waiting = not self.frame_drawn.is_set()
        started = time.perf_counter()
        self.frame_drawn.wait(FRAME_WAIT_LIMIT)
        now = time.perf_counter()
        if waiting:
            self._note_frame_cost(self._snapshot_seconds + now - started)
        allowed = self._allowed_updates(now)
        next_frame = self._last_publish + self._frame_interval()
        # stop in time for the next frame, but train at least MIN_TRAIN_SECONDS a frame
        deadline = min(now + CHUNK_SECONDS, max(next_frame, now + MIN_TRAIN_SECONDS))
        done, reached, last_nap = 0, False, now
        while allowed is None or done < allowed:
            if self._goal is not None and self._goal():
                reached = True
                break
            if not self._guarded(self.run.update):
                self._publish()
                return
            done += 1
            now = time.perf_counter()
            if now > deadline:
                break
            if now - last_nap > GIL_YIELD_EVERY:
                time.sleep(GIL_NAP)  # the GUI thread's turn (see GIL_YIELD_EVERY)
                last_nap = time.perf_counter()
        if reached or (self._goal is not None and self._goal()):
            self._stop()
            self._publish()
            return
        every_update = self._playing and self._speed != MAX_SPEED and self._speed <= EVERY_UPDATE_UP_TO
        frame_start = time.perf_counter()
        if done and self._playing and (every_update or frame_start - self._last_publish >= self._frame_interval()):
            self._publish(frame_start)

    def _note_frame_cost(self, seconds: float) -> None:
        self._frame_cost += FRAME_COST_SMOOTHING * (seconds - self._frame_cost)

    def _frame_interval(self) -> float:
        """Seconds from one frame to the next at full speed: PUBLISH_INTERVAL, or longer
        when frames cost more than GUI_SHARE of it."""
        return max(PUBLISH_INTERVAL, self._frame_cost / GUI_SHARE)

    def _allowed_updates(self, now) -> int | None:
        """Updates this chunk may take: None = as many as time allows."""
        if not self._playing or self._speed == MAX_SPEED:
            self._last_tick = now
            return None
        self._budget = min(self._budget + (now - self._last_tick) * self._speed, 50.0)
        self._last_tick = now
        allowed = int(self._budget)
        self._budget -= allowed
        return allowed

    def _guarded(self, action) -> bool:
        """Run ``action``; on divergence or any error stop and say so instead of dying."""
        try:
            action()
            return True
        except NonFiniteError as err:
            self._stop()
            kept = "are still the last finite ones" if not err.applied else "are no longer finite"
            self.stopped.emit(f"Training paused: {err} The parameters on screen {kept}. "
                              "Lower the learning rate and press Reset.")
        except Exception as err:  # noqa: BLE001 - the thread must survive any engine error
            self._stop()
            self.failed.emit(f"{type(err).__name__}: {err}\n\n{traceback.format_exc()}")
        return False

    # -- publishing ------------------------------------------------------------------
    def _publish(self, frame_start: float | None = None):
        """Emit one snapshot; ``frame_start`` is when preparing it began (the frame
        rate is kept from start to start, evaluation included)."""
        if self.run is None:
            return
        for message in self.run.notices:
            self.notice.emit(message)
        self.run.notices.clear()
        self._last_publish = frame_start if frame_start is not None else time.perf_counter()
        started = time.perf_counter()
        try:
            snap = self.run.snapshot()
        except Exception as err:  # noqa: BLE001 - a broken picture must not end the thread
            self._stop()
            self.failed.emit(f"{type(err).__name__}: {err}\n\n{traceback.format_exc()}")
            return
        self._snapshot_seconds = time.perf_counter() - started
        playing = self._playing or self._goal is not None
        if playing:
            self.frame_drawn.clear()
        self.snapshot_ready.emit(dataclasses.replace(snap, playing=playing, generation=self._generation))
