"""The inspector: the lecture's equations for one neuron, filled with the numbers of
one data point of the minibatch; precision adjustable, copyable as text."""

from __future__ import annotations

from PySide6.QtWidgets import (QApplication, QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QSpinBox, QToolButton,
                               QVBoxLayout)

from .. import appearance, theme
from ..logic.inspector_text import inspect
from ..widgets import compact
from .base import View, fill_layer_choice


class InspectorView(View):
    title = "Inspector"
    short_title = "Inspector"  # its tab
    view_id = "inspector"
    default_area = "bottom"
    tab_group = "inside"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer_choice = compact(QComboBox(), 8)
        self.unit = QSpinBox(minimum=1, maximum=1)
        self.point = QSpinBox(minimum=1, maximum=1)
        self.digits = QSpinBox(minimum=1, maximum=12, value=4)
        copy = QToolButton(text="Copy")
        copy.setToolTip("Copy the equations as text")
        copy.clicked.connect(self._on_copy)
        self.point.setToolTip("the point of the minibatch whose numbers are shown")
        top = QHBoxLayout()  # a row of its own: in the title row it would widen the whole dock area
        top.addWidget(self.layer_choice)
        for prefix, widget in (("neuron ", self.unit), ("point ", self.point), ("digits ", self.digits)):
            widget.setPrefix(prefix)  # the name inside the box: a narrower row
            top.addWidget(widget)
        self.layer_choice.setToolTip("the layer whose neuron's equations are written out")
        top.addStretch(1)
        top.addWidget(copy)
        self.layer_choice.currentIndexChanged.connect(self._on_choice_changed)
        for spin in (self.unit, self.point, self.digits):
            spin.valueChanged.connect(self._on_choice_changed)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        # an equation on one line (it scrolls sideways): wrapped, "= (+0.1993)·(−0.7719) + …"
        # continued at the left margin and its terms no longer lined up under the "="
        self.text.setLineWrapMode(QPlainTextEdit.NoWrap)
        appearance.styled(self.text, lambda s: f"font-family: monospace; font-size: {(theme.FONT_POINT_SIZE + 1) * s:.1f}pt;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        self._structure = None
        self._pending_selection = None  # a neuron clicked in the graph, not shown yet

    def _ensure_structure(self, snap):
        if snap.structure.layer_configs == self._structure:
            return
        self._structure = snap.structure.layer_configs
        fill_layer_choice(self.layer_choice, snap)

    def set_selection(self, selection):
        self._pending_selection = selection  # applied once the layer list exists
        super().set_selection(selection)

    def _apply_selection(self):
        selection, self._pending_selection = self._pending_selection, None
        index = self.layer_choice.findData(selection[0])
        if index < 0:
            return
        for widget in (self.layer_choice, self.unit):
            widget.blockSignals(True)
        self.layer_choice.setCurrentIndex(index)
        self.unit.setMaximum(max(self.unit.maximum(), selection[1] + 1))
        self.unit.setValue(selection[1] + 1)
        for widget in (self.layer_choice, self.unit):
            widget.blockSignals(False)

    def show_snapshot(self, snap):
        self._ensure_structure(snap)
        if self._pending_selection is not None:
            self._apply_selection()
        layer = self.layer_choice.currentData()
        if layer is None:
            return
        rec = snap.record.layers[layer] if snap.record is not None else None
        units = snap.neuron_maps[layer].shape[0] if snap.neuron_maps else 1
        self.unit.setMaximum(units)
        points = rec.h.shape[1] if rec is not None and rec.h is not None else 1
        self.point.setMaximum(points)
        self.text.setPlainText(inspect(snap, layer, self.unit.value() - 1, self.point.value() - 1,
                                       self.digits.value()))

    def _on_choice_changed(self, *_):
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)

    def export_tables(self):
        return {"equations": (["line"], [(line,) for line in self.text.toPlainText().splitlines()])}

    def _on_copy(self):
        QApplication.clipboard().setText(self.text.toPlainText())
