"""Qt's offscreen platform with a screen of a chosen size (its default is 800 × 800,
onto which a larger window clamps itself). No Qt here: call it before Qt starts."""

from __future__ import annotations

import json
import os
import tempfile


def virtual_screen_platform(width: int, height: int, folder: str | None = None) -> str:
    """The QT_QPA_PLATFORM value for an offscreen screen of width × height pixels (its
    description is written to ``folder``, a new temporary one by default)."""
    folder = folder or tempfile.mkdtemp(prefix="nnviz-screen-")
    path = os.path.join(folder, "screen.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"screens": [{"name": "nnviz", "x": 0, "y": 0, "width": width, "height": height,
                                "logicalDpi": 96, "dpr": 1}]}, f)
    return f"offscreen:configfile={path}"


def use_virtual_screen(width: int, height: int) -> None:
    """Offscreen (unless another platform was chosen) on a width × height screen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if os.environ["QT_QPA_PLATFORM"] == "offscreen":
        os.environ["QT_QPA_PLATFORM"] = virtual_screen_platform(width, height)
