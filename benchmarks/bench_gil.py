"""How long a second thread waits for the GIL while training runs, with and without the
training worker's naps, side by side in one run.

    python benchmarks/bench_gil.py [--lessons circle,neuron,words,batchnorm] [--seconds 2]

The training thread calls ``TrainingRun.update()`` in a loop, either back to back
("no naps") or as the worker's chunks do (``time.sleep(GIL_NAP)`` after every
``GIL_YIELD_EVERY`` seconds of updates). Beside it the main thread sleeps 2 ms again
and again and records how late it wakes: that is how long a GUI thread waits before it
may run a timer's or a click's Python slot. Printed per lesson and variant: updates/s
of the training thread, and the lateness median, p99 and max.

Why it matters: CPython 3.11 passes the GIL to a waiting thread only after the holder
kept it a whole switch interval without releasing it; NumPy releases it for a moment in
every fancy-indexing gather (each minibatch) and random draw (dropout), and each release
wakes the waiter and restarts its wait.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

import numpy as np

from nnviz.engine import TrainingRun
from nnviz.lessons import load_lesson
from nnviz.threads import use_one_blas_thread
from nnviz.ui.app import GIL_SWITCH_INTERVAL
from nnviz.ui.worker import GIL_NAP, GIL_YIELD_EVERY

SLEEP = 0.002  # seconds the waiting thread asks to sleep


def train_until(stop: threading.Event, update, naps: bool, counter: list) -> None:
    last_nap = time.perf_counter()
    while not stop.is_set():
        update()
        counter[0] += 1
        if naps and time.perf_counter() - last_nap > GIL_YIELD_EVERY:
            time.sleep(GIL_NAP)
            last_nap = time.perf_counter()


def measure(lesson_name: str, naps: bool, seconds: float) -> tuple[float, np.ndarray]:
    """(updates/s, lateness in ms of each 2 ms sleep of the main thread)."""
    run = TrainingRun(load_lesson(lesson_name).config)
    for _ in range(100):
        run.update()  # warm up outside the measurement
    stop, counter = threading.Event(), [0]
    trainer = threading.Thread(target=train_until, args=(stop, run.update, naps, counter))
    trainer.start()
    late, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds:
        asked = time.perf_counter()
        time.sleep(SLEEP)
        late.append((time.perf_counter() - asked - SLEEP) * 1000)
    stop.set()
    trainer.join()
    return counter[0] / (time.perf_counter() - start), np.array(late)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", default="circle,neuron,words,batchnorm")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    use_one_blas_thread()
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)  # what the app sets
    print(f"switch interval {GIL_SWITCH_INTERVAL * 1000:.1f} ms; naps of {GIL_NAP * 1e6:.0f} µs after "
          f"every {GIL_YIELD_EVERY * 1000:.0f} ms of updates; the waiting thread sleeps {SLEEP * 1000:.0f} ms")
    for _ in range(args.rounds):
        for name in args.lessons.split(","):
            for naps in (False, True):  # side by side, the same lesson back to back
                rate, late = measure(name, naps, args.seconds)
                print(f"{name:14s} {'naps   ' if naps else 'no naps'}  {rate:8,.0f} updates/s   lateness "
                      f"median {np.median(late):6.2f} ms  p99 {np.percentile(late, 99):6.2f} ms  "
                      f"max {late.max():6.1f} ms", flush=True)


if __name__ == "__main__":
    main()
