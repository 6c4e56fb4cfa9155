"""Rewinding: scalar metrics for every update, a full checkpoint every K updates,
and deterministic replay between them.

Reaching update k restores the nearest checkpoint at or before k and replays the
updates in between (training is deterministic: see Trainer.state). Settings changed
between updates (learning rate, batch size, …) are kept as a schedule and applied at
the same update during a replay, so a replay never crosses a change it does not know. Recent history
keeps a checkpoint every ``every`` updates; older checkpoints are thinned (every other
one dropped) so that a run of any length holds at most ``max_checkpoints``.
"""

from __future__ import annotations

import numpy as np

from .trainer import Trainer


def state_nbytes(state) -> int:
    """Bytes held by the arrays of a trainer state (nested dicts and lists)."""
    if isinstance(state, np.ndarray):
        return state.nbytes
    if isinstance(state, dict):
        return sum(state_nbytes(v) for v in state.values())
    if isinstance(state, (list, tuple)):
        return sum(state_nbytes(v) for v in state)
    return 0


class Timeline:
    def __init__(self, every: int = 500, recent: int = 100_000, max_checkpoints: int = 400):
        if every < 1 or recent < every or max_checkpoints < 4:
            raise ValueError(f"Expected every >= 1, recent >= every, max_checkpoints >= 4. Received: "
                             f"every={every}, recent={recent}, max_checkpoints={max_checkpoints}")
        self.every = every  # updates between two checkpoints in recent history
        self.recent = recent  # how far back checkpoints stay dense
        self.max_checkpoints = max_checkpoints
        self._checkpoints: dict[int, dict] = {}  # update count → trainer.state()
        self._settings: dict[int, dict] = {}  # update count k → Trainer.set_hyper values set before update k + 1
        # batch loss of update k at [k − origin − 1]; float32: 4 bytes an update for runs of millions
        self._loss = np.empty(1024, dtype=np.float32)
        self.end = 0  # updates recorded

    # -- recording -----------------------------------------------------------------------
    def start(self, trainer: Trainer) -> None:
        """Begin at the trainer's current state (its update count is the origin)."""
        self._checkpoints = {trainer.steps_done: trainer.state()}
        self.origin = self.end = trainer.steps_done

    def after_update(self, trainer: Trainer, loss: float) -> None:
        """Call after every update; cheap except every ``every`` updates."""
        k = trainer.steps_done
        if k - self.origin > len(self._loss):
            self._loss = np.concatenate([self._loss, np.empty_like(self._loss)])
        with np.errstate(over="ignore"):  # a diverged loss is stored as inf
            self._loss[k - self.origin - 1] = loss
        self.end = k
        if (k - self.origin) % self.every == 0:
            self.checkpoint(trainer)

    def record_settings(self, k: int, values: dict) -> None:
        """``values`` (Trainer.set_hyper arguments) were set after update k, before k + 1."""
        self._settings[k] = {**self._settings.get(k, {}), **values}

    def checkpoint(self, trainer: Trainer) -> None:
        """Store the current state now."""
        self._checkpoints[trainer.steps_done] = trainer.state()
        self._thin()

    def _thin(self):
        while len(self._checkpoints) > self.max_checkpoints:
            old = sorted(k for k in self._checkpoints if k < self.end - self.recent and k != self.origin)
            if len(old) < 2:
                old = sorted(k for k in self._checkpoints if k != self.origin)[:-1]
            for k in old[1::2]:  # every other old checkpoint
                del self._checkpoints[k]

    # -- reading -------------------------------------------------------------------------
    @property
    def checkpoints(self) -> list[int]:
        return sorted(self._checkpoints)

    def losses(self) -> np.ndarray:
        """(end − origin,) batch loss of every recorded update."""
        return self._loss[:self.end - self.origin]

    def nbytes(self) -> int:
        return self._loss.nbytes + sum(state_nbytes(s) for s in self._checkpoints.values())

    def seek(self, trainer: Trainer, k: int):
        """Put ``trainer`` where it was after update k; return the record of update k
        (None for k = origin). The timeline itself is unchanged."""
        if not self.origin <= k <= self.end:
            raise ValueError(f"Expected {self.origin} <= k <= {self.end}. Received: k={k}")
        start = max(c for c in self._checkpoints if c <= k)
        if start == k and k > self.origin:
            # k is a checkpoint: replay its last update from the one before, for the record
            start = max(c for c in self._checkpoints if c < k)
        record = self._replay(trainer, start, k)
        trainer.last_record = record
        return record

    def _replay(self, trainer: Trainer, start: int, k: int):
        """Restore the checkpoint at ``start`` and train to k with the settings schedule."""
        trainer.restore(self._checkpoints[start])
        record = None
        for s in range(start, k):
            if s in self._settings:
                trainer.set_hyper(**self._settings[s])
            record = trainer.step()
        return record

    def truncate(self, k: int) -> None:
        """Forget everything after update k (training goes on from k)."""
        for c in [c for c in self._checkpoints if c > k]:
            del self._checkpoints[c]
        for s in [s for s in self._settings if s >= k]:
            del self._settings[s]  # settings for the discarded updates; training from k sets its own
        self.end = k
