"""Image helpers shared by the image views: tiles laid out in one mosaic image, and
colour images split into their channels (layout: see ``engine.colour_shapes``)."""

from __future__ import annotations

import numpy as np

CHANNELS = ("R", "G", "B")
CHANNEL_TINTS = np.eye(3)  # channel k drawn as its own colour: value·(1, 0, 0) for red, …


def is_colour(image_shape) -> bool:
    """True for (rows, columns, 3) images."""
    return image_shape is not None and len(image_shape) == 3


def mosaic(images: np.ndarray, columns: int, gap: int = 1, fill: float = np.nan,
           line_gap: int | None = None) -> np.ndarray:
    """(n, rows, cols[, 3]) images → one (R, C[, 3]) image, tiles left to right and top
    to bottom, ``gap`` apart (``line_gap`` between lines, room for labels under them),
    ``fill`` (NaN: transparent) between them; row 0 of the result is the top."""
    n, rows, cols = images.shape[:3]
    line_gap = gap if line_gap is None else line_gap
    lines = -(-n // columns)
    out = np.full((lines * (rows + line_gap) - line_gap, columns * (cols + gap) - gap, *images.shape[3:]), fill)
    for k in range(n):
        r, c = divmod(k, columns)
        top = r * (rows + line_gap)
        out[top:top + rows, c * (cols + gap):c * (cols + gap) + cols] = images[k]
    return out


def tinted_channels(image: np.ndarray) -> np.ndarray:
    """(rows, cols, 3) → (3, rows, cols, 3): each channel alone, in its own colour."""
    return image.transpose(2, 0, 1)[..., None] * CHANNEL_TINTS[:, None, None, :]


def channel_mosaic(weights: np.ndarray, per_line: int, gap: int = 1, group_gap: int = 3,
                   line_gap: int | None = None) -> np.ndarray:
    """(n, rows, cols, 3) → one (R, C) image: each neuron's R, G and B tiles side by
    side (``gap`` apart), neurons ``group_gap`` apart (``line_gap`` between lines),
    NaN (transparent) between."""
    n, rows, cols, channels = weights.shape
    line_gap = group_gap if line_gap is None else line_gap
    width = channels * cols + (channels - 1) * gap
    lines = -(-n // per_line)
    out = np.full((lines * (rows + line_gap) - line_gap, per_line * (width + group_gap) - group_gap), np.nan)
    for k in range(n):
        r, c = divmod(k, per_line)
        top, left = r * (rows + line_gap), c * (width + group_gap)
        for ch in range(channels):
            x = left + ch * (cols + gap)
            out[top:top + rows, x:x + cols] = weights[k, :, :, ch]
    return out


def tile_origins(n: int, per_line: int, tile_height: int, tile_width: int, gap: int) -> list:
    """(x, y) of the top-left corner of each of n tiles laid out as ``mosaic`` does."""
    return [((k % per_line) * (tile_width + gap), (k // per_line) * (tile_height + gap)) for k in range(n)]


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
