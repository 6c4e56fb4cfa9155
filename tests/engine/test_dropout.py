"""Dropout: Keras semantics, both masking modes, recorded masks."""

import numpy as np
import pytest

from nnviz.engine import SGD, Dense, Dropout, Sequential, Trainer


def net(mode="neuron", rate=0.4, seed=0):
    return Sequential(4, [Dense(16, "tanh"), Dropout(rate, mode=mode), Dense(3, "softmax")], seed=seed)


def batch(m=32, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, 4)), rng.integers(0, 3, m)


def test_inference_is_the_identity():
    layer = Dropout(0.5)
    layer.build(3, None, np.float64)
    x = np.arange(6.0).reshape(3, 2)
    rec = layer.forward(x, training=False)
    assert rec.h is x and rec.mask is None


def test_neuron_mask_is_recorded_and_applied_with_inverted_scaling():
    model = net()
    rec = Trainer(model, seed=1).gradients(*batch())
    drop = rec.layers[1]
    assert drop.mask.shape == (16, 32) and drop.mask.dtype == bool
    np.testing.assert_array_equal(drop.h, drop.x * drop.mask / 0.6)
    # the backward pass uses the same mask: dropped units pass back no gradient
    np.testing.assert_array_equal(drop.dx[~drop.mask], 0.0)
    assert drop.keep_prob == pytest.approx(0.6)


def test_connection_mask_acts_on_the_next_weight_matrix():
    model = net(mode="connection")
    rec = Trainer(model, seed=2).gradients(*batch())
    drop, out = rec.layers[1], rec.layers[2]
    assert drop.mask.shape == model.layers[2].W.shape == (3, 16)
    W_used = model.layers[2].W * drop.mask / 0.6
    np.testing.assert_allclose(out.z, W_used @ drop.x + model.layers[2].b[:, None])
    np.testing.assert_array_equal(out.dW[~drop.mask], 0.0)


def test_a_fresh_mask_every_minibatch_from_the_seeded_generator():
    masks = [Trainer(net(), seed=3).gradients(*batch()).layers[1].mask for _ in range(2)]
    np.testing.assert_array_equal(masks[0], masks[1])  # same seed, same mask
    trainer = Trainer(net(), seed=3)
    first, second = (trainer.gradients(*batch()).layers[1].mask for _ in range(2))
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("mode", ["neuron", "connection"])
def test_the_dropped_fraction_matches_the_rate(mode):
    trainer = Trainer(net(mode=mode, rate=0.3), seed=4)
    dropped = [1 - trainer.gradients(*batch()).layers[1].mask.mean() for _ in range(200)]
    assert np.mean(dropped) == pytest.approx(0.3, abs=0.01)


def test_inverted_scaling_keeps_the_expected_activation():
    layer = Dropout(0.25)
    layer.build(1, None, np.float64)
    x = np.full((1, 200_000), 2.0)
    h = layer.forward(x, training=True, rng=np.random.default_rng(5)).h
    assert h.mean() == pytest.approx(2.0, rel=0.01)


def test_dropout_before_the_output_is_rejected():
    with pytest.raises(ValueError, match="last layer to be Dense"):
        Sequential(2, [Dense(4), Dense(2, "softmax"), Dropout(0.5)])
    with pytest.raises(ValueError, match="which must be Dense"):
        Sequential(2, [Dense(4), Dropout(0.5, mode="connection"), Dropout(0.1), Dense(2, "softmax")])


def test_training_with_dropout_still_learns():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    model = Sequential(4, [Dense(16, "relu"), Dropout(0.3), Dense(2, "softmax")], seed=0)
    trainer = Trainer(model, optimizer=SGD(0.1), batch_size=20)
    trainer.set_data(X, y)
    for _ in range(30):
        trainer.run_epoch()
    assert trainer.evaluate(X, y)[1] > 0.9
