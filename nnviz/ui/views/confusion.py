"""The confusion matrix on the test set, live: row = true class, column = predicted."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout

from .. import theme
from .base import View
from .heatmap import fit_beside_axis
from .image_grid import picture_plot


MAX_DRAWN = 100  # classes drawn: a 100 × 100 image is still readable, 1,000 × 1,000 is not
MAX_COUNTS = 20  # a number in every cell up to 20 × 20 (400 text items); beyond, the colour says it
MAX_TICKS = 25  # tick labels on each axis
TICK_PX = (22, 16)  # room a class label needs across (x) and down (y)


def confusion_matrix(true, predicted, classes: int) -> np.ndarray:
    """(classes, classes) counts: [i, j] = test points of class i predicted as j."""
    true, predicted = np.asarray(true, dtype=np.int64), np.asarray(predicted, dtype=np.int64)
    counts = np.bincount(true * classes + predicted, minlength=classes * classes)  # one pass, no np.add.at
    return counts[:classes * classes].reshape(classes, classes)


class ConfusionView(View):
    title = "Confusion matrix"
    short_title = "Confusion"  # its tab
    view_id = "confusion"
    default_area = "bottom"
    tab_group = "inside"

    @classmethod
    def unavailable_reason(cls, snapshot):
        if snapshot.regression or not snapshot.dataset.n_classes:
            return "a regression has no classes to confuse"
        return "" if len(snapshot.dataset.y_test) else "the data set holds no test data"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)  # wraps in a narrow view, never cut
        self.caption.setMinimumWidth(1)
        self.caption.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = picture_plot(self.graphics, axes=True)
        theme.style_plot(self.plot, "predicted class", "true class")
        self.image = pg.ImageItem()  # the whole matrix is this one image
        self.image.setLookupTable(pg.colormap.get("viridis").getLookupTable(0.0, 1.0, 256))
        self.plot.addItem(self.image)
        self.plot.getViewBox().sigResized.connect(self._on_box_resized)
        self.counts: list[pg.TextItem] = []
        self.matrix = None  # all classes (the table export); the image shows at most MAX_DRAWN
        self._drawn = 0  # classes the count labels and ticks were made for
        self._counts_hidden = False  # the cells are too small for their numbers
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.graphics, 1)

    def show_snapshot(self, snap):
        classes = snap.dataset.n_classes
        usable = not snap.regression and classes > 0 and len(snap.dataset.y_test)
        self.graphics.setVisible(bool(usable))
        if not usable:
            self.caption.setText("A confusion matrix needs a classification data set with test data.")
            return
        self.matrix = confusion_matrix(snap.dataset.y_test, snap.test_pred, classes)
        drawn = min(classes, MAX_DRAWN)
        shown = self.matrix[:drawn, :drawn]
        self.image.setImage(shown.astype(float), levels=(0, max(1, shown.max())), autoLevels=False)
        if drawn != self._drawn:
            self._make_labels(drawn)
        self._place()
        self._write_counts(shown)
        self.caption.setText(self._caption(classes, drawn))

    def _caption(self, classes: int, drawn: int) -> str:
        right, total = np.trace(self.matrix), self.matrix.sum()
        text = (f"Test set: {right} of {total} right ({right / total:.1%}); "
                "off the diagonal: which class was taken for which.")
        if drawn < classes:
            text += f" Classes 0–{drawn - 1} of {classes:,} drawn (all of them in the CSV export)."
        if self._counts_hidden:
            text += " Enlarge the view to read the count in each cell."
        return text

    def _make_labels(self, drawn: int):
        """Count labels (small matrices only) and ticks, made once per number of classes."""
        for item in self.counts:
            self.plot.removeItem(item)
        self.counts = []
        if drawn <= MAX_COUNTS:
            for i in range(drawn):
                for j in range(drawn):
                    item = pg.TextItem(anchor=(0.5, 0.5))
                    item.setPos(j + 0.5, i + 0.5)
                    self.plot.addItem(item)
                    self.counts.append(item)
        self._drawn = drawn
        self._fit_labels()

    def _cell_px(self) -> float:
        """A cell's side on screen (the plot keeps cells square)."""
        box = self.plot.getViewBox()
        return min(box.width(), box.height()) / max(self._drawn, 1)

    def _fit_labels(self):
        """As many class labels as the cells have room for, and the counts only when
        they fit in their cells: in a short dock the 10 × 10 matrix of the images lesson
        is ~90 px, and its numbers and labels were drawn on top of each other."""
        if not self._drawn:
            return
        cell = self._cell_px()
        for axis, need in (("bottom", TICK_PX[0]), ("left", TICK_PX[1])):
            step = max(-(-self._drawn // MAX_TICKS), int(np.ceil(need / max(cell, 1.0))))
            theme.set_ticks(self.plot.getAxis(axis), [[(k + 0.5, str(k)) for k in range(0, self._drawn, step)]])
        widest = max((len(item.toPlainText()) for item in self.counts), default=0)
        fits = cell >= theme.FONT_POINT_SIZE * (0.65 * widest + 0.6)  # the widest count, with a margin
        for item in self.counts:
            item.setVisible(fits)
        self._counts_hidden = bool(self.counts) and not fits

    def _place(self):
        """On screen the matrix beside its "true class" axis (centred in a wide, short plot
        it sat a third of the view away from its labels); in a figure just the matrix."""
        if not self._drawn:
            return
        if not (self.laid_out_for_screen() and fit_beside_axis(self.plot, self._drawn, self._drawn)):
            self.plot.setRange(xRange=(0, self._drawn), yRange=(0, self._drawn), padding=0.02)

    def _on_box_resized(self, *_):
        if self.matrix is not None:
            self._place()
            self._fit_labels()
            self.caption.setText(self._caption(len(self.matrix), self._drawn))

    def _write_counts(self, shown):
        high = shown.max()
        for item, value in zip(self.counts, shown.ravel()):
            item.setText(str(value) if value else "")
            item.setColor("k" if value > 0.6 * high else "w")
        self._fit_labels()

    def export_tables(self):
        if self.matrix is None:
            return {}
        k = len(self.matrix)
        return {"confusion": (["true_class", *[f"predicted_{j}" for j in range(k)]],
                              [(i, *self.matrix[i]) for i in range(k)])}
