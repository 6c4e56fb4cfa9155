import numpy as np
import pytest

from nnviz.engine import BatchNorm, Dense, Dropout, Sequential, Trainer
from nnviz.engine.summaries import PERCENTILES, layer_labels, mean_column_norm, summarize


def test_summaries_of_a_real_update():
    rng = np.random.default_rng(0)
    model = Sequential(2, [Dense(4, "tanh"), Dropout(0.5), Dense(3), BatchNorm(), Dense(2, "softmax")], seed=0)
    rec = Trainer(model).update(rng.normal(size=(8, 2)), rng.integers(0, 2, 8))
    s = summarize(model, rec)
    assert s["norm_dW/0"] == pytest.approx(np.linalg.norm(rec.layers[0].grads["W"]))
    assert s["norm_dz/4"] == pytest.approx(np.mean(np.linalg.norm(rec.layers[4].dz, axis=0)))
    np.testing.assert_allclose(s["pct_W/2"], np.percentile(model.layers[2].W, PERCENTILES))
    np.testing.assert_allclose(s["pct_h/0"], np.percentile(rec.layers[0].h, PERCENTILES))
    assert s["kept/1"] == rec.layers[1].mask.mean()
    np.testing.assert_array_equal(s["bn_var/3"], rec.layers[3].var)
    assert PERCENTILES[1] == pytest.approx(100 * 0.158655, abs=0.01)  # the −1σ point of a normal


def test_mean_column_norm_by_hand():
    assert mean_column_norm(np.array([[3.0, 0.0], [4.0, 1.0]])) == pytest.approx((5 + 1) / 2)


def test_layer_labels_follow_the_lecture():
    model = Sequential(2, [Dense(4, "tanh"), BatchNorm(), Dense(3, "relu"), Dropout(0.2), Dense(2, "softmax")])
    assert layer_labels(model) == ["h¹", "BN(h¹)", "h²", "dropout(h²)", "p"]


def test_percentiles_equal_numpys():
    from nnviz.engine.summaries import percentiles

    values = np.random.default_rng(3).normal(size=(7, 13))
    np.testing.assert_allclose(percentiles(values), np.percentile(values, PERCENTILES), rtol=1e-12)
    np.testing.assert_allclose(percentiles(np.array([2.0])), [2.0] * 5)
