"""Reading zip and .npz archives someone else made, in bounded memory.

Every limit is checked against what the archive *declares* before anything is
inflated: the member count and central-directory size (from the end record, before
``zipfile`` builds its list), every member's uncompressed size (from the central
directory), every array's dtype, shape and element count (from its ``.npy`` header).
Reading then never produces more than was declared: ``zipfile`` stops at the
declared size and checks the CRC. Encrypted members, compression methods other than
stored/deflate, unsafe or repeated member names and pickled arrays are refused.

Every refusal is an ``InputError`` whose ``field`` names the member.
"""

from __future__ import annotations

import io
import math
import struct
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np

from .errors import InputError

# The end-of-central-directory record (APPNOTE 4.3.16) and the zip64 locator (4.3.15).
_END = struct.Struct("<4s4H2LH")
_END_SIGNATURE, _ZIP64_LOCATOR = b"PK\x05\x06", b"PK\x06\x07"
_MAX_COMMENT = 0xFFFF
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
MAX_NPY_HEADER = 10_000  # numpy's own default for a header it reads safely


@dataclass(frozen=True)
class Limits:
    members: int = 1_000  # entries in the central directory
    directory_bytes: int = 1 << 20  # size of the central directory
    total_bytes: int = 256 << 20  # uncompressed bytes over all members
    member_bytes: int = 256 << 20  # uncompressed bytes of one member
    array_elements: int = 1 << 24  # elements of one .npy array (128 MB of float64)


class ArchiveError(InputError):
    """An archive (or one of its members, named in ``field``) cannot be read."""


def _end_record(f, source) -> tuple[int, int]:
    """(members, central-directory bytes) from the end record, found as zipfile finds it."""
    size = f.seek(0, io.SEEK_END)
    tail_start = max(0, size - _END.size - _MAX_COMMENT)
    f.seek(tail_start)
    tail = f.read()
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END.size:
        raise ArchiveError("not a zip archive (no end record)", source)
    _, _, _, _, members, directory_bytes, _, _ = _END.unpack_from(tail, at)
    record = tail_start + at
    if record >= 20:  # zipfile would take the zip64 record's counts instead
        f.seek(record - 20)
        if f.read(4) == _ZIP64_LOCATOR:
            raise ArchiveError("a zip64 archive; nnviz's archives are never that large", source)
    f.seek(0)
    return members, directory_bytes


def _check_name(name: str, seen: set, source) -> None:
    parts = name.replace("\\", "/").split("/")
    if not name or name.startswith(("/", "\\")) or ".." in parts or "" in parts or "\x00" in name \
            or (len(parts[0]) == 2 and parts[0][1] == ":"):
        raise ArchiveError("unsafe member name (absolute, empty or with ..)", source, repr(name))
    if name in seen:
        raise ArchiveError("the archive holds two members of this name", source, name)
    seen.add(name)


def _check_member(info: zipfile.ZipInfo, limits: Limits, source) -> None:
    if info.flag_bits & 0x1:
        raise ArchiveError("encrypted; nnviz reads no encrypted members", source, info.filename)
    if info.compress_type not in _METHODS:
        raise ArchiveError(f"compression method {info.compress_type} is not supported "
                           "(only stored and deflate)", source, info.filename)
    if info.file_size > limits.member_bytes:
        raise ArchiveError(f"declares {info.file_size:,} bytes uncompressed, more than "
                           f"{limits.member_bytes:,}", source, info.filename)


def open_zip(f, source: str, limits: Limits = Limits()) -> zipfile.ZipFile:
    """A ZipFile over the seekable binary file ``f`` whose declared contents are
    within ``limits`` (ArchiveError otherwise, naming the member)."""
    members, directory_bytes = _end_record(f, source)
    if members > limits.members:
        raise ArchiveError(f"declares {members:,} members; at most {limits.members:,} are allowed", source)
    if directory_bytes > limits.directory_bytes:
        raise ArchiveError(f"declares a directory of {directory_bytes:,} bytes; at most "
                           f"{limits.directory_bytes:,} are allowed", source)
    try:
        archive = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error) as err:
        raise ArchiveError(f"not a readable zip archive ({err})", source) from None
    try:
        infos, seen = archive.infolist(), set()
        if len(infos) > limits.members:
            raise ArchiveError(f"holds {len(infos):,} members; at most {limits.members:,}", source)
        for info in infos:
            _check_name(info.filename, seen, source)
            _check_member(info, limits, source)
        total = sum(info.file_size for info in infos)
        if total > limits.total_bytes:
            raise ArchiveError(f"declares {total:,} bytes uncompressed in all, more than "
                               f"{limits.total_bytes:,} (a zip bomb?)", source)
    except BaseException:
        archive.close()
        raise
    return archive


def _damaged(err, source, member) -> ArchiveError:
    return ArchiveError(f"damaged ({type(err).__name__}: {err})", source, member)


def read_member(archive: zipfile.ZipFile, name: str, source: str, limit: int) -> bytes:
    """The member's bytes (checked: declared size within ``limit``, CRC, length)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ArchiveError("missing", source, name) from None
    if info.file_size > limit:
        raise ArchiveError(f"declares {info.file_size:,} bytes, more than {limit:,}", source, name)
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
            NotImplementedError) as err:
        raise _damaged(err, source, name) from None
    if len(data) != info.file_size:
        raise ArchiveError(f"holds {len(data):,} bytes, its directory says {info.file_size:,}", source, name)
    return data


# -- .npz ------------------------------------------------------------------------------
def _npy_header(f, source, member):
    """(shape, fortran_order, dtype) from the header, without reading any data."""
    version = np.lib.format.read_magic(f)
    readers = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
    if version not in readers:
        raise ArchiveError(f".npy format version {version} is not supported", source, member)
    shape, fortran, dtype = readers[version](f, max_header_size=MAX_NPY_HEADER)
    if not all(isinstance(n, int) and n >= 0 for n in shape):
        raise ArchiveError(f"invalid shape {shape}", source, member)
    if dtype.hasobject or dtype.itemsize == 0:
        raise ArchiveError(f"dtype {dtype} is not a plain number type (pickled objects are never read)",
                           source, member)
    return shape, fortran, dtype


def _read_npy(archive, info, key, check, limits, source) -> np.ndarray:
    member = info.filename
    try:
        with archive.open(info) as f:
            shape, fortran, dtype = _npy_header(f, source, member)
            count = math.prod(shape)
            if count > limits.array_elements:
                raise ArchiveError(f"an array of shape {shape} ({count:,} elements); at most "
                                   f"{limits.array_elements:,} are allowed", source, member)
            check(key, dtype, shape)  # before a single byte of data is read
            nbytes = count * dtype.itemsize
            if f.tell() + nbytes != info.file_size:
                raise ArchiveError(f"its header declares {nbytes:,} bytes of data, the member holds "
                                   f"{info.file_size - f.tell():,}", source, member)
            data = f.read(nbytes)
    except InputError as err:  # ours, or the caller's check: named after the member either way
        raise ArchiveError(err.problem, err.source or source, err.field or member) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, SyntaxError,
            TypeError, NotImplementedError) as err:
        raise _damaged(err, source, member) from None
    if len(data) != nbytes:
        raise ArchiveError(f"truncated: {len(data):,} of {nbytes:,} bytes of data", source, member)
    # Read-only, without a copy: nothing downstream writes into a loaded array.
    return np.frombuffer(data, dtype=dtype, count=count).reshape(shape, order="F" if fortran else "C")


def read_npz(data: bytes, source: str, check, limits: Limits = Limits()) -> dict[str, np.ndarray]:
    """The arrays of an .npz held in ``data``: {key: array} where the member is
    ``key + ".npy"``. ``check(key, dtype, shape)`` is called with each header before
    the array's data is read; it raises an InputError to refuse it."""
    with open_zip(io.BytesIO(data), source, limits) as archive:
        arrays = {}
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                raise ArchiveError("not an array (.npy) member", source, info.filename)
            key = info.filename[:-len(".npy")]
            arrays[key] = _read_npy(archive, info, key, check, limits, source)
        return arrays
