"""Legends of exported figures in the plot corner that covers the fewest data.

On screen a legend sits top right, where a falling loss curve is out of its way; an
accuracy curve or a spiral's points may be right under it. For export, each legend
is moved to whichever of the four corners its box hides the fewest drawn points of
(curve vertices and the segments between them, scatter points); ties keep it where
it was."""

from __future__ import annotations

import contextlib

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from .export_style import descendants

CORNER_MARGIN = 8  # logical pixels between a legend and the plot's edges
SAMPLES_PER_SEGMENT = 8  # points counted along each segment of a curve


@contextlib.contextmanager
def legends_in_emptiest_corner(root):
    moved = []
    for legend in descendants(root):
        if (isinstance(legend, pg.LegendItem) and legend.isVisible() and legend.items
                and legend.opts.get("offset") is not None):  # anchored by an offset, as addLegend does
            box = legend.parentItem()
            if isinstance(box, pg.ViewBox):
                moved.append((legend, tuple(legend.opts["offset"])))
                legend.setOffset(emptiest_corner(legend, box))
    try:
        yield
    finally:
        for legend, offset in moved:
            legend.setOffset(offset)


def emptiest_corner(legend, box) -> tuple[float, float]:
    """The legend offset (pyqtgraph's: its signs pick the corner) that hides the fewest points."""
    m = CORNER_MARGIN
    current = tuple(legend.opts["offset"])
    corners = [(-m, m), (m, m), (-m, -m), (m, -m)]  # top right, top left, bottom right, bottom left
    corners.sort(key=lambda c: (np.sign(c[0]) != np.sign(current[0])) + (np.sign(c[1]) != np.sign(current[1])))
    points = drawn_points(box)
    size = legend.boundingRect().size()
    width, height = box.width(), box.height()

    def hidden(offset):
        x = offset[0] if offset[0] > 0 else width + offset[0] - size.width()
        y = offset[1] if offset[1] > 0 else height + offset[1] - size.height()
        rect = box.mapRectToScene(QRectF(x, y, size.width(), size.height()))
        inside = ((points[:, 0] >= rect.left()) & (points[:, 0] <= rect.right())
                  & (points[:, 1] >= rect.top()) & (points[:, 1] <= rect.bottom()))
        return int(inside.sum())
    return min(corners, key=hidden)  # min keeps the first of equals: the current corner


def drawn_points(box) -> np.ndarray:
    """(n, 2) scene coordinates of what the box's curves and scatters draw."""
    chunks = [np.zeros((0, 2))]
    for item in descendants(box):
        if not item.isVisible():
            continue
        if isinstance(item, pg.PlotCurveItem):
            x, y = item.getData()
            if x is not None and len(x):
                chunks.append(_to_scene(item, *_along_segments(x, y, item.opts.get("connect"))))
        elif isinstance(item, pg.ScatterPlotItem) and len(item.data):
            chunks.append(_to_scene(item, item.data["x"], item.data["y"]))
    points = np.vstack(chunks)
    return points[np.isfinite(points).all(axis=1)]


def _along_segments(x, y, connect):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) == len(y) + 1:  # a histogram drawn as steps: x are the bins' edges
        x, y = np.repeat(x, 2)[1:-1], np.repeat(y, 2)
    if len(x) < 2 or len(x) != len(y):
        return x, y
    starts = np.arange(0, len(x) - 1, 2 if connect == "pairs" else 1)
    t = np.linspace(0.0, 1.0, SAMPLES_PER_SEGMENT)[None, :]
    xs = x[starts, None] + (x[starts + 1] - x[starts])[:, None] * t
    ys = y[starts, None] + (y[starts + 1] - y[starts])[:, None] * t
    return xs.ravel(), ys.ravel()


def _to_scene(item, x, y) -> np.ndarray:
    t = item.sceneTransform()
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return np.column_stack([t.m11() * x + t.m21() * y + t.dx(), t.m12() * x + t.m22() * y + t.dy()])
