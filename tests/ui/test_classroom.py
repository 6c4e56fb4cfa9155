"""Classroom-ready: pace, screen fit, tabs that apply, protected work, the timeline."""

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from nnviz.engine.snapshot import TimelineInfo

from .conftest import wait_for_snapshot


def wheel(widget, steps=1):
    event = QWheelEvent(QPointF(5, 5), QPointF(widget.mapToGlobal(QPoint(5, 5))), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_never_changes_an_unfocused_spin_box(qtbot, open_window):
    window = open_window()
    before = window.config
    points = window.controls.n_points
    wheel(points, 3)
    wheel(window.controls.noise, 3)
    wheel(window.controls.dataset, -2)
    assert points.value() == before.data.n and window.config == before
    points.setFocus()
    qtbot.waitUntil(points.hasFocus)
    wheel(points, 1)  # clicked first: the wheel works as usual
    assert points.value() == before.data.n + points.singleStep()


def test_undo_brings_back_the_trained_model_after_a_rebuild(qtbot, open_window):
    window = open_window()
    window.client.advance(40)
    trained = wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 40)
    window.controls.noise.setValue(0.3)  # a structural change: a new model
    wait_for_snapshot(qtbot, window, lambda s: s.generation > trained.generation and s.steps_done == 0)
    assert "Ctrl+Z brings back the model trained for 40 updates" in window.message_bar.text()
    window.undo_rebuild()
    back = wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 40)
    assert window.config == trained.config and window.controls.noise.value() == trained.config.data.noise
    for (_, _, a), (_, _, b) in zip(back.params, trained.params):
        np.testing.assert_array_equal(a, b)
    window.undo_rebuild()  # again: the rebuilt model
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 0 and s.config.data.noise == 0.3)


def test_each_key_press_on_the_timeline_is_one_update(qtbot, open_window):
    window = open_window()
    window.client.advance(30)
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 30)
    for _ in range(3):  # quicker than the replays: none is lost
        window.timeline.back.trigger()
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 27)
    snap = window.snapshot
    per_epoch = -(-len(snap.dataset.X_train) // snap.config.training.batch_size)
    assert window.timeline.slider.pageStep() == per_epoch  # PgUp/PgDown and groove clicks: an epoch
    window.timeline.epoch_back.trigger()
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 27 - per_epoch)
    window.timeline.go_to.setValue(12)  # a typed number
    assert wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 12).timeline == TimelineInfo(0, 30, 12)


def test_views_that_do_not_apply_are_hidden_and_come_back(qtbot, open_window):
    window = open_window("circle")
    for view_id in ("dropout", "batchnorm", "vector", "weights"):
        assert not window.docks[view_id].isVisibleTo(window), view_id
    assert not window.arrangement.frames["images"].isVisibleTo(window)
    assert window.arrangement.frames["boundary"].isVisibleTo(window)
    window.lessons.confirm_leave = lambda lesson: True
    from nnviz.lessons import load_lesson

    window.open_lesson(load_lesson("images"))
    wait_for_snapshot(qtbot, window, lambda s: s.structure.image_shape is not None)
    assert window.arrangement.frames["images"].isVisibleTo(window)
    assert not window.arrangement.frames["boundary"].isVisibleTo(window)
    assert window.docks["weights"].isVisibleTo(window) and not window.docks["dropout"].isVisibleTo(window)


# -- every lesson at 1280 × 720: nothing elided, nothing cut --------------------------------
import pytest  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTabBar  # noqa: E402

from nnviz.lessons import lesson_names, load_lesson  # noqa: E402

NETWORK_LESSONS = [n for n in lesson_names() if load_lesson(n).kind == "network"]


def cut_texts(window) -> list[str]:
    """Texts wider than the widget showing them (tabs, one-line labels, buttons, combos)."""
    problems = []
    for bar in window.findChildren(QTabBar):
        if not bar.isVisible():
            continue
        for i in range(bar.count()):
            if bar.isTabVisible(i):
                needed = bar.fontMetrics().horizontalAdvance(bar.tabText(i))
                if bar.tabRect(i).width() < needed + 8:
                    problems.append(f"tab {bar.tabText(i)!r}")
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton) + window.findChildren(QComboBox):
        if not widget.isVisible() or widget.width() <= 1:
            continue
        if isinstance(widget, QLabel):
            if widget.wordWrap() or widget.textFormat() == Qt.RichText or not widget.text():
                continue
            text, room = widget.text().split("\n")[0], widget.contentsRect().width()
        elif isinstance(widget, QComboBox):
            text, room = widget.currentText(), widget.width() - 26  # the arrow
        else:
            icon_only = getattr(widget, "toolButtonStyle", lambda: None)() == Qt.ToolButtonIconOnly
            if getattr(widget, "wraps", False) and widget.height() < widget.heightForWidth(widget.width()):
                problems.append(f"wrapping button {widget.text()[:40]!r} ({widget.height()} px high)")
            if not widget.text() or icon_only or getattr(widget, "wraps", False):
                continue  # the text is a tooltip, or the button wraps (a label inside)
            text, room = widget.text(), widget.width() - (8 if widget.icon().isNull() else 28)
        if "<" in text:
            continue  # rich text measures otherwise
        if widget.fontMetrics().horizontalAdvance(text.replace("&", "")) > room + 1:
            problems.append(f"{type(widget).__name__} {text[:40]!r} ({room} px)")
    return problems


@pytest.mark.parametrize("name", NETWORK_LESSONS)
def test_every_lesson_fits_1280_by_720_with_nothing_cut(qtbot, open_window, name):
    window = open_window(name)
    window.arrangement.narrow()  # as on a 1280-pixel screen (tests run on a larger virtual one)
    window.resize(1280, 720)
    wait_for_snapshot(qtbot, window, lambda s: s is not None)
    qtbot.waitUntil(lambda: window.size().width() == 1280)
    QApplication.processEvents()
    assert window.width() <= 1280 and window.height() <= 720
    assert cut_texts(window) == []


FIT_SCRIPT = """
import json, sys
from PySide6.QtCore import QByteArray, QSettings
from nnviz.ui.app import make_application
app = make_application()
from nnviz.ui.main_window import MainWindow
from nnviz.lessons import load_lesson
settings = QSettings(sys.argv[1], QSettings.IniFormat)
window = MainWindow(load_lesson("circle"), settings)
window.show()
for _ in range(5):
    app.processEvents()
screen = window.screen().availableGeometry()
print(json.dumps({"window": window.frameGeometry().getRect(), "screen": screen.getRect()}))
window.close()
"""


def run_on_screen(tmp_path, width, height, settings_text=""):
    import json
    import os
    import subprocess
    import sys

    from nnviz.offscreen import virtual_screen_platform

    ini = tmp_path / "nnviz.ini"
    ini.write_text(settings_text)
    out = subprocess.run([sys.executable, "-c", FIT_SCRIPT, str(ini)], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "QT_QPA_PLATFORM": virtual_screen_platform(width, height, str(tmp_path)),
                              "HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_first_window_fits_a_projector_and_a_large_screen(tmp_path):
    small = run_on_screen(tmp_path, 1280, 720)
    x, y, w, h = small["window"]
    assert x >= 0 and y >= 0 and x + w <= 1280 and y + h <= 720, small
    large = run_on_screen(tmp_path, 2560, 1440)
    assert 1600 <= large["window"][2] <= 1610 and 1000 <= large["window"][3] <= 1010  # DEFAULT_SIZE, with its frame


def test_a_saved_geometry_from_a_larger_screen_is_clamped_onto_this_one(tmp_path):
    from PySide6.QtCore import QByteArray, QSettings
    from PySide6.QtWidgets import QMainWindow

    big = QMainWindow()
    big.setGeometry(1500, 900, 1800, 1100)  # saved on a 4K screen, far right
    settings = QSettings(str(tmp_path / "nnviz.ini"), QSettings.IniFormat)
    settings.setValue("window/geometry", big.saveGeometry())
    settings.sync()
    result = run_on_screen(tmp_path, 1280, 720, (tmp_path / "nnviz.ini").read_text())
    x, y, w, h = result["window"]
    assert x >= 0 and y >= 0 and x + w <= 1280 and y + h <= 720, result


def test_hovering_a_neuron_draws_its_output_large_in_the_boundary(qtbot, open_window):
    window = open_window()
    graph, boundary = window.views["graph"], window.views["boundary"]
    snap = window.snapshot
    layer, unit = graph.groups[0][-1], 2
    graph.hover_requested.emit((layer, unit))
    np.testing.assert_array_equal(boundary.image.image, snap.neuron_maps[layer][unit])
    assert "neuron 3" in boundary.caption.text() and boundary.caption.isVisible()
    graph.hover_requested.emit(None)
    np.testing.assert_array_equal(boundary.image.image, snap.grid.values)


def test_the_graph_grows_its_neurons_with_the_room_and_names_the_inputs(qtbot, open_window):
    window = open_window()
    graph = window.views["graph"]
    window.arrangement.narrow()
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    small = graph._node_px
    window.resize(2400, 1500)
    qtbot.waitUntil(lambda: graph._node_px > small)
    assert small >= 20 and graph._node_px <= 64
    assert [label.textItem.toPlainText() for label in graph._input_labels] == ["x₁", "x₂"]


def test_held_keys_build_no_backlog(qtbot, open_window):
    """A held → or Shift+→ is one command, not dozens a second queued behind a slow
    update (Qt drops the repeats of actions that do not auto-repeat)."""
    window = open_window()
    for action in (window.player.phase_action, window.player.step_action, window.player.epoch_action):
        assert not action.autoRepeat()
    window.player.phase_action.trigger()
    snap = wait_for_snapshot(qtbot, window, lambda s: s.phase is not None)
    assert snap.steps_done == 0 and snap.phase.number == 1
