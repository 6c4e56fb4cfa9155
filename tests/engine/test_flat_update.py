"""The flat update (plain SGD on one buffer of all the parameters, ``engine/flat.py``)
computes exactly what the update array by array computes: every record field, the
parameters, the errors of a diverging run — bit for bit, also when the schedule mixes
it with updates it does not serve (phase by phase, momentum, a penalty, a rewind)."""

import pytest

from nnviz.engine import SGD, Adam, BatchNorm, Dense, Dropout, NonFiniteError, Sequential, Trainer, make_dataset

from .test_exactness import FIELDS, assert_same
from .test_trainer import run_phases

#: name → (layers, loss, dtype)
NETWORKS = {
    "relu-float32": (lambda: [Dense(12, "relu"), Dense(7, "relu"), Dense(3, "softmax")], "cross_entropy", "float32"),
    "dropout-every-mode": (lambda: [Dense(8, "tanh"), Dropout(0.3), Dense(6, "sigmoid"), Dropout(0.25, "connection"),
                                    Dense(5, "leaky_relu"), Dropout(0.5, "column"), Dense(3, "softmax")],
                           "cross_entropy", "float64"),
    "sigmoid-output": (lambda: [Dense(5, "tanh"), Dense(1, "sigmoid")], "binary_cross_entropy", "float64"),
    "regression": (lambda: [Dense(6, "tanh"), Dense(1, "linear")], "mse", "float32"),
}


def pair(name, batch_size):
    """Two trainers of the same network and schedule: the flat update, and the update
    array by array (the flat buffer switched off)."""
    layers, loss, dtype = NETWORKS[name]
    d = make_dataset("gaussian_bumps" if loss == "mse" else "spiral", n=194, noise=0.1, seed=0, test_ratio=0.5)
    y = d.y_train if loss == "mse" else d.y_train % (2 if loss == "binary_cross_entropy" else 3)
    trainers = []
    for _ in range(2):
        t = Trainer(Sequential(2, layers(), seed=5, dtype=dtype), loss=loss, optimizer=SGD(0.05),
                    batch_size=batch_size, seed=4)
        t.set_data(d.X_train, y)
        trainers.append(t)
    flat, by_array = trainers
    by_array._flat = None
    return flat, by_array


def assert_same_update(a, b, what):
    assert (a.loss, a.penalty, a.step, a.epoch) == (b.loss, b.penalty, b.step, b.epoch), what
    for i, (x, y) in enumerate(zip(a.layers, b.layers)):
        for name in FIELDS:
            assert_same(getattr(x, name, None), getattr(y, name, None), f"{what}, layer {i}.{name}")
        assert (x.grads or {}).keys() == (y.grads or {}).keys(), what
        for key in x.grads or {}:
            assert_same(x.grads[key], y.grads[key], f"{what}, layer {i} grads[{key}]")


def assert_same_parameters(a, b, what):
    for (_, name, p), (_, _, q) in zip(a.model.parameters(), b.model.parameters()):
        assert_same(p, q, f"{what}: {name}")


@pytest.mark.parametrize("batch_size", [10, 16])  # dW scaled after the product / dz before it
@pytest.mark.parametrize("name", list(NETWORKS))
def test_the_flat_update_records_exactly_what_the_update_array_by_array_records(name, batch_size):
    flat, by_array = pair(name, batch_size)
    assert flat._flat_applies() and not by_array._flat_applies()
    saved = {}
    for k in range(160):
        if k == 40:  # one update phase by phase: it replaces the arrays; the next flat update repacks
            records = [run_phases(t)[1] for t in (flat, by_array)]
        elif 60 <= k < 70:  # momentum: not the flat update's, then back to plain SGD
            for t in (flat, by_array):
                t.set_hyper(momentum=0.0 if k == 69 else 0.5)
            records = [t.step() for t in (flat, by_array)]
        elif 80 <= k < 90:  # an L2 penalty for a while
            for t in (flat, by_array):
                t.l2 = 0.0 if k == 89 else 0.01
            records = [t.step() for t in (flat, by_array)]
        else:
            records = [t.step() for t in (flat, by_array)]
        assert_same_update(*records, f"{name}, update {k}")
        assert_same_parameters(flat, by_array, f"{name}, after update {k}")
        if k == 100:
            saved = {"flat": flat.state(), "by_array": by_array.state()}
        if k == 130:  # rewind both to update 100 and go on
            flat.restore(saved["flat"])
            by_array.restore(saved["by_array"])


def test_the_flat_update_is_taken_and_keeps_each_records_arrays_as_they_were():
    """The parameters are views of one buffer; an update writes new buffers, so an
    earlier record's W, dW and db stay what that update used and computed."""
    flat, _ = pair("relu-float32", 10)
    first = flat.step()
    buffer = flat._flat.flat
    assert all(p.base is buffer for _, _, p in flat.model.parameters())
    kept = [(r.W.copy(), r.dW.copy(), r.db.copy()) for r in first.layers if r.kind == "dense"]
    for _ in range(30):
        flat.step()
    dense = [r for r in first.layers if r.kind == "dense"]
    for rec, (W, dW, db) in zip(dense, kept):
        assert_same(rec.W, W, "W")
        assert_same(rec.dW, dW, "dW")
        assert_same(rec.db, db, "db")
    assert flat.optimizer.iterations == flat.steps_done == 31


@pytest.mark.parametrize("learning_rate", [10.0, 1e30])
def test_a_diverging_flat_update_stops_where_and_as_the_update_array_by_array_stops(learning_rate):
    d = make_dataset("plane", n=100, seed=0)
    trainers = []
    for _ in range(2):
        t = Trainer(Sequential(2, [Dense(8, "relu"), Dense(8, "relu"), Dense(1)], seed=0), "mse",
                    optimizer=SGD(learning_rate), batch_size=10)
        t.set_data(d.X_train, d.y_train)
        trainers.append(t)
    trainers[1]._flat = None
    errors = []
    for t in trainers:
        with pytest.raises(NonFiniteError) as info:
            for _ in range(2000):
                t.step()
        errors.append(info.value)
    a, b = errors
    assert (a.step, a.quantity, a.applied, str(a)) == (b.step, b.quantity, b.applied, str(b))
    assert trainers[0].steps_done == trainers[1].steps_done
    assert trainers[0].optimizer.iterations == trainers[1].optimizer.iterations
    assert_same_parameters(*trainers, "after the error")


@pytest.mark.parametrize("layers, optimizer", [
    (lambda: [Dense(4, "relu"), BatchNorm(), Dense(2, "softmax")], SGD(0.1)),  # γ, β: not packed
    (lambda: [Dense(4, "relu"), Dense(2, "softmax")], Adam(0.01)),
    (lambda: [Dense(4, "relu"), Dense(2, "softmax")], SGD(0.1, momentum=0.9)),
])
def test_the_flat_update_serves_plain_sgd_on_dense_layers_only(layers, optimizer):
    trainer = Trainer(Sequential(2, layers(), seed=0), optimizer=optimizer)
    assert not trainer._flat_applies()
