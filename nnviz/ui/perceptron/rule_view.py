"""Rosenblatt's rule, one update at a time: the points, the separator wᵀx̃ = 0 with w
drawn as its normal, the half-planes, the point that was used, the previous line, and
the arithmetic of the update with the actual numbers."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from ...engine.perceptron import POLICIES
from .. import theme
from ..views.decision_boundary import _lightened_lut

LO, HI = -6.0, 6.0
DATASETS = (("separable", "linearly separable"), ("gaussians", "two gaussians"),
            ("xor", "XOR (not separable)"), ("circle", "circle (not separable)"))


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


def fmt(v):
    return "(" + ", ".join(f"{x + 0.0:+.2f}" for x in v) + ")"  # + 0.0 turns −0.0 into 0.0


class PerceptronRuleView(QWidget):
    reset_requested = Signal(dict)  # dataset settings
    step_requested = Signal()
    epoch_requested = Signal()
    fit_requested = Signal(int)  # max epochs

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot = None
        self.dataset = QComboBox()
        for key, label in DATASETS:
            self.dataset.addItem(label, key)
        self.n_points = QSpinBox(minimum=4, maximum=500, value=40)
        self.noise = QDoubleSpinBox(minimum=0.0, maximum=1.0, singleStep=0.1, decimals=2)
        self.seed = QSpinBox(minimum=0, maximum=9999)
        self.policy = QComboBox()
        self.policy.addItems(POLICIES)
        self.policy.setToolTip("Which misclassified point a Step uses: the first in order, the next "
                               "one after the last used (cyclic), or a random one")
        self.max_epochs = QSpinBox(minimum=1, maximum=100000, value=100)
        row1 = QHBoxLayout()
        for label, widget in (("Data", self.dataset), ("points", self.n_points), ("noise", self.noise),
                              ("seed", self.seed), ("pick", self.policy)):
            row1.addWidget(QLabel(label))
            row1.addWidget(widget)
        for widget in (self.dataset, self.policy):
            widget.currentIndexChanged.connect(self._on_settings_changed)
        for widget in (self.n_points, self.noise, self.seed):
            widget.valueChanged.connect(self._on_settings_changed)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        self.buttons = {}
        for text, signal in (("Step (→)", self.step_requested), ("Epoch", self.epoch_requested)):
            button = QPushButton(text)
            button.clicked.connect(signal)
            row2.addWidget(button)
            self.buttons[text] = button
        run = QPushButton("Run until it converges, at most")
        run.clicked.connect(lambda: self.fit_requested.emit(self.max_epochs.value()))
        row2.addWidget(run)
        row2.addWidget(self.max_epochs)
        row2.addWidget(QLabel("epochs"))
        reset = QPushButton("Reset w = 0")
        reset.clicked.connect(self._on_settings_changed)
        row2.addWidget(reset)
        row2.addStretch(1)
        self.counters = QLabel()
        self.counters.setStyleSheet(f"font-size: {theme.FONT_POINT_SIZE + 1}pt; font-weight: bold;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.arithmetic = QLabel()
        self.arithmetic.setTextFormat(Qt.RichText)
        self.arithmetic.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.arithmetic.setStyleSheet(f"font-family: monospace; font-size: {theme.FONT_POINT_SIZE + 1}pt;")
        self.plot_widget, self.plot = theme.plane_plot(lo=LO, hi=HI)
        self.sides = pg.ImageItem()
        self.sides.setLookupTable(_lightened_lut(theme.diverging_colormap(), 0.75))  # points must stand out
        self.plot.addItem(self.sides)
        self.old_line = self.plot.plot(pen=pg.mkPen(theme.GREY, width=2, style=Qt.DashLine))
        self.line = self.plot.plot(pen=pg.mkPen(theme.INK, width=3))
        self.normal = pg.ArrowItem(angle=0, headLen=16, tailLen=40, tailWidth=4, brush=theme.GREEN, pen=None)
        self.normal.setVisible(False)
        self.plot.addItem(self.normal)
        self.points = {+1: pg.ScatterPlotItem(size=10, pen=pg.mkPen("w"), brush=pg.mkBrush(theme.BLUE)),
                       -1: pg.ScatterPlotItem(size=10, pen=pg.mkPen("w"), brush=pg.mkBrush(theme.ORANGE))}
        self.wrong = pg.ScatterPlotItem(size=12, symbol="x", pen=None, brush=pg.mkBrush(theme.INK))
        self.used = pg.ScatterPlotItem(size=26, symbol="o", brush=None, pen=pg.mkPen(theme.VERMILLION, width=3))
        for item in (*self.points.values(), self.wrong, self.used):
            self.plot.addItem(item)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.counters)
        layout.addWidget(self.status)
        body = QHBoxLayout()
        body.addWidget(self.plot_widget, 3)
        self.arithmetic.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        body.addWidget(self.arithmetic, 2)
        layout.addLayout(body, 1)

    def settings(self) -> dict:
        return {"dataset": self.dataset.currentData(), "n": self.n_points.value(), "noise": self.noise.value(),
                "seed": self.seed.value(), "policy": self.policy.currentText()}

    def _on_settings_changed(self, *_):
        self.reset_requested.emit(self.settings())

    def show_snapshot(self, snap):
        self.snapshot = snap
        for label, item in self.points.items():
            chosen = snap.X[snap.y == label]
            item.setData(x=chosen[:, 0], y=chosen[:, 1])
        wrong = snap.X[snap.misclassified]
        self.wrong.setData(x=wrong[:, 0], y=wrong[:, 1])
        self._draw_sides(snap.w)
        self._draw_line(self.line, snap.w)
        self._draw_normal(snap.w)
        last = snap.last
        if last is not None and last.update == snap.updates - 1:
            self._draw_line(self.old_line, last.w_before)
            self.used.setData(x=[last.x[0]], y=[last.x[1]])
        else:
            self.old_line.setData([], [])
            self.used.setData(x=[], y=[])
        self.counters.setText(f"updates {snap.updates}    epochs {snap.epochs}    "
                              f"misclassified {len(snap.misclassified)} of {len(snap.y)}")
        self.status.setText(snap.status)
        self.arithmetic.setText(self._arithmetic(snap))

    def _draw_sides(self, w):
        gx, gy = np.meshgrid(np.linspace(LO, HI, 120), np.linspace(LO, HI, 120))
        side = np.sign(w[0] * gx + w[1] * gy + w[2])
        self.sides.setImage((side + 1) / 2, levels=(0, 1), autoLevels=False)
        self.sides.setRect(QRectF(LO, LO, HI - LO, HI - LO))  # after setImage: it needs the size

    @staticmethod
    def _draw_line(item, w):
        segment = line_segment(w)
        if segment is None:
            item.setData([], [])
        else:
            item.setData([segment[0][0], segment[1][0]], [segment[0][1], segment[1][1]])

    def _draw_normal(self, w):
        """w = (w1, w2) drawn from the line's point nearest the origin, pointing to the + side."""
        norm = np.hypot(w[0], w[1])
        if norm < 1e-12:
            self.normal.setVisible(False)
            return
        foot = -w[2] * np.array([w[0], w[1]]) / norm ** 2
        tip = foot + 1.8 * np.array([w[0], w[1]]) / norm
        self.normal.setVisible(True)
        self.normal.setPos(*tip)
        self.normal.setStyle(angle=180 - np.degrees(np.arctan2(w[1], w[0])))

    @staticmethod
    def _arithmetic(snap) -> str:
        last = snap.last
        lines = [f"w = {fmt(snap.w)}  (w₁, w₂, w₀)", "", "separator: w₁·x₁ + w₂·x₂ + w₀ = 0",
                 "valid iff y·wᵀx̃ > 0 for every point", ""]
        if last is not None:
            lines += [f"update {last.update + 1}, point {last.index + 1}:",
                      f"  x̃       = {fmt(last.x)}",
                      f"  y       = {last.y:+.0f}",
                      f"  w_t     = {fmt(last.w_before)}",
                      f"  y·w_tᵀx̃ = {last.y * (last.w_before @ last.x):+.2f}  ≤ 0: misclassified",
                      "  w_t+1   = w_t + y·x̃",
                      f"          = {fmt(last.w_after)}"]
        return "<pre>" + "\n".join(lines) + "</pre>"
