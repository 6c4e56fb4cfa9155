"""Image → vector: one image beside its pixels laid out row after row as the input
vector x — the lecture's "each pixel is a feature" made visible."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QSpinBox, QHBoxLayout, QVBoxLayout

from .. import theme
from .base import View, not_images
from .image_grid import picture_plot

GREYS = pg.colormap.get("CET-L1").getLookupTable(0.0, 1.0, 256)[::-1]  # 0 white, 1 black ink


class ImageVectorView(View):
    title = "Image → vector"
    short_title = "Image → vector"  # its tab
    view_id = "vector"
    default_area = "bottom"
    tab_group = "inside"

    @classmethod
    def unavailable_reason(cls, snapshot):
        return not_images(snapshot)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.which = QSpinBox(minimum=1, maximum=1)
        self.which.valueChanged.connect(lambda _v: self.refresh())
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("test image"))
        top.addWidget(self.which)
        top.addWidget(self.caption, 1)
        self.graphics = pg.GraphicsLayoutWidget()
        self.image_plot = picture_plot(self.graphics, row=0, col=0, axes=True)
        self.vector_plot = self.graphics.addPlot(row=0, col=1)  # a tall strip: not square pixels
        self.vector_plot.setMouseEnabled(False, False)
        self.vector_plot.hideButtons()
        self.vector_plot.invertY(True)
        theme.style_plot(self.image_plot, "column", "row")
        theme.style_plot(self.vector_plot, "", "component of x")
        self.vector_plot.hideAxis("bottom")
        self.image = pg.ImageItem()
        self.vector = pg.ImageItem()
        for item, plot in ((self.image, self.image_plot), (self.vector, self.vector_plot)):
            item.setLookupTable(GREYS)
            plot.addItem(item)
        self.graphics.ci.layout.setColumnStretchFactor(0, 4)
        self.graphics.ci.layout.setColumnStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.graphics, 1)

    def pixels(self, snap):
        """(rows, cols) image and its (rows·cols, 1) column vector, row after row."""
        x = snap.dataset.X_test[min(self.which.value(), len(snap.dataset.X_test)) - 1]
        return x.reshape(snap.structure.image_shape), x.reshape(-1, 1)

    def show_snapshot(self, snap):
        self.graphics.setVisible(snap.structure.image_shape is not None and len(snap.dataset.X_test) > 0)
        if not self.graphics.isVisible():
            self.caption.setText("This data set is not made of images; open the 'digits' data set.")
            return
        self.which.setMaximum(len(snap.dataset.X_test))
        image, vector = self.pixels(snap)
        self.image.setImage(image, levels=(0, 1), autoLevels=False)
        self.vector.setImage(vector, levels=(0, 1), autoLevels=False)
        rows, cols = snap.structure.image_shape
        self.caption.setText(f"A {rows}×{cols} grey image is {rows * cols} numbers: its rows laid end to end "
                             f"make the input vector x, so the input layer has {rows * cols} neurons (a colour "
                             f"image has 3 channels: {3 * rows * cols}). True digit: "
                             f"{snap.dataset.y_test[self.which.value() - 1]}.")

    def export_tables(self):
        snap = self.snapshot
        if snap is None or snap.structure.image_shape is None:
            return {}
        image, vector = self.pixels(snap)
        cols = image.shape[1]
        return {"vector": (["component", "row", "column", "value"],
                           [(k + 1, k // cols + 1, k % cols + 1, v) for k, v in enumerate(vector[:, 0])])}
