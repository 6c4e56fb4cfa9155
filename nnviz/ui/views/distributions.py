"""Distributions over time (TensorBoard's best idea): for weights, activations or
gradients of each Dense layer, percentile bands against updates."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout

from ...engine.notation import ascii_sym, pretty, sym
from .. import theme
from ..logic.decimate import decimate
from ..ranges import StickyRange
from ..widgets import compact
from .base import View

QUANTITIES = (("weights W^l", "pct_W"), ("activations h^l", "pct_h"),
              ("gradients dW^l", "pct_dW"))
SYMBOLS = {"pct_W": "W", "pct_h": "h", "pct_dW": "dW"}


class DistributionsView(View):
    title = "Distributions over time"
    short_title = "Distributions"  # its tab
    view_id = "distributions"
    default_area = "bottom"
    tab_group = "inside"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.quantity = compact(QComboBox(), 12)
        for label, key in QUANTITIES:
            self.quantity.addItem(pretty(label), key)
        self.quantity.currentIndexChanged.connect(lambda _i: self.snapshot and self.show_snapshot(self.snapshot))
        self.legend = QLabel("light: min–max · dark: ±1σ (15.9–84.1 %) · line: median")
        self.legend.setToolTip("Percentile bands of every value of the quantity in each layer, at each "
                               "evaluation: the light band from the smallest to the largest, the dark one "
                               "between the 15.9th and 84.1st percentiles (±1σ for a normal distribution), "
                               "the line the median")
        self.legend.setWordWrap(True)  # under the plots: in the title row it would widen the dock area
        self.legend.setMinimumWidth(1)
        self.add_to_header(self.quantity)
        self.graphics = pg.GraphicsLayoutWidget()
        self._plots = []  # per Dense layer: (index, plot, outer band, inner band, median)
        self._ranges = {}  # layer index → StickyRange of its plot
        self._structure = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.legend)

    def _ensure_structure(self, snap):
        if snap.structure.layer_configs == self._structure:
            return
        self._structure = snap.structure.layer_configs
        self.graphics.clear()
        self._plots, self._ranges = [], {}
        dense = [i for i, kind in enumerate(snap.structure.layer_kinds) if kind == "dense"]
        for k, i in enumerate(dense):  # one plot per layer, side by side
            plot = self.graphics.addPlot(row=0, col=k)
            # axis titles on the first layer only: repeated, they run into each other
            theme.style_plot(plot, "updates" if k == 0 else "", "value" if k == 0 else "")
            # edges of the bands: invisible curves that FillBetweenItem fills between
            curves = [pg.PlotCurveItem(pen=pg.mkPen(None)) for _ in range(4)]  # min, low, high, max
            for curve in curves:
                plot.addItem(curve)
            plot.addItem(pg.FillBetweenItem(curves[0], curves[3], brush=pg.mkBrush(0, 114, 178, 50)))
            plot.addItem(pg.FillBetweenItem(curves[1], curves[2], brush=pg.mkBrush(0, 114, 178, 120)))
            median = plot.plot(pen=pg.mkPen(theme.INK, width=2))
            self._plots.append((i, plot, curves, median))
            self._ranges[i] = StickyRange(plot)  # re-fitted in steps: a new range re-lays the axes

    def export_tables(self):
        snap = self.snapshot
        if snap is None:
            return {}
        key, h, rows = self.quantity.currentData(), snap.history, []
        for k, (i, *_rest) in enumerate(self._plots):
            name = ascii_sym(SYMBOLS[key], snap.structure.superscripts[i])
            values = h.get(f"{key}/{i}")
            if values.ndim == 2:
                rows += [(step, name, *v) for step, v in zip(h.step, values) if np.isfinite(v).all()]
        return {"percentiles": (["update", "quantity", "min", "p15.87", "median", "p84.13", "max"], rows)}

    def show_snapshot(self, snap):
        self._ensure_structure(snap)
        key = self.quantity.currentData()
        h = snap.history
        for k, (i, plot, curves, median) in enumerate(self._plots):
            theme.set_title(plot, sym(SYMBOLS[key], snap.structure.superscripts[i]), size=f"{theme.FONT_POINT_SIZE}pt")
            values = h.get(f"{key}/{i}")
            if values.ndim != 2:
                continue
            keep = np.isfinite(values).all(axis=1)
            steps, v = decimate(h.step[keep], values[keep])
            for curve, column in zip(curves, (0, 1, 3, 4)):
                curve.setData(steps, v[:, column])
            median.setData(steps, v[:, 2])
            if len(steps):
                self._ranges[i].update(float(steps[-1]), v[:, (0, 4)])
