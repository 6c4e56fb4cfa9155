"""Momentum, Nesterov and Adam against hand-computed sequences on f(w) = ½·a·w²."""

import math

import numpy as np
import pytest

from nnviz.engine import SGD, Adam

A = 3.0  # f(w) = ½·A·w², so the gradient is A·w


def run(optimizer, w0=1.0, steps=5):
    w = np.array([w0])
    history = []
    for _ in range(steps):
        (w,) = optimizer.update([w], [A * w])
        history.append(float(w[0]))
    return history


def test_plain_sgd():
    expected, w = [], 1.0
    for _ in range(5):
        w = w - 0.1 * A * w
        expected.append(w)
    assert run(SGD(0.1)) == pytest.approx(expected, rel=1e-15)


def test_momentum():
    expected, w, v = [], 1.0, 0.0
    for _ in range(5):
        v = 0.9 * v - 0.1 * A * w
        w = w + v
        expected.append(w)
    assert run(SGD(0.1, momentum=0.9)) == pytest.approx(expected, rel=1e-14)


def test_nesterov():
    expected, w, v = [], 1.0, 0.0
    for _ in range(5):
        g = A * w
        v = 0.9 * v - 0.1 * g
        w = w + 0.9 * v - 0.1 * g
        expected.append(w)
    assert run(SGD(0.1, momentum=0.9, nesterov=True)) == pytest.approx(expected, rel=1e-14)


def test_adam():
    expected, w, m, v = [], 1.0, 0.0, 0.0
    for t in range(1, 6):
        g = A * w
        m = m + (1 - 0.9) * (g - m)
        v = v + (1 - 0.999) * (g * g - v)
        lr_t = 0.05 * math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        w = w - lr_t * m / (math.sqrt(v) + 1e-7)
        expected.append(w)
    assert run(Adam(0.05)) == pytest.approx(expected, rel=1e-14)


def test_state_round_trip_continues_identically():
    opt = Adam(0.05)
    w = np.array([1.0, -2.0])
    for _ in range(3):
        (w,) = opt.update([w], [A * w])
    saved, w_saved = opt.get_state(), w.copy()
    for _ in range(3):
        (w,) = opt.update([w], [A * w])
    first = w.copy()
    opt.set_state(saved)
    w = w_saved
    for _ in range(3):
        (w,) = opt.update([w], [A * w])
    np.testing.assert_array_equal(w, first)


def test_parameters_are_never_changed_in_place():
    for opt in (SGD(0.1), SGD(0.1, momentum=0.9), Adam(0.1)):
        w = np.array([1.0, 2.0])
        (new,) = opt.update([w], [A * w])
        assert w.tolist() == [1.0, 2.0] and new is not w


def test_learning_rate_changes_without_resetting_slots():
    opt = SGD(0.1, momentum=0.9)
    w = np.array([1.0])
    opt.update([w], [A * w])
    velocity = opt.velocities[0].copy()
    opt.learning_rate = 0.2
    assert opt.velocities[0] == velocity and opt.learning_rate == 0.2
    with pytest.raises(ValueError, match="Received: learning_rate=-1"):
        opt.learning_rate = -1


# -- configurations rebuild what they describe (as Keras tests every layer) ----------------
from nnviz.engine.layers import Activation, BatchNorm, Dense, Dropout, Embedding, layer_from_config  # noqa: E402
from nnviz.engine.optimizers import optimizer_from_config  # noqa: E402

LAYERS = [Dense(3, "tanh"), Dense(2, "softmax", kernel_initializer="he_normal"), Dense(4),
          Dense(2, {"name": "leaky_relu", "negative_slope": 0.1}), Activation("relu"),
          Dropout(0.25), Dropout(0.5, mode="connection"), BatchNorm(momentum=0.9, epsilon=0.01),
          Dropout(0.34, mode="column"), BatchNorm(inference="batch_average"), Embedding(32, 2),
          Activation({"name": "leaky_relu", "negative_slope": 0.05})]


@pytest.mark.parametrize("layer", LAYERS, ids=repr)
def test_every_layer_round_trips_through_get_config(layer):
    config = layer.get_config()
    rebuilt = layer_from_config(config)
    assert type(rebuilt) is type(layer) and rebuilt.get_config() == config


@pytest.mark.parametrize("optimizer", [SGD(0.1), SGD(0.2, momentum=0.9), SGD(0.3, momentum=0.5, nesterov=True),
                                       Adam(0.01), Adam(0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-6)], ids=repr)
def test_every_optimizer_round_trips_through_get_config(optimizer):
    config = optimizer.get_config()
    rebuilt = optimizer_from_config(config)
    assert type(rebuilt) is type(optimizer) and rebuilt.get_config() == config


@pytest.mark.parametrize("optimizer, field, value", [
    (SGD(0.1, momentum=0.5), "learning_rate", -0.1),
    (SGD(0.1, momentum=0.5), "learning_rate", float("nan")),
    (SGD(0.1, momentum=0.5), "learning_rate", "0.1"),
    (SGD(0.1, momentum=0.5), "iterations", -3),
    (SGD(0.1, momentum=0.5), "iterations", 2.5),
    (SGD(0.1, momentum=0.5), "momentum", 1.0),
    (SGD(0.1, momentum=0.5), "momentum", float("nan")),
    (SGD(0.1, momentum=0.5), "velocities", [np.zeros(2, dtype=np.int8)]),
    (Adam(0.01), "m", "zeros"),
])
def test_set_state_checks_like_the_constructor_and_changes_nothing_on_a_refusal(optimizer, field, value):
    """set_state used to take a negative or NaN learning rate the setter refuses."""
    good = optimizer.get_state()
    with pytest.raises((TypeError, ValueError), match=field):
        optimizer.set_state({**good, field: value})
    assert optimizer.get_state().keys() == good.keys()
    assert optimizer.learning_rate == good["learning_rate"] and optimizer.iterations == good["iterations"]
