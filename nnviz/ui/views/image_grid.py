"""Image helpers shared by the image views: tiles laid out in one mosaic image."""

from __future__ import annotations

import numpy as np


def mosaic(images: np.ndarray, columns: int, gap: int = 1) -> np.ndarray:
    """(n, rows, cols) images → one (R, C) image, tiles left to right and top to bottom,
    NaN (transparent) between them; row 0 of the result is the top."""
    n, rows, cols = images.shape
    lines = -(-n // columns)
    out = np.full((lines * (rows + gap) - gap, columns * (cols + gap) - gap), np.nan)
    for k in range(n):
        r, c = divmod(k, columns)
        out[r * (rows + gap):r * (rows + gap) + rows, c * (cols + gap):c * (cols + gap) + cols] = images[k]
    return out


def picture_plot(graphics, row: int = 0, col: int = 0, axes: bool = False):
    """A plot for pictures in ``graphics``: square pixels, row 0 at the top, fixed
    (no mouse zoom), axes hidden unless asked for."""
    plot = graphics.addPlot(row=row, col=col)
    plot.setMouseEnabled(False, False)
    plot.hideButtons()
    plot.setAspectLocked(True)
    plot.invertY(True)
    if not axes:
        plot.hideAxis("left")
        plot.hideAxis("bottom")
    return plot
