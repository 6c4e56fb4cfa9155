"""``nnviz FILE.nnviz`` on hostile files: the window refuses each one with the message
naming the place, keeps what is open, and goes on training."""

from nnviz.engine.session import load_session

from ..deadline import deadline
from ..engine.hostile_corpus import BY_NAME, CASES
from .conftest import wait_for_snapshot


def test_the_window_refuses_every_hostile_session_and_keeps_training(qtbot, open_window, tmp_path):
    window = open_window()
    window.step()
    before = wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 1)
    cases = [case for case in CASES if case.read is load_session]
    assert len(cases) > 90
    for k, case in enumerate(cases):
        folder = tmp_path / f"c{k}"
        folder.mkdir()
        generation = window.client.generation
        with deadline():
            window.data.open_session(case.build(folder))
            snap = wait_for_snapshot(qtbot, window, lambda s: s.generation == generation + 1)
        message = window.message_bar.text()
        assert message.startswith("Not opened: ") and case.names in message, (case.name, message)
        assert snap.steps_done == 1 and snap.config == before.config, case.name  # the open work, untouched
        for (_, _, a), (_, _, b) in zip(snap.params, before.params):
            assert a is b or (a == b).all(), case.name
    window.step()
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 2)


def test_a_session_for_another_training_set_is_refused_by_the_worker(qtbot, open_window, tmp_path):
    window = open_window()
    path = BY_NAME["array/perm-of-another-training-set"].build(tmp_path)
    window.data.open_session(path)  # readable; only the built trainer can tell
    qtbot.waitUntil(lambda: "Not opened" in window.message_bar.text(), timeout=10_000)
    assert "perm" in window.message_bar.text()
    window.step()
    qtbot.waitUntil(lambda: window.snapshot is not None and window.snapshot.steps_done >= 1, timeout=10_000)
