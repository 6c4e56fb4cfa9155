"""The interface every layer implements (Keras style: validate in __init__,
``get_config()`` rebuilds the layer, explicit ``training`` argument)."""

from __future__ import annotations

import numpy as np

from ..records import LayerRecord


class Layer:
    """Arrays carry the lecture's layout on their last two axes, (n, m); anything in
    front of them is a run axis (several initialisations trained side by side), which
    every layer supports in its one forward/backward: index with ``...``, reduce over
    axis −1 (the batch) or −2 (the neurons), transpose with ``swapaxes(-1, -2)``, draw
    random masks of ``x.shape[-2:]`` (the runs share the trainer's draws)."""

    kind = "layer"

    def __init__(self):
        self.n_in: int | None = None  # units entering, known after build()
        self.n_out: int | None = None  # units leaving, known after build()

    def build(self, n_in: int, rng: np.random.Generator, dtype) -> int:
        """Create parameters for ``n_in`` inputs; return the number of outputs."""
        self.n_in = self.n_out = n_in
        return n_in

    @property
    def params(self) -> dict[str, np.ndarray]:
        """Trainable arrays by name. An update replaces them with new arrays, never
        writes into them (the invariant stated in ``records``)."""
        return {}

    @property
    def state_arrays(self) -> dict[str, np.ndarray]:
        """Every array that determines the layer's future (params + statistics)."""
        return self.params

    def forward(self, x, training=False, rng=None, weight_mask=None) -> LayerRecord:
        """x: (n_in, m) → a LayerRecord whose ``h`` is (n_out, m)."""
        raise NotImplementedError

    def backward(self, dh, rec: LayerRecord, need_dx: bool = True) -> None:
        """Fill ``rec`` with the gradients, given dh (n_out, m)."""
        raise NotImplementedError

    def infer(self, x) -> np.ndarray:
        """x: (n_in, m) → the output (n_out, m) in inference mode, recording nothing
        (predictions, evaluation, the pictures of the plane)."""
        return self.forward(x, training=False).h

    def parameter_count(self) -> int:
        return sum(a.size for a in self.params.values())

    def get_config(self) -> dict:
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "type")
        return f"{type(self).__name__}({args})"


def check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"Expected {name} to be an integer. Received: {name}={value!r}")
    if value < 1:
        raise ValueError(f"Expected {name} >= 1. Received: {name}={value}")
    return int(value)
