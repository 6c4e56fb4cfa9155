"""The learner's own data in the window: CSV (2-D and more columns) and MNIST files."""


import numpy as np

from nnviz.ui.data_dialog import CsvImportDialog, check_mnist_folder

from ..engine.test_real_data import write_idx
from .conftest import wait_for_snapshot


def csv_2d(tmp_path, columns=2, rows=60):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, columns))
    y = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    lines = [",".join([f"c{k}" for k in range(columns)] + ["answer"])]
    lines += [",".join([f"{v:.4f}" for v in x] + [label]) for x, label in zip(X, y)]
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_csv_dialog_previews_checks_and_names_problems(qtbot, tmp_path):
    dialog = CsvImportDialog(csv_2d(tmp_path))
    qtbot.addWidget(dialog)
    assert list(dialog.checks) == ["c0", "c1", "answer"] and dialog.label.currentText() == "answer"
    assert dialog.preview.rowCount() == 12 and dialog.preview.item(0, 2).text() in ("yes", "no")
    assert dialog.try_load() and "the decision boundary applies" in dialog.problem.text()
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,y\n1,2,0\n2,oops,1\n3,4,0\n5,6,1\n")
    dialog.path.setText(str(bad))
    dialog.load_header()
    assert not dialog.try_load()
    assert "row 3, column 'b': 'oops' is not a number" in dialog.problem.text()


def test_training_on_a_csv_file(qtbot, open_window, tmp_path):
    window = open_window()
    window.data.use_data({"dataset": "csv", "path": csv_2d(tmp_path), "columns": ["c0", "c1"], "label": "answer"})
    snap = wait_for_snapshot(qtbot, window, lambda s: s.generation == 1)
    assert snap.grid is not None and snap.dataset.class_names == ("no", "yes")
    window.step()
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 1)


def test_more_than_two_columns_says_no_boundary(qtbot, open_window, tmp_path):
    window = open_window()
    path = csv_2d(tmp_path, columns=4)
    window.data.use_data({"dataset": "csv", "path": path, "columns": ["c0", "c1", "c2", "c3"], "label": "answer"})
    snap = wait_for_snapshot(qtbot, window, lambda s: s.generation == 1)
    assert snap.grid is None and snap.structure.layer_configs[0]["units"] and snap.params[0][2].shape[1] == 4
    # no boundary to draw: the view is hidden (it says why to an export) and the graph stays
    assert not window.arrangement.frames["boundary"].isVisibleTo(window)
    assert "not the points of a plane" in type(window.views["boundary"]).unavailable_reason(snap)
    assert window.arrangement.frames["graph"].isVisibleTo(window)
    window.step()
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 1)


def write_mnist(folder, n_train=40, n_test=10, compress=True):
    rng = np.random.default_rng(1)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        write_idx(folder / f"{prefix}-images-idx3-ubyte{'.gz' if compress else ''}",
                  rng.integers(0, 256, (n, 28, 28)).astype(np.uint8), compress=compress)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte{'.gz' if compress else ''}",
                  (np.arange(n) % 10).astype(np.uint8), compress=compress)


def test_training_on_mnist_files(qtbot, open_window, tmp_path):
    write_mnist(tmp_path)
    assert check_mnist_folder(str(tmp_path)) == ""
    window = open_window()
    window.data.use_data({"dataset": "mnist", "path": str(tmp_path)})
    snap = wait_for_snapshot(qtbot, window, lambda s: s.generation == 1)
    assert snap.structure.image_shape == (28, 28) and snap.params[0][2].shape[1] == 784
    window.step()
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 1)


def test_a_broken_mnist_folder_is_refused_with_the_file(tmp_path):
    write_mnist(tmp_path, compress=False)
    path = tmp_path / "t10k-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes()[:-3])
    assert "t10k-labels-idx1-ubyte" in check_mnist_folder(str(tmp_path))
    assert "no train-images" in check_mnist_folder(str(tmp_path / "missing"))


def test_mnist_download_from_a_local_server(qtbot, open_window, tmp_path, monkeypatch):
    """Served from 127.0.0.1 by a thread in this test: no network involved (the files are
    checked against their own digests here; test_download has the hostile servers)."""
    import functools
    import hashlib
    import http.server
    import threading

    from nnviz.ui import download

    served = tmp_path / "served"
    served.mkdir()
    write_mnist(served, compress=True)
    monkeypatch.setattr(download, "MNIST_FILES", tuple(
        download.Expected(e.name, (served / e.name).stat().st_size,
                          hashlib.sha256((served / e.name).read_bytes()).hexdigest()) for e in download.MNIST_FILES))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        window = open_window()
        target = tmp_path / "mnist"
        window.data.download_mnist(f"http://127.0.0.1:{server.server_port}/", str(target), progress_dialog=False)
        snap = wait_for_snapshot(qtbot, window, lambda s: s.generation == 1, timeout=15000)
        assert snap.structure.image_shape == (28, 28) and len(snap.dataset.X_train) == 40
        window.data._download_thread.wait(2000)
        window.data.download_mnist(f"http://127.0.0.1:{server.server_port}/nothing/", str(tmp_path / "x"),
                              progress_dialog=False)
        qtbot.waitUntil(lambda: "download failed" in window.message_bar.text(), timeout=15000)
        window.data._download_thread.wait(2000)
    finally:
        server.shutdown()
        server.server_close()
