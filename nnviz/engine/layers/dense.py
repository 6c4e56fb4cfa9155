"""Fully connected layer: z = W h^(l-1) + b, h = σ(z)."""

from __future__ import annotations

import numpy as np

from ..activations import Linear, get_activation
from ..initializers import get_initializer
from ..records import DenseRecord
from .base import Layer, check_positive_int


def _batch_averages(dz, x, out=None):
    """dW = dz·xᵀ/m (…, n, n_in) and db = Σ dz/m (…, n), as sums times 1/m (not .mean():
    a NumPy call costs µs here, and ``np.add.reduce`` skips ndarray.sum's Python wrapper).
    ``out``: (dW, db) arrays to write them into (views of the trainer's flat gradient
    buffer), else new arrays.

    When m is a power of two, 1/m is exact and scaling commutes with rounding, so
    (dz/m)·xᵀ has the very bits of (dz·xᵀ)/m (short of subnormals): the scale then
    goes on dz, n·m numbers, instead of on dW, n·n_in (at 784 inputs, 12× fewer)."""
    m = dz.shape[-1]
    inv_m = 1.0 / m
    dW, db = (None, None) if out is None else out
    if m & (m - 1) == 0:
        scaled = dz * inv_m
        return (np.matmul(scaled, x.swapaxes(-1, -2), out=dW),
                np.add.reduce(scaled, axis=-1, out=db))
    dW = np.matmul(dz, x.swapaxes(-1, -2), out=dW)
    dW *= inv_m
    db = np.add.reduce(dz, axis=-1, out=db)
    db *= inv_m
    return dW, db


class Dense(Layer):
    """``units`` neurons; W has shape (units, n_in) (the lecture's W^l), b (units,).

    Several initialisations trained side by side stack them on a leading run axis:
    W (runs, units, n_in), b (runs, units), x (n_in, m) or (runs, n_in, m); the same
    code computes both (matmul broadcasts, ``...`` indexes, ``swapaxes(-1, -2)``
    transposes), slice by slice exactly as one run alone."""

    kind = "dense"

    def __init__(self, units, activation=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros"):
        super().__init__()
        self.units = check_positive_int(units, "units")
        self.activation = get_activation(activation)
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        get_initializer(kernel_initializer, "kernel_initializer")
        get_initializer(bias_initializer, "bias_initializer")
        self.W: np.ndarray | None = None  # (units, n_in)
        self.b: np.ndarray | None = None  # (units,)

    def build(self, n_in, rng, dtype):
        self.n_in, self.n_out = n_in, self.units
        self.W = get_initializer(self.kernel_initializer)((self.units, n_in), rng, dtype)
        self.b = get_initializer(self.bias_initializer)((self.units,), rng, dtype)
        return self.units

    @property
    def params(self):
        return {"W": self.W, "b": self.b}

    def forward(self, x, training=False, rng=None, weight_mask=None):
        W = self.W if weight_mask is None else self.W * weight_mask
        z = W @ x
        z += self.b[..., None]  # into the product's own new array: one allocation fewer
        h = self.activation.forward(z)
        # W and b are replaced, never changed in place, by an update: the record keeps
        # the very weights this forward pass used, at no cost.
        return DenseRecord(x=x, z=z, h=h, W=self.W, b=self.b, W_applied=W, weight_mask=weight_mask)

    def backward(self, dh, rec, need_dx=True, out=None):
        """dz = dh ⊗ σ'(z) unless the loss already set rec.dz (softmax + CE).
        ``out``: (dW, db) arrays to write the gradients into (see _batch_averages)."""
        if rec.dz is None:
            rec.dh = dh
            rec.dz = self.activation.backward(rec.z, rec.h, dh)
        dz = rec.dz
        dW, db = _batch_averages(dz, rec.x, out)
        if rec.weight_mask is not None:
            dW *= rec.weight_mask  # a dropped connection gets no gradient
        rec.dW = dW
        rec.db = db
        rec.grads = {"W": dW, "b": db}
        if need_dx:
            rec.dx = rec.W_applied.swapaxes(-1, -2) @ dz

    def infer(self, x):
        z = self.W @ x
        z += self.b[..., None]
        return self.activation.forward(z)

    def get_config(self):
        return {
            "type": "Dense",
            "units": self.units,
            "activation": self.activation.get_config()
            if not isinstance(self.activation, Linear) else "linear",
            "kernel_initializer": self.kernel_initializer,
            "bias_initializer": self.bias_initializer,
        }

    def __repr__(self):
        return f"Dense({self.units}, activation={self.activation.name!r})"
