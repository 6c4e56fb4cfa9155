"""Where the lecture says something other than Keras: its dropout α and element-wise
mask, its batch-norm test statistics, text and colour inputs, leaky ReLU's α and the
truncated initialisers."""

import numpy as np
import pytest

from nnviz.engine import (BatchNorm, Config, ConfigError, Dense, Dropout, Embedding, Sequential, Trainer,
                          TrainingRun, make_dataset)
from nnviz.engine.colour_shapes import flatten, unflatten
from nnviz.engine.initializers import TRUNCATED_STD, glorot_normal, he_normal
from nnviz.engine.layers.dropout import kept_count
from nnviz.engine.words import VOCABULARY, one_hot

from .gradcheck import check_network_gradients


def lecture_net(mode, rate=0.34, seed=0):
    """The lecture's 4×3 example: 3 units, then a Dense layer of 4 (W is 4×3)."""
    return Sequential(2, [Dense(3, "tanh"), Dropout(rate, mode=mode), Dense(4, "tanh"), Dense(2, "softmax")],
                      seed=seed)


def batch(m=16, d=2, seed=0, classes=2):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, d)), rng.integers(0, classes, m)


# -- dropout as the lecture draws it ---------------------------------------------------------
def test_the_lecture_alpha_has_exactly_two_ones_of_three_for_q_066():
    trainer = Trainer(lecture_net("column"), seed=1)
    for _ in range(50):
        drop = trainer.gradients(*batch()).layers[1]
        assert drop.mask.shape == (3, 1) and drop.mask.dtype == bool
        assert drop.mask.sum() == 2  # "if q is 0.66 the α vector will have two 1s and one 0"


def test_alpha_zeroes_whole_columns_of_the_next_W_for_the_whole_batch():
    model = lecture_net("column")
    rec = Trainer(model, seed=2).gradients(*batch())
    drop, dense = rec.layers[1], rec.layers[2]
    alpha = drop.mask[:, 0]
    q = drop.keep_prob
    assert q == pytest.approx(0.66)
    np.testing.assert_array_equal(dense.W_applied, dense.W * (alpha[None, :] * (1 / q)))
    np.testing.assert_allclose(dense.z, dense.W @ (drop.x * alpha[:, None] / q) + dense.b[:, None])
    np.testing.assert_array_equal(dense.dW[:, ~alpha], 0.0)  # dropped columns get no gradient
    assert np.all(dense.dW[:, alpha] != 0.0)
    np.testing.assert_array_equal(drop.h, drop.x)  # the mask acts on W, not on h


def test_the_element_wise_mask_keeps_exactly_a_share_q_of_W():
    trainer = Trainer(lecture_net("connection"), seed=3)
    for _ in range(50):
        rec = trainer.gradients(*batch())
        mask = rec.layers[1].mask
        assert mask.shape == (4, 3) and mask.sum() == 8  # round(0.66·12) = 8, not a Bernoulli count
        np.testing.assert_array_equal(rec.layers[2].dW[~mask], 0.0)


@pytest.mark.parametrize("q, size, kept", [(0.66, 3, 2), (0.66, 12, 8), (0.5, 5, 3), (0.01, 4, 1),
                                           (0.99, 3, 3), (0.5, 1, 1)])
def test_kept_counts_round_halves_up_and_keep_at_least_one(q, size, kept):
    assert kept_count(q, size) == kept


def test_a_new_alpha_every_minibatch_from_the_seeded_generator():
    trainer = Trainer(lecture_net("column", rate=0.5), seed=4)
    masks = {tuple(trainer.gradients(*batch()).layers[1].mask[:, 0]) for _ in range(40)}
    assert len(masks) == 3  # every choice of 2 of 3 units (round(1.5) = 2) turns up


@pytest.mark.parametrize("mode", ["column", "connection"])
def test_exact_masks_with_finite_differences(mode):
    X, y = batch(m=8, d=3, classes=3)
    model = Sequential(3, [Dense(5, "tanh"), Dropout(0.4, mode=mode), Dense(4, "relu"), Dense(3, "softmax")],
                       seed=8)
    check_network_gradients(Trainer(model), X, y)


def test_column_dropout_must_be_followed_by_dense():
    hidden = [{"type": "Dense", "units": 3}, {"type": "Dropout", "rate": 0.3, "mode": "column"},
              {"type": "BatchNorm"}]
    with pytest.raises(ConfigError, match=r"network.hidden\[1\].mode.*'column' Dropout masks the weights"):
        Config.from_dict({"network": {"hidden": hidden}})
    with pytest.raises(ValueError, match="which must be Dense"):
        Sequential(2, [Dense(4), Dropout(0.5, mode="column"), BatchNorm(), Dense(2, "softmax")])


# -- batch norm at test time --------------------------------------------------------------------
def bn_trainer(inference, seed=0):
    model = Sequential(2, [Dense(3, "tanh"), BatchNorm(inference=inference), Dense(2, "softmax")], seed=seed)
    X, y = batch(m=40, seed=seed)
    trainer = Trainer(model, batch_size=12, seed=seed)  # 4 batches an epoch, the last one of 4 points
    trainer.set_data(X, y)
    return trainer, X


def test_batch_average_prediction_matches_a_hand_computation_from_the_records():
    trainer, X = bn_trainer("batch_average")
    trainer.run_epoch()
    records = []
    for _ in range(trainer.updates_per_epoch):
        records.append(trainer.step().layers[1])  # the second epoch, batch by batch
    assert trainer.epoch_finished
    mu = np.mean([r.mean for r in records], axis=0)  # the average of the batches' μ
    sigma = np.mean([np.sqrt(r.var) for r in records], axis=0)  # … and of their σ
    layer = trainer.model.layers
    z1 = layer[0].W @ X.T + layer[0].b[:, None]
    h1 = np.tanh(z1)
    bn = layer[1].gamma[:, None] * (h1 - mu[:, None]) / np.sqrt(sigma[:, None] ** 2 + 0.001) + layer[1].beta[:, None]
    z = layer[2].W @ bn + layer[2].b[:, None]
    p = np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=0)
    np.testing.assert_allclose(trainer.model.predict(X), p.T, rtol=1e-12)
    # the moving averages give another prediction
    moving = trainer.model.layers[1].inference_statistics("moving_average")
    assert not np.allclose(moving[0], mu)


def test_during_the_first_epoch_the_batches_so_far_are_averaged():
    trainer, X = bn_trainer("batch_average")
    first, second = trainer.step().layers[1], trainer.step().layers[1]
    mean, std = trainer.model.layers[1].batch_average_statistics()
    np.testing.assert_allclose(mean, (first.mean + second.mean) / 2, rtol=1e-14)
    np.testing.assert_allclose(std, (np.sqrt(first.var) + np.sqrt(second.var)) / 2, rtol=1e-14)
    fresh = Sequential(2, [Dense(3), BatchNorm(inference="batch_average"), Dense(2, "softmax")])
    mean, std = fresh.layers[1].batch_average_statistics()
    np.testing.assert_array_equal(mean, 0.0) and np.testing.assert_array_equal(std, 1.0)


def test_the_moving_average_mode_is_keras_and_keeps_the_batch_averages_too():
    trainer, X = bn_trainer("moving_average")
    trainer.run_epoch()
    layer = trainer.model.layers[1]
    rec = trainer.model.forward(X.T)[1]
    np.testing.assert_array_equal(rec.mean, layer.moving_mean)
    assert layer.average_batches[0] == 4


def test_batch_averages_are_exact_under_rewinding():
    config = Config.from_dict({"data": {"n": 60, "noise": 0.1},
                               "network": {"hidden": [{"type": "Dense", "units": 4, "activation": "linear"},
                                                      {"type": "BatchNorm", "inference": "batch_average"},
                                                      {"type": "Activation", "activation": "relu"}]},
                               "training": {"batch_size": 7}})
    run = TrainingRun(config)
    run.tape.every = run.tape.fixed_every = 4  # checkpoints in the middle of epochs
    for _ in range(23):
        run.update()
    layer = run.model.layers[1]
    wanted = {name: array.copy() for name, array in layer.state_arrays.items()}
    predicted = run.model.predict(run._X_test)
    run.seek(9)
    run.seek(23)
    for name, array in layer.state_arrays.items():
        np.testing.assert_array_equal(array, wanted[name], err_msg=name)
    np.testing.assert_array_equal(run.model.predict(run._X_test), predicted)


def test_the_run_records_the_test_loss_under_both_statistics():
    config = Config.from_dict({"data": {"n": 60},
                               "network": {"hidden": [{"type": "Dense", "units": 4},
                                                      {"type": "BatchNorm", "inference": "batch_average"}]}})
    run = TrainingRun(config)
    run.train(12)
    h = run.snapshot().history
    moving, average = h.get("test_loss_moving_average")[-1], h.get("test_loss_batch_average")[-1]
    assert np.isfinite(moving) and np.isfinite(average) and moving != average
    assert h.test_loss[-1] == pytest.approx(average)  # the layer's own choice is the test loss
    assert h.get("bn_average_std/1").shape[1] == 4


# -- text: an embedding is a bias-free Dense layer on one-hot vectors -----------------------------
def test_embedding_is_W_times_one_hot():
    ids = np.array([[3.0], [0.0], [31.0], [3.0]])
    embedding = Sequential(1, [Embedding(32, 2), Dense(2, "softmax")], seed=0)
    E = embedding.layers[0].W
    assert E.shape == (2, 32)
    rec = embedding.forward(ids.T, training=True)[0]
    np.testing.assert_array_equal(rec.h, E @ one_hot(ids).T)
    np.testing.assert_array_equal(rec.h[:, 0], E[:, 3])


def test_embedding_gradient_is_the_dense_gradient_on_one_hot_inputs():
    ids, y = np.array([[3.0], [0.0], [5.0], [3.0], [1.0]]), np.array([0, 1, 1, 0, 1])
    embedded = Sequential(1, [Embedding(6, 2), Dense(3, "tanh"), Dense(2, "softmax")], seed=1)
    dense = Sequential(6, [Dense(2, kernel_initializer="zeros"), Dense(3, "tanh"), Dense(2, "softmax")], seed=1)
    dense.layers[0].W = embedded.layers[0].W.copy()
    dense.layers[1].W, dense.layers[2].W = embedded.layers[1].W.copy(), embedded.layers[2].W.copy()
    a = Trainer(embedded).gradients(ids, y)
    b = Trainer(dense).gradients(one_hot(ids, 6), y)
    np.testing.assert_allclose(a.layers[0].dW, b.layers[0].dW, rtol=1e-13, atol=1e-16)
    np.testing.assert_array_equal(a.layers[0].dW[:, [2, 4]], 0.0)  # words the batch does not hold
    assert a.loss == pytest.approx(b.loss, rel=1e-14)


def test_embedding_finite_differences():
    ids, y = np.array([[3.0], [0.0], [5.0], [3.0], [1.0], [2.0]]), np.array([0, 1, 2, 0, 1, 2])
    model = Sequential(1, [Embedding(6, 3), Dense(4, "tanh"), Dense(3, "softmax")], seed=2)
    model.layers[0].W = model.layers[0].W * 20  # away from ±0.05, where every gradient is tiny
    check_network_gradients(Trainer(model), ids, y)


def test_token_ids_are_checked():
    model = Sequential(1, [Embedding(4, 2), Dense(2, "softmax")])
    with pytest.raises(ValueError, match=r"token ids 0 … 3. Received: values from 0 to 4"):
        model.predict(np.array([[0.0], [4.0]]))
    with pytest.raises(ValueError, match="only as the first layer"):
        Sequential(2, [Dense(3), Embedding(4, 2), Dense(2, "softmax")])


def test_the_words_data_set_and_its_two_encodings():
    data = make_dataset("words", n=200, noise=0.0, seed=1, test_ratio=0.25)
    assert data.X_train.shape == (150, 1) and data.vocabulary == VOCABULARY and len(VOCABULARY) == 32
    ids = data.X_train[:, 0].astype(int)
    np.testing.assert_array_equal(data.y_train, np.asarray(data.word_classes)[ids])  # no noise: the category
    again = make_dataset("words", n=200, noise=0.0, seed=1, test_ratio=0.25)
    np.testing.assert_array_equal(again.X_train, data.X_train)
    onehot = TrainingRun(Config.from_dict({"data": {"dataset": "words"}, "network": {"hidden": [
        {"type": "Dense", "units": 8}]}}))
    embedded = TrainingRun(Config.from_dict({"data": {"dataset": "words"}, "network": {"hidden": [
        {"type": "Embedding", "dim": 2}, {"type": "Dense", "units": 8}]}}))
    assert onehot.model.layers[0].W.shape == (8, 32) and onehot._X_train.shape[1] == 32
    assert embedded.model.layers[0].W.shape == (2, 32) and embedded._X_train.shape[1] == 1
    # |V|·n + n against |V|·d + d·n + n, the lecture's comparison (here n = 8, d = 2)
    assert onehot.model.layers[0].parameter_count() == 32 * 8 + 8
    assert embedded.model.layers[0].parameter_count() + embedded.model.layers[1].parameter_count() == 32 * 2 + 2 * 8 + 8


def test_an_embedding_needs_text_and_must_come_first():
    with pytest.raises(ConfigError, match=r"hidden\[0\].type: an Embedding needs text data"):
        Config.from_dict({"network": {"hidden": [{"type": "Embedding", "dim": 2}]}})
    with pytest.raises(ConfigError, match=r"hidden\[1\].type: an Embedding reads token ids"):
        Config.from_dict({"data": {"dataset": "words"}, "network": {"hidden": [
            {"type": "Dense", "units": 3}, {"type": "Embedding", "dim": 2}]}})


def test_the_embedded_words_move_apart_by_category():
    run = TrainingRun(Config.from_dict({
        "data": {"dataset": "words", "n": 320, "seed": 0},
        "network": {"hidden": [{"type": "Embedding", "dim": 2}, {"type": "Dense", "units": 8}]},
        "training": {"optimizer": "adam", "learning_rate": 0.03, "batch_size": 16}}))
    for _ in range(20):
        run.epoch()
    E, classes = run.model.layers[0].W, np.asarray(run.dataset.word_classes)
    centres = np.stack([E[:, classes == k].mean(axis=1) for k in range(4)])
    within = np.mean([np.linalg.norm(E[:, classes == k] - centres[k][:, None], axis=0).mean() for k in range(4)])
    between = np.mean([np.linalg.norm(a - b) for i, a in enumerate(centres) for b in centres[i + 1:]])
    assert between > 3 * within
    run.evaluate()
    assert run.history.view().test_acc[-1] == 1.0


# -- colour images ----------------------------------------------------------------------------------
def test_rgb_images_are_flattened_channels_last_row_after_row():
    images = np.arange(2 * 18 * 18 * 3, dtype=float).reshape(2, 18, 18, 3)
    X = flatten(images)
    assert X.shape == (2, 972)  # the lecture's 18×18×3
    r, c, k = 4, 7, 2
    assert X[1, (r * 18 + c) * 3 + k] == images[1, r, c, k]
    np.testing.assert_array_equal(unflatten(X), images)


def test_the_colour_shapes_set_and_the_lecture_first_layer():
    data = make_dataset("colour_shapes", n=80, noise=0.1, seed=2, test_ratio=0.25)
    assert data.image_shape == (18, 18, 3) and data.X_train.shape == (60, 972) and data.n_classes == 4
    assert 0.0 <= data.X_train.min() and data.X_train.max() <= 1.0
    again = make_dataset("colour_shapes", n=80, noise=0.1, seed=2, test_ratio=0.25)
    np.testing.assert_array_equal(again.X_test, data.X_test)
    run = TrainingRun(Config.from_dict({"data": {"dataset": "colour_shapes", "n": 80},
                                        "network": {"hidden": [{"type": "Dense", "units": 20, "activation": "relu"}]}}))
    assert run.model.layers[0].W.shape == (20, 972)  # 972×20 weights and 20 biases
    assert run.model.layers[0].parameter_count() == 972 * 20 + 20


# -- leaky ReLU's α and the truncated normal initialisers ---------------------------------------------
def test_leaky_relu_slope_is_a_layer_field():
    config = Config.from_dict({"network": {"hidden": [{"type": "Dense", "units": 3, "activation": "leaky_relu",
                                                       "negative_slope": 0.05}]}})
    assert config.network.hidden[0]["negative_slope"] == 0.05
    _, model, trainer = config.build()
    assert model.layers[0].activation.negative_slope == 0.05
    z = np.array([[-2.0, 3.0]])
    np.testing.assert_array_equal(model.layers[0].activation.derivative(z, None), [[0.05, 1.0]])
    with pytest.raises(ConfigError, match="negative_slope"):
        Config.from_dict({"network": {"hidden": [{"type": "Dense", "units": 3, "negative_slope": 1.5}]}})


def test_leaky_relu_slope_gradient_by_finite_differences():
    X, y = batch(m=7, d=3, classes=3)
    model = Sequential(3, [Dense(5, {"name": "leaky_relu", "negative_slope": 0.05}),
                           Dense(3, "softmax")], seed=3)
    check_network_gradients(Trainer(model), X, y)


@pytest.mark.parametrize("initializer, std", [(glorot_normal, np.sqrt(2 / (300 + 200))),
                                               (he_normal, np.sqrt(2 / 300))])
def test_normal_initialisers_are_truncated_at_two_sigma_as_keras(initializer, std):
    W = initializer((200, 300), np.random.default_rng(0))
    assert np.abs(W).max() <= 2 * std / TRUNCATED_STD  # never beyond 2σ of the untruncated normal
    assert W.std() == pytest.approx(std, rel=0.01)  # the std asked for, after truncation
    assert np.abs(W).max() > 1.9 * std / TRUNCATED_STD


# -- the lessons' own settings ------------------------------------------------------------------------
def trained_lesson(name, epochs):
    from nnviz.lessons import load_lesson

    run = TrainingRun(load_lesson(name).config)
    for _ in range(epochs):
        run.epoch()
    run.evaluate()
    return run, run.history.view()


def test_the_images_lesson_passes_95_percent_within_5_epochs():
    _, history = trained_lesson("images", 5)  # as `nnviz train images --epochs 5`, seeds fixed by the lesson
    assert history.test_acc[-1] >= 0.95


def test_the_colour_images_lesson_learns_colour_and_shape():
    run, history = trained_lesson("colour-images", 6)
    assert run.model.layers[0].W.shape == (20, 972) and history.test_acc[-1] >= 0.95


def test_the_batchnorm_lesson_compares_the_two_test_statistics():
    from nnviz.lessons import load_lesson

    lesson = load_lesson("batchnorm")
    compare = lesson.steps[2].apply(lesson.config)
    assert {spec["inference"] for spec in compare.network.hidden if spec.type == "BatchNorm"} == {"batch_average"}
    shapes = {spec["units"] for spec in lesson.config.network.hidden if spec.type == "Dense"}
    assert shapes == {5}  # the lecture's (5, m) example


def test_the_dropout_lesson_uses_all_three_modes():
    from nnviz.lessons import load_lesson

    lesson = load_lesson("dropout")
    modes = {spec["mode"] for config in [lesson.config] + [s.apply(lesson.config) for s in lesson.steps]
             for spec in config.network.hidden if spec.type == "Dropout"}
    assert modes == {"neuron", "column", "connection"}
