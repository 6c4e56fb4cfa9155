"""The worker alone, in the test's thread: one snapshot per command, errors reported once."""

import types

import pytest

from nnviz.lessons import load_lesson
from nnviz.ui import worker as worker_module
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


def test_training_naps_so_that_the_gui_thread_gets_the_gil(worker, monkeypatch):
    """CPython 3.11 hands the GIL over only after a whole switch interval without a
    release, and NumPy's gathers release it every update: without naps the GUI thread
    waited up to 300 ms. A chunk of updates must nap every GIL_YIELD_EVERY seconds."""
    clock, naps = [1000.0], []

    def nap(seconds):
        naps.append((clock[0], seconds))
    monkeypatch.setattr(worker_module, "time", types.SimpleNamespace(perf_counter=lambda: clock[0], sleep=nap))
    update = worker.run.update

    def one_millisecond_update():
        update()
        clock[0] += 0.001
    monkeypatch.setattr(worker.run, "update", one_millisecond_update)
    worker._playing, worker._last_publish = True, clock[0]  # playing, no frame due yet
    start = clock[0]
    worker._tick()
    trained = clock[0] - start
    assert trained == pytest.approx(worker_module.CHUNK_SECONDS, abs=0.0015)
    assert [seconds for _, seconds in naps] == [worker_module.GIL_NAP] * len(naps)
    times = [start] + [t for t, _ in naps] + [clock[0]]
    # never more than 5 ms without a nap (the GUI's wait for the GIL is bounded by it)
    assert max(b - a for a, b in zip(times, times[1:])) <= 0.005 + 1e-9
