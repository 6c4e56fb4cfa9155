"""Rewinding: time to reach a random earlier update, and the memory of the history.

    python benchmarks/bench_rewind.py [--updates 1000000] [--jumps 50]

Trains the 'circle' lesson's network (Playground size) headless for --updates updates,
recording a Timeline (a checkpoint every 500 updates, thinned beyond the last 100,000),
printing the timeline's memory as it grows, then times --jumps random jumps into the
last 100,000 updates.
"""

from __future__ import annotations

import argparse
import os
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402

from nnviz.engine.timeline import Timeline  # noqa: E402
from nnviz.lessons import load_lesson  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=200_000)
    parser.add_argument("--jumps", type=int, default=50)
    args = parser.parse_args()
    _, _, trainer = load_lesson("circle").config.build()
    timeline = Timeline()
    timeline.start(trainer)
    start = time.perf_counter()
    report_every = max(args.updates // 10, 1)
    for k in range(1, args.updates + 1):
        rec = trainer.step()
        timeline.after_update(trainer, rec.loss)
        if k % report_every == 0:
            rate = k / (time.perf_counter() - start)
            print(f"update {k:>9,}: timeline {timeline.nbytes() / 2**20:6.2f} MiB, "
                  f"{len(timeline.checkpoints):4d} checkpoints, {rate:,.0f} updates/s", flush=True)
    rng = np.random.default_rng(0)
    low = max(timeline.origin, timeline.end - 100_000)
    times = []
    for k in rng.integers(low, timeline.end, args.jumps):
        t0 = time.perf_counter()
        timeline.seek(trainer, int(k))
        times.append(time.perf_counter() - t0)
    times = np.array(times) * 1000
    print(f"{args.jumps} jumps into the last 100,000 updates: median {np.median(times):.1f} ms, "
          f"max {times.max():.1f} ms")


if __name__ == "__main__":
    main()
