"""Rewinding by checkpoints and deterministic replay."""

import numpy as np
import pytest

from nnviz.engine import SGD, Adam, BatchNorm, Dense, Dropout, Sequential, Trainer, make_dataset
from nnviz.engine.timeline import Timeline


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
