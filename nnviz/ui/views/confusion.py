"""The confusion matrix on the test set, live: row = true class, column = predicted."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout

from .. import theme
from .base import View
from .image_grid import picture_plot


def confusion_matrix(true, predicted, classes: int) -> np.ndarray:
    """(classes, classes) counts: [i, j] = test points of class i predicted as j."""
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(true, dtype=int), np.asarray(predicted, dtype=int)), 1)
    return matrix


class ConfusionView(View):
    title = "Confusion matrix"
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
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = picture_plot(self.graphics, axes=True)
        theme.style_plot(self.plot, "predicted class", "true class")
        self.image = pg.ImageItem()
        self.image.setLookupTable(pg.colormap.get("viridis").getLookupTable(0.0, 1.0, 256))
        self.plot.addItem(self.image)
        self.counts: list[pg.TextItem] = []
        self.matrix = None
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
        self.image.setImage(self.matrix.astype(float), levels=(0, max(1, self.matrix.max())), autoLevels=False)
        self._write_counts(classes)
        right = np.trace(self.matrix)
        self.caption.setText(f"Test set: {right} of {self.matrix.sum()} right ({right / self.matrix.sum():.1%}); "
                             "off the diagonal: which class was taken for which.")

    def _write_counts(self, classes):
        if len(self.counts) != classes * classes:
            for item in self.counts:
                self.plot.removeItem(item)
            self.counts = []
            for i in range(classes):
                for j in range(classes):
                    item = pg.TextItem(anchor=(0.5, 0.5))
                    item.setPos(j + 0.5, i + 0.5)
                    self.plot.addItem(item)
                    self.counts.append(item)
            self.plot.getAxis("bottom").setTicks([[(j + 0.5, str(j)) for j in range(classes)]])
            self.plot.getAxis("left").setTicks([[(i + 0.5, str(i)) for i in range(classes)]])
        high = self.matrix.max()
        for item, value in zip(self.counts, self.matrix.ravel()):
            item.setText(str(value) if value else "")
            item.setColor("k" if value > 0.6 * high else "w")

    def export_tables(self):
        if self.matrix is None:
            return {}
        k = len(self.matrix)
        return {"confusion": (["true_class", *[f"predicted_{j}" for j in range(k)]],
                              [(i, *self.matrix[i]) for i in range(k)])}
