"""First-layer weights as images: row i of W¹ reshaped to the image, with a diverging
colour map and its colour bar — what hidden neuron i "looks for". For colour images
each neuron's weights are three tiles, on the red, green and blue channels."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout

from .. import theme
from .base import View, not_images
from .heatmap import colour_bar
from .image_grid import CHANNELS, channel_mosaic, is_colour, mosaic, picture_plot

GAP, GROUP_GAP = 1, 3  # pixels between tiles, and between the neurons of colour images
LABEL_SHARE = 0.6  # the gap under each line of tiles, as a share of a tile's height: room for its labels
LABEL_UP_TO = 64  # neurons numbered under their tiles up to this many
MIN_LABEL_PX = 11  # ...when the gap under the tiles is at least this many pixels high


class FirstLayerView(View):
    title = "First-layer weights"
    short_title = "Weights W¹"  # its tab
    view_id = "weights"
    default_area = "bottom"
    tab_group = "inside"

    @classmethod
    def unavailable_reason(cls, snapshot):
        return not_images(snapshot, test_images=False)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = picture_plot(self.graphics)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.bar = colour_bar(self.graphics, 0, 1, theme.diverging_colormap(), "weight", [self.image])
        self.labels: list[pg.TextItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.graphics, 1)

    def rows_as_images(self, snap) -> np.ndarray:
        """(n_1, rows, cols[, 3]): W¹[i, :] reshaped to the image (channels last)."""
        first = [i for i, kind in enumerate(snap.structure.layer_kinds) if kind == "dense"][0]
        return snap.param(first, "W").reshape(-1, *snap.structure.image_shape)

    def show_snapshot(self, snap):
        self.graphics.setVisible(snap.structure.image_shape is not None)
        if snap.structure.image_shape is None:
            self.caption.setText("This data set is not made of images; open the 'digits' data set.")
            return
        weights = self.rows_as_images(snap)
        # the 98th percentile, not the maximum: one large weight would wash out every tile
        bound = float(np.percentile(np.abs(weights), 98)) or 1.0
        colour = is_colour(snap.structure.image_shape)
        per_line = self._per_line(len(weights), colour, weights.shape)
        line_gap = self._line_gap(weights.shape)
        if colour:
            tiles = channel_mosaic(weights, per_line, GAP, GROUP_GAP, line_gap)
        else:
            tiles = mosaic(weights, per_line, GAP, line_gap=line_gap)
        tiles = np.vstack([tiles, np.full((line_gap, tiles.shape[1]), np.nan)])  # the last line's labels
        self.image.setImage(tiles, autoLevels=False)
        self.bar.setLevels((-bound, bound))
        self._number(weights.shape, per_line, colour)
        self.caption.setText(self._caption(snap, weights, bound, colour))

    def _per_line(self, n, colour, shape=None) -> int:
        """Neurons per line: the arrangement whose tiles are largest in the room the plot
        has (a short, wide dock gets one long line); before the first layout, about twice
        as wide as high."""
        box_w, box_h = self.plot.vb.width(), self.plot.vb.height()
        if shape is None or box_w <= 1 or box_h <= 1:
            return max(1, int(np.ceil(np.sqrt(n * (2 / 3 if colour else 2)))))
        rows, cols = shape[1], shape[2]
        width = (3 * cols + 2 * GAP + GROUP_GAP) if colour else (cols + GAP)
        height = rows + self._line_gap(shape)

        def pixels_per_cell(per_line):
            lines = int(np.ceil(n / per_line))
            return min(box_w / (per_line * width), box_h / (lines * height))

        return max(range(1, n + 1), key=pixels_per_cell)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        QTimer.singleShot(0, self.refresh)  # the tiles rearranged for the new room

    @staticmethod
    def _line_gap(shape) -> int:
        return max(GAP, int(round(shape[1] * LABEL_SHARE)))

    def _number(self, shape, per_line, colour):
        """Under each neuron's tiles its number (from 1) — in colour "1: R G B" — in the
        gap left for it, so no label covers a weight."""
        n, rows, cols = shape[:3]
        width = 3 * cols + 2 * GAP if colour else cols
        step = (width + GROUP_GAP) if colour else (cols + GAP)
        line = rows + self._line_gap(shape)
        texts = []
        cell_px = self.plot.vb.height() / max(self.image.height() or 1, 1)
        if n <= LABEL_UP_TO and (cell_px * self._line_gap(shape) >= MIN_LABEL_PX or cell_px == 0):
            for k in range(n):
                left, top = (k % per_line) * step, (k // per_line) * line
                if colour:
                    texts += [(f"{k + 1}{CHANNELS[c]}", left + c * (cols + GAP) + cols / 2, top + rows) for c in range(3)]
                else:
                    texts.append((str(k + 1), left + width / 2, top + rows))
        while len(self.labels) < len(texts):
            label = pg.TextItem(anchor=(0.5, 0.0), color=theme.INK)
            font = pg.QtGui.QFont()
            font.setPointSize(theme.FONT_POINT_SIZE - 3)
            label.setFont(font)
            self.plot.addItem(label)
            self.labels.append(label)
        for k, label in enumerate(self.labels):
            text, x, y = texts[k] if k < len(texts) else ("", 0, 0)
            label.setText(text)
            label.setPos(x, y)

    @staticmethod
    def _caption(snap, weights, bound, colour) -> str:
        shape = snap.structure.image_shape
        n_in = int(np.prod(shape))
        size = "×".join(str(s) for s in shape)
        text = (f"W¹: one {size} picture per hidden neuron ({len(weights)}, numbered from 1 under the tiles), its {n_in} incoming "
                f"weights — W¹ is {len(weights)}×{n_in}, {len(weights)}·{n_in} = {len(weights) * n_in:,} weights. "
                f"Blue = positive (the neuron likes a high value there), orange = negative; colour scale "
                f"±{bound:.3f} (98th percentile of |W¹|).")
        if colour:
            text += " Each neuron's three tiles (1R, 1G, 1B, …) are its weights on the red, green and blue channel."
        return text

    def export_tables(self):
        snap = self.snapshot
        if snap is None or snap.structure.image_shape is None:
            return {}
        weights = self.rows_as_images(snap)
        if weights.ndim == 4:
            rows = [(n + 1, r + 1, c + 1, CHANNELS[k], weights[n, r, c, k]) for n in range(weights.shape[0])
                    for r in range(weights.shape[1]) for c in range(weights.shape[2]) for k in range(3)]
            return {"weights": (["neuron", "pixel_row", "pixel_column", "channel", "W1"], rows)}
        rows = [(n + 1, r + 1, c + 1, weights[n, r, c]) for n in range(weights.shape[0])
                for r in range(weights.shape[1]) for c in range(weights.shape[2])]
        return {"weights": (["neuron", "pixel_row", "pixel_column", "W1"], rows)}
