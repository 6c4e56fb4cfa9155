"""archive: limits read from the central directory and the .npy headers, alone."""

import io

import numpy as np
import pytest

from nnviz.engine.archive import ArchiveError, Limits, open_zip, read_member, read_npz

from .hostile_corpus import lie, member, npy, npy_header, raw_zip, zeros_member


def accept_all(key, dtype, shape):
    pass


def test_a_valid_npz_round_trips_without_copies_and_read_only():
    arrays = {"w": np.arange(6.0).reshape(2, 3), "f": np.asfortranarray(np.ones((3, 2), dtype=np.float32))}
    out = read_npz(raw_zip([member(k + ".npy", npy(v)) for k, v in arrays.items()]), "a.npz", accept_all)
    for key, value in arrays.items():
        np.testing.assert_array_equal(out[key], value)
        assert out[key].dtype == value.dtype and not out[key].flags.writeable


def test_the_check_sees_the_header_before_any_data_is_read():
    seen = []

    def check(key, dtype, shape):
        seen.append((key, dtype, shape))
        raise ArchiveError("refused by the caller")
    data = raw_zip([member("big.npy", npy_header("<f8", (4000, 4000)) + bytes(16))])  # 16 bytes, not 128 MB
    with pytest.raises(ArchiveError, match="refused by the caller") as info:
        read_npz(data, "a.npz", check, Limits(array_elements=2**30))
    assert seen == [("big", np.dtype("<f8"), (4000, 4000))] and info.value.field == "big.npy"


@pytest.mark.parametrize("members, message", [
    ([zeros_member("a", 40 * 2**20)], "declares 41,943,040 bytes uncompressed"),
    ([lie(member("a", b"x"), size=2**31)], "more than"),
    ([lie(member("a", b"x"), flags=1)], "encrypted"),
    ([lie(member("a", b"x"), method=14)], "compression method 14"),
    ([member("a/../../b", b"x")], "unsafe member name"),
    ([member("a", b"x"), member("a", b"y")], "two members"),
])
def test_declared_contents_are_checked_before_inflating(members, message):
    with pytest.raises(ArchiveError, match=message):
        open_zip(io.BytesIO(raw_zip(members)), "z.zip", Limits(member_bytes=32 * 2**20))


def test_end_record_limits_come_before_zipfile_builds_its_list():
    with pytest.raises(ArchiveError, match="declares 65,000 members"):
        open_zip(io.BytesIO(raw_zip([member("a", b"x")], entries=65_000)), "z.zip", Limits(members=100))


def test_a_member_is_never_read_beyond_its_declared_size():
    archive = open_zip(io.BytesIO(raw_zip([lie(zeros_member("a", 16 * 2**20), size=10)])), "z.zip")
    with pytest.raises(ArchiveError, match="damaged .BadZipFile: Bad CRC-32"):
        read_member(archive, "a", "z.zip", 100)
