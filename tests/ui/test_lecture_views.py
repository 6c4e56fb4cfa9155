"""The views of the lecture's variants: dropout's α and element-wise mask in the
lecture's layout, batch norm's two test-time statistics, text through an embedding,
colour images by channel."""

import numpy as np
import pytest
import pyqtgraph as pg

from nnviz.engine import Config
from nnviz.ui.logic.inspector_text import inspect
from nnviz.ui.views import VIEWS
from nnviz.ui.views.batchnorm import BatchNormView
from nnviz.ui.views.dropout import DropoutView
from nnviz.ui.views.embedding import EmbeddingView
from nnviz.ui.views.first_layer import FirstLayerView
from nnviz.ui.views.image_vector import ImageVectorView
from nnviz.ui.views.network_graph import NetworkGraphView

from .snapshots import config_with, shown, snapshot_after

LECTURE_4x3 = [{"type": "Dense", "units": 3, "activation": "relu"}, {"type": "Dropout", "rate": 0.34, "mode": "column"},
               {"type": "Dense", "units": 4, "activation": "tanh"}]
WORDS = Config.from_dict({"data": {"dataset": "words", "n": 160},
                          "network": {"hidden": [{"type": "Embedding", "dim": 2},
                                                 {"type": "Dense", "units": 8, "activation": "tanh"}]},
                          "training": {"optimizer": "adam", "learning_rate": 0.03, "batch_size": 16}})
COLOUR = Config.from_dict({"data": {"dataset": "colour_shapes", "n": 80},
                           "network": {"hidden": [{"type": "Dense", "units": 20, "activation": "relu"}]},
                           "training": {"batch_size": 16}})


@pytest.fixture(scope="module")
def words():
    return snapshot_after(WORDS, updates=10, evaluations=2)[1]


@pytest.fixture(scope="module")
def colour():
    return snapshot_after(COLOUR, updates=3, evaluations=2)[1]


def test_the_column_mode_draws_W_alpha_and_W_times_alpha(qtbot):
    _, snap = snapshot_after(config_with(LECTURE_4x3), updates=3)
    view = shown(qtbot, DropoutView, snap)
    W, alpha = snap.record.layers[2].W, snap.record.layers[1].mask
    assert W.shape == (4, 3) and alpha.shape == (3, 1) and alpha.sum() == 2
    np.testing.assert_array_equal(view.shown["operand"], W)
    np.testing.assert_array_equal(view.shown["mask"], alpha)
    np.testing.assert_array_equal(view.shown["result"][:, ~alpha[:, 0]], 0.0)
    assert view.plots["mask"].titleLabel.text.startswith("α (3×1)")
    assert "exactly round(q·n) = 2 ones" in view.explanation.text() and "inference needs no change" in view.explanation.text()
    ticks = view.plots["operand"].getAxis("left")._tickLevels[0]
    assert [label for _, label in ticks] == ["1", "2", "3", "4"]  # neurons counted from 1
    view.inference.setChecked(True)
    np.testing.assert_array_equal(view.shown["result"], W)


def test_the_connection_mode_keeps_exactly_eight_of_twelve(qtbot):
    hidden = [dict(layer) for layer in LECTURE_4x3]
    hidden[1]["mode"] = "connection"
    _, snap = snapshot_after(config_with(hidden), updates=2)
    view = shown(qtbot, DropoutView, snap)
    assert view.shown["mask"].shape == (4, 3) and view.shown["mask"].sum() == 8
    assert "exactly round(q·12) = 8 of the 12 weights" in view.explanation.text()


def test_the_inspector_adds_up_with_alpha(qtbot):
    _, snap = snapshot_after(config_with(LECTURE_4x3), updates=2)
    text = inspect(snap, 2, 1, 0, digits=10)
    assert "(W²·diag(α)/q)[2,t]" in text and "dropout α" in text
    import re
    products = next(line for line in text.splitlines() if line.strip().startswith("=") and "·" not in line)
    values = [float(v) for v in re.findall(r"[+-]\d+\.\d+", products)]
    assert sum(values) == pytest.approx(snap.record.layers[2].z[1, 0], abs=1e-8)
    alpha_text = inspect(snap, 1, 0, 0)
    assert "exactly 2 of 3 ones" in alpha_text


def test_batchnorm_shows_both_statistics_and_both_test_losses(qtbot):
    hidden = [{"type": "Dense", "units": 5, "activation": "linear"}, {"type": "BatchNorm", "inference": "batch_average"},
              {"type": "Activation", "activation": "relu"}]
    _, snap = snapshot_after(config_with(hidden), updates=10, evaluations=3)
    view = shown(qtbot, BatchNormView, snap)
    x, y = view.loss_lines["test_loss_batch_average"].getData()
    np.testing.assert_allclose(y, snap.history.get("test_loss_batch_average"))
    x, y = view.stats_lines["bn_average_std"].getData()
    np.testing.assert_allclose(y[-1], snap.history.get("bn_average_std/1")[-1, 0] ** 2)
    text = view.shapes.text()
    assert "is (5, 12)" in text and "μ and σ are (5, 1)" in text and "averages of the batches" in text
    assert "at test time: μ̄ = " in inspect(snap, 1, 0, 0)


def test_the_embedding_view_draws_each_word_by_its_category(qtbot, words):
    view = shown(qtbot, EmbeddingView, words)
    np.testing.assert_array_equal(view.points, words.param(0, "W"))
    drawn = sum(len(s.data) for s in view.scatters)
    assert drawn == 32 and len(view.scatters) == 4
    caption = view.caption.text()
    assert "exactly a Dense layer without bias" in caption
    assert "32·8 + 8 = 264" in caption and "32·2 + 2·8 + 8 = 88" in caption
    assert EmbeddingView.unavailable_reason(words) == ""
    # a short view: one sentence, the rest in the tooltip, the plot keeps its room
    view.resize(900, 250)
    qtbot.waitUntil(lambda: "More in the tooltip" in view.caption.text())
    assert view.caption.toolTip() == caption
    x_range, y_range = view.plot.vb.viewRange()
    assert x_range[1] - x_range[0] < 50 * (np.ptp(view.points[0]) + 1e-9)  # not ±200 around ±1
    view.resize(900, 600)
    qtbot.waitUntil(lambda: view.caption.text() == caption)
    assert "no Embedding" in EmbeddingView.unavailable_reason(snapshot_after(config_with([]), updates=1)[1])


def test_the_graph_and_the_inspector_read_an_embedding(qtbot, words):
    view = shown(qtbot, NetworkGraphView, words)
    assert view._sizes == [32, 2, 8, 4]
    label = view._labels[1].texts[0]  # the full form (the one shown depends on the room)
    assert "32×2 weights, no bias" in label and "64 parameters" in label
    text = inspect(words, 0, 1, 0)
    word = int(words.record.layers[0].ids[0])
    assert f"column {word + 1} of Wᵉ" in text and words.dataset.vocabulary[word] in text


def test_colour_images_show_channels_and_the_lecture_count(qtbot, colour):
    graph = shown(qtbot, NetworkGraphView, colour)
    assert "18×18×3 = 972 numbers" in graph._labels[0].texts[0]
    assert "972×20 weights + 20 biases" in graph._labels[1].texts[0]
    counts = graph.counts.text()  # shown at any size, whatever form the labels take
    assert "18×18×3 = 972" in counts and "W¹: 972×20 weights + 20 biases" in counts and "Wᵒ: 20×4" in counts
    vector = shown(qtbot, ImageVectorView, colour)
    image, x = vector.pixels(colour)
    assert image.shape == (18, 18, 3) and x.shape == (972, 1)
    assert x[(2 * 18 + 5) * 3 + 1, 0] == image[2, 5, 1]  # channels last, row after row
    assert vector.vector.image.shape == (972, 1, 3)
    assert "18×18×3 = 972 numbers" in vector.caption.text()
    weights = shown(qtbot, FirstLayerView, colour)
    W = colour.param(0, "W").reshape(20, 18, 18, 3)
    np.testing.assert_array_equal(weights.image.image[0:18, 19:37], W[0, :, :, 1])  # neuron 1, green
    assert "1G" in [label.textItem.toPlainText() for label in weights.labels]


@pytest.mark.parametrize("view_name", ["vector", "samples"])
def test_image_views_never_shown_still_draw_for_an_export(qtbot, colour, view_name):
    """`nnviz export colour-images --views vector` wrote empty axes: a view that is never
    shown (the CLI's) asked its hidden plot widget whether it was visible, and drew nothing."""
    from nnviz.ui.views.image_samples import ImageSamplesView
    view = (ImageVectorView if view_name == "vector" else ImageSamplesView)()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.snapshot = colour
    view.show_snapshot(colour)  # what an export's redraw does
    assert view.image.image is not None and np.isfinite(view.image.image).any()


def _tick_labels(axis):
    return [(pos, text) for pos, text in axis._tickLevels[0]]


def test_image_to_vector_in_a_short_dock_keeps_names_ticks_and_titles_readable(qtbot, colour):
    """At 1280×720 the dock is ~130 px high: the 18 row labels piled up, the channel names
    were clipped above the tiles, column 18 ran into the next tile's 1, and the rotated
    titles were cut at both ends."""
    from PySide6.QtGui import QFontMetricsF
    view = shown(qtbot, ImageVectorView, colour, size=(980, 150))
    vb = view.image_plot.vb
    qtbot.waitUntil(lambda: 0 < vb.height() < 100)
    view._fit()
    band, px = view._band, 1 / vb.viewPixelSize()[1]  # screen pixels per picture pixel
    line = QFontMetricsF(view.channel_labels[0].textItem.font()).height()
    assert band * px >= line  # the names' band holds a line of text
    rows = [pos for pos, _ in _tick_labels(view.image_plot.getAxis("left"))]
    assert min(b - a for a, b in zip(rows, rows[1:])) * px >= line - 1  # no two row labels overlap
    columns = _tick_labels(view.image_plot.getAxis("bottom"))
    assert [text for _, text in columns] == ["1", "18"]  # under the first tile only
    assert view.vector_plot.getAxis("left").labelText == "x"  # the short title
    x0 = vb.viewRange()[0][0]
    assert (0 - x0) * px >= 8  # room left of column 1 for its label
    view.resize(1300, 700)
    qtbot.waitUntil(lambda: vb.height() > 300)
    view._fit()
    assert len(_tick_labels(view.image_plot.getAxis("bottom"))) == 8  # 1 and 18 under every tile
    assert view.vector_plot.getAxis("left").labelText == "component of x (from 1)"


@pytest.mark.parametrize("view_class", VIEWS)
def test_every_view_survives_text_and_colour_data(qtbot, view_class, words, colour):
    for snap in (words, colour):
        view = shown(qtbot, view_class, snap)
        assert view.drawn is snap
        view.set_selection((0, 1))


def test_embeddings_in_a_wide_short_dock_spread_the_words_over_the_plot(qtbot, words):
    """At 1280×720 the plot was 900 × 60 px with equal units: e₁ ran from −10 to 10
    around words within ±0.5, all 32 in a blob 40 px wide."""
    view = shown(qtbot, EmbeddingView, words, size=(980, 230))
    qtbot.waitUntil(lambda: view._legend_beside and view.plot.vb.height() > 50)
    (x0, x1), (y0, y1) = view.plot.vb.viewRange()
    spread = np.ptp(view.points, axis=1)
    assert x1 - x0 <= 4 * max(spread[0], spread[1])
    view.resize(700, 700)  # a tall view: the legend above again, the plot as wide as the view
    qtbot.waitUntil(lambda: view._legend_beside is False)


def test_softmax_equals_sigmoid_writes_exponents_raised_and_names_p1(qtbot):
    """The proof read "e^(z₁)/(e^(z₀) + e^(z₁))" and the colour bar "p(class 2)" beside
    maps titled p₁."""
    from nnviz.lessons import load_lesson
    from nnviz.ui.views.softmax_sigmoid import SoftmaxSigmoidView

    _, snap = snapshot_after(load_lesson("feedforward").config)
    view = shown(qtbot, SoftmaxSigmoidView, snap)
    text = view.caption.text()
    assert "^" not in text and "e<sup>z₁</sup>" in text
    bars = [item for item in view.graphics.ci.items if isinstance(item, pg.ColorBarItem)]
    assert [bar.getAxis("right").labelText for bar in bars] == ["p₁"]
