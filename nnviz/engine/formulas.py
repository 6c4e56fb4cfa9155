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
        elif layer.kind == "embedding":
            current = "e"
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
            backward.append(_dense_backward(layer, sups[i], h, _weight_mask_mode(model, i)))
        elif layer.kind == "dropout":
            forward.append(layer.forward_text(h, next_W[i]))
            backward.append(layer.backward_text(h, next_W[i]))
        elif layer.kind in ("batchnorm", "embedding"):
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


MASKED_W = {"column": "{W}·diag(α)/q", "connection": "{W} ⊙ mask/q"}
MASKED_GRADIENT = {"column": " (zero in the dropped columns)", "connection": " (masked)"}


def _dense_backward(layer, s, h, mode: str | None) -> str:
    W = MASKED_W[mode].format(W=f"W{sup(s)}") if mode else f"W{sup(s)}"
    grads = f"dW{sup(s)} = dz{sup(s)}·{h}ᵀ/m, db{sup(s)} = mean of dz{sup(s)}"
    if mode:
        grads += MASKED_GRADIENT[mode]
    passes = f";  d{h} = ({W})ᵀ dz{sup(s)}" if h != "x" else ""
    if s == "o":  # dzᵒ came from the loss phase
        return grads + passes
    dz = f"dz{sup(s)} = dh{sup(s)} ⊗ {layer.activation.derivative_text(f'z{sup(s)}')}"
    if layer.activation.name == "linear":
        dz = f"dz{sup(s)} = dh{sup(s)}"
    return f"{dz};  {grads}{passes}"


def _weight_mask_mode(model, i) -> str | None:
    """"column" or "connection" when the Dropout right before Dense layer i masks its
    weights, else None."""
    before = model.layers[i - 1] if i > 0 else None
    if before is not None and before.kind == "dropout" and before.masks_weights:
        return before.mode
    return None


def _next_weights(sups) -> list[str]:
    """Per layer, the name of the next Dense layer's weights (for the dropout labels)."""
    names, upcoming = [""] * len(sups), ""
    for i in range(len(sups) - 1, -1, -1):
        names[i] = upcoming
        if sups[i] is not None:
            upcoming = f"W{sup(sups[i])}"
    return names
