"""Real data: the bundled 8×8 digits, MNIST's IDX files, and the learner's own CSV.

Every reader checks what it reads and raises DataFileError naming the file and, for
CSV, the row and the column. Nothing here unpickles or evaluates anything.
"""

from __future__ import annotations

import csv
import gzip
from importlib import resources

import numpy as np

from .errors import InputError

IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MAX_IDX_BYTES = 200 * 2**20  # MNIST's largest file is 47 MB uncompressed
MAX_CSV_BYTES = 200 * 2**20  # a larger table is refused before it is read


class DataFileError(InputError):
    """A data file cannot be used; the message names the file (and row/column)."""


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The bundled 8×8 digits: X (1797, 64) pixels scaled to [0, 1], y (1797,) digits."""
    with resources.files("nnviz.resources").joinpath("data/digits.csv.gz").open("rb") as raw:
        with gzip.open(raw, "rt") as f:
            table = np.loadtxt(f, delimiter=",")
    return table[:, :64] / 16.0, table[:, 64].astype(np.int64)


# -- IDX ---------------------------------------------------------------------------------
def read_idx(path: str) -> np.ndarray:
    """An IDX file (gzipped or not) as an array of its declared type and shape."""
    data = _read_bytes(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in IDX_TYPES:
        head = data[:4].hex() if data else "nothing"
        raise DataFileError(f"{path}: not an IDX file (the first 4 bytes are {head}, expected 00 00 <type> <dims>)")
    dtype, ndim = np.dtype(IDX_TYPES[data[2]]), data[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(data) < header:
        raise DataFileError(f"{path}: truncated IDX header ({len(data)} bytes, {ndim} dimensions declared)")
    shape = tuple(int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(ndim))
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(data) - header != expected:
        raise DataFileError(f"{path}: the header declares shape {shape} ({expected:,} bytes of data), "
                            f"the file has {len(data) - header:,} bytes after the header"
                            + (" — truncated?" if len(data) - header < expected else ""))
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            start = f.read(2)
            f.seek(0)
            if start == b"\x1f\x8b":  # gzip
                with gzip.open(f) as g:
                    data = g.read(MAX_IDX_BYTES + 1)
            else:
                data = f.read(MAX_IDX_BYTES + 1)
    except OSError as err:
        raise DataFileError(f"{path}: cannot read it ({getattr(err, 'strerror', None) or err})") from None
    except EOFError:
        raise DataFileError(f"{path}: the gzip stream is truncated") from None
    if len(data) > MAX_IDX_BYTES:
        raise DataFileError(f"{path}: larger than {MAX_IDX_BYTES // 2**20} MB, too large for an IDX file here")
    return data


def load_mnist(images_path: str, labels_path: str) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-style images (n, rows, cols) and labels (n,) → X (n, rows·cols) in [0, 1], y (n,)."""
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3:
        raise DataFileError(f"{images_path}: expected images of 3 dimensions (n, rows, columns), got {images.shape}")
    if labels.ndim != 1:
        raise DataFileError(f"{labels_path}: expected labels of 1 dimension, got {labels.shape}")
    if len(images) != len(labels):
        raise DataFileError(f"{images_path} has {len(images):,} images but {labels_path} has {len(labels):,} labels")
    if labels.size and (labels.min() < 0 or labels.max() > 255):
        raise DataFileError(f"{labels_path}: labels out of range ({labels.min()}…{labels.max()})")
    scale = 255.0 if images.dtype == np.uint8 else max(float(np.abs(images).max()), 1.0)
    return images.reshape(len(images), -1) / scale, labels.astype(np.int64)


# -- CSV ---------------------------------------------------------------------------------
def read_csv_table(path: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a CSV file with a header line."""
    import os

    try:
        if os.path.getsize(path) > MAX_CSV_BYTES:
            raise DataFileError(f"{path}: larger than {MAX_CSV_BYTES // 2**20} MB, too large to import")
    except OSError as err:
        raise DataFileError(f"{path}: cannot read it ({err.strerror})") from None
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            sample = f.read(4096)
            f.seek(0)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            rows = list(csv.reader(f, dialect))
    except (OSError, UnicodeDecodeError) as err:
        raise DataFileError(f"{path}: cannot read it as text ({err})") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise DataFileError(f"{path}: empty")
    return [h.strip() for h in rows[0]], rows[1:]


def load_csv(path: str, features: list[str], label: str, standardize: bool = True, min_rows: int = 4):
    """X (m, len(features)) floats, y (m,) class indices, and the class names.

    Errors name the row (as in a spreadsheet: the header is row 1) and the column."""
    header, rows = read_csv_table(path)
    missing = [c for c in [*features, label] if c not in header]
    if missing:
        raise DataFileError(f"{path}: no column named {missing[0]!r} (columns: {', '.join(header)})")
    if not features:
        raise DataFileError(f"{path}: choose at least one feature column")
    if len(rows) < min_rows:
        raise DataFileError(f"{path}: {len(rows)} data rows; at least {min_rows} are needed")
    columns = [header.index(c) for c in features]
    X = np.empty((len(rows), len(columns)))
    labels = []
    for r, row in enumerate(rows, start=2):
        if len(row) < len(header):
            raise DataFileError(f"{path}: row {r} has {len(row)} cells, the header has {len(header)}")
        for k, c in enumerate(columns):
            X[r - 2, k] = _number(path, row[c], r, header[c])
        value = row[header.index(label)].strip()
        if not value:
            raise DataFileError(f"{path}: row {r}, column {label!r}: missing label")
        labels.append(value)
    classes = sorted(set(labels), key=_natural)
    if len(classes) < 2:
        raise DataFileError(f"{path}: column {label!r} has a single class ({classes[0]!r}); at least two are needed")
    if standardize:
        std = X.std(axis=0)
        X = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    index = {name: i for i, name in enumerate(classes)}
    return X, np.array([index[v] for v in labels], dtype=np.int64), classes


def _number(path, cell, row, column) -> float:
    text = cell.strip()
    if not text:
        raise DataFileError(f"{path}: row {row}, column {column!r}: missing value")
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(f"{path}: row {row}, column {column!r}: {text!r} is not a number") from None
    if not np.isfinite(value):
        raise DataFileError(f"{path}: row {row}, column {column!r}: {text!r} is not a finite number")
    return value


def _natural(value: str):
    """Numbers in numeric order, text after them in text order."""
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value)
