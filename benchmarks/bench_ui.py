"""The window playing as fast as possible, against the engine alone, in one run.

    python benchmarks/bench_ui.py [--seconds 10] [--lessons circle,batchnorm]
                                  [--layouts default,every] [--rounds 2]

For each lesson and layout the window plays for ``--seconds`` at full speed; the
engine alone (``Trainer.step()`` in a loop, no window) is measured right before and
right after each window run, so machine noise shows as the spread of those two.

Layouts:
- ``default``: the window as a learner first sees it (front tabs on screen).
- ``every``: every dock floated as its own 480x360 window, so every view that applies
  to the lesson's network is really on screen and really paints (the central graph,
  boundary and images stay in the main window).

Each lesson and layout plays twice, back to back: once as the window is, once with a
probe of the GUI thread (a 10 ms timer), because the probe itself costs training 10–16
points (measured on the circle lesson: 63–68 % with it, 77–84 % without, alternating
runs): its Python slot, 100 times a second, takes the GIL from the training thread.

Printed per lesson and layout: (a) from the run without the probe, updates/s of the
training thread and its ratio to the engine alone, and TrainingRun.update() alone (the
engine plus the run's history, timeline and evaluations, no window) to say what the
window itself costs; (b) from the probed run, GUI-thread stalls: lateness of the 10 ms
timer (median, p99, max) and the frame time (the window's drawing of one snapshot,
p50/p99), with that run's training share; (c) per view, from the run without the probe:
redraws/s (snapshots drawn) and paints/s (paint events of its busiest widget), so a
view that never painted shows as 0. The platform actually used is printed first.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time

from nnviz.offscreen import use_virtual_screen  # noqa: E402 - Qt-free

# 1920 × 1200: offscreen's default (800 × 800) would clamp the 1600 × 1000 window, and
# the tiled floating docks of "every" need room
use_virtual_screen(1920, 1200)

import numpy as np  # noqa: E402
import PySide6  # noqa: E402
from PySide6.QtCore import qInstallMessageHandler, QElapsedTimer, QEvent, QObject, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QAbstractScrollArea, QApplication  # noqa: E402

from nnviz.engine import TrainingRun  # noqa: E402
from nnviz.lessons import load_lesson  # noqa: E402
from nnviz.threads import use_one_blas_thread  # noqa: E402
from nnviz.ui.app import make_application  # noqa: E402

FLOAT_SIZE = (480, 360)
WINDOW_SIZE = (1600, 1000)
TIMER_MS = 10


def updates_per_second(step, seconds=2.0) -> float:
    """Calls of ``step()`` per second over ``seconds``, after 100 to warm up."""
    for _ in range(100):
        step()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(50):
            step()
        count += 50
    return count / (time.perf_counter() - start)


def engine_alone(config) -> float:
    """Updates/s of the lesson's trainer stepping in a loop, nothing else running."""
    return updates_per_second(config.build()[2].step)


def run_alone(config) -> float:
    """Updates/s of TrainingRun.update() in a loop, no window: the engine plus what the
    window's run keeps (history, the timeline's checkpoints, evaluations) — what the
    training thread would reach if drawing cost nothing."""
    return updates_per_second(TrainingRun(config).update)


def quiet_offscreen_notices(kind, context, message):
    """Drop the offscreen platform's notices (it cannot raise windows or propagate size
    hints); print everything else."""
    if "This plugin does not support" not in message:
        print(message, file=sys.stderr)


class PaintCounter(QObject):
    """Counts the paint events of every widget inside one view."""

    def __init__(self, view):
        super().__init__(view)
        self.counts: dict[int, int] = {}
        self.widgets = [view] + [w for w in view.findChildren(QAbstractScrollArea)]
        for widget in self.widgets:
            target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
            target.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint:
            self.counts[id(obj)] = self.counts.get(id(obj), 0) + 1
        return False

    def reset(self):
        self.counts.clear()

    @property
    def busiest(self) -> int:
        return max(self.counts.values(), default=0)


def float_every_dock(window):
    """Each dock becomes its own window of FLOAT_SIZE, tiled so none covers another
    entirely (offscreen, overlapping windows still paint; on a real screen they tile)."""
    columns = 5
    for i, (name, dock) in enumerate(sorted(window.docks.items())):
        if name == "controls":
            continue
        dock.setFloating(True)
        dock.resize(*FLOAT_SIZE)
        dock.move(40 + (i % columns) * 100, 40 + (i // columns) * 80)
        dock.show()
        dock.raise_()


class FrameTimer:
    """Times every frame, from the snapshot's arrival to its last view painted (a frame
    drawn in slices spans several event-loop turns). Installed before a window exists."""

    def __init__(self):
        from nnviz.ui.main_window import MainWindow

        self.times: list[float] = []
        draw, end = MainWindow._draw, MainWindow._end_frame
        timer, started = self, {}

        def timed_draw(window, snap):
            started.setdefault(id(window), time.perf_counter())
            draw(window, snap)

        def timed_end(window, snap, shown=True):
            end(window, snap, shown)
            timer.times.append(time.perf_counter() - started.pop(id(window), time.perf_counter()))
        MainWindow._draw, MainWindow._end_frame = timed_draw, timed_end


class Lateness:
    """A 10 ms GUI timer: how late each tick came (what a learner feels as stutter)."""

    def __init__(self):
        self.late: list[float] = []
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(TIMER_MS)
        self.timer.timeout.connect(self._tick)

    def start(self):
        self.late.clear()
        self.clock.start()
        self.timer.start()

    def stop(self):
        self.timer.stop()

    def _tick(self):
        elapsed = self.clock.nsecsElapsed() / 1e6
        self.clock.restart()
        self.late.append(max(0.0, elapsed - TIMER_MS))


def run_window(app, lesson, seconds, layout, frames: FrameTimer, probe: bool = True):
    """Play ``lesson`` for ``seconds``; ``probe``: with the 10 ms lateness timer."""
    from nnviz.ui.main_window import MainWindow

    settings = QSettings(os.path.join(tempfile.mkdtemp(), "bench.ini"), QSettings.IniFormat)
    window = MainWindow(lesson, settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    if layout == "every":
        float_every_dock(window)
    counters = {view_id: PaintCounter(view) for view_id, view in window.views.items()}
    lateness, shown, marks = Lateness(), [], {}
    window.snapshot_shown.connect(lambda snap: shown.append((time.perf_counter(), snap.steps_done)))

    def start_playing():
        for view in window.views.values():
            view.redraws = 0
        for counter in counters.values():
            counter.reset()
        frames.times.clear()
        shown.clear()
        window.player.fast_action.setChecked(True)  # F: as fast as possible
        marks["start"] = time.perf_counter()
        if probe:
            lateness.start()
        window.play()

    def stop():
        marks["stop"] = time.perf_counter()
        lateness.stop()
        marks["redraws"] = {v: view.redraws for v, view in window.views.items()}
        marks["paints"] = {v: c.busiest for v, c in counters.items()}
        marks["on_screen"] = {v: view.is_on_screen() for v, view in window.views.items()}
        window.pause()
        QTimer.singleShot(300, app.quit)
    QTimer.singleShot(1500, start_playing)  # let the first layout settle
    QTimer.singleShot(int(1500 + seconds * 1000), stop)
    app.exec()
    window.close()
    window.deleteLater()
    app.processEvents()
    playing = [(t, s) for t, s in shown if t <= marks["stop"]]
    duration = marks["stop"] - marks["start"]
    updates = playing[-1][1] - playing[0][1] if len(playing) > 1 else 0
    return {"rate": updates / (playing[-1][0] - playing[0][0]) if len(playing) > 1 else 0.0,
            "duration": duration, "late": np.array(lateness.late), "frames": np.array(frames.times) * 1000,
            "redraws": marks["redraws"], "paints": marks["paints"], "on_screen": marks["on_screen"],
            "snapshots": len(playing)}


def print_platform(app):
    from threadpoolctl import threadpool_info

    screen = app.primaryScreen().size()
    blas = ", ".join(f"{p['internal_api']} {p['num_threads']} thread(s)" for p in threadpool_info()
                     if p["user_api"] == "blas") or "none found"
    print(f"platform: Qt '{QApplication.platformName()}' screen {screen.width()}x{screen.height()}, "
          f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, NumPy {np.__version__}, "
          f"{os.cpu_count()} CPUs, BLAS {blas}")


def report(lesson_name, layout, result, probed, before, after, bookkept):
    """``result``: the run without the probe; ``probed``: the one with it."""
    alone = (before + after) / 2
    late, frames = probed["late"], probed["frames"]
    print(f"\n[{lesson_name} / {layout}] {result['duration']:.1f} s of Play, {result['snapshots']} snapshots shown")
    print(f"  (a) training thread {result['rate']:,.0f} updates/s = {result['rate'] / alone:.0%} of the engine "
          f"alone ({before:,.0f} before, {after:,.0f} after: spread {abs(before - after) / alone:.0%});\n"
          f"      TrainingRun alone (no window) {bookkept:,.0f} updates/s: the window costs "
          f"{1 - result['rate'] / bookkept:.0%} of it")
    if late.size:
        print(f"  (b) 10 ms timer lateness median {np.median(late):.1f} ms, p99 {np.percentile(late, 99):.1f} ms, "
              f"max {late.max():.1f} ms; frame time p50 {np.median(frames):.1f} ms, "
              f"p99 {np.percentile(frames, 99):.1f} ms\n"
              f"      (probed run: training {probed['rate'] / alone:.0%} of the engine alone)")
    painted = [v for v in result["redraws"] if result["on_screen"][v]]
    print(f"  (c) {len(painted)} views on screen: redraws/s · paints/s")
    line = []
    for view_id in sorted(result["redraws"]):
        if not result["on_screen"][view_id]:
            continue
        line.append(f"{view_id} {result['redraws'][view_id] / result['duration']:.1f}·"
                    f"{result['paints'][view_id] / result['duration']:.1f}")
    for i in range(0, len(line), 5):
        print("      " + "   ".join(line[i:i + 5]))
    silent = [v for v in painted if result["paints"][v] == 0]
    if silent:
        print(f"      on screen, drawn, nothing changed to paint: {', '.join(silent)}")
    off = sorted(v for v in result["redraws"] if not result["on_screen"][v])
    print(f"      not on screen (back tabs, or not applicable to this network): {', '.join(off) or 'none'}")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--lessons", default="circle,batchnorm")
    parser.add_argument("--layouts", default="default,every")
    parser.add_argument("--rounds", type=int, default=1, help="repeat every lesson and layout")
    args = parser.parse_args()
    use_one_blas_thread()  # what `nnviz` does when it starts
    qInstallMessageHandler(quiet_offscreen_notices)
    app = make_application()
    frames = FrameTimer()
    print_platform(app)
    print(f"window {WINDOW_SIZE[0]}x{WINDOW_SIZE[1]}, docks floated {FLOAT_SIZE[0]}x{FLOAT_SIZE[1]} "
          f"in 'every'; {args.seconds:.0f} s of Play as fast as possible per run")
    for _ in range(args.rounds):
        for lesson_name in args.lessons.split(","):
            lesson = load_lesson(lesson_name)
            for layout in args.layouts.split(","):
                before = engine_alone(lesson.config)
                bookkept = run_alone(lesson.config)
                result = run_window(app, lesson, args.seconds, layout, frames, probe=False)
                probed = run_window(app, lesson, args.seconds, layout, frames, probe=True)
                after = engine_alone(lesson.config)
                report(lesson_name, layout, result, probed, before, after, bookkept)


if __name__ == "__main__":
    main()
