"""Axes and legends that fit the view they are in: log-axis labels that never pile up,
a legend of a deep network's layers that never pushes the axis titles out of sight."""

import numpy as np
import pyqtgraph as pg

from nnviz.ui import theme
from nnviz.ui.views.gradient_flow import GradientFlowView

from .snapshots import EIGHT_BY_SIXTEEN, NETWORKS, config_with, shown, snapshot_after


def log_axis(qtbot, height):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    plot = widget.addPlot()
    plot.setLogMode(y=True)
    axis = plot.getAxis("left")
    theme.sparse_log_labels(axis)
    widget.resize(400, height)
    widget.show()
    plot.setYRange(-2, 0, padding=0)  # 0.01 … 1: two decades
    qtbot.waitUntil(lambda: abs(axis.size().height() - (height - 40)) < 40)
    axis.widget = widget  # alive as long as the axis is used
    return axis


MINOR = [k + np.log10(m) for k in (-2, -1) for m in range(1, 10)]  # 0.01, 0.02, … 0.9


def labelled(axis):
    return [s for s in axis.logTickStrings(MINOR, 1.0, None) if s]


def test_a_short_log_axis_labels_only_the_powers_of_ten(qtbot):
    """pyqtgraph labels all eight minor ticks of a decade: in a short plot "0.1 0.09 0.08 …"
    were drawn on top of each other (the gradient view of every lesson)."""
    assert labelled(log_axis(qtbot, 120)) == ["0.01", "0.1"]


def test_a_taller_log_axis_adds_2_and_5_then_every_minor_tick(qtbot):
    assert labelled(log_axis(qtbot, 330)) == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5"]
    assert len(labelled(log_axis(qtbot, 1200))) == len(MINOR)


def test_the_gradient_legend_of_a_deep_network_fits_a_short_view(qtbot):
    _, snap = snapshot_after(config_with(EIGHT_BY_SIXTEEN))  # 9 layers: dW¹ … dWᵒ
    view = shown(qtbot, GradientFlowView, snap, size=(900, 230))
    qtbot.waitUntil(lambda: view.legend.columnCount > 1)
    qtbot.waitUntil(lambda: view.legend.boundingRect().height() <= view.graphics.height())
    assert len(view.legend.items) == 9


def test_less_than_a_decade_in_view_still_gets_two_labels(qtbot):
    """0.12 … 0.32 (an export's gradient plot after 5 updates) was labelled "0.2" alone."""
    axis = log_axis(qtbot, 120)
    axis.setRange(np.log10(0.12), np.log10(0.32))
    values = [np.log10(m / 10) for m in (2, 3)]
    assert [s for s in axis.logTickStrings(values, 1.0, None) if s] == ["0.2", "0.3"]


def test_stacked_learning_curves_line_up_their_x_axes(qtbot):
    """The loss axis's "0.5" made it wider than the accuracy axis's "1": the stacked plots'
    data areas began at different x, and "20" sat at two places."""
    from nnviz.ui.views.learning_curves import LearningCurvesView

    from nnviz.lessons import load_lesson
    _, snap = snapshot_after(load_lesson("minibatch").config, updates=20)
    view = shown(qtbot, LearningCurvesView, snap, size=(295, 250))  # stacked, as the dock at 1280×720

    def lefts():
        return [plot.vb.sceneBoundingRect().left() for plot in (view.loss_plot, view.acc_plot)]
    qtbot.waitUntil(lambda: view.loss_plot.getAxis("left").textWidth > 0 and view.acc_plot.getAxis("left").textWidth > 0)
    theme.set_ticks(view.loss_plot.getAxis("left"), [[(0.0, "0"), (0.5, "0.0005")], []])  # wider labels than "1"
    qtbot.waitUntil(lambda: view.loss_plot.getAxis("left").textWidth > view.acc_plot.getAxis("left").textWidth)
    qtbot.waitUntil(lambda: abs(lefts()[0] - lefts()[1]) < 0.5, timeout=2000)
    view.resize(900, 300)  # side by side: each axis its own width again
    qtbot.waitUntil(lambda: view._side_by_side)
    assert "_updateWidth" not in vars(view.loss_plot.getAxis("left"))


def test_a_short_linear_axis_keeps_two_labels_rather_than_one(qtbot):
    """Coarsened until a label had 1.3 text heights, a 0–0.8 loss axis 30 px high kept
    only "0" (the exploration lesson's curves)."""
    plot = pg.PlotItem()
    axis = plot.getAxis("left")
    levels = theme._tick_spacing_that_fits(axis, 0.0, 0.8, 30.0)
    assert levels == [(0.5, 0)]
    line = pg.QtGui.QFontMetricsF(axis.style.get("tickFont") or pg.QtGui.QFont()).height()
    assert theme._tick_spacing_that_fits(axis, 0.0, 0.8, 0.5 * line / 0.5 * 0.8 * 0.9)[0][0] >= 1  # no room for two: one


def test_an_exported_log_axis_within_a_decade_keeps_two_labels():
    """Exported, a gradient axis over 0.11 … 0.3 was labelled "0.2" alone."""
    import math

    from nnviz.ui.export_axes import log_ticks

    levels = log_ticks(math.log10(0.11), math.log10(0.3))
    labels = [label for level in levels for _, label in level if label]
    assert labels == ["0.2", "0.3"]
    wide = log_ticks(-3.0, 0.0)  # three decades: the multiples stay unlabelled
    assert [label for _, label in wide[2] if label] == [] and [label for _, label in wide[0]] == ["0.001", "0.01", "0.1", "1"]
