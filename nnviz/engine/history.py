"""The metric history of a training run: losses, accuracies and per-layer summaries
sampled at every evaluation, append-only, with read-only views for snapshots."""

from __future__ import annotations

import numpy as np


class History:
    """Append-only series sampled at every evaluation (lives in the worker).

    Each name holds scalars or fixed-length vectors. ``view()`` returns slices of
    the filled part: entries are never rewritten, and growing allocates a new
    buffer, so earlier views stay valid and unchanged."""

    def __init__(self, capacity: int = 1024):
        self._capacity = capacity
        self._buffers: dict[str, np.ndarray] = {}  # name → (capacity,) or (capacity, width)
        self._n = 0  # rows filled
        self._starts = np.zeros(256)  # update counts at which epochs 2, 3, … began
        self._n_starts = 0

    MAX_ROWS = 20_000  # beyond this, the older half is thinned to every other row

    def append(self, values: dict) -> None:
        if self._n >= self.MAX_ROWS:
            self._thin()
        if self._n == self._capacity:
            self._grow()
        for name, value in values.items():
            if name not in self._buffers:
                self._buffers[name] = self._new_buffer(np.shape(value))
            self._buffers[name][self._n] = value
        for name, buffer in self._buffers.items():
            if name not in values:
                buffer[self._n] = np.nan
        self._n += 1

    def _new_buffer(self, shape) -> np.ndarray:
        return np.full((self._capacity, *shape), np.nan)

    def _thin(self):
        """Keep the newer half of the rows and every other row of the older half (into new
        buffers: views already handed out stay as they were). Memory stays bounded
        however long training plays; recent history keeps its full resolution."""
        half = self._n // 2
        keep = np.concatenate([np.arange(0, half, 2), np.arange(half, self._n)])
        for name, old in self._buffers.items():
            new = self._new_buffer(old.shape[1:])
            new[:keep.size] = old[keep]
            self._buffers[name] = new
        self._n = keep.size

    def _grow(self):
        self._capacity *= 2
        for name, old in self._buffers.items():
            new = self._new_buffer(old.shape[1:])
            new[:self._n] = old[:self._n]
            self._buffers[name] = new

    def view(self, upto_step: int | None = None, extra: dict | None = None) -> "HistoryView":
        """The rows so far (or those with step <= upto_step, and then ``extra`` as one
        more row: a rewound state's own metrics)."""
        n = self._rows_upto(upto_step)
        series = {k: v[:n] for k, v in self._buffers.items()}
        starts = self.epoch_starts  # a slice of an append-only array: no copy per frame
        if upto_step is not None:
            starts = starts[starts < upto_step]
        if extra is None:
            return HistoryView(series, starts, n)
        series = {k: np.concatenate([v, [extra.get(k, np.full(v.shape[1:], np.nan))]])
                  for k, v in series.items()}
        return HistoryView(series, starts, n + 1)

    def _rows_upto(self, step) -> int:
        if step is None or "step" not in self._buffers:
            return self._n
        return int(np.searchsorted(self._buffers["step"][:self._n], step, side="right"))

    def truncate_after(self, step: int) -> None:
        """Drop the rows after update ``step`` (into new buffers: views stay unchanged)."""
        n = self._rows_upto(step)
        self._buffers = {k: v.copy() for k, v in self._buffers.items()}
        for buffer in self._buffers.values():
            buffer[n:] = np.nan
        self._n = n
        kept = self.epoch_starts[self.epoch_starts < step]
        self._starts = np.zeros(max(256, 2 * kept.size))  # new: earlier views keep theirs
        self._starts[:kept.size] = kept
        self._n_starts = kept.size

    def __len__(self):
        return self._n

    @property
    def epoch_starts(self) -> np.ndarray:
        """(epochs − 1,) the update count at which each epoch after the first began."""
        return self._starts[:self._n_starts]

    def add_epoch_start(self, update: int) -> None:
        if self._n_starts == len(self._starts):
            self._starts = np.concatenate([self._starts, np.zeros(len(self._starts))])
        self._starts[self._n_starts] = update
        self._n_starts += 1

    def to_arrays(self) -> dict:
        """Every series (and the epoch starts) as arrays, for a session file."""
        arrays = {name: buffer[:self._n].copy() for name, buffer in self._buffers.items()}
        arrays["epoch_starts"] = self.epoch_starts.copy()
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict) -> "History":
        history = cls()
        series = {k: np.asarray(v, dtype=np.float64) for k, v in arrays.items() if k != "epoch_starts"}
        lengths = {len(v) for v in series.values()}
        if len(lengths) > 1:
            raise ValueError(f"history series of different lengths: {sorted(lengths)}")
        n = lengths.pop() if lengths else 0
        history._capacity = max(1024, 2 * n)
        for name, values in series.items():
            history._buffers[name] = history._new_buffer(values.shape[1:])
            history._buffers[name][:n] = values
        history._n = n
        for start in np.asarray(arrays.get("epoch_starts", []), dtype=np.float64):
            history.add_epoch_start(start)
        return history


class HistoryView:
    """Read-only series: ``h.step``, ``h.train_loss`` …, ``h.get("norm_dW/2")``."""

    SCALARS = ("step", "train_loss", "test_loss", "train_acc", "test_acc")

    def __init__(self, series: dict, epoch_starts: np.ndarray, length: int):
        self._series = series
        self.epoch_starts = epoch_starts  # update counts where epochs 2, 3, … began
        self.length = length

    def get(self, name: str) -> np.ndarray:
        """(k,) or (k, width) values, NaN where the series was not sampled."""
        if name in self._series:
            return self._series[name]
        return np.full(self.length, np.nan)

    def names(self) -> list[str]:
        return list(self._series)

    def __getattr__(self, name):
        if name in HistoryView.SCALARS:
            return self.get(name)
        raise AttributeError(name)
