"""Batch normalization with Keras defaults.

Training: per neuron, μ and σ² over the batch (biased), x̂ = (x − μ)/sqrt(σ² + ε),
output γ·x̂ + β, and moving = momentum·moving + (1 − momentum)·batch.
Inference: the moving statistics replace μ and σ².
A training batch of one point has σ² = 0, so x̂ = 0 and the output is β (as in
Keras) — finite, never NaN, but it carries no information about that point.
"""

from __future__ import annotations

import numpy as np

from ..records import BatchNormRecord
from .base import Layer


def _batch_mean(a):
    """(…, n, m) → (…, n): the mean over the batch, exactly as ``a.mean(axis=-1)``
    computes it (a sum, then one division) without NumPy's Python wrapper around it,
    which was a quarter of an update in the batch-norm lesson."""
    return np.add.reduce(a, axis=-1) / a.shape[-1]


class BatchNorm(Layer):
    kind = "batchnorm"

    def __init__(self, momentum=0.99, epsilon=0.001):
        super().__init__()
        if not 0.0 <= float(momentum) < 1.0:
            raise ValueError(f"Expected 0 <= momentum < 1. Received: momentum={momentum}")
        if not float(epsilon) > 0.0:
            raise ValueError(f"Expected epsilon > 0. Received: epsilon={epsilon}")
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.gamma = self.beta = self.moving_mean = self.moving_var = None  # (n,) each

    def build(self, n_in, rng, dtype):
        self.n_in = self.n_out = n_in
        self.gamma = np.ones(n_in, dtype=dtype)
        self.beta = np.zeros(n_in, dtype=dtype)
        self.moving_mean = np.zeros(n_in, dtype=dtype)
        self.moving_var = np.ones(n_in, dtype=dtype)
        return n_in

    @property
    def params(self):
        return {"gamma": self.gamma, "beta": self.beta}

    @property
    def state_arrays(self):
        return {"gamma": self.gamma, "beta": self.beta,
                "moving_mean": self.moving_mean, "moving_var": self.moving_var}

    def forward(self, x, training=False, rng=None, weight_mask=None):
        """x: (…, n, m); statistics over the batch axis −1, per neuron (and run)."""
        if training:
            mean = _batch_mean(x)
            centred = x - mean[..., None]
            var = _batch_mean(centred * centred)
            self._update_moving(mean, var)
        else:
            mean, var = self.moving_mean, self.moving_var
            centred = x - mean[..., None]
        inv_std = 1.0 / np.sqrt(var + self.epsilon)
        x_hat = centred * inv_std[..., None]
        h = self.gamma[..., None] * x_hat
        h += self.beta[..., None]
        # γ, β and the moving statistics are replaced, never changed in place, by the
        # optimizer and _update_moving: the record can hold the arrays themselves.
        return BatchNormRecord(x=x, h=h, mean=mean, var=var, inv_std=inv_std,
                               x_hat=x_hat, gamma=self.gamma, beta=self.beta,
                               moving_mean=self.moving_mean, moving_var=self.moving_var, training=training)

    def infer(self, x):
        """Inference folded into one affine map per neuron: γ(x − μ)/√(σ² + ε) + β =
        s·x + t with s = γ/√(σ² + ε), t = β − s·μ (two passes over x instead of four;
        equal to the unfolded formula up to rounding)."""
        scale = self.gamma / np.sqrt(self.moving_var + self.epsilon)
        shift = self.beta - scale * self.moving_mean
        h = x * scale[..., None]
        h += shift[..., None]
        return h

    def _update_moving(self, mean, var):
        # New arrays, never in place: earlier records keep the statistics they saw.
        keep = self.momentum
        self.moving_mean = keep * self.moving_mean + (1.0 - keep) * mean
        self.moving_var = keep * self.moving_var + (1.0 - keep) * var

    def backward(self, dh, rec, need_dx=True):
        """Per-point scale (see records): dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / σ."""
        rec.dh = dh
        rec.grads = {"gamma": _batch_mean(dh * rec.x_hat), "beta": _batch_mean(dh)}
        if not need_dx:
            return
        dx_hat = dh * rec.gamma[..., None]
        if rec.training:
            rec.dx = (dx_hat - _batch_mean(dx_hat)[..., None]
                      - rec.x_hat * _batch_mean(dx_hat * rec.x_hat)[..., None]
                      ) * rec.inv_std[..., None]
        else:
            rec.dx = dx_hat * rec.inv_std[..., None]

    def forward_text(self, h: str) -> str:
        return f"batch norm of {h}: μ, σ² over the batch, x̂ = ({h} − μ)/√(σ² + ε), γx̂ + β"

    def backward_text(self, h: str) -> str:
        return f"batch norm: dγ, dβ, and d{h} through x̂, μ and σ²"

    def get_config(self):
        return {"type": "BatchNorm", "momentum": self.momentum, "epsilon": self.epsilon}
