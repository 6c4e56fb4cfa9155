"""Central finite differences against the engine's analytic gradients."""

import numpy as np

from nnviz.engine import Trainer

EPS = 1e-6


def relative_error(analytic, numeric):
    """‖a − n‖ / (‖a‖ + ‖n‖) over the whole array (the usual gradient-check measure:
    element-wise ratios on entries near zero only measure the differencing noise)."""
    # The floor treats gradients that are zero in exact arithmetic (a bias before
    # BatchNorm) as zero, instead of comparing two rounding noises.
    scale = max(np.linalg.norm(analytic) + np.linalg.norm(numeric), 1e-7)
    return float(np.linalg.norm(analytic - numeric) / scale)


def objective(trainer: Trainer, X, y, mask_seed=123):
    """Data loss + penalty in training mode, with the same dropout masks every time."""
    trainer.dropout_rng = np.random.default_rng(mask_seed)
    rec = trainer.gradients(X, y)
    return rec.loss + rec.penalty


def check_network_gradients(trainer: Trainer, X, y, tol=1e-6):
    """Compare every parameter's gradient with finite differences; return the worst error."""
    trainer.dropout_rng = np.random.default_rng(123)
    rec = trainer.gradients(X, y)
    worst = 0.0
    for index, name, param in trainer.model.parameters():
        analytic = rec.layers[index].grads[name]
        numeric = np.zeros_like(param)
        for pos in np.ndindex(param.shape):
            saved = param[pos]
            param[pos] = saved + EPS
            plus = objective(trainer, X, y)
            param[pos] = saved - EPS
            minus = objective(trainer, X, y)
            param[pos] = saved
            numeric[pos] = (plus - minus) / (2 * EPS)
        err = relative_error(analytic, numeric)
        assert err < tol, f"layer {index} {name}: relative error {err:.2e}\n{analytic}\n{numeric}"
        worst = max(worst, err)
    return worst
