"""SVG of a prepared figure: pyqtgraph's SVG writer, cropped, with crisp heat maps.

pyqtgraph draws every item in figure coordinates (so strokes keep their widths in
Inkscape and browsers) and clips plots properly; Qt's own QSvgGenerator does neither.
Three things are added here:
- the crop: the document's viewBox is the figure's ink rectangle, not its layout;
- rectangles (bar charts) in figure units: pyqtgraph moves paths into figure units but
  leaves <rect> in data units under a scaling matrix with a non-scaling stroke, which
  librsvg and other viewers ignore, drawing the outline hundreds of units thick;
- heat maps embedded at a multiple of their cell count. An SVG viewer stretches a
  10 × 8 heat map over 200 × 160 pixels; browsers keep the cells sharp when asked
  (image-rendering), librsvg and several PDF converters blur them into gradients. Cells
  a few dozen pixels wide look the same in every viewer."""

from __future__ import annotations

import base64
import math
import re
from xml.dom import minidom

import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401 - registers the exporters
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage

EMBEDDED_IMAGE_PX = 600  # heat maps are embedded at least this many pixels across
MAX_UPSCALE = 40  # and at most this many pixels per cell


def write_svg(figure, path: str, transparent: bool = False) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(svg_text(figure, transparent))


def svg_text(figure, transparent: bool = False) -> str:
    item = figure.item
    exporter = pg.exporters.SVGExporter(item)
    exporter.parameters()["width"] = item.boundingRect().width()  # scale 1: SVG units = logical pixels
    exporter.parameters()["background"] = QColor(0, 0, 0, 0) if transparent else QColor("white")
    svg = exporter.export(toBytes=True).decode("utf-8")
    return _crisp_images(_rects_in_figure_units(_cropped(svg, figure.source, item.scenePos())))


def _cropped(svg: str, source, origin) -> str:
    x, y, w, h = source.x() - origin.x(), source.y() - origin.y(), source.width(), source.height()
    box = f'viewBox="{x:.2f} {y:.2f} {w:.2f} {h:.2f}" width="{w:.0f}px" height="{h:.0f}px"'
    svg = re.sub(r'viewBox\s*="[^"]*"', box, svg, count=1)
    # the background rectangle was "100 %" of a viewport that now starts elsewhere
    return svg.replace('<rect width="100%" height="100%"',
                       f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}"', 1)


def _rects_in_figure_units(svg: str) -> str:
    doc = minidom.parseString(svg)
    for group in doc.getElementsByTagName("g"):
        matrix = re.match(r"matrix\(([^)]*)\)", group.getAttribute("transform"))
        rects = [n for n in group.childNodes if n.nodeType == n.ELEMENT_NODE]
        if matrix is None or not rects or any(n.tagName != "rect" for n in rects):
            continue
        a, b, c, d, e, f = (float(v) for v in matrix.group(1).split(","))
        if abs(b) > 1e-12 or abs(c) > 1e-12:
            continue  # rotated or sheared: left as it is
        for rect in rects:
            x, y, w, h = (float(rect.getAttribute(k) or 0) for k in ("x", "y", "width", "height"))
            (x0, x1), (y0, y1) = sorted((a * x + e, a * (x + w) + e)), sorted((d * y + f, d * (y + h) + f))
            for key, value in (("x", x0), ("y", y0), ("width", x1 - x0), ("height", y1 - y0)):
                rect.setAttribute(key, f"{value:.3f}")
        group.removeAttribute("transform")
    return doc.toxml()


def _crisp_images(svg: str) -> str:
    return re.sub(r'xlink:href="data:image/png;base64,([^"]+)"', _upscaled_href, svg)


def _upscaled_href(match) -> str:
    image = QImage.fromData(base64.b64decode(match.group(1)), "PNG")
    if image.isNull():
        return match.group(0)
    factor = min(MAX_UPSCALE, math.ceil(EMBEDDED_IMAGE_PX / max(image.width(), image.height(), 1)))
    if factor <= 1:
        return match.group(0)
    big = image.scaled(image.width() * factor, image.height() * factor, Qt.IgnoreAspectRatio, Qt.FastTransformation)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    big.save(buffer, "PNG")
    return f'xlink:href="data:image/png;base64,{base64.b64encode(bytes(data)).decode("ascii")}"'
