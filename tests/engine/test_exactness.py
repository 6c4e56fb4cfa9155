"""The lean engine computes exactly what the plain reference computes, and R stacked
initialisations compute exactly what R separate runs compute — bit for bit, over
hundreds of updates across epochs, for every layer kind, loss and optimizer."""

import numpy as np
import pytest

from nnviz.engine import SGD, Activation, Adam, BatchNorm, Dense, Dropout, Sequential, Trainer, make_dataset

from .reference_step import ReferenceTrainer

#: name → (layers, optimizer config, l1, l2, loss, dtype)
CASES = {
    "tanh-sgd": (lambda: [Dense(8, "tanh"), Dense(8, "tanh"), Dense(2, "softmax")],
                 {"name": "sgd", "learning_rate": 0.1}, 0.0, 0.0, "cross_entropy", "float64"),
    "every-layer-momentum": (lambda: [Dense(6, "relu"), BatchNorm(), Dropout(0.3), Dense(5, "sigmoid"),
                                      Dropout(0.2, "connection"), Dense(7, "linear"), Activation("leaky_relu"),
                                      Dense(3, "softmax")],
                             {"name": "sgd", "learning_rate": 0.05, "momentum": 0.9}, 0.001, 0.01,
                             "cross_entropy", "float64"),
    "batchnorm-adam": (lambda: [Dense(6, "linear"), BatchNorm(), Activation("sigmoid"), Dropout(0.3),
                                Dense(2, "softmax")],
                       {"name": "adam", "learning_rate": 0.01}, 0.0, 0.001, "cross_entropy", "float64"),
    "nesterov-float32": (lambda: [Dense(6, "relu"), BatchNorm(), Dropout(0.2), Dense(2, "softmax")],
                         {"name": "sgd", "learning_rate": 0.05, "momentum": 0.8, "nesterov": True}, 0.01, 0.0,
                         "cross_entropy", "float32"),
    "sigmoid-output-adam": (lambda: [Dense(5, "tanh"), Dropout(0.25, "connection"), Dense(4, "relu"),
                                     Dropout(0.5, "column"), Dense(1, "sigmoid")],
                            {"name": "adam", "learning_rate": 0.02}, 0.0, 0.0, "binary_cross_entropy", "float64"),
    "batch-average-inference": (lambda: [Dense(6, "linear"), BatchNorm(inference="batch_average"),
                                         Activation("tanh"), Dense(3, "softmax")],
                                {"name": "sgd", "learning_rate": 0.1}, 0.0, 0.0, "cross_entropy", "float64"),
    "regression": (lambda: [Dense(5, "tanh"), BatchNorm(), Dense(1, "linear")],
                   {"name": "sgd", "learning_rate": 0.05}, 0.0, 0.01, "mse", "float64"),
}
UPDATES = 250  # 25 epochs of 10 batches (the last one of 7 points)


def optimizer(spec):
    spec = dict(spec)
    name = spec.pop("name")
    return SGD(**spec) if name == "sgd" else Adam(**spec)


def data(loss, classes):
    kind = "gaussian_bumps" if loss == "mse" else "spiral"
    d = make_dataset(kind, n=194, noise=0.1, seed=0, test_ratio=0.5)
    y = d.y_train if loss == "mse" else d.y_train % classes
    return d.X_train, y


def trainer(case, seed, batch_size=10):
    layers, opt, l1, l2, loss, dtype = CASES[case]
    model = Sequential(2, layers(), seed=seed, dtype=dtype)
    t = Trainer(model, loss=loss, optimizer=optimizer(opt), batch_size=batch_size, l1=l1, l2=l2, seed=4)
    X, y = data(loss, model.output_dim if loss != "binary_cross_entropy" else 2)
    t.set_data(X, y)
    return t


def assert_same(a, b, what):
    if a is None or b is None:
        assert a is None and b is None, what
        return
    assert a.dtype == b.dtype and a.shape == b.shape, what
    assert np.array_equal(a, b, equal_nan=True), what


def assert_same_record(lean, ref: dict, what):
    for name, value in ref.items():
        if name == "grads":
            assert lean.grads.keys() == value.keys(), what
            for key in value:
                assert_same(lean.grads[key], value[key], f"{what} grads[{key}]")
        elif isinstance(value, np.ndarray) or value is None:
            assert_same(getattr(lean, name), value, f"{what} {name}")


# batch 10 (the last batch of 7) scales dW after the product; 16 (the last of 1), a
# power of two, scales dz before it: both must give the reference's bits
@pytest.mark.parametrize("batch_size", [10, 16])
@pytest.mark.parametrize("case", list(CASES))
def test_the_lean_step_records_exactly_what_the_reference_computes(case, batch_size):
    lean = trainer(case, seed=3, batch_size=batch_size)
    _, opt, l1, l2, loss, _ = CASES[case]
    ref = ReferenceTrainer(lean.model, loss, opt, batch_size=batch_size, l1=l1, l2=l2, seed=4)
    ref.set_data(lean._X, lean._Y, lean._labels)  # the training set as the trainer prepared it
    for k in range(UPDATES):
        rec, expected = lean.step(), ref.step()
        assert (rec.loss, rec.penalty, rec.accuracy) == (expected["loss"], expected["penalty"],
                                                         expected["accuracy"]), k
        for i, (layer, layer_ref) in enumerate(zip(rec.layers, expected["layers"])):
            assert_same_record(layer, layer_ref, f"update {k}, layer {i}")
    for layer, arrays in zip(lean.model.layers, ref.parameters()):
        for name, array in arrays.items():
            assert_same(getattr(layer, name), array, name)


def stacked_and_singles(case, runs=3):
    """A trainer of ``runs`` stacked models (weight seeds 10, 11, …) and one per seed."""
    singles = [trainer(case, seed=10 + r) for r in range(runs)]
    layers, opt, l1, l2, loss, dtype = CASES[case]
    models = [Sequential(2, layers(), seed=10 + r, dtype=dtype) for r in range(runs)]
    stacked = Trainer(Sequential.stack(models), loss=loss, optimizer=optimizer(opt), batch_size=10,
                      l1=l1, l2=l2, seed=4)
    stacked.set_data(singles[0]._X, _labels(singles[0]))
    return stacked, singles


FIELDS = ("x", "h", "dh", "dx", "z", "dz", "W", "b", "W_applied", "weight_mask", "dW", "db", "dW_penalty",
          "mask", "scaled_mask", "mean", "var", "inv_std", "x_hat", "gamma", "beta", "moving_mean", "moving_var")


@pytest.mark.parametrize("case", list(CASES))
def test_stacked_initialisations_equal_separate_runs_bit_for_bit(case):
    stacked, singles = stacked_and_singles(case)
    for k in range(UPDATES):
        rec = stacked.step()
        for r, single in enumerate(singles):
            alone, mine = single.step(), rec.run(r)
            assert (mine.loss, mine.penalty, mine.accuracy) == (alone.loss, alone.penalty, alone.accuracy), (k, r)
            for i, (a, b) in enumerate(zip(mine.layers, alone.layers)):
                for name in FIELDS:
                    assert_same(getattr(a, name, None), getattr(b, name, None), f"update {k}, run {r}, {i}.{name}")
    X = singles[0]._X
    loss, accuracy = stacked.evaluate(X, _labels(singles[0]))
    for r, single in enumerate(singles):
        assert (loss[r], None if accuracy is None else accuracy[r]) == single.evaluate(X, _labels(single))
        view = stacked.model.run_view(r)
        for (_, _, p), (_, _, q) in zip(view.parameters(), single.model.parameters()):
            assert_same(p, q, f"run {r} parameters")
        state, alone = stacked.optimizer.get_state(), single.optimizer.get_state()
        for slot in ("velocities", "m", "v"):
            for p, q in zip(state.get(slot) or [], alone.get(slot) or []):
                assert_same(p[r], q, f"run {r} {slot}")


def _labels(t):
    """The training set's y as set_data takes it: class labels, or (N, n_o) targets."""
    return t._labels if t._labels is not None else t._Y.T


def test_a_stacked_run_that_diverges_stops_and_the_others_go_on():
    """Run 1 starts with weights that overflow; runs 0 and 2 train as if alone."""
    def make(r, blow_up=False):
        model = Sequential(2, [Dense(6, "relu"), Dense(2, "softmax")], seed=20 + r)
        if blow_up:
            model.layers[0].W = model.layers[0].W * 1e300
        return model
    models = [make(0), make(1, blow_up=True), make(2)]
    X, y = data("cross_entropy", 2)
    stacked = Trainer(Sequential.stack(models), optimizer=SGD(0.1), batch_size=10, seed=4)
    stacked.set_data(X, y)
    singles = [Trainer(make(r), optimizer=SGD(0.1), batch_size=10, seed=4) for r in (0, 2)]
    for t in singles:
        t.set_data(X, y)
    records = []
    for k in range(40):
        records.append(stacked.step())
        for r, single in zip((0, 2), singles):
            assert records[-1].run(r).loss == single.step().loss
    assert list(stacked.stopped) == [1]
    (run, error), = stacked.newly_stopped
    stop = stacked.stopped[1]
    assert run == 1 and error.step == stop and f"Update {stop + 1} produced a non-finite" in str(error)
    before = records[stop].run(1).layers[0]  # the weights the failing update started from
    assert_same(stacked.model.run_view(1).layers[0].W, before.W, "a stopped run is held")
    assert np.isfinite(before.W).all()
    state = stacked.state()
    stacked.step()
    stacked.restore(state)  # the stopped run stays stopped after a rewind to a later state
    assert list(stacked.stopped) == [1] and not stacked.newly_stopped
