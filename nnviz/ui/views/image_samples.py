"""Images as inputs: a grid of test images with the true and the predicted digit and
the probability vector p as bars; misclassified images marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout

from .. import theme
from .base import View, not_images
from .image_grid import is_colour, mosaic, picture_plot

SHOWN = 16  # images in the grid
COLUMNS = 8
GAP = 4  # image pixels between tiles side by side
LABEL_LINE = 0.6  # room above each line of tiles for its labels, in tile heights: 4 image
# pixels (half an 8 × 8 digit, an eighth of a 32 × 32 picture) were less than a label's
# height, and the second line's labels ran into the first line's tiles


class ImageSamplesView(View):
    title = "Images"
    short_title = "Images"  # its tab
    view_id = "images"
    default_area = "central"
    tab_group = None

    @classmethod
    def unavailable_reason(cls, snapshot):
        return not_images(snapshot)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.caption = QLabel("Test images: true digit, predicted digit (red-orange when wrong), and p as bars.")
        self.caption.setWordWrap(True)  # wraps in a narrow view, never cut
        self.caption.setMinimumWidth(1)
        self.graphics = pg.GraphicsLayoutWidget()
        self.images_plot = picture_plot(self.graphics, row=0, col=0)
        self.bars_plot = self.graphics.addPlot(row=1, col=0)
        self.bars_plot.setMouseEnabled(False, False)
        self.bars_plot.hideButtons()
        self.image = pg.ImageItem()
        self.greys = pg.colormap.get("CET-L1").getLookupTable(0.0, 1.0, 256)[::-1]
        self.image.setLookupTable(self.greys)
        self.images_plot.addItem(self.image)
        theme.style_plot(self.bars_plot, "image", "p(class)")
        self.bars = pg.BarGraphItem(x=[0], height=[0], width=0.09, brush=pg.mkBrush(theme.BLUE))
        self.bars_plot.addItem(self.bars)
        self.labels: list[pg.TextItem] = []
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.graphics, 1)

    def show_snapshot(self, snap):
        # not graphics.isVisible(): False in a view never shown (an export's), which then
        # drew nothing and exported empty axes
        applies = snap.structure.image_shape is not None and snap.test_proba is not None
        self.graphics.setVisible(applies)
        if not applies:
            self.caption.setText("This data set is not made of images; open the 'digits' data set.")
            return
        shape = snap.structure.image_shape
        rows, cols = shape[:2]
        X, y = snap.dataset.X_test[:SHOWN], snap.dataset.y_test[:SHOWN]
        p = snap.test_proba[:SHOWN]
        predicted = p.argmax(axis=1)
        colour = is_colour(shape)
        fill = 1.0 if colour else np.nan  # colour tiles sit on white (NaN has no RGB)
        line = self._label_line(rows)
        tiles = mosaic(X.reshape(-1, *shape), COLUMNS, gap=GAP, fill=fill, line_gap=line)
        padded = np.concatenate([np.full((line, *tiles.shape[1:]), fill), tiles])  # the labels' line on top
        self.image.setLookupTable(None if colour else self.greys)
        self.image.setImage(padded, levels=(0, 1), autoLevels=False)
        self._label(X, y, predicted, rows, cols)
        k = p.shape[1]
        xs = (np.arange(len(p))[:, None] + (np.arange(k)[None, :] + 0.5) / (k + 1)).ravel()
        colours = [pg.mkBrush(theme.VERMILLION if c == t else theme.GREY)
                   for t, row in zip(y, p) for c in range(k)]
        self.bars.setOpts(x=xs, height=p.ravel(), brushes=colours)
        # images counted from 1 under their bars, as the caption counts them (it said
        # "Test images 1–16" above an axis 0–15)
        theme.integer_ticks(self.bars_plot.getAxis("bottom"), len(p), centred=True,
                            most=max(2, int(self.bars_plot.vb.width() // 28)) if self.bars_plot.vb.width() > 1 else 8)
        wrong = int((snap.test_pred != snap.dataset.y_test).sum())
        what = "class" if snap.dataset.class_names else "digit"
        names = (" Classes: " + ", ".join(f"{k} {name}" for k, name in enumerate(snap.dataset.class_names)) + "."
                 if snap.dataset.class_names else "")
        self.caption.setText(f"Test images 1–{len(X)}: true {what} / predicted (red-orange = wrong); bars: p of each "
                             f"class, the true class in colour. Wrong on the whole test set: {wrong} of "
                             f"{len(snap.dataset.y_test)}.{names}")

    @staticmethod
    def _label_line(rows: int) -> int:
        return max(GAP, int(np.ceil(LABEL_LINE * rows)))

    def _label(self, X, y, predicted, rows, cols):
        line = self._label_line(rows)
        while len(self.labels) < len(X):
            label = pg.TextItem(anchor=(0, 1))
            self.images_plot.addItem(label)
            self.labels.append(label)
        for k, label in enumerate(self.labels):
            if k >= len(X):
                label.setText("")
                continue
            r, c = divmod(k, COLUMNS)
            colour = theme.INK if predicted[k] == y[k] else theme.VERMILLION
            label.setColor(colour)
            label.setText(f"{y[k]}→{predicted[k]}")
            label.setPos(c * (cols + GAP), r * (rows + line) + line)

    def export_tables(self):
        snap = self.snapshot
        if snap is None or snap.test_proba is None:
            return {}
        k = snap.test_proba.shape[1]
        rows = [(i + 1, int(t), int(p.argmax()), *p) for i, (t, p) in enumerate(zip(snap.dataset.y_test, snap.test_proba))]
        return {"predictions": (["test_image", "true", "predicted", *[f"p_{c}" for c in range(k)]], rows)}
