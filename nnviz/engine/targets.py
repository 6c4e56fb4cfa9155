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
    if y.ndim == 2 and loss_name == "binary_cross_entropy" and y.shape[1] == 1:
        labels = _class_indices(y[:, 0], 2)  # one column of 0/1 labels
    elif y.ndim == 2:
        labels = _one_hot_labels(y, n_out)
    elif y.ndim == 1:
        labels = _class_indices(y, 2 if loss_name == "binary_cross_entropy" else n_out)
    else:
        raise ValueError(f"Expected y of shape (m,) or (m, {n_out}). Received: y.shape={y.shape}")
    if loss_name == "binary_cross_entropy":
        return labels[None, :].astype(dtype), labels
    return np.eye(n_out, dtype=dtype)[labels].T.copy(), labels


def _one_hot_labels(y: np.ndarray, n_out: int) -> np.ndarray:
    """The class of each one-hot row; soft targets are refused, not silently rounded."""
    if y.shape[1] != n_out:
        raise ValueError(f"Expected one-hot y of shape (m, {n_out}). Received: y.shape={y.shape}")
    is_one_hot = np.all((y == 0) | (y == 1)) and np.all(y.sum(axis=1) == 1)
    if not is_one_hot:
        raise ValueError("Expected one-hot rows in a 2-D y (a single 1 per row, zeros elsewhere). "
                         "Received: rows that are not one-hot (soft targets are not supported)")
    return y.argmax(axis=1).astype(np.int64)


def _class_indices(y: np.ndarray, n_classes: int) -> np.ndarray:
    if not np.issubdtype(y.dtype, np.integer):
        if not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
            raise ValueError(f"Expected integer class labels. Received: y with dtype {y.dtype}")
        y = y.astype(np.int64)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"Expected class labels in 0..{n_classes - 1}. "
                         f"Received: labels from {y.min()} to {y.max()}")
    return y.astype(np.int64)
