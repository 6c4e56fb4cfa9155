"""Rosenblatt's rule and perceptron networks, against hand computations."""

import numpy as np
import pytest

from nnviz.engine import make_dataset
from nnviz.engine.perceptron import MulticlassPerceptron, Perceptron, homogeneous, is_separator
from nnviz.engine.perceptron_network import (AndGroup, ClassNetworks, OrNetwork, circle_example,
                                             line_through, polygon, xor_example)

# Four points, by hand: x̃ = (x1, x2, 1)
X4 = np.array([[2.0, 1.0], [1.0, 3.0], [-1.0, -1.0], [-2.0, 1.0]])
Y4 = np.array([1, 1, -1, -1])


def test_four_points_by_hand():
    p = Perceptron(X4, Y4, policy="first")
    # w0 = 0: every point has y·wᵀx̃ = 0 <= 0, so point 0 is first: w1 = 0 + 1·(2, 1, 1)
    s1 = p.step()
    assert s1.index == 0 and s1.w_after.tolist() == [2, 1, 1]
    # w1·x̃: p0 4+1+1=6 ok; p1 2+3+1=6 ok; p2 −2−1+1=−2 → y·=2 ok; p3 −4+1+1=−2 → y·=2 ok
    assert p.step() is None
    assert p.updates == 1 and is_separator(p.w, X4, Y4)


def test_harder_hand_case_counts_updates():
    X = np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 0.5]])
    y = np.array([1, -1, -1])
    p = Perceptron(X, y, policy="first")
    trace = []
    while (s := p.step()) is not None:
        trace.append((s.index, s.w_after.tolist()))
    # w: 0 → +(1,1,1) = (1,1,1); p1: 2+0+1=3 → y· = −3 wrong → −(2,0,1) = (−1,1,0);
    # p0: −1+1+0=0 → wrong → +(1,1,1) = (0,2,1); p1: 0+0+1=1 → −1 wrong → (−2,2,0);
    # p0: 0 → wrong → (−1,3,1); p1: −2+0+1=−1 → ok; p2: 0+1.5+1=2.5 → −2.5 wrong → (−1,2.5,0);
    # p0: 1.5 ok, p1: −2 → ok, p2: 1.25 → wrong → (−1,2,−1); p0: 0 → wrong → (0,3,0);
    # p1: 0 → wrong → (−2,3,−1); p0: 0 → wrong → (−1,4,0); p1: −2 ok; p2: 2 → wrong → (−1,3.5,−1);
    # p0: 1.5 ok; p1: −3 ok; p2: 0.75 → wrong → (−1,3,−2); p0: 0 → wrong → (0,4,−1);
    # p1: −1 ok; p2: 1 → wrong → (0,3.5,−2); p0: 1.5 ok; p1: −2 ok; p2: −0.25 ok. Done.
    assert [i for i, _ in trace] == [0, 1, 0, 1, 0, 2, 2, 0, 1, 0, 2, 2, 0, 2]
    assert trace[-1][1] == [0.0, 3.5, -2.0]
    assert is_separator(p.w, X, y)


def test_each_update_is_w_plus_y_x():
    data = make_dataset("separable", n=60, seed=2, test_ratio=0.0)
    p = Perceptron(data.X_train, data.y_train, policy="random", seed=1)
    for _ in range(30):
        s = p.step()
        if s is None:
            break
        np.testing.assert_array_equal(s.w_after, s.w_before + s.y * s.x)
        assert s.y * (s.w_before @ s.x) <= 0  # it was misclassified


@pytest.mark.parametrize("policy", ["first", "cyclic", "random"])
def test_converges_on_separable_data_to_a_valid_separator(policy):
    data = make_dataset("separable", n=100, noise=0.0, seed=4, test_ratio=0.0)
    p = Perceptron(data.X_train, data.y_train, policy=policy)
    result = p.fit(max_epochs=1000)
    assert result.converged and "converged" in result.reason
    assert is_separator(p.w, data.X_train, data.y_train)


def test_non_separable_data_stops_at_max_epochs_and_says_why():
    data = make_dataset("xor", n=80, seed=0, test_ratio=0.0)
    p = Perceptron(data.X_train, data.y_train)
    result = p.fit(max_epochs=25)
    assert not result.converged and result.epochs == 25
    assert "not be linearly separable" in result.reason


def test_bad_arguments():
    with pytest.raises(ValueError, match="policy"):
        Perceptron(X4, Y4, policy="best")
    with pytest.raises(ValueError, match="labels"):
        Perceptron(X4, np.array([0, 1, 2, 1]))
    with pytest.raises(ValueError, match="max_epochs"):
        Perceptron(X4, Y4).fit(0)


def test_and_or_membership_by_hand():
    # unit a fires where x1 > 1; unit b where x2 < 2 (−x2 + 2 > 0)
    a, b = np.array([1.0, 0.0, -1.0]), np.array([0.0, -1.0, 2.0])
    group = AndGroup([a, b])
    points = np.array([[2.0, 0.0], [0.0, 0.0], [2.0, 3.0], [5.0, 1.9]])
    assert group.contains(points).tolist() == [True, False, False, True]
    # OR with the region x1 < −1 (−x1 − 1 > 0)
    net = OrNetwork([group, AndGroup([np.array([-1.0, 0.0, -1.0])])])
    assert net.contains(np.array([[-3.0, 9.0], [0.0, 0.0], [2.0, 0.0]])).tolist() == [True, False, True]


def test_line_through_two_points_fires_on_the_chosen_side():
    w = line_through((0, 0), (1, 1), inside_point=(0, 1))
    assert w @ [0, 1, 1] > 0 and w @ [1, 0, 1] < 0 and abs(w @ [2, 2, 1]) < 1e-12


def test_the_built_in_examples_enclose_their_data_sets():
    circle = make_dataset("circle", n=400, noise=0.0, seed=0, test_ratio=0.0)
    assert circle_example().accuracy(circle.X_train, circle.y_train) > 0.97
    xor = make_dataset("xor", n=400, noise=0.0, seed=0, test_ratio=0.0)
    assert xor_example().accuracy(xor.X_train, xor.y_train) == 1.0


def test_octagon_is_eight_units():
    group = polygon((1.0, -1.0), 2.0, 8)
    assert len(group.units) == 8
    assert group.contains(np.array([[1.0, -1.0], [3.5, -1.0]])).tolist() == [True, False]


def test_class_networks_and_multiclass_perceptron():
    rng = np.random.default_rng(0)
    centres = np.array([[-4, -4], [4, -4], [0, 4]])
    y = np.repeat([0, 1, 2], 30)
    X = centres[y] + rng.normal(0, 0.7, (90, 2))
    multi = MulticlassPerceptron(X, y, policy="first")
    multi.fit(200)
    assert (multi.predict(X) == y).mean() > 0.95
    nets = ClassNetworks([OrNetwork([AndGroup([w])]) for w in multi.W])
    assert nets.accuracy(X, y) > 0.8
    assert set(np.unique(nets.predict(X))) <= {-1, 0, 1, 2}


def test_homogeneous_appends_a_one():
    assert homogeneous([[2.0, 3.0]]).tolist() == [[2.0, 3.0, 1.0]]
