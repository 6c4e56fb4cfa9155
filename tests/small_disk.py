"""A tiny file system that fills up: a tmpfs of a few kB mounted in the test's folder.

Mounting needs root (or a user namespace); where it is not permitted the test is
skipped, and the fake-writer tests (ENOSPC raised midway) still run."""

from __future__ import annotations

import contextlib
import subprocess

import pytest


@contextlib.contextmanager
def small_disk(folder, size_kb: int = 64):
    """Yield a folder on a tmpfs of ``size_kb`` kB; unmounted afterwards."""
    mount = folder / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def fill(folder, leave_bytes: int) -> None:
    """Fill the disk holding ``folder`` until about ``leave_bytes`` are free."""
    import os

    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with open(folder / "filler", "wb") as f:
        f.write(bytes(max(0, free - leave_bytes)))
