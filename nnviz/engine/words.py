"""A small text data set, made in code: words of four categories (no download).

Each data point is one word, given to the network as its token id (the row's only
column, 0 … |V| − 1) — or, without an Embedding layer, as a one-hot vector of size
|V|. The label is the word's category; ``noise`` relabels that share of the points
at random, so the test loss has something to show.
"""

from __future__ import annotations

import numpy as np

CATEGORIES = ("animal", "colour", "food", "place")
WORDS = (
    ("cat", "dog", "horse", "cow", "sheep", "mouse", "lion", "tiger"),
    ("red", "green", "blue", "yellow", "black", "white", "purple", "orange"),
    ("bread", "cheese", "apple", "rice", "soup", "pasta", "cake", "pear"),
    ("house", "school", "city", "park", "beach", "forest", "garden", "river"),
)
VOCABULARY = tuple(word for group in WORDS for word in group)  # token id = position here
WORD_CLASSES = tuple(k for k, group in enumerate(WORDS) for _ in group)  # category of each token


def make_words(n: int, noise: float, rng: np.random.Generator):
    """X (n, 1) token ids as floats, y (n,) categories; every word appears about
    equally often (n // |V| times each, the rest drawn at random)."""
    V = len(VOCABULARY)
    ids = np.concatenate([np.tile(np.arange(V), n // V), rng.integers(0, V, n % V)])
    y = np.asarray(WORD_CLASSES)[ids]
    relabel = rng.random(n) < noise
    y = np.where(relabel, rng.integers(0, len(CATEGORIES), n), y)
    return ids.astype(np.float64).reshape(n, 1), y.astype(np.int64)


def one_hot(ids: np.ndarray, size: int = len(VOCABULARY)) -> np.ndarray:
    """(m, 1) token ids → (m, |V|) rows with a single 1 at the word's id."""
    ids = np.asarray(ids).reshape(-1).astype(np.intp)
    out = np.zeros((ids.size, size))
    out[np.arange(ids.size), ids] = 1.0
    return out
