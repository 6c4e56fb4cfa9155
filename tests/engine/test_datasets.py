import numpy as np
import pytest

from nnviz.engine import DATASET_NAMES, feature_map, make_dataset


PLANE_SETS = [n for n in DATASET_NAMES if n not in ("digits", "colour_shapes", "words", "csv", "mnist")]


@pytest.mark.parametrize("name", PLANE_SETS)
def test_shapes_split_and_determinism(name):
    a = make_dataset(name, n=100, noise=0.2, seed=7, test_ratio=0.3)
    b = make_dataset(name, n=100, noise=0.2, seed=7, test_ratio=0.3)
    assert a.X_train.shape == (70, 2) and a.X_test.shape == (30, 2)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    if a.is_classification:
        assert set(np.unique(np.concatenate([a.y_train, a.y_test]))) == set(range(a.n_classes))
    else:
        assert np.all(np.abs(a.y_train) <= 1)
    assert np.all(np.abs(a.X_train) < 12)


def test_separable_without_noise_is_linearly_separable():
    d = make_dataset("separable", n=200, noise=0.0, seed=3, test_ratio=0.0)
    # the generator's line goes through the origin: some w without bias separates
    y = np.where(d.y_train == 1, 1, -1)
    angles = np.linspace(0, 2 * np.pi, 3600)
    w = np.stack([np.cos(angles), np.sin(angles)])
    assert np.any(np.all(y[:, None] * (d.X_train @ w) > 0, axis=0))


def test_feature_map_columns():
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    F = feature_map(X, ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"])
    np.testing.assert_allclose(F[1], [-3, 0.5, 9, 0.25, -1.5, np.sin(-3), np.sin(0.5)])
    with pytest.raises(ValueError, match="Unknown feature"):
        feature_map(X, ["x3"])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="Received: name='moon'"):
        make_dataset("moon")
    with pytest.raises(ValueError, match="noise=2"):
        make_dataset("circle", noise=2)


def test_digits_as_a_dataset_split_and_seeded():
    a = make_dataset("digits", seed=1, test_ratio=0.3)
    b = make_dataset("digits", seed=1, test_ratio=0.3)
    assert a.X_train.shape == (1258, 64) and a.X_test.shape == (539, 64) and a.image_shape == (8, 8)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert a.n_classes == 10
