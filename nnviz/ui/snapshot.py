"""Immutable pictures of the training state, handed from the worker to the views.

Everything in a Snapshot is either a fresh copy or an array the engine never
writes to again (StepRecords, the dataset, the filled part of the history), so a
view may read it at leisure while the worker trains on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.config import Config
from ..engine.datasets import Dataset
from ..engine.records import StepRecord


class History:
    """Append-only metric series (lives in the worker).

    ``view()`` returns slices of the filled part: entries are never rewritten, and
    growing allocates a new buffer, so earlier views stay valid and unchanged."""

    FIELDS = ("step", "train_loss", "test_loss", "train_acc", "test_acc")

    def __init__(self, capacity: int = 1024):
        self._data = {name: np.full(capacity, np.nan) for name in self.FIELDS}
        self._n = 0
        self.epoch_starts: list[int] = []  # update index at which each epoch after the first began

    def append(self, **values) -> None:
        if self._n == len(self._data["step"]):
            self._data = {k: np.concatenate([v, np.full(len(v), np.nan)]) for k, v in self._data.items()}
        for name in self.FIELDS:
            self._data[name][self._n] = values.get(name, np.nan)
        self._n += 1

    def view(self) -> "HistoryView":
        return HistoryView(**{k: v[:self._n] for k, v in self._data.items()},
                           epoch_starts=tuple(self.epoch_starts))

    def __len__(self):
        return self._n


@dataclass(frozen=True)
class HistoryView:
    step: np.ndarray  # (k,) update count at each evaluation
    train_loss: np.ndarray  # (k,) data loss on the whole training set
    test_loss: np.ndarray  # (k,) NaN when there is no test set
    train_acc: np.ndarray  # (k,) NaN for regression
    test_acc: np.ndarray  # (k,)
    epoch_starts: tuple  # update counts where epochs 2, 3, … began


@dataclass(frozen=True)
class BoundaryGrid:
    values: np.ndarray  # (G, G) p(class 1) or the regression output; values[i, j] at (xs[j], ys[i])
    xs: np.ndarray  # (G,) x1 coordinates
    ys: np.ndarray  # (G,) x2 coordinates


@dataclass(frozen=True)
class Snapshot:
    generation: int  # bumped at every reset; older snapshots are ignored
    steps_done: int  # updates applied so far
    epoch: int  # epoch of the next update
    config: Config  # the configuration that built this model (a private copy)
    dataset: Dataset  # raw 2-D points and labels (never mutated)
    params: tuple  # ((layer index, name, array copy), …)
    record: StepRecord | None  # the latest update (None before the first)
    history: HistoryView
    grid: BoundaryGrid | None  # None when the input is not the 2-D plane
    train_pred: np.ndarray  # (N_train,) predicted class or value
    test_pred: np.ndarray  # (N_test,)
    playing: bool
    regression: bool

    @property
    def last_metrics(self) -> dict:
        h = self.history
        if not len(h.step):
            return {}
        return {name: float(getattr(h, name)[-1]) for name in
                ("train_loss", "test_loss", "train_acc", "test_acc")}
