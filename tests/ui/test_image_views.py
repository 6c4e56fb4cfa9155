"""The image views show the record's values on the bundled digits."""

import numpy as np
import pytest

from nnviz.engine.config import Config
from nnviz.ui.views import VIEWS
from nnviz.ui.views.confusion import ConfusionView, confusion_matrix
from nnviz.ui.views.first_layer import FirstLayerView
from nnviz.ui.views.image_samples import ImageSamplesView

from .snapshots import snapshot_after, shown

DIGITS = Config.from_dict({"data": {"dataset": "digits", "test_ratio": 0.3, "seed": 0},
                           "network": {"hidden": [{"type": "Dense", "units": 12, "activation": "relu"},
                                                  {"type": "Dense", "units": 8, "activation": "tanh"}],
                                       "initializer": "he_uniform"},
                           "training": {"learning_rate": 0.1, "batch_size": 32}})


@pytest.fixture(scope="module")
def digits():
    return snapshot_after(DIGITS, updates=30, evaluations=2)[1]




def test_first_layer_weight_images_are_the_rows_of_W1(qtbot, digits):
    view = shown(qtbot, FirstLayerView, digits)
    W = digits.param(0, "W")
    images = view.rows_as_images(digits)
    assert images.shape == (12, 8, 8)
    np.testing.assert_array_equal(images[3].ravel(), W[3])
    tile = view.image.image[0:8, 9:17]  # the mosaic's second tile, first line
    np.testing.assert_array_equal(tile, W[1].reshape(8, 8))


def test_samples_show_true_predicted_and_p(qtbot, digits):
    view = shown(qtbot, ImageSamplesView, digits)
    p = digits.test_proba[:16]
    np.testing.assert_allclose(view.bars.opts["height"], p.ravel())
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    first = view.labels[0].textItem.toPlainText()
    assert first == f"{digits.dataset.y_test[0]}→{p[0].argmax()}"
    top = view._label_line(8)  # the labels' line above the first tiles
    np.testing.assert_array_equal(view.image.image[top:top + 8, 0:8], digits.dataset.X_test[0].reshape(8, 8))
    # the second line of tiles starts a label's line below the first one
    np.testing.assert_array_equal(view.image.image[2 * top + 8:2 * top + 16, 0:8], digits.dataset.X_test[8].reshape(8, 8))


def test_confusion_matrix_counts(qtbot, digits):
    view = shown(qtbot, ConfusionView, digits)
    expected = confusion_matrix(digits.dataset.y_test, digits.test_pred, 10)
    np.testing.assert_array_equal(view.matrix, expected)
    assert expected.sum() == len(digits.dataset.y_test)
    assert confusion_matrix([0, 1, 1], [0, 0, 1], 2).tolist() == [[1, 0], [1, 1]]


def test_confusion_counts_and_labels_only_where_they_fit(qtbot, digits):
    """A short dock made the 10 × 10 matrix ~90 px: its counts and class labels were
    drawn on top of each other. Small: colours and every few labels; large: all of it."""
    view = shown(qtbot, ConfusionView, digits, size=(900, 170))
    qtbot.waitUntil(lambda: view._cell_px() > 0 and not any(item.isVisible() for item in view.counts))
    assert "Enlarge the view" in view.caption.text()
    labels = [label for _pos, label in view.plot.getAxis("left")._tickLevels[0]]
    assert 1 < len(labels) < 10 and labels[0] == "0"
    view.resize(900, 700)
    qtbot.waitUntil(lambda: all(item.isVisible() for item in view.counts))
    assert len(view.plot.getAxis("bottom")._tickLevels[0]) == 10
    assert "Enlarge" not in view.caption.text()


@pytest.mark.parametrize("view_class", VIEWS)
def test_every_view_survives_image_data(qtbot, view_class, digits):
    view = shown(qtbot, view_class, digits)
    assert view.drawn is digits, f"{view.view_id} did not draw the snapshot"
    drawn = view.redraws
    view.set_selection((0, 2))
    assert view.redraws == drawn + 1 and view.drawn is digits


def test_the_graph_collapses_the_image_input_into_one_node(qtbot, digits):
    from nnviz.ui.views.network_graph import NetworkGraphView

    view = shown(qtbot, NetworkGraphView, digits)
    assert view._sizes == [1, 12, 8, 10]
    assert "64 pixels" in view._labels[0].textItem.toPlainText()
    edges = sum(len(item.getData()[0]) // 2 for item in view._edge_items.values())
    assert edges == 1 * 12 + 12 * 8 + 8 * 10


def test_digits_reach_ninety_percent_headless():
    config = Config.from_dict({"data": {"dataset": "digits", "test_ratio": 0.3, "seed": 0},
                               "network": {"hidden": [{"type": "Dense", "units": 32, "activation": "relu"}],
                                           "initializer": "he_uniform"},
                               "training": {"learning_rate": 0.1, "batch_size": 32}})
    worker, _ = snapshot_after(config, updates=0)
    for _ in range(15):
        worker.trainer.run_epoch()
    loss, accuracy = worker.trainer.evaluate(worker._X_test, worker.dataset.y_test)
    assert accuracy > 0.9


def test_image_to_vector_lays_the_rows_end_to_end(qtbot, digits):
    from nnviz.ui.views.image_vector import ImageVectorView

    view = shown(qtbot, ImageVectorView, digits)
    view.which.setValue(3)
    x = digits.dataset.X_test[2]
    np.testing.assert_array_equal(view.image.image, x.reshape(8, 8))
    np.testing.assert_array_equal(view.vector.image[:, 0], x)
    np.testing.assert_array_equal(view.vector.image[8:16, 0], view.image.image[1])  # row 2 follows row 1
    assert "64 numbers" in view.caption.text()


def test_inputs_view_one_hot_and_embedding(qtbot, digits):
    from nnviz.ui.views.inputs import EMBEDDING, VOCABULARY, InputsView, one_hot

    view = shown(qtbot, InputsView, digits)
    view.word.setCurrentText("dog")
    assert one_hot("dog").sum() == 1 and one_hot("dog")[VOCABULARY.index("dog")] == 1
    np.testing.assert_array_equal(view.onehot.opts["height"], one_hot("dog"))
    np.testing.assert_array_equal(view.embedding.opts["height"], EMBEDDING[VOCABULARY.index("dog")])
    assert "324 inputs" in view.images.text() and "972" in view.images.text() and "64 inputs" in view.images.text()


@pytest.mark.parametrize("classes", [3, 20, 200, 1000])
def test_many_classes_draw_one_capped_image_and_numbers_only_when_few(qtbot, classes):
    """200 classes froze the view for 20 s at 1.5 GB (40,000 text items); 1,000 never finished."""
    from types import SimpleNamespace

    from nnviz.ui.views import confusion

    rng = np.random.default_rng(0)
    y = rng.integers(0, classes, 5000)
    pred = np.where(rng.random(5000) < 0.7, y, rng.integers(0, classes, 5000))
    snap = SimpleNamespace(regression=False, test_pred=pred, playing=False,
                           dataset=SimpleNamespace(n_classes=classes, y_test=y))
    view = ConfusionView()
    qtbot.addWidget(view)
    view.show()
    view.set_snapshot(snap)
    drawn = min(classes, confusion.MAX_DRAWN)
    assert view.matrix.shape == (classes, classes) and view.matrix.sum() == 5000
    assert view.image.image.shape == (drawn, drawn)
    assert len(view.counts) == (drawn * drawn if drawn <= confusion.MAX_COUNTS else 0)
    ticks = view.plot.getAxis("bottom")._tickLevels[0]
    assert len(ticks) <= confusion.MAX_TICKS
    assert (f"of {classes:,} drawn" in view.caption.text()) == (classes > confusion.MAX_DRAWN)
    header, rows = view.export_tables()["confusion"]
    assert len(header) == classes + 1 and len(rows) == classes


def test_image_samples_count_images_from_1_under_their_bars(qtbot, digits):
    """The caption said "Test images 1–16" above a bar axis numbered 0–15."""
    from nnviz.ui.views.image_samples import ImageSamplesView

    view = shown(qtbot, ImageSamplesView, digits)
    ticks = view.bars_plot.getAxis("bottom")._tickLevels[0]
    assert ticks[0] == (0.5, "1")  # image 1's bars span [0, 1)
    assert "1–16" in view.caption.text() and all(int(text) >= 1 for _, text in ticks)


def test_inputs_view_keeps_its_bars_readable_for_the_words(qtbot):
    """The words' 32 feature names took three lines (bars 30 px high), two embedding
    components were ticked "0, 0.5, 1.0", and a learnt vector within ±0.5 drew flat on ±1.5."""
    from nnviz.lessons import load_lesson
    from nnviz.ui.views.inputs import InputsView

    _, words = snapshot_after(load_lesson("words").config, updates=5)
    view = shown(qtbot, InputsView, words)
    assert "…" in view.images.text() and "river" not in view.images.text()
    assert [text for _, text in view.embedding_plot.getAxis("bottom")._tickLevels[0]] == ["1", "2"]
    _, (low, high) = view.embedding_plot.vb.targetRange()
    vector = view.embedding_of(view.word.currentText())
    assert high <= 1.25 * max(0.05, 1.1 * float(np.abs(vector).max()))  # with the range's padding


def test_confusion_matrix_sits_beside_its_axis_in_a_wide_dock(qtbot, digits):
    """Centred in a wide, short plot, the 10 × 10 matrix sat a third of the view away
    from its "true class" labels."""
    view = shown(qtbot, ConfusionView, digits, size=(980, 230))
    box = view.plot.getViewBox()
    qtbot.waitUntil(lambda: box.width() > 3 * box.height() > 0)
    view._place()
    (x0, x1), _ = box.viewRange()
    assert 0 < -x0 * box.width() / (x1 - x0) <= 20  # column 0 within 20 px of the axis
