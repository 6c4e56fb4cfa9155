"""What one update did: the forward and backward quantities of every layer.

Shapes, in the lecture's layout (one column per data point of the minibatch):

    m        points in the minibatch;  n_in / n  units entering / leaving a layer
    x        (n_in, m)  the layer's input, h^(l-1) (h^0 = x, the features)
    h        (n, m)     the layer's output
    dh       (n, m)     gradient of the loss w.r.t. the output (None at a softmax/
                        sigmoid output with cross-entropy: the lecture goes straight
                        to dz^o = p − y)
    dx       (n_in, m)  gradient w.r.t. the input; it is the previous layer's dh
                        (None for the first layer, where nobody needs it)

    Dense       W (n, n_in), b (n,): the weights this update's forward pass used (before
                the update); z (n, m); dz (n, m); dW (n, n_in) = dz·xᵀ / m, the data-loss
                gradient; db (n,) = mean of dz over the batch; dW_penalty
                (n, n_in) or None; grads {"W": dW + dW_penalty, "b": db}, the
                gradient of the objective the optimizer applied; weight_mask
                (n, n_in) or None: the DropConnect mask, already scaled by 1/q.
    Activation  z is the input x, h = σ(z), dz = dx.
    Dropout     mask: bool (n, m) in "neuron" mode (True = kept), bool
                (n_next, n_in_next) in "connection" mode (then h is x and the mask
                acts on the next Dense's W); rate, keep_prob q = 1 − rate, mode.
    BatchNorm   mean (n,), var (n,) of the batch (biased), x_hat (n, m),
                gamma (n,), beta (n,) as used, moving_mean (n,), moving_var (n,)
                after this update, grads {"gamma": (n,), "beta": (n,)}.

Gradient scale: columns of dz, dh, dx are per-point gradients — column j is
m·∂L/∂(column j) for the batch-mean loss L, which is exactly the gradient of L_j
alone when points do not interact (they only do in BatchNorm). So dz^o = p − y
column by column, and dW, db are averages over the batch, as in the lecture.

Records hold references to arrays the engine never writes to again; treat them as
read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


class LayerRecord:
    """One layer's quantities in one update (see the module docstring for shapes)."""

    def __init__(self, kind: str, index: int, **quantities):
        self.kind = kind  # "dense", "activation", "dropout" or "batchnorm"
        self.index = index  # position of the layer in model.layers
        self.dh = None
        self.dx = None
        self.grads = {}
        self.__dict__.update(quantities)

    def __repr__(self):
        shapes = {
            k: v.shape for k, v in self.__dict__.items() if isinstance(v, np.ndarray)
        }
        return f"LayerRecord({self.kind}, index={self.index}, {shapes})"


@dataclass
class StepRecord:
    """Everything about one update. ``layers[i]`` belongs to ``model.layers[i]``."""

    step: int  # updates done before this one (the first update has step 0)
    epoch: int  # epoch this update belongs to (0-based)
    batch_indices: np.ndarray | None  # (m,) rows of the training set, None for update()
    y: np.ndarray  # (n_o, m) targets, one-hot for classification
    loss: float  # data loss averaged over the batch
    penalty: float  # l1·Σ|w| + l2·Σw² over weights, before the update
    accuracy: float | None  # batch accuracy (None for regression)
    layers: list[LayerRecord]
    learning_rate: float  # α used by this update
    grad_norms: dict[str, float] = field(default_factory=dict)  # "dW^1" → ‖dW^1‖

    @property
    def objective(self) -> float:
        """Data loss + penalty: the quantity the update descends."""
        return self.loss + self.penalty

    @property
    def output(self) -> np.ndarray:
        """(n_o, m) network outputs p (or ŷ for regression) on the batch."""
        return self.layers[-1].h

    def backward_sequence(self, dense_names: list[str]):
        """(label, array) pairs in the lecture's backward order: dz^o, dW^o, db^o,
        dh^L, dz^L, dW^L, db^L, …; ``dense_names[i]`` is the superscript of the
        i-th Dense layer ("1", "2", …, "o")."""
        names = iter(reversed(dense_names))
        for rec in reversed(self.layers):
            if rec.kind != "dense":
                continue
            sup = next(names)
            if rec.dh is not None:
                yield f"dh^{sup}", rec.dh
            yield f"dz^{sup}", rec.dz
            yield f"dW^{sup}", rec.grads["W"]
            yield f"db^{sup}", rec.grads["b"]


@dataclass
class Phase:
    """One step inside an update (see Trainer.phases)."""

    kind: str  # "forward", "loss", "backward" or "update"
    layer: int  # index in model.layers (-1 for the update)
    label: str  # the lecture's formula for what was just computed
    layers: list  # the LayerRecords so far; quantities not computed yet are None
    record: StepRecord | None  # the update's record, from the loss phase on


def phase_names(model) -> dict:
    """The lecture's formula for each phase of an update of ``model``."""
    dense = model.dense_names()
    sup_of, k = {}, 0
    for i, layer in enumerate(model.layers):
        if layer.kind == "dense":
            sup_of[i] = dense[k]
            k += 1
    forward, backward, last = [], [], "x"
    for i, layer in enumerate(model.layers):
        if layer.kind == "dense":
            s = sup_of[i]
            prev = last
            forward.append(f"z^{s} = W^{s}·{prev} + b^{s};  h^{s} = σ(z^{s})")
            if s == "o":
                backward.append(f"dW^o = dz^o·{prev}ᵀ, db^o = dz^o;  d{prev} = (W^o)ᵀ dz^o")
            else:
                backward.append(f"dz^{s} = dh^{s} ⊗ σ′(z^{s});  dW^{s} = dz^{s}·{prev}ᵀ, db^{s} = dz^{s}"
                                + (f";  d{prev} = (W^{s})ᵀ dz^{s}" if prev != "x" else ""))
            last = f"h^{s}"
        elif layer.kind == "dropout":
            forward.append(f"dropout on {last}: mask, ×1/q")
            backward.append(f"dropout: d{last} through the same mask, ×1/q")
        elif layer.kind == "batchnorm":
            forward.append(f"batch norm of {last}: μ, σ², x̂ = (x − μ)/√(σ² + ε), γx̂ + β")
            backward.append("batch norm: dγ, dβ and dx through μ and σ²")
        else:
            forward.append(f"{layer.activation.name}({last})")
            backward.append(f"through σ′ of {layer.activation.name}")
    return {"forward": forward, "backward": backward,
            "loss": "p = softmax(z^o);  L = −yᵀ log p;  dz^o = p − y",
            "update": "W ← W − α·∂L/∂W for every layer"}
