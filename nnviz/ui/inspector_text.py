"""The inspector's text: the lecture's equations for one neuron and one data point of
the minibatch, filled with the numbers of a snapshot. No Qt here, so that the numbers
can be tested on their own."""

from __future__ import annotations

import numpy as np

from ..engine.activations import get_activation


def _superscripts(snap) -> dict:
    dense = [i for i, kind in enumerate(snap.layer_kinds) if kind == "dense"]
    return {i: ("o" if k == len(dense) - 1 else str(k + 1)) for k, i in enumerate(dense)}


def _input_name(snap, layer) -> str:
    """The lecture name of what layer ``layer`` receives: x, h^1, BN(h^1) …"""
    return "x" if layer == 0 else snap.layer_labels[layer - 1]


def inspect(snap, layer: int, unit: int, point: int, digits: int = 4) -> str:
    """Equations of neuron ``unit`` of ``model.layers[layer]`` for minibatch point ``point``."""
    f = f"{{:+.{digits}f}}"
    rec = snap.record.layers[layer] if snap.record is not None else None
    if rec is None:
        return "Take a step (→) or a phase (Shift+→): the inspector shows the numbers of an update."
    kind = rec.kind
    lines = [f"{snap.layer_labels[layer]}, neuron {unit + 1}, point {point + 1} of the minibatch"]
    if kind == "dense":
        lines += _dense(snap, layer, rec, unit, point, f)
    elif kind == "dropout":
        lines += _dropout(rec, unit, point, f)
    elif kind == "batchnorm":
        lines += _batchnorm(rec, unit, point, f)
    else:
        lines += _activation(snap, layer, rec, unit, point, f)
    return "\n".join(lines)


MAX_TERMS = 12  # a 784-pixel sum is shown by its first and last terms


def _shown_terms(n):
    return list(range(n)) if n <= MAX_TERMS else list(range(8)) + list(range(n - 2, n))


def _elide(parts, n):
    """The terms of a long sum: the first eight, "…", the last two."""
    if n <= MAX_TERMS:
        return parts
    return parts[:8] + [f"… ({n - 10} more terms) …"] + parts[8:]


def _missing(name):
    return [f"  {name}: not computed yet at this phase"]


def _dense(snap, layer, rec, k, j, f):
    s = _superscripts(snap)[layer]
    prev = _input_name(snap, layer)
    out = ["", "forward"]
    if rec.z is None:
        return out + _missing(f"z^{s}")
    W, b, x = rec.W, rec.b, rec.x[:, j]
    shown = _shown_terms(len(x))
    terms = _elide([f"({f.format(W[k, t])})·({f.format(x[t])})" for t in shown], len(x))
    products = _elide([f.format(W[k, t] * x[t]) for t in shown], len(x))
    out += [f"  z^{s}_{k + 1} = Σ_t W^{s}[{k + 1},t]·{prev}_t + b^{s}_{k + 1}",
            f"        = {' + '.join(terms)} + ({f.format(b[k])})",
            f"        = {' + '.join(products)} + ({f.format(b[k])})",
            f"        = {f.format(rec.z[k, j])}"]
    act = snap.activations[layer]
    if act == "softmax":
        z = rec.z[:, j]
        out += [f"  p_{k + 1} = exp(z_{k + 1}) / Σ_i exp(z_i) = {f.format(rec.h[k, j])}"
                f"   (z = ({', '.join(f.format(v) for v in z)}))"]
    else:
        out += [f"  h^{s}_{k + 1} = {act}(z) = {f.format(rec.h[k, j])}"]
    if s == "o" and snap.record.y is not None:
        out += _loss(snap, rec, k, j, f)
    out += ["", "backward"]
    if rec.dz is None:
        return out + _missing(f"dz^{s}")
    if s == "o" and rec.dh is None:
        y = snap.record.y[k, j]
        out += [f"  dz^o_{k + 1} = p_{k + 1} − y_{k + 1} = {f.format(rec.h[k, j])} − ({f.format(y)}) = "
                f"{f.format(rec.dz[k, j])}"]
    else:
        slope = get_activation(act).derivative(rec.z[k:k + 1, j:j + 1], rec.h[k:k + 1, j:j + 1])[0, 0]
        out += [f"  dh^{s}_{k + 1} = {f.format(rec.dh[k, j])}   (= Σ_i W^(next)[i,{k + 1}]·dz^(next)_i)",
                f"  dz^{s}_{k + 1} = dh ⊗ σ′(z) = ({f.format(rec.dh[k, j])})·({f.format(slope)}) = "
                f"{f.format(rec.dz[k, j])}"]
    if rec.dW is None:
        return out + _missing(f"dW^{s}")
    m = rec.dz.shape[1]
    out += [f"  this point's part of dW^{s}[{k + 1},·] = dz·{prev}ᵀ = "
            f"({', '.join(f.format(rec.dz[k, j] * v) for v in rec.x[:, j])})",
            f"  dW^{s}[{k + 1},·] = (1/m) Σ_points dz·{prev}ᵀ, m = {m}:  ({', '.join(f.format(v) for v in rec.dW[k])})",
            f"  db^{s}_{k + 1} = (1/m) Σ_points dz = {f.format(rec.db[k])}"]
    return out + _update(snap, layer, rec, k, s, f)


def _loss(snap, rec, k, j, f):
    y = snap.record.y[:, j]
    p = rec.h[:, j]
    if snap.activations[-1] == "softmax":
        value = -float(np.sum(y * np.log(np.clip(p, 1e-300, None))))
        return [f"  L = −yᵀ log p = {f.format(value)} for this point (y = ({', '.join(f.format(v) for v in y)})); "
                f"batch mean L = {f.format(snap.record.loss)}"]
    return [f"  batch mean L = {f.format(snap.record.loss)}"]


def _update(snap, layer, rec, k, s, f):
    grads = rec.grads.get("W")
    if grads is None:
        return []
    alpha = snap.record.learning_rate
    row_after = snap.param(layer, "W")[k] if snap.phase is None or snap.phase[0] == "update" else None
    out = ["", f"update (α = {alpha:g})"]
    for t in range(rec.W.shape[1]):
        sgd = rec.W[k, t] - alpha * grads[k, t]
        line = (f"  W^{s}[{k + 1},{t + 1}] − α·∂L/∂W = {f.format(rec.W[k, t])} − {alpha:g}·({f.format(grads[k, t])})"
                f" = {f.format(sgd)}")
        if row_after is not None and not np.isclose(row_after[t], sgd):
            line += f"   (the optimizer's step gives {f.format(row_after[t])})"
        out.append(line)
    if rec.dW_penalty is not None:
        out.append("  (∂L/∂W includes the L1/L2 term: " +
                   ", ".join(f.format(v) for v in rec.dW_penalty[k]) + ")")
    return out


def _dropout(rec, k, j, f):
    if rec.mask is None:
        return ["", "  no mask (inference, rate 0, or not computed yet): h = x"]
    if rec.mode != "neuron":
        return ["", f"  connection mode: the mask acts on the next W (row {k + 1}: "
                    f"{''.join('1' if v else '0' for v in rec.mask[k])})"]
    kept = bool(rec.mask[k, j])
    return ["", f"  mask = {int(kept)}  (rate {rec.rate:g}, keep q = {rec.keep_prob:g})",
            f"  h = x · mask / q = ({f.format(rec.x[k, j])})·{int(kept)}/{rec.keep_prob:g} = {f.format(rec.h[k, j])}"]


def _batchnorm(rec, k, j, f):
    if rec.x is None:
        return _missing("batch norm")
    std = float(1.0 / rec.inv_std[k])  # √(σ² + ε)
    return ["", f"  μ_{k + 1} = mean over the batch = {f.format(rec.mean[k])}",
            f"  σ²_{k + 1} = mean of (x − μ)² = {f.format(rec.var[k])}",
            f"  x̂ = (x − μ)/√(σ² + ε) = ({f.format(rec.x[k, j])} − ({f.format(rec.mean[k])}))/{f.format(std)}"
            f" = {f.format(rec.x_hat[k, j])}",
            f"  γx̂ + β = ({f.format(rec.gamma[k])})·({f.format(rec.x_hat[k, j])}) + ({f.format(rec.beta[k])})"
            f" = {f.format(rec.h[k, j])}",
            f"  moving μ = {f.format(rec.moving_mean[k])}, moving σ² = {f.format(rec.moving_var[k])} (after this batch)"]


def _activation(snap, layer, rec, k, j, f):
    if rec.h is None:
        return _missing("h")
    return ["", f"  h = {snap.activations[layer]}(z) = {snap.activations[layer]}({f.format(rec.z[k, j])})"
                f" = {f.format(rec.h[k, j])}"]
