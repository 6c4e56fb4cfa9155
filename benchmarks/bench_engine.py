"""Engine throughput, like with like: nnviz against a plain NumPy loop and PyTorch.

    python benchmarks/bench_engine.py [--rounds 9] [--seconds 0.4] [--cases a,b,runs]

(a) 2-8-8-2 tanh, batch 10, float64;  (b) 784-128-64-10 relu, batch 64, float32;
(runs) 8 initialisations side by side (``training.runs: 8``) against one.

How it measures, so that the figures mean something on a shared 2-core machine:
- BLAS (and PyTorch) run on one thread, pinned before NumPy is imported and checked
  with threadpoolctl when it is installed; the figures are per core.
- Every contender does the same work: the same minibatches (each epoch's order drawn
  from a generator seeded like nnviz's trainer, rows gathered by index), softmax
  cross-entropy, plain SGD. PyTorch gets the same index gather as the others.
- Rounds are interleaved: within a round the contenders take turns in slices of ~20 ms
  (the order rotating from round to round) until each has had --seconds of CPU time of
  this process (``time.process_time``), not wall time: a neighbour's load steals wall
  time, not CPU time. Figures are the median over rounds with the spread (min–max);
  ratios are taken within a round, then the median.
- The machine's noise is printed: load average, and CPU time ÷ wall time (1.00 means
  nobody took the core from us).
"""

from __future__ import annotations

import argparse
import os
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

from nnviz.engine import SGD, Config, Dense, Sequential, Trainer, TrainingRun  # noqa: E402

CASES = {
    "a": dict(sizes=(2, 8, 8, 2), act="tanh", batch=10, dtype="float64", n=500),
    "b": dict(sizes=(784, 128, 64, 10), act="relu", batch=64, dtype="float32", n=4096),
}
RUNS = 8  # initialisations in the "runs" case


def pin_threads():
    """One BLAS thread, whatever the environment said; returns a description."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        return "threadpoolctl not installed: BLAS pinned by environment variables only"
    threadpool_limits(1)
    return ", ".join(f"{p['internal_api']} {p['version']} ({p.get('architecture', '?')}) "
                     f"{p['num_threads']} thread(s)" for p in threadpool_info())


def make_data(case, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(case["n"], case["sizes"][0])).astype(case["dtype"])
    y = rng.integers(0, case["sizes"][-1], case["n"])
    return X, y


class Schedule:
    """nnviz's epoch schedule: a permutation per epoch from the trainer's shuffle stream."""

    def __init__(self, n, batch, seed=0):
        shuffle_seq, _ = np.random.SeedSequence(seed).spawn(2)
        self.rng, self.n, self.batch = np.random.default_rng(shuffle_seq), n, batch
        self.perm, self.pos = None, n

    def next(self):
        if self.pos >= self.n:
            self.perm, self.pos = self.rng.permutation(self.n), 0
        idx = self.perm[self.pos:self.pos + self.batch]
        self.pos += idx.size
        return idx


def glorot(rng, sizes, dt):
    return [(rng.uniform(-1, 1, (o, i)) * np.sqrt(6 / (i + o))).astype(dt) for i, o in zip(sizes, sizes[1:])]


# -- contenders: each returns a function doing one update ----------------------------
def nnviz_runner(case, check_finite=True):
    """``check_finite=False``: without the NaN/∞ test of each update (the app never turns
    it off; printed to show what the test costs)."""
    sizes = case["sizes"]
    layers = [Dense(n, case["act"]) for n in sizes[1:-1]] + [Dense(sizes[-1], "softmax")]
    trainer = Trainer(Sequential(sizes[0], layers, seed=0, dtype=case["dtype"]),
                      optimizer=SGD(0.01), batch_size=case["batch"], check_finite=check_finite)
    trainer.set_data(*make_data(case))
    return trainer.step


def plain_runner(case, runs=None, hold_last=False):
    """The same minibatch SGD as one tight loop: the floor nnviz is measured against.
    ``runs``: that many networks at once, stacked on a leading axis (batched matmuls).
    ``hold_last``: keep the last update's arrays alive until the next one ends, as any
    record of an update must (weights used, x, z, h, dz, dW, db): the loop then works
    on one more generation of arrays, a measure of what holding a record costs."""
    X, y = make_data(case)
    dt = np.dtype(case["dtype"])
    Y = np.eye(case["sizes"][-1], dtype=dt)[y].T.copy()
    rng = np.random.default_rng(0)
    sizes = case["sizes"]
    if runs is None:
        Ws = glorot(rng, sizes, dt)
        bs = [np.zeros((o, 1), dt) for o in sizes[1:]]
    else:
        stacks = [glorot(rng, sizes, dt) for _ in range(runs)]
        Ws = [np.stack(ws) for ws in zip(*stacks)]
        bs = [np.zeros((runs, o, 1), dt) for o in sizes[1:]]
    relu = case["act"] == "relu"
    schedule = Schedule(case["n"], case["batch"])
    lr = dt.type(0.01)
    held = []

    def one():
        idx = schedule.next()
        hs, zs = [X[idx].T], []  # rows gathered, then the (d, m) view
        for W, b in zip(Ws[:-1], bs[:-1]):
            z = W @ hs[-1] + b
            zs.append(z)
            hs.append(np.maximum(z, 0) if relu else np.tanh(z))
        z = Ws[-1] @ hs[-1] + bs[-1]
        e = np.exp(z - z.max(axis=-2, keepdims=True))
        p = e / e.sum(axis=-2, keepdims=True)
        target = Y[:, idx]
        loss = -np.log((p * target).sum(axis=-2)).mean(axis=-1)  # nnviz reports it: so does the loop
        dz = (p - target) / idx.size
        record = [hs, zs, list(Ws), list(bs)] if hold_last else None
        for layer in range(len(Ws) - 1, -1, -1):
            dW, db = dz @ np.swapaxes(hs[layer], -1, -2), dz.sum(axis=-1, keepdims=True)
            if hold_last:
                record += (dz, dW, db)
            if layer:
                dh = np.swapaxes(Ws[layer], -1, -2) @ dz
                dz = dh * ((zs[layer - 1] > 0) if relu else (1 - hs[layer] ** 2))
            Ws[layer] = Ws[layer] - lr * dW  # new arrays, as nnviz makes
            bs[layer] = bs[layer] - lr * db
        if hold_last:
            held[:] = record
        return loss
    return one


def torch_runner(case):
    import torch

    torch.set_num_threads(1)
    X, y = make_data(case)
    sizes = case["sizes"]
    mods = []
    for i, o in zip(sizes[:-1], sizes[1:]):
        mods += [torch.nn.Linear(i, o), torch.nn.ReLU() if case["act"] == "relu" else torch.nn.Tanh()]
    net = torch.nn.Sequential(*mods[:-1]).to(getattr(torch, case["dtype"]))
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    loss_fn = torch.nn.CrossEntropyLoss()
    schedule = Schedule(case["n"], case["batch"])

    def one():
        idx = torch.from_numpy(schedule.next())  # the same shuffled minibatch, gathered
        opt.zero_grad()
        loss = loss_fn(net(Xt.index_select(0, idx)), yt.index_select(0, idx))
        loss.backward()
        opt.step()
        return loss.item()  # nnviz and the loop hand the loss over: so does PyTorch
    return one


def training_run_runner(runs):
    """TrainingRun.update() on the 'a' network with ``runs`` initialisations."""
    config = Config.from_dict({
        "data": {"dataset": "circle", "n": 1000, "noise": 0.1, "seed": 1, "test_ratio": 0.5},
        "network": {"hidden": [{"type": "Dense", "units": 8, "activation": "tanh"}] * 2},
        "training": {"learning_rate": 0.01, "batch_size": 10, "runs": runs}})
    return TrainingRun(config).update


# -- measuring -----------------------------------------------------------------------
def chunk_size(one, target=0.02):
    """Updates taking about ``target`` CPU-seconds (after a warm-up)."""
    for _ in range(20):
        one()
    count, start = 0, time.process_time()
    while time.process_time() - start < target:
        one()
        count += 1
    return max(count, 1)


def interleaved(contenders: dict, rounds: int, seconds: float):
    """{name: [updates per CPU-second, one per round]} and the CPU ÷ wall fractions.

    Within a round the contenders alternate in slices of ~20 ms each until every one has
    had ``seconds`` of CPU time: a slow spell of the machine hits all of them alike,
    so the ratios taken within a round are far steadier than the rates."""
    chunks = {name: chunk_size(one) for name, one in contenders.items()}
    rates = {name: [] for name in contenders}
    shares = []
    names = list(contenders)
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        done = dict.fromkeys(names, 0)
        cpu = dict.fromkeys(names, 0.0)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        while min(cpu.values()) < seconds:
            for name in order:
                one, n = contenders[name], chunks[name]
                start = time.process_time()
                for _ in range(n):
                    one()
                cpu[name] += time.process_time() - start
                done[name] += n
        shares.append((time.process_time() - cpu0) / (time.perf_counter() - wall0))
        for name in names:
            rates[name].append(done[name] / cpu[name])
    return rates, shares


def spread(values) -> str:
    v = np.asarray(values)
    return f"{np.median(v):10,.0f} /s  [{v.min():,.0f}–{v.max():,.0f}]"


def ratio(a, b) -> str:
    """Median and range of a[i]/b[i], round by round."""
    r = np.asarray(a) / np.asarray(b)
    return f"{np.median(r):.2f}x [{r.min():.2f}–{r.max():.2f}]"


def report_case(key, case, args, have_torch):
    label = "-".join(map(str, case["sizes"])) + f" {case['act']}, batch {case['batch']}, {case['dtype']}"
    contenders = {"nnviz": nnviz_runner(case), "loop": plain_runner(case),
                  "held": plain_runner(case, hold_last=True), "unchecked": nnviz_runner(case, False)}
    if have_torch:
        contenders["torch"] = torch_runner(case)
    rates, shares = interleaved(contenders, args.rounds, args.seconds)
    print(f"({key}) {label}   [CPU/wall {np.median(shares):.2f}, min {min(shares):.2f}]")
    print(f"    nnviz Trainer.step()  {spread(rates['nnviz'])}")
    print(f"    plain NumPy loop      {spread(rates['loop'])}   nnviz time ÷ loop time "
          f"{ratio(rates['loop'], rates['nnviz'])}")
    print(f"    loop holding its last update  {spread(rates['held'])}   its time ÷ loop time "
          f"{ratio(rates['loop'], rates['held'])}   nnviz ÷ it {ratio(rates['held'], rates['nnviz'])}")
    print(f"    nnviz without its NaN/∞ test  {spread(rates['unchecked'])}   its time ÷ loop time "
          f"{ratio(rates['loop'], rates['unchecked'])}")
    if have_torch:
        print(f"    PyTorch CPU           {spread(rates['torch'])}   PyTorch time ÷ nnviz time "
              f"{ratio(rates['nnviz'], rates['torch'])}")


def report_runs(args):
    contenders = {"run1": training_run_runner(1), f"run{RUNS}": training_run_runner(RUNS),
                  "loop1": plain_runner(CASES["a"]), f"loop{RUNS}": plain_runner(CASES["a"], RUNS)}
    rates, shares = interleaved(contenders, args.rounds, args.seconds)
    print(f"(runs) {RUNS} initialisations of 2-8-8-2 tanh, batch 10   [CPU/wall {np.median(shares):.2f}, "
          f"min {min(shares):.2f}]")
    print(f"    TrainingRun.update(), 1 run    {spread(rates['run1'])}")
    print(f"    TrainingRun.update(), {RUNS} runs   {spread(rates[f'run{RUNS}'])}   cost of an update of "
          f"{RUNS} ÷ one {ratio(rates['run1'], rates[f'run{RUNS}'])}")
    per_net = np.asarray(rates[f"loop{RUNS}"]) * RUNS / np.asarray(rates["loop1"])
    print(f"    stacked plain loop, {RUNS} nets    {spread(rates[f'loop{RUNS}'])}   per-net throughput "
          f"{np.median(per_net):.1f}x one net's [{per_net.min():.1f}–{per_net.max():.1f}]")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=0.4, help="CPU seconds per contender and round")
    parser.add_argument("--cases", default="a,b,runs")
    args = parser.parse_args()
    try:
        import torch

        torch.set_num_threads(1)
        have_torch = True
    except ImportError:
        have_torch = False
    print(f"BLAS: {pin_threads()}; PyTorch: {torch.__version__ if have_torch else 'not importable'}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{args.rounds} interleaved rounds of {args.seconds} CPU-s per contender")
    for key in args.cases.split(","):
        if key == "runs":
            report_runs(args)
        else:
            report_case(key, CASES[key], args, have_torch)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
