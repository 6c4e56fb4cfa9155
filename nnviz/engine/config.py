"""A training configuration: data, network and training settings, as JSON.

``Config.from_dict`` validates every field and raises ``ConfigError`` naming the
field ("training.batch_size: expected an integer >= 1, got 0"). ``build()`` turns
a valid configuration into a dataset, a model and a trainer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from .activations import ACTIVATION_NAMES
from .errors import InputError
from .datasets import DATASET_NAMES, IMAGES, REGRESSION, csv_dataset, input_features, make_dataset, mnist_dataset
from .features import FEATURE_NAMES
from .initializers import INITIALIZERS
from .layers import Activation, BatchNorm, Dense, Dropout
from .network import Sequential
from .optimizers import SGD, Adam
from .trainer import Trainer

OUTPUTS = {"softmax": "cross_entropy", "sigmoid": "binary_cross_entropy", "linear": "mse"}
HIDDEN_TYPES = ("Dense", "Dropout", "BatchNorm", "Activation")


class ConfigError(InputError):
    """A configuration field is wrong; ``field`` is its dotted path."""

    def __init__(self, field_path: str, problem: str, source: str | None = None):
        super().__init__(problem, source, field_path)


@dataclass
class DataConfig:
    dataset: str = "circle"
    n: int = 200
    noise: float = 0.0
    test_ratio: float = 0.5
    seed: int = 0
    features: list = field(default_factory=lambda: ["x1", "x2"])
    path: str = ""  # csv: the file; mnist: the folder with the four IDX files
    columns: list = field(default_factory=list)  # csv: the feature columns
    label: str = ""  # csv: the label column
    standardize: bool = True  # csv: scale every feature column to mean 0, std 1


@dataclass
class NetworkConfig:
    hidden: list = field(default_factory=lambda: [{"type": "Dense", "units": 4, "activation": "tanh"},
                                                  {"type": "Dense", "units": 2, "activation": "tanh"}])
    output: str = "softmax"
    initializer: str = "glorot_uniform"
    seed: int = 0
    dtype: str = "float64"


@dataclass
class TrainingConfig:
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    momentum: float = 0.0
    batch_size: int = 10
    l1: float = 0.0
    l2: float = 0.0
    seed: int = 0
    runs: int = 1  # train from this many weight seeds side by side: network.seed, +1, …


@dataclass
class Config:
    data: DataConfig = field(default_factory=DataConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw, source: str | None = None) -> "Config":
        try:
            return _parse(raw)
        except ConfigError as err:
            raise ConfigError(err.field, err.problem, source) from None

    @property
    def loss(self) -> str:
        return OUTPUTS[self.network.output]

    def build(self):
        """→ (dataset, model, trainer), with the trainer's data set."""
        return build(self)


# -- validation --------------------------------------------------------------------
def _expect_dict(raw, path):
    if not isinstance(raw, dict):
        raise ConfigError(path or "(top level)", f"expected an object, got {type(raw).__name__}")
    return raw


def _section(raw, name, dataclass_type, checks):
    """Validate one section: unknown keys are errors, missing keys take defaults."""
    values = _expect_dict(raw.get(name, {}), name)
    defaults = dataclass_type()
    unknown = set(values) - set(asdict(defaults))
    if unknown:
        raise ConfigError(f"{name}.{sorted(unknown)[0]}",
                          f"unknown field; expected one of {', '.join(asdict(defaults))}")
    result = {}
    for key, default in asdict(defaults).items():
        value = values.get(key, default)
        result[key] = checks[key](value, f"{name}.{key}") if key in checks else value
    return dataclass_type(**result)


def _int(lo, hi=None):
    def check(value, path):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(path, f"expected an integer, got {value!r}")
        if value < lo or (hi is not None and value > hi):
            bound = f"between {lo} and {hi}" if hi is not None else f">= {lo}"
            raise ConfigError(path, f"expected an integer {bound}, got {value}")
        return value
    return check


def _number(lo, hi, lo_open=False, hi_open=False):
    def check(value, path):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            raise ConfigError(path, f"expected a number, got {value!r}")
        if value < lo or value > hi or (lo_open and value == lo) or (hi_open and value == hi):
            left, right = "(" if lo_open else "[", ")" if hi_open else "]"
            raise ConfigError(path, f"expected a number in {left}{lo}, {hi}{right}, got {value}")
        return float(value)
    return check


def _choice(options):
    def check(value, path):
        if value not in options:
            raise ConfigError(path, f"expected one of {', '.join(options)}, got {value!r}")
        return value
    return check


def _text(value, path):
    if not isinstance(value, str):
        raise ConfigError(path, f"expected a string, got {value!r}")
    return value


def _names(value, path):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(path, f"expected a list of column names, got {value!r}")
    return list(value)


def _bool(value, path):
    if not isinstance(value, bool):
        raise ConfigError(path, f"expected true or false, got {value!r}")
    return value


def _features(value, path):
    if not isinstance(value, list) or not value:
        raise ConfigError(path, f"expected a non-empty list of feature names, got {value!r}")
    for i, name in enumerate(value):
        _choice(FEATURE_NAMES)(name, f"{path}[{i}]")
    if len(set(value)) != len(value):
        raise ConfigError(path, "expected each feature at most once")
    return list(value)


def _hidden(value, path):
    if not isinstance(value, list):
        raise ConfigError(path, f"expected a list of layers, got {value!r}")
    return [_hidden_layer(layer, f"{path}[{i}]") for i, layer in enumerate(value)]


def _hidden_layer(layer, path):
    _expect_dict(layer, path)
    kind = _choice(HIDDEN_TYPES)(layer.get("type", "Dense"), f"{path}.type")
    allowed = {"Dense": {"units": _int(1, 1024), "activation": _choice(ACTIVATION_NAMES)},
               "Dropout": {"rate": _number(0, 1, hi_open=True), "mode": _choice(("neuron", "connection"))},
               "BatchNorm": {"momentum": _number(0, 1, hi_open=True), "epsilon": _number(0, 1, lo_open=True)},
               "Activation": {"activation": _choice(ACTIVATION_NAMES)}}[kind]
    required = {"Dense": ("units",), "Dropout": ("rate",), "Activation": ("activation",)}.get(kind, ())
    for key in layer:
        if key != "type" and key not in allowed:
            raise ConfigError(f"{path}.{key}", f"unknown field for {kind}; expected {', '.join(allowed)}")
    for key in required:
        if key not in layer:
            raise ConfigError(f"{path}.{key}", f"missing; a {kind} layer needs it")
    return {"type": kind, **{k: allowed[k](v, f"{path}.{k}") for k, v in layer.items() if k != "type"}}


def _parse(raw) -> Config:
    _expect_dict(raw, "")
    unknown = set(raw) - {"data", "network", "training"}
    if unknown:
        raise ConfigError(sorted(unknown)[0], "unknown section; expected data, network, training")
    data = _section(raw, "data", DataConfig, {
        "dataset": _choice(DATASET_NAMES), "n": _int(4, 100_000), "noise": _number(0, 1),
        "test_ratio": _number(0, 0.95), "seed": _int(0), "features": _features, "path": _text,
        "columns": _names, "label": _text, "standardize": _bool})
    network = _section(raw, "network", NetworkConfig, {
        "hidden": _hidden, "output": _choice(tuple(OUTPUTS)), "initializer": _choice(tuple(INITIALIZERS)),
        "seed": _int(0), "dtype": _choice(("float64", "float32"))})
    training = _section(raw, "training", TrainingConfig, {
        "optimizer": _choice(("sgd", "adam")), "learning_rate": _number(0, 100, lo_open=True),
        "momentum": _number(0, 1, hi_open=True), "batch_size": _int(1), "l1": _number(0, 100),
        "l2": _number(0, 100), "seed": _int(0), "runs": _int(1, 8)})
    _check_consistency(data, network)
    return Config(data, network, training)


def _check_consistency(data, network):
    if data.dataset in ("csv", "mnist") and not data.path:
        raise ConfigError("data.path", f"the {data.dataset} data set needs the path of its "
                                       f"{'file' if data.dataset == 'csv' else 'folder'}")
    if data.dataset == "csv" and (not data.columns or not data.label):
        raise ConfigError("data.columns" if not data.columns else "data.label",
                          "a CSV data set needs the feature columns and the label column")
    regression = data.dataset in REGRESSION
    if data.dataset in IMAGES and network.output == "sigmoid":
        raise ConfigError("network.output", f"{data.dataset} has 10 classes: use 'softmax', got 'sigmoid'")
    if regression and network.output != "linear":
        raise ConfigError("network.output", f"regression data ({data.dataset}) needs 'linear', "
                                            f"got {network.output!r}")
    if not regression and network.output == "linear":
        raise ConfigError("network.output", f"classification data ({data.dataset}) needs "
                                            "'softmax' or 'sigmoid', got 'linear'")


# -- building ----------------------------------------------------------------------
def build_layers(network: NetworkConfig, n_classes: int) -> list:
    layers = []
    for spec in network.hidden:
        spec = dict(spec)
        kind = spec.pop("type")
        if kind == "Dense":
            spec.setdefault("activation", "tanh")
            layers.append(Dense(kernel_initializer=network.initializer, **spec))
        else:
            layers.append({"Dropout": Dropout, "BatchNorm": BatchNorm, "Activation": Activation}[kind](**spec))
    units = {"softmax": max(n_classes, 2), "sigmoid": 1, "linear": 1}[network.output]
    layers.append(Dense(units, activation=network.output, kernel_initializer=network.initializer))
    return layers


def make_optimizer(training: TrainingConfig):
    if training.optimizer == "adam":
        return Adam(training.learning_rate)
    return SGD(training.learning_rate, momentum=training.momentum)


def load_data(d: DataConfig):
    """The Dataset a data configuration describes (files are read here: a DataFileError
    names the file, and for CSV the row and column)."""
    from .real_data import DataFileError

    try:
        if d.dataset == "csv":
            return csv_dataset(d.path, d.columns, d.label, d.standardize, d.test_ratio, d.seed)
        if d.dataset == "mnist":
            return mnist_dataset(d.path)
    except DataFileError as err:
        raise ConfigError("data.path", str(err)) from None
    return make_dataset(d.dataset, d.n, d.noise, d.seed, d.test_ratio)


def input_dim(config: Config, dataset) -> int:
    if not dataset.is_plane:
        return dataset.X_train.shape[1]
    return len(config.data.features)


def build_run(config: Config, dataset, run: int):
    """Model and trainer of run ``run`` (weights from network.seed + run) on ``dataset``."""
    net, t = config.network, config.training
    model = Sequential(input_dim(config, dataset), build_layers(net, dataset.n_classes),
                       seed=net.seed + run, dtype=net.dtype)
    trainer = Trainer(model, loss=config.loss, optimizer=make_optimizer(t),
                      batch_size=min(t.batch_size, len(dataset.X_train)), l1=t.l1, l2=t.l2, seed=t.seed)
    trainer.set_data(input_features(dataset, config.data.features), dataset.y_train)
    return model, trainer


def build(config: Config):
    d = config.data
    dataset = load_data(d)
    model, trainer = build_run(config, dataset, 0)
    return dataset, model, trainer
