"""Long histories drawn at a bounded cost: at most MAX_POINTS points per curve.

Without this a curve grows by ~27 points a second while playing, and every frame
redraws all of them: the soak benchmark measured training slow down from 2,800 to
900 updates/s over 7 minutes."""

from __future__ import annotations

import numpy as np

MAX_POINTS = 1500


def decimate(*arrays, max_points: int = MAX_POINTS):
    """Every k-th entry of each (same-length) array so that at most ``max_points``
    remain, the last entry always kept; short arrays are returned as they are."""
    n = len(arrays[0])
    if n <= max_points:
        return arrays
    step = -(-n // max_points)
    index = np.arange(n - 1, -1, -step)[::-1]  # counted back from the last entry
    return tuple(np.asarray(a)[index] for a in arrays)
