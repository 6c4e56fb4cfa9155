"""Perceptron networks as the lecture builds them: perceptrons ANDed enclose a convex
region; AND-groups ORed give unions of regions; one network per class classifies.

A unit is a line in homogeneous coordinates, w = (w_1, w_2, w_0); it fires
(outputs 1) where wᵀx̃ > 0. Flipping a unit's side negates w.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .perceptron import homogeneous


@dataclass
class AndGroup:
    """A convex region: the points where every unit fires."""
    units: list = field(default_factory=list)  # each a (d + 1,) weight vector

    def fires(self, X) -> np.ndarray:
        """(m, k) step outputs of the k units."""
        if not self.units:
            return np.zeros((len(X), 0), dtype=bool)
        return homogeneous(X) @ np.array(self.units, dtype=np.float64).T > 0

    def contains(self, X) -> np.ndarray:
        """(m,) True where all units fire (an AND of the step outputs)."""
        if not self.units:
            return np.zeros(len(X), dtype=bool)
        return self.fires(X).all(axis=1)


@dataclass
class OrNetwork:
    """A union of convex regions: inside where any AND-group contains the point."""
    groups: list = field(default_factory=list)  # AndGroup

    def contains(self, X) -> np.ndarray:
        inside = np.zeros(len(X), dtype=bool)
        for group in self.groups:
            inside |= group.contains(X)
        return inside

    def accuracy(self, X, y) -> float:
        """Share of points where 'inside' agrees with label 1 (labels 0/1 or ±1)."""
        return float((self.contains(X) == (np.asarray(y) > 0)).mean())

    def to_dict(self) -> dict:
        return {"groups": [[list(map(float, u)) for u in g.units] for g in self.groups]}

    @classmethod
    def from_dict(cls, raw: dict) -> "OrNetwork":
        return cls([AndGroup([np.asarray(u, dtype=np.float64) for u in g]) for g in raw["groups"]])


class ClassNetworks:
    """Multiclass: one OrNetwork per class. A point belongs to the class whose region
    contains it; -1 where no region or several regions do."""

    def __init__(self, networks: list):
        self.networks = networks

    def predict(self, X) -> np.ndarray:
        inside = np.stack([net.contains(X) for net in self.networks], axis=1)
        single = inside.sum(axis=1) == 1
        return np.where(single, inside.argmax(axis=1), -1)

    def accuracy(self, X, y) -> float:
        return float((self.predict(X) == np.asarray(y)).mean())


def line_through(p, q, inside_point) -> np.ndarray:
    """The unit whose line passes through p and q and which fires on inside_point's side."""
    (x1, y1), (x2, y2) = p, q
    w = np.array([y1 - y2, x2 - x1, x1 * y2 - x2 * y1], dtype=np.float64)
    if w @ np.append(inside_point, 1.0) < 0:
        w = -w
    return w


def polygon(centre, radius, sides) -> AndGroup:
    """A regular polygon with the given inscribed-circle radius: ``sides`` units ANDed."""
    cx, cy = centre
    units = []
    for k in range(sides):
        angle = 2 * np.pi * k / sides
        normal = np.array([np.cos(angle), np.sin(angle)])
        # fires where normal·(x − c) < radius  ⇔  −normal·x + (radius + normal·c) > 0
        units.append(np.array([-normal[0], -normal[1], radius + normal @ [cx, cy]]))
    return AndGroup(units)


def circle_example() -> OrNetwork:
    """The circle data set (class 1 inside radius 2.5) enclosed by an octagon."""
    return OrNetwork([polygon((0.0, 0.0), 3.0, 8)])


def xor_example() -> OrNetwork:
    """XOR (class 1 where x1·x2 >= 0): quadrant I OR quadrant III, each two units ANDed."""
    first = AndGroup([np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])])  # x1 > 0 AND x2 > 0
    third = AndGroup([np.array([-1.0, 0.0, 0.0]), np.array([0.0, -1.0, 0.0])])  # x1 < 0 AND x2 < 0
    return OrNetwork([first, third])


EXAMPLES = {"circle": circle_example, "xor": xor_example}


def three_clusters(n=150, seed=0):
    """Three gaussian clusters for multiclass examples: X (n, 2), y (n,) in 0..2."""
    rng = np.random.default_rng(seed)
    centres = np.array([[-3.0, -2.5], [3.0, -2.5], [0.0, 3.0]])
    y = np.arange(n) % 3
    return centres[y] + rng.normal(0.0, 1.0, (n, 2)), y
