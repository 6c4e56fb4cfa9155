"""Rewinding: the batch loss of every update, a full checkpoint every K updates, and
deterministic replay between them.

Reaching update k restores the nearest checkpoint at or before k and replays the
updates in between (training is deterministic: see Trainer.state). Settings changed
between updates (learning rate, batch size, …) are kept as a schedule and applied at
the same update during a replay, so a replay never crosses a change it does not know.

How far apart checkpoints are is chosen from what an update costs: given the
measured seconds per update (``after_update(..., seconds=…)``), K is the number of
updates that replay in about ``replay_seconds`` (at most ``MAX_EVERY``), so a rewind
takes about as long on a 784-128-64-10 network as on the circle's 2-6-4-2. A
checkpoint holds references (parameters are replaced, never written: see
``records``) and the epoch's order as a generator state, so it costs what the
parameters and optimizer slots cost. The newest checkpoints stay dense; when there are
more than ``max_checkpoints`` or they hold more than ``max_bytes``, every other older
one is dropped. The per-update losses are thinned the same way beyond ``max_losses``.
"""

from __future__ import annotations

import numpy as np

from .trainer import Trainer

MAX_EVERY = 250  # updates between checkpoints, at most: 12–20 ms of replay on the circle net
FIRST_EVERY = 50  # before an update has been timed


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
    def __init__(self, every: int | None = None, recent: int = 100_000, max_checkpoints: int = 2000,
                 max_bytes: int = 64 * 2**20, replay_seconds: float = 0.05, max_losses: int = 2**18):
        if (every is not None and every < 1) or max_checkpoints < 4 or max_losses < 16:
            raise ValueError(f"Expected every >= 1 (or None: from the update cost), max_checkpoints >= 4, "
                             f"max_losses >= 16. Received: every={every}, max_checkpoints={max_checkpoints}, "
                             f"max_losses={max_losses}")
        self.fixed_every = every  # None: chosen from the measured update cost
        self.every = every or FIRST_EVERY  # updates between two checkpoints now
        self.recent = recent  # updates back from the end over which checkpoints stay dense
        self.max_checkpoints = max_checkpoints
        self.max_bytes = max_bytes  # memory the checkpoints may hold
        self.replay_seconds = replay_seconds  # what the replay of one interval should take
        self._checkpoints: dict[int, dict] = {}  # update count → trainer.state()
        self._state_bytes = 0  # bytes of the newest checkpoint
        self._settings: dict[int, dict] = {}  # update count k → Trainer.set_hyper values set before update k + 1
        self._busy = 0.0  # seconds the updates since the last checkpoint took (when timed)
        self._timed = 0  # how many of them were timed
        self._losses = _Losses(max_losses)
        self.origin = self.end = 0

    # -- recording -----------------------------------------------------------------------
    def start(self, trainer: Trainer) -> None:
        """Begin at the trainer's current state (its update count is the origin)."""
        self.origin = self.end = trainer.steps_done
        self._checkpoints = {}
        self._settings = {}
        self._losses.clear()
        self.checkpoint(trainer)

    def after_update(self, trainer: Trainer, loss: float, seconds: float | None = None) -> None:
        """Call after every update (``loss``: its batch loss; ``seconds``: what it took,
        if measured: an update stepped phase by phase over minutes is not, and without
        any timing K stays FIRST_EVERY). Cheap except at a checkpoint."""
        k = trainer.steps_done
        self._losses.append(k, loss)
        self.end = k
        if seconds is not None:
            self._busy += seconds
            self._timed += 1
        if k - self._last_checkpoint >= self.every:
            self.checkpoint(trainer)

    def record_settings(self, k: int, values: dict) -> None:
        """``values`` (Trainer.set_hyper arguments) were set after update k, before k + 1."""
        self._settings[k] = {**self._settings.get(k, {}), **values}

    def checkpoint(self, trainer: Trainer) -> None:
        """Store the current state now."""
        state = trainer.state()
        self._checkpoints[trainer.steps_done] = state
        self._last_checkpoint = trainer.steps_done
        self._state_bytes = state_nbytes(state)
        self._choose_spacing()
        self._thin()

    def _choose_spacing(self) -> None:
        """K from the updates timed since the last checkpoint."""
        if self.fixed_every is None and self._timed:
            per_update = self._busy / self._timed
            self.every = int(max(1, min(MAX_EVERY, round(self.replay_seconds / max(per_update, 1e-9)))))
        self._busy, self._timed = 0.0, 0

    @property
    def checkpoint_limit(self) -> int:
        """How many checkpoints may be kept: ``max_checkpoints``, fewer for big states."""
        by_memory = self.max_bytes // max(self._state_bytes, 1)
        return int(max(4, min(self.max_checkpoints, by_memory)))

    def _thin(self):
        """Drop every other old checkpoint until there are at most ``checkpoint_limit``:
        those within ``recent`` updates of the end stay dense, or the newest three
        quarters of the limit if ``recent`` holds more."""
        limit = self.checkpoint_limit
        while len(self._checkpoints) > limit:
            keys = sorted(self._checkpoints)
            dense_from = max(self.end - self.recent, keys[-(3 * limit // 4)])
            old = [k for k in keys if k < dense_from and k != self.origin]
            if len(old) < 2:
                old = keys[1:-1]
            for k in old[1::2]:  # every other old checkpoint
                del self._checkpoints[k]

    # -- reading -------------------------------------------------------------------------
    @property
    def checkpoints(self) -> list[int]:
        return sorted(self._checkpoints)

    def losses(self) -> tuple[np.ndarray, np.ndarray]:
        """(updates (n,), batch losses (n,)): every update's recently, thinned further back."""
        return self._losses.series()

    def nbytes(self) -> int:
        return self._losses.nbytes + sum(state_nbytes(s) for s in self._checkpoints.values())

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
        self._losses.truncate(k)
        self._last_checkpoint = max(self._checkpoints)
        self.end = k


class _Losses:
    """The batch loss of every update, in bounded memory: when ``capacity`` entries are
    held, the older half is thinned to every other entry (as the metric history is).
    Arrays are rebuilt, never shrunk in place: a ``series()`` handed out stays valid."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.clear()

    def clear(self):
        self._steps = np.empty(min(self.capacity, 1024), dtype=np.int64)  # update count
        self._values = np.empty(self._steps.size)  # float64: a diverged loss needs no cast
        self._n = 0

    def append(self, k: int, loss: float) -> None:
        if self._n == self._steps.size:
            self._make_room()
        self._steps[self._n] = k
        self._values[self._n] = loss
        self._n += 1

    def _make_room(self):
        n = self._n
        if n < self.capacity:
            keep = np.arange(n)
            size = min(2 * n, self.capacity)
        else:
            half = n // 2
            keep = np.concatenate([np.arange(0, half, 2), np.arange(half, n)])
            size = n
        steps, values = np.empty(size, dtype=np.int64), np.empty(size)
        steps[:keep.size], values[:keep.size] = self._steps[keep], self._values[keep]
        self._steps, self._values, self._n = steps, values, keep.size

    def truncate(self, k: int) -> None:
        n = int(np.searchsorted(self._steps[:self._n], k, side="right"))
        self._steps, self._values = self._steps.copy(), self._values.copy()
        self._n = n

    def series(self):
        return self._steps[:self._n], self._values[:self._n]

    @property
    def nbytes(self) -> int:
        return self._steps.nbytes + self._values.nbytes
