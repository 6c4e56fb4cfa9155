"""Exporting a view: PNG (any width, white or transparent), SVG and PDF (vector: text as
text, curves as paths, only heat maps as images), CSV of the exact data drawn, and
LaTeX (pgfplots/TikZ) for the views that have it.

PNG, SVG and PDF are written from one prepared figure (export_figure.prepared), so
the three show the same picture. Every format is rendered into memory first, the Qt
writers' own failure reports checked (QImage.save's False, QPainter.end's False), and
only then written with ``files.atomic_write_bytes``: a full disk fails with ExportError
and the previous file stays as it was."""

from __future__ import annotations

import csv
import os

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageSize, QPainter, QPdfWriter

from ..files import atomic_write, atomic_write_bytes
from .export_figure import image_of, paint, prepared
from .export_svg import svg_text

FORMATS = ("png", "svg", "pdf", "csv", "tex")
FIGURE_FORMATS = ("png", "svg", "pdf")
PDF_DPI = 96  # one PDF unit per logical pixel: fonts in pixels measure as on screen
POINTS_PER_PIXEL = 72 / 96  # page size: a 1,024-pixel figure is 768 pt (10.7 in) wide


class ExportError(RuntimeError):
    """An export could not be written; the message names the file."""


class UnavailableView(ExportError):
    """The view does not apply to this network or data; the message says why."""


def export_view(view, path: str, fmt: str, width: int = 2400, transparent: bool = False,
                projector: bool = True) -> list[str]:
    """Write ``view`` (the snapshot it shows) to ``path`` in ``fmt``; return the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"Expected format to be one of {', '.join(FORMATS)}. Received: format={fmt!r}")
    refuse_unavailable(view)
    if fmt == "csv":
        return write_tables(view.export_tables(), path)
    if fmt == "tex":
        from .export_tex import write_tex

        return write_tex(view, path, _atomic)
    if view.export_item() is None:
        raise ExportError(f"{view.title} has nothing to draw as {fmt.upper()}; export it as CSV.")
    with prepared(view, projector) as figure:
        if fmt == "png":
            data = png_bytes(image_of(figure, width, transparent), path)
        elif fmt == "svg":
            data = svg_text(figure, transparent).encode("utf-8")
        else:
            data = _pdf_bytes(figure, path)
    write_file(path, data)
    return [path]


def refuse_unavailable(view) -> None:
    """UnavailableView naming the view and why, when it does not apply to its snapshot."""
    reason = type(view).unavailable_reason(view.snapshot) if view.snapshot is not None else ""
    if reason:
        raise UnavailableView(f"{view.view_id} ({view.title}) does not apply: {reason}")


def render_image(view, width: int, transparent: bool = False, projector: bool = True) -> QImage:
    """The view's figure as a QImage ``width`` pixels wide, as its PNG export draws it."""
    with prepared(view, projector) as figure:
        return image_of(figure, width, transparent)


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


def _pdf_bytes(figure, path: str) -> bytes:
    """Vector PDF through QPdfWriter into memory: one page the figure's size, one PDF
    unit a pixel."""
    s = figure.source
    data, buffer = _memory_device()
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageSize(QPageSize(QSizeF(s.width() * POINTS_PER_PIXEL, s.height() * POINTS_PER_PIXEL),
                                 QPageSize.Point, "figure"))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setCreator("nnviz")
    painter = QPainter(writer)
    try:
        painter.setRenderHint(QPainter.Antialiasing, True)
        paint(figure, painter, QRectF(0, 0, writer.width(), writer.height()), writer.width() / s.width())
    finally:
        ended = painter.end()
    buffer.close()
    if not ended or not data.size():
        raise ExportError(f"{path}: Qt could not render the PDF")
    return bytes(data)


def write_tables(tables: dict, path: str) -> list[str]:
    """One tidy CSV per table: ``path`` itself for one table, ``<stem>-<name>.csv`` for several."""
    if not tables:
        raise ExportError(f"{path}: nothing to write yet (take a step first)")
    stem, _ = os.path.splitext(path)
    written = []
    for name, (header, rows) in tables.items():
        target = path if len(tables) == 1 else f"{stem}-{name}.csv"

        def write(tmp, header=header, rows=rows):
            with open(tmp, "w", newline="", encoding="utf-8") as f:
                out = csv.writer(f)
                out.writerow(header)
                out.writerows(_plain(rows))
        _atomic(target, write)
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


def _atomic(path: str, write) -> None:
    """files.atomic_write (verified, fsynced), with failures as ExportError naming the file."""
    try:
        atomic_write(path, write)
    except OSError as err:
        raise ExportError(f"{path}: cannot write it ({err.strerror or err}); the previous file, if any, "
                          "is unchanged") from None
