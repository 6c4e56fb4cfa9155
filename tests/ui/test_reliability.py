"""Reliability: unexpected errors are reported and logged, hammering the controls
breaks nothing, bad files are refused."""

import numpy as np
import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication

from nnviz.engine.config import ConfigError
from nnviz.lessons import load_lesson

from .conftest import enter_text, wait_for_snapshot


@pytest.fixture
def test_paths():
    QStandardPaths.setTestModeEnabled(True)  # the log goes to a test location
    yield
    QStandardPaths.setTestModeEnabled(False)


def test_an_unexpected_exception_opens_a_dialog_and_is_logged(qtbot, test_paths):
    from nnviz.ui.crash import CrashReporter, log_path

    reporter = CrashReporter(QApplication.instance())
    try:
        raise ZeroDivisionError("a slot divided by zero")
    except ZeroDivisionError as err:
        with qtbot.waitSignal(reporter.reported):
            reporter.handle(type(err), err, err.__traceback__)
    box = reporter.dialogs[-1]
    assert box.isVisible() and "a slot divided by zero" in box.text()
    assert "ZeroDivisionError" in box.detailedText()
    with open(log_path(), encoding="utf-8") as f:
        assert "a slot divided by zero" in f.read()
    box.close()


def test_hammering_every_control_while_playing(qtbot, open_window):
    """Play, pause, step, phase, epoch, rewind, reset and architecture changes, in a
    seeded random order with no waiting: no deadlock, no crash, no stale snapshot."""
    window = open_window()
    rng = np.random.default_rng(0)
    actions = [window.play, window.pause, window.step, window.step_phase, window.player.epoch_action.trigger,
               lambda: window.timeline.seek_requested.emit(int(rng.integers(0, 50))),
               window.reset, lambda: window.controls.model_seed.setValue(int(rng.integers(0, 5))),
               lambda: enter_text(window.controls.learning_rate, str(rng.choice(["0.1", "0.3", "0.03"])))]
    for _ in range(150):
        actions[int(rng.integers(len(actions)))]()
        QApplication.processEvents()
    window.pause()
    final = window.client.generation
    snap = wait_for_snapshot(qtbot, window, lambda s: s.generation == final and not s.playing)
    assert window.client.thread.isRunning()
    window.step()
    assert wait_for_snapshot(qtbot, window, lambda s: s.steps_done == snap.steps_done + 1).generation == final


def test_reset_and_architecture_change_while_playing_draw_no_stale_snapshot(qtbot, open_window):
    window = open_window()
    window.play()
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done > 20)
    window.controls.layers._on_add_requested("Dense")
    drawn = []
    window.snapshot_shown.connect(lambda s: drawn.append(s.generation))
    wait_for_snapshot(qtbot, window, lambda s: s.generation == 1)  # a reset pauses
    window.play()
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done > 5)
    window.pause()
    assert drawn and set(drawn) == {1}  # nothing from the old network after the change


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:
        f.seek(6 * 2**20)
        f.write(b"}")
    with pytest.raises(ConfigError, match="huge.json: .*too large"):
        load_lesson(str(path))


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00garbage", b"[1, 2", b"null", b'{"config": 3}'])
def test_empty_or_foreign_configuration_files_are_refused(tmp_path, content):
    path = tmp_path / "weird.json"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match="weird.json"):
        load_lesson(str(path))
