"""Batch normalization with Keras defaults, and the lecture's test-time statistics.

Training: per neuron, μ and σ² over the batch (biased), x̂ = (x − μ)/sqrt(σ² + ε),
output γ·x̂ + β, and moving = momentum·moving + (1 − momentum)·batch (Keras).

Inference, two ways:

- ``inference="moving_average"`` (Keras): the moving statistics replace μ and σ².
- ``inference="batch_average"`` (the lecture: "the average of the μs and σs of the
  different batches of the training set"): μ̄ = the mean of the batch means and
  σ̄ = the mean of the batch standard deviations √σ² over the last completed epoch,
  x̂ = (x − μ̄)/√(σ̄² + ε). During the first epoch the batches so far are averaged;
  before any batch, μ̄ = 0 and σ̄ = 1 (Keras' initial moving statistics).

Both sets of statistics are always kept, so a learner can compare them; the sums of
the epoch in progress are state arrays like the moving statistics (checkpoints and
sessions hold them, rewinding is exact). A training batch of one point has σ² = 0,
so x̂ = 0 and the output is β (as in Keras) — finite, never NaN.

Shapes: x (n, m); every statistic (n,); the batch counters (1,). Statistics are
reduced over the last axis and broadcast with ``[..., None]``.
"""

from __future__ import annotations

import numpy as np

from ..records import BatchNormRecord
from .base import Layer

INFERENCE = ("moving_average", "batch_average")
COUNTERS = ("epoch_batches", "average_batches")  # (1,) counts of batches, stored as floats


def _batch_mean(a):
    """(…, n, m) → (…, n): the mean over the batch, exactly as ``a.mean(axis=-1)``
    computes it (a sum, then one division) without NumPy's Python wrapper around it,
    which was a quarter of an update in the batch-norm lesson."""
    return np.add.reduce(a, axis=-1) / a.shape[-1]


class BatchNorm(Layer):
    kind = "batchnorm"

    def __init__(self, momentum=0.99, epsilon=0.001, inference="moving_average"):
        super().__init__()
        if not 0.0 <= float(momentum) < 1.0:
            raise ValueError(f"Expected 0 <= momentum < 1. Received: momentum={momentum}")
        if not float(epsilon) > 0.0:
            raise ValueError(f"Expected epsilon > 0. Received: epsilon={epsilon}")
        if inference not in INFERENCE:
            raise ValueError(f"Expected inference to be one of {INFERENCE}. Received: inference={inference!r}")
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.inference = inference
        self.gamma = self.beta = self.moving_mean = self.moving_var = None  # (n,) each
        self.epoch_mean_sum = self.epoch_std_sum = None  # (n,) Σ over this epoch's batches of μ, of σ
        self.epoch_batches = None  # (1,) batches in this epoch so far
        self.average_mean = self.average_std = None  # (n,) μ̄, σ̄ of the last completed epoch
        self.average_batches = None  # (1,) batches that epoch had (0: none completed yet)

    def build(self, n_in, rng, dtype):
        self.n_in = self.n_out = n_in
        self.gamma = np.ones(n_in, dtype=dtype)
        self.beta = np.zeros(n_in, dtype=dtype)
        self.moving_mean = np.zeros(n_in, dtype=dtype)
        self.moving_var = np.ones(n_in, dtype=dtype)
        self.epoch_mean_sum, self.epoch_std_sum = np.zeros(n_in, dtype=dtype), np.zeros(n_in, dtype=dtype)
        self.epoch_batches = np.zeros(1, dtype=dtype)
        self.average_mean = np.zeros(n_in, dtype=dtype)
        self.average_std = np.ones(n_in, dtype=dtype)
        self.average_batches = np.zeros(1, dtype=dtype)
        return n_in

    def _reset_epoch_sums(self):
        # zeros_like keeps a stacked network's leading run axis: (R, n) and (R, 1)
        self.epoch_mean_sum = np.zeros_like(self.epoch_mean_sum)
        self.epoch_std_sum = np.zeros_like(self.epoch_std_sum)
        self.epoch_batches = np.zeros_like(self.epoch_batches)

    @property
    def params(self):
        return {"gamma": self.gamma, "beta": self.beta}

    @property
    def state_arrays(self):
        return {"gamma": self.gamma, "beta": self.beta,
                "moving_mean": self.moving_mean, "moving_var": self.moving_var,
                "epoch_mean_sum": self.epoch_mean_sum, "epoch_std_sum": self.epoch_std_sum,
                "epoch_batches": self.epoch_batches, "average_mean": self.average_mean,
                "average_std": self.average_std, "average_batches": self.average_batches}

    # -- statistics --------------------------------------------------------------------
    def batch_average_statistics(self) -> tuple[np.ndarray, np.ndarray]:
        """(μ̄, σ̄), each (n,): what ``inference="batch_average"`` normalises with."""
        if self.average_batches.flat[0] > 0:  # runs of a stack count alike
            return self.average_mean, self.average_std
        if self.epoch_batches.flat[0] > 0:  # the first epoch is not over: its batches so far
            return self.epoch_mean_sum / self.epoch_batches, self.epoch_std_sum / self.epoch_batches
        return np.zeros_like(self.moving_mean), np.ones_like(self.moving_var)

    def inference_statistics(self, inference: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(μ, σ²), each (n,), used at prediction by ``inference`` (default: the layer's)."""
        if (inference or self.inference) == "batch_average":
            mean, std = self.batch_average_statistics()
            return mean, std * std
        return self.moving_mean, self.moving_var

    def end_epoch(self) -> None:
        """The epoch is complete: its averages become μ̄, σ̄; the sums start again.
        (Called by the trainer after the last batch of every epoch.)"""
        batches = self.epoch_batches
        self.average_mean = self.epoch_mean_sum / batches
        self.average_std = self.epoch_std_sum / batches
        self.average_batches = batches
        self._reset_epoch_sums()

    # -- computation -------------------------------------------------------------------
    def forward(self, x, training=False, rng=None, weight_mask=None, inference=None):
        """x: (…, n, m); statistics over the batch axis −1, per neuron (and run).
        ``inference`` overrides the layer's own choice at prediction."""
        if training:
            mean = _batch_mean(x)
            centred = x - mean[..., None]
            var = _batch_mean(centred * centred)
            self._update_statistics(mean, var)
        else:
            mean, var = self.inference_statistics(inference)
            centred = x - mean[..., None]
        inv_std = 1.0 / np.sqrt(var + self.epsilon)
        x_hat = centred * inv_std[..., None]
        h = self.gamma[..., None] * x_hat
        h += self.beta[..., None]
        # γ, β and the statistics are replaced, never changed in place, by the optimizer
        # and _update_statistics: the record can hold the arrays themselves.
        return BatchNormRecord(x=x, h=h, mean=mean, var=var, inv_std=inv_std,
                               x_hat=x_hat, gamma=self.gamma, beta=self.beta,
                               moving_mean=self.moving_mean, moving_var=self.moving_var, training=training,
                               inference=inference or self.inference)

    def infer(self, x):
        """Inference folded into one affine map per neuron: γ(x − μ)/√(σ² + ε) + β =
        s·x + t with s = γ/√(σ² + ε), t = β − s·μ (two passes over x instead of four;
        equal to the unfolded formula up to rounding), with the layer's own test-time
        statistics (moving or batch averages)."""
        mean, var = self.inference_statistics()
        scale = self.gamma / np.sqrt(var + self.epsilon)
        shift = self.beta - scale * mean
        h = x * scale[..., None]
        h += shift[..., None]
        return h

    def _update_statistics(self, mean, var):
        # New arrays, never in place: earlier records and checkpoints keep what they saw.
        keep = self.momentum
        self.moving_mean = keep * self.moving_mean + (1.0 - keep) * mean
        self.moving_var = keep * self.moving_var + (1.0 - keep) * var
        self.epoch_mean_sum = self.epoch_mean_sum + mean
        self.epoch_std_sum = self.epoch_std_sum + np.sqrt(var)
        self.epoch_batches = self.epoch_batches + 1.0

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
        return {"type": "BatchNorm", "momentum": self.momentum, "epsilon": self.epsilon,
                "inference": self.inference}
