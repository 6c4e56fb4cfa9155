"""Rewinding by checkpoints and deterministic replay."""

import numpy as np
import pytest

from nnviz.engine import SGD, Adam, BatchNorm, Dense, Dropout, Sequential, Trainer, make_dataset
from nnviz.engine.timeline import MAX_EVERY, Timeline, state_nbytes


def trainer(optimizer=None):
    data = make_dataset("circle", n=120, noise=0.1, seed=0, test_ratio=0.0)
    model = Sequential(2, [Dense(6, "relu"), BatchNorm(), Dropout(0.2), Dense(4, "tanh"), Dense(2, "softmax")], seed=1)
    t = Trainer(model, optimizer=optimizer or Adam(0.01), batch_size=16, seed=2)
    t.set_data(data.X_train, data.y_train)
    return t


def run(t, timeline, n):
    records = []
    for _ in range(n):
        rec = t.step()
        timeline.after_update(t, rec.loss)
        records.append(rec)
    return records


@pytest.mark.parametrize("k", [0, 1, 37, 40, 99, 120])
def test_rewinding_to_k_then_stepping_reproduces_the_original_updates(k):
    t, timeline = trainer(), Timeline(every=20, recent=1000)
    timeline.start(t)
    original = run(t, timeline, 150)
    rec = timeline.seek(t, k)
    assert t.steps_done == k
    if k:
        assert rec.loss == original[k - 1].loss
        np.testing.assert_array_equal(rec.layers[0].h, original[k - 1].layers[0].h)
    again = [t.step() for _ in range(150 - k)]
    for a, b in zip(again, original[k:]):
        assert a.loss == b.loss
        np.testing.assert_array_equal(a.layers[-1].dz, b.layers[-1].dz)
    updates, losses = timeline.losses()
    assert updates[k] == k + 1 and losses[k] == pytest.approx(original[k].loss, rel=1e-6)


def test_a_hyper_parameter_change_is_a_checkpoint_so_replay_respects_it():
    t, timeline = trainer(SGD(0.05)), Timeline(every=50, recent=1000)
    timeline.start(t)
    run(t, timeline, 30)
    t.learning_rate = 0.5
    timeline.checkpoint(t)
    original = run(t, timeline, 30)
    rec = timeline.seek(t, 45)
    assert rec.learning_rate == 0.5 and rec.loss == original[14].loss


def test_checkpoints_are_thinned_and_memory_stays_bounded():
    t, timeline = trainer(SGD(0.05)), Timeline(every=10, recent=200, max_checkpoints=30)
    timeline.start(t)
    run(t, timeline, 3000)
    points = timeline.checkpoints
    assert len(points) <= 30 and points[0] == 0
    recent = [c for c in points if c >= 3000 - 200]
    assert np.all(np.diff(recent) == 10)  # recent history stays dense
    # bound: 30 states + 16 bytes a step
    one_state = timeline.nbytes() - timeline._losses.nbytes
    assert timeline.nbytes() < 31 * (one_state / len(points)) + 16 * 4096
    rec = timeline.seek(t, 1234)  # an old, thinned stretch still replays exactly
    updates, losses = timeline.losses()
    assert t.steps_done == 1234 and rec.loss == pytest.approx(losses[updates == 1234][0], rel=1e-6)


def test_truncate_forgets_the_future():
    t, timeline = trainer(), Timeline(every=10)
    timeline.start(t)
    run(t, timeline, 55)
    timeline.seek(t, 23)
    timeline.truncate(23)
    assert timeline.end == 23 and max(timeline.checkpoints) <= 23
    run(t, timeline, 5)
    assert timeline.end == 28
    with pytest.raises(ValueError, match="k=40"):
        timeline.seek(t, 40)


def big_trainer(n=4000):
    data = make_dataset("circle", n=n, noise=0.1, seed=0, test_ratio=0.0)
    t = Trainer(Sequential(2, [Dense(4, "tanh"), Dense(2, "softmax")], seed=1), optimizer=SGD(0.05),
                batch_size=16, seed=2)
    t.set_data(data.X_train, data.y_train)
    return t


def test_checkpoints_keep_the_epochs_generator_state_not_a_copy_of_its_order():
    t, timeline = big_trainer(), Timeline(every=10)
    timeline.start(t)
    run(t, timeline, 300)  # mid-epoch of 4,000 points
    params = sum(a.nbytes for _, _, a in t.model.parameters())
    for k in timeline.checkpoints:
        assert state_nbytes(timeline._checkpoints[k]) <= params  # no (N,) permutation inside
    before = t.state()
    original = run(t, timeline, 7)
    rec = timeline.seek(t, 300)
    assert t._pos == before["pos"] and np.array_equal(t._perm, timeline_order(before, 4000))
    again = [t.step() for _ in range(7)]
    assert [a.loss for a in again] == [b.loss for b in original] and rec is not None


def timeline_order(state, n):
    generator = np.random.Generator(np.random.PCG64())
    generator.bit_generator.state = state["epoch_rng"]
    return generator.permutation(n)


def test_the_checkpoint_spacing_follows_the_measured_update_cost():
    t, timeline = trainer(SGD(0.05)), Timeline(replay_seconds=0.01)
    timeline.start(t)
    for _ in range(200):
        rec = t.step()
        timeline.after_update(t, rec.loss, seconds=0.001)  # 1 ms an update: 10 of them in 10 ms
    assert timeline.every == 10
    gaps = np.diff(timeline.checkpoints)
    assert set(gaps[1:].tolist()) == {10}
    for _ in range(1000):
        rec = t.step()
        timeline.after_update(t, rec.loss, seconds=1e-6)  # a fast net: at most MAX_EVERY
    assert timeline.every == MAX_EVERY


def test_big_states_keep_fewer_checkpoints_within_the_memory_budget():
    t = trainer(Adam(0.01))
    t.step()
    one = state_nbytes(t.state())
    timeline = Timeline(every=5, max_bytes=20 * one)
    timeline.start(t)
    run(t, timeline, 500)
    assert timeline.checkpoint_limit == 20 and len(timeline.checkpoints) <= 20
    assert timeline.nbytes() - timeline._losses.nbytes <= 21 * one
    rec = timeline.seek(t, 123)
    assert t.steps_done == 123 and rec.step == 122


def test_the_per_update_losses_stay_bounded_and_recent_ones_exact():
    t, timeline = trainer(SGD(0.05)), Timeline(every=50, max_losses=64)
    timeline.start(t)
    records = run(t, timeline, 1000)
    updates, losses = timeline.losses()
    assert len(updates) <= 64 and timeline._losses.nbytes <= 64 * 16
    assert np.all(np.diff(updates) > 0) and updates[-1] == 1000
    for k, loss in zip(updates[-16:], losses[-16:]):
        assert loss == records[k - 1].loss
    timeline.truncate(990)
    assert timeline.losses()[0][-1] == 990
