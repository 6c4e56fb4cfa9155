"""A training configuration: data, network and training settings — immutable.

``Config.from_dict`` validates every field against the table in ``schema`` and raises
``ConfigError`` naming the field ("training.batch_size: expected an integer between 1
and 100,000, got 0"). A configuration never changes: ``with_changes`` returns a
validated copy, the one way to get a different one.

    c = Config.from_dict(json.load(f))
    c2 = c.with_changes({"data.noise": 0.2, "network.hidden[1].units": 8})
    c2.changed_fields(c)   # {"data.noise", "network.hidden"}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, Mapping

from .datasets import CLASS_COUNTS, FIXED_SIZES, REGRESSION, TEXT
from .schema import FIELDS, LAYER_FIELDS, LIVE_FIELDS, MAX_HIDDEN_LAYERS, MAX_PARAMETERS, OUTPUTS, ConfigError

__all__ = ["Config", "DataConfig", "NetworkConfig", "TrainingConfig", "LayerSpec", "ConfigError",
           "OUTPUTS", "LIVE_FIELDS"]


@dataclass(frozen=True)
class LayerSpec:
    """One hidden layer: its type and its options, e.g. Dense with units and activation.
    Options of any type are kept, also those no widget can edit."""

    type: str
    options: tuple = ()  # ((name, value), …) in the schema's order

    @classmethod
    def of(cls, type: str, **options) -> "LayerSpec":
        return _parse_layer({"type": type, **options}, "layer")

    def __getitem__(self, name):
        for key, value in self.options:
            if key == name:
                return value
        raise KeyError(name)

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default

    def to_dict(self) -> dict:
        return {"type": self.type, **dict(self.options)}


@dataclass(frozen=True)
class DataConfig:
    dataset: str = "circle"
    n: int = 200
    noise: float = 0.0
    test_ratio: float = 0.5
    seed: int = 0
    features: tuple = ("x1", "x2")
    path: str = ""  # csv: the file; mnist: the folder with the four IDX files
    columns: tuple = ()  # csv: the feature columns
    label: str = ""  # csv: the label column
    standardize: bool = True  # csv: scale every feature column to mean 0, std 1


def _default_hidden():
    return (LayerSpec.of("Dense", units=4, activation="tanh"), LayerSpec.of("Dense", units=2, activation="tanh"))


@dataclass(frozen=True)
class NetworkConfig:
    hidden: tuple = field(default_factory=_default_hidden)  # LayerSpec, input side first
    output: str = "softmax"
    initializer: str = "glorot_uniform"
    seed: int = 0
    dtype: str = "float64"


@dataclass(frozen=True)
class TrainingConfig:
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    momentum: float = 0.0
    batch_size: int = 10
    l1: float = 0.0
    l2: float = 0.0
    seed: int = 0
    runs: int = 1  # train from this many weight seeds side by side: network.seed, +1, …


SECTIONS = {"data": DataConfig, "network": NetworkConfig, "training": TrainingConfig}


@dataclass(frozen=True)
class Config:
    data: DataConfig = field(default_factory=DataConfig)
    network: NetworkConfig = field(default_factory=NetworkConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)

    def to_dict(self) -> dict:
        """Plain JSON values (lists, dicts); ``from_dict`` of it is an equal Config."""
        out = {}
        for name in SECTIONS:
            section = getattr(self, name)
            out[name] = {f.name: _plain(getattr(section, f.name)) for f in fields(section)}
        return out

    @classmethod
    def from_dict(cls, raw, source: str | None = None) -> "Config":
        try:
            return _parse(raw)
        except ConfigError as err:
            raise ConfigError(err.field, err.problem, source) from None
        except RecursionError:
            raise ConfigError("(top level)", "nested too deeply", source) from None

    def with_changes(self, changes: Mapping[str, Any], source: str | None = None) -> "Config":
        """A validated copy with these dotted fields changed: "data.noise",
        "network.hidden" (the whole list), "network.hidden[2].units"."""
        raw = self.to_dict()
        for path, value in changes.items():
            _assign(raw, path, _plain(value))
        return Config.from_dict(raw, source)

    def changed_fields(self, other: "Config") -> set[str]:
        """Dotted names of the fields that differ from ``other`` (network.hidden whole)."""
        changed = set()
        for name in SECTIONS:
            mine, theirs = getattr(self, name), getattr(other, name)
            changed |= {f"{name}.{f.name}" for f in fields(mine) if getattr(mine, f.name) != getattr(theirs, f.name)}
        return changed

    def is_live_change(self, other: "Config") -> bool:
        """True when ``other`` differs only in fields training takes without a rebuild."""
        return self.changed_fields(other) <= set(LIVE_FIELDS)

    @property
    def loss(self) -> str:
        return OUTPUTS[self.network.output]

    def build(self):
        """→ (dataset, model, trainer), with the trainer's data set."""
        from .build import build

        return build(self)


def _plain(value):
    """Tuples and LayerSpecs → JSON lists and dicts (for to_dict and with_changes)."""
    if isinstance(value, LayerSpec):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


_PATH = re.compile(r"^(data|network|training)\.([a-z_0-9]+)(?:\[(\d+)\]\.([a-z_0-9]+))?$")


def _assign(raw: dict, path: str, value) -> None:
    """raw[path] = value for "section.field" or "network.hidden[i].option"."""
    match = _PATH.match(path) if isinstance(path, str) else None
    if match is None:
        raise ConfigError(str(path)[:80], "expected a field like training.learning_rate or "
                                          "network.hidden[0].units")
    section, key, index, option = match.groups()
    if key not in raw[section]:
        raise ConfigError(path, "no such field")
    if index is None:
        raw[section][key] = value
        return
    layers = raw[section][key]
    if key != "hidden" or int(index) >= len(layers):
        raise ConfigError(path, "no such layer")
    layers[int(index)][option] = value  # an unknown option is refused by the parser


# -- validation --------------------------------------------------------------------
def _key_name(key) -> str:
    """A key as a field name in a message: plain when it reads as one, quoted otherwise."""
    text = str(key)
    return text if text.isidentifier() and len(text) <= 40 else repr(text)[:42]


def _expect_dict(raw, path):
    if not isinstance(raw, dict):
        raise ConfigError(path or "(top level)", f"expected an object, got {type(raw).__name__}")
    return raw


def _section(raw, name):
    """One section: unknown keys are errors, missing keys take the defaults."""
    cls = SECTIONS[name]
    values = _expect_dict(raw.get(name, {}), name)
    defaults = cls()
    known = [f.name for f in fields(cls)]
    unknown = sorted(_key_name(k) for k in set(values) - set(known))
    if unknown:
        raise ConfigError(f"{name}.{unknown[0]}", f"unknown field; expected one of {', '.join(known)}")
    result = {}
    for key in known:
        path = f"{name}.{key}"
        if key not in values:
            result[key] = getattr(defaults, key)
        elif path == "network.hidden":
            result[key] = _parse_hidden(values[key], path)
        else:
            result[key] = FIELDS[path](values[key], path)
    return cls(**result)


def _parse_hidden(value, path) -> tuple:
    if not isinstance(value, (list, tuple)):
        raise ConfigError(path, f"expected a list of layers, got {type(value).__name__}")
    if len(value) > MAX_HIDDEN_LAYERS:
        raise ConfigError(path, f"expected at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(value)}")
    return tuple(_parse_layer(layer, f"{path}[{i}]") for i, layer in enumerate(value))


def _parse_layer(layer, path) -> LayerSpec:
    if isinstance(layer, LayerSpec):
        layer = layer.to_dict()
    _expect_dict(layer, path)
    kind = layer.get("type", "Dense")
    if kind not in LAYER_FIELDS:
        raise ConfigError(f"{path}.type", f"expected one of {', '.join(LAYER_FIELDS)}, got {kind!r}"[:200])
    allowed = LAYER_FIELDS[kind]
    for key in layer:
        if key != "type" and key not in allowed:
            raise ConfigError(f"{path}.{_key_name(key)}", f"unknown field for {kind}; expected {', '.join(allowed)}")
    options = []
    for key, (check, default) in allowed.items():
        if key in layer:
            options.append((key, check(layer[key], f"{path}.{key}")))
        elif default is None:
            raise ConfigError(f"{path}.{key}", f"missing; a {kind} layer needs it")
        else:
            options.append((key, default))
    return LayerSpec(kind, tuple(options))


def _parse(raw) -> Config:
    _expect_dict(raw, "")
    unknown = sorted(_key_name(k) for k in set(raw) - set(SECTIONS))
    if unknown:
        raise ConfigError(unknown[0], "unknown section; expected data, network, training")
    config = Config(*(_section(raw, name) for name in SECTIONS))
    _check_consistency(config)
    return config


def _check_consistency(config: Config) -> None:
    data, network = config.data, config.network
    if data.dataset in ("csv", "mnist") and not data.path:
        raise ConfigError("data.path", f"the {data.dataset} data set needs the path of its "
                                       f"{'file' if data.dataset == 'csv' else 'folder'}")
    if data.dataset == "csv" and (not data.columns or not data.label):
        raise ConfigError("data.columns" if not data.columns else "data.label",
                          "a CSV data set needs the feature columns and the label column")
    regression = data.dataset in REGRESSION
    classes = FIXED_SIZES.get(data.dataset, (0, 4 if data.dataset in TEXT else CLASS_COUNTS.get(data.dataset, 2)))[1]
    if classes > 2 and network.output == "sigmoid":
        raise ConfigError("network.output", f"{data.dataset} has {classes} classes: use 'softmax', got 'sigmoid'")
    if regression and network.output != "linear":
        raise ConfigError("network.output", f"regression data ({data.dataset}) needs 'linear', "
                                            f"got {network.output!r}")
    if not regression and network.output == "linear":
        raise ConfigError("network.output", f"classification data ({data.dataset}) needs "
                                            "'softmax' or 'sigmoid', got 'linear'")
    _check_layers(network.hidden)
    _check_embedding(data, network.hidden)
    _check_size(config)


def _check_layers(hidden) -> None:
    """A 'column' or 'connection' Dropout masks the next layer's weights: a Dense layer
    must follow it (the output layer does when it is the last hidden layer)."""
    for i, (spec, nxt) in enumerate(zip(hidden, hidden[1:])):
        if spec.type == "Dropout" and spec["mode"] in ("column", "connection") and nxt.type != "Dense":
            raise ConfigError(f"network.hidden[{i}].mode", f"a {spec['mode']!r} Dropout masks the weights of "
                                                           f"the next Dense layer; it is followed by {nxt.type}")


def _check_embedding(data: DataConfig, hidden) -> None:
    """An Embedding reads token ids: only as the first layer, only on text data."""
    for i, spec in enumerate(hidden):
        if spec.type != "Embedding":
            continue
        if i > 0:
            raise ConfigError(f"network.hidden[{i}].type", "an Embedding reads token ids: it can only be "
                                                           "the first layer")
        if data.dataset not in TEXT:
            raise ConfigError(f"network.hidden[{i}].type", f"an Embedding needs text data ({', '.join(TEXT)}), "
                                                           f"got {data.dataset!r}")


def starts_with_embedding(network: NetworkConfig) -> bool:
    """True when the network reads token ids (its first layer is an Embedding)."""
    return bool(network.hidden) and network.hidden[0].type == "Embedding"


def _input_size(data: DataConfig, network: NetworkConfig) -> int:
    if data.dataset in FIXED_SIZES:
        return FIXED_SIZES[data.dataset][0]
    if data.dataset in TEXT:
        from .words import VOCABULARY

        return 1 if starts_with_embedding(network) else len(VOCABULARY)
    if data.dataset == "csv":
        return len(data.columns)
    return len(data.features)


def _check_size(config: Config) -> None:
    n, total = _input_size(config.data, config.network), 0
    for spec in config.network.hidden:
        if spec.type == "Dense":
            total += (n + 1) * spec["units"]
            n = spec["units"]
        elif spec.type == "BatchNorm":
            total += 2 * n
        elif spec.type == "Embedding":
            from .words import VOCABULARY

            total += len(VOCABULARY) * spec["dim"]
            n = spec["dim"]
    total += (n + 1) * 10  # the output layer: at most 10 classes for the built-in data
    if total > MAX_PARAMETERS:
        raise ConfigError("network.hidden", f"about {total:,} parameters; at most {MAX_PARAMETERS:,} "
                                            "train at a watchable pace")
