"""Image → vector: one image beside its pixels laid out row after row as the input
vector x — the lecture's "each pixel is a feature" made visible. A colour image is
shown with its three channels, and x holds each pixel's red, green and blue values
together (channels last, as ``engine.colour_shapes`` lays them out)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout

from .. import theme
from .base import View, not_images
from .heatmap import colour_bar, index_ticks
from .image_grid import CHANNEL_TINTS, CHANNELS, is_colour, mosaic, picture_plot, tinted_channels

GREYS = pg.colormap.get("CET-L1").getLookupTable(0.0, 1.0, 256)[::-1]  # 0 white, 1 black ink
GREY_MAP = pg.ColorMap(pos=np.linspace(0.0, 1.0, len(GREYS)), color=GREYS)
CHANNEL_MAP = pg.ColorMap(pos=np.array([0.0, 1.0]), color=np.array([[0, 0, 0], [255, 255, 255]], dtype=np.ubyte))
GAP = 2  # pixels between the colour image and each of its channels
LABEL_ROWS = 3  # white rows above the colour tiles, where their names sit (inside the picture: never clipped)


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
        theme.style_plot(self.vector_plot, "", "component of x (from 1)")
        self.vector_plot.hideAxis("bottom")
        self.image = pg.ImageItem()
        self.vector = pg.ImageItem()
        for item, plot in ((self.image, self.image_plot), (self.vector, self.vector_plot)):
            plot.addItem(item)
        self.channel_labels = [pg.TextItem(anchor=(0.5, 1.0), color=theme.INK) for _ in range(4)]
        for label in self.channel_labels:
            self.image_plot.addItem(label)
        # not linked to the images: a colour image's channels carry their own colours
        self.bar = colour_bar(self.graphics, 0, 2, GREY_MAP, "pixel value")
        self.graphics.ci.layout.setColumnStretchFactor(0, 4)
        self.graphics.ci.layout.setColumnStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.graphics, 1)

    def pixels(self, snap):
        """(rows, cols[, 3]) image and its (rows·cols·channels, 1) column vector x."""
        x = snap.dataset.X_test[min(self.which.value(), len(snap.dataset.X_test)) - 1]
        return x.reshape(snap.structure.image_shape), x.reshape(-1, 1)

    def show_snapshot(self, snap):
        self.graphics.setVisible(snap.structure.image_shape is not None and len(snap.dataset.X_test) > 0)
        if not self.graphics.isVisible():
            self.caption.setText("This data set is not made of images; open the 'digits' data set.")
            return
        self.which.setMaximum(len(snap.dataset.X_test))
        image, vector = self.pixels(snap)
        if is_colour(snap.structure.image_shape):
            self._draw_colour(image, vector)
        else:
            self._draw_grey(image, vector)
        theme.set_ticks(self.vector_plot.getAxis("left"), self._component_ticks(vector.shape[0]))
        self.caption.setText(self._caption(snap))

    def _draw_grey(self, image, vector):
        for item in (self.image, self.vector):
            item.setLookupTable(GREYS)
        self.image.setImage(image, levels=(0, 1), autoLevels=False)
        self.vector.setImage(vector, levels=(0, 1), autoLevels=False)
        self._bar(GREY_MAP, "pixel value (0 white, 1 ink)")
        rows, cols = image.shape
        theme.set_ticks(self.image_plot.getAxis("bottom"), index_ticks(cols))
        theme.set_ticks(self.image_plot.getAxis("left"), index_ticks(rows))
        for label in self.channel_labels:
            label.setText("")

    def _draw_colour(self, image, vector):
        """The image, then R, G and B each alone in its colour; x with each component in
        its channel's colour (component k is channel k mod 3)."""
        rows, cols, _ = image.shape
        tiles = np.concatenate([image[None], tinted_channels(image)])
        strip = mosaic(tiles, 4, gap=GAP, fill=1.0)
        strip = np.concatenate([np.ones((LABEL_ROWS, *strip.shape[1:])), strip])
        for item in (self.image, self.vector):
            item.setLookupTable(None)
        self.image.setImage(strip, levels=(0, 1), autoLevels=False)
        tints = CHANNEL_TINTS[np.arange(vector.shape[0]) % 3]
        self.vector.setImage((vector * tints)[:, None, :], levels=(0, 1), autoLevels=False)
        self._bar(CHANNEL_MAP, "channel value (0 dark, 1 full R, G or B)")
        theme.set_ticks(self.image_plot.getAxis("bottom"),
            [[(t * (cols + GAP) + c + 0.5, str(c + 1)) for t in range(4) for c in (0, cols - 1)], []])
        ticks = index_ticks(rows)
        theme.set_ticks(self.image_plot.getAxis("left"), [[(y + LABEL_ROWS, text) for y, text in ticks[0]], []])
        for t, (label, name) in enumerate(zip(self.channel_labels, ("RGB", *CHANNELS))):
            label.setText(name)
            label.setPos(t * (cols + GAP) + cols / 2, LABEL_ROWS)

    def _bar(self, colormap, label):
        self.bar.setColorMap(colormap)
        self.bar.setLevels((0.0, 1.0))
        theme.set_axis_label(self.bar.getAxis("right"), label, **{"font-size": f"{theme.FONT_POINT_SIZE - 1}pt"})

    @staticmethod
    def _component_ticks(n):
        """Components counted from 1: the first, the last and a few between."""
        step = max(1, int(round(n / 6)))
        return [[(k + 0.5, str(k + 1)) for k in sorted(set(range(0, n, step)) | {n - 1})], []]

    def _caption(self, snap) -> str:
        shape = snap.structure.image_shape
        label = snap.dataset.y_test[self.which.value() - 1]
        names = snap.dataset.class_names
        truth = f"True class: {names[label]}." if names else f"True digit: {label}."
        if is_colour(shape):
            rows, cols, channels = shape
            return (f"A {rows}×{cols} colour image is {rows}×{cols}×{channels} = {rows * cols * channels} numbers: "
                    f"its red, green and blue channels (shown alone). x takes the pixels row after row, each "
                    f"pixel's R, G, B together (channels last): x₁ = R of row 1, column 1; x₂ = its G; x₃ = its B; "
                    f"x₄ = R of row 1, column 2 … so the input layer has {rows * cols * channels} neurons. {truth}")
        rows, cols = shape
        return (f"A {rows}×{cols} grey image is {rows * cols} numbers: its rows laid end to end make the input "
                f"vector x, so the input layer has {rows * cols} neurons (a colour image has 3 channels: "
                f"{3 * rows * cols}). {truth}")

    def export_tables(self):
        snap = self.snapshot
        if snap is None or snap.structure.image_shape is None:
            return {}
        image, vector = self.pixels(snap)
        cols = image.shape[1]
        if is_colour(snap.structure.image_shape):
            return {"vector": (["component", "row", "column", "channel", "value"],
                               [(k + 1, k // 3 // cols + 1, k // 3 % cols + 1, CHANNELS[k % 3], v)
                                for k, v in enumerate(vector[:, 0])])}
        return {"vector": (["component", "row", "column", "value"],
                           [(k + 1, k // cols + 1, k % cols + 1, v) for k, v in enumerate(vector[:, 0])])}
