"""Colours and fonts, chosen for a projector: light background, dark text, and
colour-blind-safe hues (Okabe–Ito) for everything that carries meaning."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

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


def configure_pyqtgraph() -> None:
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
        axis.setLabel(label, **{"font-size": f"{FONT_POINT_SIZE}pt"})
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)  # "loss (x0.001)" confuses more than it helps
    # No grid: pyqtgraph's grid lines cost ~9 ms per plot per frame offscreen (measured),
    # more than everything else in a plot together.


def plane_plot(x_label: str = "x1", y_label: str = "x2", lo: float = -6.0, hi: float = 6.0):
    """(widget, plot) for a view of the input plane: square, fixed to [lo, hi]², no
    mouse zoom (a lecture's figure should not drift)."""
    widget = pg.PlotWidget()
    plot = widget.getPlotItem()
    style_plot(plot, x_label, y_label)
    plot.setAspectLocked(True)
    plot.setRange(xRange=(lo, hi), yRange=(lo, hi), padding=0.02)
    plot.setMouseEnabled(False, False)
    plot.hideButtons()
    return widget, plot
