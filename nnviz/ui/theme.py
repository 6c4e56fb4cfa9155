"""Colours and fonts, chosen for a projector: light background, dark text, and
colour-blind-safe hues (Okabe–Ito) for everything that carries meaning."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

# Okabe–Ito palette: distinguishable with every common colour-vision deficiency.
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
GREEN = "#009E73"
GREY = "#888888"
INK = "#1a1a1a"

# Class colours as TensorFlow Playground: class 0 orange, class 1 blue.
CLASS_COLOURS = (ORANGE, BLUE)
TRAIN_COLOUR, TEST_COLOUR = BLUE, VERMILLION

FONT_POINT_SIZE = 11
LABEL_STYLE = {"font-size": f"{FONT_POINT_SIZE}pt"}  # axis titles, in the text size

# The projector theme of exported figures. A figure is laid out SLIDE_WIDTH logical
# pixels wide and then drawn at the width asked for, so that every size below is a
# fixed share of the figure's width: a 2,400-pixel PNG looks like the 1,024-pixel one,
# only sharper. At 1,024 px (a projector's width) 20 px text is about 1/50 of the
# screen's width: readable from the back of a lecture hall.
SLIDE_WIDTH = 1024
PROJECTOR_TICK_PX = 20  # tick labels
PROJECTOR_LABEL_PX = 22  # axis titles and plot titles
PROJECTOR_LEGEND_PX = 20  # legend entries
PROJECTOR_TEXT_PX = 18  # text items inside plots (layer names, counts, notes)
PROJECTOR_PEN_SCALE = 1.6  # curves, axes and markers' outlines get this much thicker
PROJECTOR_MIN_PEN_PX = 2.0  # and never thinner than this
PROJECTOR_SYMBOL_SCALE = 1.5  # scatter symbols grow this much


_PYQTGRAPH_TICK_SPACING = pg.AxisItem.tickSpacing
TICK_ROOM = 1.3  # vertical room a tick label needs, in text heights


def _tick_spacing_that_fits(axis: pg.AxisItem, low: float, high: float, size: float):
    """pyqtgraph's tick levels, without those whose labels would overlap on a short
    vertical axis (it labels 0, 0.2, … 1.0 even in 30 pixels): coarser 1-2-5 steps
    until one label fits in TICK_ROOM text heights. Explicit ticks are untouched."""
    levels = _PYQTGRAPH_TICK_SPACING(axis, low, high, size)
    if getattr(axis, "counts", False):  # updates, epochs: whole numbers only (never 0.5, 1.5 …)
        levels = [(spacing, offset) for spacing, offset in levels if spacing >= 1] or [(1.0, 0)]
    if axis.orientation not in ("left", "right") or axis._tickSpacing is not None or high <= low or size <= 0:
        return levels
    font = axis.style.get("tickFont") or pg.QtGui.QFont()
    room = pg.QtGui.QFontMetricsF(font).height() * TICK_ROOM
    pixels_per_unit = size / (high - low)
    finest = min((spacing for spacing, _ in levels), default=None)
    if finest is None or finest * pixels_per_unit >= room:
        return levels
    spacing = previous = finest  # the finest 1-2-5 step whose labels fit, as the only level
    while spacing * pixels_per_unit < room and spacing < high - low:
        previous = spacing
        mantissa = spacing / 10 ** np.floor(np.log10(spacing))
        spacing *= 2.5 if round(mantissa) == 2 else 2  # 1 → 2 → 5 → 10
    if spacing >= high - low and previous < spacing and previous * pixels_per_unit >= room / TICK_ROOM:
        # one label left ("0" alone on a loss axis 0–0.8): two a text height apart are better
        spacing = previous
    return [(spacing, 0)]


def count_axis(axis: pg.AxisItem) -> None:
    """Mark an axis as counting (updates, epochs): its ticks are whole numbers at any
    range (see _tick_spacing_that_fits)."""
    axis.counts = True


def _without_si_prefix(init):
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        # No "(x0.001)" prefixes anywhere ("loss (x0.001)", "weight (x0.001)" with ticks of
        # 100 confuse more than they help; the values as they are), and an axis
        # with the prefix on rewrites its label's HTML at every range change, hidden axes
        # included: 20 % of the activations view's frame at full speed (measured).
        self.autoSIPrefix = False
    __init__.nnviz_without_si_prefix = True
    return __init__


def configure_pyqtgraph() -> None:
    pg.AxisItem.tickSpacing = _tick_spacing_that_fits
    if not getattr(pg.AxisItem.__init__, "nnviz_without_si_prefix", False):
        pg.AxisItem.__init__ = _without_si_prefix(pg.AxisItem.__init__)
    # No OpenGL: the offscreen platform has none (DESIGN.md).
    pg.setConfigOptions(antialias=True, background="w", foreground=INK, useOpenGL=False,
                        imageAxisOrder="row-major")


def diverging_colormap() -> pg.ColorMap:
    """Orange (0, class 0) → white (0.5, undecided) → blue (1, class 1)."""
    return pg.ColorMap(pos=np.array([0.0, 0.5, 1.0]),
                       color=np.array([[230, 159, 0], [247, 247, 247], [0, 114, 178]], dtype=np.ubyte))


def style_plot(plot: pg.PlotItem, x_label: str, y_label: str) -> None:
    font = pg.QtGui.QFont()
    font.setPointSize(FONT_POINT_SIZE)
    for side, label in (("bottom", x_label), ("left", y_label)):
        axis = plot.getAxis(side)
        axis.setLabel(label, **LABEL_STYLE)
        axis.setTickFont(font)
    # No grid: pyqtgraph's grid lines cost ~9 ms per plot per frame offscreen (measured),
    # more than everything else in a plot together.


def plane_plot(x_label: str = "x₁", y_label: str = "x₂", lo: float = -6.0, hi: float = 6.0):
    """(widget, plot) for a view of the input plane: square, fixed to [lo, hi]², no
    mouse zoom (a lecture's figure should not drift)."""
    widget = pg.PlotWidget()
    plot = widget.getPlotItem()
    style_plane(plot, x_label, y_label, lo, hi)
    return widget, plot


def style_plane(plot: pg.PlotItem, x_label: str = "x₁", y_label: str = "x₂", lo: float = -6.0, hi: float = 6.0):
    """A plot of the input plane: square, fixed to [lo, hi]², ticks every 2, no mouse zoom."""
    style_plot(plot, x_label, y_label)
    plot.setAspectLocked(True)
    plot.setRange(xRange=(lo, hi), yRange=(lo, hi), padding=0.02)
    plot.setMouseEnabled(False, False)
    plot.hideButtons()
    for side in ("bottom", "left"):
        axis = plot.getAxis(side)
        axis.setTickDensity(0.6)  # whole numbers, never crowded in a small view
        axis.setStyle(hideOverlappingLabels=False)  # ±6, the plane's ends, are always labelled


class SquarePlane:
    """Keeps a plane plot's data area square inside its GraphicsLayout by centring the
    whole layout (legend, plot, colour bar) with extra margins: an aspect-locked plot in
    a tall or wide frame would otherwise widen its range past the plane that is drawn,
    leaving blank bands beside the boundary."""

    def __init__(self, graphics: pg.GraphicsLayoutWidget, plot: pg.PlotItem):
        self.graphics, self.layout, self.box = graphics, graphics.ci, plot.getViewBox()
        self.base = self.layout.layout.getContentsMargins()
        self.extra = (0.0, 0.0)  # horizontal, vertical margin added (both sides together)
        self.box.sigResized.connect(self.fit)

    def fit(self, *_):
        width, height = self.box.width(), self.box.height()
        if width <= 1 or height <= 1:
            return
        room_x, room_y = width + self.extra[0], height + self.extra[1]
        side = min(room_x, room_y)
        # never narrower than the layout's other items need (a legend row wider than the
        # plane would stick out of the view)
        # (the room is the widget's: the layout itself grows to its minimum, margins included)
        least = self.layout.effectiveSizeHint(Qt.MinimumSize)
        room = self.graphics.viewport().size()
        spare_x = max(0.0, room.width() - (least.width() - self.extra[0]))
        spare_y = max(0.0, room.height() - (least.height() - self.extra[1]))
        extra = (min(room_x - side, spare_x), min(room_y - side, spare_y))
        if abs(extra[0] - self.extra[0]) < 1 and abs(extra[1] - self.extra[1]) < 1:
            return
        self.extra = extra
        left, top, right, bottom = self.base
        self.layout.setContentsMargins(left + extra[0] / 2, top + extra[1] / 2,
                                       right + extra[0] / 2, bottom + extra[1] / 2)


def lightened(cmap: pg.ColorMap, share: float) -> pg.ColorMap:
    """``cmap`` mixed with ``share`` white (a background map under points)."""
    colours = cmap.getLookupTable(0.0, 1.0, 256, alpha=False).astype(float)
    mixed = (colours * (1 - share) + 255 * share).astype(np.ubyte)
    return pg.ColorMap(pos=np.linspace(0.0, 1.0, 256), color=mixed)


def colour_bar(cmap: pg.ColorMap, low: float, high: float, label: str) -> pg.ColorBarItem:
    """A fixed (not draggable) colour bar with its label: every heat map says what its
    colours mean."""
    bar = pg.ColorBarItem(values=(low, high), colorMap=cmap, width=14, interactive=False,
                          colorMapMenu=False, pen=INK)
    style_axis(bar.axis, label)  # beside the numbers (the constructor would put it on the far side)
    bar.axis.setWidth(None)  # as wide as its numbers and label need, at any text size
    return bar


def style_axis(axis: pg.AxisItem, label: str | None = None) -> None:
    font = pg.QtGui.QFont()
    font.setPointSize(FONT_POINT_SIZE)
    axis.setTickFont(font)
    if label is not None:
        axis.setLabel(label, **LABEL_STYLE)
    elif axis.labelText:
        axis.setLabel(axis.labelText, **LABEL_STYLE)


def legend_row(entries, columns: int | None = None) -> pg.LegendItem:
    """A legend to put in a layout cell of its own (above or beside a plot): it never
    covers the data. ``entries``: (item, label) pairs."""
    legend = pg.LegendItem(labelTextSize=f"{FONT_POINT_SIZE}pt", colCount=columns or len(entries),
                           pen=None, brush=None, horSpacing=14)
    # its own size, not its cell's: a stretched legend spreads its rows apart and puts the
    # samples beside the wrong names (the gradient view's exported legend did)
    legend.setSizePolicy(pg.QtWidgets.QSizePolicy.Maximum, pg.QtWidgets.QSizePolicy.Maximum)
    for item, label in entries:
        legend.addItem(item, label)
    return legend


def _auto_width(axis: pg.AxisItem) -> float:
    """What pyqtgraph's AxisItem._updateWidth gives a left/right axis of automatic width."""
    if not axis.isVisible() or not axis.style["showValues"]:
        return 0.0
    width = axis.textWidth if axis.style["autoExpandTextSpace"] else axis.style["tickTextWidth"]
    width += axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"])
    if axis.label.isVisible():
        width += axis.label.boundingRect().height() * 0.8
    return width


def share_width(axes, shared: bool = True) -> None:
    """Stacked plots' left axes as wide as the widest of them, so that their x axes line up
    (a loss axis's "0.5" made it wider than the accuracy axis's "1": "20" sat at two x
    positions). ``shared=False``: each its own width again."""
    def update():
        width = max(_auto_width(axis) for axis in axes)
        for axis in axes:
            axis.setMaximumWidth(width)
            axis.setMinimumWidth(width)
            axis.picture = None
    for axis in axes:
        if shared:
            axis._updateWidth = update  # pyqtgraph calls it whenever a label's width changes
        elif "_updateWidth" in vars(axis):
            del axis._updateWidth
    for axis in axes:
        axis._updateWidth()


def integer_ticks(axis: pg.AxisItem, count: int, first: int = 1, centred: bool = False, most: int = 8) -> None:
    """Ticks labelled first … first + count − 1 (neurons are counted from 1, as in the
    lecture), thinned so that labels never crowd; ``centred``: at the middle of image
    rows/columns (k + 0.5)."""
    step = max(1, int(np.ceil(count / most)))
    offset = 0.5 if centred else 0.0
    ticks = [(k + offset, str(k + first)) for k in range(0, count, step)]
    set_ticks(axis, [ticks, []])


# Setting an axis's ticks or label, or a plot's title, throws away its drawing (the axis
# is laid out and rendered again at the next paint, and a title's new size relayouts the
# whole plot, which paints twice). Views set them at every frame, nearly always to the
# same values: these setters do nothing then.

def set_ticks(axis: pg.AxisItem, ticks) -> None:
    """``axis.setTicks(ticks)`` unless those are the ticks shown."""
    if ticks != getattr(axis, "_tickLevels", None):
        axis.setTicks(ticks)


def set_title(plot: pg.PlotItem, title: str, size: str | None = None) -> None:
    """``plot.setTitle(title, size=…)`` (default: the text size) unless it is shown."""
    size = size or f"{FONT_POINT_SIZE}pt"
    label = plot.titleLabel
    if label.isVisible() and label.text == title and label.opts.get("size") == size:
        return
    plot.setTitle(title, size=size)


def sparse_log_labels(axis: pg.AxisItem) -> None:
    """On a log axis, the minor ticks (2 … 9 × 10ᵏ) labelled only where there is room:
    all eight, 2 and 5, or none (powers of ten always), and never fewer than two when
    less than a decade is in view. pyqtgraph labels all eight whatever the plot's size,
    and in a short plot "0.1 0.09 0.08 …" were drawn on top of each other."""
    standard = axis.logTickStrings

    def strings(values, scale, spacing):
        labels = standard(values, scale, spacing)
        if spacing is not None:  # the powers of ten: always labelled
            return labels
        vertical = axis.orientation in ("left", "right")
        metrics = pg.QtGui.QFontMetrics(axis.style.get("tickFont") or pg.QtGui.QFont())
        need = metrics.height() * 1.2 if vertical else metrics.horizontalAdvance("0.08") * 1.5
        low, high = axis.range
        length = axis.size().height() if vertical else axis.size().width()
        per_decade = length / max(high - low, 1e-9)
        choices = [{1}, {1, 2, 5}, set(range(1, 10))]  # sparsest first
        fit = 2 if per_decade >= 9 * need else 1 if per_decade >= 3 * need else 0
        for keep in choices[fit:]:  # less than a decade in view: at least two labels
            shown = [label if round(10 ** (v % 1)) in keep else "" for v, label in zip(values, labels)]
            if sum(1 for label in shown if label) >= 2:
                break
        return shown
    axis.logTickStrings = strings


def restyle_label(axis: pg.AxisItem, **style) -> None:
    """The axis label in ``style``, kept hidden where a view hid it (pyqtgraph's setLabel
    shows it: the text zoom and the export theme made every activation map repeat
    "neuron" and "point")."""
    shown = axis.label.isVisibleTo(axis)
    axis.setLabel(axis.labelText, axis.labelUnits, **style)
    if not shown:
        axis.showLabel(False)


def set_axis_label(axis: pg.AxisItem, label: str, **style) -> None:
    """``axis.setLabel(label, **style)`` unless that label is shown, then centred along
    the axis: pyqtgraph centres a label only when the axis is resized, so a title that
    got shorter ("x" for "component of x (from 1)") stayed where the long one began."""
    if axis.labelText == (label or "") and (not style or axis.labelStyle == style) \
            and axis.label.isVisible() == bool(label):
        return
    axis.setLabel(label, **style)
    _centre_label(axis)


def _centre_label(axis: pg.AxisItem) -> None:
    """Centre the label along its axis as pyqtgraph's resizeEvent does, keeping its
    distance from the axis (which resizeEvent would measure from a width not yet grown)."""
    box, pos = axis.label.boundingRect(), axis.label.pos()
    if axis.orientation in ("left", "right"):  # rotated: its width runs along the axis
        axis.label.setPos(pos.x(), int(axis.size().height() / 2 + box.width() / 2))
    else:
        axis.label.setPos(int(axis.size().width() / 2 - box.width() / 2), pos.y())
