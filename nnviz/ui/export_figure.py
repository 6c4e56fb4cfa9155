"""One prepared figure for every writer.

``prepared(view)`` lays the view's plots out at the export size (theme.SLIDE_WIDTH
logical pixels wide in the projector theme), redraws the view's snapshot into that
layout, applies the projector theme, lets the axes and layouts settle, and measures
the rectangle the figure's ink covers. PNG, SVG, PDF and animation frames are all
drawn from that one state, so they show the same picture whether the view is on
screen, in a back tab or never shown, and whatever was exported before. The view is
restored afterwards.

Why each step is needed (each was a bug):
- pyqtgraph defers a ViewBox's data→pixel matrix until the scene announces a paint
  (``GraphicsScene.prepareForPaint``); pyqtgraph's SVG writer paints items one by one
  without that announcement, so an SVG of a never-painted view drew its curves and
  heat maps with a stale matrix (flat lines, empty maps).
- An axis measures its tick labels only while painting and then asks for more room;
  drawing once, re-laying out and drawing again keeps y-axis titles off the labels.
- Layouts relayout when Qt delivers LayoutRequest events: they are sent here, and
  only they, so no other event (a new snapshot, a click) runs in the middle of an export.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsWidget

from . import theme
from .export_axes import readable_log_ticks
from .export_legend import legends_in_emptiest_corner
from .export_style import descendants, projector_theme, raster_scaled, scalable_legends
from .ranges import StickyRange

FIGURE_ASPECT = 1.6  # width : height of an exported figure before cropping (16:10)
MARGIN_PX = 6  # logical pixels of white kept around the ink when cropping
SETTLE_ROUNDS = 4  # paint → relayout rounds; two are enough in practice


@dataclass
class Figure:
    """What a writer needs: the scene, the item tree to draw, the scene rectangle."""
    scene: object  # the QGraphicsScene
    item: object  # the view's export item (its tree gets pyqtgraph's export mode)
    source: QRectF  # the scene rectangle to draw: the item cropped to its ink


@contextlib.contextmanager
def prepared(view, projector: bool = True, frame: bool = False):
    """The view's figure laid out, themed and cropped for export (see the module text).
    ``frame``: an animation frame, whose ranges move as on screen (in steps, not refit
    at every frame), whose legends stay where they are on screen, and which is not
    cropped, so that every frame has the same size."""
    item = view.export_item()
    root = top_item(item)
    saved = QRectF(root.geometry())
    view.exporting = True
    view.restyled()  # before the figure's layout: a view may arrange itself for a figure (deep activations wrap)
    try:
        with contextlib.ExitStack() as undo:
            if not frame:
                undo.enter_context(tight_ranges(view))
            undo.enter_context(scalable_legends(root))
            lay_out(root, figure_size(view, root, projector))
            redraw(view)  # before the theme: a redraw may reset styles (plot titles)
            settle(root)
            undo.enter_context(projector_theme(root, projector))
            view.restyled()  # the graph's label band is measured from the labels' font
            settle(root)
            fit_locked_aspect(root)
            undo.enter_context(readable_log_ticks(root))  # after the last change of range
            settle(root)
            if not frame:  # a legend that jumps between corners from frame to frame distracts
                undo.enter_context(legends_in_emptiest_corner(root))
            yield Figure(item.scene(), item, item.sceneBoundingRect() if frame else ink_rect(item))
    finally:
        view.exporting = False
        root.setGeometry(saved)
        settle(root, paint=False)
        view.restyled()  # the screen's text sizes again
        view.refresh()  # the screen's own layout and ranges, if the view is on screen


def top_item(item):
    """The item the GraphicsView sizes (the view's central item)."""
    while item.parentItem() is not None:
        item = item.parentItem()
    return item


def figure_size(view, root, projector: bool) -> QSizeF:
    """Slide width in the projector theme; otherwise the size on screen (or, for a view
    never shown, the size of the view: its plots were never laid out)."""
    if projector:
        return QSizeF(theme.SLIDE_WIDTH, round(theme.SLIDE_WIDTH / FIGURE_ASPECT))
    size = root.geometry().size() if view.isVisible() else QSizeF(view.size())
    return size if size.width() >= 100 and size.height() >= 100 else QSizeF(1200, 750)


def lay_out(root, size: QSizeF) -> None:
    root.setGeometry(QRectF(root.pos(), size))
    settle(root, paint=False)


def redraw(view) -> None:
    """Draw the view's snapshot now, into the current layout (also when it is hidden)."""
    if view.snapshot is not None:
        view.show_snapshot(view.snapshot)


def settle(root, paint: bool = True) -> None:
    """Relayout until nothing moves; with ``paint``, draw in between so that the axes
    measure their labels at their final fonts."""
    for _ in range(SETTLE_ROUNDS):
        before = _geometries(root)
        for widget in descendants(root):
            if isinstance(widget, QGraphicsWidget):
                # only the figure's own layout requests: the window's widget layouts would
                # resize the plot widget, and pyqtgraph would fit the figure back to it
                QCoreApplication.sendPostedEvents(widget, QEvent.LayoutRequest)
                # QGraphicsWidget.layout(w): pyqtgraph's items hide the method behind a `layout` attribute
                layout = QGraphicsWidget.layout(widget)
                if layout is not None:
                    layout.activate()
        if paint:
            render(Figure(root.scene(), root, root.sceneBoundingRect()), QImage(8, 8, QImage.Format_ARGB32))
        if _geometries(root) == before:
            return


def _geometries(root):
    return [tuple(w.geometry().getRect()) for w in descendants(root) if isinstance(w, QGraphicsWidget)]


@contextlib.contextmanager
def tight_ranges(view):
    """Plots whose ranges leave room to grow on screen end at the data while exporting."""
    ranges = [value for value in vars(view).values() if isinstance(value, StickyRange)]
    for sticky in ranges:
        sticky.tight = True
        sticky.reset()
    try:
        yield
    finally:
        for sticky in ranges:
            sticky.tight = False
            sticky.reset()


def fit_locked_aspect(root) -> None:
    """Narrow (or shorten) the figure until its aspect-locked plots (the input plane, the
    network graph) show exactly the range they asked for, not a wider one with empty
    sides."""
    for _ in range(2):
        slack_x, slack_y = 0.0, 0.0
        for box in descendants(root):
            if isinstance(box, pg.ViewBox) and box.state["aspectLocked"] and box.isVisible():
                sx, sy = _slack(box)
                slack_x, slack_y = slack_x + sx, slack_y + sy
        if slack_x < 2 and slack_y < 2:
            return
        size = root.geometry().size()
        lay_out(root, QSizeF(max(size.width() - slack_x, 200), max(size.height() - slack_y, 150)))
        settle(root)


def _slack(box) -> tuple[float, float]:
    """Pixels of the box beyond the range it asked for, along x and along y."""
    (x0, x1), (y0, y1) = box.viewRange()
    target = box.targetRect()
    width, height = box.width(), box.height()
    shown_x, shown_y = x1 - x0, y1 - y0
    if shown_x <= 0 or shown_y <= 0:
        return 0.0, 0.0
    return (width * max(0.0, 1 - target.width() / shown_x),
            height * max(0.0, 1 - abs(target.height()) / shown_y))


def ink_rect(item) -> QRectF:
    """The scene rectangle of ``item`` that holds ink, plus MARGIN_PX: the figure
    without the wide white margins of its layout."""
    full = item.sceneBoundingRect()
    image = QImage(max(1, round(full.width())), max(1, round(full.height())), QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    render(Figure(item.scene(), item, full), image)
    alpha = _alpha(image)
    rows, cols = np.nonzero(alpha.any(axis=1))[0], np.nonzero(alpha.any(axis=0))[0]
    if not rows.size:
        return full
    scale = full.width() / image.width()
    left, right = cols[0] * scale - MARGIN_PX, (cols[-1] + 1) * scale + MARGIN_PX
    top, bottom = rows[0] * scale - MARGIN_PX, (rows[-1] + 1) * scale + MARGIN_PX
    ink = QRectF(full.left() + left, full.top() + top, right - left, bottom - top)
    return ink.intersected(full)


def _alpha(image: QImage) -> np.ndarray:
    """(height, width) alpha channel of an ARGB32 image."""
    data = np.frombuffer(image.constBits(), dtype=np.uint8)[: image.sizeInBytes()]
    rows = data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width()]
    return rows[..., 3]


def render(figure: Figure, image: QImage, scale: float = 1.0) -> QImage:
    """Draw ``figure`` into ``image`` (already filled with the background), ``scale``
    image pixels to a logical pixel."""
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setRenderHint(QPainter.TextAntialiasing, True)
        source = figure.source
        paint(figure, painter, QRectF(0, 0, source.width() * scale, source.height() * scale), scale)
    finally:
        painter.end()
    return image


def paint(figure: Figure, painter, target: QRectF, scale: float) -> None:
    """The scene's ``figure.source`` into ``target`` on any painter (image, PDF), with
    pyqtgraph's export mode on (scatter symbols drawn as shapes sized for ``scale``)
    and pens widened by ``scale``."""
    set_export_mode(figure.item, True, {"antialias": True, "painter": painter, "resolutionScale": scale})
    try:
        with raster_scaled(figure.item, scale):
            figure.scene.render(painter, target, figure.source)
    finally:
        set_export_mode(figure.item, False)


def set_export_mode(item, on: bool, opts=None) -> None:
    for child in descendants(item):
        if hasattr(child, "setExportMode"):
            child.setExportMode(on, _export_opts(child, opts or {}))


def _export_opts(item, opts: dict) -> dict:
    """pyqtgraph multiplies a scatter's symbol sizes by the resolution scale also when
    they are in data units (pxMode off), which the painter's transform scales already:
    the graph's dropped-neuron squares came out three neurons wide in a PNG. Such an
    item's cached drawing is also made at the sizes of the moment: drop it both ways."""
    if isinstance(item, pg.ScatterPlotItem) and not item.opts["pxMode"]:
        item.picture = None
        return {**opts, "resolutionScale": 1.0} if opts else opts
    return opts


def image_of(figure: Figure, width: int, transparent: bool = False) -> QImage:
    """The figure as a QImage ``width`` pixels wide (PNG files, animation frames)."""
    height = max(1, round(figure.source.height() * width / figure.source.width()))
    image = QImage(int(width), height, QImage.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0) if transparent else QColor("white"))
    return render(figure, image, width / figure.source.width())
