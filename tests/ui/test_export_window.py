"""The window's side of exporting: refusals before any dialog, animation frames that
carry their update number, animations written whole or not at all."""

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from nnviz.ui import animation
from nnviz.ui.animation import captioned, frame_caption, write_animation
from nnviz.ui.export_dialog import ExportDialog, formats_of

from ..fidelity import ink_grid, pixels


def test_a_view_that_does_not_apply_is_refused_before_the_dialog(qtbot, open_window, monkeypatch, tmp_path):
    window = open_window("circle")  # no BatchNorm layer
    monkeypatch.setattr(ExportDialog, "exec", lambda self: pytest.fail("the dialog opened"))
    window.export_with_dialog(window.views["batchnorm"])
    text = window.message_bar.text()
    assert "batchnorm (Batch normalization) does not apply: the network has no BatchNorm layer" in text
    assert window.message_bar.level == "error"


def test_the_dialog_offers_the_formats_a_view_has(open_window):
    window = open_window("circle")
    assert formats_of(window.views["curves"]) == ("png", "svg", "pdf", "csv", "tex")
    assert formats_of(window.views["boundary"]) == ("png", "svg", "pdf", "csv")
    assert formats_of(window.views["inspector"]) == ("csv",)


def test_recorded_frames_carry_their_update_number(qtbot, open_window, tmp_path):
    from PIL import Image

    window = open_window("circle")
    path = tmp_path / "curves.gif"
    assert window.record_animation(str(path), "curves", updates=10, every=5, width=400, progress=False)
    gif = Image.open(path)
    assert gif.n_frames == 3
    strips = []
    for k in range(gif.n_frames):
        gif.seek(k)
        frame = np.asarray(gif.convert("RGB"), dtype=float)
        strips.append(frame[-round(frame.shape[1] * animation.CAPTION_SHARE):])
    assert all(ink_grid(strip, (1, 8)).max() > 0.02 for strip in strips)
    assert not np.array_equal(strips[0], strips[-1])


def test_the_caption_names_the_update_and_the_epoch(open_window, tmp_path):
    window = open_window("circle")
    assert frame_caption(window.snapshot) == "update 0 · epoch 0"
    image = QImage(300, 200, QImage.Format_ARGB32)
    image.fill(QColor("white"))
    framed = captioned(image, "update 1,200 · epoch 4")
    assert framed.width() == 300 and framed.height() > 200
    framed.save(str(tmp_path / "framed.png"))
    rgb = pixels(tmp_path / "framed.png")
    assert ink_grid(rgb[:200]).max() == 0 and ink_grid(rgb[200:], (1, 8)).max() > 0.02


def test_a_failed_animation_leaves_no_file(tmp_path, monkeypatch):
    frames = [QImage(64, 48, QImage.Format_ARGB32) for _ in range(3)]
    for frame in frames:
        frame.fill(QColor("white"))
    calls = []

    def failing(qimage):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(qimage)
    real = animation._pil
    monkeypatch.setattr(animation, "_pil", failing)
    with pytest.raises(OSError):
        write_animation(str(tmp_path / "a.gif"), frames, 10, "gif")
    assert list(tmp_path.iterdir()) == []


def test_frames_of_different_sizes_make_one_animation(tmp_path):
    from PIL import Image

    sizes = [(64, 48), (66, 47), (64, 48)]
    frames = []
    for w, h in sizes:
        frame = QImage(w, h, QImage.Format_ARGB32)
        frame.fill(QColor("black"))
        frames.append(frame)
    write_animation(str(tmp_path / "a.gif"), frames, 10, "gif")
    gif = Image.open(tmp_path / "a.gif")
    assert gif.n_frames == 3 and gif.size == (64, 48)
    assert pixels(tmp_path / "a.gif").shape[:2] == (48, 64)
