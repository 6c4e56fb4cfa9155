"""BatchNorm: Keras defaults, batch vs moving statistics, records."""

import numpy as np
import pytest

from nnviz.engine import Activation, BatchNorm, Dense, Sequential, Trainer


def built(n=2, **kw):
    layer = BatchNorm(**kw)
    layer.build(n, None, np.float64)
    return layer


def test_keras_defaults():
    layer = built(3)
    assert (layer.momentum, layer.epsilon) == (0.99, 0.001)
    np.testing.assert_array_equal(layer.gamma, 1)
    np.testing.assert_array_equal(layer.beta, 0)
    np.testing.assert_array_equal(layer.moving_mean, 0)
    np.testing.assert_array_equal(layer.moving_var, 1)


def test_training_output_by_hand():
    layer = built(1)
    layer.gamma[:] = 2.0
    layer.beta[:] = 0.5
    x = np.array([[1.0, 2.0, 3.0, 6.0]])
    rec = layer.forward(x, training=True)
    mean, var = 3.0, (4 + 1 + 0 + 9) / 4  # biased variance 3.5
    expected = 2.0 * (x - mean) / np.sqrt(var + 0.001) + 0.5
    np.testing.assert_allclose(rec.h, expected, rtol=1e-14)
    assert rec.mean[0] == mean and rec.var[0] == var
    assert rec.moving_mean[0] == pytest.approx(0.99 * 0 + 0.01 * 3.0)
    assert rec.moving_var[0] == pytest.approx(0.99 * 1 + 0.01 * 3.5)


def test_inference_uses_the_moving_statistics():
    layer = built(1)
    layer.moving_mean[:] = 1.0
    layer.moving_var[:] = 4.0
    layer.gamma[:] = 3.0
    layer.beta[:] = -1.0
    rec = layer.forward(np.array([[5.0, 1.0]]), training=False)
    np.testing.assert_allclose(rec.h, [[3.0 * 4 / np.sqrt(4.001) - 1, -1.0]], rtol=1e-14)
    np.testing.assert_array_equal(layer.moving_mean, 1.0)  # inference changes nothing


def test_moving_statistics_follow_the_recurrence_over_k_updates():
    rng = np.random.default_rng(0)
    model = Sequential(3, [Dense(4, "relu"), BatchNorm(momentum=0.9), Dense(2, "softmax")], seed=0)
    trainer = Trainer(model)
    moving_mean, moving_var = np.zeros(4), np.ones(4)
    for _ in range(6):
        X, y = rng.normal(size=(8, 3)), rng.integers(0, 2, 8)
        rec = trainer.update(X, y).layers[1]
        batch_mean, batch_var = rec.x.mean(axis=1), rec.x.var(axis=1)
        moving_mean = 0.9 * moving_mean + 0.1 * batch_mean
        moving_var = 0.9 * moving_var + 0.1 * batch_var
        np.testing.assert_allclose(rec.moving_mean, moving_mean, rtol=1e-13)
    np.testing.assert_allclose(model.layers[1].moving_mean, moving_mean, rtol=1e-13)
    np.testing.assert_allclose(model.layers[1].moving_var, moving_var, rtol=1e-13)


def test_the_record_holds_what_a_distribution_view_needs():
    model = Sequential(2, [Dense(5), BatchNorm(), Activation("relu"), Dense(2, "softmax")], seed=1)
    rec = Trainer(model).gradients(np.random.default_rng(1).normal(size=(10, 2)), np.arange(10) % 2)
    bn = rec.layers[1]
    for name, shape in [("x", (5, 10)), ("x_hat", (5, 10)), ("h", (5, 10)), ("mean", (5,)), ("var", (5,)),
                        ("gamma", (5,)), ("beta", (5,)), ("moving_mean", (5,)), ("moving_var", (5,))]:
        assert getattr(bn, name).shape == shape, name
    np.testing.assert_allclose(bn.x_hat.mean(axis=1), 0, atol=1e-12)
    assert set(bn.grads) == {"gamma", "beta"}


def test_gamma_and_beta_are_not_penalised():
    model = Sequential(2, [Dense(3), BatchNorm(), Dense(2, "softmax")], seed=2)
    model.layers[1].gamma[:] = 5.0
    rec = Trainer(model, l1=0.1, l2=0.1).gradients(np.ones((4, 2)) * [[1], [2], [3], [4]], [0, 1, 0, 1])
    dense_only = 0.1 * sum(np.abs(l.W).sum() + (l.W ** 2).sum() for l in model.dense_layers)
    assert rec.penalty == pytest.approx(dense_only)


def test_a_training_batch_of_one_is_finite():
    model = Sequential(2, [Dense(3), BatchNorm(), Dense(2, "softmax")], seed=3)
    rec = Trainer(model).update(np.array([[1.0, 2.0]]), np.array([1]))
    bn = rec.layers[1]
    np.testing.assert_array_equal(bn.x_hat, 0.0)  # documented: σ² = 0 gives x̂ = 0
    assert np.isfinite(rec.loss)


@pytest.mark.parametrize("kw, message", [({"momentum": 1.0}, "momentum"), ({"epsilon": 0}, "epsilon")])
def test_bad_arguments(kw, message):
    with pytest.raises(ValueError, match=message):
        BatchNorm(**kw)
