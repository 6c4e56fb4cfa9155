"""A small colour-image data set, made in code: 18×18 RGB pictures of a red or a blue
bar, horizontal or vertical, on a dark noisy background (as MNIST's ink on black) —
four classes that need both the colour channels and the shape (no download).

Channel layout (as Keras' Flatten of an (rows, columns, 3) image, "channels last"):
x is the image read row after row, each pixel's red, green and blue value together,
so x[(r·columns + c)·3 + k] is channel k of the pixel in row r, column c (0-based).
An 18×18×3 image is 972 inputs, the lecture's count.
"""

from __future__ import annotations

import numpy as np

SIDE = 18
SHAPE = (SIDE, SIDE, 3)  # rows, columns, channels (R, G, B)
CLASSES = ("red horizontal", "red vertical", "blue horizontal", "blue vertical")
COLOURS = {"red": (0.85, 0.15, 0.1), "blue": (0.1, 0.25, 0.85)}


def flatten(images: np.ndarray) -> np.ndarray:
    """(n, rows, columns, 3) → (n, rows·columns·3), channels last (see the module)."""
    return images.reshape(len(images), -1)


def unflatten(X: np.ndarray, shape=SHAPE) -> np.ndarray:
    """The inverse of ``flatten``: (n, rows·columns·3) → (n, rows, columns, 3)."""
    return np.asarray(X).reshape(-1, *shape)


def _picture(label: int, noise: float, rng: np.random.Generator) -> np.ndarray:
    """One (18, 18, 3) image of class ``label`` with values in [0, 1]."""
    colour = np.array(COLOURS["red" if label < 2 else "blue"]) + rng.uniform(-0.1, 0.1, 3)
    image = np.abs(rng.normal(0, 0.03 + 0.2 * noise, SHAPE))
    length, thick = rng.integers(9, 16), rng.integers(2, 5)
    along, across = rng.integers(0, SIDE - length + 1), rng.integers(0, SIDE - thick + 1)
    rows, cols = (slice(across, across + thick), slice(along, along + length))
    if label % 2:  # vertical
        rows, cols = cols, rows
    image[rows, cols] += colour
    return np.clip(image, 0.0, 1.0)


def make_colour_shapes(n: int, noise: float, rng: np.random.Generator):
    """X (n, 972) flattened images, y (n,) classes, each class n/4 times (in turn)."""
    y = np.arange(n) % len(CLASSES)
    images = np.stack([_picture(int(label), noise, rng) for label in y])
    return flatten(images), y.astype(np.int64)
