"""Legends that explain the lab's marks, in a layout cell of their own (never over the data).

Each entry gets a sample item of its own rather than the plotted item: pyqtgraph's
legend draws a crossed-out eye for a hidden item (the w arrow is hidden while w = 0,
the used point before the first update) and hides the item when its sample is
clicked — neither should happen to an explanation."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainterPath, QTransform
from PySide6.QtWidgets import QLabel

from .. import appearance, theme

SAMPLE_SIZE = 13  # pixels of a symbol in a legend's 20-pixel sample box
SLACK_PX = 4  # pixels kept free beside a legend


def dot(colour):
    return pg.ScatterPlotItem(size=SAMPLE_SIZE - 3, pen=pg.mkPen("w"), brush=pg.mkBrush(colour))


def square(colour):
    """A patch of a shaded region."""
    return pg.ScatterPlotItem(size=SAMPLE_SIZE + 3, symbol="s", pen=pg.mkPen(theme.GREY, width=0.5),
                              brush=pg.mkBrush(colour))


def line(colour, width=2.0, dashed=False):
    return pg.PlotDataItem(pen=pg.mkPen(colour, width=width, style=Qt.DashLine if dashed else Qt.SolidLine))


def arrow(colour):
    """A line with a head pointing right."""
    sample = pg.PlotDataItem(pen=pg.mkPen(colour, width=3), symbol=arrow_head(0.0), symbolSize=SAMPLE_SIZE,
                             symbolPen=None, symbolBrush=pg.mkBrush(colour))
    sample.setData([0.0], [0.0])  # a point, so that its scatter (which the sample draws) takes the options
    return sample


def cross():
    return pg.ScatterPlotItem(size=SAMPLE_SIZE, symbol="x", pen=None, brush=pg.mkBrush(theme.INK))


def ring(colour):
    return pg.ScatterPlotItem(size=SAMPLE_SIZE + 2, symbol="o", brush=None, pen=pg.mkPen(colour, width=2.5))


def triangle(colour):
    return pg.ScatterPlotItem(size=SAMPLE_SIZE - 4, symbol="t", brush=pg.mkBrush(colour), pen=None)


def arrow_head(degrees: float) -> QPainterPath:
    """A scatter symbol: a filled head pointing ``degrees`` counter-clockwise from +x.
    (Symbols are drawn in pixels, y downwards: the rotation is mirrored.)"""
    head = QPainterPath()
    head.moveTo(0.5, 0.0)
    head.lineTo(-0.5, -0.4)
    head.lineTo(-0.25, 0.0)
    head.lineTo(-0.5, 0.4)
    head.closeSubpath()
    return QTransform().rotate(-degrees).map(head)


def explanation(entries, columns: int) -> pg.LegendItem:
    """A legend of (sample, text) entries whose samples ignore clicks."""
    legend = theme.legend_row([], columns)
    refill(legend, entries)
    # never wider than the figure: reflow() gives it fewer columns instead (otherwise the
    # legend would widen the figure beyond the window, and be cut there)
    legend.setMinimumWidth(0)
    return legend


def refill(legend: pg.LegendItem, entries) -> None:
    """Replace the legend's entries with (sample, text) pairs; the samples ignore clicks."""
    legend.clear()
    legend._nnviz_fitted_for = None  # new entries: reflow() measures again
    for sample, text in entries:
        legend.addItem(sample, html.escape(text))  # the labels are HTML
        legend.items[-1][0].setAcceptedMouseButtons(Qt.NoButton)
    arrange(legend, legend.columnCount)


def caption(text: str) -> QLabel:
    """The words that go with a legend: what the colours and marks mean, in sentences."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.PlainText)
    label.setMinimumWidth(1)  # wraps to its column, never widens it
    appearance.styled(label, lambda s: f"font-size: {(theme.FONT_POINT_SIZE - 1) * s:.1f}pt; color: #333;")
    return label


def reflow(legend: pg.LegendItem, room: float, most: int = 3) -> None:
    """As many columns (up to ``most``) as fit ``room`` pixels (the figure's width), so
    that no entry is cut off when the view is narrow or the text large."""
    fitted_for = (round(room), legend.labelTextSize(), len(legend.items))
    if getattr(legend, "_nnviz_fitted_for", None) == fitted_for:
        return  # nothing changed since the last fit: no relayout at every redraw
    legend._nnviz_fitted_for = fitted_for
    left, _top, right, _bottom = legend.parentItem().layout.getContentsMargins() if legend.parentItem() else (0,) * 4
    for columns in range(most, 0, -1):
        if columns != legend.columnCount:
            arrange(legend, columns)
        if legend.layout.preferredWidth() + left + right + SLACK_PX <= room:
            return


def arrange(legend: pg.LegendItem, columns: int) -> None:
    """Place the entries row by row in ``columns`` columns. (pyqtgraph's own
    setColumnCount places them after the cells of the old grid, which a grid layout
    keeps counting after its items are removed: a refilled legend came out too wide.)"""
    layout = legend.layout
    for i in range(layout.count() - 1, -1, -1):
        layout.removeAt(i)
    for i, (sample, label) in enumerate(legend.items):
        row, column = divmod(i, columns)
        layout.addItem(sample, row, 2 * column, alignment=Qt.AlignVCenter)
        layout.addItem(label, row, 2 * column + 1)
    legend.columnCount, legend.rowCount = columns, -(-len(legend.items) // columns)
    legend.updateSize()


def lightened_colour(cmap: pg.ColorMap, position: float, share: float) -> tuple:
    """The colour at ``position`` of ``cmap`` mixed with ``share`` white (as the shading)."""
    rgb = np.asarray(cmap.map(position, mode="byte"), dtype=float)[:3]
    return tuple(int(v) for v in rgb * (1 - share) + 255 * share)


class ReflowingLegend:
    """Mixed into a lab view with ``legend`` and ``graphics``: the legend's columns follow
    the figure's width — the window's, or an export's while it lays the figure out —
    after every draw (which may restyle the text), on resizes, and on ``_fit_legend()``."""

    def _draw(self, snapshot):
        super()._draw(snapshot)  # draws, and restyles for the text size
        self._fit_legend()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_legend()

    def _fit_legend(self):
        if getattr(self, "legend", None) is not None:
            reflow(self.legend, self.graphics.ci.width())
