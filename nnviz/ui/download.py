"""Optional MNIST download (when the machine is online) with a progress bar and Cancel.

All four files are downloaded into a hidden folder beside the target, each checked
against MNIST's known size and SHA-256 (whatever the address, the content must be
MNIST's), and only then swapped in together: a 404, a wrong file, a full disk or
Cancel on the third file leaves the folder exactly as it was. Every socket operation
has a timeout; ``cancel()`` also shuts the connection down, so a stalled server
cannot keep the thread (and a closing window) waiting.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import http.client
import os
import shutil
import socket
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot


@dataclass(frozen=True)
class Expected:
    name: str
    size: int  # bytes
    sha256: str


# Sizes from the MNIST page (yann.lecun.com/exdb/mnist); SHA-256 digests as published
# by torchvision's Ruby port (ankane/torchvision-ruby, lib/torchvision/datasets/mnist.rb)
# and many independent MNIST loaders, which agree.
MNIST_FILES = (
    Expected("train-images-idx3-ubyte.gz", 9_912_422,
             "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
    Expected("train-labels-idx1-ubyte.gz", 28_881,
             "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
    Expected("t10k-images-idx3-ubyte.gz", 1_648_877,
             "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
    Expected("t10k-labels-idx1-ubyte.gz", 4_542,
             "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
)
CHUNK = 64 * 1024
TIMEOUT = 20  # seconds for connecting and for each read: a stalled server is given up on


class DownloadError(Exception):
    """What went wrong, as one sentence naming the address."""


class Downloader(QObject):
    """Runs in its own QThread; ``cancel()`` may be called from any thread."""

    progress = Signal(int, int)  # bytes so far, bytes expected in all
    finished = Signal(str)  # "" on success, else what went wrong (nothing changed)
    cancelled = Signal()  # nothing changed

    def __init__(self, base_url: str, folder: str, files=None):
        super().__init__()
        self.base_url = base_url.rstrip("/") + "/"
        self.folder = folder
        self.files = tuple(files or MNIST_FILES)
        self._cancel = False
        self._socket = None  # the open connection's socket, shut down by cancel()
        self._opener = urllib.request.build_opener(*_tracking_handlers(self._attach))

    def cancel(self):
        self._cancel = True  # read between chunks by the download thread
        sock = self._socket
        if sock is not None:  # wakes a read blocked on a stalled server at once
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _attach(self, sock):
        self._socket = sock
        if self._cancel:
            self.cancel()

    @Slot()
    def run(self):
        try:
            changed = self._download_all()
        except DownloadError as err:
            problem = str(err)
        except (OSError, urllib.error.URLError, http.client.HTTPException, ValueError) as err:
            problem = f"{self.base_url}: download failed ({_reason(err)})"
        else:
            if changed:
                self.finished.emit("")
            else:
                self.cancelled.emit()
            return
        if self._cancel:
            self.cancelled.emit()  # the error was the connection cancel() shut down
        else:
            self.finished.emit(f"{problem}; nothing in {self.folder} changed")

    def _download_all(self) -> bool:
        """Fetch every file into a staging folder, then swap them in; False if cancelled."""
        os.makedirs(self.folder, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".mnist-download-", dir=self.folder)  # same file system
        try:
            done, total = 0, sum(f.size for f in self.files)
            for expected in self.files:
                done = self._fetch(expected, staging, done, total)
                if self._cancel:
                    return False
            swap_in(staging, self.folder, [f.name for f in self.files])
            return True
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _fetch(self, expected: Expected, staging: str, done: int, total: int) -> int:
        url = self.base_url + expected.name
        try:
            return self._fetch_checked(url, expected, staging, done, total)
        except (OSError, urllib.error.URLError, http.client.HTTPException, ValueError) as err:
            raise DownloadError(f"{url}: download failed ({_reason(err)})") from None

    def _fetch_checked(self, url: str, expected: Expected, staging: str, done: int, total: int) -> int:
        with self._opener.open(url, timeout=TIMEOUT) as response:
            announced = response.headers.get("Content-Length")
            if announced is not None and announced.strip() != str(expected.size):
                raise DownloadError(f"{url}: the server announces {announced.strip()} bytes; "
                                    f"MNIST's {expected.name} has {expected.size:,}")
            with open(os.path.join(staging, expected.name), "wb") as out:
                received, digest = self._copy(response, out, expected, url, done, total)
                out.flush()
                os.fsync(out.fileno())
        if self._cancel:
            return done
        if received != expected.size:
            raise DownloadError(f"{url}: {received:,} of {expected.size:,} bytes arrived")
        if digest != expected.sha256:
            raise DownloadError(f"{url}: not MNIST's {expected.name} (its SHA-256 differs)")
        return done + received

    def _copy(self, response, out, expected: Expected, url: str, done: int, total: int):
        """Chunks to ``out`` (memory stays at one chunk); never more than the file's size."""
        digest, received = hashlib.sha256(), 0
        while not self._cancel:
            chunk = response.read1(CHUNK)  # what has arrived: progress (and Cancel) on a slow server
            if not chunk:
                break
            received += len(chunk)
            if received > expected.size:
                raise DownloadError(f"{url}: more than the {expected.size:,} bytes of MNIST's {expected.name}; "
                                    "stopped")
            digest.update(chunk)
            out.write(chunk)
            self.progress.emit(done + received, total)
        return received, digest.hexdigest()


def _reason(err) -> str:
    if isinstance(err, urllib.error.HTTPError):
        return f"HTTP {err.code} {err.reason}"
    reason = getattr(err, "reason", None) or getattr(err, "strerror", None) or err
    return str(reason) or type(err).__name__


def swap_in(staging: str, folder: str, names: list[str]) -> None:
    """Move ``names`` from ``staging`` into ``folder`` all together: the previous files
    go aside first and come back if any move fails."""
    aside = os.path.join(staging, ".previous")
    os.mkdir(aside)
    moved, placed = [], []
    try:
        for name in names:
            target = os.path.join(folder, name)
            if os.path.exists(target):
                os.replace(target, os.path.join(aside, name))
                moved.append(name)
            os.replace(os.path.join(staging, name), target)
            placed.append(name)
    except OSError:
        for name in placed:
            with contextlib.suppress(OSError):
                os.replace(os.path.join(folder, name), os.path.join(staging, name))
        for name in moved:
            os.replace(os.path.join(aside, name), os.path.join(folder, name))
        raise


def _tracking_handlers(attach):
    """urllib's HTTP(S) handlers, telling ``attach`` each connection's socket."""
    def tracked(connection_class):
        class Tracked(connection_class):
            def connect(self):
                super().connect()
                attach(self.sock)
        return Tracked

    class HTTP(urllib.request.HTTPHandler):
        def do_open(self, http_class, req, **kwargs):
            return super().do_open(tracked(http_class), req, **kwargs)

    class HTTPS(urllib.request.HTTPSHandler):
        def do_open(self, http_class, req, **kwargs):
            return super().do_open(tracked(http_class), req, **kwargs)
    return HTTP(), HTTPS()


# Downloads still running are kept here, not owned by their window: a QThread destroyed
# while running aborts the process, and a window may close (and be deleted) before a
# stalled read times out. At exit they are cancelled and waited for.
_RUNNING: list[tuple[QThread, Downloader]] = []


def _stop_all():
    for thread, downloader in _RUNNING:
        if thread.isRunning():
            downloader.cancel()
            thread.wait((TIMEOUT + 5) * 1000)


atexit.register(_stop_all)


def start_download(base_url: str, folder: str, parent=None, files=None) -> tuple[QThread, Downloader]:
    """A Downloader moved to a QThread that is not started yet: connect its signals,
    then ``thread.start()``. ``parent`` is accepted for compatibility; the thread is kept
    by this module until it has finished (see _RUNNING)."""
    _RUNNING[:] = [(t, d) for t, d in _RUNNING if not t.isFinished()]
    thread = QThread()
    downloader = Downloader(base_url, folder, files)
    downloader.moveToThread(thread)
    thread.started.connect(downloader.run)
    # Direct: QThread.quit is thread-safe, and a queued call would wait for the GUI
    # thread's event loop, which is blocked in stop_worker's wait() when a window closes.
    downloader.finished.connect(thread.quit, Qt.DirectConnection)
    downloader.cancelled.connect(thread.quit, Qt.DirectConnection)
    _RUNNING.append((thread, downloader))
    return thread, downloader
