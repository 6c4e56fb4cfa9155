"""First-layer weights as images: row i of W^1 reshaped to the image, with a
diverging colour map — what hidden neuron i "looks for"."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout

from .. import theme
from .base import View, not_images
from .image_grid import mosaic, picture_plot


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
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = picture_plot(self.graphics)
        self.image = pg.ImageItem()
        self.image.setLookupTable(theme.diverging_colormap().getLookupTable(0.0, 1.0, 256))
        self.plot.addItem(self.image)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.graphics, 1)

    def rows_as_images(self, snap) -> np.ndarray:
        """(n_1, rows, cols): W^1[i, :] reshaped to the image."""
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
        columns = int(np.ceil(np.sqrt(len(weights) * 2)))
        self.image.setImage(mosaic(weights, columns), levels=(-bound, bound), autoLevels=False)
        self.caption.setText(f"W¹: one {snap.structure.image_shape[0]}×{snap.structure.image_shape[1]} image per hidden neuron "
                             f"({len(weights)}); blue = positive weight (the neuron likes ink there), orange = "
                             f"negative; colour scale ±{bound:.3f}.")

    def export_tables(self):
        snap = self.snapshot
        if snap is None or snap.structure.image_shape is None:
            return {}
        weights = self.rows_as_images(snap)
        rows = [(n + 1, r + 1, c + 1, weights[n, r, c]) for n in range(weights.shape[0])
                for r in range(weights.shape[1]) for c in range(weights.shape[2])]
        return {"weights": (["neuron", "pixel_row", "pixel_column", "W1"], rows)}
