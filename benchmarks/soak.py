"""Endurance: resident memory and speed over a long headless run, then over minutes of
the window playing with every view on screen (offscreen).

    python benchmarks/soak.py [--updates 1000000] [--minutes 10]

Memory must flatten after the warm-up (the window: growth < 20 MiB from the first
report, after 30 s, to the last) and updates/s must not decay.
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

sys.path.insert(0, os.path.dirname(__file__))


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def headless(updates: int) -> None:
    from nnviz.lessons import load_lesson
    from nnviz.engine import TrainingRun

    lesson = load_lesson("circle")
    worker = TrainingRun(lesson.config)  # history, timeline and summaries exactly as in the window
    chunk = max(updates // 10, 1000)
    print(f"headless: {updates:,} updates of the circle lesson, evaluating every 1,000", flush=True)
    done, start_rss = 0, None
    while done < updates:
        t0 = time.perf_counter()
        for _ in range(chunk // 1000):
            worker.train(1000)
        done += chunk
        rate = chunk / (time.perf_counter() - t0)
        rss = rss_mib()
        start_rss = start_rss or rss
        print(f"  update {done:>9,}: RSS {rss:7.1f} MiB (+{rss - start_rss:5.1f} since the first report), "
              f"{rate:8,.0f} updates/s, {len(worker.tape.checkpoints)} checkpoints", flush=True)


def window(minutes: float) -> None:
    from PySide6.QtCore import QSettings, QTimer, qInstallMessageHandler

    from bench_ui import float_every_dock, quiet_offscreen_notices  # also: a 1920 × 1200 offscreen screen
    from nnviz.lessons import load_lesson
    from nnviz.threads import use_one_blas_thread
    from nnviz.ui.app import make_application
    from nnviz.ui.main_window import MainWindow

    use_one_blas_thread()
    app = make_application()
    qInstallMessageHandler(quiet_offscreen_notices)
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "soak.ini"), QSettings.IniFormat)
    win = MainWindow(load_lesson("circle"), settings)
    win.resize(1600, 1000)
    win.show()
    float_every_dock(win)
    state = {"start": time.perf_counter(), "rss0": None, "last_steps": 0, "last_t": time.perf_counter(),
             "rates": []}
    print(f"window: {minutes:g} minutes of Play at full speed, every view on screen", flush=True)

    def report():
        now = time.perf_counter()
        steps = win.snapshot.steps_done if win.snapshot else 0
        rate = (steps - state["last_steps"]) / (now - state["last_t"])
        state["last_steps"], state["last_t"] = steps, now
        rss = rss_mib()
        state["rss0"] = state["rss0"] or rss
        state["rates"].append(rate)
        print(f"  {now - state['start']:6.0f} s: update {steps:>9,}, RSS {rss:7.1f} MiB "
              f"(+{rss - state['rss0']:5.1f}), {rate:7,.0f} updates/s", flush=True)
        if now - state["start"] >= minutes * 60:
            rates = state["rates"]
            print(f"window: RSS grew {rss - state['rss0']:.1f} MiB after the first report "
                  f"({'under' if rss - state['rss0'] < 20 else 'OVER'} 20 MiB); updates/s first "
                  f"{rates[0]:,.0f}, last {rates[-1]:,.0f}", flush=True)
            win.close()
            app.quit()
    timer = QTimer()
    timer.timeout.connect(report)
    timer.start(30_000)
    def play_fast():
        win.player.fast_action.setChecked(True)  # as fast as possible (a lesson opens at its own pace)
        win.play()

    QTimer.singleShot(500, play_fast)
    app.exec()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1_000_000)
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args()
    if args.updates:
        headless(args.updates)
    if args.minutes:
        window(args.minutes)


if __name__ == "__main__":
    main()
