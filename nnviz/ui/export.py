"""Exporting a view: PNG (any width, white or transparent), SVG, PDF (vector, through
Qt's QPdfWriter), CSV of the exact data drawn; the projector theme for exports.

Every format is rendered into memory first, the Qt writers' own failure reports
checked (QImage.save's False, QPainter.end's False), and only then written with
``files.atomic_write_bytes``: a full disk fails with ExportError and the previous
file stays as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401 - registers the exporters
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QFont, QImage, QPageSize, QPainter, QPdfWriter

from ..files import atomic_write_bytes

FORMATS = ("png", "svg", "pdf", "csv")
PROJECTOR_FONT_PT = 16  # axis fonts in the projector theme
PROJECTOR_PEN_SCALE = 1.8  # curves and axes get this much thicker


class ExportError(RuntimeError):
    """An export could not be written; the message names the file."""


def export_view(view, path: str, fmt: str, width: int = 2400, transparent: bool = False,
                projector: bool = True) -> list[str]:
    """Write ``view`` (the snapshot it shows) to ``path`` in ``fmt``; return the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"Expected format to be one of {', '.join(FORMATS)}. Received: format={fmt!r}")
    if fmt == "csv":
        return write_tables(view.export_tables(), path)
    item = view.export_item()
    if item is None:
        raise ExportError(f"{view.title} has nothing to draw as {fmt.upper()}; export it as CSV or text.")
    with projector_theme(item, projector):
        if fmt == "png":
            data = png_bytes(render_image(item, width, transparent), path)
        elif fmt == "svg":
            data = pg.exporters.SVGExporter(item).export(toBytes=True)
        else:
            data = _pdf_bytes(item, path)
    write_file(path, data)
    return [path]


def render_image(item, width: int, transparent: bool = False) -> QImage:
    """The item drawn into a QImage ``width`` pixels wide (for PNG files and GIF frames)."""
    exporter = pg.exporters.ImageExporter(item)
    exporter.parameters()["width"] = int(width)
    exporter.parameters()["background"] = (0, 0, 0, 0) if transparent else (255, 255, 255, 255)
    exporter.parameters()["antialias"] = True
    return exporter.export(toBytes=True)


def to_pil(qimage):
    """A QImage as a palette PIL image, a frame for an animated GIF."""
    from PIL import Image

    rgba = qimage.convertToFormat(QImage.Format_RGBA8888)
    data = bytes(rgba.constBits())[: rgba.sizeInBytes()]
    image = Image.frombuffer("RGBA", (rgba.width(), rgba.height()), data, "raw", "RGBA", rgba.bytesPerLine(), 1)
    return image.convert("RGB").convert("P", palette=Image.ADAPTIVE, colors=255)


def _memory_device() -> tuple[QByteArray, QBuffer]:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    return data, buffer


def png_bytes(image: QImage, path: str = "") -> bytes:
    """The image encoded as PNG, in memory (ExportError if Qt's encoder fails)."""
    data, buffer = _memory_device()
    ok = not image.isNull() and image.save(buffer, "PNG")
    buffer.close()
    if not ok:
        raise ExportError(f"{path}: Qt could not encode the PNG ({image.width()} × {image.height()} pixels)")
    return bytes(data)


def _pdf_bytes(item, path: str) -> bytes:
    """Vector PDF: the scene painted through QPdfWriter, one page the figure's shape."""
    source = item.sceneBoundingRect()
    data, buffer = _memory_device()
    writer = QPdfWriter(buffer)
    writer.setResolution(300)
    size_pt = QSizeF(source.width() * 0.75, source.height() * 0.75)  # 96 px/in screen → points
    writer.setPageSize(QPageSize(size_pt, QPageSize.Point, "figure"))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    painter = QPainter(writer)
    if not painter.isActive():
        raise ExportError(f"{path}: Qt could not start the PDF")
    try:
        target = QRectF(0, 0, writer.width(), writer.height())
        item.scene().render(painter, target, source)
    finally:
        ended = painter.end()  # False when the PDF could not be finished
    buffer.close()
    result = bytes(data)
    if not ended or not result.startswith(b"%PDF"):
        raise ExportError(f"{path}: Qt could not finish the PDF")
    return result


def gif_bytes(frames, fps: float) -> bytes:
    """PIL frames as an animated GIF, in memory."""
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=int(1000 / fps), loop=0)
    return out.getvalue()


def write_tables(tables: dict, path: str) -> list[str]:
    """One tidy CSV per table: ``path`` itself for one table, ``<stem>-<name>.csv`` for several."""
    if not tables:
        raise ExportError(f"{path}: nothing to write yet (take a step first)")
    stem, _ = os.path.splitext(path)
    written = []
    for name, (header, rows) in tables.items():
        target = path if len(tables) == 1 else f"{stem}-{name}.csv"
        text = io.StringIO(newline="")
        out = csv.writer(text)
        out.writerow(header)
        out.writerows(_plain(rows))
        write_file(target, text.getvalue().encode("utf-8"))
        written.append(target)
    return written


def _plain(rows):
    for row in rows:
        yield [f"{v:.10g}" if isinstance(v, (float, np.floating)) else v for v in row]


def write_file(path: str, data: bytes) -> None:
    """files.atomic_write_bytes, with failures as ExportError naming the file."""
    try:
        atomic_write_bytes(path, data)
    except OSError as err:
        raise ExportError(f"{path}: cannot write it ({err.strerror or err}); the previous file, if any, "
                          "is unchanged") from None


@contextlib.contextmanager
def projector_theme(item, enabled: bool = True):
    """Larger axis fonts and thicker lines while exporting; the screen is restored after."""
    if not enabled:
        yield
        return
    saved = []
    for child in _descendants(item):
        if isinstance(child, pg.AxisItem):
            saved.append((child, "axis", (child.style.get("tickFont"), child.pen(), dict(child.labelStyle))))
            font = QFont()
            font.setPointSize(PROJECTOR_FONT_PT)
            child.setStyle(tickFont=font)
            if child.labelText:
                child.setLabel(child.labelText, child.labelUnits,
                               **{**child.labelStyle, "font-size": f"{PROJECTOR_FONT_PT}pt"})
            pen = pg.mkPen(child.pen())
            pen.setWidthF(max(pen.widthF(), 1.0) * PROJECTOR_PEN_SCALE)
            child.setPen(pen)
        elif isinstance(child, pg.PlotCurveItem) and child.opts.get("pen") is not None:
            pen = pg.mkPen(child.opts["pen"])
            saved.append((child, "curve", pen))
            thicker = pg.mkPen(pen)
            thicker.setWidthF(max(pen.widthF(), 1.0) * PROJECTOR_PEN_SCALE)
            child.setPen(thicker)
    try:
        yield
    finally:
        for child, kind, value in saved:
            if kind == "axis":
                font, pen, label_style = value
                child.setStyle(tickFont=font)
                child.setPen(pen)
                if child.labelText:
                    child.setLabel(child.labelText, child.labelUnits, **label_style)
            else:
                child.setPen(value)


def _descendants(item):
    stack = [item]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.childItems())
