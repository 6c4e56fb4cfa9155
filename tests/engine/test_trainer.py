"""The epoch schedule, checkpoints, live hyper-parameters and argument errors."""

import numpy as np
import pytest

from nnviz.engine import SGD, Adam, BatchNorm, Dense, Dropout, NonFiniteError, Sequential, Trainer, make_dataset


def small_trainer(seed=0, optimizer=None, layers=None, **kw):
    data = make_dataset("spiral", n=53, noise=0.1, seed=seed, test_ratio=0.0)
    layers = layers or [Dense(8, "tanh"), Dense(8, "tanh"), Dense(2, "softmax")]
    model = Sequential(2, layers, seed=seed)
    trainer = Trainer(model, optimizer=optimizer or SGD(0.1), batch_size=10, seed=seed, **kw)
    trainer.set_data(data.X_train, data.y_train)
    return trainer


def test_an_epoch_visits_every_point_once_with_a_partial_last_batch():
    trainer = small_trainer()
    seen, sizes = [], []
    while True:
        rec = trainer.step()
        seen.extend(rec.batch_indices.tolist())
        sizes.append(rec.batch_indices.size)
        if len(seen) == 53:
            break
    assert sorted(seen) == list(range(53))
    assert sizes == [10, 10, 10, 10, 10, 3]
    assert {rec.epoch} == {0}
    assert trainer.step().epoch == 1


def test_every_epoch_is_reshuffled():
    trainer = small_trainer()
    orders = []
    for _ in range(3):
        trainer.run_epoch()
        orders.append(trainer._perm.copy())
    assert not np.array_equal(orders[0], orders[1])
    assert not np.array_equal(orders[1], orders[2])
    assert trainer.steps_done == 3 * trainer.updates_per_epoch


def losses_of(trainer, n):
    return [trainer.step().loss for _ in range(n)]


@pytest.mark.parametrize("optimizer", [lambda: SGD(0.1), lambda: SGD(0.05, momentum=0.9, nesterov=True),
                                       lambda: Adam(0.01)])
def test_restoring_a_checkpoint_reproduces_the_run_bit_for_bit(optimizer):
    layers = [Dense(8, "relu"), BatchNorm(), Dropout(0.3), Dense(8, "tanh"), Dropout(0.2, "connection"),
              Dense(2, "softmax")]
    trainer = small_trainer(optimizer=optimizer(), layers=layers, l2=0.001)
    losses_of(trainer, 8)  # mid-epoch, so the permutation and position matter
    saved = trainer.state()
    first = losses_of(trainer, 20)
    params_after = [p.copy() for _, _, p in trainer.model.parameters()]
    trainer.restore(saved)
    again = losses_of(trainer, 20)
    assert first == again
    for (_, _, p), q in zip(trainer.model.parameters(), params_after):
        np.testing.assert_array_equal(p, q)


def test_hyper_parameters_change_between_updates_without_reset():
    trainer = small_trainer(optimizer=SGD(0.1, momentum=0.9))
    losses_of(trainer, 4)
    velocity = [v.copy() for v in trainer.optimizer.velocities]
    trainer.learning_rate = 0.5
    trainer.batch_size = 4
    trainer.l2 = 0.01
    rec = trainer.step()
    assert rec.learning_rate == 0.5 and rec.batch_indices.size == 4 and rec.penalty > 0
    assert trainer.steps_done == 5
    assert any(not np.array_equal(a, b) for a, b in zip(velocity, trainer.optimizer.velocities))


def test_float32_trains_in_float32():
    data = make_dataset("circle", n=100, seed=0)
    model = Sequential(2, [Dense(8, "tanh"), Dense(2, "softmax")], seed=0, dtype="float32")
    trainer = Trainer(model, optimizer=SGD(0.1))
    trainer.set_data(data.X_train, data.y_train)
    rec = trainer.run_epoch()
    assert model.layers[0].W.dtype == np.float32 and rec.layers[0].dz.dtype == np.float32


def test_training_learns_the_circle():
    data = make_dataset("circle", n=400, noise=0.0, seed=1)
    model = Sequential(2, [Dense(8, "tanh"), Dense(8, "tanh"), Dense(2, "softmax")], seed=0)
    trainer = Trainer(model, optimizer=SGD(0.1), batch_size=10)
    trainer.set_data(data.X_train, data.y_train)
    for _ in range(40):
        trainer.run_epoch()
    _, accuracy = trainer.evaluate(data.X_test, data.y_test)
    assert accuracy > 0.95


def test_divergence_stops_before_the_bad_update():
    data = make_dataset("plane", n=100, seed=0)
    model = Sequential(2, [Dense(8, "relu"), Dense(8, "relu"), Dense(1)], seed=0)
    trainer = Trainer(model, "mse", optimizer=SGD(10.0), batch_size=10)
    trainer.set_data(data.X_train, data.y_train)
    with pytest.raises(NonFiniteError) as info:
        for _ in range(2000):
            trainer.step()
    err = info.value
    assert err.quantity in ("loss", "dW¹", "dW²", "dWᵒ") or err.quantity.startswith("W")
    if not err.applied:
        for _, _, p in trainer.model.parameters():
            assert np.isfinite(p).all()
    assert f"Update {err.step + 1}" in str(err)


@pytest.mark.parametrize("kwargs, message", [
    ({"batch_size": 0}, "Expected batch_size >= 1. Received: batch_size=0"),
    ({"batch_size": 2.5}, "Expected batch_size to be an integer. Received: batch_size=2.5"),
    ({"l2": -1.0}, "Expected l2 >= 0. Received: l2=-1.0"),
    ({"loss": "hinge"}, "Unknown loss"),
])
def test_bad_trainer_arguments_name_the_argument(kwargs, message):
    model = Sequential(2, [Dense(2, "softmax")])
    with pytest.raises((ValueError, TypeError), match=message.replace("(", r"\(").replace(")", r"\)")):
        Trainer(model, **kwargs)


@pytest.mark.parametrize("make, message", [
    (lambda: Dense(0), "Expected units >= 1. Received: units=0"),
    (lambda: Dense(3, activation="swish"), "Received: activation='swish'"),
    (lambda: SGD(learning_rate=0), "Expected learning_rate > 0. Received: learning_rate=0"),
    (lambda: Dropout(1.5), "Expected 0 <= rate < 1. Received: rate=1.5"),
    (lambda: Sequential(2, [Dense(2), Dropout(0.5)]), "last layer to be Dense"),
    (lambda: Sequential(2, [Dense(2, "softmax")], dtype="float16"), "dtype="),
])
def test_bad_layer_and_model_arguments(make, message):
    with pytest.raises((ValueError, TypeError), match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_shape_mismatches_say_which_shapes():
    model = Sequential(2, [Dense(2, "softmax")])
    trainer = Trainer(model)
    with pytest.raises(ValueError, match=r"Expected X of shape \(m, 2\). Received: X.shape=\(4, 3\)"):
        trainer.update(np.zeros((4, 3)), np.zeros(4, int))
    with pytest.raises(ValueError, match=r"X.shape=\(4, 2\), y with 3 labels"):
        trainer.update(np.zeros((4, 2)), np.zeros(3, int))
    with pytest.raises(ValueError, match="class labels in 0..1"):
        trainer.update(np.zeros((4, 2)), np.array([0, 1, 2, 0]))
    with pytest.raises(ValueError, match="softmax output"):
        Trainer(Sequential(2, [Dense(2, "tanh")]), loss="cross_entropy")


def test_predict_returns_rows_of_probabilities():
    model = Sequential(2, [Dense(4, "tanh"), Dense(3, "softmax")], seed=0)
    p = model.predict(np.random.default_rng(0).normal(size=(5, 2)))
    assert p.shape == (5, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert model.layers[0].W.shape == (4, 2) and model.layers[0].b.shape == (4,)


def run_phases(trainer):
    """Consume one update's phases; return (kinds, the StepRecord)."""
    gen = trainer.phases()
    kinds = []
    while True:
        try:
            kinds.append(next(gen).kind)
        except StopIteration as stop:
            return kinds, stop.value


@pytest.mark.parametrize("optimizer", [lambda: SGD(0.1, momentum=0.9), lambda: Adam(0.01)])
def test_phases_concatenated_equal_one_update_bit_for_bit(optimizer):
    layers = lambda: [Dense(6, "relu"), BatchNorm(), Dropout(0.3), Dense(5, "tanh"),  # noqa: E731
                      Dropout(0.2, "connection"), Dense(2, "softmax")]
    a = small_trainer(optimizer=optimizer(), layers=layers(), l1=0.001, l2=0.01)
    b = small_trainer(optimizer=optimizer(), layers=layers(), l1=0.001, l2=0.01)
    for _ in range(12):  # across an epoch boundary
        rec_a = a.step()
        kinds, rec_b = run_phases(b)
        assert rec_a.loss == rec_b.loss and rec_a.penalty == rec_b.penalty
        for la, lb in zip(rec_a.layers, rec_b.layers):
            for name in ("h", "dz", "dx", "dW"):
                x, y = getattr(la, name, None), getattr(lb, name, None)
                assert (x is None and y is None) or np.array_equal(x, y)
    for (_, _, p), (_, _, q) in zip(a.model.parameters(), b.model.parameters()):
        np.testing.assert_array_equal(p, q)
    assert kinds == ["forward"] * 6 + ["loss"] + ["backward"] * 6 + ["update"]
    assert a.steps_done == b.steps_done == 12


def test_phases_show_quantities_only_once_computed():
    trainer = small_trainer()
    gen = trainer.phases()
    first = next(gen)
    assert first.kind == "forward" and first.layer == 0 and first.layers[0].dz is None
    assert "z¹ = W¹·x + b¹" in first.label
    while (phase := next(gen)).kind != "loss":
        pass
    assert phase.layers[-1].dz is not None and phase.layers[0].dz is None and phase.record.loss > 0
    backward = next(gen)
    assert backward.kind == "backward" and backward.layer == 2 and backward.layers[2].dW is not None
    assert backward.layers[1].dW is None
    assert trainer.steps_done == 0


def test_records_keep_the_weights_their_update_used():
    trainer = small_trainer()
    W_before = trainer.model.layers[0].W.copy()
    rec = trainer.step()
    np.testing.assert_array_equal(rec.layers[0].W, W_before)  # untouched by the update
    assert not np.array_equal(trainer.model.layers[0].W, W_before)
    np.testing.assert_allclose(rec.layers[0].z, rec.layers[0].W @ rec.layers[0].x + rec.layers[0].b[:, None])


def test_binary_labels_in_one_column_are_read_as_labels_not_argmax():
    from nnviz.engine import Dense, Sequential, SGD, Trainer

    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    y = np.array([0, 1, 1, 0])
    results = []
    for labels in (y, y[:, None]):
        model = Sequential(2, [Dense(1, "sigmoid")], seed=0)
        trainer = Trainer(model, loss="binary_cross_entropy", optimizer=SGD(0.5), batch_size=4)
        rec = trainer.update(X, labels)
        results.append((rec.y.copy(), trainer.evaluate(X, labels), model.layers[0].W.copy()))
    (y1, eval1, W1), (y2, eval2, W2) = results
    assert np.array_equal(y1, y2) and np.array_equal(y1[0], y)
    assert eval1 == eval2 and np.array_equal(W1, W2)


def test_soft_targets_are_refused_with_a_clear_error():
    from nnviz.engine import Dense, Sequential, Trainer

    trainer = Trainer(Sequential(2, [Dense(2, "softmax")], seed=0), batch_size=2)
    with pytest.raises(ValueError, match="one-hot"):
        trainer.update(np.zeros((2, 2)), np.array([[0.3, 0.7], [1.0, 0.0]]))


def test_restore_refuses_the_epoch_order_of_another_training_set():
    """A session's permutation used to be taken as it was: the next step indexed past the data."""
    X = np.random.default_rng(0).normal(size=(12, 2))
    y = (X[:, 0] > 0).astype(int)
    trainer = Trainer(Sequential(2, [Dense(2, "softmax")], seed=0), optimizer=SGD(0.1), batch_size=4)
    trainer.set_data(X, y)
    trainer.step()
    state = trainer.state()
    order = trainer._perm
    for perm, pos in ((np.arange(20), 4), (order, 13), (order, -1)):  # an order given as such (old sessions)
        with pytest.raises(ValueError, match="perm|pos"):
            trainer.restore({**state, "epoch_rng": None, "perm": perm, "pos": pos})
    with pytest.raises(ValueError, match="pos"):  # an order drawn again from its generator state
        trainer.restore({**state, "pos": 13})
    trainer.restore(state)
