"""Perceptron networks: the learner draws lines (drag on the plane, or type w), flips
their sides, groups them into AND-groups and ORs the groups; the enclosed region is
shaded live and the accuracy on the data set is shown. A legend above the plane and a
caption say what the shading and the marks mean."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout)

from ...engine.perceptron_network import line_through
from .. import appearance, theme
from ..views.base import View
from . import legend as marks
from .controller import AXIS
from .rule_view import HI, LO, fmt, line_segment

INSIDE_LUT = np.array([[255, 255, 255], [205, 227, 241]], dtype=np.ubyte)  # outside, inside (light blue)
# none / class 1 (orange) / class 2 (blue) / class 3 (green), all lightened
CLASS_LUT = np.array([[240, 240, 240], [248, 226, 179], [179, 212, 232], [179, 226, 213]], dtype=np.ubyte)
MIN_DRAG = 0.3  # data units a drag must cover to make a line
TICK_OFFSET = 0.35  # data units between a line and the mark of the side where it fires
CAPTION = ("Each black line is a perceptron (a unit); the small green triangle beside it marks the side "
           "where it fires (wᵀx̃ > 0). The units of an AND-group all fire inside a convex region; the OR of "
           "the groups is shaded light blue: there the network says “blue class”. The thick red-orange line "
           "is the unit selected in the list. With three classes each class has its own unit and shade; grey is where "
           "no single unit fires.")


class PerceptronBuilderView(marks.ReflowingLegend, View):
    title = "Perceptron networks"
    short_title = "Perceptron networks"
    view_id = "network"
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
        self.tree.setHeaderLabels(["OR of AND-groups", "w = (w₁, w₂, w₀)"])
        self.tree.itemClicked.connect(self._on_item_clicked)
        self.accuracy = QLabel()
        self.accuracy.setWordWrap(True)
        appearance.styled(self.accuracy, lambda s: f"font-size: {(theme.FONT_POINT_SIZE + 2) * s:.1f}pt; "
                                                   "font-weight: bold;")
        self.hint = QLabel("Drag on the plane to draw a line: it fires (1) on the left of the drag "
                           "direction. Flip side turns it round.")
        self.hint.setWordWrap(True)
        self.caption = marks.caption(CAPTION)  # the window shows it beside the lesson, where there is room
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = self.graphics.addPlot(row=1, col=0)
        theme.style_plane(self.plot, lo=LO, hi=HI)
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
        self.graphics.viewport().installEventFilter(self)
        self.legend = marks.explanation(self._legend_entries(False), columns=3)
        self.graphics.addItem(self.legend, row=0, col=0)  # above the plane, never over the data
        self._legend_kind = "binary"  # or "multiclass": the entries shown
        self.status = QLabel()
        self.status.setWordWrap(True)
        for label in (self.accuracy, self.status, self.hint):
            label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # wrap, never widen the window
        side = QVBoxLayout()
        side.addWidget(self.accuracy)
        side.addWidget(self.status)
        side.addWidget(self.tree, 1)
        side.addWidget(self.hint)
        body = QHBoxLayout()
        body.addWidget(self.graphics, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addLayout(body, 1)

    # -- drawing -----------------------------------------------------------------------
    def _show_legend(self, multiclass: bool):
        """The legend of this kind of network. The one legend item is refilled, never
        replaced: an export prepares the items that exist when it begins."""
        kind = "multiclass" if multiclass else "binary"
        if kind == self._legend_kind:
            return
        marks.refill(self.legend, self._legend_entries(multiclass))
        self._legend_kind = kind

    @staticmethod
    def _legend_entries(multiclass: bool) -> list:
        """(sample, text) pairs: the points and shades of this kind of network, then the marks."""
        if multiclass:
            entries = []
            for k, (colour, shade) in enumerate(zip((theme.ORANGE, theme.BLUE, theme.GREEN), CLASS_LUT[1:])):
                entries += [(marks.dot(colour), f"class {k + 1}"),
                            (marks.square(tuple(shade)), f"region of class {k + 1}")]
            entries.append((marks.square(tuple(CLASS_LUT[0])), "no single class"))
        else:
            entries = [(marks.dot(theme.BLUE), "class 1 (inside)"), (marks.dot(theme.ORANGE), "class 0 (outside)"),
                       (marks.square(tuple(INSIDE_LUT[1])), "network fires: inside")]
        entries += [(marks.line(theme.INK, 2), "a unit's line wᵀx̃ = 0"),
                    (marks.triangle(theme.GREEN), "side it fires on")]
        if not multiclass:
            entries.append((marks.line(theme.VERMILLION, 4), "selected unit"))
        return entries

    def show_snapshot(self, snap):
        multiclass = snap.classes is not None
        self._show_legend(multiclass)
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
        self._fit_legend()

    @staticmethod
    def _side_tick(w, segment):
        """A small mark just off the middle of the line, on the side where the unit fires."""
        middle = (segment[0] + segment[1]) / 2
        normal = np.array(w[:2]) / (np.hypot(w[0], w[1]) or 1.0)
        return middle + TICK_OFFSET * normal

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
            units = "1 unit" if len(group) == 1 else f"{len(group)} units"
            parent = QTreeWidgetItem([f"AND-group {g + 1} ({units})", ""])
            parent.setData(0, Qt.UserRole, (g, None))
            self.tree.addTopLevelItem(parent)
            parent.setFirstColumnSpanned(True)  # the first column stays as narrow as "unit 8"
            for u, w in enumerate(group):
                child = QTreeWidgetItem([f"unit {u + 1}", fmt(w)])
                child.setData(0, Qt.UserRole, (g, u))
                parent.addChild(child)
                if snap.selected == (g, u):
                    self.tree.setCurrentItem(child)
            parent.setExpanded(True)
        self.tree.resizeColumnToContents(0)  # the units' names: their w gets the rest
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
        scene = self.graphics.mapToScene(position.toPoint())
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

    # -- export ------------------------------------------------------------------------
    def export_tables(self) -> dict:
        """The exact data drawn: the points, every unit's w and line, and the shaded regions."""
        snap = self.snapshot
        if snap is None:
            return {}
        multiclass = snap.classes is not None
        units = []
        for g, group in enumerate(snap.network["groups"]):
            for u, w in enumerate(group):
                segment = line_segment(w)
                ends = (*segment[0], *segment[1]) if segment is not None else (np.nan,) * 4
                tick = self._side_tick(w, segment) if segment is not None else (np.nan, np.nan)
                units.append((g + 1, u + 1, *w, *ends, *tick, int(snap.selected == (g, u))))
        gx, gy = np.meshgrid(AXIS, AXIS)
        region = snap.classes + 1 if multiclass else snap.inside.astype(int)
        what = "class (0 = none)" if multiclass else "inside"
        return {
            "points": (["x1", "x2", "label"], [(x[0], x[1], int(y)) for x, y in zip(snap.X, snap.y)]),
            "units": (["group", "unit", "w1", "w2", "w0", "x1 start", "x2 start", "x1 end", "x2 end",
                       "x1 side mark", "x2 side mark", "selected"], units),
            "regions": (["x1", "x2", what], np.column_stack([gx.ravel(), gy.ravel(), region.ravel()])),
        }
