"""Rosenblatt's perceptron, in homogeneous coordinates, as the lecture writes it.

A point x = (x_1, …, x_d) is extended to x̃ = (x_1, …, x_d, 1), so the bias is the last
weight: w = (w_1, …, w_d, w_0). Labels are ±1. w is a valid separator iff
y·wᵀx̃ > 0 for every point; for a misclassified point (y·wᵀx̃ <= 0) the rule is
w ← w + y·x̃.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

POLICIES = ("first", "cyclic", "random")


def homogeneous(X) -> np.ndarray:
    """(m, d) points → (m, d + 1) points with a trailing 1."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"Expected X of shape (m, d). Received: X.shape={X.shape}")
    return np.hstack([X, np.ones((len(X), 1))])


def as_signs(y) -> np.ndarray:
    """Labels as ±1: accepts ±1 or 0/1 (0 becomes −1)."""
    y = np.asarray(y)
    values = set(np.unique(y).tolist())
    if not values <= {-1, 1} and not values <= {0, 1}:
        raise ValueError(f"Expected labels in {{-1, +1}} or {{0, 1}}. Received: {sorted(values)}")
    return np.where(y > 0, 1.0, -1.0)


def margins(w, X, y) -> np.ndarray:
    """(m,) y·wᵀx̃ for every point; positive means correctly classified."""
    return as_signs(y) * (homogeneous(X) @ np.asarray(w, dtype=np.float64))


def is_separator(w, X, y) -> bool:
    """The lecture's definition: y·wᵀx̃ > 0 for all points."""
    return bool(np.all(margins(w, X, y) > 0))


@dataclass(frozen=True)
class PerceptronStep:
    """What one Rosenblatt update did."""
    update: int  # updates done before this one
    epoch: int  # sweep during which it happened (0-based)
    index: int  # which point was used
    x: np.ndarray  # (d + 1,) x̃ of that point
    y: float  # its label, ±1
    w_before: np.ndarray  # (d + 1,)
    w_after: np.ndarray  # (d + 1,) = w_before + y·x
    misclassified_after: int  # points with y·wᵀx̃ <= 0 under w_after


@dataclass(frozen=True)
class PerceptronState:
    """Everything a Perceptron's next updates depend on, its data aside: restoring it
    makes the following updates exactly those made the first time."""
    w: np.ndarray  # (d + 1,)
    updates: int
    epochs: int
    cursor: int  # next point the "cyclic" policy looks at
    rng: dict  # the random generator's bit-generator state ("random" policy)

    def same_as(self, other: "PerceptronState") -> bool:
        return (np.array_equal(self.w, other.w) and (self.updates, self.epochs, self.cursor, self.rng)
                == (other.updates, other.epochs, other.cursor, other.rng))


@dataclass(frozen=True)
class FitResult:
    converged: bool
    epochs: int  # complete sweeps made
    updates: int
    reason: str


class Perceptron:
    """Train on X (m, d) with labels y (±1 or 0/1), starting from w (default zeros)."""

    def __init__(self, X, y, w=None, policy="first", seed=0):
        if policy not in POLICIES:
            raise ValueError(f"Expected policy to be one of {POLICIES}. Received: policy={policy!r}")
        self.X = homogeneous(X)  # (m, d + 1)
        self.y = as_signs(y)  # (m,)
        if len(self.X) != len(self.y):
            raise ValueError(f"Expected one label per point. Received: {len(self.X)} points, {len(self.y)} labels")
        d1 = self.X.shape[1]
        self.w = np.zeros(d1) if w is None else np.asarray(w, dtype=np.float64).copy()
        if self.w.shape != (d1,):
            raise ValueError(f"Expected w of shape ({d1},). Received: w.shape={self.w.shape}")
        self.policy = policy
        self.rng = np.random.default_rng(seed)
        self.updates = 0  # Rosenblatt updates applied
        self.epochs = 0  # complete sweeps
        self._cursor = 0  # next point to look at ("cyclic")
        self.on_update = None  # called with each PerceptronStep once applied (a timeline records them)

    def state(self) -> PerceptronState:
        return PerceptronState(self.w.copy(), self.updates, self.epochs, self._cursor,
                               self.rng.bit_generator.state)

    def restore(self, state: PerceptronState) -> None:
        """Go back (or on) to ``state``, as returned by ``state()`` of this perceptron."""
        if state.w.shape != self.w.shape:
            raise ValueError(f"Expected w of shape {self.w.shape}. Received: w.shape={state.w.shape}")
        self.w = state.w.copy()
        self.updates, self.epochs, self._cursor = state.updates, state.epochs, state.cursor
        self.rng.bit_generator.state = state.rng

    def misclassified(self) -> np.ndarray:
        """Indices of the points with y·wᵀx̃ <= 0."""
        return np.flatnonzero(self.y * (self.X @ self.w) <= 0)

    def step(self) -> PerceptronStep | None:
        """Exactly one update on a misclassified point chosen by the policy; None if
        every point is classified correctly."""
        wrong = self.misclassified()
        if not wrong.size:
            return None
        return self._apply(self._choose(wrong))

    def _choose(self, wrong: np.ndarray) -> int:
        if self.policy == "first":
            return int(wrong[0])
        if self.policy == "random":
            return int(self.rng.choice(wrong))
        after = wrong[wrong >= self._cursor]  # cyclic: the next one from the cursor on
        return int(after[0] if after.size else wrong[0])

    def _apply(self, i: int) -> PerceptronStep:
        before = self.w.copy()
        self.w = before + self.y[i] * self.X[i]
        self._cursor = (i + 1) % len(self.X)
        step = PerceptronStep(self.updates, self.epochs, i, self.X[i].copy(), float(self.y[i]), before,
                              self.w.copy(), int(self.misclassified().size))
        self.updates += 1
        if self.on_update is not None:
            self.on_update(step)
        return step

    def epoch(self) -> list[PerceptronStep]:
        """One sweep through the points in order, updating on each misclassified one."""
        steps = []
        for i in range(len(self.X)):
            if self.y[i] * (self.X[i] @ self.w) <= 0:
                steps.append(self._apply(i))
        self.epochs += 1
        return steps

    def fit(self, max_epochs=1000) -> FitResult:
        """Sweep until a sweep changes nothing (converged) or ``max_epochs`` sweeps."""
        if isinstance(max_epochs, bool) or not isinstance(max_epochs, int) or max_epochs < 1:
            raise ValueError(f"Expected max_epochs >= 1. Received: max_epochs={max_epochs!r}")
        for _ in range(max_epochs):
            if not self.epoch():
                return FitResult(True, self.epochs, self.updates,
                                 f"converged: a valid separator after {self.epochs} epochs "
                                 f"and {self.updates} updates")
        wrong = self.misclassified().size
        if not wrong:
            return FitResult(True, self.epochs, self.updates,
                             f"converged: a valid separator after {self.epochs} epochs "
                             f"and {self.updates} updates")
        return FitResult(False, self.epochs, self.updates,
                         f"no separator after {self.epochs} epochs ({self.updates} updates, "
                         f"{wrong} points still misclassified): the data may not be linearly separable")


class MulticlassPerceptron:
    """One-vs-rest: one perceptron per class, each trained by Rosenblatt's rule;
    a point gets the class whose wₖᵀx̃ is largest."""

    def __init__(self, X, y, n_classes=None, policy="first", seed=0):
        y = np.asarray(y)
        self.n_classes = int(n_classes or y.max() + 1)
        self.units = [Perceptron(X, np.where(y == k, 1, -1), policy=policy, seed=seed + k)
                      for k in range(self.n_classes)]

    @property
    def W(self) -> np.ndarray:
        """(K, d + 1) one row of weights per class."""
        return np.stack([u.w for u in self.units])

    def fit(self, max_epochs=1000) -> list[FitResult]:
        return [unit.fit(max_epochs) for unit in self.units]

    def predict(self, X) -> np.ndarray:
        return (homogeneous(X) @ self.W.T).argmax(axis=1)
