"""The views inside the network show the numbers of real training runs."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.engine.summaries import PERCENTILES
from nnviz.ui.export_style import projector_theme
from nnviz.ui.logic.histograms import bin_edges
from nnviz.ui.views import VIEWS
from nnviz.ui.views.activations import ActivationsView, saturation
from nnviz.ui.views.batchnorm import BatchNormView
from nnviz.ui.views.distributions import DistributionsView
from nnviz.ui.views.dropout import DropoutView
from nnviz.ui.views.gradient_flow import GradientFlowView
from nnviz.ui.views.network_graph import NetworkGraphView

from .snapshots import NETWORKS, WITH_BATCHNORM, WITH_CONNECTION_DROPOUT, WITH_DROPOUT, config_with, snapshot_after, shown




def dense_indices(snap):
    return [i for i, kind in enumerate(snap.structure.layer_kinds) if kind == "dense"]


@pytest.mark.parametrize("network", list(NETWORKS))
@pytest.mark.parametrize("view_class", VIEWS)
def test_every_view_survives_every_network(qtbot, view_class, network):
    _, before = snapshot_after(config_with(NETWORKS[network]), updates=0)  # no record yet
    view = shown(qtbot, view_class, before)
    _, snap = snapshot_after(config_with(NETWORKS[network]), updates=3, evaluations=2)
    view.set_snapshot(snap)
    view.set_selection((0, 0))


def test_graph_columns_edges_and_labels(qtbot):
    _, snap = snapshot_after(config_with(WITH_DROPOUT))
    view = shown(qtbot, NetworkGraphView, snap)
    dense = dense_indices(snap)
    assert len(view._columns) == 1 + len(dense)
    # the input column shows the features over the plane, stacked with transparent gaps
    np.testing.assert_array_equal(view._columns[0].image, view._stack(snap.input_maps))
    # the first hidden column shows h^1 after dropout's layer (identity at inference)
    np.testing.assert_array_equal(view._columns[1].image, view._stack(snap.neuron_maps[1]))
    # every weight is one edge, drawn in the bucket of its sign
    sizes = [2, 6, 5, 2]
    edges = sum(len(item.getData()[0]) // 2 for item in view._edge_items.values())
    assert edges == sum(a * b for a, b in zip(sizes, sizes[1:]))
    W = snap.param(dense[0], "W")
    positive = sum(len(view._edge_items[(+1, level)].getData()[0]) // 2 for level in range(4))
    negative = sum(len(view._edge_items[(-1, level)].getData()[0]) // 2 for level in range(4))
    W_all = np.concatenate([snap.param(i, "W").ravel() for i in dense])
    assert positive == (W_all > 0).sum() and negative == (W_all < 0).sum()
    assert "14 parameters" not in view._labels[1].textItem.toPlainText()
    assert f"{6 * 2 + 6} parameters" in view._labels[1].textItem.toPlainText()
    # dropped units of the minibatch's first point are greyed
    mask = snap.record.layers[1].mask
    assert len(view._dropped.data) == (~mask[:, 0]).sum()
    text = view._describe_edge(0, 2, 1)
    assert f"W¹[3,2] = {W[2, 1]:+.4f}" in text


def test_graph_gradient_mode_uses_dW_and_dz(qtbot):
    _, snap = snapshot_after(config_with(NETWORKS["plain"]))
    view = shown(qtbot, NetworkGraphView, snap)
    view.show_gradients.setChecked(True)
    dense = dense_indices(snap)
    dz = snap.record.layers[dense[0]].dz.mean(axis=1)
    column = view._columns[1].image
    g = snap.neuron_maps[0].shape[1]
    np.testing.assert_allclose(column[0, 0], dz[0])
    np.testing.assert_allclose(column[-1, -1], dz[-1])
    assert column.shape[1] == g


def test_graph_inputs_beside_tall_layers_keep_every_name(qtbot):
    """Beside two layers of 16 the neurons are ~11 px apart: x₁ and x₂ were 15 px apart,
    closer than a line of text, so x₂'s name was hidden and the two looked like one."""
    _, snap = snapshot_after(config_with([{"type": "Dense", "units": 16, "activation": "tanh"}] * 2))
    view = shown(qtbot, NetworkGraphView, snap, size=(460, 330))
    qtbot.waitUntil(lambda: view._node_px < 14)  # laid out at its size: small neurons
    assert all(label.isVisible() for label in view._input_labels)
    (_, y1), (_, y2) = view._positions[0]
    line_px = view._input_line_px()
    assert (y2 - y1) * view._node_px >= line_px
    tallest = view._positions[1][:, 1]
    assert tallest.min() <= y1 and y2 <= tallest.max()  # the inputs stay within the tallest column


def test_graph_click_selects_a_neuron(qtbot):
    _, snap = snapshot_after(config_with(NETWORKS["plain"]))
    view = shown(qtbot, NetworkGraphView, snap)
    x, y = view._positions[2][1]
    scene_point = view.box.mapViewToScene(__import__("PySide6.QtCore").QtCore.QPointF(x, y))

    class Click:
        def scenePos(self):
            return scene_point
    with qtbot.waitSignal(view.selection_requested) as blocker:
        view._on_mouse_clicked(Click())
    assert blocker.args[0] == (dense_indices(snap)[1], 1)


def test_activation_heatmaps_and_histograms_are_the_record(qtbot):
    _, snap = snapshot_after(config_with(NETWORKS["plain"]))
    view = shown(qtbot, ActivationsView, snap)
    for i, heat, image, bar, _hist, bars, _note in view._rows:
        h = snap.record.layers[i].h
        np.testing.assert_array_equal(image.image, h)
        assert tuple(bar.levels()) == tuple(image.levels)  # the colour bar says what the colours mean
        labels = [label for _pos, label in heat.getAxis("left")._tickLevels[0]]
        output = i == len(snap.structure.layer_kinds) - 1  # softmax: its rows are the classes from 0
        assert labels[0] == ("0" if output else "1") and all(label.isdigit() for label in labels)  # neurons from 1
        edges = bin_edges([h], 30)
        np.testing.assert_array_equal(bars.opts["height"], np.histogram(h, bins=edges)[0])
    relu = [i for i in dense_indices(snap) if snap.structure.activations[i] == "relu"][0]
    assert saturation("relu", snap.record.layers[relu].h) == (snap.record.layers[relu].h == 0).mean()
    x, y = view.z_points.getData()
    chosen = view.layer_choice.currentData()
    np.testing.assert_array_equal(x, snap.record.layers[chosen].z.ravel())


def test_activation_colour_bars_show_the_activations_range_before_the_first_update(qtbot):
    """Before a step the maps are empty; their bars read 0 to 1 for tanh layers too."""
    _, before = snapshot_after(config_with([{"type": "Dense", "units": 3, "activation": "tanh"}]), updates=0)
    view = shown(qtbot, ActivationsView, before)
    levels = {before.structure.activations[i]: tuple(bar.levels()) for i, _, _, bar, *_ in view._rows}
    assert levels["tanh"] == (-1.0, 1.0) and levels["softmax"] == (0.0, 1.0)


def test_activation_maps_are_equally_wide_with_axis_titles_on_the_first_only(qtbot):
    """The title set a map's width ("h¹" maps a quarter as wide as "relu(BN(h¹))"), and the
    text styling showed the axis titles the view had hidden on every map but the first."""
    _, snap = snapshot_after(config_with(WITH_BATCHNORM))
    view = shown(qtbot, ActivationsView, snap)

    def widths():
        return [heat.vb.width() for _, heat, *_ in view._rows]
    # equal to a few pixels once laid out (the first map's axis title shifts the rounding)
    qtbot.waitUntil(lambda: min(widths()) > 0 and max(widths()) - min(widths()) <= 4)
    titles = [heat.titleLabel.effectiveSizeHint(Qt.MinimumSize).width() for _, heat, *_ in view._rows]
    assert max(titles) > 2 * min(titles)  # titles of very unequal widths: "h¹", "relu(BN(h¹))"
    assert min(widths()) >= max(titles) - 1

    def titles_shown():
        return [(heat.getAxis("left").label.isVisible(), heat.getAxis("bottom").label.isVisible())
                for _, heat, *_ in view._rows]
    first_only = [(True, True)] + [(False, False)] * (len(view._rows) - 1)
    assert titles_shown() == first_only
    with projector_theme(view.export_item()):  # an export's text sizes
        assert titles_shown() == first_only
    assert titles_shown() == first_only


def test_gradient_flow_shows_the_norms_of_the_recorded_gradients(qtbot):
    _, snap = snapshot_after(config_with(NETWORKS["plain"]), updates=2, evaluations=3)
    view = shown(qtbot, GradientFlowView, snap)
    dense = dense_indices(snap)
    latest = [np.linalg.norm(snap.record.layers[i].grads["W"]) for i in dense]
    np.testing.assert_allclose(view.bars.opts["height"], latest[::-1])
    x, y = view._lines[dense[0]].getData()
    np.testing.assert_array_equal(x, snap.history.step[1:])
    np.testing.assert_allclose(10 ** y[-1], latest[0])  # the plot is in log mode


def test_dropout_mask_image_is_the_recorded_mask(qtbot):
    _, snap = snapshot_after(config_with(WITH_DROPOUT), updates=3, evaluations=2)
    view = shown(qtbot, DropoutView, snap)
    mask = snap.record.layers[1].mask
    np.testing.assert_array_equal(view.mask_image.image, mask.astype(np.uint8))
    x, y = view.kept_line.getData()
    np.testing.assert_allclose(y[-1], mask.mean())
    assert view.reference.value() == pytest.approx(0.6)
    view.inference.setChecked(True)
    assert view.mask_image.image.all()
    assert "Inference" in view.explanation.text()


def test_dropout_connection_mask_has_the_shape_of_the_next_W(qtbot):
    _, snap = snapshot_after(config_with(WITH_CONNECTION_DROPOUT))
    view = shown(qtbot, DropoutView, snap)
    assert view.mask_image.image.shape == snap.param(2, "W").shape


def test_batchnorm_histograms_match_numpy(qtbot):
    _, snap = snapshot_after(config_with(WITH_BATCHNORM), updates=3, evaluations=2)
    view = shown(qtbot, BatchNormView, snap)
    view.neuron.setValue(2)
    rec = snap.record.layers[1]
    edges = bin_edges([rec.x[1], rec.x_hat[1], rec.h[1]], 20)
    for curve, values in zip(view.hist_curves, (rec.x[1], rec.x_hat[1], rec.h[1])):
        x, y = curve.getData()
        np.testing.assert_array_equal(y, np.histogram(values, bins=edges)[0])
    x, y = view.stats_lines["bn_moving_mean"].getData()
    np.testing.assert_allclose(y[-1], rec.moving_mean[1])
    assert f"γ = {snap.param(1, 'gamma')[1]:.4f}" in view.values.text()


def test_distribution_bands_are_the_weight_percentiles(qtbot):
    worker, snap = snapshot_after(config_with(NETWORKS["plain"]), updates=2, evaluations=3)
    view = shown(qtbot, DistributionsView, snap)
    i, _plot, curves, median = view._plots[0]
    W = snap.param(i, "W")
    expected = np.percentile(W, PERCENTILES)
    assert [c.getData()[1][-1] for c in curves] == pytest.approx(expected[[0, 1, 3, 4]])
    assert median.getData()[1][-1] == pytest.approx(expected[2])


@pytest.mark.parametrize("network", ["plain", "dropout", "batchnorm"])
def test_every_view_survives_every_phase(qtbot, network):
    worker, snap = snapshot_after(config_with(NETWORKS[network]), updates=2)
    views = [shown(qtbot, cls, snap, size=(700, 400)) for cls in VIEWS]
    kinds = []
    while True:
        worker.phase()
        snap = worker.snapshot()
        kinds.append(snap.phase.kind)
        for view in views:
            view.set_snapshot(snap)
            assert view.drawn is snap, f"{view.view_id} did not draw the phase {snap.phase.kind}"
        if snap.phase.kind == "update":
            break
    assert kinds[0] == "forward" and kinds[-1] == "update" and "loss" in kinds
    assert snap.steps_done == 3


def test_graph_lights_the_layer_being_computed(qtbot):
    worker, snap = snapshot_after(config_with(NETWORKS["plain"]), updates=1)
    view = shown(qtbot, NetworkGraphView, snap)
    worker.phase()  # forward through layer 1
    view.set_snapshot(worker.snapshot())
    assert view._highlight.isVisible()
    assert [c.opacity() for c in view._columns] == [1.0, 1.0, 0.2, 0.2]  # x, h^1 done; h^2, p not yet
    assert "z¹" in view.phase_label.text()
    while worker.snapshot().phase.kind != "backward":
        worker.phase()
    snap = worker.snapshot()  # backward through the output layer: gradients, right to left
    view.set_snapshot(snap)
    assert [c.opacity() for c in view._columns] == [1.0, 0.2, 0.2, 1.0]
    assert view.phase_label.text().startswith("backward")


def test_several_initialisations_are_overlaid_with_their_spread(qtbot):
    from nnviz.ui.views.learning_curves import LearningCurvesView

    config = config_with(NETWORKS["plain"], runs=3)
    worker, snap = snapshot_after(config, updates=5, evaluations=3)
    runs = snap.history.get("run_train_loss")
    assert runs.shape == (4, 3)
    np.testing.assert_allclose(runs[:, 0], snap.history.train_loss)  # run 0 is the main one
    assert not np.allclose(runs[-1, 0], runs[-1, 1])  # other seeds, other losses
    view = shown(qtbot, LearningCurvesView, snap)
    assert sum(line.isVisible() for line in view._run_lines) == 2
    np.testing.assert_allclose(view._run_lines[1].getData()[1], runs[:, 2])
    assert f"{runs[-1].min():.3f}–{runs[-1].max():.3f}" in view.spread.text()
    # rewinding keeps the runs in step
    worker.seek(2)
    assert worker.run_steps() == [2, 2, 2]


@pytest.mark.parametrize("output", ["softmax", "sigmoid"])
def test_softmax_and_sigmoid_side_by_side_agree(qtbot, output):
    from nnviz.engine.config import Config
    from nnviz.ui.views.softmax_sigmoid import SoftmaxSigmoidView

    config = Config.from_dict({"data": {"dataset": "xor", "n": 100, "seed": 2},
                               "network": {"hidden": [{"type": "Dense", "units": 4, "activation": "tanh"}],
                                           "output": output},
                               "training": {"learning_rate": 0.3}})
    _, snap = snapshot_after(config, updates=20)
    view = shown(qtbot, SoftmaxSigmoidView, snap)
    given, equivalent, _ = view.pair(snap)
    np.testing.assert_allclose(given, equivalent, atol=1e-12)
    assert view.difference < 1e-12 and "same predictions" in view.caption.text()
    np.testing.assert_array_equal(view.images[0].image, given)


def test_gradient_legend_keeps_its_own_height_in_a_tall_cell(qtbot):
    """Stretched to its cell's height, the legend spread its rows apart and each layer's
    name stood a row above its line sample (an exported figure showed it)."""
    _, snap = snapshot_after(config_with(NETWORKS["plain"]))
    view = shown(qtbot, GradientFlowView, snap, size=(500, 900))  # stacked: the legend spans both rows
    qtbot.waitUntil(lambda: view.legend.geometry().height() > 0 and view.lines_plot.height() > 300)
    from nnviz.ui.export_figure import prepared
    for projector in (False, True):  # on screen's size, and an export's slide
        with prepared(view, projector=projector):
            wanted = view.legend.effectiveSizeHint(Qt.PreferredSize).height()
            assert view.legend.geometry().height() <= wanted + 1
            assert abs(view.legend.geometry().top() - view.lines_plot.geometry().top()) <= 20  # by the lines' top


def test_dropout_maps_sit_beside_their_axes_in_a_wide_dock(qtbot):
    """In a wide, short dock (1280×720) each map sat in the middle of its plot, its row
    axis a third of the view away from the rows it numbers."""
    _, snap = snapshot_after(config_with(WITH_DROPOUT))
    view = shown(qtbot, DropoutView, snap, size=(980, 260))
    boxes = [view.plots[name].getViewBox() for name in ("operand", "mask", "result")]
    qtbot.waitUntil(lambda: all(box.width() > 1.5 * box.height() > 0 for box in boxes))
    view._fit_maps()
    for box in boxes:
        (x0, x1), _ = box.viewRange()
        px = box.width() / (x1 - x0)  # screen pixels per cell
        assert 0 < -x0 * px <= 20  # the map's first column within 20 px of the axis


def test_dropout_map_labels_are_thinned_for_a_figures_larger_text(qtbot):
    """Thinned for the screen's font, the exported maps' column labels ran together
    ("12345678910")."""
    from PySide6.QtGui import QFontMetricsF
    from nnviz.ui.export_figure import prepared
    _, snap = snapshot_after(config_with(WITH_DROPOUT))
    view = shown(qtbot, DropoutView, snap, size=(980, 300))
    with prepared(view, projector=True):
        for plot in view.plots.values():
            axis, box = plot.getAxis("bottom"), plot.getViewBox()
            positions = [pos for pos, _ in axis._tickLevels[0]]
            widest = max(QFontMetricsF(axis.style["tickFont"]).horizontalAdvance(text) for _, text in axis._tickLevels[0])
            cell = 1.0 / max(box.viewPixelSize())
            assert min(b - a for a, b in zip(positions, positions[1:])) * cell >= widest


def test_graph_layer_labels_never_touch(qtbot):
    """The labels' widths were measured without their text's document margins: in the
    feedforward lesson the output's label ran into h¹'s ("h¹ 4×2 weights + 2 biases")."""
    from nnviz.lessons import load_lesson
    _, snap = snapshot_after(load_lesson("feedforward").config)
    for width in (380, 456, 520, 640):
        view = shown(qtbot, NetworkGraphView, snap, size=(width, 340))
        qtbot.waitUntil(lambda: view._node_px > 0 and view.box.width() > 100)
        view._on_box_resized()
        spans = []
        for label in view._labels:  # where TextItem draws: its anchor's share of its width left of its point
            x = view.box.mapViewToScene(label.pos()).x()
            w = label.textItem.boundingRect().width()  # as drawn, margins included (pixels: it ignores zoom)
            spans.append((x - label.anchor[0] * w, x + (1 - label.anchor[0]) * w))
        for left, right in zip(spans, spans[1:]):
            assert left[1] + 2 <= right[0], (width, [label.textItem.toPlainText() for label in view._labels])


def test_a_softmax_outputs_rows_are_numbered_as_its_classes(qtbot):
    """The p map numbered its rows 1 … K while the confusion matrix, the images and
    Softmax = σ call the classes 0 … K−1: digit 0 was row "1"."""
    _, snap = snapshot_after(config_with(NETWORKS["plain"]))
    view = shown(qtbot, ActivationsView, snap)
    last = len(snap.structure.layer_kinds) - 1
    rows = {i: heat.getAxis("left")._tickLevels[0] for i, heat, *_ in view._rows}
    assert rows[last][0] == (0.5, "0")  # p: class 0 first
    assert all(ticks[0] == (0.5, "1") for i, ticks in rows.items() if i != last)  # neurons from 1
