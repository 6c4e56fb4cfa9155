"""The control panel: data, network and training settings.

It shows a configuration (``set_config``) and asks for changes: every edit emits
``changes_requested({"dotted.field": value})``; the window owns the configuration and
decides what a change means (live settings vs a rebuild). Fields without a widget
(CSV paths, dtype, BatchNorm's ε, …) are never touched, and every widget's range is
the validation table's (``nnviz.engine.schema``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QSpinBox, QToolButton, QVBoxLayout,
                               QWidget)

from ..engine.config import Config
from ..engine.datasets import CLASSIFICATION, FILES, IMAGES, REGRESSION, TEXT
from ..engine.features import DISPLAY_NAMES, FEATURE_NAMES
from ..engine.initializers import INITIALIZERS
from ..engine.schema import FIELDS
from .layer_editor import LayerEditor
from .widgets import compact

LEARNING_RATES = ["0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"]
PENALTIES = ["0", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"]


def _editable_combo(values, tooltip):
    combo = compact(QComboBox(), 8)
    combo.setEditable(True)
    combo.addItems(values)
    combo.setToolTip(tooltip)
    return combo


def _spin(field: str, **options) -> QSpinBox:
    check = FIELDS[field]
    return QSpinBox(minimum=check.lo, maximum=check.hi, **options)


class SeedBox(QDoubleSpinBox):
    """An integer box for seeds: QSpinBox stops at 2³¹ − 1, seeds go to 2³² − 1."""

    def __init__(self, field: str):
        check = FIELDS[field]
        super().__init__(minimum=check.lo, maximum=check.hi, decimals=0, singleStep=1)

    def int_value(self) -> int:
        return int(round(self.value()))


class ControlsPanel(QWidget):
    changes_requested = Signal(dict)  # {"training.learning_rate": 0.1}, {"data.n": 400, …}
    invalid_input = Signal(str)  # a message naming the field (text that is not a number)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._loading = False  # True while set_config() fills the widgets
        self._config: Config | None = None  # the configuration shown
        self._entered: dict = {}  # typed numbers sent since then (Return fires several signals)
        layout = QVBoxLayout(self)
        layout.addWidget(self._data_group())
        layout.addWidget(self._network_group())
        layout.addWidget(self._training_group())
        layout.addStretch(1)

    # -- construction ------------------------------------------------------------------
    def _data_group(self):
        box = QGroupBox("Data")
        form = QFormLayout(box)
        self.dataset = compact(QComboBox(), 14)
        groups = ((CLASSIFICATION, "classification: two classes"), (REGRESSION, "regression: a value to fit"),
                  (IMAGES, "images: 8×8 digits (10 classes) or 18×18 colour shapes (4 classes)"),
                  (TEXT, "text: words of 4 categories, as one-hot vectors or an embedding"),
                  (FILES, "your files: File ▸ Import CSV / Open MNIST"))
        for names, kind in groups:
            if self.dataset.count():
                self.dataset.insertSeparator(self.dataset.count())  # the kinds, apart in the list
            for name in names:
                self.dataset.addItem(name.replace("_", " "), name)
                self.dataset.setItemData(self.dataset.count() - 1, kind, Qt.ToolTipRole)
        self.n_points = _spin("data.n", singleStep=50)
        self.noise = QDoubleSpinBox(minimum=FIELDS["data.noise"].lo, maximum=FIELDS["data.noise"].hi,
                                    singleStep=0.05, decimals=2)
        self.test_ratio = QSpinBox(minimum=0, maximum=round(FIELDS["data.test_ratio"].hi * 100),
                                   singleStep=10, suffix=" %")
        self.data_seed = SeedBox("data.seed")
        regenerate = QToolButton(text="New")
        regenerate.setToolTip("Draw new points (the next data seed)")
        regenerate.clicked.connect(lambda: self.data_seed.setValue(self.data_seed.value() + 1))
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.data_seed, 1)
        seed_row.addWidget(regenerate)
        form.addRow("Dataset", self.dataset)
        form.addRow("Points", self.n_points)
        form.addRow("Noise", self.noise)
        form.addRow("Test data", self.test_ratio)
        form.addRow("Data seed", seed_row)
        features = QGridLayout()
        self.features = {}
        for i, name in enumerate(FEATURE_NAMES):
            box_ = QCheckBox(DISPLAY_NAMES[name])
            self.features[name] = box_
            features.addWidget(box_, i // 3, i % 3)  # three a row: the panel fits a 1280-px screen
            box_.toggled.connect(self._on_features_toggled)
        form.addRow("Features", features)
        self.dataset.currentIndexChanged.connect(self._on_dataset_changed)
        self.n_points.valueChanged.connect(lambda v: self._request({"data.n": v}))
        self.noise.valueChanged.connect(lambda v: self._request({"data.noise": round(v, 2)}))
        self.test_ratio.valueChanged.connect(lambda v: self._request({"data.test_ratio": v / 100}))
        self.data_seed.valueChanged.connect(lambda _v: self._request({"data.seed": self.data_seed.int_value()}))
        return box

    def _network_group(self):
        box = QGroupBox("Network")
        form = QFormLayout(box)
        self.layers = LayerEditor()
        self.layers.changes_requested.connect(self._request)
        self.output = compact(QComboBox(), 14)
        for name, loss in (("softmax", "cross-entropy"), ("sigmoid", "binary cross-entropy (two classes)"),
                           ("linear", "mean squared error (regression)")):
            self.output.addItem(name, name)
            self.output.setItemData(self.output.count() - 1, f"{name} output, {loss} loss", Qt.ToolTipRole)
        self.output.setToolTip("The output layer's activation; it decides the loss: softmax + cross-entropy, "
                               "sigmoid + binary cross-entropy, linear + mean squared error")
        self.initializer = compact(QComboBox(), 12)
        self.initializer.addItems([n for n in INITIALIZERS if n not in ("zeros", "ones", "random_uniform")])
        self.model_seed = SeedBox("network.seed")
        form.addRow(self.layers)
        form.addRow("Output", self.output)
        form.addRow("Initialiser", self.initializer)
        form.addRow("Weight seed", self.model_seed)
        self.parameter_count = QLabel()
        form.addRow("Parameters", self.parameter_count)
        self.output.currentIndexChanged.connect(
            lambda _i: self._request({"network.output": self.output.currentData()}))
        self.initializer.currentTextChanged.connect(lambda text: self._request({"network.initializer": text}))
        self.model_seed.valueChanged.connect(lambda _v: self._request({"network.seed": self.model_seed.int_value()}))
        return box

    def _training_group(self):
        box = QGroupBox("Training")
        form = QFormLayout(box)
        self.learning_rate = _editable_combo(LEARNING_RATES, "α: any positive number, applied live")
        self.batch_size = _spin("training.batch_size")
        self.optimizer = compact(QComboBox(), 6)
        self.optimizer.addItem("SGD", "sgd")
        self.optimizer.addItem("Adam", "adam")
        momentum = FIELDS["training.momentum"]
        self.momentum = QDoubleSpinBox(minimum=momentum.lo, maximum=0.99, singleStep=0.1, decimals=2)
        self.l1 = _editable_combo(PENALTIES, "λ for L1 = Σ|w| (weights only), applied live")
        self.l2 = _editable_combo(PENALTIES, "λ for L2 = Σw² (weights only), applied live")
        self.runs = _spin("training.runs")
        self.runs.setToolTip("Train the same network from this many weight seeds side by side; the "
                             "learning curves overlay them (exploration vs exploitation)")
        form.addRow("Learning rate α", self.learning_rate)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Momentum", self.momentum)
        form.addRow("L1 λ", self.l1)
        form.addRow("L2 λ", self.l2)
        form.addRow("Initialisations", self.runs)
        for name, combo in (("learning_rate", self.learning_rate), ("l1", self.l1), ("l2", self.l2)):
            # a value is sent when chosen or when typing is finished, not at every keystroke
            combo.activated.connect(lambda _i, n=name, c=combo: self._on_number_entered(n, c.currentText()))
            combo.lineEdit().editingFinished.connect(
                lambda n=name, c=combo: self._on_number_entered(n, c.currentText()))
        self.batch_size.valueChanged.connect(lambda v: self._request({"training.batch_size": v}))
        self.momentum.valueChanged.connect(lambda v: self._request({"training.momentum": round(v, 2)}))
        self.optimizer.currentIndexChanged.connect(
            lambda _i: self._request({"training.optimizer": self.optimizer.currentData()}))
        self.runs.valueChanged.connect(lambda v: self._request({"training.runs": v}))
        return box

    # -- showing the configuration -------------------------------------------------------
    def set_config(self, config: Config) -> None:
        """Show ``config`` in the widgets without asking for any change."""
        self._loading = True
        try:
            self._show(config)
        finally:
            self._loading = False
        self._config = config
        self._entered = {}

    def _show(self, config: Config) -> None:
        d, n, t = config.data, config.network, config.training
        self.dataset.setCurrentIndex(self.dataset.findData(d.dataset))
        self.n_points.setValue(d.n)
        self.noise.setValue(d.noise)
        self.test_ratio.setValue(round(d.test_ratio * 100))
        self.data_seed.setValue(d.seed)
        for name, box in self.features.items():
            box.setChecked(name in d.features)
        self.layers.set_layers(n.hidden)
        self.output.setCurrentIndex(self.output.findData(n.output))
        self.output.setEnabled(d.dataset not in REGRESSION)
        self.initializer.setCurrentText(n.initializer)
        self.model_seed.setValue(n.seed)
        _show_number(self.learning_rate, t.learning_rate)
        self.batch_size.setValue(t.batch_size)
        self.optimizer.setCurrentIndex(self.optimizer.findData(t.optimizer))
        self.momentum.setValue(t.momentum)
        self.momentum.setEnabled(t.optimizer == "sgd")
        _show_number(self.l1, t.l1)
        _show_number(self.l2, t.l2)
        self.runs.setValue(t.runs)

    def set_parameter_count(self, count: int, n_train: int) -> None:
        text = f"{count:,}"
        if self.parameter_count.text() != text:  # called every frame: avoid needless relayouts
            self.parameter_count.setText(text)

    # -- asking for changes --------------------------------------------------------------
    def _request(self, changes: dict) -> None:
        if not self._loading:
            self.changes_requested.emit(changes)

    def _on_dataset_changed(self, _index):
        """A regression data set needs a linear output, a classification one does not."""
        dataset = self.dataset.currentData()
        changes = {"data.dataset": dataset}
        output = self.output.currentData()
        if dataset in REGRESSION and output != "linear":
            changes["network.output"] = "linear"
        elif dataset not in REGRESSION and output == "linear":
            changes["network.output"] = "softmax"
        self._request(changes)

    def _on_features_toggled(self, _checked):
        self._request({"data.features": [n for n, box in self.features.items() if box.isChecked()]})

    def _on_number_entered(self, name: str, text: str):
        if self._loading:
            return
        try:
            value = float(text.strip())
        except ValueError:
            self.invalid_input.emit(f"training.{name}: expected a number, got {text!r}")
            return
        current = self._entered.get(name, None if self._config is None else getattr(self._config.training, name))
        if value != current:
            self._entered[name] = value
            self._request({f"training.{name}": value})


def _show_number(combo: QComboBox, value: float) -> None:
    text = f"{value:g}"
    if combo.currentText() != text:
        combo.setCurrentText(text)
