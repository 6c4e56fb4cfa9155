"""Turning user labels (rows) into the lecture's target matrix Y (n_o, m)."""

from __future__ import annotations

import numpy as np


def as_target_matrix(y, loss_name: str, n_out: int, dtype) -> tuple[np.ndarray, np.ndarray | None]:
    """y: (m,) class indices, (m, n_out) one-hot / values, or (m,) values.

    Returns Y (n_out, m) and the (m,) integer class labels (None for regression)."""
    y = np.asarray(y)
    if loss_name == "mse":
        values = y.reshape(-1, 1) if y.ndim == 1 else y
        if values.ndim != 2 or values.shape[1] != n_out:
            raise ValueError(f"Expected y of shape (m, {n_out}) for a {n_out}-output regression. "
                             f"Received: y.shape={y.shape}")
        return values.T.astype(dtype), None
    if y.ndim == 2:
        if y.shape[1] != n_out:
            raise ValueError(f"Expected one-hot y of shape (m, {n_out}). Received: y.shape={y.shape}")
        labels = y.argmax(axis=1)
    elif y.ndim == 1:
        labels = _class_indices(y, 2 if loss_name == "binary_cross_entropy" else n_out)
    else:
        raise ValueError(f"Expected y of shape (m,) or (m, {n_out}). Received: y.shape={y.shape}")
    if loss_name == "binary_cross_entropy":
        return labels[None, :].astype(dtype), labels
    return np.eye(n_out, dtype=dtype)[labels].T.copy(), labels


def _class_indices(y: np.ndarray, n_classes: int) -> np.ndarray:
    if not np.issubdtype(y.dtype, np.integer):
        if not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
            raise ValueError(f"Expected integer class labels. Received: y with dtype {y.dtype}")
        y = y.astype(np.int64)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"Expected class labels in 0..{n_classes - 1}. "
                         f"Received: labels from {y.min()} to {y.max()}")
    return y.astype(np.int64)
