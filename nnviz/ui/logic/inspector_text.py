"""The inspector's text: the lecture's equations for one neuron and one data point of
the minibatch, filled with the numbers of a snapshot. The formulas follow the model
(its activations, loss, optimizer and dropout mode) and every sum adds up to the value
shown. No Qt here, so that the numbers can be tested on their own."""

from __future__ import annotations

import numpy as np

from ...engine.activations import get_activation
from ...engine.notation import sup

MAX_TERMS = 12  # a 784-pixel sum is shown by its first and last terms


def inspect(snap, layer: int, unit: int, point: int, digits: int = 4) -> str:
    """Equations of neuron ``unit`` of ``model.layers[layer]`` for minibatch point ``point``."""
    f = f"{{:+.{digits}f}}"
    rec = snap.record.layers[layer] if snap.record is not None else None
    if rec is None:
        return "Take a step (→) or a phase (Shift+→): the inspector shows the numbers of an update."
    lines = [f"{snap.structure.layer_labels[layer]}, neuron {unit + 1}, point {point + 1} of the minibatch"]
    writer = {"dense": _dense, "dropout": _dropout, "batchnorm": _batchnorm,
              "embedding": _embedding}.get(rec.kind, _activation)
    lines += writer(snap, layer, rec, unit, point, f)
    return "\n".join(lines)


def _shown_terms(n):
    return list(range(n)) if n <= MAX_TERMS else list(range(8)) + list(range(n - 2, n))


def _elide(parts, n):
    """The terms of a long sum: the first eight, "…", the last two."""
    if n <= MAX_TERMS:
        return parts
    return parts[:8] + [f"… ({n - 10} more terms) …"] + parts[8:]


def _missing(name):
    return [f"  {name}: not computed yet at this phase"]


def _activation_of(snap, layer):
    """The layer's activation with its own settings (leaky ReLU's α)."""
    config = snap.structure.layer_configs[layer]
    return get_activation(config.get("activation", snap.structure.activations[layer]) or None)


#: how the weights that multiplied x are named, by the mode of the Dropout before them
MASKED_WEIGHTS = {"column": "(W{s}·diag(α)/q)[{k},t]", "connection": "(W{s} ⊙ mask/q)[{k},t]"}
MASK_NOTES = {"column": "  (dropout α: this minibatch's α cut the columns of the dropped units, shown as 0; "
                        "the kept columns are scaled by 1/q)",
              "connection": "  (DropConnect: this minibatch's mask cut the connections shown as 0, the kept "
                            "ones are scaled by 1/q)"}


def _mask_mode(snap, layer):
    """"column" or "connection" when the Dropout before this Dense layer masks its W."""
    if layer == 0 or snap.structure.layer_kinds[layer - 1] != "dropout":
        return None
    mode = snap.structure.layer_configs[layer - 1]["mode"]
    return mode if mode in MASKED_WEIGHTS else None


def _dense(snap, layer, rec, k, j, f):
    st = snap.structure
    s = sup(st.superscripts[layer])
    prev = st.input_of(layer)
    out = ["", "forward"]
    if rec.z is None:
        return out + _missing(f"z{s}")
    W, x = rec.W_applied, rec.x[:, j]  # under a dropout mask on W, W·diag(α)/q or W ⊙ mask/q
    shown = _shown_terms(len(x))
    terms = _elide([f"({f.format(W[k, t])})·({f.format(x[t])})" for t in shown], len(x))
    products = _elide([f.format(W[k, t] * x[t]) for t in shown], len(x))
    mode = _mask_mode(snap, layer) if rec.weight_mask is not None else None
    weights = MASKED_WEIGHTS[mode].format(s=s, k=k + 1) if mode else f"W{s}[{k + 1},t]"
    out += [f"  z{s}_{k + 1} = Σ_t {weights}·{prev}_t + b{s}_{k + 1}",
            f"        = {' + '.join(terms)} + ({f.format(rec.b[k])})",
            f"        = {' + '.join(products)} + ({f.format(rec.b[k])})",
            f"        = {f.format(rec.z[k, j])}"]
    if mode:
        out.append(MASK_NOTES[mode])
    out += _activation_line(snap, layer, rec, k, j, s, f)
    if st.superscripts[layer] == "o" and snap.record.y is not None:
        out += _loss(snap, rec, k, j, f)
    out += ["", "backward"]
    if rec.dz is None:
        return out + _missing(f"dz{s}")
    out += _output_delta(snap, rec, k, j, f) if st.superscripts[layer] == "o" else _hidden_delta(
        snap, layer, rec, k, j, s, f)
    if rec.dW is None:
        return out + _missing(f"dW{s}")
    m = rec.dz.shape[1]
    out += [f"  this point's part of dW{s}[{k + 1},·] = dz·{prev}ᵀ = "
            f"({', '.join(f.format(rec.dz[k, j] * v) for v in rec.x[:, j])})",
            f"  dW{s}[{k + 1},·] = (1/m) Σ_points dz·{prev}ᵀ, m = {m}:  ({', '.join(f.format(v) for v in rec.dW[k])})",
            f"  db{s}_{k + 1} = (1/m) Σ_points dz = {f.format(rec.db[k])}"]
    return out + _update(snap, layer, rec, k, s, f)


def _activation_line(snap, layer, rec, k, j, s, f):
    act = snap.structure.activations[layer]
    if act == "softmax":
        z = rec.z[:, j]
        return [f"  p_{k + 1} = exp(z_{k + 1}) / Σ_i exp(z_i) = {f.format(rec.h[k, j])}"
                f"   (z = ({', '.join(f.format(v) for v in z)}))"]
    name = ("p" if act == "sigmoid" else "ŷ") if snap.structure.superscripts[layer] == "o" else f"h{s}"
    text = _activation_of(snap, layer).text(f"z{s}_{k + 1}")
    return [f"  {name}_{k + 1} = {text} = {f.format(rec.h[k, j])}"]


def _loss(snap, rec, k, j, f):
    y, p = snap.record.y[:, j], rec.h[:, j]
    loss = snap.structure.loss
    if loss == "cross_entropy":
        value = -float(np.sum(y * np.log(np.clip(p, 1e-300, None))))
        formula = f"L = −yᵀ log p = {f.format(value)} for this point (y = ({', '.join(f.format(v) for v in y)}))"
    elif loss == "binary_cross_entropy":
        q = float(np.clip(p[0], 1e-300, 1 - 1e-16))
        value = -(y[0] * np.log(q) + (1 - y[0]) * np.log(1 - q))
        formula = f"L = −[y log p + (1 − y) log(1 − p)] = {f.format(value)} for this point (y = {y[0]:g})"
    else:
        value = float(np.mean((p - y) ** 2))
        formula = f"L = mean over the {len(y)} outputs of (ŷ − y)² = {f.format(value)} for this point"
    return [f"  {formula}; batch mean L = {f.format(snap.record.loss)}"]


def _output_delta(snap, rec, k, j, f):
    y = snap.record.y[k, j]
    if snap.structure.loss != "mse":
        return [f"  dzᵒ_{k + 1} = p_{k + 1} − y_{k + 1} = {f.format(rec.h[k, j])} − ({f.format(y)}) = "
                f"{f.format(rec.dz[k, j])}"]
    n_o = rec.h.shape[0]
    line = (f"  dŷ_{k + 1} = 2(ŷ_{k + 1} − y_{k + 1})/n_o = 2·({f.format(rec.h[k, j])} − ({f.format(y)}))/{n_o}"
            f" = {f.format(rec.dh[k, j])}")
    act = get_activation(snap.structure.activations[-1])
    if act.name == "linear":
        return [line, f"  dzᵒ_{k + 1} = dŷ_{k + 1} = {f.format(rec.dz[k, j])}   (linear output)"]
    slope = act.derivative(rec.z[k:k + 1, j:j + 1], rec.h[k:k + 1, j:j + 1])[0, 0]
    return [line, f"  dzᵒ_{k + 1} = dŷ ⊗ {act.derivative_text('z')} = ({f.format(rec.dh[k, j])})·({f.format(slope)})"
                  f" = {f.format(rec.dz[k, j])}"]


def _hidden_delta(snap, layer, rec, k, j, s, f):
    act = _activation_of(snap, layer)
    lines = [f"  dh{s}_{k + 1} = {f.format(rec.dh[k, j])}   (= Σ_i W^next[i,{k + 1}]·dz^next_i)"]
    if act.name == "linear":
        return lines + [f"  dz{s}_{k + 1} = dh{s}_{k + 1} = {f.format(rec.dz[k, j])}   (linear)"]
    slope = act.derivative(rec.z[k:k + 1, j:j + 1], rec.h[k:k + 1, j:j + 1])[0, 0]
    return lines + [f"  dz{s}_{k + 1} = dh ⊗ {act.derivative_text('z')} = ({f.format(rec.dh[k, j])})·"
                    f"({f.format(slope)}) = {f.format(rec.dz[k, j])}"]


def _update(snap, layer, rec, k, s, f):
    grads = rec.grads.get("W")
    if grads is None:
        return []
    alpha = snap.record.learning_rate
    applied = snap.phase is None or snap.phase.kind == "update"
    row_after = snap.param(layer, "W")[k] if applied else None
    training = snap.config.training if snap.config is not None else None
    plain_sgd = training is None or (training.optimizer == "sgd" and training.momentum == 0)
    out = ["", f"update (α = {alpha:g}{'' if plain_sgd else ', ' + _optimizer_name(training)})"]
    for t in range(rec.W.shape[1]):
        if plain_sgd:
            sgd = rec.W[k, t] - alpha * grads[k, t]
            out.append(f"  W{s}[{k + 1},{t + 1}] − α·∂L/∂W = {f.format(rec.W[k, t])} − {alpha:g}·"
                       f"({f.format(grads[k, t])}) = {f.format(sgd)}")
        elif row_after is not None:
            out.append(f"  W{s}[{k + 1},{t + 1}]: {f.format(rec.W[k, t])} → {f.format(row_after[t])}  "
                       f"(∂L/∂W = {f.format(grads[k, t])}, step {f.format(row_after[t] - rec.W[k, t])})")
        else:
            out.append(f"  W{s}[{k + 1},{t + 1}] = {f.format(rec.W[k, t])}, ∂L/∂W = {f.format(grads[k, t])}")
    if rec.dW_penalty is not None:
        out.append("  (∂L/∂W includes the L1/L2 term: " +
                   ", ".join(f.format(v) for v in rec.dW_penalty[k]) + ")")
    return out


def _optimizer_name(training) -> str:
    if training.optimizer == "adam":
        return "Adam: W ← W − α·√(1 − β₂ᵗ)/(1 − β₁ᵗ)·m/(√v + ε)"
    return f"momentum μ = {training.momentum:g}: v ← μv − α·∂L/∂W, W ← W + v"


def _dropout(snap, layer, rec, k, j, f):
    if rec.mask is None:
        return ["", "  no mask (inference, rate 0, or not computed yet): h = x"]
    if rec.mode == "column":
        alpha = "".join("1" if v else "0" for v in rec.mask[:, 0])
        return ["", f"  α = ({alpha})ᵀ for the whole minibatch: exactly {int(rec.mask.sum())} of {rec.mask.shape[0]} "
                    f"ones (round(q·n), q = {rec.keep_prob:g})",
                f"  unit {k + 1}: α_{k + 1} = {int(rec.mask[k, 0])}, so column {k + 1} of the next W is "
                f"{'kept, ×1/q = ×' + format(1 / rec.keep_prob, 'g') if rec.mask[k, 0] else 'zero'}; h = x passes unchanged"]
    if rec.mode != "neuron":
        return ["", f"  DropConnect: the mask acts on the next layer's W (row {k + 1}: "
                    f"{''.join('1' if v else '0' for v in rec.mask[k])}, kept entries ×1/q = "
                    f"×{1 / rec.keep_prob:g}); h = x passes unchanged"]
    kept = bool(rec.mask[k, j])
    return ["", f"  mask = {int(kept)}  (rate {rec.rate:g}, keep q = {rec.keep_prob:g})",
            f"  h = x · mask / q = ({f.format(rec.x[k, j])})·{int(kept)}/{rec.keep_prob:g} = {f.format(rec.h[k, j])}"]


def _batchnorm(snap, layer, rec, k, j, f):
    if rec.x is None:
        return _missing("batch norm")
    std = float(1.0 / rec.inv_std[k])  # √(σ² + ε)
    return ["", f"  μ_{k + 1} = mean over the batch = {f.format(rec.mean[k])}",
            f"  σ²_{k + 1} = mean of (x − μ)² = {f.format(rec.var[k])}",
            f"  x̂ = (x − μ)/√(σ² + ε) = ({f.format(rec.x[k, j])} − ({f.format(rec.mean[k])}))/{f.format(std)}"
            f" = {f.format(rec.x_hat[k, j])}",
            f"  γx̂ + β = ({f.format(rec.gamma[k])})·({f.format(rec.x_hat[k, j])}) + ({f.format(rec.beta[k])})"
            f" = {f.format(rec.h[k, j])}",
            f"  moving μ = {f.format(rec.moving_mean[k])}, moving σ² = {f.format(rec.moving_var[k])} (after this batch)"
            ] + _test_statistics(snap, layer, k, f)


def _test_statistics(snap, layer, k, f):
    """What prediction uses: Keras' moving averages or the lecture's batch averages."""
    if snap.structure.layer_configs[layer].get("inference") != "batch_average":
        return ["  at test time: x̂ = (x − moving μ)/√(moving σ² + ε)  (Keras: exponential moving averages)"]
    mean, std = snap.history.get(f"bn_average_mean/{layer}"), snap.history.get(f"bn_average_std/{layer}")
    if mean.ndim != 2 or not len(mean):
        return ["  at test time: μ̄, σ̄ = the averages of the batches' μ and σ over the last epoch"]
    return [f"  at test time: μ̄ = {f.format(mean[-1, k])}, σ̄ = {f.format(std[-1, k])}  (the averages of the batches' "
            "μ and σ over the last completed epoch, as the lecture); x̂ = (x − μ̄)/√(σ̄² + ε)"]


def _embedding(snap, layer, rec, k, j, f):
    if rec.h is None:
        return _missing("e")
    word_id = int(rec.ids[j])
    words = snap.structure.input_names
    word = words[word_id] if word_id < len(words) else str(word_id)
    column = ", ".join(f.format(v) for v in rec.W[:, word_id])
    out = ["", "forward", f"  word “{word}”: token {word_id + 1} of |V| = {rec.W.shape[1]}",
           f"  e = Wᵉ·onehot(x) = column {word_id + 1} of Wᵉ = ({column})",
           f"  e_{k + 1} = Wᵉ[{k + 1},{word_id + 1}] = {f.format(rec.h[k, j])}   (the other |V| − 1 products are ·0)"]
    if rec.dW is None:
        return out + ["", "backward"] + _missing("dWᵉ")
    return out + ["", "backward", f"  de_{k + 1} = {f.format(rec.dh[k, j])} for this point",
                  f"  dWᵉ[{k + 1},·] = (1/m) Σ_points de·onehot(x)ᵀ: nonzero only for the batch's words; "
                  f"dWᵉ[{k + 1},{word_id + 1}] = {f.format(rec.dW[k, word_id])}"]


def _activation(snap, layer, rec, k, j, f):
    if rec.h is None:
        return _missing("h")
    act = _activation_of(snap, layer)
    return ["", f"  h = {act.text('z')} = {act.text(f.format(rec.z[k, j]))} = {f.format(rec.h[k, j])}"]
