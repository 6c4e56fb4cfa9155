"""TrainingRun: one update, one phase, live settings, rewinding, snapshots that never change."""

import copy

import numpy as np
import pytest

from nnviz.engine import Config, ConfigError, TrainingRun
from nnviz.engine.records import StepRecord


def config(**training):
    return Config.from_dict({
        "data": {"dataset": "circle", "n": 80, "noise": 0.1, "seed": 1},
        "network": {"hidden": [{"type": "Dense", "units": 5, "activation": "tanh"},
                               {"type": "Dropout", "rate": 0.3},
                               {"type": "Dense", "units": 3, "activation": "relu"}]},
        "training": {"learning_rate": 0.1, "batch_size": 8, **training}})


def params(run):
    return [a.copy() for _, _, a in run.model.parameters()]


def assert_same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def test_a_whole_update_equals_its_phases_taken_one_by_one():
    whole, phased = TrainingRun(config()), TrainingRun(config())
    for _ in range(3):
        whole.update()
        kinds = []
        while True:
            kinds.append(phased.phase().kind)
            if kinds[-1] == "update":
                break
    assert kinds[0] == "forward" and "loss" in kinds and kinds[-1] == "update"
    assert whole.steps_done == phased.steps_done == 3
    assert_same(params(whole), params(phased))


def test_a_live_setting_changed_mid_phase_applies_from_the_next_update_and_replays_exactly():
    run = TrainingRun(config(l2=0.001))
    for _ in range(3):
        run.update()
    run.phase()
    run.phase()  # update 4 is in progress
    run.set_hyper(l2=0.001, learning_rate=0.3)  # the case: one unchanged, one changed
    fourth = run.update()  # finishes update 4 with the settings it began with
    assert fourth.learning_rate == 0.1
    fifth, sixth = run.update(), run.update()
    assert fifth.learning_rate == sixth.learning_rate == 0.3
    at_six = params(run)
    run.seek(2)
    assert run.steps_done == 2 and run.viewing == 2
    run.seek(6)
    assert run.viewing is None
    assert_same(params(run), at_six)  # forward again: bit for bit


def test_continuing_from_a_rewound_update_replays_the_same_history_when_nothing_changed():
    reference = TrainingRun(config())
    for _ in range(7):
        reference.update()
    run = TrainingRun(config())
    for _ in range(7):
        run.update()
    run.seek(3)
    for _ in range(4):
        run.update()  # training from update 3: the later 4 are discarded, then redone
    assert run.notices and "discarded" in run.notices[-1]
    assert_same(params(run), params(reference))


def test_setting_changes_are_replayed_at_the_update_they_were_made():
    run = TrainingRun(config())
    for k in range(1, 9):
        if k in (3, 6):
            run.set_hyper(learning_rate=0.05 * k, batch_size=4 + k)
        run.update()
    at_eight = params(run)
    for back in (1, 4, 7, 0):
        run.seek(back)
        run.seek(8)
        assert_same(params(run), at_eight)


def test_a_snapshot_taken_at_any_phase_never_changes_afterwards():
    run = TrainingRun(config(l2=0.01))
    run.update()
    taken = []
    while True:
        phase = run.phase()
        snap = run.snapshot()
        taken.append((snap, _fingerprint(snap)))
        if phase.kind == "update":
            break
    run.update()
    run.snapshot()
    for snap, before in taken:
        assert _fingerprint(snap) == before, snap.phase


def _fingerprint(snap):
    """Every array and scalar a snapshot's record holds, copied."""
    out = []
    rec: StepRecord = snap.record
    out.append((rec.step, rec.loss if rec.loss == rec.loss else None, rec.learning_rate))
    for layer in rec.layers:
        for name in ("x", "h", "z", "dz", "dh", "dx", "dW", "db", "mask", "W", "b"):
            value = getattr(layer, name, None)
            out.append((name, None if value is None else value.tobytes()))
        out.append(("grads", tuple(sorted((k, v.tobytes()) for k, v in layer.grads.items()))))
    out.append(tuple(a.tobytes() for _, _, a in snap.params))
    out.append(snap.phase)
    return out


def test_a_failing_update_leaves_a_clean_state_and_no_extra_history():
    run = TrainingRun(config())
    run.update()
    rows = run.snapshot().history.length
    trainer = run.trainer
    original = trainer.step

    def broken():
        raise FloatingPointError("boom")
    trainer.step = broken
    with pytest.raises(FloatingPointError):
        run.update()
    trainer.step = original
    assert run.snapshot().history.length == rows  # no row for an update that did not happen
    assert run.update().step == 1


def test_set_hyper_refuses_what_is_not_live_or_not_valid():
    run = TrainingRun(config())
    with pytest.raises(ConfigError, match="training.learning_rate"):
        run.set_hyper(learning_rate=-1)
    with pytest.raises(ConfigError, match="training.runs"):
        run.set_hyper(runs=3)
    assert run.config.training.learning_rate == 0.1


def test_several_initialisations_stay_in_step_and_rewind_together():
    run = TrainingRun(config(runs=3))
    assert len(run.models) == 3 and run.models[0] is run.model
    for _ in range(4):
        run.update()
    assert run.run_steps() == [4, 4, 4]
    run.seek(1)
    assert run.run_steps() == [1, 1, 1]
    W = [m.layers[0].W for m in run.models]
    assert not np.allclose(W[0], W[1])  # other seeds


def test_save_and_load_continue_exactly(tmp_path):
    run = TrainingRun(config(optimizer="adam", learning_rate=0.01))
    for _ in range(5):
        run.update()
    path = str(tmp_path / "s.nnviz")
    run.save(path, meta={"title": "t"})
    loaded = TrainingRun.load(path)
    assert loaded.steps_done == 5 and loaded.meta["title"] == "t"
    assert loaded.snapshot().history.length == run.snapshot().history.length
    for _ in range(3):
        run.update()
        loaded.update()
    assert_same(params(run), params(loaded))


def test_saving_in_the_middle_of_a_phase_stepped_update_saves_the_state_before_it(tmp_path):
    run = TrainingRun(config())
    run.update()
    before = copy.deepcopy(run.trainer.state())
    run.phase()
    run.phase()
    path = str(tmp_path / "mid.nnviz")
    run.save(path)
    loaded = TrainingRun.load(path)
    assert loaded.steps_done == 1
    assert loaded.trainer.state()["pos"] == before["pos"]
    run.update()  # finish the update in progress
    loaded.update()
    assert_same(params(loaded), params(run))


def test_stacked_initialisations_train_their_curves_exactly_as_separate_runs():
    stacked = TrainingRun(config(runs=3, optimizer="adam", learning_rate=0.01))
    singles = [TrainingRun(config(optimizer="adam", learning_rate=0.01).with_changes({"network.seed": r}))
               for r in range(3)]
    for run in [stacked, *singles]:
        run.train(23)
    curves = stacked.snapshot().history.get("run_train_loss")
    for r, single in enumerate(singles):
        np.testing.assert_array_equal(curves[:, r], single.snapshot().history.train_loss)
        assert_same(params_of(stacked.models[r]), params_of(single.model))
    main, alone = stacked.snapshot().record, singles[0].snapshot().record
    assert main.loss == alone.loss and main.layers[0].dW.shape == alone.layers[0].dW.shape
    np.testing.assert_array_equal(main.layers[-1].dz, alone.layers[-1].dz)


def params_of(model):
    return [a.copy() for _, _, a in model.parameters()]


def test_rewinding_stacked_initialisations_is_exact_for_every_run():
    run = TrainingRun(config(runs=3, momentum=0.9))
    for _ in range(40):
        run.update()
    at_40 = [params_of(m) for m in run.models]
    run.seek(7)
    run.seek(40)
    for model, before in zip(run.models, at_40):
        assert_same(params_of(model), before)
    run.seek(12)
    for _ in range(28):
        run.update()  # from update 12 again: the same 28 updates
    for model, before in zip(run.models, at_40):
        assert_same(params_of(model), before)


def test_an_initialisation_that_diverges_is_told_and_the_others_go_on():
    run = TrainingRun(config(runs=3))
    state = run.trainer.state()
    W = state["layers"][2]["W"].copy()
    W[2, 1] *= 1e300  # initialisation 3 starts where its relu layer must overflow
    state["layers"][2] = {**state["layers"][2], "W": W}
    run.trainer.restore(state)
    run.tape.start(run.trainer)
    for _ in range(30):
        run.update()
    assert any("Initialisation 3 (weight seed 2) stopped" in n for n in run.notices)
    stopped_at = run.trainer.stopped[2]
    assert run.run_steps() == [30, 30, stopped_at]
    run.seek(0)  # before it stopped, it is healthy again …
    assert run.run_steps() == [0, 0, 0]
    run.seek(30)  # … and stops again at the same update, without a second notice
    assert run.run_steps() == [30, 30, stopped_at]
    assert sum("Initialisation 3" in n for n in run.notices) == 1


def test_a_session_saved_from_stacked_runs_holds_the_main_run(tmp_path):
    run = TrainingRun(config(runs=3, optimizer="adam", learning_rate=0.01))
    for _ in range(9):
        run.update()
    path = str(tmp_path / "stacked.nnviz")
    run.save(path)
    loaded = TrainingRun.load(path)
    assert loaded.config.training.runs == 1
    for _ in range(5):
        run.update()
        loaded.update()
    assert_same(params_of(loaded.model), params_of(run.model))
