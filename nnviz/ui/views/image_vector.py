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
from .heatmap import MIN_TICK_PX, colour_bar, fit_beside_axis, index_ticks
from .image_grid import CHANNEL_TINTS, CHANNELS, is_colour, mosaic, picture_plot, tinted_channels

GREYS = pg.colormap.get("CET-L1").getLookupTable(0.0, 1.0, 256)[::-1]  # 0 white, 1 black ink
GREY_MAP = pg.ColorMap(pos=np.linspace(0.0, 1.0, len(GREYS)), color=GREYS)
CHANNEL_MAP = pg.ColorMap(pos=np.array([0.0, 1.0]), color=np.array([[0, 0, 0], [255, 255, 255]], dtype=np.ubyte))
GAP = 2  # pixels between the colour image and each of its channels
LABEL_ROWS = 3  # at least this many white rows above the colour tiles, where their names sit
TICK_ROOM_PX = 26  # screen pixels a column label needs from the next (18 and 1 of the next tile)
VECTOR_LABELS = ("component of x (from 1)", "x")  # the vector's axis title, and its form in a short view


def _strip_columns(cols: int) -> int:
    """Picture pixels across the colour image and its three channels, side by side."""
    return 4 * cols + 3 * GAP


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
        self._shown = None  # (image, vector, colour?) on screen: the labels are fitted to its size
        self._band = LABEL_ROWS  # white rows above the colour tiles, as many as a name needs
        self.image_plot.vb.sigResized.connect(lambda _vb: self._fit())
        self.vector_plot.vb.sigResized.connect(lambda _vb: self._fit_titles())  # also an export's last layout
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.graphics, 1)

    def pixels(self, snap):
        """(rows, cols[, 3]) image and its (rows·cols·channels, 1) column vector x."""
        x = snap.dataset.X_test[min(self.which.value(), len(snap.dataset.X_test)) - 1]
        return x.reshape(snap.structure.image_shape), x.reshape(-1, 1)

    def show_snapshot(self, snap):
        # not graphics.isVisible(): that is False in a view never shown (an export's),
        # which then drew nothing and exported empty axes
        applies = snap.structure.image_shape is not None and len(snap.dataset.X_test) > 0
        self.graphics.setVisible(applies)
        if not applies:
            self.caption.setText("This data set is not made of images; open the 'digits' data set.")
            return
        self.which.setMaximum(len(snap.dataset.X_test))
        image, vector = self.pixels(snap)
        self._shown = (image, vector, is_colour(snap.structure.image_shape))
        self._fit(force=True)
        theme.set_ticks(self.vector_plot.getAxis("left"), self._component_ticks(vector.shape[0]))
        self.caption.setText(self._caption(snap))

    def _fit(self, force=False):
        """Draw the shown image with its names, ticks and titles fitted to the pixels a
        picture pixel gets: in a short dock (1280×720) the row labels piled up, the
        channel names were clipped and 18 ran into the next tile's 1."""
        if self._shown is None:
            return
        image, vector, colour = self._shown
        band = self._band_rows(image.shape[0], _strip_columns(image.shape[1])) if colour else 0
        if force or band != self._band:
            self._band = band
            (self._draw_colour if colour else self._draw_grey)(image, vector)
        rows, cols = self.image.height() or 1, self.image.width() or 1
        # on screen the picture beside its row axis (centred, a wide, short plot left the
        # axis a third of the view away from the rows it counts); in a figure just the
        # picture, with a pixel's margin for the "1" under column 1
        if not (self.laid_out_for_screen() and fit_beside_axis(self.image_plot, rows, cols)):
            self.image_plot.vb.setRange(xRange=(-1, cols + 1), yRange=(-0.5, rows + 0.5), padding=0)
        self._set_picture_ticks(image, colour)
        self._fit_titles()

    @staticmethod
    def _label_font(axis):
        """The axis title's font at the size its style sets (the text item's own font
        does not carry the style's font-size)."""
        font = pg.QtGui.QFont(axis.label.font())
        size = str((axis.labelStyle or theme.LABEL_STYLE).get("font-size", ""))
        if size.endswith("pt"):
            font.setPointSizeF(float(size[:-2]))
        elif size.endswith("px"):
            font.setPixelSize(max(1, round(float(size[:-2]))))
        return font

    def restyled(self):
        self._fit(force=True)  # the names' line height follows the text size

    def _picture_px(self, rows, cols) -> float:
        """Screen pixels per picture pixel: the picture fills its plot's box at one scale."""
        vb = self.image_plot.vb
        return max(min(vb.width() / max(cols, 1), vb.height() / max(rows, 1)), 1e-3)

    def _band_rows(self, rows, cols) -> int:
        """White rows above the tiles, enough for a name's line at the scale they get
        (the scale shrinks as the band grows: three passes settle it)."""
        line = pg.QtGui.QFontMetricsF(self.channel_labels[0].textItem.font()).height()
        band = LABEL_ROWS
        for _ in range(3):
            band = max(LABEL_ROWS, int(np.ceil(line / self._picture_px(rows + band + 1, cols + 1))) + 1)
        return band

    def _set_picture_ticks(self, image, colour):
        """Row and column labels, as many as the picture's pixels on screen hold."""
        rows, cols = image.shape[:2]
        vb = self.image_plot.vb  # screen pixels per picture pixel (none before a layout)
        px = 1.0 / max(vb.viewPixelSize()) if vb.width() > 1 and vb.height() > 1 else None
        ticks = index_ticks(rows, pixels_per_cell=px, need=MIN_TICK_PX[1])  # a line of text down
        offset = self._band if colour else 0
        theme.set_ticks(self.image_plot.getAxis("left"), [[(y + offset, text) for y, text in ticks[0]], []])
        if not colour:
            theme.set_ticks(self.image_plot.getAxis("bottom"), index_ticks(cols, pixels_per_cell=px))
            return
        # 1 and the last column under every tile when a tile's last and the next one's first
        # are far enough apart; otherwise under the first tile only
        tiles = 4 if px and (GAP + 1) * px >= TICK_ROOM_PX else 1
        theme.set_ticks(self.image_plot.getAxis("bottom"),
                        [[(t * (cols + GAP) + c + 0.5, str(c + 1)) for t in range(tiles) for c in (0, cols - 1)], []])

    def _fit_titles(self):
        """The vector's title, or its short form when the plot is shorter than the
        title is long (the rotated title was cut at both ends)."""
        axis, (full, short) = self.vector_plot.getAxis("left"), VECTOR_LABELS
        fits = pg.QtGui.QFontMetricsF(self._label_font(axis)).horizontalAdvance(full) + 8 <= self.vector_plot.vb.height()
        theme.set_axis_label(axis, full if fits else short, **(axis.labelStyle or theme.LABEL_STYLE))

    def _draw_grey(self, image, vector):
        for item in (self.image, self.vector):
            item.setLookupTable(GREYS)
        self.image.setImage(image, levels=(0, 1), autoLevels=False)
        self.vector.setImage(vector, levels=(0, 1), autoLevels=False)
        self._bar(GREY_MAP, "pixel value")
        for label in self.channel_labels:
            label.setText("")

    def _draw_colour(self, image, vector):
        """The image, then R, G and B each alone in its colour; x with each component in
        its channel's colour (component k is channel k mod 3)."""
        rows, cols, _ = image.shape
        tiles = np.concatenate([image[None], tinted_channels(image)])
        strip = mosaic(tiles, 4, gap=GAP, fill=1.0)
        strip = np.concatenate([np.ones((self._band, *strip.shape[1:])), strip])
        for item in (self.image, self.vector):
            item.setLookupTable(None)
        self.image.setImage(strip, levels=(0, 1), autoLevels=False)
        tints = CHANNEL_TINTS[np.arange(vector.shape[0]) % 3]
        self.vector.setImage((vector * tints)[:, None, :], levels=(0, 1), autoLevels=False)
        self._bar(CHANNEL_MAP, "channel value")
        for t, (label, name) in enumerate(zip(self.channel_labels, ("RGB", *CHANNELS))):
            label.setText(name)
            label.setPos(t * (cols + GAP) + cols / 2, self._band)

    def _bar(self, colormap, label):
        """Short titles: the bar is as tall as a short dock (its colours show what 0 and
        1 are)."""
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
                f"{3 * rows * cols}); 0 is white, 1 full ink. {truth}")

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
