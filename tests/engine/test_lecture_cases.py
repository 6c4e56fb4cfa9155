"""Cases computed by hand from the lecture's formulas, in plain Python scalars."""

import math

import numpy as np

from nnviz.engine import SGD, Dense, Sequential, Trainer

W1 = [[0.1, -0.2], [0.4, 0.3]]
B1 = [0.05, -0.1]
W2 = [[0.3, -0.5], [-0.2, 0.6]]
B2 = [0.0, 0.1]
POINTS = [([1.0, 2.0], 1), ([-0.5, 0.7], 0)]
ALPHA = 0.5


def two_two_two_net():
    model = Sequential(2, [Dense(2, "tanh"), Dense(2, "softmax")], seed=0)
    model.layers[0].W[:] = W1
    model.layers[0].b[:] = B1
    model.layers[1].W[:] = W2
    model.layers[1].b[:] = B2
    return model


def by_hand(x, label):
    """Forward and backward for one point, every sum written out."""
    z1 = [sum(W1[i][j] * x[j] for j in range(2)) + B1[i] for i in range(2)]
    h1 = [math.tanh(v) for v in z1]
    z2 = [sum(W2[i][j] * h1[j] for j in range(2)) + B2[i] for i in range(2)]
    exps = [math.exp(v) for v in z2]
    p = [e / sum(exps) for e in exps]
    y = [1.0 if i == label else 0.0 for i in range(2)]
    loss = -sum(y[i] * math.log(p[i]) for i in range(2))
    dz2 = [p[i] - y[i] for i in range(2)]  # dz^o = p − y
    dW2 = [[dz2[i] * h1[j] for j in range(2)] for i in range(2)]  # dW = dz·hᵀ
    dh1 = [sum(W2[i][j] * dz2[i] for i in range(2)) for j in range(2)]  # dh = Wᵀdz
    dz1 = [dh1[j] * (1 - h1[j] ** 2) for j in range(2)]  # dz = dh ⊗ σ'(z)
    dW1 = [[dz1[i] * x[j] for j in range(2)] for i in range(2)]
    return dict(z1=z1, h1=h1, z2=z2, p=p, loss=loss, dz2=dz2, dW2=dW2, db2=dz2, dh1=dh1, dz1=dz1,
                dW1=dW1, db1=dz1)


def mean_of(key, cases):
    return np.mean([np.array(c[key]) for c in cases], axis=0)


def test_one_point_forward_and_backward_match_the_hand_computation():
    x, label = POINTS[0]
    hand = by_hand(x, label)
    trainer = Trainer(two_two_two_net(), optimizer=SGD(ALPHA))
    rec = trainer.update(np.array([x]), np.array([label]))
    hidden, out = rec.layers
    np.testing.assert_allclose(hidden.z[:, 0], hand["z1"], rtol=1e-14)
    np.testing.assert_allclose(hidden.h[:, 0], hand["h1"], rtol=1e-14)
    np.testing.assert_allclose(out.h[:, 0], hand["p"], rtol=1e-14)
    assert math.isclose(rec.loss, hand["loss"], rel_tol=1e-14)
    np.testing.assert_allclose(out.dz[:, 0], hand["dz2"], rtol=1e-14)
    np.testing.assert_allclose(out.dW, hand["dW2"], rtol=1e-14)
    np.testing.assert_allclose(hidden.dh[:, 0], hand["dh1"], rtol=1e-13)
    np.testing.assert_allclose(hidden.dz[:, 0], hand["dz1"], rtol=1e-13)
    np.testing.assert_allclose(hidden.dW, hand["dW1"], rtol=1e-13)


def test_dz_at_the_softmax_output_is_p_minus_y_per_point():
    rng = np.random.default_rng(0)
    model = Sequential(3, [Dense(4, "relu"), Dense(3, "softmax")], seed=1)
    X, y = rng.normal(size=(6, 3)), np.array([0, 1, 2, 2, 1, 0])
    rec = Trainer(model).gradients(X, y)
    onehot = np.eye(3)[y].T
    np.testing.assert_array_equal(rec.layers[-1].dz, rec.layers[-1].h - onehot)


def test_dW_is_dz_times_h_transposed_averaged_over_the_batch():
    rng = np.random.default_rng(1)
    model = Sequential(3, [Dense(4, "tanh"), Dense(3, "softmax")], seed=2)
    rec = Trainer(model).gradients(rng.normal(size=(5, 3)), rng.integers(0, 3, 5))
    for layer in rec.layers:
        m = layer.x.shape[1]
        outer_products = sum(np.outer(layer.dz[:, j], layer.x[:, j]) for j in range(m))
        np.testing.assert_allclose(layer.dW, outer_products / m, rtol=1e-13)
        np.testing.assert_allclose(layer.db, layer.dz.sum(axis=1) / m, rtol=1e-13)


def test_one_full_sgd_update_on_a_two_point_batch():
    cases = [by_hand(x, label) for x, label in POINTS]
    model = two_two_two_net()
    trainer = Trainer(model, optimizer=SGD(ALPHA))
    rec = trainer.update(np.array([x for x, _ in POINTS]), np.array([lab for _, lab in POINTS]))
    assert math.isclose(rec.loss, (cases[0]["loss"] + cases[1]["loss"]) / 2, rel_tol=1e-14)
    # W ← W − α ∂L/∂W with the batch gradient averaged over the m = 2 points
    np.testing.assert_allclose(model.layers[0].W, np.array(W1) - ALPHA * mean_of("dW1", cases), rtol=1e-13)
    np.testing.assert_allclose(model.layers[0].b, np.array(B1) - ALPHA * mean_of("db1", cases), rtol=1e-13)
    np.testing.assert_allclose(model.layers[1].W, np.array(W2) - ALPHA * mean_of("dW2", cases), rtol=1e-13)
    np.testing.assert_allclose(model.layers[1].b, np.array(B2) - ALPHA * mean_of("db2", cases), rtol=1e-13)
    assert rec.accuracy == sum(np.argmax(c["p"]) == lab for c, (_, lab) in zip(cases, POINTS)) / 2


def test_backward_sequence_follows_the_lecture_order():
    model = Sequential(2, [Dense(3, "tanh"), Dense(3, "tanh"), Dense(2, "softmax")], seed=0)
    rec = Trainer(model).gradients(np.ones((2, 2)), np.array([0, 1]))
    names = [name for name, _ in rec.backward_sequence(model.dense_names())]
    assert names == ["dzᵒ", "dWᵒ", "dbᵒ", "dh²", "dz²", "dW²", "db²",
                     "dh¹", "dz¹", "dW¹", "db¹"]


def test_mse_has_keras_semantics_mean_over_outputs_no_half():
    model = Sequential(1, [Dense(2)], seed=0)
    model.layers[0].W[:] = [[1.0], [2.0]]
    rec = Trainer(model, "mse").gradients(np.array([[1.0], [2.0]]), np.array([[0.0, 0.0], [1.0, 1.0]]))
    # outputs (1, 2) and (2, 4); squared errors 1, 4 and 1, 9 → per point 2.5 and 5 → mean 3.75
    assert rec.loss == 3.75
