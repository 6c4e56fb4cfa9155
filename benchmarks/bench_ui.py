"""UI throughput, offscreen: the window playing at full speed against the engine alone.

    python benchmarks/bench_ui.py [--seconds 10] [--lesson circle]

Prints (a) updates/s reached by the worker beside the engine alone in the same run,
(b) GUI refreshes per second and the 99th-percentile GUI-thread time per refresh,
(c) the decision-boundary grid computation time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402

from nnviz.lessons import load_lesson  # noqa: E402
from nnviz.ui.app import make_application  # noqa: E402


def engine_alone(lesson, seconds):
    _, _, trainer = lesson.config.build()
    for _ in range(200):
        trainer.step()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            trainer.step()
        count += 100
    return count / (time.perf_counter() - start)


def arrange(window, layout):
    """'basic': only the boundary and the learning curves; 'default': the first-run
    layout (front tabs on screen); 'every': every view on screen, tabs split apart."""
    from PySide6.QtCore import Qt

    if layout == "basic":
        for name, dock in window.docks.items():
            dock.setVisible(name in ("curves", "controls"))
    elif layout == "every":
        for group_first in ("gradients", "graph"):
            first = window.docks[group_first]
            for dock in window.tabifiedDockWidgets(first):
                window.splitDockWidget(first, dock, Qt.Horizontal)


def run_window(lesson, seconds, layout="default"):
    app = make_application()
    from nnviz.ui.main_window import MainWindow

    settings = QSettings(os.path.join(tempfile.mkdtemp(), "bench.ini"), QSettings.IniFormat)
    window = MainWindow(lesson, settings)
    window.resize(1600, 1000)
    window.show()
    arrange(window, layout)
    draw_times, shown = [], []
    original = window._draw_pending

    def timed_draw():
        start = time.perf_counter()
        original()
        draw_times.append(time.perf_counter() - start)
    window._draw_pending = timed_draw
    window.snapshot_shown.connect(lambda snap: shown.append((time.perf_counter(), snap.steps_done)))
    marks = {}

    def start_playing():
        draw_times.clear()
        shown.clear()
        marks["start"] = time.perf_counter()
        window.play()

    def stop():
        marks["stop"] = time.perf_counter()
        window.pause()
        QTimer.singleShot(200, app.quit)
    QTimer.singleShot(1000, start_playing)
    QTimer.singleShot(int(1000 + seconds * 1000), stop)
    app.exec()
    grid_ms = time_grid(window.client.worker.run)
    window.close()
    playing = [(t, s) for t, s in shown if t <= marks["stop"]]
    duration = playing[-1][0] - marks["start"]
    updates = playing[-1][1] - playing[0][1]
    return updates / duration, len(playing) / duration, draw_times, grid_ms


def time_grid(run, repeats=50):
    run._pictures.boundary(run.model)
    start = time.perf_counter()
    for _ in range(repeats):
        run._pictures.boundary(run.model)
    return (time.perf_counter() - start) / repeats * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--lesson", default="circle")
    parser.add_argument("--layout", default="all", choices=["basic", "default", "every", "all"],
                        help="which views are on screen; 'all' runs the three layouts in turn")
    args = parser.parse_args()
    lesson = load_lesson(args.lesson)
    alone = engine_alone(lesson, 3.0)
    print(f"lesson {args.lesson!r}, window 1600x1000 offscreen, {args.seconds:.0f} s of Play at full speed")
    print(f"engine alone: {alone:,.0f} updates/s")
    layouts = ["basic", "default", "every"] if args.layout == "all" else [args.layout]
    for layout in layouts:
        worker_rate, fps, draws, grid_ms = run_window(lesson, args.seconds, layout)
        draws_ms = np.array(draws) * 1000
        print(f"[{layout}] (a) worker {worker_rate:,.0f} updates/s = {worker_rate / alone:.0%} of the engine alone"
              f"   (b) {fps:.1f} refreshes/s, GUI time per refresh median {np.median(draws_ms):.1f} ms, "
              f"p99 {np.percentile(draws_ms, 99):.1f} ms   (c) grid {grid_ms:.2f} ms")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
