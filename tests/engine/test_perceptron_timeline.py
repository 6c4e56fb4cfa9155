"""The perceptron's timeline: every recorded state comes back exactly, and continuing
from a rewound state does what the first run did."""

import numpy as np
import pytest

from nnviz.engine import make_dataset
from nnviz.engine.perceptron import Perceptron
from nnviz.engine.perceptron_timeline import PerceptronTimeline


def xor_timeline(policy="random", capacity=100_000):
    """XOR never converges: every command makes updates. "random" uses the generator."""
    data = make_dataset("xor", n=30, noise=0.0, seed=1, test_ratio=0.0)
    return PerceptronTimeline(Perceptron(data.X_train, data.y_train, policy=policy, seed=5), capacity)


@pytest.mark.parametrize("policy", ["first", "cyclic", "random"])
def test_seeking_restores_every_state_exactly(policy):
    timeline = xor_timeline(policy)
    p = timeline.perceptron
    states = [p.state()]
    for _ in range(25):
        timeline.step()
        states.append(p.state())
    for k in [0, 7, 25, 3, 12, 1]:
        timeline.seek(k)
        assert p.state().same_as(states[k]), k
        assert timeline.state_at(k).same_as(states[k])
    assert timeline.viewing == 1 and timeline.last == 25


def test_sweeps_are_recorded_update_by_update():
    timeline = xor_timeline("cyclic")
    p = timeline.perceptron
    timeline.step()
    steps = timeline.epoch()
    timeline.fit(2)
    assert len(steps) > 2 and p.epochs == 3
    for step in steps:  # the state after each update of the sweep, with its arithmetic
        k = step.update + 1
        timeline.seek(k)
        np.testing.assert_array_equal(p.w, step.w_after)
        again = timeline.step_at(k)
        assert (again.index, again.epoch, again.misclassified_after) == (step.index, step.epoch,
                                                                           step.misclassified_after)
        np.testing.assert_array_equal(again.w_before, step.w_before)
    timeline.seek(steps[-1].update + 1)  # the sweep had ended before the next update
    assert p.epochs == 1
    timeline.seek(timeline.last)
    assert p.epochs == 3 and timeline.viewing is None


def test_continuing_from_a_rewound_state_repeats_the_first_run():
    original = xor_timeline("random")
    for _ in range(40):
        original.step()
    final = original.perceptron.state()
    original.seek(15)
    for _ in range(25):
        original.step()  # continues from 15: the later record is discarded …
    assert original.discarded == 0 and original.last == 40
    assert original.perceptron.state().same_as(final)  # … and made again, identical (rng included)


def test_a_command_from_a_rewound_state_says_what_it_discarded():
    timeline = xor_timeline()
    for _ in range(10):
        timeline.step()
    timeline.seek(4)
    timeline.epoch()
    assert timeline.discarded == 6
    assert timeline.first == 0 and timeline.viewing is None
    assert timeline.step_at(5).update == 4  # the new update 5, made by the sweep
    timeline.step()
    assert timeline.discarded == 0  # at the latest state nothing is discarded


def test_the_oldest_updates_are_dropped_beyond_the_capacity():
    timeline = xor_timeline(capacity=10)
    p = timeline.perceptron
    states = [p.state()]
    for _ in range(25):
        timeline.step()
        states.append(p.state())
    assert timeline.last == 25 and 25 - 10 <= timeline.first <= 25 - 5
    timeline.seek(0)  # clamped to the oldest kept
    assert timeline.shown == timeline.first and p.state().same_as(states[timeline.first])
    assert timeline.step_at(timeline.first).update == timeline.first - 1  # its arithmetic is kept
    with pytest.raises(ValueError, match="Expected an update from"):
        timeline.state_at(0)
