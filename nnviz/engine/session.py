"""Session files (.nnviz): a trained state to open later, in class.

A session is a zip holding ``session.json`` (format, configuration, counters, random
generator states, scalars) and ``arrays.npz`` (parameters, optimizer slots, the
metric history). Version 2 keeps the epoch's order as the shuffle generator's state
it was drawn from (a few integers, "epoch_rng") and redraws it; version 1 stored the
permutation itself ("perm.npy", N indices) and is still read.

Reading assumes the file was made by someone hostile: ``archive`` checks every
declared size before inflating anything, every array's header before reading its
data, and never unpickles; ``session_checks`` validates every field. Whatever is
wrong, ``load_session`` raises ``SessionError`` naming the file and the member or
field, in bounded memory. Writing renders the whole file in memory and hands it to
``files.atomic_write_bytes``: a full disk or a crash never leaves half a session.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass

import numpy as np

from ..files import atomic_write_bytes, open_bounded, parse_json
from . import archive
from .config import Config, ConfigError
from .errors import InputError
from .session_checks import ArrayRules, check_arrays, check_scalars
from .trainer import Trainer

FORMAT = "nnviz-session"
VERSION = 2  # the version written
READABLE = (1, 2)  # the versions read
MAX_BYTES = 256 * 2**20  # the file; a larger one is refused before anything is read
MAX_JSON_BYTES = 16 * 2**20  # session.json: a configuration and a few counters
OUTER = archive.Limits(members=16, total_bytes=MAX_BYTES)
INNER = archive.Limits(members=10_000, directory_bytes=4 * 2**20, total_bytes=256 * 2**20)
META_FIELDS = ("title", "text", "lesson")
MAX_META_CHARS = 100_000


class SessionError(InputError):
    """A session file cannot be used; the message names the file and the problem."""


@dataclass
class Session:
    config: Config
    state: dict  # Trainer.state()
    history: dict  # series name → array
    meta: dict  # title, text, lesson name, …
    source: str = ""  # the file it was read from (named in later refusals)


# -- writing -------------------------------------------------------------------------
def save_session(path: str, config: Config, trainer: Trainer, history: dict | None = None,
                 meta: dict | None = None, state: dict | None = None) -> None:
    """Write ``trainer``'s state (or ``state``, a Trainer.state() taken earlier)."""
    state = trainer.state() if state is None else state
    arrays, scalars = _split_state(state)
    scalars["n_train"] = trainer.n_train
    for name, values in (history or {}).items():
        arrays[f"history/{name}"] = np.asarray(values, dtype=np.float64)
    document = {"format": FORMAT, "version": VERSION, "config": config.to_dict(),
                "state": scalars, "meta": meta or {}}
    text = json.dumps(document, indent=1)  # a TypeError here leaves the old file as it was
    npz = io.BytesIO()
    np.savez_compressed(npz, **arrays)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("session.json", text)
        zipped.writestr("arrays.npz", npz.getvalue())
    atomic_write_bytes(path, buffer.getbuffer())


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
                   shuffle_rng=state["shuffle_rng"], dropout_rng=state["dropout_rng"],
                   epoch_rng=state.get("epoch_rng"))
    return arrays, scalars


# -- reading -------------------------------------------------------------------------
def load_session(path) -> Session:
    """Read and check a session; raise SessionError (never anything else) if unusable."""
    path = os.fspath(path)
    try:
        return _load(path)
    except SessionError:
        raise
    except archive.ArchiveError as err:
        if err.field:
            raise SessionError(err.problem, path, err.field) from None
        raise SessionError(f"not an nnviz session, or a truncated one ({err.problem})", path) from None
    except InputError as err:
        raise SessionError(err.problem, err.source or path, err.field) from None


def _load(path: str) -> Session:
    with open_bounded(path, MAX_BYTES, "a session") as f, archive.open_zip(f, path, OUTER) as outer:
        if not {"session.json", "arrays.npz"} <= set(outer.namelist()):
            raise SessionError("not an nnviz session (session.json or arrays.npz missing)", path)
        text = archive.read_member(outer, "session.json", path, MAX_JSON_BYTES)
        document = _document(text, path)
        config = _config(document, path)
        scalars = check_scalars(document.get("state"), config, document["version"])
        meta = _meta(document.get("meta", {}))
        npz = archive.read_member(outer, "arrays.npz", path, OUTER.member_bytes)
    arrays = _arrays(npz, path, ArrayRules(config, scalars))
    check_arrays(config, scalars, arrays)
    history = {k[len("history/"):]: v for k, v in arrays.items() if k.startswith("history/")}
    return Session(config, _join_state(scalars, arrays), history, meta, path)


def _document(data: bytes, path: str) -> dict:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SessionError(f"not UTF-8 text ({err.reason} at byte {err.start})", path, "session.json") from None
    try:
        document = parse_json(text, path)
    except InputError as err:
        raise SessionError(err.problem, path, f"session.json {err.field}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SessionError("not an nnviz session (format field missing)", path, "session.json")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version not in READABLE:
        shown = repr(version) if len(repr(version)) < 40 else "(unreadable)"
        readable = " and ".join(map(str, READABLE))
        raise SessionError(f"session version {shown}; this nnviz reads {readable}", path, "session.json")
    return document


def _config(document: dict, path: str) -> Config:
    try:
        return Config.from_dict(document.get("config"), source=path)
    except ConfigError as err:
        raise SessionError(err.problem, path, f"session.json: config.{err.field}") from None
    except (TypeError, ValueError, KeyError, RecursionError) as err:  # a validator's gap is still a refusal
        raise SessionError(f"unusable ({type(err).__name__})", path, "session.json: config") from None


def _meta(raw) -> dict:
    if not isinstance(raw, dict):
        raise InputError(f"expected an object, got {type(raw).__name__}", None, "session.json: meta")
    for key in META_FIELDS:
        value = raw.get(key, "")
        if not isinstance(value, str) or len(value) > MAX_META_CHARS:
            raise InputError(f"expected a text of at most {MAX_META_CHARS:,} characters", None,
                             f"session.json: meta.{key}")
    return {key: raw[key] for key in META_FIELDS if key in raw}


def _arrays(data: bytes, path: str, rules: ArrayRules) -> dict:
    try:
        return archive.read_npz(data, path, rules, INNER)
    except InputError as err:
        member = f"arrays.npz/{err.field}" if err.field else "arrays.npz"
        raise SessionError(err.problem, path, member) from None


def _with_batch_averages(layer: dict) -> dict:
    """A BatchNorm of a session written before the batch averages existed: no batch
    counted yet (μ̄ = 0, σ̄ = 1 until its first training batch)."""
    if "moving_mean" not in layer or "epoch_batches" in layer:
        return layer
    shape, dtype = layer["moving_mean"].shape, layer["moving_mean"].dtype
    zeros = {name: np.zeros(shape, dtype) for name in ("epoch_mean_sum", "epoch_std_sum", "average_mean")}
    counts = {name: np.zeros(1, dtype) for name in ("epoch_batches", "average_batches")}
    return {**layer, **zeros, **counts, "average_std": np.ones(shape, dtype)}


def _join_state(scalars: dict, arrays: dict) -> dict:
    layers = [_with_batch_averages({name: arrays[f"layers/{i}/{name}"] for name in names})
              for i, names in enumerate(scalars["layers"])]
    optimizer = {}
    for key, value in scalars["optimizer"].items():
        if key in ("iterations", "learning_rate", "momentum") or value is None:
            optimizer[key] = value  # a scalar, or slots not created yet
        else:
            optimizer[key] = [arrays[f"optimizer/{key}/{j}"] for j in range(value)]
    for key in ("velocities", "m", "v"):
        optimizer.setdefault(key, None)
    state = {k: scalars[k] for k in ("steps_done", "epoch", "pos", "batch_size", "l1", "l2",
                                     "shuffle_rng", "dropout_rng", "epoch_rng", "n_train")}
    state.update(layers=layers, optimizer=optimizer, perm=arrays["perm"] if scalars["has_perm"] else None)
    return state


# -- using ---------------------------------------------------------------------------
def restore_into(session: Session):
    """(dataset, model, trainer) built from the session's configuration, at its state."""
    dataset, model, trainer = session.config.build()
    check_session(session, trainer)
    trainer.restore(session.state)
    return dataset, model, trainer


def check_session(session: Session, trainer: Trainer) -> None:
    """SessionError unless ``trainer`` (built from ``session.config``) can take the
    session's state: every array's shape and dtype as the model has it, the epoch's
    permutation of the trainer's training set. Call it before ``trainer.restore``."""
    _check_layers(session, trainer.model)
    n_train = session.state.get("n_train")
    if n_train is not None and n_train != trainer.n_train:
        raise SessionError(f"trained on {n_train:,} points; the training set has {trainer.n_train:,}",
                           session.source, "session.json: state.n_train")
    perm = session.state["perm"]
    if perm is not None and perm.size != trainer.n_train:
        raise SessionError(f"a permutation of {perm.size:,} points; the training set has "
                           f"{trainer.n_train:,}", session.source, "arrays.npz/perm.npy")


def _check_layers(session: Session, model) -> None:
    saved = session.state["layers"]
    if len(saved) != len(model.layers):
        raise SessionError(f"the session has {len(saved)} layers, its configuration builds {len(model.layers)}",
                           session.source)
    for i, (layer, arrays) in enumerate(zip(model.layers, saved)):
        for name, live in layer.state_arrays.items():
            got = arrays.get(name)
            if got is None or got.shape != live.shape or got.dtype != live.dtype:
                shown = "nothing" if got is None else f"{got.dtype} {got.shape}"
                raise SessionError(f"expected {live.dtype} {live.shape}, the session has {shown}",
                                   session.source, f"arrays.npz/layers/{i}/{name}.npy")


def _check_shapes(session: Session, model) -> None:
    """The layers only (kept for callers that hold no trainer): prefer check_session."""
    _check_layers(session, model)
