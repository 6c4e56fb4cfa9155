"""A corpus of hostile files, generated here (nothing is downloaded or checked in).

Each ``Case`` writes its file(s) into a folder, names the nnviz reader that must refuse
it, the error class it must raise and a text the message must contain (the member, the
field, the row or the column). ``test_hostile_files`` runs every case in-process;
``hostile_probe`` runs each in a forked child under an address-space limit and reports
its peak memory.

Zips are written by hand (``raw_zip``) so that a case can declare sizes, flags and
methods that ``zipfile`` would never write.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from nnviz.engine.config import Config, ConfigError
from nnviz.engine.real_data import DataFileError, load_csv, load_mnist_folder, read_idx
from nnviz.engine.session import SessionError, load_session, restore_into, save_session
from nnviz.lessons import load_lesson

MiB = 2**20
ADAM = {"data": {"dataset": "spiral", "n": 60, "seed": 1},
        "network": {"hidden": [{"type": "Dense", "units": 6, "activation": "relu"}, {"type": "BatchNorm"},
                               {"type": "Dropout", "rate": 0.2}, {"type": "Dense", "units": 3}]},
        "training": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 8}}
SGD = {"data": {"dataset": "circle", "n": 40},
       "network": {"hidden": [{"type": "Dense", "units": 4, "activation": "tanh"}]},
       "training": {"optimizer": "sgd", "momentum": 0.9, "batch_size": 8}}


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable  # (folder: Path) → the path to hand to ``read``
    read: Callable  # the nnviz reader that must refuse it
    error: type
    names: str  # what the message must contain


# -- zips by hand ----------------------------------------------------------------------
@dataclass(frozen=True)
class Member:
    name: str
    payload: bytes  # as stored (compressed for method 8)
    size: int  # uncompressed size, as declared
    crc: int
    method: int = 8
    flags: int = 0


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def member(name: str, data: bytes, method: int = 8) -> Member:
    payload = deflate(data) if method == 8 else data
    return Member(name, payload, len(data), zlib.crc32(data), method)


def zeros_member(name: str, size: int) -> Member:
    """A member that honestly inflates to ``size`` zero bytes (a few hundred kB stored)."""
    c, block, crc, chunks = zlib.compressobj(1, zlib.DEFLATED, -15), bytes(MiB), 0, []
    for _ in range(size // MiB):
        chunks.append(c.compress(block))
        crc = zlib.crc32(block, crc)
    chunks.append(c.flush())
    return Member(name, b"".join(chunks), size // MiB * MiB, crc)


def lie(m: Member, **changes) -> Member:
    return Member(**{**m.__dict__, **changes})


def raw_zip(members, entries: int | None = None, directory_size: int | None = None, zip64_locator=False) -> bytes:
    """A zip of ``members`` (local headers, data, central directory, end record)."""
    out, directory = io.BytesIO(), []
    for m in members:
        name = m.name.encode("utf-8")
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, m.flags, m.method, 0, 0, m.crc,
                              len(m.payload), m.size, len(name), 0) + name + m.payload)
        directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, m.flags, m.method, 0, 0, m.crc,
                                     len(m.payload), m.size, len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    out.write(b"".join(directory))
    size = out.tell() - start
    if zip64_locator:
        out.write(struct.pack("<4sLQL", b"PK\x06\x07", 0, 0, 1))
    count = len(members) if entries is None else entries
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count,
                          size if directory_size is None else directory_size, start, 0))
    return out.getvalue()


# -- .npy by hand ----------------------------------------------------------------------
def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=array.dtype.hasobject)
    return buffer.getvalue()


def npy_header(descr, shape, data: bytes = b"", version=(1, 0)) -> bytes:
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    writer = {(1, 0): np.lib.format.write_array_header_1_0, (2, 0): np.lib.format.write_array_header_2_0}
    writer[version](buffer, header)
    return buffer.getvalue() + data


def npz(arrays: dict) -> bytes:
    """{key: array or raw .npy bytes} → an .npz (a zip of key.npy members)."""
    return raw_zip([member(k + ".npy", v if isinstance(v, bytes) else npy(v)) for k, v in arrays.items()])


# -- valid sessions to spoil -----------------------------------------------------------
_BASES: dict = {}


def base(kind: str = "adam", version: int = 1):
    """(document, arrays) of a small trained session (computed once per process). Most
    cases spoil a version-1 file (the epoch's order stored as perm.npy), which nnviz
    still reads; ``version=2`` gives the file nnviz writes now."""
    if kind not in _BASES:
        config = Config.from_dict(ADAM if kind == "adam" else SGD)
        _, _, trainer = config.build()
        for _ in range(11):
            trainer.step()
        buffer_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"nnviz-hostile-base-{os.getpid()}-{kind}.nnviz"
        save_session(str(buffer_path), config, trainer, history={"step": np.arange(4.0), "train_loss": np.ones(4)})
        with zipfile.ZipFile(buffer_path) as z:
            document = json.loads(z.read("session.json"))
            with np.load(io.BytesIO(z.read("arrays.npz"))) as arrays:
                _BASES[kind] = document, {k: arrays[k] for k in arrays.files}
        buffer_path.unlink()
    document, arrays = _BASES[kind]
    document, arrays = json.loads(json.dumps(document)), dict(arrays)
    return as_version_1(document, arrays) if version == 1 else (document, arrays)


def as_version_1(document, arrays):
    """A version-2 session as version 1 wrote it: the epoch's permutation as an array."""
    state = document["state"]
    epoch_rng, n_train = state.pop("epoch_rng"), state.pop("n_train")
    if epoch_rng is not None:
        generator = np.random.Generator(np.random.PCG64())
        generator.bit_generator.state = epoch_rng
        arrays["perm"] = generator.permutation(n_train)
        state["has_perm"] = True
    document["version"] = 1
    return document, arrays


def session_bytes(document, arrays, extra=()) -> bytes:
    text = document if isinstance(document, bytes) else json.dumps(document).encode()
    return raw_zip([member("session.json", text), member("arrays.npz", npz(arrays)), *extra])


def write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


def spoil(kind="adam", state=None, optimizer=None, arrays=None, document=None, version=1):
    """A builder: a valid session with these fields replaced (None values in ``arrays``
    and ``state`` remove the array or the field)."""
    def build(folder):
        doc, arr = base(kind, version)
        for key, value in (state or {}).items():
            if value is None and version == 2:
                doc["state"].pop(key, None)
            else:
                doc["state"][key] = value
        for key, value in (optimizer or {}).items():
            doc["state"]["optimizer"][key] = value
        for key, value in (document or {}).items():
            doc[key] = value
        for key, value in (arrays or {}).items():
            if value is None:
                arr.pop(key, None)
            else:
                arr[key] = value(arr) if callable(value) else value
        return write(folder, "spoilt.nnviz", session_bytes(doc, arr))
    return build


def built(data_fn, name="hostile.nnviz"):
    return lambda folder: write(folder, name, data_fn())


def with_arrays(members_fn):
    """A session whose arrays.npz is the zip ``members_fn(arrays)`` builds."""
    def make():
        doc, arr = base()
        inner = raw_zip(members_fn(arr))
        return raw_zip([member("session.json", json.dumps(doc).encode()), member("arrays.npz", inner)])
    return make


def restored(path):
    restore_into(load_session(path))


def valid_members():
    doc, arr = base()
    return [member("session.json", json.dumps(doc).encode()), member("arrays.npz", npz(arr))]


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


# -- special files ---------------------------------------------------------------------
def fifo(name):
    def build(folder):
        path = folder / name
        os.mkfifo(path)
        return str(path)
    return build


def link_to(target, name):
    def build(folder):
        path = folder / name
        os.symlink(target, path)
        return str(path)
    return build


def folder_named(name):
    def build(folder):
        (folder / name).mkdir()
        return str(folder / name)
    return build


def sparse(name, size):
    def build(folder):
        with open(folder / name, "wb") as f:
            f.truncate(size)
        return str(folder / name)
    return build


def text_file(name, text, encoding="utf-8"):
    return lambda folder: write(folder, name, text.encode(encoding) if isinstance(text, str) else text)


SESSION_FILE_CASES = [
    Case("session/fifo", fifo("s.nnviz"), load_session, SessionError, "pipe (FIFO)"),
    Case("session/dev-zero", link_to("/dev/zero", "zero.nnviz"), load_session, SessionError, "a device"),
    Case("session/folder", folder_named("dir.nnviz"), load_session, SessionError, "a folder"),
    Case("session/missing", lambda folder: str(folder / "none.nnviz"), load_session, SessionError, "cannot read"),
    Case("session/sparse-300MB", sparse("big.nnviz", 300 * MiB), load_session, SessionError, "too large"),
    Case("session/empty", text_file("e.nnviz", b""), load_session, SessionError, "not an nnviz session"),
    Case("session/text", text_file("t.nnviz", "just some text"), load_session, SessionError, "not an nnviz session"),
    Case("session/truncated", built(lambda: session_bytes(*base())[:300]), load_session, SessionError, "truncated"),
    Case("session/foreign-zip", built(lambda: raw_zip([member("readme.txt", b"hi")])), load_session,
         SessionError, "session.json or arrays.npz missing"),
]

ARCHIVE_CASES = [
    Case("zip/bomb-300MB-real", built(lambda: raw_zip([valid_members()[0], zeros_member("arrays.npz", 300 * MiB)])),
         load_session, SessionError, "arrays.npz"),
    Case("zip/bomb-3GB-declared", built(lambda: raw_zip([valid_members()[0],
                                                          lie(zeros_member("arrays.npz", MiB), size=3 * 2**30)])),
         load_session, SessionError, "arrays.npz"),
    Case("zip/many-members-declared-total", built(lambda: raw_zip(
        valid_members() + [lie(member(f"pad{k}", b""), size=200 * MiB) for k in range(3)])),
         load_session, SessionError, "zip bomb"),
    Case("zip/size-lie-small", built(lambda: raw_zip([valid_members()[0],
                                                      lie(zeros_member("arrays.npz", 64 * MiB), size=1000)])),
         load_session, SessionError, "arrays.npz"),
    Case("zip/crc-mismatch", built(lambda: raw_zip([lie(valid_members()[0], crc=1), valid_members()[1]])),
         load_session, SessionError, "session.json"),
    Case("zip/encrypted", built(lambda: raw_zip([lie(valid_members()[0], flags=1), valid_members()[1]])),
         load_session, SessionError, "encrypted"),
    Case("zip/method-99", built(lambda: raw_zip([lie(valid_members()[0], method=99), valid_members()[1]])),
         load_session, SessionError, "compression method 99"),
    Case("zip/bzip2", built(lambda: _bzip2_session()), load_session, SessionError, "compression method 12"),
    Case("zip/traversal", built(lambda: raw_zip(valid_members() + [member("../../evil.sh", b"rm")])),
         load_session, SessionError, "unsafe member name"),
    Case("zip/absolute", built(lambda: raw_zip(valid_members() + [member("/etc/passwd", b"x")])),
         load_session, SessionError, "unsafe member name"),
    Case("zip/duplicate", built(lambda: raw_zip(valid_members() + [valid_members()[0]])),
         load_session, SessionError, "two members"),
    Case("zip/entries-declared-60000", built(lambda: raw_zip(valid_members(), entries=60_000)),
         load_session, SessionError, "members"),
    Case("zip/directory-declared-4GB", built(lambda: raw_zip(valid_members(), directory_size=2**32 - 1)),
         load_session, SessionError, "directory"),
    Case("zip/zip64-locator", built(lambda: raw_zip(valid_members(), zip64_locator=True)),
         load_session, SessionError, "zip64"),
    Case("npz/bomb-300MB-real", built(with_arrays(lambda arr: [zeros_member("layers/0/W.npy", 300 * MiB)])),
         load_session, SessionError, "arrays.npz"),
    Case("npz/traversal", built(with_arrays(lambda arr: [member("../layers/0/W.npy", npy(arr["layers/0/W"]))])),
         load_session, SessionError, "unsafe member name"),
    Case("npz/not-npy", built(with_arrays(lambda arr: [member("notes.txt", b"hello")])),
         load_session, SessionError, "arrays.npz/notes.txt"),
    Case("npz/encrypted", built(with_arrays(lambda arr: [lie(member("perm.npy", npy(arr["perm"])), flags=1)])),
         load_session, SessionError, "encrypted"),
    Case("npy/8TiB-header", spoil(arrays={"layers/0/W": npy_header("<f8", (2**20, 2**20))}),
         load_session, SessionError, "arrays.npz/layers/0/W.npy"),
    Case("npy/2GiB-header-6kB-file", spoil(arrays={"perm": npy_header("<i8", (2**28,), bytes(6000))}),
         load_session, SessionError, "arrays.npz/perm.npy"),
    Case("npy/data-shorter-than-header", spoil(arrays={"layers/0/b": npy_header("<f8", (6,), bytes(8))}),
         load_session, SessionError, "arrays.npz/layers/0/b.npy"),
    Case("npy/negative-shape", spoil(arrays={"layers/0/b": npy_header("<f8", (-6,))}),
         load_session, SessionError, "arrays.npz/layers/0/b.npy"),
    Case("npy/bad-magic", spoil(arrays={"layers/0/b": b"\x93NUMPX\x01\x00" + bytes(100)}),
         load_session, SessionError, "arrays.npz/layers/0/b.npy"),
    Case("npy/header-too-long", spoil(arrays={"layers/0/b": b"\x93NUMPY\x02\x00" + struct.pack("<L", 10**6)
                                              + b"{" + b" " * 100_000}),
         load_session, SessionError, "arrays.npz/layers/0/b.npy"),
    Case("npy/version-3", spoil(arrays={"layers/0/b": b"\x93NUMPY\x03\x00" + bytes(200)}),
         load_session, SessionError, "arrays.npz/layers/0/b.npy"),
    Case("npy/pickled-object", spoil(arrays={"perm": np.array([{"evil": 1}], dtype=object)}),
         load_session, SessionError, "arrays.npz/perm.npy"),
]


def _bzip2_session() -> bytes:
    doc, arr = base()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_BZIP2) as z:
        z.writestr("session.json", json.dumps(doc))
        z.writestr("arrays.npz", npz(arr))
    return buffer.getvalue()


def doc_bytes(text: bytes):
    return built(lambda: session_bytes(text, base()[1]))


DOCUMENT_CASES = [
    Case("json/deep-100000", doc_bytes(deep_json(100_000).encode()), load_session, SessionError, "nested"),
    Case("json/deep-in-config", spoil(document={"config": json.loads(deep_json(200))}), load_session,
         SessionError, "nested"),
    Case("json/not-utf8", doc_bytes(b'{"format": "\xff\xfe"}'), load_session, SessionError, "UTF-8"),
    Case("json/not-json", doc_bytes(b"{format: nnviz"), load_session, SessionError, "not valid JSON"),
    Case("json/a-list", doc_bytes(b"[1, 2]"), load_session, SessionError, "format field missing"),
    Case("json/integer-5000-digits", doc_bytes(b'{"format": "nnviz-session", "version": ' + b"9" * 5000 + b"}"),
         load_session, SessionError, "session.json"),
    Case("json/version-string", spoil(document={"version": "1"}), load_session, SessionError, "version"),
    Case("json/version-true", spoil(document={"version": True}), load_session, SessionError, "version"),
    Case("json/version-99", spoil(document={"version": 99}), load_session, SessionError, "version 99"),
    Case("json/config-bad-field", spoil(document={"config": {"training": {"batch_size": 0}}}), load_session,
         SessionError, "config.training.batch_size"),
    Case("json/config-missing", spoil(document={"config": None}), load_session, SessionError, "config"),
    Case("json/state-missing", spoil(document={"state": None}), load_session, SessionError, "session.json: state"),
    Case("json/meta-a-list", spoil(document={"meta": [1]}), load_session, SessionError, "meta"),
    Case("json/meta-title-number", spoil(document={"meta": {"title": 5}}), load_session, SessionError,
         "meta.title"),
]

SCALAR_CASES = [Case(f"state/{key}={value!r:.30}", spoil(state={key: value}), load_session, SessionError,
                     f"state.{key}") for key, value in [
    ("steps_done", "11"), ("steps_done", None), ("steps_done", -1), ("steps_done", True), ("steps_done", 3.5),
    ("steps_done", 10**20), ("epoch", -1), ("epoch", 12), ("epoch", "0"), ("pos", "x"), ("pos", 10**9),
    ("batch_size", 0), ("batch_size", None), ("l1", -0.1), ("l1", float("inf")), ("l2", float("nan")),
    ("l2", "0"), ("has_perm", "yes"), ("layers", [["W", "b"]]), ("layers", None),
    ("shuffle_rng", {"bit_generator": "MT19937"}), ("shuffle_rng", None),
    ("dropout_rng", {"bit_generator": "PCG64", "state": {"state": 2**200, "inc": 1}, "has_uint32": 0,
                     "uinteger": 0}),
    ("optimizer", None), ("optimizer", {"iterations": 0}),
]] + [Case(f"optimizer/{key}={value!r:.30}", spoil(kind, optimizer={key: value}), load_session, SessionError,
           f"state.optimizer{'.' + key if key != 'extra' else ''}") for kind, key, value in [
    ("adam", "learning_rate", -0.01), ("adam", "learning_rate", float("nan")), ("adam", "learning_rate", "0.1"),
    ("adam", "learning_rate", 0), ("adam", "iterations", -1), ("adam", "iterations", 1.5),
    ("adam", "m", 3), ("adam", "v", None), ("adam", "extra", 1),
    ("sgd", "momentum", 1.5), ("sgd", "momentum", -0.5), ("sgd", "velocities", "all"),
]] + [
    Case("state/pos-without-perm", spoil(state={"has_perm": False, "pos": 3}, arrays={"perm": None}),
         load_session, SessionError, "state.pos"),
    # version 2: the epoch's order as the generator state it was drawn from
    Case("v2/epoch_rng-missing", spoil(state={"epoch_rng": None}, version=2), load_session, SessionError,
         "state.epoch_rng"),
    Case("v2/epoch_rng-MT19937", spoil(state={"epoch_rng": {"bit_generator": "MT19937"}}, version=2),
         load_session, SessionError, "state.epoch_rng"),
    Case("v2/epoch_rng-beside-perm", spoil(state={"has_perm": True}, arrays={"perm": np.arange(31)}, version=2),
         load_session, SessionError, "state.epoch_rng"),
    Case("v2/n_train-zero", spoil(state={"n_train": 0}, version=2), load_session, SessionError, "state.n_train"),
    Case("v2/n_train-missing", spoil(state={"n_train": None}, version=2), load_session, SessionError,
         "state.n_train"),
    Case("v2/pos-beyond-the-training-set", spoil(state={"pos": 32}, version=2), load_session, SessionError,
         "state.pos"),
    Case("v2/n_train-of-another-training-set", spoil(state={"n_train": 7, "pos": 0}, version=2), restored,
         SessionError, "state.n_train"),
    Case("v2/version-3", spoil(document={"version": 3}, version=2), load_session, SessionError, "version 3"),
]


def _cast(key, dtype):
    return lambda arr: arr[key].astype(dtype)


ARRAY_CASES = [Case(f"array/W-{dtype}", spoil(arrays={"layers/0/W": _cast("layers/0/W", dtype)}), load_session,
                    SessionError, "arrays.npz/layers/0/W.npy") for dtype in
               ["int8", "bool", "complex128", "<U3", ">f8", "float32", "float16"]] + [
    Case("array/W-wrong-units", spoil(arrays={"layers/0/W": np.zeros((5, 2))}), load_session, SessionError,
         "arrays.npz/layers/0/W.npy"),
    Case("array/W-3d", spoil(arrays={"layers/0/W": np.zeros((6, 2, 1))}), load_session, SessionError,
         "arrays.npz/layers/0/W.npy"),
    Case("array/b-wrong-length", spoil(arrays={"layers/0/b": np.zeros(7)}), load_session, SessionError,
         "arrays.npz/layers/0/b.npy"),
    Case("array/chain-mismatch", spoil(arrays={"layers/3/W": np.zeros((3, 5))}), load_session, SessionError,
         "arrays.npz/layers/3/W.npy"),
    Case("array/bn-width", spoil(arrays={"layers/1/gamma": np.ones(5)}), load_session, SessionError,
         "arrays.npz/layers/1/gamma.npy"),
    Case("array/missing-b", spoil(arrays={"layers/0/b": None}), load_session, SessionError,
         "arrays.npz/layers/0/b.npy"),
    Case("array/unexpected", spoil(arrays={"layers/2/W": np.zeros((2, 2))}), load_session, SessionError,
         "arrays.npz/layers/2/W.npy"),
    Case("array/W-nan", spoil(arrays={"layers/0/W": lambda arr: np.full_like(arr["layers/0/W"], np.nan)}),
         load_session, SessionError, "arrays.npz/layers/0/W.npy"),
    Case("array/moving-var-negative", spoil(arrays={"layers/1/moving_var": -np.ones(6)}), load_session,
         SessionError, "arrays.npz/layers/1/moving_var.npy"),
    Case("array/adam-v-negative", spoil(arrays={"optimizer/v/0": lambda arr: -1 - arr["optimizer/v/0"]}),
         load_session, SessionError, "arrays.npz/optimizer/v/0.npy"),
    Case("array/slot-wrong-shape", spoil(arrays={"optimizer/m/1": np.zeros(5)}), load_session, SessionError,
         "arrays.npz/optimizer/m/1.npy"),
    Case("array/slot-missing", spoil(arrays={"optimizer/m/2": None}), load_session, SessionError,
         "arrays.npz/optimizer/m/2.npy"),
    Case("array/perm-duplicates", spoil(arrays={"perm": lambda arr: np.zeros_like(arr["perm"])}), load_session,
         SessionError, "arrays.npz/perm.npy"),
    Case("array/perm-float", spoil(arrays={"perm": _cast("perm", "float64")}), load_session, SessionError,
         "arrays.npz/perm.npy"),
    Case("array/perm-2d", spoil(arrays={"perm": lambda arr: arr["perm"].reshape(-1, 1)}), load_session,
         SessionError, "arrays.npz/perm.npy"),
    Case("array/perm-missing", spoil(arrays={"perm": None}), load_session, SessionError, "arrays.npz/perm.npy"),
    Case("array/perm-of-another-training-set", spoil(arrays={"perm": np.arange(7)}, state={"pos": 0}),
         restored, SessionError, "arrays.npz/perm.npy"),
    Case("array/pos-beyond-perm", spoil(state={"pos": 31}), load_session, SessionError, "state.pos"),
    Case("history/different-lengths", spoil(arrays={"history/train_loss": np.ones(9)}), load_session,
         SessionError, "arrays.npz/history/"),
    Case("history/strings", spoil(arrays={"history/step": np.array(["a", "b"])}), load_session, SessionError,
         "arrays.npz/history/step.npy"),
    Case("history/3d", spoil(arrays={"history/step": np.zeros((4, 1, 1))}), load_session, SessionError,
         "arrays.npz/history/step.npy"),
    Case("history/int8", spoil(arrays={"history/step": np.zeros(4, dtype=np.int8)}), load_session, SessionError,
         "arrays.npz/history/step.npy"),
]


# -- lessons and configurations --------------------------------------------------------
def _steps_lesson(n):
    config = {"data": {"dataset": "circle"}}
    return json.dumps({"title": "t", "text": "x", "config": config, "steps": [{"text": "s"}] * n})


LESSON_CASES = [
    Case("lesson/fifo", fifo("l.json"), load_lesson, ConfigError, "pipe (FIFO)"),
    Case("lesson/dev-zero", link_to("/dev/zero", "zero.json"), load_lesson, ConfigError, "a device"),
    Case("lesson/folder", folder_named("d.json"), load_lesson, ConfigError, "a folder"),
    Case("lesson/sparse-6MB", sparse("big.json", 6 * MiB), load_lesson, ConfigError, "too large"),
    Case("lesson/deep-100000", text_file("deep.json", deep_json(100_000)), load_lesson, ConfigError, "nested"),
    Case("lesson/deep-objects", text_file("deep.json", '{"a":' * 5000 + "1" + "}" * 5000), load_lesson,
         ConfigError, "nested"),
    Case("lesson/100000-steps", text_file("steps.json", _steps_lesson(100_000)), load_lesson, ConfigError,
         "steps"),
    Case("lesson/not-utf8", text_file("latin.json", '{"title": "caf\xe9"}', "latin-1"), load_lesson, ConfigError,
         "UTF-8"),
    Case("lesson/integer-5000-digits", text_file("int.json", '{"data": {"n": ' + "9" * 5000 + "}}"), load_lesson,
         ConfigError, "JSON"),
]


# -- IDX / MNIST ----------------------------------------------------------------------
def idx_bytes(array, type_code=0x08) -> bytes:
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype({0x08: ">u1", 0x0D: ">f4", 0x0E: ">f8"}[type_code]).tobytes()


def mnist_folder(folder: Path, train=(20, 8, 8), test=(5, 8, 8), labels=None, images_type=0x08,
                 train_images: bytes | None = None, label_type=0x08):
    """An MNIST-style folder (uncompressed); returns its path."""
    rng = np.random.default_rng(0)
    for prefix, shape in (("train", train), ("t10k", test)):
        images = rng.integers(0, 256, shape)
        data = idx_bytes(images.astype(np.float64) if images_type != 0x08 else images, images_type)
        (folder / f"{prefix}-images-idx3-ubyte").write_bytes(data)
        y = (np.arange(shape[0]) % 10) if labels is None else np.resize(labels, shape[0])
        (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(idx_bytes(np.asarray(y), label_type))
    if train_images is not None:
        (folder / "train-images-idx3-ubyte").write_bytes(train_images)
    return str(folder)


def mnist_with(**changes):
    return lambda folder: mnist_folder(folder, **changes)


def float_images(value):
    images = np.zeros((20, 8, 8))
    images[3, 4, 4] = value
    return idx_bytes(images, 0x0E)


def idx_file(name, data_fn):
    return lambda folder: write(folder, name, data_fn())


def _gzip_bomb(header: bytes):
    """A gzip stream of ``header`` then 201 MiB of zeros (a few hundred kB)."""
    c = zlib.compressobj(1, zlib.DEFLATED, 31)  # 31: the gzip container
    return c.compress(header) + b"".join(c.compress(bytes(MiB)) for _ in range(201)) + c.flush()


def _corrupt_gzip():
    data = bytearray(gzip.compress(idx_bytes(np.arange(4000, dtype=np.uint8).reshape(4000, 1) % 7)))
    data[30:60] = bytes(range(30))
    return bytes(data)


IDX_CASES = [
    Case("idx/corrupt-gzip", idx_file("c.gz", _corrupt_gzip), read_idx, DataFileError, "c.gz"),
    Case("idx/truncated-gzip", idx_file("t.gz", lambda: gzip.compress(idx_bytes(np.zeros((50, 8, 8))))[:-20]),
         read_idx, DataFileError, "truncated"),
    Case("idx/gzip-bomb-declared-201MB", idx_file("bomb.gz", lambda: _gzip_bomb(
        bytes([0, 0, 8, 1]) + (201 * MiB).to_bytes(4, "big"))), read_idx, DataFileError, "more than 200 MB"),
    Case("idx/gzip-bomb-declared-small", idx_file("bomb.gz", lambda: _gzip_bomb(
        bytes([0, 0, 8, 1, 0, 0, 0, 5]) + bytes(5))), read_idx, DataFileError, "declares shape (5,)"),
    Case("idx/gzip-bomb-no-header", idx_file("bomb.gz", lambda: _gzip_bomb(b"")), read_idx, DataFileError,
         "not an IDX file"),
    Case("idx/255-dimensions", idx_file("dims", lambda: bytes([0, 0, 8, 255]) + bytes(1020)), read_idx,
         DataFileError, "255 dimensions"),
    Case("idx/overflowing-shape", idx_file("big", lambda: bytes([0, 0, 8, 3]) + b"\xff" * 12 + bytes(10)),
         read_idx, DataFileError, "declares shape"),
    Case("idx/fifo", fifo("pipe-idx"), read_idx, DataFileError, "pipe (FIFO)"),
    Case("idx/dev-zero", link_to("/dev/zero", "zero-idx"), read_idx, DataFileError, "a device"),
    Case("idx/sparse-250MB", sparse("huge-idx", 250 * MiB), read_idx, DataFileError, "too large"),
    Case("mnist/zero-images", mnist_with(train=(0, 8, 8)), load_mnist_folder, DataFileError,
         "train-images-idx3-ubyte: holds no images"),
    Case("mnist/test-size-differs", mnist_with(test=(5, 9, 9)), load_mnist_folder, DataFileError,
         "t10k-images-idx3-ubyte: images of 9 × 9"),
    Case("mnist/labels-10-and-up", mnist_with(labels=[3, 10, 255]), load_mnist_folder, DataFileError,
         "train-labels-idx1-ubyte: labels"),
    Case("mnist/non-square-24x23", mnist_with(train=(20, 24, 23), test=(5, 24, 23)), load_mnist_folder,
         DataFileError, "24 × 23"),
    Case("mnist/nan-images", mnist_with(train_images=float_images(np.nan)), load_mnist_folder, DataFileError,
         "train-images-idx3-ubyte: holds NaN"),
    Case("mnist/inf-images", mnist_with(train_images=float_images(np.inf)), load_mnist_folder, DataFileError,
         "train-images-idx3-ubyte: holds NaN or ±inf"),
    Case("mnist/float-labels", mnist_with(label_type=0x0D), load_mnist_folder, DataFileError,
         "train-labels-idx1-ubyte: labels of type float32"),
    Case("mnist/images-1d", mnist_with(train_images=idx_bytes(np.zeros(20, dtype=np.uint8))), load_mnist_folder,
         DataFileError, "3 dimensions"),
]


# -- CSV --------------------------------------------------------------------------------
def read_csv(path):
    return load_csv(path, ["a", "b"], "y")


def csv_case(name, text, names, encoding="utf-8"):
    return Case(f"csv/{name}", text_file(f"{name}.csv", text, encoding), read_csv, DataFileError, names)


ROWS = "".join(f"{k},{k % 3},{k % 2}\n" for k in range(6))
CSV_CASES = [
    csv_case("field-over-131072", "a,b,y\n" + ROWS + "1,2," + "x" * 140_000 + "\n", "row 8"),
    csv_case("unclosed-quote", "a,b,y\n1,2,0\n3,\"4,1\n" + ROWS * 30_000, "row 3"),
    csv_case("duplicate-columns", "a,b,y,a\n" + ROWS.replace("\n", ",9\n"), "both named 'a'"),
    csv_case("nul-byte", "a,b,y\n1,2,0\n3,\x004,1\n" + ROWS, "row 3"),
    csv_case("not-utf8", "a,b,y\n1,2,caf\xe9\n" + ROWS, "UTF-8", "latin-1"),
    csv_case("1001-classes", "a,b,y\n" + "".join(f"{k},{k},id{k}\n" for k in range(1100)), "distinct labels"),
    csv_case("10001-columns", ",".join(f"c{k}" for k in range(10_001)) + "\n" + ROWS, "columns"),
    Case("csv/fifo", fifo("pipe.csv"), read_csv, DataFileError, "pipe (FIFO)"),
    Case("csv/dev-zero", link_to("/dev/zero", "zero.csv"), read_csv, DataFileError, "a device"),
    Case("csv/folder", folder_named("dir.csv"), read_csv, DataFileError, "a folder"),
]

CASES = (SESSION_FILE_CASES + ARCHIVE_CASES + DOCUMENT_CASES + SCALAR_CASES + ARRAY_CASES + LESSON_CASES
         + IDX_CASES + CSV_CASES)
BY_NAME = {case.name: case for case in CASES}
assert len(BY_NAME) == len(CASES), "case names must be unique"


def check(case: Case, folder: Path) -> str:
    """Run one case; '' when it was refused as required, else what happened."""
    path = case.build(folder)
    try:
        case.read(path)
    except case.error as err:
        return "" if case.names in str(err) else f"the message lacks {case.names!r}: {err}"
    except Exception as err:  # noqa: BLE001 - reporting exactly what escaped is the point
        return f"{type(err).__name__} escaped: {str(err)[:300]}"
    return "accepted"
