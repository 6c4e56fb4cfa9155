"""The 2-D data sets learners know from TensorFlow Playground, and a few more.

Every generator draws from ``np.random.default_rng(seed)`` and returns points in
the square [-6, 6]² (Playground's domain). Classification labels are 0/1 ints
(Playground's −1 becomes 0); regression targets lie in [-1, 1].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DOMAIN = (-6.0, 6.0)


@dataclass(frozen=True)
class Dataset:
    name: str
    kind: str  # "classification" or "regression"
    X_train: np.ndarray  # (N_train, 2)
    y_train: np.ndarray  # (N_train,) int labels or float targets
    X_test: np.ndarray  # (N_test, 2)
    y_test: np.ndarray  # (N_test,)
    n_classes: int  # 0 for regression
    image_shape: tuple | None = None  # (rows, columns) or (rows, columns, 3) when each row of X is an image
    class_names: tuple = ()  # the labels as they were in a file, class i is class_names[i]
    vocabulary: tuple = ()  # text: the words; a row of X holds one token id (index into it)
    word_classes: tuple = ()  # text: the category of each word of the vocabulary

    @property
    def is_text(self) -> bool:
        return bool(self.vocabulary)

    @property
    def is_classification(self) -> bool:
        return self.kind == "classification"

    @property
    def is_plane(self) -> bool:
        """Points of the 2-D plane: the decision boundary and the feature maps apply."""
        return self.image_shape is None and self.X_train.shape[1] == 2


def _circle(n, noise, rng):
    radius = 5.0
    half = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    noisy = X + rng.uniform(-radius, radius, (n, 2)) * noise
    y = (np.hypot(noisy[:, 0], noisy[:, 1]) < radius * 0.5).astype(np.int64)
    return X, y


def _xor(n, noise, rng):
    pts = rng.uniform(-5, 5, (n, 2))
    pts += np.where(pts > 0, 0.3, -0.3)  # Playground's padding keeps points off the axes
    noisy = pts + rng.uniform(-5, 5, (n, 2)) * noise
    y = (noisy[:, 0] * noisy[:, 1] >= 0).astype(np.int64)
    return pts, y


def _gaussians(n, noise, rng):
    std = np.interp(noise, [0.0, 0.5], [0.5, 4.0]) ** 0.5 * 1.0
    half = n // 2
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [half, n - half], axis=0)
    X = centres + rng.normal(0, std, (n, 2))
    y = np.repeat([1, 0], [half, n - half]).astype(np.int64)
    return X, y


def _spiral(n, noise, rng):
    half = n // 2
    parts, labels = [], []
    for count, delta, label in ((half, 0.0, 1), (n - half, np.pi, 0)):
        i = np.arange(count)
        r = i / max(count, 1) * 5
        t = 1.75 * i / max(count, 1) * 2 * np.pi + delta
        pts = np.column_stack([r * np.sin(t), r * np.cos(t)])
        parts.append(pts + rng.uniform(-1, 1, (count, 2)) * noise)
        labels.append(np.full(count, label))
    return np.vstack(parts), np.concatenate(labels).astype(np.int64)


def _moons(n, noise, rng):
    half = n // 2
    t_out = rng.uniform(0, np.pi, half)
    t_in = rng.uniform(0, np.pi, n - half)
    outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    inner = np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)])
    X = (np.vstack([outer, inner]) - [0.5, 0.25]) * 3.5
    X += rng.normal(0, 1, (n, 2)) * noise * 3
    y = np.repeat([0, 1], [half, n - half]).astype(np.int64)
    return X, y


def _separable(n, noise, rng):
    """Two clusters either side of a random line through the origin, with a margin."""
    angle = rng.uniform(0, 2 * np.pi)
    normal = np.array([np.cos(angle), np.sin(angle)])
    X = rng.uniform(-5, 5, (n, 2))
    side = X @ normal
    X += np.where(side >= 0, 0.6, -0.6)[:, None] * normal  # margin of 1.2
    y = (side >= 0).astype(np.int64)
    X += rng.normal(0, 1, (n, 2)) * noise  # noise may break separability on purpose
    return X, y


def _three_gaussians(n, noise, rng):
    """Three clusters at 90°, 210° and 330° on a circle of radius 3: classes 0, 1, 2."""
    std = np.interp(noise, [0.0, 0.5], [0.5, 4.0]) ** 0.5
    y = np.arange(n) % 3
    angles = np.pi / 2 + 2 * np.pi / 3 * y
    centres = 3.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    return centres + rng.normal(0, std, (n, 2)), y.astype(np.int64)


def _plane(n, noise, rng):
    X = rng.uniform(-6, 6, (n, 2))
    noisy = X + rng.uniform(-6, 6, (n, 2)) * noise
    return X, np.clip((noisy[:, 0] + noisy[:, 1]) / 10.0, -1, 1)


def _gaussian_bumps(n, noise, rng):
    X = rng.uniform(-6, 6, (n, 2))
    noisy = X + rng.uniform(-6, 6, (n, 2)) * noise
    centres = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]
    y = np.zeros(n)
    for cx, cy, sign in centres:
        y += sign * np.exp(-((noisy[:, 0] - cx) ** 2 + (noisy[:, 1] - cy) ** 2) / 2.0)
    return X, np.clip(y, -1, 1)


CLASSIFICATION = {"circle": _circle, "xor": _xor, "gaussians": _gaussians, "spiral": _spiral,
                  "moons": _moons, "separable": _separable, "three_gaussians": _three_gaussians}
CLASS_COUNTS = {"three_gaussians": 3}  # classes of the plane sets that have more than two
REGRESSION = {"plane": _plane, "gaussian_bumps": _gaussian_bumps}
IMAGES = ("digits", "colour_shapes")  # images bundled or made in code
TEXT = ("words",)  # token ids of a vocabulary (see words.py)
FILES = ("csv", "mnist")  # data sets read from the learner's files (see config.DataConfig)
DATASET_NAMES = tuple(CLASSIFICATION) + tuple(REGRESSION) + IMAGES + TEXT + FILES
#: inputs and classes of the data sets whose size does not depend on the configuration
FIXED_SIZES = {"digits": (64, 10), "colour_shapes": (972, 4), "mnist": (784, 10)}


def make_dataset(name="circle", n=200, noise=0.0, seed=0, test_ratio=0.5) -> Dataset:
    """Generate ``n`` points, shuffle them, and split off ``test_ratio`` of them as test data."""
    if name not in DATASET_NAMES:
        raise ValueError(f"Unknown dataset. Expected one of {', '.join(DATASET_NAMES)}. "
                         f"Received: name={name!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 4:
        raise ValueError(f"Expected n to be an integer >= 4. Received: n={n!r}")
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"Expected 0 <= noise <= 1. Received: noise={noise}")
    if not 0.0 <= test_ratio < 1.0:
        raise ValueError(f"Expected 0 <= test_ratio < 1. Received: test_ratio={test_ratio}")
    rng = np.random.default_rng(seed)
    if name in FILES:
        raise ValueError(f"The {name} data set is read from files: use config.load_data")
    if name == "digits":
        return _image_dataset(name, test_ratio, rng)
    if name == "colour_shapes":
        return _colour_shapes(int(n), float(noise), test_ratio, rng)
    if name in TEXT:
        return _words(int(n), float(noise), test_ratio, rng)
    make = CLASSIFICATION.get(name) or REGRESSION[name]
    X, y = make(int(n), float(noise), rng)
    order = rng.permutation(len(X))
    X, y = X[order], y[order]
    n_test = int(round(len(X) * test_ratio))
    n_test = min(n_test, len(X) - 1)
    kind = "classification" if name in CLASSIFICATION else "regression"
    return Dataset(name, kind, X[n_test:], y[n_test:], X[:n_test], y[:n_test],
                   CLASS_COUNTS.get(name, 2) if kind == "classification" else 0)


def _image_dataset(name, test_ratio, rng) -> Dataset:
    """The bundled 8×8 digits (all 1,797 images; n and noise do not apply)."""
    from .real_data import load_digits

    X, y = load_digits()
    order = rng.permutation(len(X))
    n_test = min(int(round(len(X) * test_ratio)), len(X) - 1)
    X, y = X[order], y[order]
    return Dataset(name, "classification", X[n_test:], y[n_test:], X[:n_test], y[:n_test], 10, (8, 8))


def _colour_shapes(n, noise, test_ratio, rng) -> Dataset:
    from .colour_shapes import CLASSES, SHAPE, make_colour_shapes

    X, y = make_colour_shapes(n, noise, rng)
    order = rng.permutation(n)
    n_test = min(int(round(n * test_ratio)), n - 1)
    X, y = X[order], y[order]
    return Dataset("colour_shapes", "classification", X[n_test:], y[n_test:], X[:n_test], y[:n_test],
                   len(CLASSES), SHAPE, class_names=CLASSES)


def _words(n, noise, test_ratio, rng) -> Dataset:
    from .words import CATEGORIES, VOCABULARY, WORD_CLASSES, make_words

    X, y = make_words(n, noise, rng)
    order = rng.permutation(n)
    n_test = min(int(round(n * test_ratio)), n - 1)
    X, y = X[order], y[order]
    return Dataset("words", "classification", X[n_test:], y[n_test:], X[:n_test], y[:n_test],
                   len(CATEGORIES), class_names=CATEGORIES, vocabulary=VOCABULARY, word_classes=WORD_CLASSES)


def input_features(dataset: Dataset, names, X=None, token_ids: bool = False) -> np.ndarray:
    """What the network sees of X (default: the training set): the chosen feature maps of
    2-D points, the pixels themselves for images; for text the one-hot vectors (m, |V|),
    or the token ids (m, 1) themselves when the network starts with an Embedding."""
    from .features import feature_map

    X = dataset.X_train if X is None else X
    if dataset.is_text:
        from .words import one_hot

        return X if token_ids else one_hot(X, len(dataset.vocabulary))
    return feature_map(X, names) if dataset.is_plane else X


def _split(name, X, y, test_ratio, seed, n_classes, **extra) -> Dataset:
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = min(int(round(len(X) * test_ratio)), len(X) - 1)
    X, y = X[order], y[order]
    return Dataset(name, "classification", X[n_test:], y[n_test:], X[:n_test], y[:n_test], n_classes, **extra)


def csv_dataset(path, columns, label, standardize=True, test_ratio=0.3, seed=0) -> Dataset:
    """The learner's CSV file: the chosen columns as features, one column as the class."""
    from .real_data import load_csv

    X, y, classes = load_csv(path, list(columns), label, standardize)
    return _split("csv", X, y, test_ratio, seed, len(classes), class_names=tuple(classes))


def mnist_dataset(folder) -> Dataset:
    """MNIST's four IDX files (gzipped or not) in ``folder``; its own train/test split."""
    from .real_data import MNIST_CLASSES, load_mnist_folder

    X_train, y_train, X_test, y_test, image_shape = load_mnist_folder(folder)
    return Dataset("mnist", "classification", X_train, y_train, X_test, y_test, MNIST_CLASSES, image_shape)
