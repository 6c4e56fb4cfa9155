"""The lecture's formula for each phase of an update, written from the model itself:
its activations, its loss, its optimizer and its dropout modes (so mean squared error
never reads "p = softmax", Adam never reads plain SGD)."""

from __future__ import annotations

from .notation import sup, superscripts


def output_name(model) -> str:
    """p for a probability output (softmax, sigmoid), ŷ for a regression output."""
    return "p" if model.layers[-1].activation.name in ("softmax", "sigmoid") else "ŷ"


def layer_inputs(model) -> list[str]:
    """The lecture name of what each layer receives: x, h¹, h¹ (after dropout), …"""
    names, current = [], "x"
    for layer, s in zip(model.layers, superscripts([layer.kind for layer in model.layers])):
        names.append(current)
        if layer.kind == "dense":
            current = output_name(model) if s == "o" else f"h{sup(s)}"
    return names


def phase_labels(model, loss, optimizer, penalized: bool = False) -> dict:
    """{"forward": [one label per layer], "backward": [per layer], "loss": …, "update": …}."""
    kinds = [layer.kind for layer in model.layers]
    sups = superscripts(kinds)
    inputs = layer_inputs(model)
    next_W = _next_weights(sups)
    forward, backward = [], []
    for i, layer in enumerate(model.layers):
        h = inputs[i]
        if layer.kind == "dense":
            forward.append(_dense_forward(model, layer, sups[i], h))
            backward.append(_dense_backward(layer, sups[i], h, _masked(model, i)))
        elif layer.kind == "dropout":
            forward.append(layer.forward_text(h, next_W[i]))
            backward.append(layer.backward_text(h, next_W[i]))
        elif layer.kind == "batchnorm":
            forward.append(layer.forward_text(h))
            backward.append(layer.backward_text(h))
        else:
            forward.append(f"{h} ← {layer.activation.text(h)}")
            backward.append(f"d{h} ← d{h} ⊗ {layer.activation.derivative_text(h)}")
    update = optimizer.formula()
    if penalized:
        update += ";  ∂L/∂W includes the penalty λ·f(W) (weights only)"
    return {"forward": forward, "backward": backward,
            "loss": loss.formula(model.layers[-1].activation), "update": update}


def _dense_forward(model, layer, s, h) -> str:
    z = f"z{sup(s)}"
    out = output_name(model) if s == "o" else f"h{sup(s)}"
    return f"{z} = W{sup(s)}·{h} + b{sup(s)};  {out} = {layer.activation.text(z)}"


def _dense_backward(layer, s, h, masked: bool) -> str:
    W = f"W{sup(s)}" + (" ⊙ mask/q" if masked else "")
    grads = f"dW{sup(s)} = dz{sup(s)}·{h}ᵀ/m, db{sup(s)} = mean of dz{sup(s)}"
    if masked:
        grads += " (masked)"
    passes = f";  d{h} = ({W})ᵀ dz{sup(s)}" if h != "x" else ""
    if s == "o":  # dzᵒ came from the loss phase
        return grads + passes
    dz = f"dz{sup(s)} = dh{sup(s)} ⊗ {layer.activation.derivative_text(f'z{sup(s)}')}"
    if layer.activation.name == "linear":
        dz = f"dz{sup(s)} = dh{sup(s)}"
    return f"{dz};  {grads}{passes}"


def _masked(model, i) -> bool:
    """True when a DropConnect layer right before Dense layer i masks its weights."""
    before = model.layers[i - 1] if i > 0 else None
    return before is not None and before.kind == "dropout" and before.mode == "connection"


def _next_weights(sups) -> list[str]:
    """Per layer, the name of the next Dense layer's weights (for DropConnect labels)."""
    names, upcoming = [""] * len(sups), ""
    for i in range(len(sups) - 1, -1, -1):
        names[i] = upcoming
        if sups[i] is not None:
            upcoming = f"W{sup(sups[i])}"
    return names
