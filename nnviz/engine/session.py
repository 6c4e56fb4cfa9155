"""Session files (.nnviz): a trained state to open later, in class.

A session is a zip holding ``session.json`` (format, configuration, counters, random
generator states, scalars) and ``arrays.npz`` (parameters, optimizer slots, the
epoch's permutation, the metric history). Arrays load with ``allow_pickle=False``;
nothing in the file is executed or evaluated. Writing goes to a temporary file that
is renamed into place, so a crash never leaves half a session.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass

import numpy as np

from ..files import atomic_write
from .config import Config, ConfigError
from .errors import InputError
from .trainer import Trainer

FORMAT = "nnviz-session"
VERSION = 1
MAX_BYTES = 512 * 2**20  # a larger file is refused before anything is read


class SessionError(InputError):
    """A session file cannot be used; the message names the file and the problem."""


@dataclass
class Session:
    config: Config
    state: dict  # Trainer.state()
    history: dict  # series name → array
    meta: dict  # title, text, lesson name, …


def save_session(path: str, config: Config, trainer: Trainer, history: dict | None = None,
                 meta: dict | None = None, state: dict | None = None) -> None:
    """Write ``trainer``'s state (or ``state``, a Trainer.state() taken earlier)."""
    state = trainer.state() if state is None else state
    arrays, scalars = _split_state(state)
    for name, values in (history or {}).items():
        arrays[f"history/{name}"] = np.asarray(values, dtype=np.float64)
    document = {"format": FORMAT, "version": VERSION, "config": config.to_dict(),
                "state": scalars, "meta": meta or {}}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)

    def write(tmp):
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("session.json", json.dumps(document, indent=1))
            archive.writestr("arrays.npz", buffer.getvalue())
    atomic_write(path, write)


def _split_state(state: dict):
    """Trainer.state() → (arrays for the npz, JSON-able rest)."""
    arrays = {}
    layers = []
    for i, layer in enumerate(state["layers"]):
        layers.append(sorted(layer))
        for name, array in layer.items():
            arrays[f"layers/{i}/{name}"] = array
    optimizer = {}
    for key, value in state["optimizer"].items():
        if isinstance(value, list):
            optimizer[key] = len(value)
            for j, array in enumerate(value):
                arrays[f"optimizer/{key}/{j}"] = array
        else:
            optimizer[key] = value
    if state["perm"] is not None:
        arrays["perm"] = state["perm"]
    scalars = {k: state[k] for k in ("steps_done", "epoch", "pos", "batch_size", "l1", "l2")}
    scalars.update(layers=layers, optimizer=optimizer, has_perm=state["perm"] is not None,
                   shuffle_rng=state["shuffle_rng"], dropout_rng=state["dropout_rng"])
    return arrays, scalars


def load_session(path: str) -> Session:
    """Read and check a session; raise SessionError (never anything else) if unusable."""
    try:
        size = os.path.getsize(path)
    except OSError as err:
        raise SessionError(f"{path}: cannot read it ({err.strerror})") from None
    if size > MAX_BYTES:
        raise SessionError(f"{path}: {size / 2**20:.0f} MiB is larger than a session can be")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not {"session.json", "arrays.npz"} <= names:
                raise SessionError(f"{path}: not an nnviz session (session.json or arrays.npz missing)")
            document = json.loads(archive.read("session.json").decode("utf-8"))
            with np.load(io.BytesIO(archive.read("arrays.npz")), allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
    except SessionError:
        raise
    except (zipfile.BadZipFile, EOFError) as err:
        raise SessionError(f"{path}: not an nnviz session, or a truncated one ({err})") from None
    except (ValueError, KeyError, OSError, UnicodeDecodeError, zipfile.LargeZipFile) as err:
        raise SessionError(f"{path}: damaged ({type(err).__name__}: {err})") from None
    return _check(path, document, arrays)


def _check(path, document, arrays) -> Session:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SessionError(f"{path}: not an nnviz session (format field missing)")
    if document.get("version") != VERSION:
        raise SessionError(f"{path}: session version {document.get('version')!r}; this nnviz reads {VERSION}")
    try:
        config = Config.from_dict(document.get("config"), source=path)
    except ConfigError as err:
        raise SessionError(str(err)) from None
    try:
        state = _join_state(document["state"], arrays)
    except (KeyError, TypeError, ValueError, IndexError) as err:
        raise SessionError(f"{path}: the saved training state is incomplete ({type(err).__name__}: {err})") from None
    history = {k[len("history/"):]: v for k, v in arrays.items() if k.startswith("history/")}
    meta = document.get("meta") if isinstance(document.get("meta"), dict) else {}
    return Session(config, state, history, meta)


def _join_state(scalars: dict, arrays: dict) -> dict:
    layers = [{name: arrays[f"layers/{i}/{name}"] for name in names} for i, names in enumerate(scalars["layers"])]
    optimizer = {}
    for key, value in scalars["optimizer"].items():
        if key in ("iterations", "learning_rate", "momentum") or value is None:
            optimizer[key] = value  # a scalar, or slots not created yet
        else:
            optimizer[key] = [arrays[f"optimizer/{key}/{j}"] for j in range(int(value))]
    for key in ("velocities", "m", "v"):
        optimizer.setdefault(key, None)
    state = {k: scalars[k] for k in ("steps_done", "epoch", "pos", "batch_size", "l1", "l2",
                                     "shuffle_rng", "dropout_rng")}
    state.update(layers=layers, optimizer=optimizer, perm=arrays["perm"] if scalars["has_perm"] else None)
    return state


def restore_into(session: Session):
    """(dataset, model, trainer) built from the session's configuration, at its state."""
    dataset, model, trainer = session.config.build()
    _check_shapes(session, model)
    trainer.restore(session.state)
    return dataset, model, trainer


def check_against_model(session: Session, model, trainer=None) -> None:
    """SessionError unless the session's arrays fit the model its configuration builds."""
    _check_shapes(session, model)


def _check_shapes(session, model):
    saved = session.state["layers"]
    if len(saved) != len(model.layers):
        raise SessionError(f"the session has {len(saved)} layers, its configuration builds {len(model.layers)}")
    for i, (layer, arrays) in enumerate(zip(model.layers, saved)):
        for name, live in layer.state_arrays.items():
            if name not in arrays or arrays[name].shape != live.shape:
                got = arrays[name].shape if name in arrays else "nothing"
                raise SessionError(f"layer {i} {name}: expected shape {live.shape}, the session has {got}")
