"""Dropout: this minibatch's mask, the kept fraction against updates, and what
changes between training and inference."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout

from .. import theme
from ..logic.decimate import decimate
from .base import View, fill_layer_choice, layer_kinds

KEPT, DROPPED = (0, 114, 178), (235, 235, 235)  # blue = kept, light grey = dropped


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
        self.layer_choice = QComboBox()
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
        self.mask_plot = self.graphics.addPlot(row=0, col=0)
        theme.style_plot(self.mask_plot, "", "")
        self.mask_plot.invertY(True)
        self.mask_plot.setMouseEnabled(False, False)
        self.mask_image = pg.ImageItem()
        self.mask_image.setLookupTable(np.array([DROPPED, KEPT], dtype=np.ubyte))
        self.mask_plot.addItem(self.mask_image)
        self.kept_plot = self.graphics.addPlot(row=1, col=0)
        theme.style_plot(self.kept_plot, "updates", "fraction kept")
        self.kept_line = self.kept_plot.plot(pen=pg.mkPen(theme.BLUE, width=2.5), name="kept in the minibatch")
        self.reference = pg.InfiniteLine(angle=0, pen=pg.mkPen(theme.VERMILLION, width=2, style=pg.QtCore.Qt.DashLine))
        self.kept_plot.addItem(self.reference)
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        self.empty = QLabel("This network has no Dropout layer. Add one under Network ▸ Add layer ▸ Dropout.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.explanation)
        layout.addWidget(self.empty)
        layout.addWidget(self.graphics, 1)
        self._structure = None

    def _ensure_structure(self, snap):
        key = snap.structure.layer_configs
        if key == self._structure:
            return
        self._structure = key
        fill_layer_choice(self.layer_choice, snap, ("dropout",))

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
        rate, mode = config["rate"], config["mode"]
        q = 1 - rate
        self._draw_mask(snap, index, mode)
        self._draw_kept(snap, index, q)
        if self.training.isChecked():
            self.explanation.setText(
                f"Training: each {'unit' if mode == 'neuron' else 'connection'} is dropped with probability "
                f"rate = {rate:.2f} (kept with q = {q:.2f}), a fresh mask every minibatch; kept values "
                f"are multiplied by 1/q = {1 / q:.2f} so that their expected value does not change.")
        else:
            self.explanation.setText(
                "Inference: every unit and connection is used and nothing is scaled — the 1/q of "
                f"training already did that (inverted dropout). Equivalently, a network trained without "
                f"the 1/q would use its weights × q = {q:.2f} here.")

    def export_tables(self):
        snap, index = self.snapshot, self.layer_choice.currentData()
        if snap is None or index is None:
            return {}
        h = snap.history
        tables = {"kept": (["update", "fraction_kept"], np.column_stack([h.step, h.get(f"kept/{index}")]))}
        rec = snap.record.layers[index] if snap.record is not None else None
        if rec is not None and rec.mask is not None:
            rows = [(a + 1, b + 1, int(rec.mask[a, b])) for a in range(rec.mask.shape[0])
                    for b in range(rec.mask.shape[1])]
            header = ["unit", "point_of_batch", "kept"] if rec.mode == "neuron" else ["row_i", "column_j", "kept"]
            tables["mask"] = (header, rows)
        return tables

    def _draw_mask(self, snap, index, mode):
        rec = snap.record.layers[index] if snap.record is not None else None
        if rec is None or rec.mask is None:
            self.mask_image.clear()
            return
        mask = rec.mask if self.training.isChecked() else np.ones_like(rec.mask)
        self.mask_image.setImage(mask.astype(np.uint8), levels=(0, 1), autoLevels=False)
        if mode == "neuron":
            self.mask_plot.setLabel("left", f"unit of {snap.structure.layer_labels[index]}")
            self.mask_plot.setLabel("bottom", "point of the minibatch (blue = kept)")
        else:
            self.mask_plot.setLabel("left", "row i of the next W (neuron)")
            self.mask_plot.setLabel("bottom", "column j of the next W (input unit); blue = kept")

    def _draw_kept(self, snap, index, q):
        h = snap.history
        kept = h.get(f"kept/{index}")
        keep = np.isfinite(kept)
        self.kept_line.setData(*decimate(h.step[keep], kept[keep]))
        self.reference.setPos(q)
        self.kept_plot.setYRange(max(0.0, q - 0.3), min(1.0, q + 0.3))
