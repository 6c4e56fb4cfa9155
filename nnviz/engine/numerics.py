"""Small numerical helpers of the training step, where every NumPy call counts."""

from __future__ import annotations

import numpy as np

try:  # NumPy >= 2 keeps the error state in a context variable
    from numpy._core._ufunc_config import _extobj_contextvar as _ERRSTATE
except ImportError:  # pragma: no cover - older NumPy
    _ERRSTATE = None


class Quiet:
    """``np.errstate(all="ignore")`` for one update. np.errstate rebuilds the error
    state object at every entry (2.4 % of a small network's update); this sets a
    prebuilt one. Overflow is reported as a NonFiniteError naming the quantity, not as
    NumPy's RuntimeWarnings on the console."""

    __slots__ = ("_token", "_fallback")
    _IGNORE = None

    def __enter__(self):
        if _ERRSTATE is None or Quiet._IGNORE is None:
            self._fallback = np.errstate(all="ignore")
            self._fallback.__enter__()
            if _ERRSTATE is not None:
                Quiet._IGNORE = _ERRSTATE.get()
            self._token = None
        else:
            self._token = _ERRSTATE.set(Quiet._IGNORE)

    def __exit__(self, *exc):
        if self._token is None:
            self._fallback.__exit__(*exc)
        else:
            _ERRSTATE.reset(self._token)


def batch_mean(per_point):
    """(…, m) per-point losses → their mean: a float for one run, (runs,) for several
    (float64 either way, as the sum divided by m in Python was)."""
    total = np.add.reduce(per_point, axis=-1)
    if total.ndim == 0:
        return float(total) / per_point.shape[-1]
    return total.astype(np.float64) / per_point.shape[-1]
