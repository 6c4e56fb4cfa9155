"""Losses, each averaged over the batch by the trainer.

Arrays are in the lecture's layout: z, h, y have shape (n_o, m), one column per
data point. ``per_point`` returns the (m,) losses L_j; ``output_delta`` returns
dz^o (n_o, m), the gradient of L_j with respect to z^o for each point j, and dh^o
(or None where the lecture goes straight to dz^o = p − y). With several
initialisations side by side z and h are (runs, n_o, m) and y stays (n_o, m): the
neuron axis is −2 and the batch axis −1 either way, and each run's numbers are
exactly those it would have alone.
"""

from __future__ import annotations

import numpy as np

from .activations import Activation


class Loss:
    name = "loss"
    #: the output activation this loss is defined with (None: any)
    requires_activation: str | None = None

    def per_point(self, z, h, y) -> np.ndarray:
        raise NotImplementedError

    def output_delta(self, z, h, y, activation: Activation):
        raise NotImplementedError

    def formula(self, activation: Activation) -> str:
        """The loss phase in the lecture's notation, for this output activation."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}()"


class SoftmaxCrossEntropy(Loss):
    """L = −yᵀ log p with p = softmax(z); dz^o = p − y exactly."""

    name = "cross_entropy"
    requires_activation = "softmax"

    def per_point(self, z, h, y):
        """y is one-hot (the trainer makes it so), hence L = −log p_true."""
        picked = np.add.reduce(h * y, axis=-2)  # p of the true class
        if np.minimum.reduce(picked, axis=None) > 1e-300:
            return -np.log(picked)
        # Some p underflowed to 0: log p from z (log-softmax) stays finite. Decided per
        # run, so that a run's losses never depend on another run's.
        zmax = np.maximum.reduce(z, axis=-2, keepdims=True)
        log_p = z - zmax - np.log(np.add.reduce(np.exp(z - zmax), axis=-2, keepdims=True))
        from_logits = -np.add.reduce(y * log_p, axis=-2)
        with np.errstate(divide="ignore"):
            return np.where(picked.min(axis=-1, keepdims=True) > 1e-300, -np.log(picked), from_logits)

    def output_delta(self, z, h, y, activation):
        return h - y, None

    def formula(self, activation):
        return "p = softmax(zᵒ);  L = −yᵀ log p;  dzᵒ = p − y"


class BinaryCrossEntropy(Loss):
    """One sigmoid unit: L = −[y log p + (1−y) log(1−p)]; dz^o = p − y."""

    name = "binary_cross_entropy"
    requires_activation = "sigmoid"

    def per_point(self, z, h, y):
        # log(1 + e^z) − y·z is the same quantity, stable for any z.
        return np.add.reduce(np.logaddexp(0.0, z) - y * z, axis=-2)

    def output_delta(self, z, h, y, activation):
        return h - y, None

    def formula(self, activation):
        return "p = sigmoid(zᵒ);  L = −[y log p + (1 − y) log(1 − p)];  dzᵒ = p − y"


class MeanSquaredError(Loss):
    """Keras semantics: L = mean over outputs of (h − y)², no ½; any output activation."""

    name = "mse"

    def per_point(self, z, h, y):
        diff = h - y
        return (diff * diff).mean(axis=-2)

    def output_delta(self, z, h, y, activation):
        dh = (2.0 / h.shape[-2]) * (h - y)
        return activation.backward(z, h, dh), dh

    def formula(self, activation):
        delta = "2(ŷ − y)/n_o"
        if activation.name != "linear":
            delta = f"{delta} ⊗ {activation.derivative_text('zᵒ')}"
        return f"ŷ = {activation.text('zᵒ')};  L = mean over the n_o outputs of (ŷ − y)²;  dzᵒ = {delta}"


LOSSES = {cls.name: cls for cls in (SoftmaxCrossEntropy, BinaryCrossEntropy, MeanSquaredError)}


def get_loss(spec) -> Loss:
    if isinstance(spec, Loss):
        return spec
    if spec not in LOSSES:
        raise ValueError(f"Unknown loss. Expected one of {', '.join(LOSSES)}. Received: loss={spec!r}")
    return LOSSES[spec]()
