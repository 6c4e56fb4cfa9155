"""The worker alone, in the test's thread: one snapshot per command, errors reported once."""

import pytest

from nnviz.lessons import load_lesson
from nnviz.ui.worker import TrainingWorker


@pytest.fixture
def worker(qtbot):
    worker = TrainingWorker(load_lesson("circle").config)
    worker.published, worker.messages = [], []
    worker.snapshot_ready.connect(worker.published.append)
    for signal in (worker.failed, worker.stopped, worker.rejected, worker.notice):
        signal.connect(worker.messages.append)
    worker.start()  # builds the run and publishes once
    yield worker
    worker.shutdown()


def test_every_command_publishes_exactly_one_snapshot(worker):
    assert len(worker.published) == 1
    for name, args in (("step", ()), ("phase", ()), ("seek", (0,)), ("pause", ()), ("reset", (worker.run.config, 1))):
        before = len(worker.published)
        worker.command(name, args)
        assert len(worker.published) == before + 1, name
    assert worker.published[-1].generation == 1


def test_a_failing_step_publishes_once_and_adds_no_history_row(worker, monkeypatch):
    worker.command("step", ())
    rows = worker.published[-1].history.length

    def broken():
        raise RuntimeError("simulated engine fault")
    monkeypatch.setattr(worker.run.trainer, "step", broken)
    before = len(worker.published)
    worker.command("step", ())
    assert len(worker.published) == before + 1
    assert worker.published[-1].history.length == rows
    assert len(worker.messages) == 1 and "simulated engine fault" in worker.messages[0]


def test_a_configuration_that_cannot_be_built_keeps_the_run(worker, tmp_path):
    run = worker.run
    config = run.config.with_changes({"data.dataset": "csv", "data.path": str(tmp_path / "missing.csv"),
                                      "data.columns": ["a", "b"], "data.label": "y"})
    worker.command("reset", (config, 1))
    assert worker.run is run and worker.published[-1].generation == 1
    assert worker.messages[-1].startswith("Not applied: ") and "missing.csv" in worker.messages[-1]
