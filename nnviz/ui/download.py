"""Optional MNIST download (when the machine is online) with a progress bar and
Cancel. The four files go to a folder; nothing is read until the download checks out."""

from __future__ import annotations

import os
import urllib.error
import urllib.request

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..files import atomic_write

MNIST_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
               "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
CHUNK = 64 * 1024


class Downloader(QObject):
    """Runs in its own QThread; ``cancel()`` is checked between chunks."""

    progress = Signal(int, int)  # bytes so far, bytes expected (0 if unknown)
    finished = Signal(str)  # "" on success, else what went wrong
    cancelled = Signal()

    def __init__(self, base_url: str, folder: str):
        super().__init__()
        self.base_url = base_url.rstrip("/") + "/"
        self.folder = folder
        self._cancel = False

    def cancel(self):
        self._cancel = True  # a plain flag: read between chunks by the download thread

    @Slot()
    def run(self):
        try:
            os.makedirs(self.folder, exist_ok=True)
            done = 0
            for name in MNIST_FILES:
                done = self._fetch(name, done)
                if self._cancel:
                    self.cancelled.emit()
                    return
        except (OSError, urllib.error.URLError, ValueError) as err:
            self.finished.emit(f"{self.base_url}: download failed ({getattr(err, 'reason', None) or err})")
            return
        self.finished.emit("")

    def _fetch(self, name: str, done: int) -> int:
        url = self.base_url + name
        with urllib.request.urlopen(url, timeout=30) as response:
            expected = int(response.headers.get("Content-Length") or 0)
            chunks = []
            while not self._cancel:
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
                done += len(chunk)
                self.progress.emit(done, expected)
        if not self._cancel:
            data = b"".join(chunks)
            atomic_write(os.path.join(self.folder, name), lambda tmp: open(tmp, "wb").write(data))
        return done


def start_download(base_url: str, folder: str, parent=None) -> tuple[QThread, Downloader]:
    """A Downloader moved to a QThread that is not started yet: connect its signals,
    then ``thread.start()``."""
    thread = QThread(parent)
    downloader = Downloader(base_url, folder)
    downloader.moveToThread(thread)
    thread.started.connect(downloader.run)
    downloader.finished.connect(thread.quit)
    downloader.cancelled.connect(thread.quit)
    return thread, downloader
