"""Rosenblatt's rule with a memory: the perceptron's state after every update, so that
the lab can go back to any update and on again exactly — the same w, counters, cursor
and random generator as when the update was first made.

State k is the perceptron as it stood with k updates done: after update k and any
sweep that ended before update k + 1. A state is a few numbers, so every update is
kept, up to MAX_RECORDED (beyond, the oldest half is dropped).

Going forward through the record (``seek``) changes nothing. A command (step, epoch,
fit) from a rewound state continues from there: the later record is discarded and
``discarded`` says how many updates that was.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .perceptron import FitResult, Perceptron, PerceptronState, PerceptronStep

MAX_RECORDED = 100_000  # updates kept (≈ 5 MB for points in the plane)


class PerceptronTimeline:
    """Drives ``perceptron`` (step, epoch, fit) and records each update."""

    def __init__(self, perceptron: Perceptron, capacity: int = MAX_RECORDED):
        if capacity < 2:
            raise ValueError(f"Expected capacity >= 2. Received: capacity={capacity!r}")
        self.perceptron = perceptron
        self.capacity = capacity
        self._d1 = perceptron.X.shape[1]
        # one row per update: w_before (d+1), w_after (d+1), point, sweep, epochs at state, rng id
        self._rows = np.empty((64, 2 * self._d1 + 4))
        self._n = 0  # rows in use
        self._start = perceptron.state()  # the state before the first row
        self._start_step: PerceptronStep | None = None  # how the start was reached (after a drop)
        self._rngs = [self._start.rng]  # distinct generator states; rows refer to them by index
        self._viewing: int | None = None  # the update shown after a rewind (None: the latest)
        self.discarded = 0  # later updates the last command discarded (it ran from a rewound state)
        perceptron.on_update = self._record

    # -- where the record begins and ends -----------------------------------------------
    @property
    def first(self) -> int:
        return self._start.updates

    @property
    def last(self) -> int:
        return self._start.updates + self._n

    @property
    def viewing(self) -> int | None:
        """The update shown after a rewind; None at the latest."""
        return self._viewing

    @property
    def shown(self) -> int:
        return self.last if self._viewing is None else self._viewing

    # -- reading the record ------------------------------------------------------------
    def state_at(self, k: int) -> PerceptronState:
        row = self._row(k)
        if row is None:
            return self._start
        d = self._d1
        index = int(row[2 * d])
        return PerceptronState(row[d:2 * d].copy(), k, int(row[2 * d + 2]), (index + 1) % len(self.perceptron.X),
                               self._rngs[int(row[2 * d + 3])])

    def step_at(self, k: int) -> PerceptronStep | None:
        """The update that led to state k (None for the state training began at)."""
        row = self._row(k)
        if row is None:
            return self._start_step
        d, p = self._d1, self.perceptron
        i, w_after = int(row[2 * d]), row[d:2 * d].copy()
        wrong = int(np.count_nonzero(p.y * (p.X @ w_after) <= 0))  # as Perceptron._apply counts
        return PerceptronStep(k - 1, int(row[2 * d + 1]), i, p.X[i].copy(), float(p.y[i]), row[:d].copy(),
                              w_after, wrong)

    def _row(self, k: int):
        if not self.first <= k <= self.last:
            raise ValueError(f"Expected an update from {self.first} to {self.last}. Received: {k}")
        return None if k == self.first else self._rows[k - self.first - 1]

    # -- moving along it ---------------------------------------------------------------
    def seek(self, k: int) -> None:
        """Show state k (clamped to the record): the perceptron is restored to it exactly."""
        k = max(self.first, min(int(k), self.last))
        self.perceptron.restore(self.state_at(k))
        self._viewing = None if k == self.last else k

    # -- commands ----------------------------------------------------------------------
    def step(self) -> PerceptronStep | None:
        self._continue_here()
        result = self.perceptron.step()
        self._close_command()
        return result

    def epoch(self) -> list[PerceptronStep]:
        self._continue_here()
        result = self.perceptron.epoch()
        self._close_command()
        return result

    def fit(self, max_epochs: int = 1000) -> FitResult:
        self._continue_here()
        try:
            return self.perceptron.fit(max_epochs)
        finally:
            self._close_command()

    def _continue_here(self) -> None:
        """From a rewound state the later record no longer follows: it is discarded."""
        self.discarded = 0
        if self._viewing is not None:
            self.discarded = self.last - self._viewing
            self._n = self._viewing - self.first
            self._viewing = None

    def _close_command(self) -> None:
        """Sweeps that ended after the last update belong to the state now shown."""
        self._set_epochs(self.last, self.perceptron.epochs)

    # -- recording ---------------------------------------------------------------------
    def _record(self, step: PerceptronStep) -> None:
        """Perceptron.on_update: one row for the update just applied."""
        self._set_epochs(self.last, step.epoch)  # the previous state lasted until this sweep
        if self._n == self.capacity:
            self._drop_oldest(self.capacity // 2)
        if self._n == len(self._rows):
            self._rows = np.resize(self._rows, (min(2 * len(self._rows), self.capacity), self._rows.shape[1]))
        d, row = self._d1, self._rows[self._n]
        row[:d], row[d:2 * d] = step.w_before, step.w_after
        row[2 * d:] = step.index, step.epoch, self.perceptron.epochs, self._rng_id()
        self._n += 1

    def _set_epochs(self, k: int, epochs: int) -> None:
        if k == self.first:
            self._start = dataclasses.replace(self._start, epochs=epochs)
        else:
            self._rows[k - self.first - 1, 2 * self._d1 + 2] = epochs

    def _rng_id(self) -> int:
        """Index of the generator's current state in ``_rngs`` (added when it changed)."""
        state = self.perceptron.rng.bit_generator.state
        if state != self._rngs[-1]:
            self._rngs.append(state)
        return len(self._rngs) - 1

    def _drop_oldest(self, count: int) -> None:
        new_first = self.first + count
        start, step = self.state_at(new_first), self.step_at(new_first)
        self._rows[: self._n - count] = self._rows[count: self._n]
        self._n -= count
        self._start, self._start_step = start, step
