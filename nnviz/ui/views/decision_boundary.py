"""The model's output over the input plane, with the training and test points; a
colour bar says what the colours mean, the legend sits above the plot, and the neuron
under the mouse in the network graph is drawn here large."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QCheckBox, QLabel, QSizePolicy, QVBoxLayout

from .. import theme
from .base import View

LIGHTEN = 0.45  # the background map is mixed with this much white, so points stand out
POINT_COLOURS = (*theme.CLASS_COLOURS, theme.GREEN)  # classes 0, 1 and, when there is one, 2


def _lightened_lut(cmap: pg.ColorMap, lighten: float = LIGHTEN) -> np.ndarray:
    lut = cmap.getLookupTable(0.0, 1.0, 256, alpha=False).astype(float)
    return (lut * (1 - lighten) + 255 * lighten).astype(np.ubyte)


class DecisionBoundaryView(View):
    title = "Decision boundary"
    short_title = "Boundary"  # its tab
    view_id = "boundary"
    default_area = "central"
    max_rate_while_playing = 30.0

    @classmethod
    def unavailable_reason(cls, snapshot):
        return "" if snapshot.grid is not None else "the inputs are not the points of a plane (x1, x2): there is no boundary to draw"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.show_test = QCheckBox("Test data")
        self.show_test.setToolTip("Show the test points (squares) as well as the training points (circles)")
        self.show_test.setChecked(True)
        self.discretize = QCheckBox("Discretize")
        self.discretize.setToolTip("Colour each side of the boundary in one colour")
        self.caption = QLabel()  # what is drawn when a neuron is hovered in the graph
        self.caption.setWordWrap(True)
        self.caption.setMinimumWidth(1)
        self.caption.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # long text must not widen the dock
        for widget in (self.show_test, self.discretize):
            widget.toggled.connect(self._on_option_changed)
        self.add_to_header(self.show_test, self.discretize)
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = self.graphics.addPlot(row=1, col=0)
        theme.style_plane(self.plot)
        self.image = pg.ImageItem()
        self.lut = _lightened_lut(theme.diverging_colormap())
        self.image.setLookupTable(self.lut)
        self.plot.addItem(self.image)
        self.colour_bar = theme.colour_bar(theme.lightened(theme.diverging_colormap(), LIGHTEN), 0.0, 1.0,
                                           "p(blue class)")
        self.caption.hide()
        self.graphics.addItem(self.colour_bar, row=1, col=1)
        self._hover = None  # (layer index, unit) of the graph's neuron under the mouse
        # One scatter item per class and split: a single brush per item lets pyqtgraph
        # reuse one rendered symbol instead of drawing every point's symbol anew.
        self.train_points = [self._scatter("o", pg.mkPen("w", width=1.2), c) for c in POINT_COLOURS]
        self.test_points = [self._scatter("s", pg.mkPen(theme.INK, width=1.5), c) for c in POINT_COLOURS]
        self.wrong_points = pg.ScatterPlotItem(size=11, symbol="x", pen=None, brush=pg.mkBrush(theme.INK))
        self.plot.addItem(self.wrong_points)
        self.legend = theme.legend_row([(self.train_points[1], "training"), (self.test_points[1], "test"),
                                        (self.wrong_points, "misclassified")])
        self.graphics.addItem(self.legend, row=0, col=0, colspan=2)  # above the plot, never over the data
        self.square = theme.SquarePlane(self.graphics, self.plot)  # the drawn plane fills the plot
        self._shown_dataset = None  # the Dataset whose points are drawn
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.caption)
        layout.addWidget(self.graphics, 1)

    def _scatter(self, symbol, pen, colour):
        item = pg.ScatterPlotItem(size=9, symbol=symbol, pen=pen, brush=pg.mkBrush(colour))
        self.plot.addItem(item)
        return item

    def _on_option_changed(self, _checked=None):
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)

    # -- drawing ---------------------------------------------------------------------
    def show_snapshot(self, snap):
        if snap.grid is None:  # the window hides the view then; an export refuses it
            self.image.clear()
            for item in (*self.train_points, *self.test_points, self.wrong_points):
                item.setData(x=[], y=[])
            self._shown_dataset = None
            return
        self._draw_grid(snap)
        self._legend_for(snap.regression)
        show_test = self.show_test.isChecked()
        if snap.dataset is not self._shown_dataset:  # points move only when the data changes
            self._draw_points(snap)
            self._shown_dataset = snap.dataset
        for item in self.test_points:
            item.setVisible(show_test)
        self._draw_mistakes(snap, show_test)

    def _legend_for(self, regression: bool):
        """Regression has nothing misclassified: the legend says only what is drawn."""
        listed = any(sample.item is self.wrong_points for sample, _label in self.legend.items)
        if regression and listed:
            self.legend.removeItem(self.wrong_points)
        elif not regression and not listed:
            self.legend.addItem(self.wrong_points, "misclassified")

    def set_hover(self, hover) -> None:
        """The graph's neuron under the mouse, (layer index, unit), or None."""
        if hover != self._hover:
            self._hover = hover
            if self.snapshot is not None and self.is_on_screen():
                self._draw_grid(self.snapshot)

    def _draw_grid(self, snap):
        grid = snap.grid
        if grid.classes is not None:
            self._draw_classes(snap)
            return
        self.image.setLookupTable(self.lut)
        self.colour_bar.show()
        values, levels, label = self._hovered_map(snap) or self._output_map(snap)
        self.image.setImage(values, levels=levels, autoLevels=False)
        self.colour_bar.setLevels(levels)
        theme.set_axis_label(self.colour_bar.axis, label, **theme.LABEL_STYLE)
        step_x = grid.xs[1] - grid.xs[0]
        step_y = grid.ys[1] - grid.ys[0]
        g = values.shape[0]
        self.image.setRect(QRectF(grid.xs[0] - step_x / 2, grid.ys[0] - step_y / 2,
                                  step_x * len(grid.xs), step_y * len(grid.ys)) if g == len(grid.xs) else
                           QRectF(grid.xs[0], grid.ys[0], grid.xs[-1] - grid.xs[0], grid.ys[-1] - grid.ys[0]))

    def _output_map(self, snap):
        """(values, levels, colour-bar label) of the network's output."""
        values = snap.grid.values
        levels = (-1.0, 1.0) if snap.regression else (0.0, 1.0)
        if self.discretize.isChecked():
            threshold = 0.0 if snap.regression else 0.5
            values = np.where(values > threshold, levels[1], levels[0])
        self.caption.hide()
        return values, levels, "output ŷ" if snap.regression else "p(blue class)"

    def _hovered_map(self, snap):
        """The hovered neuron's output over the plane (from the graph's thumbnails), or None."""
        if self._hover is None or not snap.neuron_maps:
            return None
        layer, unit = self._hover
        maps = snap.neuron_maps[layer]
        if unit >= maps.shape[0]:
            return None
        values = maps[unit]
        finite = np.abs(values[np.isfinite(values)])
        bound = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        act = snap.structure.activations[layer]
        levels = (0.0, 1.0) if act in ("sigmoid", "softmax") else (-bound, bound)
        name = f"{snap.structure.layer_labels[layer]}, neuron {unit + 1}"
        self.caption.setText(f"showing {name} (under the mouse in the graph)")
        self.caption.show()
        return values, levels, name

    def _draw_classes(self, snap):
        """More than two classes: each place in the colour of its most likely class,
        paler where that class is less certain (white at p = 1/K)."""
        grid, k = snap.grid, snap.dataset.n_classes
        colours = np.array([pg.mkColor(c).getRgb()[:3] for c in POINT_COLOURS], dtype=float)
        certainty = np.clip((grid.values - 1 / k) / (1 - 1 / k), 0, 1)[..., None]
        if self.discretize.isChecked():
            certainty = np.ones_like(certainty)
        strength = certainty * (1 - LIGHTEN)
        rgb = colours[np.clip(grid.classes, 0, len(colours) - 1)] * strength + 255 * (1 - strength)
        self.image.setLookupTable(None)
        self.image.setImage(rgb.astype(np.ubyte), levels=(0, 255), autoLevels=False)
        step = grid.xs[1] - grid.xs[0]
        self.image.setRect(QRectF(grid.xs[0] - step / 2, grid.ys[0] - step / 2, step * len(grid.xs),
                                  step * len(grid.ys)))
        self.colour_bar.hide()  # a colour per class, not a scale: the caption says what they mean
        self.caption.setText("colour: the most likely class (orange 0, blue 1, green 2), paler where it is less sure")
        self.caption.show()

    def _draw_points(self, snap):
        d = snap.dataset
        for items, X, y in ((self.train_points, d.X_train, d.y_train), (self.test_points, d.X_test, d.y_test)):
            if snap.regression:
                # continuous targets: one colour per point, all in the first item
                items[0].setData(x=X[:, 0], y=X[:, 1], brush=self._value_brushes(y))
                items[1].setData(x=[], y=[])
                continue
            for label, item in enumerate(items):
                chosen = X[y == label]
                item.setData(x=chosen[:, 0], y=chosen[:, 1])

    @staticmethod
    def _value_brushes(y):
        lut = theme.diverging_colormap().getLookupTable(0.0, 1.0, 256, alpha=False)
        index = np.clip(((np.asarray(y) + 1) / 2 * 255).astype(int), 0, 255)
        return [pg.mkBrush(*lut[i]) for i in index]

    def _draw_mistakes(self, snap, show_test):
        if snap.regression:
            self.wrong_points.setData(x=[], y=[])
            return
        d = snap.dataset
        wrong = [d.X_train[snap.train_pred != d.y_train]]
        if show_test and len(d.X_test):
            wrong.append(d.X_test[snap.test_pred != d.y_test])
        points = np.vstack(wrong)
        self.wrong_points.setData(x=points[:, 0], y=points[:, 1])

    # -- export ----------------------------------------------------------------------
    def export_tables(self):
        snap = self.snapshot
        if snap is None:
            return {}
        tables = {}
        if snap.grid is not None:
            g = snap.grid
            x1, x2 = np.meshgrid(g.xs, g.ys)
            what = "output y_hat" if snap.regression else "p(class 1)"
            tables["grid"] = (["x1", "x2", what], np.column_stack([x1.ravel(), x2.ravel(), g.values.ravel()]))
        d = snap.dataset
        rows = [(x[0], x[1], label, "train", pred) for x, label, pred in zip(d.X_train, d.y_train, snap.train_pred)]
        rows += [(x[0], x[1], label, "test", pred) for x, label, pred in zip(d.X_test, d.y_test, snap.test_pred)]
        tables["points"] = (["x1", "x2", "label", "split", "predicted"], rows)
        return tables

    # -- settings --------------------------------------------------------------------
    def save_settings(self, settings):
        settings.setValue("views/boundary/show_test", self.show_test.isChecked())
        settings.setValue("views/boundary/discretize", self.discretize.isChecked())

    def load_settings(self, settings):
        self.show_test.setChecked(_as_bool(settings.value("views/boundary/show_test", True)))
        self.discretize.setChecked(_as_bool(settings.value("views/boundary/discretize", False)))


def _as_bool(value) -> bool:
    """QSettings' INI backend returns "true"/"false" strings."""
    return value in (True, "true", "True", 1, "1")
