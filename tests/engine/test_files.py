"""files: bounded reading of the learner's files, depth-limited JSON, verified atomic writes."""

import errno
import os
import stat

import pytest

from nnviz import files
from nnviz.engine.errors import InputError
from nnviz.files import atomic_write_bytes, atomic_write_text, parse_json, read_bounded

from ..deadline import deadline
from ..small_disk import fill, small_disk


@pytest.fixture(autouse=True)
def no_hang():
    with deadline():
        yield


def test_read_bounded_reads_a_file_and_refuses_one_over_the_limit(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(InputError, match="a.json: larger than 99 bytes, too large for a lesson"):
        read_bounded(path, 99, "a lesson")


@pytest.mark.parametrize("make, kind", [
    (lambda p: os.mkfifo(p), "pipe (FIFO)"),
    (lambda p: os.symlink("/dev/zero", p), "a device"),
    (lambda p: p.mkdir(), "a folder"),
])
def test_read_bounded_refuses_what_is_not_a_regular_file_at_once(tmp_path, make, kind):
    """A FIFO without a writer used to block forever; /dev/zero never ends."""
    path = tmp_path / "special"
    make(path)
    with pytest.raises(InputError) as info:
        read_bounded(path, 1000)
    assert info.value.source == str(path) and kind in info.value.problem


def test_read_bounded_names_a_missing_file(tmp_path):
    with pytest.raises(InputError, match="none.csv: cannot read it .No such file"):
        read_bounded(tmp_path / "none.csv", 10)


def test_parse_json_limits_depth_before_parsing_and_accepts_a_bom():
    assert parse_json('\ufeff{"a": [1, {"b": "]]]]{{{{"}]}') == {"a": [1, {"b": "]]]]{{{{"}]}
    assert parse_json('["\\"[[[[[[[[[["]', max_depth=2) == ['"[[[[[[[[[[']
    with pytest.raises(InputError, match="nested 100,000 levels deep") as info:
        parse_json("[" * 100_000 + "]" * 100_000, "deep.json")
    assert info.value.source == "deep.json"
    with pytest.raises(InputError) as info:
        parse_json('{"a": 1,}', "bad.json")
    assert info.value.field == "(line 1, column 9)"
    with pytest.raises(InputError, match="not usable JSON"):
        parse_json("1" * 5000)


def test_atomic_write_keeps_the_permission_bits_of_the_file_it_replaces(tmp_path):
    path = tmp_path / "s.nnviz"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(os.stat(path).st_mode) == 0o640
    fresh = tmp_path / "fresh.txt"
    atomic_write_text(fresh, "é")
    assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o666 & ~files._UMASK
    assert fresh.read_text(encoding="utf-8") == "é"


def test_atomic_write_never_touches_the_process_umask(tmp_path, monkeypatch):
    """os.umask both reads and sets: toggling it raced with other threads' file creation."""
    def forbidden(mask):
        raise AssertionError("os.umask called during a write")
    monkeypatch.setattr(os, "umask", forbidden)
    atomic_write_bytes(tmp_path / "a", b"1")
    atomic_write_text(tmp_path / "b", "2")


def test_a_disk_full_midway_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "figure.png"
    path.write_bytes(b"the previous figure")
    calls = []

    def half_then_full(fd, chunk):
        if calls:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        calls.append(len(chunk))
        return os.write(fd, chunk[:len(chunk) // 2])
    monkeypatch.setattr(files, "_write_chunk", half_then_full)
    with pytest.raises(OSError) as info:
        atomic_write_bytes(path, b"x" * 10_000)
    assert info.value.errno == errno.ENOSPC and calls == [10_000]
    assert path.read_bytes() == b"the previous figure"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure.png"]


def test_a_write_that_does_not_fit_on_a_real_small_disk_leaves_the_old_file(tmp_path):
    with small_disk(tmp_path, 64) as disk:
        path = disk / "s.nnviz"
        path.write_bytes(b"o" * 8192)
        fill(disk, 16 * 1024)
        for size in (200_000, 24 * 1024):  # far too big, and only the last few kB missing
            with pytest.raises(OSError) as info:
                atomic_write_bytes(path, b"n" * size)
            assert info.value.errno == errno.ENOSPC
            assert path.read_bytes() == b"o" * 8192
            assert sorted(p.name for p in disk.iterdir()) == ["filler", "s.nnviz"]


def test_the_callback_form_fsyncs_and_treats_false_as_a_failure(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(b"old")
    with pytest.raises(OSError):
        files.atomic_write(path, lambda tmp: False)
    assert path.read_bytes() == b"old"
    files.atomic_write(path, lambda tmp: open(tmp, "wb").write(b"new"))
    assert path.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["x.bin"]
