"""Playground's input feature maps: the network sees chosen functions of (x1, x2)."""

from __future__ import annotations

import numpy as np

FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(X[:, 0]),
    "sin(x2)": lambda X: np.sin(X[:, 1]),
}
FEATURE_NAMES = tuple(FEATURES)
#: how the lecture writes each feature (x₁, x₁², sin x₁)
DISPLAY_NAMES = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁·x₂",
                 "sin(x1)": "sin x₁", "sin(x2)": "sin x₂"}


def check_features(names) -> tuple[str, ...]:
    names = tuple(names)
    if not names:
        raise ValueError("Expected at least one input feature. Received: features=[]")
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"Unknown feature. Expected one of {', '.join(FEATURE_NAMES)}. "
                             f"Received: {name!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"Expected each feature once. Received: features={list(names)}")
    return names


def feature_map(X, names=("x1", "x2")) -> np.ndarray:
    """X: (m, 2) points → (m, len(names)) feature columns, in the order given."""
    names = check_features(names)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"Expected X of shape (m, 2). Received: X.shape={X.shape}")
    return np.column_stack([FEATURES[name](X) for name in names])
