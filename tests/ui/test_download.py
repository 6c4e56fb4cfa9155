"""MNIST download against a server on 127.0.0.1 run by the test: checked sizes and
SHA-256, all four files swapped in together or none, Cancel and closing the window
while a server stalls."""

import functools
import gzip
import hashlib
import http.server
import threading

import numpy as np
import pytest

from nnviz.ui import download
from nnviz.ui.download import Expected, start_download

NAMES = [e.name for e in download.MNIST_FILES]


def fake_mnist_files() -> dict:
    """Four small gzipped IDX files under MNIST's names (the content the server sends)."""
    rng = np.random.default_rng(3)
    files = {}
    for prefix, n in (("train", 300), ("t10k", 60)):
        images = rng.integers(0, 256, (n, 28, 28)).astype(np.uint8)
        header = bytes([0, 0, 8, 3]) + b"".join(int(k).to_bytes(4, "big") for k in images.shape)
        files[f"{prefix}-images-idx3-ubyte.gz"] = gzip.compress(header + images.tobytes(), mtime=0)
        labels = (np.arange(n) % 10).astype(np.uint8)
        files[f"{prefix}-labels-idx1-ubyte.gz"] = gzip.compress(bytes([0, 0, 8, 1]) + n.to_bytes(4, "big")
                                                                + labels.tobytes(), mtime=0)
    return files


def expected_for(files: dict) -> tuple:
    return tuple(Expected(name, len(files[name]), hashlib.sha256(files[name]).hexdigest()) for name in NAMES)


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers each file as ``served.behaviour[name]`` says (default: correctly)."""

    def __init__(self, served, *args, **kwargs):
        self.served = served
        super().__init__(*args, **kwargs)

    def log_message(self, *args):
        pass

    def do_GET(self):
        name = self.path.rsplit("/", 1)[-1]
        data, how = self.served.files.get(name), self.served.behaviour.get(name, "ok")
        if data is None or how == "404":
            self.send_error(404)
            return
        answers = {"ok": (len(data), data), "short": (len(data), data[: len(data) // 2]),
                   "announce-more": (len(data) * 1000, data), "other-content": (len(data), bytes(len(data)))}
        try:
            if how == "endless":
                self._send_headers(None)
                while True:
                    self.wfile.write(bytes(65536))
            elif how == "stall":
                self._send_headers(len(data))
                self.wfile.write(data[:2000])
                self.wfile.flush()
                self.served.stalled.set()
                self.served.release.wait()
            else:
                length, body = answers[how]
                self._send_headers(length)
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should

    def _send_headers(self, length):
        self.send_response(200)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()


class Served:
    def __init__(self, files):
        self.files, self.behaviour = files, {}
        self.stalled, self.release = threading.Event(), threading.Event()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/mnist/"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def served():
    server = Served(fake_mnist_files())
    yield server
    server.close()


@pytest.fixture
def folder_with_old_files(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name in NAMES:
        (folder / name).write_bytes(b"old " + name.encode())
    return folder


def contents(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run_download(qtbot, url, folder, files):
    thread, downloader = start_download(url, str(folder), None, files)
    outcome = {}
    downloader.finished.connect(lambda problem: outcome.setdefault("finished", problem), type=_direct())
    downloader.cancelled.connect(lambda: outcome.setdefault("cancelled", True), type=_direct())
    thread.start()
    qtbot.waitUntil(lambda: thread.isFinished(), timeout=30_000)
    return outcome


def _direct():
    from PySide6.QtCore import Qt

    return Qt.DirectConnection


def test_all_four_are_checked_then_swapped_in_together(qtbot, served, folder_with_old_files):
    outcome = run_download(qtbot, served.url, folder_with_old_files, expected_for(served.files))
    assert outcome == {"finished": ""}
    assert contents(folder_with_old_files) == served.files  # no staging folder left behind


@pytest.mark.parametrize("how, message", [
    ("404", "HTTP 404"),
    ("endless", "more than the"),
    ("short", "bytes arrived"),
    ("announce-more", "the server announces"),
    ("other-content", "its SHA-256 differs"),
])
def test_a_bad_third_file_changes_nothing(qtbot, served, folder_with_old_files, how, message):
    """Before: two new files and two old ones, and the message said nothing changed."""
    before = contents(folder_with_old_files)
    served.behaviour[NAMES[2]] = how
    outcome = run_download(qtbot, served.url, folder_with_old_files, expected_for(served.files))
    assert message in outcome["finished"] and served.url + NAMES[2] in outcome["finished"]
    assert f"nothing in {folder_with_old_files} changed" in outcome["finished"]
    assert contents(folder_with_old_files) == before


def test_content_that_is_not_mnist_is_refused_whatever_the_address(qtbot, served, tmp_path):
    outcome = run_download(qtbot, served.url, tmp_path / "new", download.MNIST_FILES)  # the real digests
    assert "the server announces" in outcome["finished"]
    assert not list((tmp_path / "new").iterdir())


def test_cancel_while_the_server_stalls_stops_at_once_and_changes_nothing(qtbot, served, folder_with_old_files):
    before = contents(folder_with_old_files)
    files = expected_for(served.files)
    served.behaviour[NAMES[2]] = "stall"
    thread, downloader = start_download(served.url, str(folder_with_old_files), None, files)
    seen, cancelled = [0], []
    # direct: recorded in the download thread (qtbot's blockers are not meant for it)
    downloader.progress.connect(lambda done, total: seen.append(done), type=_direct())
    downloader.cancelled.connect(lambda: cancelled.append(True), type=_direct())
    thread.start()
    first_two = files[0].size + files[1].size
    qtbot.waitUntil(lambda: served.stalled.is_set() and seen[-1] > first_two, timeout=10_000)
    downloader.cancel()  # the read is blocked on the stalled server: the socket is shut down
    assert thread.wait(5000) and cancelled == [True]
    assert contents(folder_with_old_files) == before


def test_closing_the_window_mid_download_shuts_down_cleanly(qtbot, open_window, served, folder_with_old_files,
                                                            monkeypatch):
    """Before: stop_worker waited 3 s for a thread blocked in a read, then the QThread was
    destroyed while running and the process aborted."""
    before = contents(folder_with_old_files)
    monkeypatch.setattr(download, "MNIST_FILES", expected_for(served.files))
    served.behaviour[NAMES[0]] = "stall"
    window = open_window()
    window.data.download_mnist(served.url, str(folder_with_old_files), progress_dialog=False)
    qtbot.waitUntil(served.stalled.is_set, timeout=10_000)  # the download thread is blocked in a read
    window.close()  # stop_worker: cancel() and wait
    assert window.data._download_thread.isFinished()
    assert contents(folder_with_old_files) == before


def test_the_window_trains_on_a_checked_download(qtbot, open_window, served, tmp_path, monkeypatch):
    from .conftest import wait_for_snapshot

    monkeypatch.setattr(download, "MNIST_FILES", expected_for(served.files))
    window = open_window()
    window.data.download_mnist(served.url, str(tmp_path / "mnist"), progress_dialog=True)
    snap = wait_for_snapshot(qtbot, window, lambda s: s.generation == 1, timeout=30_000)
    assert snap.structure.image_shape == (28, 28) and len(snap.dataset.X_train) == 300
    assert window.data._download_dialog is None
