"""Perceptron networks: the learner draws lines (drag on the plane, or type w), flips
their sides, groups them into AND-groups and ORs the groups; the enclosed region is
shaded live and the accuracy on the data set is shown."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from ...engine.perceptron_network import line_through
from .. import theme
from .rule_view import HI, LO, fmt, line_segment

INSIDE_LUT = np.array([[255, 255, 255], [205, 227, 241]], dtype=np.ubyte)  # outside, inside (light blue)
# none / class 1 (orange) / class 2 (blue) / class 3 (green), all lightened
CLASS_LUT = np.array([[240, 240, 240], [248, 226, 179], [179, 212, 232], [179, 226, 213]], dtype=np.ubyte)
MIN_DRAG = 0.3  # data units a drag must cover to make a line


class PerceptronBuilderView(QWidget):
    example_requested = Signal(str)
    dataset_requested = Signal(str)
    unit_added = Signal(object)  # (w1, w2, w0)
    group_requested = Signal()
    selection_changed = Signal(object)  # (group, unit or None)
    flip_requested = Signal()
    remove_requested = Signal()
    clear_requested = Signal()
    invalid_input = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot = None
        self.example = QComboBox()
        self.example.addItem("circle enclosed by an octagon (8 units ANDed)", "circle")
        self.example.addItem("XOR as quadrant I OR quadrant III (2 groups of 2)", "xor")
        self.example.addItem("three classes: one perceptron per class, trained one-vs-rest", "multiclass")
        load = QPushButton("Load example")
        load.clicked.connect(lambda: self.example_requested.emit(self.example.currentData()))
        self.dataset = QComboBox()
        self.dataset.addItems(["circle", "xor", "gaussians", "moons", "separable"])
        self.dataset.currentTextChanged.connect(self.dataset_requested)
        top = QHBoxLayout()
        top.addWidget(QLabel("Example"))
        top.addWidget(self.example, 1)
        top.addWidget(load)
        top.addWidget(QLabel("Data"))
        top.addWidget(self.dataset)
        self.w_entry = QLineEdit()
        self.w_entry.setPlaceholderText("w1, w2, w0   e.g.  1, -1, 0.5")
        self.w_entry.returnPressed.connect(self._on_w_entered)
        add = QPushButton("Add unit")
        add.clicked.connect(self._on_w_entered)
        buttons = QHBoxLayout()
        buttons.addWidget(self.w_entry, 1)
        buttons.addWidget(add)
        for text, signal in (("New AND group", self.group_requested), ("Flip side", self.flip_requested),
                             ("Remove", self.remove_requested), ("Clear", self.clear_requested)):
            button = QPushButton(text)
            button.clicked.connect(signal)
            buttons.addWidget(button)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["OR of AND-groups", "w = (w1, w2, w0)"])
        self.tree.itemClicked.connect(self._on_item_clicked)
        self.accuracy = QLabel()
        self.accuracy.setStyleSheet(f"font-size: {theme.FONT_POINT_SIZE + 2}pt; font-weight: bold;")
        self.hint = QLabel("Drag on the plane to draw a line: it fires (1) on the left of the drag "
                           "direction. Flip side turns it round.")
        self.hint.setWordWrap(True)
        self.plot_widget, self.plot = theme.plane_plot(lo=LO, hi=HI)
        self.region = pg.ImageItem()
        self.region.setLookupTable(INSIDE_LUT)
        self.plot.addItem(self.region)
        self.lines = self.plot.plot(pen=pg.mkPen(theme.INK, width=2), connect="pairs")
        self.selected_line = self.plot.plot(pen=pg.mkPen(theme.VERMILLION, width=4))
        self.ticks = pg.ScatterPlotItem(size=7, symbol="t", brush=pg.mkBrush(theme.GREEN), pen=None)
        self.plot.addItem(self.ticks)
        self.points = [pg.ScatterPlotItem(size=8, pen=pg.mkPen("w"), brush=pg.mkBrush(c))
                       for c in theme.CLASS_COLOURS]
        self.third = pg.ScatterPlotItem(size=8, pen=pg.mkPen("w"), brush=pg.mkBrush(theme.GREEN))
        for item in (*self.points, self.third):
            self.plot.addItem(item)
        self.drag_line = self.plot.plot(pen=pg.mkPen(theme.VERMILLION, width=2, style=Qt.DashLine))
        self._drag_start = None
        self.plot_widget.viewport().installEventFilter(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(self.accuracy)
        side.addWidget(self.status)
        side.addWidget(self.tree, 1)
        side.addWidget(self.hint)
        body = QHBoxLayout()
        body.addWidget(self.plot_widget, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addLayout(body, 1)

    # -- drawing -----------------------------------------------------------------------
    def show_snapshot(self, snap):
        self.snapshot = snap
        multiclass = snap.classes is not None
        if multiclass:
            self.region.setLookupTable(CLASS_LUT)
            self.region.setImage(snap.classes + 1, levels=(0, 3), autoLevels=False)
        else:
            self.region.setLookupTable(INSIDE_LUT)
            self.region.setImage(snap.inside.astype(np.uint8), levels=(0, 1), autoLevels=False)
        self.region.setRect(QRectF(LO, LO, HI - LO, HI - LO))  # after setImage: it needs the size
        for label, item in enumerate(self.points):
            chosen = snap.X[snap.y == label]
            item.setData(x=chosen[:, 0], y=chosen[:, 1])
        chosen = snap.X[snap.y == 2] if multiclass else np.zeros((0, 2))
        self.third.setData(x=chosen[:, 0], y=chosen[:, 1])
        self.status.setText(snap.status)
        xs, ys, ticks = [], [], []
        for group in snap.network["groups"]:
            for w in group:
                segment = line_segment(w)
                if segment is None:
                    continue
                xs += [segment[0][0], segment[1][0]]
                ys += [segment[0][1], segment[1][1]]
                ticks.append(self._side_tick(w, segment))
        self.lines.setData(xs, ys)
        self.ticks.setData(pos=np.array(ticks) if ticks else np.zeros((0, 2)))
        self._draw_selected(snap)
        what = "a single class region contains the point" if snap.classes is not None else "inside = blue class"
        self.accuracy.setText(f"accuracy on the data: {snap.accuracy:.1%}   ({what})")
        self._fill_tree(snap)

    @staticmethod
    def _side_tick(w, segment):
        """A small mark just off the middle of the line, on the side where the unit fires."""
        middle = (segment[0] + segment[1]) / 2
        normal = np.array(w[:2]) / (np.hypot(w[0], w[1]) or 1.0)
        return middle + 0.35 * normal

    def _draw_selected(self, snap):
        sel = snap.selected
        if sel is None or sel[1] is None or sel[0] >= len(snap.network["groups"]) \
                or sel[1] >= len(snap.network["groups"][sel[0]]):
            self.selected_line.setData([], [])
            return
        segment = line_segment(snap.network["groups"][sel[0]][sel[1]])
        if segment is not None:
            self.selected_line.setData([segment[0][0], segment[1][0]], [segment[0][1], segment[1][1]])

    def _fill_tree(self, snap):
        self.tree.blockSignals(True)
        self.tree.clear()
        for g, group in enumerate(snap.network["groups"]):
            parent = QTreeWidgetItem([f"AND-group {g + 1} ({len(group)} units)", ""])
            parent.setData(0, Qt.UserRole, (g, None))
            self.tree.addTopLevelItem(parent)
            for u, w in enumerate(group):
                child = QTreeWidgetItem([f"unit {u + 1}", fmt(w)])
                child.setData(0, Qt.UserRole, (g, u))
                parent.addChild(child)
                if snap.selected == (g, u):
                    self.tree.setCurrentItem(child)
            parent.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        self.tree.blockSignals(False)

    # -- input -------------------------------------------------------------------------
    def _on_item_clicked(self, item, _column):
        self.selection_changed.emit(tuple(item.data(0, Qt.UserRole)))

    def _on_w_entered(self):
        text = self.w_entry.text()
        try:
            w = [float(part) for part in text.replace(";", ",").split(",")]
        except ValueError:
            w = []
        if len(w) != 3 or not all(np.isfinite(w)) or (w[0] == 0 and w[1] == 0):
            self.invalid_input.emit(f"w: expected three numbers w1, w2, w0 with w1 or w2 not 0, got {text!r}")
            return
        self.unit_added.emit(tuple(w))
        self.w_entry.clear()

    def eventFilter(self, obj, event):
        kind = event.type()
        if kind == event.Type.MouseButtonPress and event.button() == Qt.LeftButton:
            self._drag_start = self._to_data(event.position())
        elif kind == event.Type.MouseMove and self._drag_start is not None:
            p = self._to_data(event.position())
            self.drag_line.setData([self._drag_start[0], p[0]], [self._drag_start[1], p[1]])
        elif kind == event.Type.MouseButtonRelease and self._drag_start is not None:
            self.finish_drag(self._drag_start, self._to_data(event.position()))
            self._drag_start = None
            self.drag_line.setData([], [])
        return False

    def _to_data(self, position):
        scene = self.plot_widget.mapToScene(position.toPoint())
        point = self.plot.vb.mapSceneToView(scene)
        return np.array([point.x(), point.y()])

    def finish_drag(self, start, end):
        """A drag from start to end makes a unit through both, firing on the left."""
        start, end = np.asarray(start, float), np.asarray(end, float)
        if np.hypot(*(end - start)) < MIN_DRAG:
            return
        direction = end - start
        left = start + np.array([-direction[1], direction[0]])
        self.unit_added.emit(tuple(line_through(start, end, left)))
