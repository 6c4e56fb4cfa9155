"""Engine throughput: nnviz (StepRecords on) against a plain NumPy loop, same run.

    python benchmarks/bench_engine.py [--seconds 2]

(a) 2-8-8-2 tanh, batch 10, float64;  (b) 784-128-64-10 relu, batch 64, float32.
If PyTorch is importable, the same nets run in PyTorch too (never a dependency).
Threads are pinned to one so the figures are per core.
"""

from __future__ import annotations

import argparse
import os
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402

from nnviz.engine import SGD, Dense, Sequential, Trainer  # noqa: E402

CASES = {
    "a": dict(sizes=(2, 8, 8, 2), act="tanh", batch=10, dtype="float64", n=500),
    "b": dict(sizes=(784, 128, 64, 10), act="relu", batch=64, dtype="float32", n=4096),
}


def make_data(case, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(case["n"], case["sizes"][0])).astype(case["dtype"])
    y = rng.integers(0, case["sizes"][-1], case["n"])
    return X, y


def rate(run_one, seconds):
    """Updates per second of ``run_one`` over about ``seconds`` (after a warm-up)."""
    for _ in range(20):
        run_one()
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(50):
            run_one()
        count += 50
    return count / elapsed


def nnviz_runner(case):
    sizes = case["sizes"]
    layers = [Dense(n, case["act"]) for n in sizes[1:-1]] + [Dense(sizes[-1], "softmax")]
    trainer = Trainer(Sequential(sizes[0], layers, seed=0, dtype=case["dtype"]),
                      optimizer=SGD(0.01), batch_size=case["batch"])
    trainer.set_data(*make_data(case))
    return trainer.step


def plain_runner(case):
    """The same minibatch SGD written as one tight loop: the floor nnviz is measured against."""
    X, y = make_data(case)
    dt = np.dtype(case["dtype"])
    Y = np.eye(case["sizes"][-1], dtype=dt)[y].T.copy()
    rng = np.random.default_rng(0)
    sizes = case["sizes"]
    Ws = [(rng.uniform(-1, 1, (o, i)) * np.sqrt(6 / (i + o))).astype(dt) for i, o in zip(sizes, sizes[1:])]
    bs = [np.zeros((o, 1), dt) for o in sizes[1:]]
    relu = case["act"] == "relu"
    state = {"perm": rng.permutation(case["n"]), "pos": 0}
    lr, B = dt.type(0.01), case["batch"]

    def one():
        if state["pos"] >= case["n"]:
            state["perm"], state["pos"] = rng.permutation(case["n"]), 0
        idx = state["perm"][state["pos"]:state["pos"] + B]
        state["pos"] += B
        hs, zs = [X[idx].T], []  # rows gathered, then the (d, m) view
        for W, b in zip(Ws[:-1], bs[:-1]):
            z = W @ hs[-1] + b
            zs.append(z)
            hs.append(np.maximum(z, 0) if relu else np.tanh(z))
        z = Ws[-1] @ hs[-1] + bs[-1]
        e = np.exp(z - z.max(axis=0))
        p = e / e.sum(axis=0)
        dz = (p - Y[:, idx]) / idx.size
        for layer in range(len(Ws) - 1, -1, -1):
            dW, db = dz @ hs[layer].T, dz.sum(axis=1, keepdims=True)
            if layer:
                dh = Ws[layer].T @ dz
                dz = dh * ((zs[layer - 1] > 0) if relu else (1 - hs[layer] ** 2))
            Ws[layer] -= lr * dW
            bs[layer] -= lr * db
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
    state = {"pos": 0}

    def one():
        s = state["pos"] % (case["n"] - case["batch"])
        state["pos"] += case["batch"]
        opt.zero_grad()
        loss_fn(net(Xt[s:s + case["batch"]]), yt[s:s + case["batch"]]).backward()
        opt.step()
    return one


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
    for key, case in CASES.items():
        label = "-".join(map(str, case["sizes"])) + f" {case['act']}, batch {case['batch']}, {case['dtype']}"
        # Interleaved, best of three: this machine's speed drifts by ±30 % over seconds.
        runners = (nnviz_runner(case), plain_runner(case))
        ours, plain = 0.0, 0.0
        for _ in range(3):
            ours = max(ours, rate(runners[0], args.seconds / 3))
            plain = max(plain, rate(runners[1], args.seconds / 3))
        print(f"({key}) {label}")
        print(f"    nnviz (records on) {ours:12,.0f} updates/s")
        print(f"    plain NumPy loop   {plain:12,.0f} updates/s   nnviz overhead {plain / ours:.2f}x")
        if have_torch:
            theirs = rate(torch_runner(case), args.seconds)
            print(f"    PyTorch CPU        {theirs:12,.0f} updates/s   nnviz/PyTorch {ours / theirs:.2f}x")
        else:
            print("    PyTorch            not importable (optional)")


if __name__ == "__main__":
    main()
