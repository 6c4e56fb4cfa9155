"""Layer activations: H^l of the current minibatch as neurons × points heatmaps,
a histogram per layer, and σ, σ' of a chosen layer with its z values on the curve."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout

from ...engine.activations import get_activation
from .. import theme
from ..logic.histograms import bin_edges, histogram
from .base import TextThrottle, View

BINS = 30


def saturation(activation: str, h: np.ndarray) -> float | None:
    """Fraction of saturated units: |h| > 0.95 (tanh), h < 0.05 or > 0.95 (sigmoid),
    exactly 0 (ReLU); None where the idea does not apply."""
    if activation == "tanh":
        return float((np.abs(h) > 0.95).mean())
    if activation == "sigmoid":
        return float(((h < 0.05) | (h > 0.95)).mean())
    if activation == "relu":
        return float((h == 0).mean())
    return None


class ActivationsView(View):
    title = "Layer activations"
    view_id = "activations"
    default_area = "bottom"
    tab_group = "inside"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer_choice = QComboBox()
        self.layer_choice.currentIndexChanged.connect(self._on_layer_chosen)
        self.caption = QLabel("H^l: one row per neuron, one column per point of the minibatch")
        top = QHBoxLayout()
        top.addWidget(QLabel("σ and σ′ of"))
        top.addWidget(self.layer_choice)
        top.addWidget(self.caption, 1)
        self.graphics = pg.GraphicsLayoutWidget()
        self.function_plot = pg.PlotItem()
        theme.style_plot(self.function_plot, "z", "σ(z), σ′(z)")
        self.sigma = self.function_plot.plot(pen=pg.mkPen(theme.BLUE, width=2.5), name="σ")
        self.sigma_prime = self.function_plot.plot(pen=pg.mkPen(theme.VERMILLION, width=2, style=pg.QtCore.Qt.DashLine))
        self.z_points = pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(0, 114, 178, 120))
        self.function_plot.addItem(self.z_points)
        self._rows = []  # per Dense layer: (heatmap plot, image, histogram plot, bars)
        self._structure = None
        self._text = TextThrottle()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.graphics, 1)

    def _dense_indices(self, snap):
        return [i for i, kind in enumerate(snap.structure.layer_kinds) if kind in ("dense", "activation", "batchnorm")]

    def _ensure_structure(self, snap):
        key = snap.structure.layer_configs
        if key == self._structure:
            return
        self._structure = key
        self.graphics.clear()
        self._rows = []
        indices = self._dense_indices(snap)
        # Layers side by side, as in the lecture's pictures: H^l above its histogram.
        for col, i in enumerate(indices):
            heat = self.graphics.addPlot(row=0, col=col)
            # axis titles on the first column only: repeated, they run into each other
            theme.style_plot(heat, "point of the batch" if col == 0 else "", "neuron" if col == 0 else "")
            heat.setTitle(snap.structure.layer_labels[i], size=f"{theme.FONT_POINT_SIZE}pt")
            heat.invertY(True)
            heat.setMouseEnabled(False, False)
            heat.hideButtons()
            image = pg.ImageItem()
            image.setLookupTable(self._lut(snap.structure.activations[i]))
            heat.addItem(image)
            hist = self.graphics.addPlot(row=1, col=col)
            theme.style_plot(hist, "value", "count" if col == 0 else "")
            hist.setMouseEnabled(False, False)
            hist.hideButtons()
            bars = pg.BarGraphItem(x0=[0], x1=[1], height=[0], brush=pg.mkBrush(theme.BLUE), pen=None)
            hist.addItem(bars)
            note = pg.TextItem("", color=theme.INK, anchor=(1, 0))
            hist.addItem(note, ignoreBounds=True)
            self._rows.append((i, heat, image, hist, bars, note))
        self.graphics.addItem(self.function_plot, row=0, col=len(indices), rowspan=2)
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.graphics.ci.layout.setColumnStretchFactor(len(indices), 2)
        self.layer_choice.blockSignals(True)
        self.layer_choice.clear()
        for i in indices:
            if snap.structure.activations[i]:
                self.layer_choice.addItem(f"{snap.structure.layer_labels[i]} ({snap.structure.activations[i]})", i)
        self.layer_choice.blockSignals(False)

    def export_tables(self):
        snap = self.snapshot
        if snap is None or snap.record is None:
            return {}
        rows = []
        for i, *_rest in self._rows:
            h = snap.record.layers[i].h
            if h is not None:
                rows += [(snap.structure.layer_labels[i], n + 1, p + 1, h[n, p]) for n in range(h.shape[0])
                         for p in range(h.shape[1])]
        return {"activations": (["layer", "neuron", "point_of_batch", "h"], rows)}

    @staticmethod
    def _lut(activation):
        if activation in ("relu", "sigmoid", "softmax"):
            return pg.colormap.get("viridis").getLookupTable(0.0, 1.0, 256)
        return theme.diverging_colormap().getLookupTable(0.0, 1.0, 256)

    def show_snapshot(self, snap):
        self._ensure_structure(snap)
        if snap.record is None:
            for _, _, image, _, bars, note in self._rows:
                image.clear()
                bars.setOpts(height=[0])
                note.setText("")
            self.caption.setText("Take a step (→) to see the minibatch's activations.")
            self._draw_function(snap)
            return
        self.caption.setText("H^l: one row per neuron, one column per point of the minibatch")
        for i, heat, image, hist, bars, note in self._rows:
            h = snap.record.layers[i].h
            if h is None:  # phase stepping: the forward pass has not reached this layer
                image.clear()
                bars.setOpts(height=np.zeros(1))
                note.setText("not computed yet")
                continue
            low, high = self._levels(snap.structure.activations[i], h)
            image.setImage(h, levels=(low, high), autoLevels=False)
            edges = bin_edges([h], BINS)
            counts = histogram(h, edges)
            bars.setOpts(x0=edges[:-1], x1=edges[1:], height=counts)
            if self._text.due(snap):
                share = saturation(snap.structure.activations[i], h)
                note.setText("" if share is None else f"saturated {share:.0%}")
                note.setPos(edges[-1], counts.max())
        self._draw_function(snap)

    @staticmethod
    def _levels(activation, h):
        if activation in ("sigmoid", "softmax"):
            return 0.0, 1.0
        if activation == "tanh":
            return -1.0, 1.0
        bound = float(np.nanmax(np.abs(h))) if h.size else 1.0
        bound = bound if np.isfinite(bound) and bound > 0 else 1.0
        return (0.0, bound) if activation == "relu" else (-bound, bound)

    def _draw_function(self, snap):
        index = self.layer_choice.currentData()
        if self.selection is not None and self.selection[0] in [self.layer_choice.itemData(k)
                                                               for k in range(self.layer_choice.count())]:
            index = self.selection[0]
        if index is None:
            return
        act = get_activation(snap.structure.layer_configs[index].get("activation", snap.structure.activations[index]))
        z = snap.record.layers[index].z if snap.record is not None else None
        z_values = z.ravel() if z is not None else np.zeros(0)
        span = max(4.0, float(np.nanmax(np.abs(z_values))) if z_values.size else 4.0)
        z = np.linspace(-span, span, 400)
        self.z_points.setData(x=[], y=[])
        if act.name == "softmax":  # σ of one unit against the others at 0
            self.sigma.setData(z, 1 / (1 + np.exp(-z)))
            self.sigma_prime.setData(z, np.exp(-z) / (1 + np.exp(-z)) ** 2)
            self.z_points.setData(x=[], y=[])
            return
        h = act.forward(z)
        self.sigma.setData(z, h)
        self.sigma_prime.setData(z, act.derivative(z, h))
        if z_values.size:
            self.z_points.setData(x=z_values, y=act.forward(z_values))

    def _on_layer_chosen(self, _index):
        self.selection = None
        if self.snapshot is not None:
            self._draw_function(self.snapshot)
