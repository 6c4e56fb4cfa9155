"""Heat maps as the lecture draws matrices: row 1 at the top, integer ticks on the cell
centres counted from 1, and a colour bar beside every map (shared by the maps that
use the same scale)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from .. import theme

KEPT, DROPPED = (0, 114, 178), (225, 225, 225)  # blue = kept (1), light grey = dropped (0)
MAX_TICK_LABELS = 12  # beyond this every k-th index is labelled


def mask_colormap() -> pg.ColorMap:
    """Two colours: 0 (dropped) light grey, 1 (kept) blue; nothing in between."""
    return pg.ColorMap(pos=np.array([0.0, 0.499, 0.501, 1.0]),
                       color=np.array([DROPPED, DROPPED, KEPT, KEPT], dtype=np.ubyte))


MIN_TICK_PX = (22, 16)  # pixels a label needs along x (a number's width) and along y (its height)


def index_ticks(n: int, pixels_per_cell: float | None = None, need: float = MIN_TICK_PX[0]) -> list:
    """Ticks at the centres of n cells (cell k spans [k, k + 1]), labelled 1 … n: every
    k-th one when the cells are too small for a label each (or more than a dozen)."""
    step = max(1, int(np.ceil(n / MAX_TICK_LABELS)))
    if pixels_per_cell:
        step = max(step, int(np.ceil(need / pixels_per_cell)))
    shown = list(range(0, n, step))
    if shown and shown[-1] != n - 1:
        # the last cell is always labelled; a regular label too close to it makes room
        if n - 1 - shown[-1] < step and len(shown) > 1:
            shown[-1] = n - 1
        else:
            shown.append(n - 1)
    return [[(k + 0.5, str(k + 1)) for k in shown], []]


def heat_plot(graphics, row: int, col: int, x_label: str = "", y_label: str = "", **cell) -> tuple:
    """(plot, image) in ``graphics``: square cells, row 1 on top, fixed (no mouse zoom)."""
    plot = graphics.addPlot(row=row, col=col, **cell)
    theme.style_plot(plot, x_label, y_label)
    plot.setMouseEnabled(False, False)
    plot.hideButtons()
    plot.setAspectLocked(True)
    plot.invertY(True)
    image = pg.ImageItem()
    plot.addItem(image)
    return plot, image


def show_matrix(plot, image, values: np.ndarray, levels: tuple, beside_axis: bool = False) -> None:
    """Draw an (rows, columns) array with integer ticks from 1 on both axes; with
    ``beside_axis``, the map next to its row axis (see fit_beside_axis)."""
    values = np.atleast_2d(values)
    image.setImage(np.asarray(values, dtype=float), levels=levels, autoLevels=False)
    rows, cols = values.shape
    if not (beside_axis and fit_beside_axis(plot, rows, cols)):
        plot.setRange(xRange=(0, cols), yRange=(0, rows), padding=0.02)
    matrix_ticks(plot, rows, cols)


def matrix_ticks(plot, rows: int, cols: int) -> None:
    """Integer ticks from 1 on both axes, as many as fit the cells' size on screen."""
    box = plot.getViewBox()
    # pixels per (square) cell, from the range shown (wider than the map beside its axis)
    cell = 1.0 / max(box.viewPixelSize()) if box.width() > 1 and box.height() > 1 else None
    left, bottom = plot.getAxis("left"), plot.getAxis("bottom")
    theme.set_ticks(left, index_ticks(rows, cell, max(MIN_TICK_PX[1], _tick_metrics(left).height())))
    theme.set_ticks(bottom, index_ticks(cols, cell, max(MIN_TICK_PX[0], _tick_metrics(bottom).horizontalAdvance(
        str(cols)) + 8)))


def _tick_metrics(axis) -> QFontMetricsF:
    """The axis' tick labels' font metrics (an export's theme sets larger fonts: labels
    thinned for the screen's font ran together in a figure, "12345678910")."""
    return QFontMetricsF(axis.style.get("tickFont") or axis.font())


def fit_beside_axis(plot, rows: int, cols: int) -> bool:
    """Range an aspect-locked map's plot so that the map sits beside its row axis with the
    spare width to its right (centred, a wide, short plot left the axis far from the
    rows it counts). False when the plot has no size yet. On screen only: a figure's
    range is the map itself, which the export trims to."""
    box = plot.getViewBox()
    if box.width() < 2 or box.height() < 2:
        return False
    cell = min(box.width() / (cols * 1.04), box.height() / (rows * 1.04))  # pixels per cell
    left = max(0.02 * cols, MIN_TICK_PX[0] / 2 / cell)  # room for the "1" under column 1
    top = 0.02 * rows
    plot.setRange(xRange=(-left, box.width() / cell - left), yRange=(-top, box.height() / cell - top), padding=0)
    return True


def colour_bar(graphics, row: int, col: int, colormap: pg.ColorMap, label: str, images=(), **cell):
    """A vertical colour bar (not interactive) for ``images``, which take its colours."""
    bar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=colormap, interactive=False,
                          width=14, colorMapMenu=False)
    graphics.addItem(bar, row=row, col=col, **cell)
    if images:
        bar.setImageItem(list(images))
    axis = bar.getAxis("right")
    font = pg.QtGui.QFont()
    font.setPointSize(theme.FONT_POINT_SIZE - 1)
    axis.setTickFont(font)
    # as wide as its numbers and title need, at any text size: ColorBarItem fixes the
    # width, and an export's larger fonts put the title over the numbers
    axis.setWidth(None)
    theme.set_axis_label(axis, label, **{"font-size": f"{theme.FONT_POINT_SIZE - 1}pt"})
    return bar


def symmetric_levels(*arrays) -> tuple:
    """(−b, b) with b the largest |value| (1 if all are zero): 0 is the middle colour."""
    finite = [np.abs(a[np.isfinite(a)]).max() for a in arrays if np.size(a) and np.isfinite(a).any()]
    bound = float(max(finite)) if finite else 1.0
    return (-bound, bound) if bound > 0 else (-1.0, 1.0)


def legend_above(graphics, row: int, col: int, columns: int = 3, **cell) -> pg.LegendItem:
    """A legend in a layout cell of its own (above or beside a plot), so it never covers data."""
    legend = pg.LegendItem(offset=None, colCount=columns, frame=False,
                           labelTextSize=f"{theme.FONT_POINT_SIZE - 1}pt", horSpacing=14)
    # its own height, not the cell's: a stretched legend spreads its rows apart and puts
    # the samples beside the wrong names
    legend.setSizePolicy(pg.QtWidgets.QSizePolicy.Maximum, pg.QtWidgets.QSizePolicy.Maximum)
    graphics.addItem(legend, row=row, col=col, **cell)
    graphics.ci.layout.setAlignment(legend, pg.QtCore.Qt.AlignTop | pg.QtCore.Qt.AlignLeft)
    return legend
