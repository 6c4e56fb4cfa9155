"""The projector theme of an exported figure: larger text, thicker lines, bigger
markers, all in logical pixels of a figure laid out theme.SLIDE_WIDTH wide.

Every change is recorded with the means to undo it, so the view on screen is exactly
as it was after the export."""

from __future__ import annotations

import contextlib

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem

from . import theme


@contextlib.contextmanager
def projector_theme(root, enabled: bool = True):
    """Style every item under ``root`` for a lecture hall while the block runs."""
    undo = []
    if enabled:
        for item in descendants(root):
            for styler in STYLERS:
                restore = styler(item)
                if restore is not None:
                    undo.append(restore)
    try:
        yield
    finally:
        for restore in reversed(undo):
            restore()


def descendants(item):
    """``item`` and every item below it, parents before children."""
    stack = [item]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.childItems()))


def pixel_font(px: int, like: QFont | None = None) -> QFont:
    """A font ``px`` logical pixels high: pixel sizes do not depend on the screen's or
    the PDF's dots per inch, so every writer measures the same text."""
    font = QFont(like) if like is not None else QFont()
    font.setPixelSize(px)
    return font


def thicker(pen):
    pen = pg.mkPen(pen)
    pen.setWidthF(max(pen.widthF() * theme.PROJECTOR_PEN_SCALE, theme.PROJECTOR_MIN_PEN_PX))
    return pen


# -- one styler per kind of item: change it, return how to undo it (None: not mine) ---
def _style_axis(item):
    if not isinstance(item, pg.AxisItem):
        return None
    saved = (item.style.get("tickFont"), item.pen(), dict(item.labelStyle), list(item.style["tickTextOffset"]),
             item.textWidth, item.textHeight)
    item.setStyle(tickFont=pixel_font(theme.PROJECTOR_TICK_PX, item.style.get("tickFont")),
                  tickTextOffset=int(theme.PROJECTOR_TICK_PX * 0.5))
    item.setPen(thicker(item.pen()))
    if item.labelText:
        theme.restyle_label(item, **{**item.labelStyle, "font-size": f"{theme.PROJECTOR_LABEL_PX}px"})

    def restore():
        font, pen, label_style, offset, width, height = saved
        item.setStyle(tickFont=font, tickTextOffset=offset[0] if item.orientation in ("left", "right") else offset[1])
        item.setPen(pen)
        if item.labelText:
            item.labelStyle = {}
            theme.restyle_label(item, **label_style)
        item.textWidth, item.textHeight = width, height
        item._updateWidth() if item.orientation in ("left", "right") else item._updateHeight()
    return restore


def _style_plot_data(item):
    """A plot's data item: its pen and symbols (which its curve, scatter and legend
    sample all read from its options)."""
    if not isinstance(item, pg.PlotDataItem):
        return None
    pen, size = item.opts["pen"], item.opts["symbolSize"]
    if pen is not None:
        item.setPen(thicker(pen))
    if item.opts["symbol"] is not None:
        item.setSymbolSize(np.asarray(size) * theme.PROJECTOR_SYMBOL_SCALE)

    def restore():
        if pen is not None:
            item.setPen(pen)
        if item.opts["symbol"] is not None:
            item.setSymbolSize(size)
    return restore


def _style_curve(item):
    if (not isinstance(item, pg.PlotCurveItem) or item.opts.get("pen") is None
            or isinstance(item.parentItem(), pg.PlotDataItem)):
        return None
    pen = pg.mkPen(item.opts["pen"])
    item.setPen(thicker(pen))
    return lambda: item.setPen(pen)


def _style_scatter(item):
    if (not isinstance(item, pg.ScatterPlotItem) or isinstance(item.parentItem(), pg.PlotDataItem)
            or not item.opts["pxMode"]):
        return None  # pxMode off: sizes are in data units and scale with the plot already
    default, sizes = item.opts["size"], item.data["size"].copy()
    item.setSize(default * theme.PROJECTOR_SYMBOL_SCALE)
    if (sizes >= 0).any():  # per-point sizes
        item.setSize(np.where(sizes >= 0, sizes * theme.PROJECTOR_SYMBOL_SCALE, -1))

    def restore():
        item.setSize(default)
        if (sizes >= 0).any():
            item.setSize(sizes)
    return restore


def _style_legend(item):
    if not isinstance(item, pg.LegendItem):
        return None
    size = item.labelTextSize()
    item.setLabelTextSize(f"{theme.PROJECTOR_LEGEND_PX}px")
    return lambda: item.setLabelTextSize(size)


def _style_title(item):
    """A plot's title: larger, and its row as high as the text (pyqtgraph fixes it at 30 px)."""
    if not isinstance(item, pg.PlotItem) or not item.titleLabel.isVisible():
        return None
    label = item.titleLabel
    text, opts = label.text, dict(label.opts)
    label.setText(text, size=f"{theme.PROJECTOR_LABEL_PX}px")
    height = label.item.boundingRect().height()
    label.setMaximumHeight(height)
    item.layout.setRowFixedHeight(0, height)

    def restore():
        label.opts = opts
        label.setText(text)
        label.setMaximumHeight(30)
        item.layout.setRowFixedHeight(0, 30)
    return restore


def _style_text(item):
    if not isinstance(item, pg.TextItem):
        return None
    font = item.textItem.font()
    item.setFont(pixel_font(theme.PROJECTOR_TEXT_PX, font))
    return lambda: item.setFont(font)


def _style_lines(item):
    """Error bars and infinite lines: thicker pens."""
    if isinstance(item, pg.ErrorBarItem) and item.opts.get("pen") is not None:
        pen = pg.mkPen(item.opts["pen"])
        item.setData(pen=thicker(pen))
        return lambda: item.setData(pen=pen)
    if isinstance(item, pg.InfiniteLine):
        pen = pg.mkPen(item.pen)
        item.setPen(thicker(pen))
        return lambda: item.setPen(pen)
    return None


STYLERS = (_style_axis, _style_plot_data, _style_curve, _style_scatter, _style_legend, _style_title, _style_text, _style_lines)


@contextlib.contextmanager
def scalable_legends(root):
    """Legends drawn at the figure's scale. pyqtgraph makes them ignore transformations
    (so that zooming a plot leaves them alone), which also made them ignore the export
    scale: tiny in a 2,400-pixel PNG. Their parent (a plot's box) is not scaled itself,
    so dropping the flag while exporting changes nothing else."""
    flag = QGraphicsItem.ItemIgnoresTransformations
    freed = [item for item in descendants(root) if isinstance(item, pg.LegendItem) and item.flags() & flag]
    for item in freed:
        item.setFlag(flag, False)
    try:
        yield
    finally:
        for item in freed:
            item.setFlag(flag, True)


# -- drawing a figure into pixels at a scale ---------------------------------------------
@contextlib.contextmanager
def raster_scaled(root, scale: float):
    """Pens widened by ``scale`` while the figure is drawn ``scale`` times its logical size
    into an image: pyqtgraph's pens are cosmetic (their width is in device pixels, not
    transformed by the painter), so without this a 2,400-pixel PNG of a 1,024-pixel
    figure would have lines 2.3 times thinner than its SVG and PDF."""
    undo = []
    if abs(scale - 1.0) > 1e-3:
        for item in descendants(root):
            for scaler in PEN_SCALERS:
                restore = scaler(item, scale)
                if restore is not None:
                    undo.append(restore)
    try:
        yield
    finally:
        for restore in reversed(undo):
            restore()


def widened(pen, scale):
    pen = pg.mkPen(pen)
    if pen.isCosmetic():
        pen.setWidthF(max(pen.widthF(), 1.0) * scale)  # width 0 is drawn 1 pixel wide
    return pen


def _scale_curve_pen(item, scale):
    if not isinstance(item, pg.PlotCurveItem) or item.opts.get("pen") is None:
        return None
    pen = item.opts["pen"]
    item.setPen(widened(pen, scale))
    return lambda: item.setPen(pen)


def _scale_sample_pen(item, scale):
    """A plot data item's own pen: its legend sample is drawn with it."""
    if not isinstance(item, pg.PlotDataItem) or item.opts.get("pen") is None:
        return None
    pen = item.opts["pen"]
    item.opts["pen"] = widened(pen, scale)
    return lambda: item.opts.__setitem__("pen", pen)


def _scale_axis_pen(item, scale):
    if not isinstance(item, pg.AxisItem):
        return None
    pen, label_colour = item._pen, item.labelStyle.get("color")
    item.setPen(widened(item.pen(), scale))

    def restore():
        item._pen = pen
        if label_colour is not None:
            item.labelStyle["color"] = label_colour
        item.picture = None
    return restore


def _scale_line_pen(item, scale):
    if isinstance(item, pg.InfiniteLine):
        pen = item.pen
        item.setPen(widened(pen, scale))
        return lambda: item.setPen(pen)
    if isinstance(item, pg.ErrorBarItem) and item.opts.get("pen") is not None:
        pen = item.opts["pen"]
        item.setData(pen=widened(pen, scale))
        return lambda: item.setData(pen=pen)
    if isinstance(item, pg.BarGraphItem) and item.opts.get("pens") is None and item.opts.get("pen") is not None:
        pen = item.opts["pen"]
        item.setOpts(pen=widened(pen, scale))
        return lambda: item.setOpts(pen=pen)
    return None


def _scale_symbol_pens(item, scale):
    if not isinstance(item, pg.ScatterPlotItem) or not len(item.data):
        return None
    default, pens = item.opts["pen"], item.data["pen"].copy()
    item.opts["pen"] = widened(default, scale)
    item.data["pen"] = [p if p is None or isinstance(p, str) else widened(p, scale) for p in pens]
    item.invalidate()

    def restore():
        item.opts["pen"] = default
        item.data["pen"] = pens
        item.invalidate()
    return restore


PEN_SCALERS = (_scale_curve_pen, _scale_sample_pen, _scale_axis_pen, _scale_line_pen, _scale_symbol_pens)
