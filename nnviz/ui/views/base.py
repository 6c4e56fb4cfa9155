"""The interface of a view: a passive widget fed immutable snapshots."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QWidget

from ..snapshot import Snapshot

TEXT_INTERVAL = 0.2  # seconds between number read-outs while playing


class TextThrottle:
    """Lets text through at most every TEXT_INTERVAL while playing, always when paused.

    Numbers changing 27 times a second cannot be read, and each label change costs a
    relayout (measured: 2–3 ms a frame for two labels)."""

    def __init__(self):
        self._last = 0.0

    def due(self, snapshot: Snapshot) -> bool:
        now = time.perf_counter()
        if snapshot.playing and now - self._last < TEXT_INTERVAL:
            return False
        self._last = now
        return True


class View(QWidget):
    """Subclasses set ``title`` and ``view_id`` and implement ``show_snapshot``.

    The window calls ``show_snapshot`` only while the view is visible; a hidden
    view gets the latest snapshot when it is shown again. A view never calls the
    engine and never changes a snapshot."""

    title = "View"
    view_id = "view"  # stable name for settings and file names
    default_area = "right"  # "central", "right", "bottom" or "left"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot: Snapshot | None = None

    def set_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        if self.isVisible():
            self.show_snapshot(snapshot)

    def showEvent(self, event):
        super().showEvent(event)
        if self.snapshot is not None:
            self.show_snapshot(self.snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        raise NotImplementedError

    def save_settings(self, settings) -> None:
        """Persist view options (toggles) under ``views/<view_id>/``."""

    def load_settings(self, settings) -> None:
        """Restore what ``save_settings`` stored."""
