"""Weight initialisers, drawn from the model's seeded ``np.random.Generator``.

Each takes ``(shape, rng, dtype)`` with shape (n_l, n_(l-1)) for weights or (n_l,)
for biases and follows the Keras definition of the same name.
"""

from __future__ import annotations

import numpy as np


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight matrix of shape (n_out, n_in)."""
    if len(shape) == 1:
        return shape[0], shape[0]
    return shape[1], shape[0]


def glorot_uniform(shape, rng, dtype=np.float64):
    """U(−a, a) with a = sqrt(6 / (fan_in + fan_out)) — Keras Dense's default."""
    fan_in, fan_out = _fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def glorot_normal(shape, rng, dtype=np.float64):
    """Truncated-free normal with std sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(shape)
    return (rng.standard_normal(shape) * np.sqrt(2.0 / (fan_in + fan_out))).astype(dtype)


def he_uniform(shape, rng, dtype=np.float64):
    """U(−a, a) with a = sqrt(6 / fan_in), suited to ReLU layers."""
    fan_in, _ = _fans(shape)
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def he_normal(shape, rng, dtype=np.float64):
    """Normal with std sqrt(2 / fan_in), suited to ReLU layers."""
    fan_in, _ = _fans(shape)
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)


def zeros(shape, rng=None, dtype=np.float64):
    return np.zeros(shape, dtype=dtype)


def ones(shape, rng=None, dtype=np.float64):
    return np.ones(shape, dtype=dtype)


INITIALIZERS = {
    f.__name__: f for f in (glorot_uniform, glorot_normal, he_uniform, he_normal, zeros, ones)
}


def get_initializer(name: str, argument: str = "kernel_initializer"):
    if name not in INITIALIZERS:
        raise ValueError(
            f"Unknown initializer. Expected one of {', '.join(INITIALIZERS)}. "
            f"Received: {argument}={name!r}"
        )
    return INITIALIZERS[name]
