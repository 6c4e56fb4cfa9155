"""Predictions with either set of BatchNorm test statistics, whatever the layers chose:
the learner compares Keras' moving averages with the lecture's batch averages on the
same weights.

    losses = inference_losses(trainer, X_test, y_test)
    # {"test_loss_moving_average": 0.41, "test_loss_batch_average": 0.39}
"""

from __future__ import annotations

import numpy as np

from .layers.batchnorm import INFERENCE


def forward_with(model, x: np.ndarray, inference: str) -> list:
    """model.forward(x, training=False) with every BatchNorm using ``inference``
    ("moving_average" or "batch_average"); x (input_dim, m) → the records."""
    records, h = [], x
    for i, layer in enumerate(model.layers):
        if layer.kind == "batchnorm":
            rec = layer.forward(h, training=False, inference=inference)
        else:
            rec = layer.forward(h, training=False)
        rec.index = i
        records.append(rec)
        h = rec.h
    return records


def inference_losses(trainer, X, y) -> dict:
    """{"test_loss_<inference>": mean data loss} for both inference statistics; {} when
    the model has no BatchNorm layer (X: (m, d) rows, y as Trainer.evaluate takes)."""
    if not any(layer.kind == "batchnorm" for layer in trainer.model.layers) or not len(X):
        return {}
    X, Y, _ = trainer._prepare(X, y)
    losses = {}
    for inference in INFERENCE:
        out = forward_with(trainer.model, X.T, inference)[-1]
        per_run = np.add.reduce(trainer.loss.per_point(out.z, out.h, Y), axis=-1) / Y.shape[1]
        losses[f"test_loss_{inference}"] = float(np.ravel(per_run)[0])  # the main run's (runs may be stacked)
    return losses
