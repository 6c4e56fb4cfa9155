"""Softmax and sigmoid side by side, the lecture's proof on the running network: with
two classes 0 and 1, p₁ = e^(z₁)/(e^(z₀) + e^(z₁)) = 1/(1 + e^(−(z₁ − z₀))) = σ(z₁ − z₀),
and z₁ − z₀ = (w₁ − w₀)ᵀh + (b₁ − b₀): the 2-unit softmax output and the 1-unit sigmoid
with w = w₁ − w₀, b = b₁ − b₀ (rows of Wᵒ) make exactly the same predictions. Both
are drawn over the input plane, from this network."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel

from .. import theme
from .base import View, layer_kinds
from .decision_boundary import _lightened_lut


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


class SoftmaxSigmoidView(View):
    title = "Softmax = sigmoid"
    short_title = "Softmax = σ"  # its tab
    view_id = "outputs"
    default_area = "bottom"
    tab_group = "inside"

    @classmethod
    def unavailable_reason(cls, snapshot):
        kinds = layer_kinds(snapshot)
        if snapshot.grid is None:
            return "the inputs are not the points of a plane (x1, x2)"
        if snapshot.regression or snapshot.dataset.n_classes != 2:
            return "it compares the outputs of a 2-class classifier"
        if len(kinds) > 1 and kinds[-2] != "dense":
            return "the output layer does not follow a Dense layer"
        return ""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.RichText)  # e<sup>z</sup>
        self.caption.setWordWrap(True)  # beside the plots: it wraps, they keep the height
        self.caption.setMinimumWidth(160)
        self.graphics = pg.GraphicsLayoutWidget()
        self.plots, self.images = [], []
        for col in range(2):
            plot = self.graphics.addPlot(row=0, col=col)
            theme.style_plane(plot)
            image = pg.ImageItem()
            image.setLookupTable(_lightened_lut(theme.diverging_colormap(), 0.2))
            plot.addItem(image)
            self.plots.append(plot)
            self.images.append(image)
        self.graphics.addItem(theme.colour_bar(theme.lightened(theme.diverging_colormap(), 0.2), 0.0, 1.0,
                                               "p₁"), row=0, col=2)  # as the titles (it said "p(class 2)")
        # two square planes (the two plots share the width: squaring one squares both)
        self.square = theme.SquarePlane(self.graphics, self.plots[0])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.graphics, 2)
        layout.addWidget(self.caption, 1)
        self.difference = None

    def resizeEvent(self, event):
        super().resizeEvent(event)
        # the caption wraps in a third of the view; the planes (short titles) and their
        # colour bar fit in the rest
        self.caption.setMaximumWidth(max(160, self.width() // 3))  # a maximum: never widens the dock

    def pair(self, snap):
        """(given, equivalent) p(class 2) over the plane, and the titles; None if n/a."""
        out = len(snap.structure.layer_kinds) - 1
        if snap.grid is None or snap.regression or not snap.neuron_maps:
            return None
        h = snap.neuron_maps[out - 1] if out > 0 else snap.input_maps  # (n_L, g, g) what the output sees
        if out > 0 and snap.structure.layer_kinds[out - 1] != "dense" or h is None:
            return None
        W, b = snap.param(out, "W"), snap.param(out, "b")
        z = np.einsum("kn,nij->kij", W, h) + b[:, None, None]
        if W.shape[0] == 2:  # softmax(z)₁ and σ((w₁ − w₀)ᵀh + b₁ − b₀), classes 0 and 1
            given = snap.neuron_maps[out][1]
            equivalent = sigmoid(z[1] - z[0])
            titles = ("softmax p₁", "sigmoid σ(z₁ − z₀)")  # short: the caption says the rest
        else:  # a 1-unit sigmoid and the softmax of (0, z)
            given = snap.neuron_maps[out][0]
            equivalent = np.exp(z[0]) / (1.0 + np.exp(z[0]))
            titles = ("sigmoid p = σ(z)", "softmax of (0, z)")
        return given, equivalent, titles

    def show_snapshot(self, snap):
        pair = self.pair(snap)
        self.graphics.setVisible(pair is not None)
        if pair is None:
            self.caption.setText("Needs a 2-class data set of the plane with a softmax or sigmoid output "
                                 "right after a Dense layer.")
            return
        given, equivalent, titles = pair
        g = given.shape[0]
        for plot, image, values, title in zip(self.plots, self.images, (given, equivalent), titles):
            image.setImage(values, levels=(0, 1), autoLevels=False)
            image.setRect(QRectF(-6, -6, 12, 12))
            theme.set_title(plot, title, size=f"{theme.FONT_POINT_SIZE}pt")
        self.difference = float(np.max(np.abs(given - equivalent)))
        self.caption.setText(self._proof(snap, g))

    def _proof(self, snap, g) -> str:
        """The lecture's steps, with this network's w₁ − w₀ and b₁ − b₀."""
        out = len(snap.structure.layer_kinds) - 1
        W, b = snap.param(out, "W"), snap.param(out, "b")
        close = (f"Over a {g}×{g} grid of the plane the two outputs differ by at most {self.difference:.1e}: "
                 "the same predictions, from one unit fewer.")
        if W.shape[0] != 2:
            return ("One sigmoid unit p = σ(z) is the softmax of (0, z): e<sup>z</sup>/(e<sup>0</sup> + e<sup>z</sup>) "
                    "= 1/(1 + e<sup>−z</sup>). " + close)
        shown = 6  # weights written out; more are elided
        w = W[1] - W[0]
        terms = ", ".join(f"{v:+.3f}" for v in w[:shown]) + (", …" if w.size > shown else "")
        # exponents raised (rich text), not written e^(…)
        return (f"Two classes: p₁ = e<sup>z₁</sup>/(e<sup>z₀</sup> + e<sup>z₁</sup>) = 1/(1 + e<sup>−(z₁&nbsp;−&nbsp;z₀)</sup>)"
                f" = σ(z₁ − z₀), and "
                f"z₁ − z₀ = (w₁ − w₀)ᵀh + (b₁ − b₀) with w₀, w₁ the rows of Wᵒ. Here w₁ − w₀ = ({terms}), "
                f"b₁ − b₀ = {b[1] - b[0]:+.3f}. " + close)

    def export_tables(self):
        snap = self.snapshot
        pair = self.pair(snap) if snap is not None else None
        if pair is None:
            return {}
        given, equivalent, _ = pair
        return {"outputs": (["cell", "given_output", "equivalent_output"],
                            [(k + 1, a, b) for k, (a, b) in enumerate(zip(given.ravel(), equivalent.ravel()))])}
