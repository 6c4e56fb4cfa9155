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


def run_window(lesson, seconds, open_all=True):
    app = make_application()
    from nnviz.ui.main_window import MainWindow

    settings = QSettings(os.path.join(tempfile.mkdtemp(), "bench.ini"), QSettings.IniFormat)
    window = MainWindow(lesson, settings)
    window.resize(1600, 1000)
    if open_all:
        for dock in window.docks.values():
            dock.show()
    window.show()
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
    grid_ms = time_grid(window.worker)
    window.close()
    playing = [(t, s) for t, s in shown if t <= marks["stop"]]
    duration = playing[-1][0] - marks["start"]
    updates = playing[-1][1] - playing[0][1]
    return updates / duration, len(playing) / duration, draw_times, grid_ms


def time_grid(worker, repeats=50):
    worker.compute_grid()
    start = time.perf_counter()
    for _ in range(repeats):
        worker.compute_grid()
    return (time.perf_counter() - start) / repeats * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--lesson", default="circle")
    args = parser.parse_args()
    lesson = load_lesson(args.lesson)
    alone = engine_alone(lesson, 3.0)
    worker_rate, fps, draws, grid_ms = run_window(lesson, args.seconds)
    draws_ms = np.array(draws) * 1000
    print(f"lesson {args.lesson!r}, window 1600x1000 offscreen, {args.seconds:.0f} s of Play at full speed")
    print(f"(a) engine alone        {alone:10,.0f} updates/s")
    print(f"    worker with window  {worker_rate:10,.0f} updates/s   = {worker_rate / alone:.0%} of the engine alone")
    print(f"(b) GUI refreshes       {fps:10.1f} /s")
    print(f"    GUI time per refresh: median {np.median(draws_ms):.1f} ms, "
          f"99th percentile {np.percentile(draws_ms, 99):.1f} ms, max {draws_ms.max():.1f} ms")
    print(f"(c) decision grid 100x100 forward pass: {grid_ms:.2f} ms")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
