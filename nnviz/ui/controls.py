"""The control panel: data, network and training settings.

Emits ``structure_changed(Config)`` when a change needs a new model (data or
architecture) and ``hyper_changed(dict)`` for settings the trainer takes live
(learning rate, batch size, momentum, L1, L2)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from ..engine.config import Config, ConfigError
from ..engine.datasets import CLASSIFICATION, FILES, IMAGES, REGRESSION
from ..engine.features import FEATURE_NAMES
from ..engine.initializers import INITIALIZERS
from .layer_editor import LayerEditor

LEARNING_RATES = ["0.00001", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"]
PENALTIES = ["0", "0.0001", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"]
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁·x₂",
                  "sin(x1)": "sin x₁", "sin(x2)": "sin x₂"}


def _editable_combo(values, tooltip):
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(values)
    combo.setToolTip(tooltip)
    return combo


class ControlsPanel(QWidget):
    structure_changed = Signal(object)  # Config
    hyper_changed = Signal(dict)  # {"learning_rate": 0.1, …}
    invalid_input = Signal(str)  # a message naming the field

    def __init__(self, parent=None):
        super().__init__(parent)
        self._loading = False  # True while set_config() fills the widgets
        self._training_seed = 0  # training.seed (shuffles, dropout) has no widget: kept as loaded
        self._data_files = {}  # data.path, columns, label, standardize: set by the data dialogs
        layout = QVBoxLayout(self)
        layout.addWidget(self._data_group())
        layout.addWidget(self._network_group())
        layout.addWidget(self._training_group())
        layout.addStretch(1)

    # -- construction ------------------------------------------------------------------
    def _data_group(self):
        box = QGroupBox("Data")
        form = QFormLayout(box)
        self.dataset = QComboBox()
        for name in list(CLASSIFICATION) + list(REGRESSION) + list(IMAGES) + list(FILES):
            kind = {"digits": "images, 10 classes", "csv": "your CSV: File ▸ Import CSV data",
                    "mnist": "MNIST files: File ▸ Open MNIST files"}.get(name) or (
                "classification" if name in CLASSIFICATION else "regression")
            self.dataset.addItem(f"{name.replace('_', ' ')} ({kind})", name)
        self.n_points = QSpinBox(minimum=10, maximum=5000, singleStep=50)
        self.noise = QDoubleSpinBox(minimum=0.0, maximum=1.0, singleStep=0.05, decimals=2)
        self.test_ratio = QSpinBox(minimum=0, maximum=90, singleStep=10, suffix=" %")
        self.data_seed = QSpinBox(minimum=0, maximum=999_999)
        regenerate = QPushButton("Regenerate")
        regenerate.setToolTip("Draw new points (next data seed)")
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
            box_ = QCheckBox(FEATURE_LABELS[name])
            self.features[name] = box_
            features.addWidget(box_, i // 4, i % 4)
            box_.toggled.connect(self._on_structure_changed)
        form.addRow("Features", features)
        self.dataset.currentIndexChanged.connect(self._on_structure_changed)
        for spin in (self.n_points, self.noise, self.test_ratio, self.data_seed):
            spin.valueChanged.connect(self._on_structure_changed)
        return box

    def _network_group(self):
        box = QGroupBox("Network")
        form = QFormLayout(box)
        self.layers = LayerEditor()
        self.layers.changed.connect(self._on_structure_changed)
        self.output = QComboBox()
        self.output.addItem("softmax + cross-entropy", "softmax")
        self.output.addItem("sigmoid + binary cross-entropy", "sigmoid")
        self.output.addItem("linear + mean squared error", "linear")
        self.initializer = QComboBox()
        self.initializer.addItems([n for n in INITIALIZERS if n not in ("zeros", "ones")])
        self.model_seed = QSpinBox(minimum=0, maximum=999_999)
        form.addRow(self.layers)
        form.addRow("Output", self.output)
        form.addRow("Initialiser", self.initializer)
        form.addRow("Weight seed", self.model_seed)
        self.parameter_count = QLabel()
        form.addRow("Parameters", self.parameter_count)
        self.output.currentIndexChanged.connect(self._on_structure_changed)
        self.initializer.currentIndexChanged.connect(self._on_structure_changed)
        self.model_seed.valueChanged.connect(self._on_structure_changed)
        return box

    def _training_group(self):
        box = QGroupBox("Training")
        form = QFormLayout(box)
        self.learning_rate = _editable_combo(LEARNING_RATES, "α: any positive number, applied live")
        self.batch_size = QSpinBox(minimum=1, maximum=5000)
        self.optimizer = QComboBox()
        self.optimizer.addItem("SGD", "sgd")
        self.optimizer.addItem("Adam", "adam")
        self.momentum = QDoubleSpinBox(minimum=0.0, maximum=0.99, singleStep=0.1, decimals=2)
        self.l1 = _editable_combo(PENALTIES, "λ for L1 = Σ|w| (weights only), applied live")
        self.l2 = _editable_combo(PENALTIES, "λ for L2 = Σw² (weights only), applied live")
        self.runs = QSpinBox(minimum=1, maximum=8)
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
            combo.currentTextChanged.connect(lambda text, n=name: self._on_number_changed(n, text))
        self.batch_size.valueChanged.connect(lambda v: self._on_hyper_changed({"batch_size": v}))
        self.momentum.valueChanged.connect(lambda v: self._on_hyper_changed({"momentum": v}))
        self.optimizer.currentIndexChanged.connect(self._on_structure_changed)
        self.runs.valueChanged.connect(self._on_structure_changed)
        return box

    # -- the configuration ---------------------------------------------------------------
    def set_config(self, config: Config) -> None:
        """Show ``config`` in the widgets without emitting anything."""
        self._loading = True
        d, n, t = config.data, config.network, config.training
        self.dataset.setCurrentIndex(self.dataset.findData(d.dataset))
        self.n_points.setValue(d.n)
        self.noise.setValue(d.noise)
        self.test_ratio.setValue(round(d.test_ratio * 100))
        self.data_seed.setValue(d.seed)
        self._data_files = {"path": d.path, "columns": list(d.columns), "label": d.label,
                            "standardize": d.standardize}
        for name, box in self.features.items():
            box.setChecked(name in d.features)
        self.layers.set_layers(n.hidden)
        self.output.setCurrentIndex(self.output.findData(n.output))
        self.initializer.setCurrentText(n.initializer)
        self.model_seed.setValue(n.seed)
        self.learning_rate.setCurrentText(f"{t.learning_rate:g}")
        self.batch_size.setValue(t.batch_size)
        self.optimizer.setCurrentIndex(self.optimizer.findData(t.optimizer))
        self.momentum.setValue(t.momentum)
        self._training_seed = t.seed
        self.l1.setCurrentText(f"{t.l1:g}")
        self.l2.setCurrentText(f"{t.l2:g}")
        self.runs.setValue(t.runs)
        self._update_enabled()
        self._loading = False

    def set_parameter_count(self, count: int, n_train: int) -> None:
        text = f"{count:,}"
        if self.parameter_count.text() != text:  # called every frame: avoid needless relayouts
            self.parameter_count.setText(text)
        if self.batch_size.maximum() != max(1, n_train):
            self.batch_size.setMaximum(max(1, n_train))

    def config(self) -> Config:
        """The configuration the widgets show; raises ConfigError naming a field."""
        output = self.output.currentData()
        dataset = self.dataset.currentData()
        if dataset in REGRESSION:
            output = "linear"
        elif output == "linear":
            output = "softmax"
        raw = {
            "data": {"dataset": dataset, "n": self.n_points.value(), "noise": self.noise.value(),
                     "test_ratio": self.test_ratio.value() / 100, "seed": self.data_seed.value(),
                     "features": [n for n, box in self.features.items() if box.isChecked()],
                     **self._data_files},
            "network": {"hidden": self.layers.layers(), "output": output,
                        "initializer": self.initializer.currentText(), "seed": self.model_seed.value()},
            "training": {"optimizer": self.optimizer.currentData(), "momentum": self.momentum.value(),
                         "learning_rate": _number(self.learning_rate.currentText(), "training.learning_rate"),
                         "batch_size": self.batch_size.value(),
                         "l1": _number(self.l1.currentText(), "training.l1"),
                         "l2": _number(self.l2.currentText(), "training.l2"),
                         "runs": self.runs.value(), "seed": self._training_seed},
        }
        return Config.from_dict(raw)

    # -- reactions ---------------------------------------------------------------------
    def _update_enabled(self):
        regression = self.dataset.currentData() in REGRESSION
        if regression:
            self.output.setCurrentIndex(self.output.findData("linear"))
        elif self.output.currentData() == "linear":
            self.output.setCurrentIndex(self.output.findData("softmax"))
        self.output.setEnabled(not regression)
        self.momentum.setEnabled(self.optimizer.currentData() == "sgd")

    def _on_structure_changed(self, *_):
        if self._loading:
            return
        self._loading = True
        self._update_enabled()
        self._loading = False
        try:
            config = self.config()
        except ConfigError as err:
            self.invalid_input.emit(str(err))
            return
        self.structure_changed.emit(config)

    def _on_number_changed(self, name: str, text: str):
        if self._loading:
            return
        try:
            value = _number(text, f"training.{name}")
            Config.from_dict({"training": {name: value}})
        except ConfigError as err:
            self.invalid_input.emit(str(err))
            return
        self._on_hyper_changed({name: value})

    def _on_hyper_changed(self, values: dict):
        if not self._loading:
            self.hyper_changed.emit(values)


def _number(text: str, field: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ConfigError(field, f"expected a number, got {text!r}") from None
