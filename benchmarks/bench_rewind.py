"""Rewinding: time to reach a random earlier update, and the memory of the timeline.

    python benchmarks/bench_rewind.py [--cases circle,runs,mnist,memory] [--jumps 40]

Each case trains a TrainingRun headless (as the window's worker does), then times
--jumps random ``seek``s into the recent past (wall and CPU milliseconds, median and
max) and prints the timeline's memory:

    circle   the 'circle' lesson (2-6-4-2 tanh, batch 10), 100,000 updates
    runs     the same with 8 initialisations side by side, 50,000 updates
    mnist    MNIST size: 60,000 random 28×28 images, 784-128-64-10 relu, batch 64,
             float32, 10,000 updates
    memory   the circle network on 50,000 training points, 400,000 updates: the
             timeline's memory (checkpoints and the per-update losses)

BLAS runs on one thread (set before NumPy is imported).
"""

from __future__ import annotations

import argparse
import os
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

from nnviz.engine import Config, TrainingRun  # noqa: E402
from nnviz.engine.datasets import Dataset  # noqa: E402
from nnviz.engine.timeline import state_nbytes  # noqa: E402
from nnviz.lessons import load_lesson  # noqa: E402

MIB = 2**20


def circle_config(runs=1, n=400):
    config = load_lesson("circle").config
    return config.with_changes({"training.runs": runs, "data.n": n})


def mnist_sized():
    rng = np.random.default_rng(0)
    X = (rng.integers(0, 256, (60_000, 784)) / 255.0).astype(np.float32)
    y = rng.integers(0, 10, 60_000)
    data = Dataset("mnist", "classification", X, y, X[:1000], y[:1000], 10, (28, 28))
    config = Config.from_dict({
        "data": {"dataset": "mnist", "path": "unused"},
        "network": {"hidden": [{"type": "Dense", "units": 128, "activation": "relu"},
                               {"type": "Dense", "units": 64, "activation": "relu"}],
                    "dtype": "float32", "initializer": "he_uniform"},
        "training": {"learning_rate": 0.05, "batch_size": 64}})
    return config, data


def train(run, updates):
    start = time.perf_counter()
    for _ in range(updates):
        run.update()
    return updates / (time.perf_counter() - start)


def timelines_of(run):
    """The run's timeline (one for every initialisation at once)."""
    return [run.tape]


def memory_line(run):
    timelines = timelines_of(run)
    total = sum(t.nbytes() for t in timelines)
    count = sum(len(t.checkpoints) for t in timelines)
    one = state_nbytes(run.trainer.state())
    return (f"timeline {total / MIB:7.2f} MiB in {count} checkpoints "
            f"({len(timelines)} timeline(s)); one trainer state {one / 1024:,.1f} KiB")


def jumps(run, count, window, seed=0):
    """(wall ms, CPU ms) of ``count`` seeks to random updates among the last ``window``."""
    end = run.steps_done
    low = max(run.timeline.first, end - window)
    rng = np.random.default_rng(seed)
    wall, cpu = [], []
    for k in rng.integers(low, end, count):
        w0, c0 = time.perf_counter(), time.process_time()
        run.seek(int(k))
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    run.seek(end)
    return np.array(wall) * 1000, np.array(cpu) * 1000


def report(name, run, updates, jumps_count, window):
    rate = train(run, updates)
    wall, cpu = jumps(run, jumps_count, window)
    print(f"{name}: {updates:,} updates at {rate:,.0f} updates/s (wall); {memory_line(run)}")
    print(f"    {jumps_count} jumps into the last {window:,} updates: wall median {np.median(wall):6.1f} ms, "
          f"max {wall.max():6.1f} ms; CPU median {np.median(cpu):6.1f} ms, max {cpu.max():6.1f} ms",
          flush=True)


def memory_case(updates):
    run = TrainingRun(circle_config(n=100_000))  # test_ratio 0.5: 50,000 training points
    assert len(run.dataset.X_train) == 50_000
    start = time.perf_counter()
    step = updates // 4
    for done in range(step, updates + 1, step):
        for _ in range(step):
            run.update()
        rate = done / (time.perf_counter() - start)
        print(f"memory: {done:>9,} updates, 50,000 training points: {memory_line(run)}, "
              f"{rate:,.0f} updates/s", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="circle,runs,mnist,memory")
    parser.add_argument("--jumps", type=int, default=40)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every case's updates")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    s = args.scale
    for case in args.cases.split(","):
        if case == "circle":
            report("circle", TrainingRun(circle_config()), int(100_000 * s), args.jumps, 100_000)
        elif case == "runs":
            report("runs (8 initialisations)", TrainingRun(circle_config(runs=8)), int(50_000 * s),
                   args.jumps, 50_000)
        elif case == "mnist":
            config, data = mnist_sized()
            report("mnist size", TrainingRun(config, dataset=data), int(10_000 * s), args.jumps, 10_000)
        elif case == "memory":
            memory_case(int(400_000 * s))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
