"""Dropout with Keras semantics, plus the lecture's two masks on W.

``rate`` is the probability of dropping; q = 1 − rate is the probability of
keeping. Kept values are scaled by 1/q during training ("inverted dropout", as
Keras), so nothing changes at inference, where the layer is the identity.

Three modes:

- "neuron" (Keras): each unit of the input is kept or dropped independently for
  every data point; mask (n, m) of Bernoulli(q) draws.
- "column" (the lecture's α): one mask *vector* α of shape (n, 1) per minibatch with
  exactly round(q·n) ones (at least one); the next Dense layer computes
  z = W·diag(α/q)·h — the columns of W of the dropped units are zero for the whole
  batch, so their dW is exactly zero.
- "connection" (the lecture's element-wise mask): one mask of the next W's shape per
  minibatch with exactly round(q·size) ones (at least one); z = (W ⊙ mask/q)·h.

round() rounds halves up (q·n = 2.5 keeps 3), as the lecture counts.
"""

from __future__ import annotations

import math

import numpy as np

from ..records import DropoutRecord
from .base import Layer

MODES = ("neuron", "column", "connection")
WEIGHT_MODES = ("column", "connection")  # modes that mask the next Dense layer's W


def kept_count(keep_prob: float, size: int) -> int:
    """round(q·size) with halves up, at least 1: how many ones an exact mask holds."""
    return max(1, min(size, math.floor(keep_prob * size + 0.5)))


def exact_mask(shape, keep_prob: float, rng: np.random.Generator) -> np.ndarray:
    """A bool mask of ``shape`` with exactly kept_count(q, size) True entries, placed
    uniformly at random (a random permutation's first k positions)."""
    size = math.prod(shape)
    return (rng.permutation(size) < kept_count(keep_prob, size)).reshape(shape)


class Dropout(Layer):
    """``Dropout(rate, mode="neuron" | "column" | "connection")`` (see the module)."""

    kind = "dropout"

    def __init__(self, rate, mode="neuron"):
        super().__init__()
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.floating)):
            raise TypeError(f"Expected rate to be a number. Received: rate={rate!r}")
        if not 0.0 <= float(rate) < 1.0:
            raise ValueError(f"Expected 0 <= rate < 1. Received: rate={rate}")
        if mode not in MODES:
            raise ValueError(f"Expected mode to be one of {MODES}. Received: mode={mode!r}")
        self.rate = float(rate)
        self.mode = mode
        self.connection_shape: tuple[int, int] | None = None  # the next W's shape, set by Sequential

    @property
    def keep_prob(self) -> float:
        """q, the lecture's probability of keeping a unit."""
        return 1.0 - self.rate

    @property
    def masks_weights(self) -> bool:
        """True when the mask acts on the next Dense layer's W, not on this layer's output."""
        return self.mode in WEIGHT_MODES

    def forward(self, x, training=False, rng=None, weight_mask=None):
        """x: (n, m). Records the mask: (n, m) "neuron", α (n, 1) "column",
        (n_next, n) "connection"; ``weight_mask`` of the record is what the next
        Dense multiplies W by, (n_next, n) scaled by 1/q (None in "neuron" mode)."""
        rec = DropoutRecord(x=x, h=x, rate=self.rate, keep_prob=self.keep_prob, mode=self.mode)
        if not training or self.rate == 0.0:
            return rec
        if rng is None:
            raise ValueError("Dropout in training mode needs the trainer's rng. Received: rng=None")
        scale = np.asarray(1.0 / self.keep_prob, dtype=x.dtype)
        # one mask for every run side by side (x may be (R, n, m)): each would have drawn this same one alone
        if self.mode == "neuron":
            rec.mask = rng.random(x.shape[-2:]) >= self.rate
            rec.scaled_mask = rec.mask * scale
            rec.h = x * rec.scaled_mask
        elif self.mode == "column":
            rec.mask = exact_mask((x.shape[-2], 1), self.keep_prob, rng)
            rec.scaled_mask = rec.mask * scale
            # α/q as a row, broadcast down the next W's rows: W·diag(α/q), no copy
            rec.weight_mask = np.broadcast_to(rec.scaled_mask.T, self.connection_shape)
        else:
            rec.mask = exact_mask(self.connection_shape, self.keep_prob, rng)
            rec.scaled_mask = rec.mask * scale
            rec.weight_mask = rec.scaled_mask
        return rec

    def infer(self, x):
        return x

    def backward(self, dh, rec, need_dx=True):
        rec.dh = dh
        if rec.scaled_mask is not None and self.mode == "neuron":
            rec.dx = dh * rec.scaled_mask
        else:
            rec.dx = dh  # the mask on W already zeroed what reaches the dropped units

    def forward_text(self, h: str, next_W: str) -> str:
        """This layer's forward phase in the lecture's notation (h: its input's name,
        next_W: the next Dense layer's weights)."""
        q = f"rate {self.rate:g}, keep q = {self.keep_prob:g}"
        if self.mode == "column":
            return (f"dropout α: the next layer uses {next_W}·diag(α)/q, α a vector with exactly "
                    f"round(q·n) ones, one per minibatch ({q})")
        if self.mode == "connection":
            return (f"element-wise dropout (DropConnect): the next layer uses {next_W} ⊙ mask/q, exactly "
                    f"round(q·size) ones, one mask per minibatch ({q})")
        return f"dropout on {h}: {h} ⊗ mask/q, a new mask for every point ({q})"

    def backward_text(self, h: str, next_W: str) -> str:
        if self.mode == "column":
            return f"dropout α: d{h} passes unchanged; d{next_W} is zero in the dropped columns"
        if self.mode == "connection":
            return f"DropConnect: d{h} passes unchanged; d{next_W} was masked (no gradient where cut)"
        return f"dropout: d{h} ⊗ mask/q, through the same mask"

    def get_config(self):
        return {"type": "Dropout", "rate": self.rate, "mode": self.mode}
