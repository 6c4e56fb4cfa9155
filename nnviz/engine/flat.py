"""A network's parameters as views of one flat buffer, for the plain-SGD update.

Why: at MNIST size (784-128-64-10) the update streams W¹, dW¹ and the new W¹, about
as much as the L2 cache holds, and every NumPy call after it runs 5–10× slower than
in a warm loop. With the parameters and the gradients each in one buffer, plain
SGD is one multiply, one subtract and one NaN/∞ test for the whole network instead
of three calls per parameter array (measured in ``benchmarks/bench_engine.py``).

The invariant stated in ``records`` holds: every update writes its gradients and its
new parameters into buffers of its own, fresh each update, so a record's W, dW and db
(views of those buffers) never change afterwards. Element-wise arithmetic on one long
array gives the very bits of the same arithmetic array by array, and a matmul written
into a contiguous view is the same BLAS call as one into a new array.

    flat = FlatParameters(model.layers)
    p = flat.current(params)       # (P,) holding every parameter (layers get its views)
    new, views = flat.blank()      # a new (P,) buffer, its views shaped like the parameters
"""

from __future__ import annotations

import numpy as np


class FlatParameters:
    """The Dense layers' W and b of ``layers`` (one run: no leading run axis), packed
    end to end in one (P,) buffer of the model's dtype, in ``parameters()`` order.

    The trainer is the only writer of the layers' parameters (``records``' invariant),
    so the buffer is the layers' own as long as the trainer's parameter list is the
    list of views this object handed out."""

    def __init__(self, layers):
        self.slots, self._pieces, self._by_layer, start = [], [], [], 0
        for layer in layers:
            params = layer.params  # a Dense's {"W": …, "b": …}: (dW, db) pair with them
            self._by_layer.append(len(self._pieces) if params else None)
            for name, array in params.items():
                self.slots.append((layer, name))
                shape = array.shape
                end = start + array.size
                self._pieces.append((start, end, shape if len(shape) > 1 else None))
                start = end
        self.size = start
        self.flat: np.ndarray | None = None  # (P,) the buffer the layers' arrays view
        self.views: list[np.ndarray] = []  # the layers' arrays, views of ``flat``

    def current(self, params: list[np.ndarray]) -> np.ndarray:
        """(P,) the buffer holding ``params`` (the layers' parameters now). Packed again
        (one copy) when the trainer replaced them otherwise (a restore, an update phase
        by phase): the layers then get views of the new buffer, with the same values."""
        if params is not self.views:
            flat = np.concatenate([a.ravel() for a in params])
            self.take(flat, self.views_of(flat))
        return self.flat

    def blank(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """A new, uninitialised (P,) buffer and its views shaped like the parameters."""
        flat = np.empty(self.size, self.flat.dtype)
        return flat, self.views_of(flat)

    def blank_by_layer(self) -> tuple[np.ndarray, list]:
        """A new (P,) buffer for the gradients and, per layer, None or the (dW, db)
        views a Dense writes into (``Sequential.backward``'s ``grads_out``)."""
        flat, views = self.blank()
        return flat, [None if k is None else (views[k], views[k + 1]) for k in self._by_layer]

    def views_of(self, flat: np.ndarray) -> list[np.ndarray]:
        """``flat``'s pieces shaped like the parameters, in ``slots`` order (a bias is
        its slice as it is: one NumPy call fewer)."""
        return [flat[start:end] if shape is None else flat[start:end].reshape(shape)
                for start, end, shape in self._pieces]

    def take(self, flat: np.ndarray, views: list[np.ndarray]) -> None:
        """The layers' parameters become ``views`` (of ``flat``)."""
        for (layer, name), view in zip(self.slots, views):
            setattr(layer, name, view)
        self.flat, self.views = flat, views


def packs(model) -> bool:
    """Whether the flat update can serve ``model``: one run, and every layer with
    parameters a Dense (whose backward writes its gradients where it is told)."""
    layers_with_parameters = [layer for layer in model.layers if layer.params]
    return (model.runs is None and bool(layers_with_parameters)
            and all(layer.kind == "dense" for layer in layers_with_parameters))
