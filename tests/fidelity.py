"""Comparing exported figures as a reader would: render SVG (librsvg) and PDF (poppler)
to pixels and compare where the ink is, cell by cell, with the PNG export."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape

import numpy as np
import pytest
from PySide6.QtGui import QImage

GRID = (10, 16)  # rows × columns of cells
INK_LEVEL = 48  # a pixel is ink when some channel is this far below white
TOOLS = ("rsvg-convert", "pdftoppm", "pdftotext")


def need_tools():
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (Debian: librsvg2-bin poppler-utils)")


def pixels(path) -> np.ndarray:
    """(h, w, 3) RGB of a PNG file, composited on white."""
    image = QImage(str(path)).convertToFormat(QImage.Format_RGBA8888)
    assert not image.isNull(), path
    data = np.frombuffer(image.constBits(), np.uint8)[: image.sizeInBytes()]
    rgba = data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width()].astype(float)
    alpha = rgba[..., 3:] / 255.0
    return rgba[..., :3] * alpha + 255.0 * (1 - alpha)


def ink_grid(rgb: np.ndarray, grid=GRID) -> np.ndarray:
    """(rows, columns) share of ink pixels in each cell of the picture."""
    ink = (255.0 - rgb.min(axis=2)) > INK_LEVEL
    rows = np.array_split(np.arange(ink.shape[0]), grid[0])
    cols = np.array_split(np.arange(ink.shape[1]), grid[1])
    return np.array([[ink[np.ix_(r, c)].mean() for c in cols] for r in rows])


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def svg_to_png(svg, png, width: int):
    subprocess.run(["rsvg-convert", "-w", str(width), "-b", "white", "-o", str(png), str(svg)], check=True)
    return png


def pdf_to_png(pdf, png, width: int):
    stem = str(png)[:-4]
    subprocess.run(["pdftoppm", "-png", "-singlefile", "-scale-to-x", str(width), "-scale-to-y", "-1",
                    str(pdf), stem], check=True)
    return png


def pdf_words(pdf) -> tuple[list[tuple[float, float, float, float, str]], float, float]:
    """([(x_min, y_min, x_max, y_max, text)], page width, page height) from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    words = [(float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]
    return words, float(page.group(1)), float(page.group(2))


def number(text: str) -> float | None:
    try:
        return float(text.replace("−", "-"))
    except ValueError:
        return None


def compare_formats(png, svg, pdf, tmp_path, width: int) -> dict:
    """Correlations of the ink grids of SVG and PDF (rendered ``width`` wide) with the PNG
    (scaled to ``width``), and the three pictures' aspect ratios."""
    base = pixels(png)
    svg_rgb = pixels(svg_to_png(svg, tmp_path / "svg.png", width))
    pdf_rgb = pixels(pdf_to_png(pdf, tmp_path / "pdf.png", width))
    reference = ink_grid(base)
    return {"svg": correlation(reference, ink_grid(svg_rgb)), "pdf": correlation(reference, ink_grid(pdf_rgb)),
            "aspects": [rgb.shape[1] / rgb.shape[0] for rgb in (base, svg_rgb, pdf_rgb)]}
