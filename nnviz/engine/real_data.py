"""Real data: the bundled 8×8 digits, MNIST's IDX files, and the learner's own CSV.

Every reader checks what it reads and raises DataFileError naming the file and, for
CSV, the row and the column. Files are read through ``files.read_bounded`` (regular
files only, at most a fixed size) and decompressed to at most a fixed size; nothing
here unpickles or evaluates anything.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import os
import re
import zlib
from array import array

import numpy as np

from ..files import read_bounded
from ..paths import resource_files
from .errors import InputError

IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MAX_IDX_BYTES = 200 * 2**20  # MNIST's largest file is 47 MB uncompressed
MAX_IDX_DIMS = 4  # images have 3, labels 1
MAX_IMAGE_SIDE = 128  # 16,384 inputs; MNIST's are 28 × 28
MNIST_CLASSES = 10
MNIST_STEMS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
               "t10k-labels-idx1-ubyte")
MAX_CSV_BYTES = 200 * 2**20  # a larger table is refused before it is read
MAX_CSV_ROWS = 1_000_000
MAX_CSV_COLUMNS = 10_000
MAX_CSV_VALUES = 20_000_000  # rows × feature columns: 160 MB of float64
MAX_CLASSES = 1_000  # more distinct labels is an identifier column, not classes


class DataFileError(InputError):
    """A data file cannot be used; the message names the file (and row/column)."""


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The bundled 8×8 digits: X (1797, 64) pixels scaled to [0, 1], y (1797,) digits."""
    with resource_files().joinpath("data/digits.csv.gz").open("rb") as raw:
        with gzip.open(raw, "rt") as f:
            table = np.loadtxt(f, delimiter=",")
    return table[:, :64] / 16.0, table[:, 64].astype(np.int64)


def _read_file(path: str, limit: int, what: str) -> bytes:
    try:
        return read_bounded(path, limit, what)
    except InputError as err:
        raise DataFileError(f"{path}: {err.problem}") from None


# -- IDX ---------------------------------------------------------------------------------
def read_idx(path: str) -> np.ndarray:
    """An IDX file (gzipped or not) as an array of its declared type and shape."""
    data = _read_bytes(path)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in IDX_TYPES:
        head = data[:4].hex() if data else "nothing"
        raise DataFileError(f"{path}: not an IDX file (the first 4 bytes are {head}, expected 00 00 <type> <dims>)")
    dtype, ndim = np.dtype(IDX_TYPES[data[2]]), data[3]
    if not 1 <= ndim <= MAX_IDX_DIMS:
        raise DataFileError(f"{path}: the header declares {ndim} dimensions; an IDX file here has 1 to {MAX_IDX_DIMS}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataFileError(f"{path}: truncated IDX header ({len(data)} bytes, {ndim} dimensions declared)")
    shape = tuple(int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(ndim))
    expected = math.prod(shape) * dtype.itemsize  # Python integers: no overflow
    if len(data) - header != expected:
        raise DataFileError(f"{path}: the header declares shape {shape} ({expected:,} bytes of data), "
                            f"the file has {len(data) - header:,} bytes after the header"
                            + (" — truncated?" if len(data) - header < expected else ""))
    values = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        raise DataFileError(f"{path}: holds NaN or ±inf values")
    return values


def _read_bytes(path: str) -> bytes:
    data = _read_file(path, MAX_IDX_BYTES, "an IDX file")
    if data[:2] != b"\x1f\x8b":  # not gzip
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as g:
            return _inflate_idx(g, path)
    except EOFError:
        raise DataFileError(f"{path}: the gzip stream is truncated") from None
    except (OSError, zlib.error) as err:
        raise DataFileError(f"{path}: a damaged gzip file ({err})") from None


def _inflate_idx(g, path: str) -> bytes:
    """The header, then only as many bytes as it declares (and one more, to notice a
    longer stream): a gzip bomb is never inflated beyond what its header says."""
    head = g.read(4)
    if len(head) < 4 or head[2] not in IDX_TYPES or not 1 <= head[3] <= MAX_IDX_DIMS:
        return head  # read_idx says what is wrong with it
    head += g.read(4 * head[3])
    if len(head) < 4 + 4 * head[3]:
        return head
    shape = [int.from_bytes(head[k:k + 4], "big") for k in range(4, len(head), 4)]
    size = len(head) + math.prod(shape) * np.dtype(IDX_TYPES[head[2]]).itemsize
    if size > MAX_IDX_BYTES:
        raise DataFileError(f"{path}: the header declares shape {tuple(shape)}, {size:,} bytes: more than "
                            f"{MAX_IDX_BYTES // 2**20} MB, too large for an IDX file here")
    return head + g.read(size - len(head) + 1)


def load_mnist(images_path: str, labels_path: str) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-style images (n, rows, cols) and labels (n,) → X (n, rows·cols) in [0, 1], y (n,)."""
    images, labels = read_idx(images_path), read_idx(labels_path)
    _check_images(images, images_path)
    if labels.ndim != 1:
        raise DataFileError(f"{labels_path}: expected labels of 1 dimension, got {labels.shape}")
    if len(images) != len(labels):
        raise DataFileError(f"{images_path} has {len(images):,} images but {labels_path} has {len(labels):,} labels")
    if labels.dtype.kind not in "iu":
        raise DataFileError(f"{labels_path}: labels of type {labels.dtype}; expected integers")
    if labels.min() < 0 or labels.max() >= MNIST_CLASSES:
        raise DataFileError(f"{labels_path}: labels {labels.min()}…{labels.max()}; MNIST's classes are "
                            f"0 to {MNIST_CLASSES - 1}")
    scale = 255.0 if images.dtype == np.uint8 else max(float(np.abs(images).max()), 1.0)
    return images.reshape(len(images), -1) / scale, labels.astype(np.int64)


def _check_images(images: np.ndarray, path: str) -> None:
    if images.ndim != 3:
        raise DataFileError(f"{path}: expected images of 3 dimensions (n, rows, columns), got {images.shape}")
    n, rows, cols = images.shape
    if n == 0:
        raise DataFileError(f"{path}: holds no images")
    if rows != cols or not 1 <= rows <= MAX_IMAGE_SIDE:
        raise DataFileError(f"{path}: images of {rows} × {cols} pixels; expected square images of at most "
                            f"{MAX_IMAGE_SIDE} × {MAX_IMAGE_SIDE}")


def find_mnist_files(folder: str) -> list[str]:
    """The four IDX files of an MNIST folder (each gzipped or not), in MNIST_STEMS' order.
    The .gz wins when both are there: it is what a download brings (and swaps in)."""
    found = []
    for stem in MNIST_STEMS:
        names = [os.path.join(folder, name) for name in (stem + ".gz", stem)]
        path = next((p for p in names if os.path.exists(p)), None)
        if path is None:
            raise DataFileError(f"{folder}: no {stem} or {stem}.gz there")
        found.append(path)
    return found


def load_mnist_folder(folder: str):
    """(X_train, y_train, X_test, y_test, (rows, columns)) from an MNIST folder; the
    test images must have the training images' size."""
    train_images, train_labels, test_images, test_labels = find_mnist_files(folder)
    X_train, y_train = load_mnist(train_images, train_labels)
    X_test, y_test = load_mnist(test_images, test_labels)
    if X_test.shape[1] != X_train.shape[1]:
        side, test_side = math.isqrt(X_train.shape[1]), math.isqrt(X_test.shape[1])
        raise DataFileError(f"{test_images}: images of {test_side} × {test_side} pixels, the training images "
                            f"({train_images}) are {side} × {side}")
    side = math.isqrt(X_train.shape[1])
    return X_train, y_train, X_test, y_test, (side, side)


# -- CSV ---------------------------------------------------------------------------------
def _table(path: str):
    """(header, records): records yields (row number as in a spreadsheet, cells) for
    every non-blank row, reading the text lazily from at most MAX_CSV_BYTES."""
    data = _read_file(path, MAX_CSV_BYTES, "a CSV file to import")
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    try:
        sample = text.read(4096)
        text.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
    except UnicodeDecodeError as err:
        raise DataFileError(f"{path}: cannot read it as UTF-8 text ({err.reason})") from None
    records = _records(csv.reader(text, dialect), path)
    first = next(records, None)
    if first is None:
        raise DataFileError(f"{path}: empty")
    return _header(first[1], path), records


def _records(reader, path: str):
    row = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if row > MAX_CSV_ROWS + 1:
                    raise DataFileError(f"{path}: more than {MAX_CSV_ROWS:,} data rows, too many to import")
                yield row, cells
                row += 1
    except csv.Error as err:  # e.g. a cell over the csv module's 131,072 characters
        raise DataFileError(f"{path}: row {row}: cannot be read as CSV ({err}; an unclosed quote?)") from None
    except UnicodeDecodeError as err:
        raise DataFileError(f"{path}: row {row}: not UTF-8 text ({err.reason})") from None


def _header(cells: list[str], path: str) -> list[str]:
    header = [cell.strip() for cell in cells]
    if len(header) > MAX_CSV_COLUMNS:
        raise DataFileError(f"{path}: {len(header):,} columns; at most {MAX_CSV_COLUMNS:,} can be imported")
    seen = {}
    for k, name in enumerate(header):
        if name in seen:
            raise DataFileError(f"{path}: row 1: columns {seen[name] + 1} and {k + 1} are both named {name!r}; "
                                "each column needs its own name")
        seen[name] = k
    return header


def read_csv_table(path: str, max_rows: int | None = None) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a CSV file with a header line (the first ``max_rows`` rows)."""
    header, records = _table(path)
    rows = []
    for _, cells in records:
        if max_rows is not None and len(rows) >= max_rows:
            break
        rows.append(cells)
    return header, rows


def load_csv(path: str, features: list[str], label: str, standardize: bool = True, min_rows: int = 4):
    """X (m, len(features)) floats, y (m,) class indices, and the class names.

    Errors name the row (as in a spreadsheet: the header is row 1) and the column.
    Numeric labels are compared as numbers: "1", "1.0" and "01" are one class, "1"."""
    header, records = _table(path)
    missing = [c for c in [*features, label] if c not in header]
    if missing:
        raise DataFileError(f"{path}: no column named {missing[0]!r} (columns: {', '.join(header)})")
    if not features:
        raise DataFileError(f"{path}: choose at least one feature column")
    columns, label_column = [header.index(c) for c in features], header.index(label)
    values, codes, names = array("d"), array("q"), {}
    for r, row in records:
        if len(row) < len(header):
            raise DataFileError(f"{path}: row {r} has {len(row)} cells, the header has {len(header)}")
        if len(values) + len(columns) > MAX_CSV_VALUES:
            raise DataFileError(f"{path}: more than {MAX_CSV_VALUES:,} values in the chosen columns, "
                                "too many to import")
        values.extend(_number(path, row[c], r, header[c]) for c in columns)
        codes.append(_class_code(path, row[label_column], r, label, names))
    if len(codes) < min_rows:
        raise DataFileError(f"{path}: {len(codes)} data rows; at least {min_rows} are needed")
    if len(names) < 2:
        raise DataFileError(f"{path}: column {label!r} has a single class ({next(iter(names))!r}); "
                            "at least two are needed")
    X = np.frombuffer(values, dtype=np.float64).reshape(len(codes), len(columns)).copy()
    if standardize:
        std = X.std(axis=0)
        X = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    classes = sorted(names, key=_natural)
    order = np.array([classes.index(name) for name in names], dtype=np.int64)  # first-seen → sorted
    return X, order[np.frombuffer(codes, dtype=np.int64)], classes


def _class_code(path, cell, row, column, names: dict) -> int:
    """The class index of a label cell (first seen, first numbered)."""
    name = label_name(cell.strip())
    if not name:
        raise DataFileError(f"{path}: row {row}, column {column!r}: missing label")
    if name not in names:
        if len(names) >= MAX_CLASSES:
            raise DataFileError(f"{path}: column {column!r} has more than {MAX_CLASSES:,} distinct labels "
                                f"(row {row}); it looks like an identifier, not classes")
        names[name] = len(names)
    return names[name]


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def label_name(text: str) -> str:
    """A label as a class name: a number in its plain form ("01", "1.0", "1e0" → "1";
    "0.50" → "0.5"), any other text as it is."""
    if not _DECIMAL.fullmatch(text):
        return text
    if "." not in text and "e" not in text.lower() and len(text) <= 30:
        return str(int(text))  # exact, however many digits a float would lose
    value = float(text)
    if not math.isfinite(value):
        return text
    return str(int(value)) if value.is_integer() else repr(value)


def _number(path, cell, row, column) -> float:
    text = cell.strip()
    if not text:
        raise DataFileError(f"{path}: row {row}, column {column!r}: missing value")
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(f"{path}: row {row}, column {column!r}: {text[:40]!r} is not a number") from None
    if not np.isfinite(value):
        raise DataFileError(f"{path}: row {row}, column {column!r}: {text!r} is not a finite number")
    return value


def _natural(value: str):
    """Numbers in numeric order, text after them in text order."""
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value)
