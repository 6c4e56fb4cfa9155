"""The hidden-layer list: add, remove and edit Dense, Dropout, BatchNorm, Activation
and Embedding layers. It shows ``network.hidden`` and asks for changes; it never builds a
configuration. Fields it has no widget for stay as they are (shown read-only)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QMenu,
                               QPushButton, QSpinBox, QToolButton, QVBoxLayout, QWidget)

from ..engine.config import LayerSpec
from ..engine.schema import HIDDEN_ACTIVATIONS, LAYER_FIELDS, MAX_HIDDEN_LAYERS
from .wheel_guard import protect
from .widgets import compact

CHOICE_NAMES = {"moving_average": "moving", "batch_average": "batches"}  # as the row shows them (tooltip: what they mean)
SHORT_NAMES = {"BatchNorm": "Batch norm", "Activation": "Activation", "Dropout": "Dropout",
               "Embedding": "Embedding"}
NEW_LAYERS = {"Dense": {"units": 4}, "Dropout": {"rate": 0.5}, "BatchNorm": {},
              "Activation": {"activation": "relu"}, "Embedding": {"dim": 2}}  # what "Add layer" inserts
FIRST_ONLY = ("Embedding",)  # layers that read the data itself: inserted first


class LayerEditor(QWidget):
    """Emits ``changes_requested({"network.hidden[2].units": 8})`` for one field, or
    ``{"network.hidden": [...]}`` when a layer is added or removed."""

    changes_requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._specs: tuple = ()  # the LayerSpecs shown
        self._widgets: list = []  # every widget of the rows, for clearing
        self._loading = False  # True while set_layers() fills the widgets
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.add_button = QToolButton(text="Add layer ▾")
        self.add_button.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(self.add_button)
        for kind in NEW_LAYERS:
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

    # -- showing -------------------------------------------------------------------------
    def set_layers(self, specs) -> None:
        """Show these LayerSpecs (nothing is emitted)."""
        specs = tuple(specs)
        if specs == self._specs and self._widgets:
            return
        self._loading = True
        for widget in self._widgets:
            widget.deleteLater()
        self._widgets = []
        self._specs = specs
        dense = 0
        for index, spec in enumerate(specs):
            dense += spec.type == "Dense"
            self._add_row(index, spec, f"Layer {dense}" if spec.type == "Dense" else SHORT_NAMES.get(spec.type, spec.type))
        self._loading = False
        protect(self)  # the new rows too: the wheel never edits a layer in passing
        room = len(specs) < MAX_HIDDEN_LAYERS
        self.add_button.setEnabled(room)
        self.add_dense_button.setEnabled(room)

    def layers(self) -> tuple:
        return self._specs

    def _add_row(self, index, spec: LayerSpec, title: str) -> None:
        remove = QToolButton(text="✕")
        remove.setToolTip("Remove this layer")
        remove.clicked.connect(lambda: self._on_remove_requested(index))
        fields = {"Dense": self._dense_fields, "Dropout": self._dropout_fields,
                  "Activation": self._activation_fields, "BatchNorm": self._batchnorm_fields,
                  "Embedding": self._embedding_fields}.get(spec.type, self._read_only_fields)(index, spec)
        label = QLabel(title)
        self.grid.addWidget(label, index, 0)
        span = 3 if len(fields) == 1 else 1  # a single field takes the field columns
        for col, widget in enumerate(fields, start=1):
            self.grid.addWidget(widget, index, col, 1, span)
        self.grid.addWidget(remove, index, 4)
        self._widgets += [label, *fields, remove]

    def _dense_fields(self, index, spec):
        check = LAYER_FIELDS["Dense"]["units"][0]
        units = QSpinBox(minimum=check.lo, maximum=check.hi, value=spec["units"])
        units.setToolTip("neurons in this layer")
        units.valueChanged.connect(lambda v: self._request(index, "units", v))
        return [units, self._activation_combo(index, spec), self._slope_box(index, spec)]

    def _activation_fields(self, index, spec):
        return [self._activation_combo(index, spec), self._slope_box(index, spec)]

    def _slope_box(self, index, spec):
        """leaky_relu's α (Keras' negative_slope); greyed for the other activations."""
        check = LAYER_FIELDS[spec.type]["negative_slope"][0]
        box = QDoubleSpinBox(minimum=check.lo, maximum=0.99, singleStep=0.05, decimals=2,
                             value=spec["negative_slope"])
        box.setPrefix("α ")
        box.setToolTip("leaky ReLU: max(z, αz); the slope α below zero (Keras' negative_slope)")
        box.setVisible(spec["activation"] == "leaky_relu")  # only leaky ReLU has it: no room taken otherwise
        box.valueChanged.connect(lambda v: self._request(index, "negative_slope", round(v, 2)))
        return box

    def _choice_combo(self, index, spec, name, tooltip=""):
        """A combo box of a field's choices, as the validation table lists them."""
        options = LAYER_FIELDS[spec.type][name][0].options
        shown = [CHOICE_NAMES.get(o, o) for o in options]
        combo = compact(QComboBox(), max(len(o) for o in shown))  # every choice readable
        for option, text in zip(options, shown):
            combo.addItem(text, option)
        combo.setCurrentIndex(combo.findData(spec[name]))
        combo.setToolTip(tooltip)
        combo.currentIndexChanged.connect(lambda _i: self._request(index, name, combo.currentData()))
        return combo

    def _batchnorm_fields(self, index, spec):
        label = QLabel(f"m {spec['momentum']:g}, ε {spec['epsilon']:g}")
        label.setWordWrap(True)
        label.setToolTip("μ, σ² per neuron over the batch; γ, β learnt (momentum of the moving "
                         "averages and ε as in the file)")
        tip = ("Statistics at test time: moving_average (Keras) or batch_average (the lecture: the "
               "average of the batches' μ and σ over the last epoch)")
        return [label, self._choice_combo(index, spec, "inference", tip)]

    def _embedding_fields(self, index, spec):
        check = LAYER_FIELDS["Embedding"]["dim"][0]
        dim = QSpinBox(minimum=check.lo, maximum=check.hi, value=spec["dim"], suffix=" dimensions")
        dim.setToolTip("d, the length of each word's vector: Wᵉ is d × |V|")
        dim.valueChanged.connect(lambda v: self._request(index, "dim", v))
        return [dim]

    def _activation_combo(self, index, spec):
        combo = compact(QComboBox(), 7)
        combo.addItems(HIDDEN_ACTIVATIONS)
        combo.setCurrentText(spec["activation"])
        combo.currentTextChanged.connect(lambda text: self._request(index, "activation", text))
        return combo

    def _dropout_fields(self, index, spec):
        rate = QDoubleSpinBox(minimum=0.0, maximum=0.99, singleStep=0.05, decimals=2, value=spec["rate"])
        rate.setToolTip("Probability of dropping a unit; the lecture's q = 1 − rate is the "
                        "probability of keeping it")
        _show_keep_probability(rate, rate.value())
        rate.valueChanged.connect(lambda v, box=rate: _show_keep_probability(box, v))
        rate.valueChanged.connect(lambda v: self._request(index, "rate", round(v, 2)))
        mode = self._choice_combo(index, spec, "mode", "neuron: Keras, a mask per data point; column: the "
                                  "lecture's α, whole columns of the next W per minibatch; connection: the "
                                  "lecture's element-wise mask on the next W")
        return [rate, mode]

    @staticmethod
    def _read_only_fields(index, spec):
        """Fields without a widget (BatchNorm's momentum and ε, future layer types): shown,
        kept, never lost."""
        names = {"epsilon": "ε"}  # the lecture's symbols where it has them
        text = ", ".join(f"{names.get(k, k)} {v:g}" if isinstance(v, float) else f"{names.get(k, k)} {v}"
                         for k, v in spec.options)
        label = QLabel(text or ("μ, σ² per neuron; γ, β learnt" if spec.type == "BatchNorm" else ""))
        label.setWordWrap(True)
        if spec.type == "BatchNorm":
            label.setToolTip("μ, σ² per neuron over the batch; γ, β learnt (momentum of the moving "
                             "averages and ε as in the file)")
        return [label]

    # -- asking for changes ----------------------------------------------------------------
    def _request(self, index: int, field: str, value) -> None:
        if not self._loading:
            self.changes_requested.emit({f"network.hidden[{index}].{field}": value})

    def _on_add_requested(self, kind: str) -> None:
        if len(self._specs) >= MAX_HIDDEN_LAYERS:
            return
        new = {"type": kind, **NEW_LAYERS[kind]}
        layers = [s.to_dict() for s in self._specs]
        self.changes_requested.emit({"network.hidden": [new] + layers if kind in FIRST_ONLY else layers + [new]})

    def _on_remove_requested(self, index: int) -> None:
        kept = [s.to_dict() for i, s in enumerate(self._specs) if i != index]
        self.changes_requested.emit({"network.hidden": kept})


def _show_keep_probability(box, rate: float) -> None:
    """The lecture speaks of q, the probability of keeping: show it beside the rate."""
    box.setSuffix(f" (q {1 - rate:.2f})")
    box.setToolTip(f"rate {rate:.2f}: the probability of dropping; the lecture's q = 1 − rate = {1 - rate:.2f} "
                   "is the probability of keeping")
