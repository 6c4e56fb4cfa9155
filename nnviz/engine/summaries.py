"""Small numeric summaries of an update, for plots against time.

Pure NumPy (no Qt) so that they are testable on their own and usable from a
notebook. Keys name the layer by its index in ``model.layers``.
"""

from __future__ import annotations

import numpy as np

from .formulas import output_name
from .network import Sequential
from .notation import sym
from .records import StepRecord

#: min, the ±1σ-equivalent percentiles of a normal distribution, median, max
PERCENTILES = (0.0, 15.87, 50.0, 84.13, 100.0)


_FRACTIONS = np.asarray(PERCENTILES) / 100.0


def percentiles(values: np.ndarray) -> np.ndarray:
    """(5,) min, 15.87 %, median, 84.13 %, max of all the values (NumPy's default
    'linear' method, computed from one sort: np.percentile costs 4× more here)."""
    ordered = np.sort(np.asarray(values, dtype=np.float64).ravel())
    return np.interp(_FRACTIONS * (ordered.size - 1), np.arange(ordered.size), ordered)


def mean_column_norm(a: np.ndarray) -> float:
    """Average over the batch of the per-point norm ‖a[:, j]‖ of an (n, m) array."""
    return float(np.sqrt((a * a).sum(axis=0)).mean())


def summarize(model: Sequential, record: StepRecord) -> dict[str, np.ndarray | float]:
    """Per-layer norms, percentiles, dropout and BatchNorm statistics of one update.

    Keys: "norm_dW/i", "norm_dz/i" (Dense layers); "pct_W/i", "pct_h/i", "pct_dW/i"
    (5 percentiles, Dense layers); "kept/i" (Dropout: fraction kept, NaN when no
    mask was drawn); "bn_mean/i", "bn_var/i", "bn_moving_mean/i", "bn_moving_var/i",
    "bn_average_mean/i", "bn_average_std/i" (the batch averages μ̄, σ̄ prediction
    would use, after the update) ((n,) each, BatchNorm)."""
    out: dict[str, np.ndarray | float] = {}
    for i, (layer, rec) in enumerate(zip(model.layers, record.layers)):
        if rec.kind == "dense":
            grad = rec.grads["W"]
            out[f"norm_dW/{i}"] = float(np.sqrt(np.vdot(grad, grad)))
            out[f"norm_dz/{i}"] = mean_column_norm(rec.dz)
            out[f"pct_W/{i}"] = percentiles(layer.W)
            out[f"pct_h/{i}"] = percentiles(rec.h)
            out[f"pct_dW/{i}"] = percentiles(grad)
        elif rec.kind == "dropout":
            out[f"kept/{i}"] = float(rec.mask.mean()) if rec.mask is not None else np.nan
        elif rec.kind == "batchnorm":
            out[f"bn_mean/{i}"] = rec.mean
            out[f"bn_var/{i}"] = rec.var
            out[f"bn_moving_mean/{i}"] = rec.moving_mean
            out[f"bn_moving_var/{i}"] = rec.moving_var
            out[f"bn_average_mean/{i}"], out[f"bn_average_std/{i}"] = layer.batch_average_statistics()
    return out


def layer_labels(model: Sequential) -> list[str]:
    """Lecture names of each layer's output: "h¹", "dropout(h¹)", "BN(h¹)", "p" …"""
    names = iter(model.dense_names())
    labels, current = [], "x"
    for layer in model.layers:
        if layer.kind == "dense":
            s = next(names)
            current = output_name(model) if s == "o" else sym("h", s)
            labels.append(current)
        elif layer.kind == "dropout":
            labels.append(f"dropout({current})")
        elif layer.kind == "batchnorm":
            labels.append(f"BN({current})")
        elif layer.kind == "embedding":
            current = "e"
            labels.append(current)
        else:
            labels.append(f"{layer.activation.name}({current})")
    return labels
