"""What a session file may hold, checked field by field before it is used.

``check_scalars`` validates session.json's training state against the configuration;
``ArrayRules`` says, from an array's .npy header alone, whether the member may be read
(its name, dtype and the dimensions the configuration fixes); ``check_arrays`` then
relates the arrays to each other (widths that chain, slots shaped like their
parameters, a true permutation, history series of one length). Every refusal is an
InputError whose ``field`` names the member or the field.
"""

from __future__ import annotations

import math

import numpy as np

from .config import Config
from .errors import InputError

MAX_COUNT = 10**15  # updates, epochs, positions: beyond any real run, far below overflow
#: the arrays each kind of layer saves (Trainer.state() → layer.state_arrays), sorted
LAYER_ARRAYS = {"Dense": ["W", "b"],
                "BatchNorm": ["average_batches", "average_mean", "average_std", "beta", "epoch_batches",
                              "epoch_mean_sum", "epoch_std_sum", "gamma", "moving_mean", "moving_var"],
                "Dropout": [], "Activation": [], "Embedding": ["W"]}
#: what sessions written before the batch averages existed hold (read, and completed on loading)
LEGACY_LAYER_ARRAYS = {"BatchNorm": ["beta", "gamma", "moving_mean", "moving_var"]}
PARAMETERS = {"Dense": ["W", "b"], "BatchNorm": ["gamma", "beta"], "Embedding": ["W"]}  # model.parameters() order
COUNTERS = ("epoch_batches", "average_batches")  # BatchNorm's batch counts: shape (1,), whole numbers ≥ 0
NON_NEGATIVE = ("moving_var", "epoch_std_sum", "average_std")  # variances and sums of standard deviations
SLOTS = {"sgd": ("velocities",), "adam": ("m", "v")}
HISTORY_DTYPES = (np.dtype("float64"), np.dtype("float32"))
PERM_DTYPES = (np.dtype("int64"), np.dtype("int32"))
RNG_KEYS = {"bit_generator", "state", "has_uint32", "uinteger"}


def _refuse(key: str, expected: str, value) -> InputError:
    """``key``: the dotted field inside session.json's "state" ("optimizer.learning_rate")."""
    shown = _shown(value)
    return InputError(f"expected {expected}, got {shown}", None, f"session.json: state.{key}")


def _shown(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"an integer of {value.bit_length():,} bits"  # its digits would tell nothing
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "…"


def _integer(raw: dict, key: str, lo: int = 0, hi: int = MAX_COUNT, section: str = "") -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise _refuse(section + key, f"an integer from {lo:,} to {hi:,}", value)
    return value


def _real(raw: dict, key: str, lo: float, hi: float, lo_open=False, hi_open=False, section: str = "") -> float:
    value = raw.get(key)
    ok = not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)
    if ok:
        ok = (lo < value if lo_open else lo <= value) and (value < hi if hi_open else value <= hi)
    if not ok:
        left, right = "(" if lo_open else "[", ")" if hi_open else "]"
        raise _refuse(section + key, f"a number in {left}{lo}, {hi}{right}", value)
    return float(value)


def _rng(raw: dict, key: str) -> dict:
    """A PCG64 state as numpy writes it; assigned to a throwaway generator to be sure."""
    value = raw.get(key)
    inner = value.get("state") if isinstance(value, dict) else None
    ok = (isinstance(value, dict) and set(value) == RNG_KEYS and value["bit_generator"] == "PCG64"
          and isinstance(inner, dict) and set(inner) == {"state", "inc"}
          and all(_is_int(inner[k], 0, 2**128 - 1) for k in ("state", "inc"))
          and _is_int(value["has_uint32"], 0, 1) and _is_int(value["uinteger"], 0, 2**32 - 1))
    if ok:
        try:
            np.random.PCG64().state = value
        except (TypeError, ValueError, KeyError, OverflowError):
            ok = False
    if not ok:
        raise _refuse(key, "a PCG64 generator state", value)
    return value


def _is_int(value, lo, hi) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and lo <= value <= hi


def layer_kinds(config: Config) -> list[str]:
    """The kind of every layer the configuration builds, the output Dense last."""
    return [spec.type for spec in config.network.hidden] + ["Dense"]


def parameter_count(config: Config) -> int:
    return sum(len(PARAMETERS.get(kind, [])) for kind in layer_kinds(config))


def check_scalars(raw, config: Config, version: int = 2) -> dict:
    """session.json's "state", validated: the counters, the penalties, the optimizer,
    the generators and the names of the saved arrays. Version 2 keeps the epoch's
    order as the shuffle generator's state it was drawn from ("epoch_rng") and the
    training-set size it orders ("n_train"); version 1 kept the order itself ("perm")."""
    if not isinstance(raw, dict):
        raise InputError(f"expected an object, got {type(raw).__name__}", None, "session.json: state")
    state = {"steps_done": _integer(raw, "steps_done"), "batch_size": _integer(raw, "batch_size", 1, 2**31),
             "l1": _real(raw, "l1", 0, 100), "l2": _real(raw, "l2", 0, 100),
             "shuffle_rng": _rng(raw, "shuffle_rng"), "dropout_rng": _rng(raw, "dropout_rng")}
    state["epoch"] = _integer(raw, "epoch", 0, state["steps_done"])  # an epoch begins with an update
    state["pos"] = _integer(raw, "pos")
    if not isinstance(raw.get("has_perm"), bool):
        raise _refuse("has_perm", "true or false", raw.get("has_perm"))
    state["has_perm"] = raw["has_perm"]
    state["epoch_rng"], state["n_train"] = _epoch_order(raw, state) if version >= 2 else (None, None)
    if not state["has_perm"] and state["epoch_rng"] is None and state["pos"] != 0:
        raise _refuse("pos", "0 before the first epoch's order is drawn", state["pos"])
    kinds = layer_kinds(config)
    expected = [LAYER_ARRAYS[kind] for kind in kinds]
    saved = raw.get("layers")
    if not (isinstance(saved, list) and len(saved) == len(kinds)
            and all(names in (LAYER_ARRAYS[kind], LEGACY_LAYER_ARRAYS.get(kind)) for kind, names in zip(kinds, saved))):
        raise _refuse("layers", f"the arrays of the configuration's layers {expected}", saved)
    state["layers"] = [list(names) for names in saved]
    state["optimizer"] = _optimizer(raw.get("optimizer"), config)
    return state


def _epoch_order(raw: dict, state: dict) -> tuple:
    """(epoch_rng or None, n_train) of a version-2 state."""
    n_train = _integer(raw, "n_train", 1)
    if "epoch_rng" not in raw:
        raise _refuse("epoch_rng", "a PCG64 generator state or null", "nothing")
    epoch_rng = None if raw["epoch_rng"] is None else _rng(raw, "epoch_rng")
    if epoch_rng is not None and state["has_perm"]:
        raise _refuse("epoch_rng", "null when the epoch's order is saved as perm", "a generator state")
    if epoch_rng is not None and state["pos"] > n_train:
        raise _refuse("pos", f"a position from 0 to {n_train:,} (the training set's size)", state["pos"])
    return epoch_rng, n_train


def _optimizer(raw, config: Config) -> dict:
    name = config.training.optimizer
    keys = {"iterations", "learning_rate", *SLOTS[name]} | ({"momentum"} if name == "sgd" else set())
    if not isinstance(raw, dict) or set(raw) != keys:
        raise _refuse("optimizer", f"the {name} state with {', '.join(sorted(keys))}", raw)
    section = "optimizer."
    state = {"iterations": _integer(raw, "iterations", section=section),
             "learning_rate": _real(raw, "learning_rate", 0, 100, lo_open=True, section=section)}
    if name == "sgd":
        state["momentum"] = _real(raw, "momentum", 0, 1, hi_open=True, section=section)
    count = parameter_count(config)
    for slot in SLOTS[name]:
        value = raw[slot]
        if value is not None and not _is_int(value, count, count):
            raise _refuse(f"optimizer.{slot}", f"null or {count} (one slot per parameter array)", value)
        state[slot] = value
    if name == "adam" and (state["m"] is None) != (state["v"] is None):
        raise _refuse("optimizer.v", "slots for m and v alike", raw["v"])
    return state


class ArrayRules:
    """``rules(key, dtype, shape)``: may the .npz member ``key`` be read? Called with the
    .npy header, before any data; raises InputError naming the member."""

    def __init__(self, config: Config, scalars: dict):
        self.float_dtype = np.dtype(config.network.dtype)
        self.expected: dict[str, tuple] = {}  # key → (dtypes, shape with None = "from the data")
        widths = self._output_widths(config)
        for i, (kind, names) in enumerate(zip(layer_kinds(config), scalars["layers"])):
            for name in names:
                shape = (widths[i], None) if name == "W" else (widths[i] if name == "b" else None,)
                self.expected[f"layers/{i}/{name}"] = ((self.float_dtype,), shape)
        for slot in SLOTS[config.training.optimizer]:
            for j in range(scalars["optimizer"][slot] or 0):
                self.expected[f"optimizer/{slot}/{j}"] = ((self.float_dtype,), None)  # shapes: check_arrays
        if scalars["has_perm"]:
            self.expected["perm"] = (PERM_DTYPES, (None,))

    @staticmethod
    def _output_widths(config: Config) -> list:
        """Each layer's number of units where the configuration fixes it (None: the data does)."""
        widths = [spec["units"] if spec.type == "Dense" else spec["dim"] if spec.type == "Embedding" else None
                  for spec in config.network.hidden]
        return widths + [None if config.network.output == "softmax" else 1]

    def __call__(self, key: str, dtype: np.dtype, shape: tuple) -> None:
        if key.startswith("history/"):
            dtypes, wanted = HISTORY_DTYPES, (None,) if key == "history/epoch_starts" else None
            if wanted is None and len(shape) not in (1, 2):
                raise InputError(f"a history series must be 1- or 2-dimensional, got shape {shape}")
        elif key in self.expected:
            dtypes, wanted = self.expected[key]
        else:
            raise InputError("an array this session's configuration does not have")
        if dtype not in dtypes:
            raise InputError(f"dtype {dtype}; expected {' or '.join(str(d) for d in dtypes)}")
        if wanted is not None and (len(shape) != len(wanted)
                                   or any(w is not None and w != n for w, n in zip(wanted, shape))):
            shown = tuple("n" if w is None else w for w in wanted)
            raise InputError(f"shape {shape}; the configuration builds {shown}")


def _member(key: str) -> str:
    return f"arrays.npz/{key}.npy"


def check_arrays(config: Config, scalars: dict, arrays: dict) -> None:
    """The arrays against each other and the counters, after reading."""
    missing = [key for key in ArrayRules(config, scalars).expected if key not in arrays]
    if missing:
        raise InputError("missing", None, _member(missing[0]))
    shapes = _check_layer_chain(layer_kinds(config), scalars, arrays)
    _check_values(arrays)
    for slot in SLOTS[config.training.optimizer]:
        for j, shape in enumerate(shapes if scalars["optimizer"][slot] else []):
            key = f"optimizer/{slot}/{j}"
            if arrays[key].shape != shape:
                raise InputError(f"shape {arrays[key].shape}; its parameter has {shape}", None, _member(key))
    if scalars["has_perm"]:
        _check_perm(arrays["perm"], scalars["pos"])
    _check_history({k: v for k, v in arrays.items() if k.startswith("history/")})


def _check_layer_chain(kinds: list, scalars: dict, arrays: dict) -> list[tuple]:
    """Each layer's input width is the previous layer's output width; returns the
    parameter shapes in model.parameters() order."""
    width, shapes = None, []
    for i, (kind, names) in enumerate(zip(kinds, scalars["layers"])):
        layer = {name: arrays[f"layers/{i}/{name}"] for name in names}
        if "W" in layer:
            W = layer["W"]
            if width is not None and kind == "Dense" and W.shape[1] != width:
                raise InputError(f"shape {W.shape}; the layer before gives {width} inputs", None,
                                 _member(f"layers/{i}/W"))
            width = W.shape[0]  # an Embedding's W is (dim, |V|): it reads token ids
        for name, array in layer.items():
            if name == "W":
                continue
            expected = (1,) if name in COUNTERS else None
            if expected is None:
                if width is None:  # a BatchNorm before any Dense: its width is the input's
                    width = array.shape[0]
                expected = (width,)
            if array.shape != expected:
                raise InputError(f"shape {array.shape}; expected {expected}", None, _member(f"layers/{i}/{name}"))
        shapes += [layer[name].shape for name in PARAMETERS.get(kind, [])]
    return shapes


def _check_values(arrays: dict) -> None:
    for key, array in arrays.items():
        if key.startswith(("layers/", "optimizer/")) and not np.isfinite(array).all():
            raise InputError("contains NaN or ±inf", None, _member(key))
        name = key.rsplit("/", 1)[-1]
        if (name in NON_NEGATIVE or key.startswith("optimizer/v/")) and (array < 0).any():
            raise InputError("a variance or standard deviation below 0", None, _member(key))
        if name in COUNTERS and ((array < 0).any() or (array != np.round(array)).any() or (array > MAX_COUNT).any()):
            raise InputError("a count of batches that is not a whole number from 0", None, _member(key))


def _check_perm(perm: np.ndarray, pos: int) -> None:
    if perm.size and not np.array_equal(np.sort(perm), np.arange(perm.size)):
        raise InputError(f"not a permutation of 0…{perm.size - 1}", None, _member("perm"))
    if pos > perm.size:
        raise _refuse("pos", f"a position from 0 to {perm.size} (the permutation's length)", pos)


def _check_history(series: dict) -> None:
    lengths = {key: len(v) for key, v in series.items() if key != "history/epoch_starts"}
    first = next(iter(lengths.values()), 0)
    for key, n in lengths.items():
        if n != first:
            raise InputError(f"{n:,} rows; the other history series have {first:,}", None, _member(key))
