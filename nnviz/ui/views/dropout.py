"""Dropout: this minibatch's mask in the lecture's layout — what it multiplies, the
mask, and the result, side by side — and the kept fraction against updates.

    neuron (Keras)        h (n × m)        mask (n × m)   h ⊗ mask/q
    column (lecture's α)  W (n_next × n)   α (n × 1)      W·diag(α): whole columns cut
    connection            W (n_next × n)   mask (n_next × n)   W ⊙ mask: single weights cut
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout

from ...engine.layers.dropout import kept_count
from .. import theme
from ..logic.decimate import decimate
from ..widgets import compact
from .base import View, fill_layer_choice, layer_kinds
from .heatmap import (colour_bar, fit_beside_axis, heat_plot, mask_colormap, matrix_ticks, show_matrix,
                      symmetric_levels)

PANELS = ("operand", "mask", "result")


KEPT_PLOT_ROOM = 330  # pixels of height below which the kept-fraction plot is left out
MASKS_MIN_HEIGHT = 210  # pixels: the operand, mask and result maps with their titles and axes


class DropoutView(View):
    title = "Dropout"
    short_title = "Dropout"  # its tab
    view_id = "dropout"
    default_area = "bottom"
    tab_group = "inside"

    @classmethod
    def unavailable_reason(cls, snapshot):
        return "" if "dropout" in layer_kinds(snapshot) else "the network has no Dropout layer"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.shown: dict = {}  # panel → the array drawn (tests, export); before the plots: their resizes read it
        self.layer_choice = compact(QComboBox(), 8)  # "dropout(h¹)" whole at any dock width
        self.layer_choice.currentIndexChanged.connect(lambda _i: self._redraw())
        self.training = QRadioButton("training")
        self.inference = QRadioButton("inference")
        self.training.setChecked(True)
        self.training.toggled.connect(lambda _c: self._redraw())
        top = QHBoxLayout()
        top.addWidget(QLabel("Dropout layer"))
        top.addWidget(self.layer_choice)
        top.addWidget(self.training)
        top.addWidget(self.inference)
        top.addStretch(1)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget()
        self._build_plots()
        self.empty = QLabel("This network has no Dropout layer. Add one under Network ▸ Add layer ▸ Dropout.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.explanation)
        layout.addWidget(self.empty)
        layout.addWidget(self.graphics, 1)
        self._structure = None

    def _build_plots(self):
        """operand | mask + its colour bar | result + the value colour bar; the kept
        fraction below, across."""
        g = self.graphics
        self.plots, self.images = {}, {}
        for name, col in zip(PANELS, (0, 1, 3)):
            self.plots[name], self.images[name] = heat_plot(g, 0, col)
            self.plots[name].getViewBox().sigResized.connect(lambda _box: self._fit_maps())
        self.mask_image = self.images["mask"]
        diverging = theme.diverging_colormap()
        self.mask_bar = colour_bar(g, 0, 2, mask_colormap(), "0 dropped · 1 kept", [self.images["mask"]])
        # each label in the middle of its colour (grey below ½, blue above), not at the
        # bar's ends: in a short dock the bar's bottom end, and its "0", were out of view
        theme.set_ticks(self.mask_bar.getAxis("right"), [[(0.25, "0"), (0.75, "1")], []])
        self.value_bar = colour_bar(g, 0, 4, diverging, "value", [self.images["operand"], self.images["result"]])
        self.kept_plot = g.addPlot(row=1, col=0, colspan=5)
        theme.style_plot(self.kept_plot, "updates", "fraction kept")
        theme.count_axis(self.kept_plot.getAxis("bottom"))
        self.kept_line = self.kept_plot.plot(pen=pg.mkPen(theme.BLUE, width=2.5), name="kept in the minibatch")
        self.reference = pg.InfiniteLine(angle=0, pen=pg.mkPen(theme.VERMILLION, width=2, style=pg.QtCore.Qt.DashLine))
        self.kept_plot.addItem(self.reference)
        g.ci.layout.setRowStretchFactor(0, 3)
        g.ci.layout.setRowStretchFactor(1, 1)
        self._kept_shown = True

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._show_kept_plot(self.graphics.height() >= KEPT_PLOT_ROOM)

    def _show_kept_plot(self, show: bool):
        """The kept fraction below the masks only when there is room for both: in a
        short dock the masks, what the view is about, get the whole height."""
        if show == self._kept_shown:
            return
        self._kept_shown = show
        if show:
            self.graphics.ci.addItem(self.kept_plot, row=1, col=0, colspan=5)
            self.graphics.ci.layout.setRowStretchFactor(1, 1)
        else:
            self.graphics.ci.removeItem(self.kept_plot)

    def _ensure_structure(self, snap):
        key = snap.structure.layer_configs
        if key == self._structure:
            return
        self._structure = key
        fill_layer_choice(self.layer_choice, snap, ("dropout",))
        # the masks need some height (a short dock would squash them to nothing), but only
        # in a network with dropout: a hidden view must not take room from the others
        self.graphics.setMinimumHeight(MASKS_MIN_HEIGHT if "dropout" in layer_kinds(snap) else 0)

    def show_snapshot(self, snap):
        self._ensure_structure(snap)
        self._redraw()

    def _redraw(self):
        snap = self.snapshot
        if snap is None:
            return
        index = self.layer_choice.currentData()
        self.empty.setVisible(index is None)
        self.graphics.setVisible(index is not None)
        if index is None:
            self.explanation.setText("")
            return
        config = snap.structure.layer_configs[index]
        self._draw_panels(snap, index, config["mode"])
        self._draw_kept(snap, index, 1 - config["rate"])
        self.explanation.setText(self._explain(snap, index, config["rate"], config["mode"]))

    # -- the three panels ---------------------------------------------------------------
    def panels(self, snap, index, mode):
        """{panel: (array, title, x label, y label)} of this minibatch (None before any)."""
        rec = snap.record.layers[index] if snap.record is not None else None
        if rec is None or rec.mask is None:
            return None
        st = snap.structure
        inference = not self.training.isChecked()
        mask = np.ones_like(rec.mask) if inference else rec.mask
        unit = st.input_of(index)
        if mode == "neuron":
            result = rec.x if inference else rec.h
            return {"operand": (rec.x, f"{unit} (this minibatch)", "point of the minibatch", f"unit of {unit}"),
                    "mask": (mask, "mask" if not inference else "no mask at inference", "point", ""),
                    "result": (result, f"{unit} ⊗ mask/q" if not inference else unit, "point", "")}
        W_name = st.symbol("W", index + 1)
        W = snap.record.layers[index + 1].W
        if mode == "column":
            cut = W * mask[:, 0][None, :]
            return {"operand": (W, f"{W_name} ({W.shape[0]}×{W.shape[1]})", f"column j (unit of {unit})",
                                "row i (neuron)"),
                    "mask": (mask, f"α ({mask.shape[0]}×1)", "", f"unit j of {unit}"),
                    "result": (cut, f"{W_name}·diag(α)" if not inference else W_name, "column j", "row i")}
        return {"operand": (W, f"{W_name} ({W.shape[0]}×{W.shape[1]})", f"column j (unit of {unit})", "row i (neuron)"),
                "mask": (mask, "mask (element-wise)", "column j", "row i"),
                "result": (W * mask, f"{W_name} ⊙ mask" if not inference else W_name, "column j", "row i")}

    def _draw_panels(self, snap, index, mode):
        panels = self.panels(snap, index, mode)
        if panels is None:
            self.shown = {}
            for image in self.images.values():
                image.clear()
            return
        levels = symmetric_levels(panels["operand"][0], panels["result"][0])
        self.value_bar.setLevels(levels)
        self.mask_bar.setLevels((0.0, 1.0))
        theme.set_axis_label(self.value_bar.getAxis("right"), "W" if mode != "neuron" else "value",
                                                 **{"font-size": f"{theme.FONT_POINT_SIZE - 1}pt"})
        for name, (array, title, x_label, y_label) in panels.items():
            plot = self.plots[name]
            show_matrix(plot, self.images[name], array.astype(float), (0.0, 1.0) if name == "mask" else levels,
                        beside_axis=self.laid_out_for_screen())
            theme.set_title(plot, title, size=f"{theme.FONT_POINT_SIZE}pt")
            # over the map, which sits at the plot's left on screen (fit_beside_axis)
            justify = "left" if self.laid_out_for_screen() else "center"
            if plot.titleLabel.opts.get("justify") != justify:
                plot.titleLabel.setAttr("justify", justify)
                plot.titleLabel.resizeEvent(None)
            theme.set_axis_label(plot.getAxis("bottom"), x_label)
            theme.set_axis_label(plot.getAxis("left"), y_label)
            self.shown[name] = array

    def restyled(self):
        # the maps' tick labels thinned for the text's new size (not a whole redraw: that
        # would set the titles back to the screen's size in an export's theme)
        self._fit_maps()

    def _fit_maps(self):
        """After a resize (also an export's last layout): the maps beside their axes
        again on screen (the range is in cells), and as many labels as the cells' new
        size holds."""
        for name, array in self.shown.items():
            rows, cols = np.atleast_2d(array).shape
            if self.laid_out_for_screen():
                fit_beside_axis(self.plots[name], rows, cols)
            matrix_ticks(self.plots[name], rows, cols)

    def _explain(self, snap, index, rate, mode) -> str:
        q = 1 - rate
        rec = snap.record.layers[index] if snap.record is not None else None
        n = snap.structure.units[index]
        if not self.training.isChecked():
            return (f"Inference: every unit and weight is used and nothing is scaled — the ×1/q = ×{1 / q:.2f} of "
                    f"training already kept each value's expected size (inverted dropout, as Keras), so the trained "
                    f"network needs no change. Without the 1/q one would multiply the weights by q = {q:.2f} here.")
        if mode == "neuron":
            return (f"Keras: each unit is dropped with probability rate = {rate:.2f} (kept with q = {q:.2f}), "
                    f"independently for every point of the minibatch — a new mask per point; kept values ×1/q = "
                    f"{1 / q:.2f}.")
        W_name = snap.structure.symbol("W", index + 1)
        if mode == "column":
            k = kept_count(q, n)
            return (f"The lecture's α: one vector of n = {n} entries per minibatch with exactly round(q·n) = {k} "
                    f"ones (q = {q:.2f}). {W_name}·diag(α) zeroes the columns of the dropped units for the whole "
                    f"batch — those neurons are cut off, and d{W_name} is exactly 0 there. Kept columns are ×1/q = "
                    f"{1 / q:.2f} as in Keras, so inference needs no change.")
        size = rec.mask.size if rec is not None and rec.mask is not None else 0
        return (f"The lecture's element-wise mask: exactly round(q·{size}) = {kept_count(q, size) if size else '…'} of "
                f"the {size} weights of {W_name} are kept in this minibatch (q = {q:.2f}), each connection on its "
                f"own; kept weights ×1/q = {1 / q:.2f}, so inference needs no change.")

    def _draw_kept(self, snap, index, q):
        h = snap.history
        kept = h.get(f"kept/{index}")
        keep = np.isfinite(kept)
        self.kept_line.setData(*decimate(h.step[keep], kept[keep]))
        self.reference.setPos(q)
        self.kept_plot.setYRange(max(0.0, q - 0.3), min(1.0, q + 0.3))

    def export_tables(self):
        snap, index = self.snapshot, self.layer_choice.currentData()
        if snap is None or index is None:
            return {}
        h = snap.history
        tables = {"kept": (["update", "fraction_kept"], np.column_stack([h.step, h.get(f"kept/{index}")]))}
        for name, array in self.shown.items():
            array = np.atleast_2d(array)
            tables[name] = (["row", "column", "value"],
                            [(a + 1, b + 1, float(array[a, b])) for a in range(array.shape[0])
                             for b in range(array.shape[1])])
        return tables
