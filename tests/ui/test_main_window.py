"""The main window: change the model through the window, assert on the widgets."""

import numpy as np
import pytest

from nnviz.engine.config import Config
from nnviz.engine.snapshot import TimelineInfo
from nnviz.lessons import Lesson

from .conftest import enter_text, wait_for_snapshot


def step(qtbot, window):
    """Press Step; the first snapshot shown after the one on screen (a frame of the same
    update still finishing is not the step's)."""
    before = window.snapshot.steps_done
    with qtbot.waitSignal(window.snapshot_shown, timeout=5000,
                          check_params_cb=lambda snap: snap.steps_done != before) as blocker:
        window.player.step_action.trigger()
    return blocker.args[0]


def test_the_window_opens_on_the_default_lesson(open_window):
    window = open_window()
    snap = window.snapshot
    assert "Circle" in window.windowTitle()
    assert snap.steps_done == 0 and snap.record is None
    boundary = window.views["boundary"]
    np.testing.assert_array_equal(boundary.image.image, snap.grid.values)
    n_blue = int((snap.dataset.y_train == 1).sum())
    assert len(boundary.train_points[1].data) == n_blue
    assert "Update 0" in window.status_label.text()
    assert window.docks["curves"].isVisible()


def test_step_advances_exactly_one_update_and_the_views_change(qtbot, open_window):
    window = open_window()
    before = window.snapshot
    snap = step(qtbot, window)
    assert snap.steps_done == 1 and snap.record.step == 0
    assert not np.array_equal(snap.grid.values, before.grid.values)
    np.testing.assert_array_equal(window.views["boundary"].image.image, snap.grid.values)
    curves = window.views["curves"]
    x, y = curves.train_loss.getData()
    np.testing.assert_array_equal(x, snap.history.step)
    np.testing.assert_array_equal(y, snap.history.train_loss)
    assert "Update 1" in window.status_label.text()
    assert step(qtbot, window).steps_done == 2


def test_play_then_pause(qtbot, open_window):
    window = open_window()
    window.play()
    assert window.player.play_action.text().endswith("Pause")
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done > 50)
    window.pause()
    paused = wait_for_snapshot(qtbot, window, lambda s: not s.playing)
    assert window.player.play_action.text().endswith("Play")
    # Nothing trained after the pause: the next step is exactly one update further.
    # (A deterministic check, not a wait for something not to happen.)
    assert step(qtbot, window).steps_done == paused.steps_done + 1


def test_a_learning_rate_change_mid_run_applies_without_reset(qtbot, open_window):
    window = open_window()
    for _ in range(3):
        step(qtbot, window)
    generation = window.snapshot.generation
    enter_text(window.controls.learning_rate, "0.3")
    window.controls.batch_size.setValue(4)
    snap = step(qtbot, window)
    assert snap.steps_done == 4 and snap.generation == generation
    assert snap.record.learning_rate == 0.3
    assert snap.record.batch_indices.size == 4
    assert snap.config.training.learning_rate == 0.3


def test_an_invalid_learning_rate_is_named_and_not_applied(qtbot, open_window):
    window = open_window()
    enter_text(window.controls.learning_rate, "fast")
    assert "training.learning_rate" in window.message_bar.text()
    assert step(qtbot, window).record.learning_rate == 0.03


def test_an_architecture_change_resets_and_says_so(qtbot, open_window):
    window = open_window()
    for _ in range(3):
        step(qtbot, window)
    before = window.snapshot
    window.controls.layers._on_add_requested("Dense")
    snap = wait_for_snapshot(qtbot, window, lambda s: s.generation > before.generation)
    assert snap.steps_done == 0
    assert len(snap.config.network.hidden) == 3
    assert sum(p.size for *_, p in snap.params) > sum(p.size for *_, p in before.params)
    assert "rebuilt" in window.message_bar.text()


def test_a_snapshot_from_before_a_reset_is_ignored(qtbot, open_window):
    window = open_window()
    old = window.snapshot
    window.reset()
    fresh = wait_for_snapshot(qtbot, window, lambda s: s.generation == 1)
    window.client._on_snapshot(old)  # arrives late, from generation 0
    later = step(qtbot, window)  # the next drawn snapshot is the step's: the old one was dropped
    assert later.generation == 1 and later.steps_done == fresh.steps_done + 1
    assert window.snapshot is later


def diverging_lesson():
    config = Config.from_dict({
        "data": {"dataset": "plane", "n": 100, "seed": 0},
        "network": {"hidden": [{"type": "Dense", "units": 8, "activation": "relu"},
                               {"type": "Dense", "units": 8, "activation": "relu"}], "output": "linear"},
        "training": {"learning_rate": 10.0, "batch_size": 10}})
    return Lesson("diverge", "Divergence", "", config)


def test_divergence_pauses_with_a_message_and_keeps_the_last_finite_state(qtbot, open_window):
    window = open_window(diverging_lesson())
    window.play()
    # (worker signals are waited for through their effect on the window: pytest-qt's
    # blockers must not be fired from the worker thread)
    qtbot.waitUntil(lambda: "non-finite" in window.message_bar.text(), timeout=10000)
    assert "Training paused: Update" in window.message_bar.text()
    assert window.message_bar.level == "warning"
    snap = wait_for_snapshot(qtbot, window, lambda s: not s.playing)
    assert not window.player.play_action.isChecked()
    assert snap.steps_done > 0
    assert all(np.isfinite(p).all() for *_, p in snap.params)


def test_an_engine_error_is_reported_and_the_thread_survives(qtbot, open_window, monkeypatch):
    window = open_window()

    def broken_step():
        raise RuntimeError("simulated engine fault")
    monkeypatch.setattr(window.client.worker.run.trainer, "step", broken_step)
    window.player.step_action.trigger()
    qtbot.waitUntil(lambda: "simulated engine fault" in window.message_bar.text())
    assert window.message_bar.details_button.isVisible()
    monkeypatch.undo()
    assert window.client.thread.isRunning()
    window.player.step_action.trigger()
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 1)


def test_a_broken_configuration_file_is_refused_and_nothing_is_lost(qtbot, open_window, tmp_path):
    window = open_window()
    step(qtbot, window)
    path = tmp_path / "broken.json"
    path.write_text('{"config": {"training": {"batch_size": -3}}}')
    assert not window.open_path(str(path))
    assert "broken.json: training.batch_size" in window.message_bar.text()
    assert window.snapshot.steps_done == 1 and window.snapshot.generation == 0


def test_save_configuration_round_trips(qtbot, open_window, tmp_path):
    window = open_window()
    window.controls.noise.setValue(0.35)  # the learner's own configuration, not the lesson's
    saved = window.config
    assert saved != window.lesson.config and saved.data.noise == 0.35
    path = tmp_path / "mine.json"
    assert window.save_config(str(path))
    window.lessons.confirm_leave = lambda lesson: True
    window.controls.noise.setValue(0.1)  # changed again before opening the file
    assert window.open_path(str(path))
    snap = wait_for_snapshot(qtbot, window, lambda s: s.config == saved and s.generation >= 2)
    assert window.config == saved and snap.config == saved


@pytest.mark.parametrize("lesson", ["regression", "spiral", "xor"])
def test_other_lessons_open_and_step(qtbot, open_window, lesson):
    window = open_window(lesson)
    snap = step(qtbot, window)
    assert snap.steps_done == 1
    assert snap.regression == (lesson == "regression")
    assert window.views["curves"].acc_plot.isVisible() == (not snap.regression)


def test_step_phase_walks_through_one_update_in_the_lecture_order(qtbot, open_window):
    window = open_window()
    seen = []
    for _ in range(2 * 3 + 2):  # circle lesson: 3 layers forward, loss, 3 backward, update
        with qtbot.waitSignal(window.snapshot_shown, timeout=5000) as blocker:
            window.player.phase_action.trigger()
        seen.append((blocker.args[0].phase.kind, blocker.args[0].phase.layer))
    assert seen == [("forward", 0), ("forward", 1), ("forward", 2), ("loss", 2),
                    ("backward", 2), ("backward", 1), ("backward", 0), ("update", -1)]
    snap = window.snapshot
    assert snap.steps_done == 1 and "phase 8 of 8" in window.status_label.text()


def test_a_full_step_in_the_middle_of_phases_finishes_that_update(qtbot, open_window):
    window = open_window()
    for _ in range(3):
        with qtbot.waitSignal(window.snapshot_shown, timeout=5000):
            window.player.phase_action.trigger()
    assert window.snapshot.steps_done == 0
    snap = step(qtbot, window)
    assert snap.steps_done == 1 and snap.phase is None


def test_rewind_shows_update_k_and_continuing_discards_the_rest(qtbot, open_window):
    window = open_window()
    for _ in range(6):
        step(qtbot, window)
    sixth = window.snapshot
    window.timeline.seek_requested.emit(2)
    snap = wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 2)
    assert snap.timeline == TimelineInfo(0, 6, 2)
    assert snap.record.step == 1  # the record of update 2 (0-based step 1)
    assert "rewound" in window.timeline.label.text()
    assert snap.history.step[-1] == 2 and snap.history.step.max() == 2
    window.timeline.back.trigger()  # Left: one more back
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 1)
    window.timeline.seek_requested.emit(6)  # forward to the end again: the same state as before
    snap = wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 6)
    assert snap.timeline.viewing is None
    for (_, _, a), (_, _, b) in zip(snap.params, sixth.params):
        np.testing.assert_array_equal(a, b)
    window.timeline.seek_requested.emit(3)
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 3)
    snap = step(qtbot, window)
    assert snap.steps_done == 4 and snap.timeline == TimelineInfo(0, 4, None)
    qtbot.waitUntil(lambda: "the 3 later updates were discarded" in window.message_bar.text())


def test_the_timeline_survives_reset_and_architecture_changes(qtbot, open_window):
    window = open_window()
    for _ in range(3):
        step(qtbot, window)
    window.timeline.seek_requested.emit(1)
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 1)
    window.controls.layers._on_add_requested("Dense")
    snap = wait_for_snapshot(qtbot, window, lambda s: s.generation == 1)
    assert snap.timeline == TimelineInfo(0, 0, None)
    assert step(qtbot, window).timeline == TimelineInfo(0, 1, None)
    window.reset()
    assert wait_for_snapshot(qtbot, window, lambda s: s.generation == 2).timeline == TimelineInfo(0, 0, None)


def test_session_save_and_open_restores_and_continues(qtbot, open_window, tmp_path):
    window = open_window()
    for _ in range(4):
        step(qtbot, window)
    saved = window.snapshot
    path = str(tmp_path / "lecture.nnviz")
    window.data.save_session(path)
    qtbot.waitUntil(lambda: "Saved the session at update 4" in window.message_bar.text())
    for _ in range(2):
        step(qtbot, window)
    after_six = window.snapshot
    assert window.data.open_session(path)
    snap = wait_for_snapshot(qtbot, window, lambda s: s.generation > after_six.generation)
    assert snap.steps_done == 4
    for (_, _, a), (_, _, b) in zip(snap.params, saved.params):
        np.testing.assert_array_equal(a, b)
    assert snap.history.length == saved.history.length
    for _ in range(2):
        again = step(qtbot, window)
    for (_, _, a), (_, _, b) in zip(again.params, after_six.params):
        np.testing.assert_array_equal(a, b)  # continues exactly as the original run


def test_a_corrupted_session_is_refused_and_nothing_changes(qtbot, open_window, tmp_path):
    window = open_window()
    step(qtbot, window)
    path = tmp_path / "broken.nnviz"
    path.write_bytes(b"PK\x03\x04 definitely not a zip")
    before = window.snapshot
    window.data.open_session(str(path))
    qtbot.waitUntil(lambda: "broken.nnviz" in window.message_bar.text())
    snap = wait_for_snapshot(qtbot, window, lambda s: s.generation == 1)  # the old run, re-stamped
    assert snap.steps_done == 1 and window.config == before.config
    for (_, _, a), (_, _, b) in zip(snap.params, before.params):
        np.testing.assert_array_equal(a, b)
