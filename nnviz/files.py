"""Writing files so that a crash never leaves half of one (no Qt here)."""

from __future__ import annotations

import os
import tempfile


def atomic_write(path: str, write) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into
    place. The file gets the usual permissions (mkstemp's are owner-only)."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part" + os.path.splitext(path)[1])
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def atomic_write_text(path: str, text: str) -> None:
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
    atomic_write(path, write)
