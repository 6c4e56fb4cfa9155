"""The training worker: a QObject living in its own QThread.

Commands arrive as queued slot calls and are handled between chunks of updates
(the thread's event loop runs between chunks). Snapshots leave through the
``snapshot_ready`` signal at most ~30 times a second while playing, and exactly
once after every manual step or reset.
"""

from __future__ import annotations

import copy
import threading
import time
import traceback

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..engine.config import Config, build_run
from ..engine.datasets import input_features
from ..engine.features import feature_map
from ..engine.records import LayerRecord, StepRecord
from ..engine.summaries import layer_labels, summarize
from ..engine.session import Session, SessionError, _check_shapes, save_session
from ..engine.timeline import Timeline
from ..engine.trainer import NonFiniteError
from .snapshot import BoundaryGrid, History, Snapshot

GRID_SIZE = 100  # the decision-boundary grid is GRID_SIZE × GRID_SIZE
THUMB_SIZE = 24  # each neuron's thumbnail in the network graph is THUMB_SIZE²
PUBLISH_INTERVAL = 1 / 27  # seconds between snapshots while playing (GUI cost ∝ rate)
CHUNK_SECONDS = 0.012  # longest stretch of training before commands are looked at
MIN_TRAIN_SECONDS = 0.008  # training time guaranteed between two frames
MAX_SPEED = 0  # speed value meaning "as fast as possible"
FRAME_WAIT_LIMIT = 0.25  # seconds training waits for the GUI to finish a frame


class TrainingWorker(QObject):
    snapshot_ready = Signal(object)  # Snapshot
    stopped = Signal(str)  # why playing stopped on its own (divergence, error); "" otherwise
    failed = Signal(str)  # a message with the traceback of an unexpected error
    notice = Signal(str)  # something the learner should know (history discarded, …)

    def __init__(self, config: Config):
        super().__init__()
        self._config = config
        self._generation = 0  # stamped on snapshots; set by reset()
        self._playing = False
        self._speed = MAX_SPEED  # updates per second, or MAX_SPEED
        self._timer: QTimer | None = None  # created in the worker thread by start()
        self._last_publish = 0.0
        self._budget = 0.0  # updates owed at a limited speed
        self._last_tick = 0.0
        self._grid_cache = None
        self.trainer = None
        self._phases = None  # generator of the update being stepped phase by phase
        self._phase = None  # its latest Phase, None between updates
        self._phase_count = 0  # phases taken in the current update
        # Set by the GUI thread when it has drawn the last snapshot. While it draws,
        # training waits: the GUI's many short Python calls would otherwise queue for
        # the GIL behind the training loop and a frame would take seconds.
        self.frame_drawn = threading.Event()
        self.frame_drawn.set()

    # -- commands (queued from the GUI thread) ---------------------------------------
    @Slot()
    def start(self):
        """Build the first model; runs in the worker thread once it has started."""
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._build(self._config)
        self._publish()

    @Slot(object, int)
    def reset(self, config: Config, generation: int):
        self._pause_timer()
        self._generation = generation
        self._guarded(lambda: self._build(config))
        self._publish()

    @Slot()
    def play(self):
        if self.trainer is None or self._playing:
            return
        self._playing = True
        self._last_tick = time.perf_counter()
        self._budget = 0.0
        self._timer.start(0 if self._speed == MAX_SPEED else 10)
        self._publish()

    @Slot()
    def pause(self):
        self._pause_timer()
        self._publish()

    @Slot()
    def step(self):
        """Exactly one update, then exactly one snapshot."""
        self._pause_timer()
        if self._guarded(self._one_update):
            self._evaluate()
        self._publish()

    @Slot(int)
    def advance(self, updates: int):
        """``updates`` updates, then one snapshot (frames of a recorded animation)."""
        self._pause_timer()

        def run():
            for _ in range(updates):
                self._one_update()
        if self._guarded(run):
            self._evaluate()
        self._publish()

    @Slot()
    def step_phase(self):
        """One phase of an update (forward one layer, the loss, backward one layer, or
        the parameter update), then one snapshot."""
        self._pause_timer()
        if self._guarded(self._advance_phase) and self._phases is None:
            self._evaluate()  # the update is complete
        self._publish()

    def _advance_phase(self):
        if self._phases is None:
            self._leave_past()
            epoch_before = self.trainer.epoch
            self._phases = self.trainer.phases()
            self._phase_count = 0
            self._epoch_before_phases = epoch_before
        self._phase = next(self._phases)
        self._phase_count += 1
        if self._phase.kind == "update":
            self._close_phases()

    def _close_phases(self):
        """Let the generator return (the update is applied by then) and note the epoch."""
        for _ in self._phases:
            pass
        self._phases = None
        self.timeline.after_update(self.trainer, self.trainer.last_record.loss)
        self._step_extra_runs()
        if self.trainer.epoch != self._epoch_before_phases:
            self.history.add_epoch_start(self.trainer.steps_done - 1)

    def _finish_update_in_phases(self):
        while self._phases is not None:
            self._advance_phase()
        self._phase = None

    @Slot()
    def step_epoch(self):
        self._pause_timer()
        if self._guarded(self._rest_of_epoch):
            self._evaluate()
        self._publish()

    @Slot(int)
    def set_speed(self, updates_per_second: int):
        self._speed = updates_per_second
        if self._playing:
            self._timer.start(0 if updates_per_second == MAX_SPEED else 10)

    @Slot(dict)
    def set_hyper(self, values: dict):
        """Learning rate, batch size, l1, l2, momentum: applied live, nothing reset."""
        t = self.trainer
        if t is None:
            return
        self._leave_past()
        try:
            for name, value in values.items():
                if name == "momentum":
                    if hasattr(t.optimizer, "momentum"):
                        t.optimizer.momentum = float(value)
                elif name == "batch_size":
                    t.batch_size = max(1, min(int(value), t.n_train))
                else:
                    setattr(t, name, value)
                self._config = _with_training(self._config, name, value)
        except (ValueError, TypeError) as err:
            self.stopped.emit(f"Not applied: {err}")
        self.timeline.checkpoint(t)  # a replay must not cross this change

    @Slot()
    def shutdown(self):
        self._pause_timer()
        if self._timer is not None:
            self._timer.deleteLater()
            self._timer = None

    # -- training --------------------------------------------------------------------
    def _pause_timer(self):
        self._playing = False
        if self._timer is not None:
            self._timer.stop()

    def build(self, config: Config):
        """Build data, model and trainer from ``config`` (also usable without a thread)."""
        self._build(config)

    def train(self, updates: int) -> None:
        """``updates`` updates then an evaluation, in the calling thread (tests, CLI)."""
        for _ in range(updates):
            self._one_update()
        self._evaluate()

    def _build(self, config: Config):
        self._phases = self._phase = None
        self._viewing = self._seek_metrics = None  # the rewound update shown, and its metrics
        self._config = copy.deepcopy(config)
        self.dataset, self.model, self.trainer = self._config.build()
        self.extra_runs = []
        features = self._config.data.features
        self._X_train = input_features(self.dataset, features)
        self._X_test = input_features(self.dataset, features, self.dataset.X_test)
        self._plane = self.dataset.is_plane  # 2-D points: the plane views apply
        self._grid_cache = self._grid_points(features, GRID_SIZE) if self._plane else None
        self._thumb_cache = self._grid_points(features, THUMB_SIZE) if self._plane else None
        self._input_maps = self.compute_input_maps() if self._plane else None
        self._layer_info = dict(
            layer_kinds=tuple(layer.kind for layer in self.model.layers),
            layer_labels=tuple(layer_labels(self.model)),
            activations=tuple(getattr(getattr(layer, "activation", None), "name", "")
                              for layer in self.model.layers),
            input_names=tuple(features) if self._plane else (
                ("image",) if self.dataset.image_shape else tuple(self._config.data.columns)),
            image_shape=self.dataset.image_shape,
            layer_configs=tuple(layer.get_config() for layer in self.model.layers))
        self.history = History()
        self.timeline = Timeline()
        self.timeline.start(self.trainer)
        self.extra_runs = []  # (trainer, timeline) of the same configuration from other weight seeds
        for run in range(1, self._config.training.runs):
            _, trainer = build_run(self._config, self.dataset, run)
            timeline = Timeline()
            timeline.start(trainer)
            self.extra_runs.append((trainer, timeline))
        self._evaluate()

    def _tick(self):
        """One chunk of training: as many updates as the speed and CHUNK_SECONDS allow."""
        self.frame_drawn.wait(FRAME_WAIT_LIMIT)
        now = time.perf_counter()
        if self._speed == MAX_SPEED:
            allowed = None
        else:
            self._budget = min(self._budget + (now - self._last_tick) * self._speed, 50.0)
            allowed = int(self._budget)
            self._budget -= allowed
        self._last_tick = now
        # Stop the chunk in time for the next frame, so frames come at the set rate,
        # but train at least MIN_TRAIN_SECONDS per frame however slow the frames are.
        next_frame = self._last_publish + PUBLISH_INTERVAL
        deadline = min(now + CHUNK_SECONDS, max(next_frame, now + MIN_TRAIN_SECONDS))
        done = 0
        while self._playing and (allowed is None or done < allowed):
            if not self._guarded(self._one_update):
                break
            done += 1
            if time.perf_counter() > deadline:
                break
        slow = self._speed != MAX_SPEED and self._speed <= 30  # every update is worth a frame
        frame_start = time.perf_counter()
        if done and (slow or frame_start - self._last_publish >= PUBLISH_INTERVAL):
            self._evaluate()
            self._publish(frame_start)

    def _one_update(self):
        if self._phases is not None:  # an update stepped phase by phase: finish it
            self._finish_update_in_phases()
            return
        self._leave_past()
        self._phase = None
        epoch_before = self.trainer.epoch
        rec = self.trainer.step()
        self.timeline.after_update(self.trainer, rec.loss)
        self._step_extra_runs()
        if self.trainer.epoch != epoch_before:
            self.history.add_epoch_start(self.trainer.steps_done - 1)

    # -- sessions --------------------------------------------------------------------
    @Slot(str, dict)
    def save_session(self, path: str, meta: dict):
        """Write the current state (in this thread, where the engine lives)."""
        try:
            save_session(path, self._config, self.trainer, self.history.to_arrays(), meta)
        except (OSError, TypeError, ValueError) as err:
            self.stopped.emit(f"Not saved: {path}: {getattr(err, 'strerror', None) or err}")
            return
        self.notice.emit(f"Saved the session at update {self.trainer.steps_done:,} to {path}.")

    @Slot(object, int)
    def load_session(self, session: Session, generation: int):
        """Continue from a session read (and checked) by the GUI thread."""
        self._pause_timer()
        self._generation = generation

        def load():
            config = session.config
            config.training.runs = 1  # sessions hold the main run only
            self._build(config)
            _check_shapes(session, self.model)
            self.trainer.restore(session.state)
            self.timeline.start(self.trainer)
            if session.history:
                self.history = History.from_arrays(session.history)
            else:
                self.history = History()
                self._evaluate()
        try:
            load()
        except (SessionError, ValueError, KeyError) as err:
            self.failed.emit(f"SessionError: the session could not be restored: {err}")
            self._build(session.config)
        self._publish()

    # -- rewinding -------------------------------------------------------------------
    @Slot(int)
    def seek(self, k: int):
        """Show the network as it was after update k (replaying from a checkpoint)."""
        self._pause_timer()
        self._phases = self._phase = None  # an update in progress is abandoned
        k = max(self.timeline.origin, min(int(k), self.timeline.end))
        if self._guarded(lambda: self._seek_all(k)):
            self._viewing = k if k < self.timeline.end else None
            self._seek_metrics = self._metrics() if self._viewing is not None else None
        self._publish()

    def _step_extra_runs(self):
        for trainer, timeline in self.extra_runs:
            rec = trainer.step()
            timeline.after_update(trainer, rec.loss)

    def _seek_all(self, k):
        self.timeline.seek(self.trainer, k)
        for trainer, timeline in self.extra_runs:
            timeline.seek(trainer, k)

    def _leave_past(self):
        """Training from a rewound update: the later history is discarded, and said so."""
        if self._viewing is None:
            return
        k, discarded = self._viewing, self.timeline.end - self._viewing
        self.timeline.truncate(k)
        for _, timeline in self.extra_runs:
            timeline.truncate(k)
        self.history.truncate_after(k)
        self._viewing = self._seek_metrics = None
        self.notice.emit(f"Training continues from update {k:,}: the {discarded:,} later updates were "
                         "discarded.")

    def _rest_of_epoch(self):
        self._one_update()
        while not self.trainer.epoch_finished:
            self._one_update()

    def _guarded(self, action) -> bool:
        """Run ``action``; on divergence or any error pause and say so instead of dying."""
        try:
            action()
            return True
        except NonFiniteError as err:
            self._pause_timer()
            kept = "are still the last finite ones" if not err.applied else "are no longer finite"
            self.stopped.emit(f"Training paused: {err} The parameters on screen {kept}. "
                              "Lower the learning rate and press Reset.")
        except Exception as err:  # noqa: BLE001 - the thread must survive any engine error
            self._pause_timer()
            self.failed.emit(f"{type(err).__name__}: {err}\n\n{traceback.format_exc()}")
        with np.errstate(all="ignore"):
            self._evaluate()  # the metrics of the state left on screen
        self._publish()  # so the window shows the paused state
        return False

    # -- publishing ------------------------------------------------------------------
    def _evaluate(self):
        self.history.append(self._metrics())

    def _metrics(self) -> dict:
        """Losses and accuracies on the whole sets, and the latest update's summaries."""
        t = self.trainer
        with np.errstate(all="ignore"):
            train_loss, train_acc = t.evaluate(self._X_train, self.dataset.y_train)
            test_loss, test_acc = (t.evaluate(self._X_test, self.dataset.y_test)
                                   if len(self._X_test) else (np.nan, None))
        values = {"step": t.steps_done, "train_loss": train_loss, "test_loss": test_loss,
                  "train_acc": np.nan if train_acc is None else train_acc,
                  "test_acc": np.nan if test_acc is None else test_acc}
        if t.last_record is not None:
            with np.errstate(all="ignore"):
                values.update(summarize(self.model, t.last_record))
        if self.extra_runs:
            values["run_train_loss"] = self._run_losses(self._X_train, self.dataset.y_train)
            if len(self._X_test):
                values["run_test_loss"] = self._run_losses(self._X_test, self.dataset.y_test)
        return values

    def _run_losses(self, X, y) -> np.ndarray:
        """(runs,) loss of every run, the main one first."""
        with np.errstate(all="ignore"):
            return np.array([trainer.evaluate(X, y)[0]
                             for trainer in [self.trainer] + [t for t, _ in self.extra_runs]])

    def _grid_points(self, features, size):
        lo, hi = -6.0, 6.0
        axis = np.linspace(lo, hi, size)
        gx, gy = np.meshgrid(axis, axis)
        points = np.column_stack([gx.ravel(), gy.ravel()])
        return axis, feature_map(points, features)

    def compute_grid(self) -> BoundaryGrid | None:
        if self._grid_cache is None:
            return None
        axis, features = self._grid_cache
        with np.errstate(all="ignore"):
            out = self.model.predict(features)
        values = out[:, 1] if out.shape[1] == 2 else out[:, 0]
        return BoundaryGrid(values.reshape(GRID_SIZE, GRID_SIZE), axis, axis)

    def _phase_info(self):
        """(kind, layer, label, number, total) of the phase on screen, or None."""
        p = self._phase
        if p is None:
            return None
        total = 2 * len(self.model.layers) + 2
        return (p.kind, p.layer, p.label, self._phase_count, total)

    def _shown_record(self):
        """The latest update's record; during phase stepping, the update in progress,
        with the quantities not computed yet left as None (visibly absent)."""
        p = self._phase
        if p is None or p.kind == "update":
            return self.trainer.last_record
        if p.record is not None:
            return p.record
        layers = list(p.layers) + [_placeholder(layer.kind, i)
                                   for i, layer in enumerate(self.model.layers) if i >= len(p.layers)]
        return StepRecord(self.trainer.steps_done, self.trainer.epoch, None, None, float("nan"),
                          float("nan"), None, layers, self.trainer.learning_rate)

    def compute_neuron_maps(self) -> tuple:
        """Every layer's output over a coarse grid of the input plane: (n_l, g, g) each
        (empty when the input is not the plane)."""
        if self._thumb_cache is None:
            return ()
        axis, features = self._thumb_cache
        with np.errstate(all="ignore"):
            records = self.model.forward(features.T.astype(self.model.dtype), training=False)
        g = len(axis)
        return tuple(rec.h.reshape(rec.h.shape[0], g, g) for rec in records)

    def compute_input_maps(self) -> np.ndarray:
        axis, features = self._thumb_cache
        return features.T.reshape(features.shape[1], len(axis), len(axis)).copy()

    def _probabilities(self, X):
        with np.errstate(all="ignore"):
            return self.model.predict(X) if len(X) else np.zeros((0, self.model.output_dim))

    def _predictions(self, X):
        if not len(X):
            return np.empty(0)
        with np.errstate(all="ignore"):
            out = self.model.predict(X)
        if not self.trainer.is_classifier:
            return out[:, 0]
        return (out[:, 0] > 0.5).astype(int) if out.shape[1] == 1 else out.argmax(axis=1)

    def _publish(self, frame_start: float | None = None):
        """Emit a snapshot; ``frame_start`` is when preparing it began (the frame
        rate is kept from start to start, evaluation included)."""
        if self.trainer is None:
            return
        self._last_publish = frame_start if frame_start is not None else time.perf_counter()
        snap = self.make_snapshot()
        if self._playing:
            self.frame_drawn.clear()
        self.snapshot_ready.emit(snap)

    def make_snapshot(self) -> Snapshot:
        """Copies of everything a view may draw (see Snapshot)."""
        t = self.trainer
        return Snapshot(
            generation=self._generation, steps_done=t.steps_done, epoch=t.epoch,
            config=copy.deepcopy(self._config), dataset=self.dataset,
            # the engine replaces parameter arrays and never writes into them: no copy needed
            params=tuple(self.model.parameters()),
            record=self._shown_record(), phase=self._phase_info(),
            history=self.history.view(self._viewing, self._seek_metrics),
            timeline=(self.timeline.origin, self.timeline.end, self._viewing), grid=self.compute_grid(),
            train_pred=self._predictions(self._X_train), test_pred=self._predictions(self._X_test),
            playing=self._playing, regression=not t.is_classifier,
            neuron_maps=self.compute_neuron_maps(), input_maps=self._input_maps,
            test_proba=self._probabilities(self._X_test) if self.dataset.image_shape else None,
            **self._layer_info)


def _placeholder(kind: str, index: int) -> LayerRecord:
    """A layer the forward pass has not reached: every quantity None."""
    return LayerRecord(kind, index, x=None, z=None, h=None, dz=None, dW=None, db=None, mask=None,
                       scaled_mask=None, x_hat=None, mean=None, var=None, W=None, b=None)


def _with_training(config: Config, name: str, value) -> Config:
    """A copy of ``config`` with one training field changed (kept for snapshots)."""
    new = copy.deepcopy(config)
    if hasattr(new.training, name):
        setattr(new.training, name, value)
    return new
