"""Exporting a view: PNG (any width, white or transparent), SVG and PDF (vector: text as
text, curves as paths, only heat maps as images), CSV of the exact data drawn, and
LaTeX (pgfplots/TikZ) for the views that have it.

PNG, SVG and PDF are written from one prepared figure (export_figure.prepared), so
the three show the same picture. Every file is written atomically: a failed export
leaves no partial file."""

from __future__ import annotations

import csv
import os

import numpy as np
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageSize, QPainter, QPdfWriter

from ..files import atomic_write
from .export_figure import image_of, paint, prepared
from .export_svg import write_svg

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
            _write_png(figure, path, width, transparent)
        elif fmt == "svg":
            _atomic(path, lambda tmp: write_svg(figure, tmp, transparent))
        else:
            _atomic(path, lambda tmp: _write_pdf(figure, tmp))
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


def _write_png(figure, path, width, transparent):
    image = image_of(figure, width, transparent)

    def save(tmp):
        if not image.save(tmp, "PNG"):
            raise ExportError(f"{path}: Qt could not write the PNG")
    _atomic(path, save)


def _write_pdf(figure, path):
    """Vector PDF through QPdfWriter: one page the figure's size, one PDF unit a pixel."""
    s = figure.source
    writer = QPdfWriter(path)
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
        painter.end()


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


def _atomic(path: str, write) -> None:
    """files.atomic_write, with failures as ExportError naming the file."""
    try:
        atomic_write(path, write)
    except OSError as err:
        raise ExportError(f"{path}: cannot write it ({err.strerror})") from None
