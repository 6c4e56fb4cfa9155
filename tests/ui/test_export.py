"""Every export format produces a valid file holding what the view shows."""

import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QImage

from nnviz.ui.export import UnavailableView, export_view
from nnviz.ui.views import VIEWS
from nnviz.ui.views.decision_boundary import DecisionBoundaryView
from nnviz.ui.views.learning_curves import LearningCurvesView

from .snapshots import NETWORKS, WITH_BATCHNORM, config_with, snapshot_after, shown




@pytest.fixture(scope="module")
def snap():
    return snapshot_after(config_with(NETWORKS["plain"]), updates=4, evaluations=3)[1]


def test_png_has_the_requested_width(qtbot, snap, tmp_path):
    view = shown(qtbot, DecisionBoundaryView, snap)
    path = tmp_path / "b.png"
    export_view(view, str(path), "png", width=1200)
    image = QImage(str(path))
    assert not image.isNull() and image.width() == 1200
    clear = tmp_path / "t.png"
    export_view(view, str(clear), "png", width=600, transparent=True)
    image = QImage(str(clear))
    assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() == 0


def test_svg_is_xml_with_the_plots_paths(qtbot, snap, tmp_path):
    view = shown(qtbot, LearningCurvesView, snap)
    path = tmp_path / "c.svg"
    export_view(view, str(path), "svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) >= 4


def test_pdf_is_a_pdf_with_a_page(qtbot, snap, tmp_path):
    view = shown(qtbot, DecisionBoundaryView, snap)
    path = tmp_path / "b.pdf"
    export_view(view, str(path), "pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and b"/Type /Page" in data


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], np.array(rows[1:], dtype=object)


def test_csv_rereads_to_the_drawn_arrays(qtbot, snap, tmp_path):
    view = shown(qtbot, DecisionBoundaryView, snap)
    written = export_view(view, str(tmp_path / "b.csv"), "csv")
    assert sorted(p.rsplit("-", 1)[1] for p in written) == ["grid.csv", "points.csv"]
    header, rows = read_csv(tmp_path / "b-grid.csv")
    assert header == ["x1", "x2", "p(class 1)"]
    values = rows[:, 2].astype(float).reshape(snap.grid.values.shape)
    np.testing.assert_allclose(values, view.image.image, rtol=1e-9)
    curves = shown(qtbot, LearningCurvesView, snap)
    written = export_view(curves, str(tmp_path / "c.csv"), "csv")
    header, rows = read_csv([p for p in written if "epochs" not in p][0])
    assert header[:3] == ["update", "train_loss", "test_loss"]
    np.testing.assert_allclose(rows[:, 1].astype(float), curves.train_loss.getData()[1], rtol=1e-9)


@pytest.mark.parametrize("view_class", VIEWS)
def test_every_view_exports_csv_and_its_figure(qtbot, view_class, tmp_path):
    _, snap = snapshot_after(config_with(WITH_BATCHNORM), updates=3, evaluations=2)
    view = shown(qtbot, view_class, snap)
    tables = view.export_tables()
    # no Dropout layer in this network; the image views need images; softmax = sigmoid needs
    # a Dense layer right before the output (here it is a BatchNorm): those are refused
    if view_class.unavailable_reason(snap):
        for fmt in ("png", "csv"):
            with pytest.raises(UnavailableView, match=view_class.view_id):
                export_view(view, str(tmp_path / f"v.{fmt}"), fmt, width=400)
        assert not list(tmp_path.iterdir())
        return
    assert tables, view_class.__name__
    if view.export_item() is not None:
        export_view(view, str(tmp_path / "v.png"), "png", width=400)
        assert QImage(str(tmp_path / "v.png")).width() == 400


def test_projector_theme_is_undone_after_export(qtbot, snap, tmp_path):
    view = shown(qtbot, LearningCurvesView, snap)
    width = view.train_loss.curve.opts["pen"].widthF()
    export_view(view, str(tmp_path / "c.png"), "png", width=500, projector=True)
    assert view.train_loss.curve.opts["pen"].widthF() == width


def test_an_unwritable_place_is_reported_with_the_file(qtbot, snap, tmp_path):
    from nnviz.ui.export import ExportError

    view = shown(qtbot, DecisionBoundaryView, snap)
    with pytest.raises(ExportError, match="nowhere/b.png"):
        export_view(view, str(tmp_path / "nowhere" / "b.png"), "png")


def test_figure_set_from_the_window(qtbot, open_window, tmp_path):
    window = open_window()
    with qtbot.waitSignal(window.snapshot_shown):
        window.step()
    written = window.export_figure_set(str(tmp_path))
    names = sorted(p.rsplit("/", 1)[1] for p in written)
    assert "circle-boundary-update1.png" in names and "circle-curves-update1.png" in names
    manifest = json.loads((tmp_path / "circle-figures-update1.json").read_text())
    assert manifest["update"] == 1 and manifest["config"]["data"]["dataset"] == "circle"


def test_a_figure_set_json_regenerates_the_same_figure(qtbot, open_window, tmp_path):
    window = open_window()
    for _ in range(3):
        with qtbot.waitSignal(window.snapshot_shown):
            window.step()
    written = window.export_figure_set(str(tmp_path))
    manifest = [p for p in written if p.endswith(".json")][0]
    out = tmp_path / "again"
    result = subprocess.run([sys.executable, "-m", "nnviz", "export", manifest, "--out", str(out),
                             "--views", "boundary", "--format", "csv"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(out / "circle-boundary-update3-grid.csv", newline="") as f:
        rows = list(csv.reader(f))[1:]
    values = np.array([float(r[2]) for r in rows]).reshape(window.snapshot.grid.values.shape)
    np.testing.assert_allclose(values, window.snapshot.grid.values, rtol=1e-9)


def test_recording_an_animation_of_the_next_updates(qtbot, open_window, tmp_path):
    from PIL import Image

    window = open_window()
    path = tmp_path / "b.gif"
    assert window.record_animation(str(path), "boundary", updates=20, every=5, width=300, progress=False)
    gif = Image.open(path)
    assert gif.n_frames == 5 and gif.size[0] == 300
    assert window.snapshot.steps_done == 20
    assert window.record_animation(str(tmp_path / "w.gif"), None, updates=2, every=1, width=400, progress=False)
    assert Image.open(tmp_path / "w.gif").n_frames == 3


def test_recording_a_rewound_range_replays_it(qtbot, open_window, tmp_path):
    window = open_window()
    for _ in range(6):
        with qtbot.waitSignal(window.snapshot_shown):
            window.step()
    window.timeline.seek_requested.emit(2)
    qtbot.waitUntil(lambda: window.snapshot.steps_done == 2)
    path = tmp_path / "r.gif"
    assert window.record_animation(str(path), "curves", updates=4, every=2, width=300, progress=False)
    assert tuple(vars(window.snapshot.timeline).values()) == (0, 6, None)  # it replayed up to the end, discarding nothing


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "csv"])
def test_an_export_onto_a_full_disk_fails_and_keeps_the_previous_file(qtbot, snap, tmp_path, fmt):
    """Before: the PDF writer and QImage's buffered PNG reported nothing and replaced the
    figure with a truncated one. Now every format is rendered in memory first."""
    from nnviz.ui.export import ExportError

    from ..small_disk import fill, small_disk

    view = shown(qtbot, DecisionBoundaryView, snap)
    with small_disk(tmp_path, 64) as disk:
        path = disk / f"b.{fmt}"
        export_view(view, str(tmp_path / f"full.{fmt}"), fmt, width=1200)  # how large it is
        size = sum(p.stat().st_size for p in tmp_path.glob(f"full*.{fmt}"))
        path.write_bytes(b"previous")
        fill(disk, max(4096, size - 12 * 1024))  # only the last ≤ 12 kB do not fit
        with pytest.raises(ExportError, match=f"b.*{fmt}: cannot write it .No space left on device"):
            export_view(view, str(path), fmt, width=1200)
        assert path.read_bytes() == b"previous"
        assert not [p.name for p in disk.iterdir() if ".part" in p.name]


def test_a_writer_failing_midway_keeps_the_previous_figure(qtbot, snap, tmp_path, monkeypatch):
    import errno
    import os

    from nnviz import files
    from nnviz.ui.export import ExportError

    view = shown(qtbot, DecisionBoundaryView, snap)
    path = tmp_path / "b.pdf"
    path.write_bytes(b"previous")

    def full(fd, chunk):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(files, "_write_chunk", full)
    with pytest.raises(ExportError, match="No space left"):
        export_view(view, str(path), "pdf")
    assert path.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["b.pdf"]


def test_a_png_qt_cannot_encode_is_an_export_error():
    from nnviz.ui.export import ExportError, png_bytes

    with pytest.raises(ExportError, match="could not encode"):
        png_bytes(QImage(), "x.png")


def test_the_export_command_on_a_full_disk_says_so_in_one_line_and_exits_1(tmp_path):
    from ..small_disk import small_disk

    with small_disk(tmp_path, 16) as disk:
        result = subprocess.run([sys.executable, "-m", "nnviz", "export", "circle", "--out", str(disk),
                                 "--views", "boundary", "--format", "png"], capture_output=True, text=True)
        assert result.returncode == 1
        ours = [line for line in result.stderr.splitlines() if line.startswith("nnviz")]  # not Qt's notices
        assert len(ours) == 1 and "No space left on device" in ours[0] and "Traceback" not in result.stderr
        assert not list(disk.iterdir())
