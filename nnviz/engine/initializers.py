"""Weight initialisers, drawn from the model's seeded ``np.random.Generator``.

Each takes ``(shape, rng, dtype)`` with shape (n_l, n_(l-1)) for weights or (n_l,)
for biases and follows the Keras definition of the same name. The normal ones are
truncated as Keras' are: a draw beyond 2 standard deviations is redrawn, and the
standard deviation before truncation is divided by 0.8796…, the standard deviation
of a standard normal truncated at ±2, so that the weights' own std is the one asked for.
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


#: std of a standard normal truncated at ±2 (Keras' VarianceScaling divides by it)
TRUNCATED_STD = 0.87962566103423978


def truncated_standard_normal(shape, rng) -> np.ndarray:
    """N(0, 1) draws with every value beyond ±2 redrawn (Keras' TruncatedNormal)."""
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2.0
    while outside.any():  # ~4.6 % redrawn each round: a handful of rounds at most
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2.0
    return values


def truncated_normal(shape, rng, stddev, dtype=np.float64):
    """Keras' VarianceScaling(distribution="truncated_normal"): std ``stddev`` after
    truncation, so every value lies within ±2·stddev/0.8796."""
    return (truncated_standard_normal(shape, rng) * (stddev / TRUNCATED_STD)).astype(dtype)


def glorot_normal(shape, rng, dtype=np.float64):
    """Truncated normal with std sqrt(2 / (fan_in + fan_out)) (Keras' glorot_normal)."""
    fan_in, fan_out = _fans(shape)
    return truncated_normal(shape, rng, np.sqrt(2.0 / (fan_in + fan_out)), dtype)


def he_uniform(shape, rng, dtype=np.float64):
    """U(−a, a) with a = sqrt(6 / fan_in), suited to ReLU layers."""
    fan_in, _ = _fans(shape)
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape).astype(dtype)


def he_normal(shape, rng, dtype=np.float64):
    """Truncated normal with std sqrt(2 / fan_in), suited to ReLU layers (Keras' he_normal)."""
    fan_in, _ = _fans(shape)
    return truncated_normal(shape, rng, np.sqrt(2.0 / fan_in), dtype)


def random_uniform(shape, rng, dtype=np.float64):
    """U(−0.05, 0.05): Keras' RandomUniform default, what its Embedding starts from."""
    return rng.uniform(-0.05, 0.05, size=shape).astype(dtype)


def zeros(shape, rng=None, dtype=np.float64):
    return np.zeros(shape, dtype=dtype)


def ones(shape, rng=None, dtype=np.float64):
    return np.ones(shape, dtype=dtype)


INITIALIZERS = {
    f.__name__: f for f in (glorot_uniform, glorot_normal, he_uniform, he_normal, random_uniform, zeros, ones)
}


def get_initializer(name: str, argument: str = "kernel_initializer"):
    if name not in INITIALIZERS:
        raise ValueError(
            f"Unknown initializer. Expected one of {', '.join(INITIALIZERS)}. "
            f"Received: {argument}={name!r}"
        )
    return INITIALIZERS[name]
