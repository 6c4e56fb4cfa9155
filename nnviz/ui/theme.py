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
