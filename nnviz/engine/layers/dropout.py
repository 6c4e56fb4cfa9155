"""Dropout with Keras semantics, plus the lecture's element-wise mask on W.

``rate`` is the probability of dropping; q = 1 − rate is the probability of
keeping. Kept values are scaled by 1/q during training ("inverted dropout"), so
nothing changes at inference, where the layer is the identity.
"""

from __future__ import annotations

import numpy as np

from ..records import DropoutRecord
from .base import Layer

MODES = ("neuron", "connection")


class Dropout(Layer):
    """mode="neuron": each unit of the input is kept or dropped per data point
    (mask (n, m)); mode="connection" (DropConnect): each weight of the following
    Dense layer is kept or dropped, one mask (n_next, n) per minibatch."""

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
        self.connection_shape: tuple[int, int] | None = None  # set by Sequential

    @property
    def keep_prob(self) -> float:
        """q, the lecture's probability of keeping a unit."""
        return 1.0 - self.rate

    def forward(self, x, training=False, rng=None, weight_mask=None):
        rec = DropoutRecord(x=x, h=x, rate=self.rate, keep_prob=self.keep_prob, mode=self.mode)
        if not training or self.rate == 0.0:
            return rec
        if rng is None:
            raise ValueError("Dropout in training mode needs the trainer's rng. Received: rng=None")
        # one mask for every run side by side: each would have drawn this same one alone
        shape = x.shape[-2:] if self.mode == "neuron" else self.connection_shape
        rec.mask = rng.random(shape) >= self.rate
        rec.scaled_mask = rec.mask * np.asarray(1.0 / self.keep_prob, dtype=x.dtype)
        if self.mode == "neuron":
            rec.h = x * rec.scaled_mask
        return rec

    def infer(self, x):
        return x

    def backward(self, dh, rec, need_dx=True):
        rec.dh = dh
        if rec.scaled_mask is not None and self.mode == "neuron":
            rec.dx = dh * rec.scaled_mask
        else:
            rec.dx = dh

    def forward_text(self, h: str, next_W: str) -> str:
        """This layer's forward phase in the lecture's notation (h: its input's name,
        next_W: the next Dense layer's weights)."""
        q = f"rate {self.rate:g}, keep q = {self.keep_prob:g}"
        if self.mode == "connection":
            return f"DropConnect: the next layer uses {next_W} ⊙ mask/q, one mask per minibatch ({q})"
        return f"dropout on {h}: {h} ⊗ mask/q, a new mask for every point ({q})"

    def backward_text(self, h: str, next_W: str) -> str:
        if self.mode == "connection":
            return f"DropConnect: d{h} passes unchanged; d{next_W} was masked (no gradient where cut)"
        return f"dropout: d{h} ⊗ mask/q, through the same mask"

    def get_config(self):
        return {"type": "Dropout", "rate": self.rate, "mode": self.mode}
