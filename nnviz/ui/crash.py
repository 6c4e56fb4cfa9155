"""Unexpected exceptions: logged to a file and shown in a dialog; the app keeps running."""

from __future__ import annotations

import datetime
import os
import sys
import threading
import traceback

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QApplication, QMessageBox


def log_path() -> str:
    folder = QStandardPaths.writableLocation(QStandardPaths.AppLocalDataLocation) or os.path.expanduser("~/.nnviz")
    return os.path.join(folder, "nnviz.log")


def write_log(text: str) -> str:
    """Append ``text`` with a time stamp to the log; return the log's path ('' if unwritable)."""
    path = log_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n{text}\n")
    except OSError:
        return ""
    return path


class CrashReporter(QObject):
    """Installed as sys.excepthook (and threading.excepthook). Exceptions from other
    threads reach the dialog through a queued signal, so it always opens in the GUI thread."""

    reported = Signal(str, str)  # summary, details

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.reported.connect(self._show)
        self.dialogs: list[QMessageBox] = []  # open dialogs (kept so they are not collected)

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = lambda args: self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def handle(self, exc_type, exc_value, exc_tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc_value, exc_tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc_value, exc_tb))
        path = write_log(details)
        summary = f"{exc_type.__name__}: {exc_value}"
        where = f"\n\nThe details are in {path}." if path else ""
        self.reported.emit(summary + where, details)

    def _show(self, summary: str, details: str) -> None:
        box = QMessageBox(QMessageBox.Critical, "nnviz: something went wrong",
                          "An unexpected error happened; nnviz keeps running and nothing was lost.\n\n"
                          + summary)
        box.setDetailedText(details)
        box.finished.connect(lambda _r, b=box: self.dialogs.remove(b))
        self.dialogs.append(box)
        box.open()  # not modal to the whole app: a lecture can go on
