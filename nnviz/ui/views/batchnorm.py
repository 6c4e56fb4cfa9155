"""Batch normalization: for a chosen layer and neuron, the batch's input, x̂ and
γx̂+β as histograms; batch against moving statistics over time; per-neuron mean and
standard deviation before and after normalization."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout

from .. import theme
from ..logic.decimate import decimate
from ..logic.histograms import bin_edges, histogram
from .base import View, fill_layer_choice, layer_kinds

BINS = 20
SERIES = (("input h", theme.GREY), ("x̂ = (h − μ)/√(σ²+ε)", theme.BLUE), ("γ·x̂ + β", theme.VERMILLION))


def overlaid_histograms(arrays, bins=BINS):
    """Common bin edges and per-array counts, so that the histograms can be compared."""
    edges = bin_edges(arrays, bins)
    return edges, [histogram(a, edges) for a in arrays]


class BatchNormView(View):
    title = "Batch normalization"
    short_title = "Batch norm"  # its tab
    view_id = "batchnorm"
    default_area = "bottom"
    tab_group = "inside"

    @classmethod
    def unavailable_reason(cls, snapshot):
        return "" if "batchnorm" in layer_kinds(snapshot) else "the network has no BatchNorm layer"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer_choice = QComboBox()
        self.layer_choice.currentIndexChanged.connect(lambda _i: self._redraw())
        self.neuron = QSpinBox(minimum=1, maximum=1)
        self.neuron.valueChanged.connect(lambda _v: self._redraw())
        self.values = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("BatchNorm layer"))
        top.addWidget(self.layer_choice)
        top.addWidget(QLabel("neuron"))
        top.addWidget(self.neuron)
        top.addWidget(self.values, 1)
        self.graphics = pg.GraphicsLayoutWidget()
        self.hist_plot = self.graphics.addPlot(row=0, col=0)
        theme.style_plot(self.hist_plot, "value", "points of the batch")
        self.hist_plot.addLegend(offset=(-5, 5), labelTextSize=f"{theme.FONT_POINT_SIZE}pt")
        self.hist_curves = [self.hist_plot.plot(stepMode="center", pen=pg.mkPen(colour, width=2.5), name=name)
                            for name, colour in SERIES]
        self.stats_plot = self.graphics.addPlot(row=0, col=1)
        theme.style_plot(self.stats_plot, "updates", "μ and σ²")
        self.stats_plot.addLegend(offset=(-5, 5), labelTextSize=f"{theme.FONT_POINT_SIZE}pt")
        self.stats_lines = {
            "bn_mean": self.stats_plot.plot(pen=pg.mkPen(theme.BLUE, width=2), name="batch μ"),
            "bn_moving_mean": self.stats_plot.plot(pen=pg.mkPen(theme.BLUE, width=2.5, style=pg.QtCore.Qt.DashLine),
                                                   name="moving μ"),
            "bn_var": self.stats_plot.plot(pen=pg.mkPen(theme.VERMILLION, width=2), name="batch σ²"),
            "bn_moving_var": self.stats_plot.plot(
                pen=pg.mkPen(theme.VERMILLION, width=2.5, style=pg.QtCore.Qt.DashLine), name="moving σ²"),
        }
        self.layer_plot = self.graphics.addPlot(row=1, col=0, colspan=2)
        theme.style_plot(self.layer_plot, "neuron", "mean ± std over the batch")
        self.layer_plot.addLegend(offset=(-5, 5), labelTextSize=f"{theme.FONT_POINT_SIZE}pt")
        self.before = pg.ErrorBarItem(beam=0.15, pen=pg.mkPen(theme.GREY, width=2))
        self.after = pg.ErrorBarItem(beam=0.15, pen=pg.mkPen(theme.VERMILLION, width=2))
        self.before_dots = self.layer_plot.plot(pen=None, symbol="o", symbolBrush=theme.GREY, name="before (input)")
        self.after_dots = self.layer_plot.plot(pen=None, symbol="s", symbolBrush=theme.VERMILLION,
                                               name="after (γx̂+β)")
        self.layer_plot.addItem(self.before)
        self.layer_plot.addItem(self.after)
        self.empty = QLabel("This network has no BatchNorm layer. Add one under Network ▸ Add layer ▸ BatchNorm.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(self.graphics, 1)
        self._structure = None

    def _ensure_structure(self, snap):
        if snap.structure.layer_configs == self._structure:
            return
        self._structure = snap.structure.layer_configs
        fill_layer_choice(self.layer_choice, snap, ("batchnorm",))

    def show_snapshot(self, snap):
        self._ensure_structure(snap)
        if self.selection is not None:
            self._follow_selection(snap)
        self._redraw()

    def _follow_selection(self, snap):
        """A neuron clicked in the graph: show the BatchNorm after its Dense layer."""
        layer, unit = self.selection
        for k in range(self.layer_choice.count()):
            index = self.layer_choice.itemData(k)
            if index > layer and all(kind != "dense" for kind in snap.structure.layer_kinds[layer + 1:index]):
                self.layer_choice.setCurrentIndex(k)
                self.neuron.setValue(unit + 1)

    def _redraw(self):
        snap = self.snapshot
        index = self.layer_choice.currentData()
        self.empty.setVisible(index is None)
        self.graphics.setVisible(index is not None)
        if snap is None or index is None:
            return
        n = snap.param(index, "gamma").size
        self.neuron.setMaximum(n)
        unit = self.neuron.value() - 1
        gamma, beta = snap.param(index, "gamma")[unit], snap.param(index, "beta")[unit]
        self.values.setText(f"γ = {gamma:.4f}   β = {beta:+.4f}")
        self._draw_stats(snap, index, unit)
        rec = snap.record.layers[index] if snap.record is not None else None
        if rec is None or rec.x is None:  # no update yet, or the forward pass is not here yet
            for curve in self.hist_curves:
                curve.setData([], [])
            return
        edges, counts = overlaid_histograms([rec.x[unit], rec.x_hat[unit], rec.h[unit]])
        for curve, c in zip(self.hist_curves, counts):
            curve.setData(edges, c)
        self._draw_layer(rec)

    def export_tables(self):
        snap, index = self.snapshot, self.layer_choice.currentData()
        if snap is None or index is None:
            return {}
        unit, h = self.neuron.value() - 1, snap.history
        stats = [h.step] + [h.get(f"{key}/{index}")[:, unit] if h.get(f"{key}/{index}").ndim == 2
                            else h.get(f"{key}/{index}") for key in self.stats_lines]
        tables = {"statistics": (["update", *self.stats_lines], np.column_stack(stats))}
        rec = snap.record.layers[index] if snap.record is not None else None
        if rec is not None and rec.x is not None:
            edges, counts = overlaid_histograms([rec.x[unit], rec.x_hat[unit], rec.h[unit]])
            tables["histograms"] = (["bin_from", "bin_to", "input_h", "x_hat", "gamma_x_hat_plus_beta"],
                                    np.column_stack([edges[:-1], edges[1:], *counts]))
        return tables

    def _draw_stats(self, snap, index, unit):
        h = snap.history
        for key, line in self.stats_lines.items():
            values = h.get(f"{key}/{index}")
            values = values[:, unit] if values.ndim == 2 else values
            keep = np.isfinite(values)
            line.setData(*decimate(h.step[keep], values[keep]))

    def _draw_layer(self, rec):
        x = np.arange(1, rec.x.shape[0] + 1, dtype=float)
        mean_in, std_in = rec.x.mean(axis=1), rec.x.std(axis=1)
        mean_out, std_out = rec.h.mean(axis=1), rec.h.std(axis=1)
        self.before.setData(x=x - 0.12, y=mean_in, height=2 * std_in)
        self.after.setData(x=x + 0.12, y=mean_out, height=2 * std_out)
        self.before_dots.setData(x - 0.12, mean_in)
        self.after_dots.setData(x + 0.12, mean_out)
