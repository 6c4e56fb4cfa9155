"""Reading and writing the learner's files safely (no Qt here).

Reading: ``open_bounded``/``read_bounded`` accept only regular files (a FIFO would
block forever, ``/dev/zero`` never ends) and read at most ``limit + 1`` bytes, so a
size check never trusts ``st_size`` alone. ``parse_json`` refuses deep nesting before
the parser recurses. Every refusal is an ``InputError`` naming the file.

Writing: ``atomic_write_bytes`` writes bytes rendered in memory to a temporary file
beside the target, checks every write, fsyncs, keeps the target's permission bits and
renames it into place: a full disk or a crash leaves the previous file as it was.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import tempfile

import numpy as np

from .engine.errors import InputError

MAX_JSON_DEPTH = 64  # a configuration nests 4 deep, a session 5
WRITE_CHUNK = 1 << 20


def _read_umask() -> int:
    """The process's umask, without changing it if the system can tell us (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # os.umask only reads by setting: done once, at import
    os.umask(mask)
    return mask


# Read once: toggling the process-wide umask at every write raced with other threads
# creating files in between (they got mode 0o666).
_UMASK = _read_umask()


# -- reading -------------------------------------------------------------------------
def size_text(n: int) -> str:
    """2097152 → "2 MB" (the units a learner reads; binary megabytes, as file managers)."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if n >= scale:
            return f"{n / scale:.0f} {unit}"
    return f"{n} bytes"


def _kind_of(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


@contextlib.contextmanager
def open_bounded(path, limit: int, what: str = "this"):
    """A binary file object for ``path`` if it is a regular file of at most ``limit``
    bytes (by its size; ``read_bounded`` also counts what it reads)."""
    source = os.fspath(path)
    try:
        # O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever.
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as err:
        raise InputError(f"cannot read it ({err.strerror or err})", source) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{_kind_of(info.st_mode)}, not a file; nnviz reads only regular files", source)
        if info.st_size > limit:
            raise InputError(f"larger than {size_text(limit)}, too large for {what}", source)
        with contextlib.suppress(OSError, AttributeError):
            os.set_blocking(fd, True)
        f = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with f:
        yield f


def read_bounded(path, limit: int, what: str = "this") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else InputError naming it.

    Reads at most ``limit + 1`` bytes: a file that grows while read, or one whose size
    the system misreports (/proc), cannot make nnviz read without end."""
    with open_bounded(path, limit, what) as f:
        try:
            data = f.read(limit + 1)
        except OSError as err:
            raise InputError(f"cannot read it ({err.strerror or err})", os.fspath(path)) from None
    if len(data) > limit:
        raise InputError(f"larger than {size_text(limit)}, too large for {what}", os.fspath(path))
    return data


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def json_depth(text: str) -> int:
    """How deeply ``text``'s arrays and objects nest, brackets inside strings ignored.

    Linear and without recursion (NumPy over the bytes), so a 100,000-deep document
    is measured in milliseconds instead of overflowing the parser's stack."""
    outside = _JSON_STRING.sub("", text).encode("utf-8", "replace")
    codes = np.frombuffer(outside, dtype=np.uint8)
    steps = np.isin(codes, (ord("["), ord("{"))).astype(np.int32) - np.isin(codes, (ord("]"), ord("}")))
    return int(np.cumsum(steps).max(initial=0))


def parse_json(text: str, source: str | None = None, max_depth: int = MAX_JSON_DEPTH):
    """``json.loads`` that refuses (InputError naming ``source``) nesting deeper than
    ``max_depth``, a leading byte-order mark accepted."""
    if text.startswith("\ufeff"):
        text = text[1:]
    depth = json_depth(text)
    if depth > max_depth:
        raise InputError(f"nested {depth:,} levels deep; at most {max_depth} are allowed", source, "(JSON)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON: {err.msg}", source, f"(line {err.lineno}, column {err.colno})") from None
    except (ValueError, RecursionError) as err:  # e.g. an integer over Python's 4,300 digits
        raise InputError(f"not usable JSON: {err}", source, "(JSON)") from None


# -- writing -------------------------------------------------------------------------
def _mode_for(path: str) -> int:
    """The permission bits the written file gets: the existing file's, else the usual."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_UMASK


def _write_chunk(fd: int, chunk) -> int:
    return os.write(fd, chunk)  # its own function: a test replaces it with a full disk


def _write_all(fd: int, data) -> None:
    view = memoryview(data).cast("B")
    while view:
        written = _write_chunk(fd, view[:WRITE_CHUNK])
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX); not possible or needed everywhere."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _temporary_beside(path: str):
    folder = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".",
                               suffix=".part")
    return folder, fd, tmp


def atomic_write_bytes(path, data) -> None:
    """Write ``data`` to ``path`` all or nothing: temp file, checked writes, fsync,
    permission bits, rename. An OSError (ENOSPC, EACCES, …) leaves the old file intact."""
    path = os.fspath(path)
    mode = _mode_for(path)
    folder, fd, tmp = _temporary_beside(path)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)  # some file systems report a full disk only here
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
        finally:
            os.close(fd)  # and network ones at close
        if not hasattr(os, "fchmod"):
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    _fsync_folder(folder)


def atomic_write_text(path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write(path, write) -> None:
    """Call ``write(tmp)`` to fill a temporary file beside ``path``, then fsync it and
    rename it into place (for writers that insist on a file name). A ``write`` that
    returns False counts as a failure. Prefer atomic_write_bytes: rendering into memory
    lets every write be checked."""
    path = os.fspath(path)
    mode = _mode_for(path)
    folder, fd, tmp = _temporary_beside(path)
    os.close(fd)
    try:
        if write(tmp) is False:
            raise OSError(errno.EIO, f"the writer reported a failure for {path}")
        fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    _fsync_folder(folder)
