"""Batch normalization: for a chosen layer and neuron, the batch's input, x̂ and
γx̂+β as histograms; the batch statistics against both test-time statistics over time
(Keras' moving averages, the lecture's averages of the batches); per-neuron mean and
standard deviation before and after normalization; the test loss under each choice."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout

from .. import theme
from ..logic.decimate import decimate
from ..logic.histograms import bin_edges, histogram
from ..ranges import StickyBox, StickyRange
from ..widgets import compact, scrolling
from .base import View, fill_layer_choice, layer_kinds
from .heatmap import legend_above

GRAPHICS_MIN_HEIGHT = 440  # pixels: two rows of plots, each readable
VISIBLE_MIN_HEIGHT = 220  # pixels of them in view at least (the rest scrolls)
BINS = 20
SERIES = (("input h", theme.GREY), ("x̂ = (h − μ)/√(σ²+ε)", theme.BLUE), ("γx̂ + β", theme.VERMILLION))
DASH, DOT = pg.QtCore.Qt.DashLine, pg.QtCore.Qt.DotLine
#: history key → (legend name, colour, line style); σ̄ is drawn squared, beside σ²
STATISTICS = {"bn_mean": ("batch μ", theme.BLUE, None), "bn_moving_mean": ("moving μ", theme.BLUE, DASH),
              "bn_average_mean": ("batch-average μ̄", theme.SKY, DOT),
              "bn_var": ("batch σ²", theme.VERMILLION, None), "bn_moving_var": ("moving σ²", theme.VERMILLION, DASH),
              "bn_average_std": ("batch-average σ̄²", theme.ORANGE, DOT)}
LOSSES = {"test_loss_moving_average": ("with moving averages<br>(Keras)", theme.BLUE, DASH),
          "test_loss_batch_average": ("with batch averages<br>μ̄, σ̄ (lecture)", theme.ORANGE, None)}


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
        self.layer_choice = compact(QComboBox(), 8)
        self.layer_choice.currentIndexChanged.connect(lambda _i: self._redraw())
        self.neuron = QSpinBox(minimum=1, maximum=1)
        self.neuron.valueChanged.connect(lambda _v: self._redraw())
        self.neuron.setPrefix("neuron ")
        self.values = QLabel()
        self.values.setWordWrap(True)  # the neuron's numbers: wrapped, never widening the dock
        self.values.setMinimumWidth(1)
        top = QHBoxLayout()
        top.addWidget(QLabel("layer"))
        top.addWidget(self.layer_choice)
        top.addWidget(self.neuron)
        top.addWidget(self.values, 1)
        self.shapes = QLabel()
        self.shapes.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget()
        # two rows of plots with their legends: in a short dock they scroll rather than
        # being squashed to nothing or cut off
        self.graphics.setMinimumHeight(GRAPHICS_MIN_HEIGHT)
        self.scroll = scrolling(self.graphics, framed=False)
        self._build_plots()
        self.empty = QLabel("This network has no BatchNorm layer. Add one under Network ▸ Add layer ▸ BatchNorm.")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.shapes)
        layout.addWidget(self.empty)
        layout.addWidget(self.scroll, 1)
        self._structure = None

    def _build_plots(self):
        """Each plot with its legend in a column of its own to its right: a legend never
        covers a curve, and the plots keep the height (the dock is short at 1280×720)."""
        g = self.graphics
        self.hist_plot = g.addPlot(row=0, col=0)
        theme.style_plot(self.hist_plot, "value", "points of the batch")
        legend = legend_above(g, 0, 1, columns=1)
        self.hist_curves = [self.hist_plot.plot(stepMode="center", pen=pg.mkPen(colour, width=2.5))
                            for _, colour in SERIES]
        for curve, (name, _) in zip(self.hist_curves, SERIES):
            legend.addItem(curve, name)
        self.stats_plot = g.addPlot(row=0, col=2)
        theme.style_plot(self.stats_plot, "updates", "μ, σ² of the neuron")
        self.stats_lines = self._lines(self.stats_plot, legend_above(g, 0, 3, columns=1), STATISTICS)
        self.layer_plot = g.addPlot(row=1, col=0)
        theme.style_plot(self.layer_plot, "neuron", "mean ± std")
        legend = legend_above(g, 1, 1, columns=1)
        self.before = pg.ErrorBarItem(beam=0.15, pen=pg.mkPen(theme.GREY, width=2))
        self.after = pg.ErrorBarItem(beam=0.15, pen=pg.mkPen(theme.VERMILLION, width=2))
        self.before_dots = self.layer_plot.plot(pen=None, symbol="o", symbolBrush=theme.GREY)
        self.after_dots = self.layer_plot.plot(pen=None, symbol="s", symbolBrush=theme.VERMILLION)
        legend.addItem(self.before_dots, "before (input)")
        legend.addItem(self.after_dots, "after (γx̂+β)")
        self.layer_plot.addItem(self.before)
        self.layer_plot.addItem(self.after)
        self.loss_plot = g.addPlot(row=1, col=2)
        theme.style_plot(self.loss_plot, "updates", "test loss")
        self.loss_lines = self._lines(self.loss_plot, legend_above(g, 1, 3, columns=1), LOSSES)
        # ranges re-fitted in steps, not every frame: a new range re-lays a plot's axes
        self.ranges = {"hist": StickyBox(self.hist_plot), "stats": StickyRange(self.stats_plot),
                       "layer": StickyBox(self.layer_plot), "loss": StickyRange(self.loss_plot)}
        for col, stretch in enumerate((3, 0, 3, 0)):
            g.ci.layout.setColumnStretchFactor(col, stretch)
        for row in (0, 1):
            g.ci.layout.setRowStretchFactor(row, 1)

    @staticmethod
    def _lines(plot, legend, series) -> dict:
        lines = {}
        for key, (name, colour, style) in series.items():
            pen = pg.mkPen(colour, width=2.5) if style is None else pg.mkPen(colour, width=2.5, style=style)
            lines[key] = plot.plot(pen=pen)
            legend.addItem(lines[key], name)
        return lines

    def _ensure_structure(self, snap):
        if snap.structure.layer_configs == self._structure:
            return
        self._structure = snap.structure.layer_configs
        fill_layer_choice(self.layer_choice, snap, ("batchnorm",))
        # at least one row of plots in view, but only in a network with batch norm: a
        # hidden view must not take room from the others
        self.scroll.setMinimumHeight(VISIBLE_MIN_HEIGHT if "batchnorm" in layer_kinds(snap) else 0)

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
        self.scroll.setVisible(index is not None)
        if snap is None or index is None:
            return
        n = snap.param(index, "gamma").size
        self.neuron.setMaximum(n)
        unit = self.neuron.value() - 1
        gamma, beta = snap.param(index, "gamma")[unit], snap.param(index, "beta")[unit]
        self.values.setText(f"γ = {gamma:.4f}   β = {beta:+.4f}")
        self._draw_stats(snap, index, unit)
        self._draw_losses(snap)
        rec = snap.record.layers[index] if snap.record is not None else None
        self.shapes.setText(self._shapes_text(snap, index, rec))
        if rec is None or rec.x is None:  # no update yet, or the forward pass is not here yet
            for curve in self.hist_curves:
                curve.setData([], [])
            return
        edges, counts = overlaid_histograms([rec.x[unit], rec.x_hat[unit], rec.h[unit]])
        for curve, c in zip(self.hist_curves, counts):
            curve.setData(edges, c)
        self.ranges["hist"].fit(edges[0], edges[-1], 0.0, max(float(np.max(counts)), 1.0))
        self._draw_layer(rec)

    def _shapes_text(self, snap, index, rec) -> str:
        """The lecture's shapes, with this layer's numbers, and what test time uses."""
        n = snap.structure.units[index]
        m = rec.x.shape[1] if rec is not None and rec.x is not None else "m"
        name = snap.structure.input_of(index)
        chosen = snap.structure.layer_configs[index].get("inference", "moving_average")
        h = snap.history
        losses = {key: h.get(key)[-1] if h.length else np.nan for key in LOSSES}
        told = ", ".join(f"{LOSSES[key][0].replace('<br>', ' ')}: {value:.4f}" for key, value in losses.items()
                         if np.isfinite(value))
        test = ("the averages of the batches' μ and σ over the last epoch (the lecture)" if chosen == "batch_average"
                else "the moving averages (Keras)")
        return (f"{name} is ({n}, {m}): one column per point of the batch; μ and σ are ({n}, 1), "
                f"one per neuron, broadcast over the columns. At test time this layer uses {test}."
                + (f" Test loss {told}." if told else ""))

    def export_tables(self):
        snap, index = self.snapshot, self.layer_choice.currentData()
        if snap is None or index is None:
            return {}
        unit, h = self.neuron.value() - 1, snap.history
        stats = [h.step] + [self._series(h, key, index, unit) for key in self.stats_lines]
        tables = {"statistics": (["update", *self.stats_lines], np.column_stack(stats)),
                  "test_loss": (["update", *self.loss_lines], np.column_stack([h.step] + [h.get(k) for k in LOSSES]))}
        rec = snap.record.layers[index] if snap.record is not None else None
        if rec is not None and rec.x is not None:
            edges, counts = overlaid_histograms([rec.x[unit], rec.x_hat[unit], rec.h[unit]])
            tables["histograms"] = (["bin_from", "bin_to", "input_h", "x_hat", "gamma_x_hat_plus_beta"],
                                    np.column_stack([edges[:-1], edges[1:], *counts]))
        return tables

    @staticmethod
    def _series(h, key, index, unit):
        """One neuron's values of a per-neuron series over time (σ̄ as σ̄², beside σ²)."""
        values = h.get(f"{key}/{index}")
        values = values[:, unit] if values.ndim == 2 else values
        return values * values if key == "bn_average_std" else values

    def _draw_stats(self, snap, index, unit):
        h = snap.history
        shown = []
        for key, line in self.stats_lines.items():
            values = self._series(h, key, index, unit)
            keep = np.isfinite(values)
            line.setData(*decimate(h.step[keep], values[keep]))
            shown.append(values[keep])
        if h.length:
            self.ranges["stats"].update(float(h.step[-1]), np.concatenate(shown))

    def _draw_losses(self, snap):
        h = snap.history
        shown = []
        for key, line in self.loss_lines.items():
            values = h.get(key)
            keep = np.isfinite(values)
            line.setData(*decimate(h.step[keep], values[keep]))
            shown.append(values[keep])
        if h.length:
            self.ranges["loss"].update(float(h.step[-1]), np.concatenate(shown))

    def _draw_layer(self, rec):
        x = np.arange(1, rec.x.shape[0] + 1, dtype=float)
        mean_in, std_in = rec.x.mean(axis=1), rec.x.std(axis=1)
        mean_out, std_out = rec.h.mean(axis=1), rec.h.std(axis=1)
        self.before.setData(x=x - 0.12, y=mean_in, height=2 * std_in)
        self.after.setData(x=x + 0.12, y=mean_out, height=2 * std_out)
        self.before_dots.setData(x - 0.12, mean_in)
        self.after_dots.setData(x + 0.12, mean_out)
        low = min(float(np.min(mean_in - std_in)), float(np.min(mean_out - std_out)))
        high = max(float(np.max(mean_in + std_in)), float(np.max(mean_out + std_out)))
        self.ranges["layer"].fit(0.5, len(x) + 0.5, low, high)
        theme.set_ticks(self.layer_plot.getAxis("bottom"), [[(k, str(int(k))) for k in x], []])  # neurons from 1
