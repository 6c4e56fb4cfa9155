"""Finite-difference checks: every activation, loss, layer, and whole networks."""

import numpy as np
import pytest

from nnviz.engine import Activation, BatchNorm, Dense, Dropout, Sequential, Trainer
from nnviz.engine.activations import ACTIVATION_NAMES, get_activation

from .gradcheck import EPS, check_network_gradients, relative_error


def data(m=7, d=3, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, d)), rng.integers(0, classes, m)


@pytest.mark.parametrize("name", [n for n in ACTIVATION_NAMES if n != "softmax"])
def test_activation_derivative_matches_finite_differences(name):
    act = get_activation(name)
    z = np.random.default_rng(1).normal(size=(4, 5)) * 2
    z[np.abs(z) < 1e-3] = 0.5  # keep away from the kinks of relu/step
    h = act.forward(z)
    numeric = (act.forward(z + EPS) - act.forward(z - EPS)) / (2 * EPS)
    assert relative_error(act.derivative(z, h), numeric) < 1e-6


def test_softmax_backward_is_the_jacobian_product():
    act = get_activation("softmax")
    rng = np.random.default_rng(2)
    z, dh = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    analytic = act.backward(z, act.forward(z), dh)
    numeric = np.zeros_like(z)
    for pos in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[pos] += EPS
        zm[pos] -= EPS
        numeric[pos] = ((act.forward(zp) - act.forward(zm)) * dh).sum() / (2 * EPS)
    assert relative_error(analytic, numeric) < 1e-6


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_network_with_each_hidden_activation(hidden):
    X, y = data()
    model = Sequential(3, [Dense(4, hidden), Dense(5, hidden), Dense(3, "softmax")], seed=3)
    for layer in model.layers:  # biases off zero: an all-dead ReLU layer would put z on the kink
        layer.b[:] = np.linspace(0.05, 0.25, layer.b.size)
    check_network_gradients(Trainer(model, "cross_entropy"), X, y)


def test_binary_cross_entropy_with_sigmoid_output():
    X, y = data(classes=2)
    model = Sequential(3, [Dense(4, "tanh"), Dense(1, "sigmoid")], seed=4)
    check_network_gradients(Trainer(model, "binary_cross_entropy"), X, y)


@pytest.mark.parametrize("output", ["linear", "tanh", "sigmoid", "softmax"])
def test_mean_squared_error_with_any_output(output):
    X, _ = data()
    y = np.random.default_rng(5).uniform(0.1, 0.9, size=(7, 2))
    model = Sequential(3, [Dense(4, "tanh"), Dense(2, output)], seed=5)
    check_network_gradients(Trainer(model, "mse"), X, y)


def test_l1_and_l2_penalties_on_weights_only():
    X, y = data()
    model = Sequential(3, [Dense(4, "tanh"), Dense(3, "softmax")], seed=6)
    model.layers[0].b[:] = [0.3, -0.2, 0.1, 0.5]  # nonzero biases: a penalty on them would show
    trainer = Trainer(model, "cross_entropy", l1=0.01, l2=0.05)
    check_network_gradients(trainer, X, y)
    rec = trainer.gradients(X, y)
    assert rec.layers[0].grads["b"] is rec.layers[0].db  # biases: data gradient only
    W = model.layers[0].W
    expected = rec.layers[0].dW + 0.01 * np.sign(W) + 2 * 0.05 * W  # Keras: d(λΣw²)/dw = 2λw
    np.testing.assert_allclose(rec.layers[0].grads["W"], expected, rtol=0, atol=1e-15)


def test_deep_network_float64():
    X, y = data(m=5, d=2, classes=2)
    layers = [Dense(3, "tanh") for _ in range(6)] + [Dense(2, "softmax")]
    check_network_gradients(Trainer(Sequential(2, layers, seed=7)), X, y)


@pytest.mark.parametrize("mode", ["neuron", "connection"])
def test_dropout_with_the_mask_held_fixed(mode):
    X, y = data(m=8)
    model = Sequential(3, [Dense(5, "tanh"), Dropout(0.4, mode=mode), Dense(4, "relu"),
                           Dropout(0.3, mode=mode), Dense(3, "softmax")], seed=8)
    check_network_gradients(Trainer(model), X, y)


def test_batchnorm_after_the_activation():
    X, y = data(m=9)
    model = Sequential(3, [Dense(4, "tanh"), BatchNorm(), Dense(3, "softmax")], seed=9)
    model.layers[1].gamma[:] = [1.5, 0.7, 1.0, 2.0]  # away from the defaults, so γ matters
    model.layers[1].beta[:] = [0.1, -0.3, 0.2, 0.0]
    check_network_gradients(Trainer(model), X, y)


def test_batchnorm_before_the_activation():
    X, y = data(m=9)
    model = Sequential(3, [Dense(4), BatchNorm(), Activation("sigmoid"), Dense(3, "softmax")], seed=10)
    model.layers[1].gamma[:] = [0.5, 1.2, 1.0, 0.8]
    check_network_gradients(Trainer(model), X, y)


def test_batchnorm_with_dropout_and_penalties_together():
    X, y = data(m=10)
    model = Sequential(3, [Dense(5), BatchNorm(), Activation("relu"), Dropout(0.25), Dense(3, "softmax")],
                       seed=11)
    check_network_gradients(Trainer(model, l1=0.001, l2=0.01), X, y)
