"""The hidden-layer list: add, remove and edit Dense, Dropout and BatchNorm layers."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QMenu,
                               QPushButton, QSpinBox, QToolButton, QVBoxLayout, QWidget)

from ..engine.activations import ACTIVATION_NAMES

MAX_LAYERS = 12  # hidden layers, Dropout and BatchNorm included
MAX_UNITS = 64
HIDDEN_ACTIVATIONS = [a for a in ACTIVATION_NAMES if a not in ("softmax", "step")]


class LayerEditor(QWidget):
    """Edits ``network.hidden`` (a list of layer dicts); emits ``changed`` on every edit."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[dict] = []  # one dict per layer: {"type", widgets…}
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.add_button = QToolButton(text="Add layer ▾")
        self.add_button.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(self.add_button)
        for kind in ("Dense", "Dropout", "BatchNorm"):
            menu.addAction(kind, lambda k=kind: self._on_add_requested(k))
        self.add_button.setMenu(menu)
        self.add_dense_button = QPushButton("+ neuron layer")
        self.add_dense_button.clicked.connect(lambda: self._on_add_requested("Dense"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_dense_button)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addLayout(buttons)

    # -- reading and writing -----------------------------------------------------------
    def set_layers(self, layers: list[dict]) -> None:
        self.blockSignals(True)
        for row in self._rows:
            for widget in row["widgets"]:
                widget.deleteLater()
        self._rows = []
        for spec in layers:
            self._append_row(spec)
        self.blockSignals(False)
        self._update_buttons()

    def layers(self) -> list[dict]:
        return [self._row_spec(row) for row in self._rows]

    def _row_spec(self, row) -> dict:
        kind = row["type"]
        if kind == "Dense":
            return {"type": "Dense", "units": row["units"].value(), "activation": row["activation"].currentText()}
        if kind == "Dropout":
            return {"type": "Dropout", "rate": row["rate"].value(), "mode": row["mode"].currentText()}
        return {"type": kind}

    # -- rows --------------------------------------------------------------------------
    def _append_row(self, spec: dict) -> None:
        kind = spec.get("type", "Dense")
        index = len(self._rows)
        label = QLabel()
        remove = QToolButton(text="✕")
        remove.setToolTip("Remove this layer")
        row = {"type": kind, "label": label, "widgets": [label, remove]}
        remove.clicked.connect(lambda: self._on_remove_requested(row))
        if kind == "Dense":
            units = QSpinBox(minimum=1, maximum=MAX_UNITS, value=int(spec.get("units", 4)))
            units.setSuffix(" neurons")
            activation = QComboBox()
            activation.addItems(HIDDEN_ACTIVATIONS)
            activation.setCurrentText(spec.get("activation", "tanh"))
            units.valueChanged.connect(self.changed)
            activation.currentTextChanged.connect(self.changed)
            row.update(units=units, activation=activation)
            fields = [units, activation]
        elif kind == "Dropout":
            rate = QDoubleSpinBox(minimum=0.0, maximum=0.95, singleStep=0.05, decimals=2,
                                  value=float(spec.get("rate", 0.5)))
            rate.setPrefix("rate ")
            rate.setToolTip("Probability of dropping a unit; the lecture's q = 1 − rate is the "
                            "probability of keeping it")
            _show_keep_probability(rate, rate.value())
            rate.valueChanged.connect(lambda v, box=rate: _show_keep_probability(box, v))
            mode = QComboBox()
            mode.addItems(["neuron", "connection"])
            mode.setCurrentText(spec.get("mode", "neuron"))
            rate.valueChanged.connect(self.changed)
            mode.currentTextChanged.connect(self.changed)
            row.update(rate=rate, mode=mode)
            fields = [rate, mode]
        else:
            fields = [QLabel("μ, σ² per neuron; γ, β learnt")]
        row["widgets"] += fields
        self._rows.append(row)
        self.grid.addWidget(label, index, 0)
        for col, widget in enumerate(fields, start=1):
            self.grid.addWidget(widget, index, col)
        self.grid.addWidget(remove, index, 3)
        self._relabel()

    def _relabel(self):
        dense = 0
        for row in self._rows:
            if row["type"] == "Dense":
                dense += 1
                row["label"].setText(f"Layer {dense}")
            else:
                row["label"].setText(row["type"])

    def _on_add_requested(self, kind: str) -> None:
        if len(self._rows) >= MAX_LAYERS:
            return
        self._append_row({"type": kind})
        self._update_buttons()
        self.changed.emit()

    def _on_remove_requested(self, row) -> None:
        specs = [self._row_spec(r) for r in self._rows if r is not row]
        self.set_layers(specs)
        self.changed.emit()

    def _update_buttons(self):
        room = len(self._rows) < MAX_LAYERS
        self.add_button.setEnabled(room)
        self.add_dense_button.setEnabled(room)


def _show_keep_probability(box, rate: float) -> None:
    """The lecture speaks of q, the probability of keeping: show it beside the rate."""
    box.setSuffix(f"  (keep q = {1 - rate:.2f})")
