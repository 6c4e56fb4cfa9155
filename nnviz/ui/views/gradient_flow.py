"""Gradient flow: per-layer ‖dWˡ‖ (and mean ‖dzˡ‖) against updates, log scale, and
the latest backward pass as bars from the output back to the input. The legend, beside
the plots, names every layer."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout

from ...engine.notation import sym
from .. import theme
from ..logic.decimate import decimate
from ..ranges import StickyRange
from ..widgets import compact
from .base import View


def layer_colours(n):
    """n colours from a perceptually uniform map, output layer darkest."""
    cmap = pg.colormap.get("viridis")
    return [cmap.map(0.85 * (1 - k / max(n - 1, 1)), mode="qcolor") for k in range(n)]


class GradientFlowView(View):
    title = "Gradient flow"
    short_title = "Gradients"  # its tab
    view_id = "gradients"
    default_area = "bottom"
    tab_group = "inside"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.quantity = compact(QComboBox(), 10)
        self.quantity.addItem("‖dWˡ‖", "norm_dW")
        self.quantity.setItemData(0, "Frobenius norm of each layer's weight gradient", Qt.ToolTipRole)
        self.quantity.addItem("mean ‖dzˡ‖", "norm_dz")
        self.quantity.setItemData(1, "mean over the minibatch of each point's ‖dzˡ‖", Qt.ToolTipRole)
        self.quantity.currentIndexChanged.connect(lambda _i: self._structure_reset())
        self.add_to_header(QLabel("show"), self.quantity)
        self.graphics = pg.GraphicsLayoutWidget()
        self.lines_plot = pg.PlotItem()
        theme.style_plot(self.lines_plot, "updates", "norm (log scale)")
        self.lines_plot.setLogMode(y=True)
        theme.sparse_log_labels(self.lines_plot.getAxis("left"))
        self.lines_range = StickyRange(self.lines_plot, log_y=True)
        self.legend = theme.legend_row([], columns=1)  # beside the plots: every layer, none over the data
        self.bars_plot = pg.PlotItem()
        theme.style_plot(self.bars_plot, "layer, latest backward pass (output → input)", "norm")
        self.bars = pg.BarGraphItem(x=[0], height=[0], width=0.7, brush=pg.mkBrush(theme.BLUE))
        self.bars_plot.addItem(self.bars)
        self.bars_range = StickyRange(self.bars_plot)
        self._side_by_side = None
        self._arrange(False)
        self._lines = {}
        self._structure = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.graphics, 1)

    def _arrange(self, side_by_side: bool):
        """Lines over bars, the legend beside them; in a wide, short dock all three in a row."""
        if side_by_side == self._side_by_side:
            return
        self._side_by_side = side_by_side
        layout = self.graphics.ci
        for item in (self.lines_plot, self.bars_plot, self.legend):
            if item.scene() is not None:
                layout.removeItem(item)
        if side_by_side:
            layout.addItem(self.lines_plot, row=0, col=0)
            layout.addItem(self.bars_plot, row=0, col=1)
            layout.addItem(self.legend, row=0, col=2)
            layout.layout.setColumnStretchFactor(0, 3)
            layout.layout.setColumnStretchFactor(1, 2)
        else:
            layout.addItem(self.lines_plot, row=0, col=0)
            layout.addItem(self.bars_plot, row=1, col=0)
            layout.addItem(self.legend, row=0, col=1, rowspan=2)
            layout.layout.setRowStretchFactor(0, 3)
            layout.layout.setRowStretchFactor(1, 2)
        layout.layout.setAlignment(self.legend, Qt.AlignTop | Qt.AlignLeft)  # beside the lines' top

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._arrange(self.width() > 2.2 * self.height())
        self._fit_legend()

    def _fit_legend(self):
        """As many legend columns as the view's height needs: one column of a deep
        network's layers (dW¹ … dWᵒ) was taller than a short dock, and the layout cut
        the plots' axis titles off at the bottom."""
        entries = len(self.legend.items)
        if not entries:
            return
        row = self.legend.layout.itemAt(0, 1).effectiveSizeHint(Qt.PreferredSize).height() + \
            self.legend.layout.verticalSpacing()
        fits = max(1, int((self.graphics.height() - 16) // max(row, 1.0)))
        columns = -(-entries // fits)
        if columns != self.legend.columnCount:
            self.legend.setColumnCount(columns)

    def _structure_reset(self):
        self._structure = None
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)

    def _dense(self, snap):
        return list(snap.structure.dense_layers)

    def _names(self, snap):
        return [snap.structure.superscripts[i] for i in self._dense(snap)]

    def _ensure_structure(self, snap):
        key = (snap.structure.layer_configs, self.quantity.currentData())
        if key == self._structure:
            return
        self._structure = key
        self.lines_range.reset()
        self.bars_range.reset()
        for line in self._lines.values():
            self.lines_plot.removeItem(line)
        self.legend.clear()
        dense, names = self._dense(snap), self._names(snap)
        symbol = "dW" if self.quantity.currentData() == "norm_dW" else "dz"
        self._lines = {}
        for i, name, colour in zip(dense, names, layer_colours(len(dense))):
            self._lines[i] = self.lines_plot.plot(pen=pg.mkPen(colour, width=2.5))
            self.legend.addItem(self._lines[i], sym(symbol, name))
        order = list(reversed(names))
        # the layers' names alone under the bars (o, 6, …, 1): "dW⁶" under every bar of a
        # deep network would run into each other; the axis title says what they are
        theme.set_ticks(self.bars_plot.getAxis("bottom"), [[(k, n) for k, n in enumerate(order)]])
        theme.set_axis_label(self.bars_plot.getAxis("left"), f"‖{symbol}‖")
        colours = list(reversed(layer_colours(len(dense))))
        self.bars.setOpts(brushes=[pg.mkBrush(c) for c in colours])
        self._fit_legend()

    def export_tables(self):
        snap = self.snapshot
        if snap is None:
            return {}
        h, key = snap.history, self.quantity.currentData()
        names = self._names(snap)
        columns = ["update"] + [f"{key.replace('norm_', 'norm_of_')}^{n}" for n in names]
        data = [h.step] + [h.get(f"{key}/{i}") for i in self._dense(snap)]
        return {"gradient_norms": (columns, np.column_stack(data))}

    def show_snapshot(self, snap):
        self._ensure_structure(snap)
        key = self.quantity.currentData()
        h = snap.history
        steps = h.step
        shown = []
        for i, line in self._lines.items():
            values = h.get(f"{key}/{i}")
            keep = np.isfinite(values) & (values > 0)
            line.setData(*decimate(steps[keep], values[keep]))
            shown.append(values[keep])
        last_step = float(steps[-1]) if h.length else 1.0
        self.lines_range.update(last_step, np.concatenate(shown) if shown else [])
        latest = [h.get(f"{key}/{i}")[-1] if h.length else np.nan for i in reversed(self._dense(snap))]
        latest = np.nan_to_num(np.asarray(latest, dtype=float))
        self.bars.setOpts(x=np.arange(len(latest)), height=latest)
        self.bars_plot.setXRange(-0.6, len(latest) - 0.4, padding=0)
        self.bars_range.update(len(latest), latest, y_floor=0.0)
        self.bars_plot.setXRange(-0.6, len(latest) - 0.4, padding=0)
