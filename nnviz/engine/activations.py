"""Activation functions σ and their derivatives σ'.

Every function works element-wise on arrays of any shape, except softmax, which
normalises over axis −2 — the neuron axis in the lecture's (n_l, m) layout, and in
the (runs, n_l, m) layout of several initialisations trained side by side.
"""

from __future__ import annotations

import numpy as np


class Activation:
    """Base class: ``forward(z) -> h`` and ``derivative(z, h) -> σ'(z)``."""

    name = "activation"

    def forward(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        """σ'(z) element-wise; ``h`` is σ(z), passed in because it is cheaper."""
        raise NotImplementedError

    def backward(self, z: np.ndarray, h: np.ndarray, dh: np.ndarray) -> np.ndarray:
        """dz = dh ⊗ σ'(z) (overridden by softmax, whose Jacobian is not diagonal)."""
        return dh * self.derivative(z, h)

    def get_config(self) -> dict:
        return {"name": self.name}

    def text(self, z: str) -> str:
        """The function applied to ``z``, as the lecture writes it: "tanh(z¹)"."""
        return f"{self.name}({z})"

    def derivative_text(self, z: str) -> str:
        """Its derivative at ``z``: "tanh′(z¹)"."""
        return f"{self.name}′({z})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Activation):
    name = "sigmoid"

    def forward(self, z):
        # exp(−log(1 + e^(−z))) never overflows, whatever the sign of z, and keeps its
        # relative precision for very negative z (0.5·tanh(z/2) + 0.5 is faster but
        # gives σ(−30) ≈ 9.4e-14 to only three digits). One buffer for all four steps.
        h = np.negative(z)
        np.logaddexp(0.0, h, out=h)
        np.negative(h, out=h)
        return np.exp(h, out=h)

    def derivative(self, z, h):
        return h * (1.0 - h)


class Tanh(Activation):
    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def derivative(self, z, h):
        return 1.0 - h * h

    def backward(self, z, h, dh):
        return dh * (1.0 - h * h)  # derivative() inlined: the same numbers, one call fewer


class ReLU(Activation):
    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0.0)

    def derivative(self, z, h):
        # σ'(0) is taken as 0, as Keras and PyTorch do.
        return (z > 0).astype(z.dtype)

    def backward(self, z, h, dh):
        # dh ⊗ σ'(z) with the booleans cast inside the multiplication: the same numbers
        # (dh·1.0 or dh·0.0) without a float copy of the mask
        return dh * (z > 0)


class LeakyReLU(Activation):
    """max(z, slope·z); default slope 0.2 as ``keras.activations.leaky_relu``."""

    name = "leaky_relu"

    def __init__(self, negative_slope: float = 0.2):
        if not 0.0 <= float(negative_slope) < 1.0:
            raise ValueError(
                f"Expected 0 <= negative_slope < 1. Received: negative_slope={negative_slope}"
            )
        self.negative_slope = float(negative_slope)

    def forward(self, z):
        return np.where(z > 0, z, self.negative_slope * z)

    def derivative(self, z, h):
        return np.where(z > 0, 1.0, self.negative_slope).astype(z.dtype)

    def get_config(self):
        return {"name": self.name, "negative_slope": self.negative_slope}

    def text(self, z):
        """The lecture's max(z, αz), with this layer's α."""
        return f"max({z}, {self.negative_slope:g}·{z})"

    def derivative_text(self, z):
        return f"leaky_relu′({z}) (1 or {self.negative_slope:g})"

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class Linear(Activation):
    name = "linear"

    def forward(self, z):
        return z

    def derivative(self, z, h):
        return np.ones_like(z)

    def backward(self, z, h, dh):
        return dh

    def text(self, z):
        return z

    def derivative_text(self, z):
        return "1"


class Softmax(Activation):
    """p = exp(z) / Σ exp(z), over the neuron axis −2 of an (…, n, m) array."""

    name = "softmax"

    def forward(self, z):
        # ufunc reductions, not z.max()/e.sum(): those go through NumPy's Python wrappers
        e = np.exp(z - np.maximum.reduce(z, axis=-2, keepdims=True))
        e /= np.add.reduce(e, axis=-2, keepdims=True)
        return e

    def derivative(self, z, h):
        # Diagonal of the Jacobian only; backward() uses the full Jacobian.
        return h * (1.0 - h)

    def backward(self, z, h, dh):
        # dz_i = Σ_j dh_j ∂p_j/∂z_i = p_i (dh_i − Σ_j dh_j p_j)
        return h * (dh - np.add.reduce(dh * h, axis=-2, keepdims=True))


class Step(Activation):
    """Heaviside step for perceptrons: 1 if z > 0 else 0. Its derivative is 0."""

    name = "step"

    def forward(self, z):
        return (z > 0).astype(z.dtype)

    def derivative(self, z, h):
        return np.zeros_like(z)


_BY_NAME = {cls.name: cls for cls in (Sigmoid, Tanh, ReLU, LeakyReLU, Linear, Softmax, Step)}
ACTIVATION_NAMES = tuple(_BY_NAME)


def get_activation(spec) -> Activation:
    """An Activation from a name ("tanh"), a config dict, an instance or None (linear)."""
    if spec is None:
        return Linear()
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, dict):
        spec = dict(spec)
        name = spec.pop("name", None)
        return _from_name(name, **spec)
    if isinstance(spec, str):
        return _from_name(spec)
    raise TypeError(f"Expected activation to be a name or an Activation. Received: activation={spec!r}")


def _from_name(name, **kwargs) -> Activation:
    if name not in _BY_NAME:
        raise ValueError(
            f"Unknown activation. Expected one of {', '.join(ACTIVATION_NAMES)}. Received: activation={name!r}"
        )
    return _BY_NAME[name](**kwargs)
