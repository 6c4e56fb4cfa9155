"""Telling a finite update from one that produced NaN or ±inf — cheaply, since every
update asks.

The fast test is one sum of squares per weight matrix of the *proposed* parameters:
NaN and ±inf propagate through W − α·g (and through momentum and Adam), so a
non-finite gradient shows in the new weights too. Only when a sum is not finite does
the element-wise search run, to name the first culprit in the lecture's order: the
loss, then the gradients dW (the update is refused), then the weights W (the update
was applied, as a learner watching the weights blow up expects).
"""

from __future__ import annotations

import math

import numpy as np


class NonFiniteError(FloatingPointError):
    """An update produced NaN or ±inf. ``quantity`` names it ("loss", "dW^2", "W^o")."""

    def __init__(self, step: int, quantity: str, applied: bool):
        self.step, self.quantity, self.applied = step, quantity, applied
        when = "after" if applied else "before"
        super().__init__(f"Update {step + 1} produced a non-finite {quantity} "
                         f"(NaN or ±inf); stopped {when} applying it.")


def squares_are_finite(weights, runs: int | None):
    """Whether Σw² over all the matrices is finite: a bool for one run, (runs,) bools
    for stacked weights (runs, n, n_in). An overflow of huge but finite weights also
    says False; ``first_problem`` then finds nothing."""
    if runs is None:
        total = 0.0
        for w in weights:
            total += np.vdot(w, w)
        return math.isfinite(total)
    total = np.zeros(runs)
    for w in weights:
        flat = w.reshape(runs, 1, -1)
        total += (flat @ flat.swapaxes(-1, -2)).reshape(runs)  # one dot product per run
    return np.isfinite(total)


def first_problem(step, loss, grads, weights, names, r=None) -> NonFiniteError | None:
    """The first non-finite quantity of run ``r`` (None: the only run) in the order the
    update met them; ``grads`` and ``weights`` are the Dense layers' dW and proposed W,
    ``names`` their (gradient, weight) lecture names."""
    pick = (lambda a: a) if r is None else (lambda a: a[r])
    if not math.isfinite(pick(loss)):
        return NonFiniteError(step, "loss", applied=False)
    for g, (grad_name, _) in zip(grads, names):
        if not np.isfinite(pick(g)).all():
            return NonFiniteError(step, grad_name, applied=False)
    for w, (_, weight_name) in zip(weights, names):
        if not np.isfinite(pick(w)).all():
            return NonFiniteError(step, weight_name, applied=True)
    return None
