"""The validation table of the configuration: every field's type, range or choices.

One table serves the file format (``Config.from_dict``), ``Config.with_changes`` and
the control panel, whose widgets take their ranges from here — so a value a file may
hold is a value a widget can show. Each check raises ``ConfigError`` naming the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .activations import ACTIVATION_NAMES
from .datasets import DATASET_NAMES
from .errors import InputError
from .features import FEATURE_NAMES
from .initializers import INITIALIZERS
from .layers.batchnorm import INFERENCE as BN_INFERENCE
from .layers.dropout import MODES as DROPOUT_MODES

MAX_SEED = 2**32 - 1  # NumPy's classic seed range (RandomState's); any Generator takes it
MAX_POINTS = 100_000
MAX_HIDDEN_LAYERS = 32  # Dense, Dropout, BatchNorm and Activation rows together
MAX_UNITS = 1024
MAX_PARAMETERS = 5_000_000  # a larger network would not train at a watchable pace here
OUTPUTS = {"softmax": "cross_entropy", "sigmoid": "binary_cross_entropy", "linear": "mse"}
HIDDEN_ACTIVATIONS = tuple(a for a in ACTIVATION_NAMES if a not in ("softmax", "step"))
LIVE_FIELDS = ("training.learning_rate", "training.batch_size", "training.l1", "training.l2",
               "training.momentum")  # applied from the next update, without a rebuild


class ConfigError(InputError):
    """A configuration field is wrong; ``field`` is its dotted path."""

    def __init__(self, field_path: str, problem: str, source: str | None = None):
        super().__init__(problem, source, field_path)


@dataclass(frozen=True)
class Int:
    lo: int
    hi: int

    def __call__(self, value, path):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(path, f"expected an integer, got {_short(value)}")
        if not self.lo <= value <= self.hi:
            raise ConfigError(path, f"expected an integer between {self.lo:,} and {self.hi:,}, "
                                    f"got {_short(value)}")
        return value


@dataclass(frozen=True)
class Number:
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    def __call__(self, value, path):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(path, f"expected a number, got {_short(value)}")
        # ints are compared as ints: float(10**400) would overflow
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(path, f"expected a finite number, got {value}")
        if not self.contains(value):
            left, right = "(" if self.lo_open else "[", ")" if self.hi_open else "]"
            raise ConfigError(path, f"expected a number in {left}{self.lo:g}, {self.hi:g}{right}, "
                                    f"got {_short(value)}")
        return float(value)

    def contains(self, value) -> bool:
        if value < self.lo or value > self.hi:
            return False
        return not ((self.lo_open and value == self.lo) or (self.hi_open and value == self.hi))


@dataclass(frozen=True)
class Choice:
    options: tuple

    def __call__(self, value, path):
        if not isinstance(value, str) or value not in self.options:
            raise ConfigError(path, f"expected one of {', '.join(self.options)}, got {_short(value)}")
        return value


@dataclass(frozen=True)
class Text:
    max_length: int = 4096

    def __call__(self, value, path):
        if not isinstance(value, str):
            raise ConfigError(path, f"expected a string, got {_short(value)}")
        if len(value) > self.max_length or "\0" in value:
            raise ConfigError(path, f"expected a string of at most {self.max_length} characters "
                                    "without NUL characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ConfigError(path, "expected text (it holds an unpaired surrogate)") from None
        return value


@dataclass(frozen=True)
class Bool:
    def __call__(self, value, path):
        if not isinstance(value, bool):
            raise ConfigError(path, f"expected true or false, got {_short(value)}")
        return value


@dataclass(frozen=True)
class Names:
    """A list of strings (CSV column names) → a tuple."""
    max_items: int = 10_000

    def __call__(self, value, path):
        if not isinstance(value, (list, tuple)) or len(value) > self.max_items:
            raise ConfigError(path, f"expected a list of column names, got {_short(value)}")
        return tuple(Text(1024)(v, f"{path}[{i}]") for i, v in enumerate(value))


@dataclass(frozen=True)
class Features:
    """A non-empty list of distinct input feature names → a tuple."""
    options: tuple = FEATURE_NAMES

    def __call__(self, value, path):
        if not isinstance(value, (list, tuple)) or not value:
            raise ConfigError(path, f"expected a non-empty list of feature names, got {_short(value)}")
        names = tuple(Choice(self.options)(name, f"{path}[{i}]") for i, name in enumerate(value))
        if len(set(names)) != len(names):
            raise ConfigError(path, "expected each feature at most once")
        return names


#: every scalar field of a configuration, by dotted path (network.hidden: see LAYER_FIELDS)
FIELDS = {
    "data.dataset": Choice(DATASET_NAMES),
    "data.n": Int(4, MAX_POINTS),
    "data.noise": Number(0.0, 1.0),
    "data.test_ratio": Number(0.0, 0.95),
    "data.seed": Int(0, MAX_SEED),
    "data.features": Features(),
    "data.path": Text(),
    "data.columns": Names(),
    "data.label": Text(1024),
    "data.standardize": Bool(),
    "network.output": Choice(tuple(OUTPUTS)),
    "network.initializer": Choice(tuple(INITIALIZERS)),
    "network.seed": Int(0, MAX_SEED),
    "network.dtype": Choice(("float64", "float32")),
    "training.optimizer": Choice(("sgd", "adam")),
    "training.learning_rate": Number(0.0, 100.0, lo_open=True),
    "training.momentum": Number(0.0, 1.0, hi_open=True),
    "training.batch_size": Int(1, MAX_POINTS),
    "training.l1": Number(0.0, 100.0),
    "training.l2": Number(0.0, 100.0),
    "training.seed": Int(0, MAX_SEED),
    "training.runs": Int(1, 8),
}

#: leaky_relu's α (Keras' negative_slope); the field is kept, and ignored, for other activations
NEGATIVE_SLOPE = (Number(0.0, 1.0, hi_open=True), 0.2)

#: per hidden-layer type: its fields' checks, defaults (None: required) in file order
LAYER_FIELDS = {
    "Dense": {"units": (Int(1, MAX_UNITS), None), "activation": (Choice(ACTIVATION_NAMES), "tanh"),
              "negative_slope": NEGATIVE_SLOPE},
    "Dropout": {"rate": (Number(0.0, 1.0, hi_open=True), None),
                "mode": (Choice(DROPOUT_MODES), "neuron")},
    "BatchNorm": {"momentum": (Number(0.0, 1.0, hi_open=True), 0.99),
                  "epsilon": (Number(0.0, 1.0, lo_open=True), 0.001),
                  "inference": (Choice(BN_INFERENCE), "moving_average")},
    "Activation": {"activation": (Choice(HIDDEN_ACTIVATIONS), None), "negative_slope": NEGATIVE_SLOPE},
    "Embedding": {"dim": (Int(1, MAX_UNITS), None)},  # only first, only on text (vocab_size: the data's)
}


def _short(value) -> str:
    """repr() of a value, cut short: a 100,000-digit integer is not an error message."""
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else "a huge integer"
    return text if len(text) <= 60 else text[:57] + "…"
