"""Rosenblatt's rule, one update at a time: the points, the separator wᵀx̃ = 0 with w
drawn as its normal, the half-planes, the point that was used, the previous line, and
the arithmetic of the update with the actual numbers. A legend above the plane and a
caption say what every colour and mark means; a timeline goes back to any update."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpinBox,
                               QVBoxLayout)

from ...engine.perceptron import POLICIES
from .. import appearance, theme
from ..views.base import View
from ..views.decision_boundary import _lightened_lut
from . import legend as marks
from .controller import RULE_DEFAULTS
from .timeline_row import TimelineRow

LO, HI = -6.0, 6.0
SIDES_GRID = 120  # the half-planes are shaded on SIDES_GRID × SIDES_GRID points
SIDES_LIGHTEN = 0.75  # the shading is this much white: points must stand out
NORMAL_LENGTH = 1.8  # data units of the w arrow
DATASETS = (("separable", "linearly separable"), ("gaussians", "two gaussians"),
            ("xor", "XOR (not separable)"), ("circle", "circle (not separable)"))
CAPTION = ("Blue and orange points are the two classes, y = +1 and y = −1. The shading is the perceptron's "
           "answer: light blue where wᵀx̃ > 0 (it says +1), light orange where it says −1. The green arrow is "
           "w = (w₁, w₂), the normal of the separating line: it points to the + side. The dashed grey line is "
           "the separator before this update; × marks every point still misclassified (y·wᵀx̃ ≤ 0); the large "
           "red-orange ring is the point this update used.")


def line_segment(w, lo=LO, hi=HI):
    """End points of {x : w1·x1 + w2·x2 + w0 = 0} inside the square [lo, hi]², or None."""
    w1, w2, w0 = w
    points = []
    if abs(w2) > 1e-12:
        for x1 in (lo, hi):
            x2 = -(w0 + w1 * x1) / w2
            if lo - 1e-9 <= x2 <= hi + 1e-9:
                points.append((x1, x2))
    if abs(w1) > 1e-12:
        for x2 in (lo, hi):
            x1 = -(w0 + w2 * x2) / w1
            if lo - 1e-9 <= x1 <= hi + 1e-9:
                points.append((x1, x2))
    unique = []
    for p in points:
        if all(np.hypot(p[0] - q[0], p[1] - q[1]) > 1e-9 for q in unique):
            unique.append(p)
    return (np.array(unique[0]), np.array(unique[1])) if len(unique) >= 2 else None


def normal_arrow(w):
    """(foot, tip) of w = (w1, w2) drawn from the line's point nearest the origin
    towards the + side, or None when w1 = w2 = 0."""
    norm = np.hypot(w[0], w[1])
    if norm < 1e-12:
        return None
    foot = -w[2] * np.array([w[0], w[1]]) / norm ** 2
    return foot, foot + NORMAL_LENGTH * np.array([w[0], w[1]]) / norm


def side_grid(w):
    """(xs, sign of wᵀx̃ at each grid point (SIDES_GRID, SIDES_GRID), rows along x₂)."""
    xs = np.linspace(LO, HI, SIDES_GRID)
    gx, gy = np.meshgrid(xs, xs)
    return xs, np.sign(w[0] * gx + w[1] * gy + w[2])


def fmt(v):
    return "(" + ", ".join(f"{x + 0.0:+.2f}" for x in v) + ")"  # + 0.0 turns −0.0 into 0.0


class PerceptronRuleView(marks.ReflowingLegend, View):
    title = "Rosenblatt's rule"
    short_title = "Rosenblatt's rule"
    view_id = "rule"
    reset_requested = Signal(dict)  # dataset settings
    step_requested = Signal()
    epoch_requested = Signal()
    fit_requested = Signal(int)  # max epochs
    seek_requested = Signal(int)  # an update on the timeline

    def __init__(self, parent=None):
        super().__init__(parent)
        self.timeline = TimelineRow()
        self.timeline.seek_requested.connect(self.seek_requested)
        self._build_plot()
        layout = QVBoxLayout(self)
        layout.addLayout(self._settings_row())
        layout.addLayout(self._command_row())
        layout.addWidget(self.timeline)
        body = QHBoxLayout()
        body.addWidget(self.graphics, 3)
        body.addLayout(self._side_column(), 2)
        layout.addLayout(body, 1)

    # -- construction ------------------------------------------------------------------
    def _settings_row(self):
        self.dataset = QComboBox()
        for key, label in DATASETS:
            self.dataset.addItem(label, key)
        self.n_points = QSpinBox(minimum=4, maximum=500, value=RULE_DEFAULTS["n"])
        self.noise = QDoubleSpinBox(minimum=0.0, maximum=1.0, singleStep=0.1, decimals=2)
        self.seed = QSpinBox(minimum=0, maximum=9999)
        self.policy = QComboBox()
        self.policy.addItems(POLICIES)
        self.policy.setToolTip("Which misclassified point a Step uses: the first in order, the next "
                               "one after the last used (cyclic), or a random one")
        row = QHBoxLayout()
        for label, widget in (("Data", self.dataset), ("points", self.n_points), ("noise", self.noise),
                              ("seed", self.seed), ("pick", self.policy)):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        for widget in (self.dataset, self.policy):
            widget.currentIndexChanged.connect(self._on_settings_changed)
        for widget in (self.n_points, self.noise, self.seed):
            widget.valueChanged.connect(self._on_settings_changed)
        row.addStretch(1)
        return row

    def _command_row(self):
        self.max_epochs = QSpinBox(minimum=1, maximum=100000, value=100)
        row = QHBoxLayout()
        self.buttons = {}
        for text, signal in (("Step (→)", self.step_requested), ("Epoch", self.epoch_requested)):
            button = QPushButton(text)
            button.clicked.connect(signal)
            row.addWidget(button)
            self.buttons[text] = button
        run = QPushButton("Run until it converges, at most")
        run.clicked.connect(lambda: self.fit_requested.emit(self.max_epochs.value()))
        row.addWidget(run)
        row.addWidget(self.max_epochs)
        row.addWidget(QLabel("epochs"))
        reset = QPushButton("Reset w = 0")
        reset.clicked.connect(self._on_settings_changed)
        row.addWidget(reset)
        row.addStretch(1)
        return row

    def _build_plot(self):
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = self.graphics.addPlot(row=1, col=0)
        theme.style_plane(self.plot, lo=LO, hi=HI)
        cmap = theme.diverging_colormap()
        self.sides = pg.ImageItem()
        self.sides.setLookupTable(_lightened_lut(cmap, SIDES_LIGHTEN))
        self.plot.addItem(self.sides)
        self.old_line = self.plot.plot(pen=pg.mkPen(theme.GREY, width=2, style=Qt.DashLine))
        self.line = self.plot.plot(pen=pg.mkPen(theme.INK, width=3))
        self.normal = self.plot.plot(pen=pg.mkPen(theme.GREEN, width=3))  # w's shaft …
        self.normal_head = pg.ScatterPlotItem(size=18, pen=None, brush=pg.mkBrush(theme.GREEN))  # … and head
        self.points = {+1: pg.ScatterPlotItem(size=10, pen=pg.mkPen("w"), brush=pg.mkBrush(theme.BLUE)),
                       -1: pg.ScatterPlotItem(size=10, pen=pg.mkPen("w"), brush=pg.mkBrush(theme.ORANGE))}
        self.wrong = pg.ScatterPlotItem(size=12, symbol="x", pen=None, brush=pg.mkBrush(theme.INK))
        self.used = pg.ScatterPlotItem(size=26, symbol="o", brush=None, pen=pg.mkPen(theme.VERMILLION, width=3))
        for item in (self.normal_head, *self.points.values(), self.wrong, self.used):
            self.plot.addItem(item)
        self.legend = marks.explanation([
            (marks.dot(theme.BLUE), "class y = +1"), (marks.dot(theme.ORANGE), "class y = −1"),
            (marks.square(marks.lightened_colour(cmap, 1.0, SIDES_LIGHTEN)), "side wᵀx̃ > 0"),
            (marks.square(marks.lightened_colour(cmap, 0.0, SIDES_LIGHTEN)), "side wᵀx̃ < 0"),
            (marks.line(theme.INK, 3), "line wᵀx̃ = 0"), (marks.arrow(theme.GREEN), "w, its normal"),
            (marks.line(theme.GREY, 2, dashed=True), "previous line"), (marks.cross(), "misclassified"),
            (marks.ring(theme.VERMILLION), "point used")], columns=3)
        # above the plane, never over the data (beside it, the square plane would be smaller)
        self.graphics.addItem(self.legend, row=0, col=0)

    def _side_column(self):
        self.counters = QLabel()
        appearance.styled(self.counters, lambda s: f"font-size: {(theme.FONT_POINT_SIZE + 1) * s:.1f}pt; "
                                                   "font-weight: bold;")
        self.counters.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.arithmetic = QLabel()
        self.arithmetic.setTextFormat(Qt.RichText)
        self.arithmetic.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.arithmetic.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        appearance.styled(self.arithmetic, lambda s: f"font-family: monospace; "
                                                     f"font-size: {(theme.FONT_POINT_SIZE + 1) * s:.1f}pt;")
        self.caption = marks.caption(CAPTION)  # the window shows it beside the lesson, where there is room
        for label in (self.counters, self.status):
            label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # wrap, never widen the window
        side = QVBoxLayout()
        side.addWidget(self.counters)
        side.addWidget(self.status)
        side.addWidget(self.arithmetic, 1)
        return side

    # -- settings ----------------------------------------------------------------------
    def settings(self) -> dict:
        return {"dataset": self.dataset.currentData(), "n": self.n_points.value(), "noise": self.noise.value(),
                "seed": self.seed.value(), "policy": self.policy.currentText()}

    def set_settings(self, settings: dict, max_epochs: int | None = None) -> None:
        """Show these settings (a lesson's) without asking for a reset."""
        s = {**self.settings(), **settings}
        widgets = (self.dataset, self.policy, self.n_points, self.noise, self.seed)
        for widget in widgets:
            widget.blockSignals(True)
        self.dataset.setCurrentIndex(max(0, self.dataset.findData(s["dataset"])))
        self.n_points.setValue(s["n"])
        self.noise.setValue(s["noise"])
        self.seed.setValue(s["seed"])
        self.policy.setCurrentText(s["policy"])
        if max_epochs is not None:
            self.max_epochs.setValue(max_epochs)
        for widget in widgets:
            widget.blockSignals(False)

    def _on_settings_changed(self, *_):
        self.reset_requested.emit(self.settings())

    # -- drawing -----------------------------------------------------------------------
    def show_snapshot(self, snap):
        for label, item in self.points.items():
            chosen = snap.X[snap.y == label]
            item.setData(x=chosen[:, 0], y=chosen[:, 1])
        wrong = snap.X[snap.misclassified]
        self.wrong.setData(x=wrong[:, 0], y=wrong[:, 1])
        _xs, sides = side_grid(snap.w)
        self.sides.setImage((sides + 1) / 2, levels=(0, 1), autoLevels=False)
        self.sides.setRect(QRectF(LO, LO, HI - LO, HI - LO))  # after setImage: it needs the size
        self._draw_line(self.line, snap.w)
        self._draw_normal(snap.w)
        last = snap.last
        self._draw_line(self.old_line, last.w_before if last is not None else None)
        self.used.setData(x=[last.x[0]] if last else [], y=[last.x[1]] if last else [])
        self.counters.setText(f"updates {snap.updates}    epochs {snap.epochs}    "
                              f"misclassified {len(snap.misclassified)} of {len(snap.y)}")
        self.status.setText(snap.status)
        self.arithmetic.setText(self._arithmetic(snap))
        self.timeline.show_snapshot(snap)
        self._fit_legend()

    @staticmethod
    def _draw_line(item, w):
        segment = line_segment(w) if w is not None else None
        if segment is None:
            item.setData([], [])
        else:
            item.setData([segment[0][0], segment[1][0]], [segment[0][1], segment[1][1]])

    def _draw_normal(self, w):
        arrow = normal_arrow(w)
        if arrow is None:
            self.normal.setData([], [])
            self.normal_head.setData(x=[], y=[])
            return
        foot, tip = arrow
        self.normal.setData([foot[0], tip[0]], [foot[1], tip[1]])
        head = marks.arrow_head(np.degrees(np.arctan2(w[1], w[0])))
        self.normal_head.setData(x=[tip[0]], y=[tip[1]], symbol=[head])

    @staticmethod
    def _arithmetic(snap) -> str:
        """The update with its numbers, in lines short enough for a narrow column."""
        last = snap.last
        lines = ["w = (w₁, w₂, w₀)", f"  = {fmt(snap.w)}", "", "separator: w₁·x₁ + w₂·x₂ + w₀ = 0",
                 "valid iff y·wᵀx̃ > 0 for all points", ""]
        if last is not None:
            lines += [f"update {last.update + 1}, point {last.index + 1}:",
                      f"  x̃      = {fmt(last.x)}",
                      f"  y      = {last.y:+.0f}",
                      f"  wₜ     = {fmt(last.w_before)}",
                      f"  y·wₜᵀx̃ = {last.y * (last.w_before @ last.x):+.2f} ≤ 0: wrong side",
                      "  wₜ₊₁   = wₜ + y·x̃",
                      f"         = {fmt(last.w_after)}"]
        return "<pre>" + html.escape("\n".join(lines)) + "</pre>"

    # -- export ------------------------------------------------------------------------
    def export_tables(self) -> dict:
        """The exact data drawn: points, w, the lines, the arrow and the shaded sides."""
        snap = self.snapshot
        if snap is None:
            return {}
        last = snap.last
        used = last.index if last is not None else -1
        wrong = set(snap.misclassified.tolist())
        margins = snap.y * (snap.X @ snap.w[:2] + snap.w[2])
        points = [(x[0], x[1], int(y), m, int(i in wrong), int(i == used))
                  for i, (x, y, m) in enumerate(zip(snap.X, snap.y, margins))]
        weights = [("w", *snap.w)] + ([("w_before", *last.w_before)] if last is not None else [])
        lines = [(name, *segment[0], *segment[1]) for name, w in (("separator", snap.w),
                 ("previous", last.w_before if last is not None else None))
                 if w is not None and (segment := line_segment(w)) is not None]
        arrow = normal_arrow(snap.w)
        xs, sides = side_grid(snap.w)
        gx, gy = np.meshgrid(xs, xs)
        return {
            "points": (["x1", "x2", "y", "margin y*w.x", "misclassified", "used by the update"], points),
            "w": (["which", "w1", "w2", "w0"], weights),
            "lines": (["line", "x1 start", "x2 start", "x1 end", "x2 end"], lines),
            "arrow": (["x1 foot", "x2 foot", "x1 tip", "x2 tip"], [(*arrow[0], *arrow[1])] if arrow else []),
            "sides": (["x1", "x2", "sign of w.x"], np.column_stack([gx.ravel(), gy.ravel(), sides.ravel()])),
        }
