"""Histograms that never fail on what training throws at them (NaN, ±inf, a single
value, values near the float limit)."""

from __future__ import annotations

import numpy as np


def bin_edges(arrays, bins: int) -> np.ndarray:
    """Common edges for all the finite values of ``arrays``."""
    values = np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays])
    values = values[np.isfinite(values)]
    if not values.size:
        return np.linspace(0.0, 1.0, bins + 1)
    low, high = float(values.min()), float(values.max())
    if not high - low > 1e-12 * max(1.0, abs(low)) or not np.isfinite(high - low):
        centre = low if np.isfinite(high - low) else 0.0
        return np.linspace(centre - 0.5, centre + 0.5, bins + 1)
    return np.linspace(low, high, bins + 1)


def histogram(values, edges: np.ndarray) -> np.ndarray:
    """Counts of the finite values per bin; values outside the edges are not counted."""
    values = np.asarray(values, dtype=np.float64).ravel()
    return np.histogram(values[np.isfinite(values)], bins=edges)[0]
