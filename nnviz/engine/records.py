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
                (n, n_in) or None: the previous Dropout's mask on W (column or
                connection mode), already scaled by 1/q.
    Activation  z is the input x, h = σ(z), dz = dx.
    Embedding   ids (m,) token ids; W (dim, |V|) as used; h (dim, m) = W[:, ids], the
                batch's word vectors e; dW (dim, |V|) = dh·onehotᵀ/m; dx is None.
    Dropout     mask: bool (n, m) in "neuron" mode (True = kept); the lecture's α,
                bool (n, 1), in "column" mode; bool (n_next, n) in "connection"
                mode (in these two h is x and the mask acts on the next Dense's
                W: weight_mask (n_next, n), scaled by 1/q); rate, keep_prob
                q = 1 − rate, mode.
    BatchNorm   mean (n,), var (n,) of the batch (biased) — at inference the
                statistics used (moving, or μ̄ and σ̄² of the batch averages), x_hat (n, m),
                gamma (n,), beta (n,) as used, moving_mean (n,), moving_var (n,)
                after this update, grads {"gamma": (n,), "beta": (n,)}.

Gradient scale: columns of dz, dh, dx are per-point gradients — column j is
m·∂L/∂(column j) for the batch-mean loss L, which is exactly the gradient of L_j
alone when points do not interact (they only do in BatchNorm). So dz^o = p − y
column by column, and dW, db are averages over the batch, as in the lecture.

Several initialisations trained side by side (``training.runs``) are one stacked
network: every array that belongs to a run gains a leading run axis — W (runs, n,
n_in), h (runs, n, m), b (runs, n), loss (runs,) — while what the runs share keeps its
shape (the input x of the first layer, y, the dropout masks). ``StepRecord.run(r)``
is run r's record in the shapes above.

The one invariant everything relies on: **arrays are replaced, never changed in
place.** An update gives every parameter a new array (optimizers return new arrays,
and new slot arrays such as momentum velocities; BatchNorm's moving statistics are
new arrays each batch); a record's arrays are never written again once the phase that
computed them is over. So a record, a snapshot or a checkpoint may hold references
instead of copies, and a view may read them at leisure in another thread. Records themselves are filled phase by phase; a Phase
hands out shallow copies (see ``Trainer.phases``), so a published record never
changes either.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import ClassVar

import numpy as np


@dataclass(slots=True, eq=False)
class LayerRecord:
    """What one layer computed in one update (shapes in the module docstring).
    Quantities not computed yet (or not used by this layer) are None."""

    kind: ClassVar[str] = "layer"
    index: int = -1  # position of the layer in model.layers
    x: np.ndarray | None = None  # (n_in, m) the layer's input
    h: np.ndarray | None = None  # (n, m) the layer's output
    dh: np.ndarray | None = None  # (n, m) ∂L/∂h (None where the loss gives dz directly)
    dx: np.ndarray | None = None  # (n_in, m) ∂L/∂x, the previous layer's dh
    grads: dict = field(default_factory=dict)  # name → gradient the optimizer applied; replaced, never edited

    #: fields (and gradient names) that are (n,) vectors in one run; other arrays are 2-D
    vectors: ClassVar[frozenset] = frozenset()

    def copy(self) -> "LayerRecord":
        """A shallow copy: the arrays are shared (they are never written again)."""
        return copy.copy(self)

    def run(self, r: int) -> "LayerRecord":
        """Run r's record out of a stacked one: views [r] of the arrays with a run axis,
        the shared ones (the first layer's x, the dropout masks) as they are."""
        part = copy.copy(self)
        for name in _array_fields(type(self)):
            value = getattr(self, name)
            if value is not None and value.ndim > (1 if name in self.vectors else 2):
                setattr(part, name, value[r])
        part.grads = {k: g[r] if g.ndim > (1 if k in self.vectors else 2) else g
                      for k, g in self.grads.items()}
        return part

    def __repr__(self):
        shapes = {name: getattr(self, name).shape for name in _field_names(type(self))
                  if isinstance(getattr(self, name), np.ndarray)}
        return f"{type(self).__name__}(index={self.index}, {shapes})"


@dataclass(slots=True, eq=False, repr=False)
class DenseRecord(LayerRecord):
    kind: ClassVar[str] = "dense"
    vectors: ClassVar[frozenset] = frozenset({"b", "db"})
    W: np.ndarray | None = None  # (n, n_in) the weights before this update
    b: np.ndarray | None = None  # (n,)
    W_applied: np.ndarray | None = None  # (n, n_in) what multiplied x: W, or W ⊙ mask/q under a weight mask
    weight_mask: np.ndarray | None = None  # (n, n_in) the previous Dropout's mask on W scaled by 1/q, or None
    z: np.ndarray | None = None  # (n, m)
    dz: np.ndarray | None = None  # (n, m)
    dW: np.ndarray | None = None  # (n, n_in) data-loss gradient, dz·xᵀ/m
    db: np.ndarray | None = None  # (n,)
    dW_penalty: np.ndarray | None = None  # (n, n_in) L1/L2 gradient, or None


@dataclass(slots=True, eq=False, repr=False)
class ActivationRecord(LayerRecord):
    kind: ClassVar[str] = "activation"
    z: np.ndarray | None = None  # (n, m) the input again (h = σ(z))
    dz: np.ndarray | None = None  # (n, m) = dx


@dataclass(slots=True, eq=False, repr=False)
class DropoutRecord(LayerRecord):
    kind: ClassVar[str] = "dropout"
    rate: float = 0.0  # probability of dropping
    keep_prob: float = 1.0  # q = 1 − rate
    mode: str = "neuron"  # "neuron", "column" or "connection"
    mask: np.ndarray | None = None  # bool, True = kept: (n, m) neuron, α (n, 1) column, (n_next, n) connection
    scaled_mask: np.ndarray | None = None  # mask / q in the layer's dtype
    weight_mask: np.ndarray | None = None  # (n_next, n) what the next Dense multiplies W by (column, connection)


@dataclass(slots=True, eq=False, repr=False)
class BatchNormRecord(LayerRecord):
    kind: ClassVar[str] = "batchnorm"
    vectors: ClassVar[frozenset] = frozenset({"mean", "var", "inv_std", "gamma", "beta", "moving_mean",
                                              "moving_var"})
    training: bool = True  # batch statistics (True) or the inference ones (False)
    inference: str = "moving_average"  # which statistics prediction uses: or "batch_average"
    mean: np.ndarray | None = None  # (n,) μ used
    var: np.ndarray | None = None  # (n,) σ² used (biased)
    inv_std: np.ndarray | None = None  # (n,) 1/√(σ² + ε)
    x_hat: np.ndarray | None = None  # (n, m)
    gamma: np.ndarray | None = None  # (n,)
    beta: np.ndarray | None = None  # (n,)
    moving_mean: np.ndarray | None = None  # (n,) after this update
    moving_var: np.ndarray | None = None  # (n,)


@dataclass(slots=True, eq=False, repr=False)
class EmbeddingRecord(LayerRecord):
    kind: ClassVar[str] = "embedding"
    ids: np.ndarray | None = None  # (m,) token ids of the batch (x is them as numbers, (1, m))
    W: np.ndarray | None = None  # (dim, |V|) the matrix before this update; h = W[:, ids]
    dW: np.ndarray | None = None  # (dim, |V|) = dh·onehotᵀ/m; zero in the columns of absent words


RECORD_TYPES = {cls.kind: cls for cls in (DenseRecord, ActivationRecord, DropoutRecord, BatchNormRecord,
                                          EmbeddingRecord)}


def empty_record(kind: str, index: int) -> LayerRecord:
    """A layer the forward pass has not reached yet: every quantity None."""
    return RECORD_TYPES[kind](index=index)


def _field_names(cls) -> list[str]:
    return [f.name for f in fields(cls)]


_ARRAY_FIELDS: dict = {}


def _array_fields(cls) -> tuple:
    """The fields of a record class that hold arrays (or None), computed once."""
    if cls not in _ARRAY_FIELDS:
        _ARRAY_FIELDS[cls] = tuple(f.name for f in fields(cls) if "ndarray" in str(f.type))
    return _ARRAY_FIELDS[cls]


@dataclass(slots=True, eq=False)
class StepRecord:
    """Everything about one update. ``layers[i]`` belongs to ``model.layers[i]``.
    With several runs side by side, ``loss`` and ``penalty`` are (runs,) arrays and the
    layer records carry the run axis; ``run(r)`` gives run r's record."""

    step: int  # updates done before this one (the first update has step 0)
    epoch: int  # epoch this update belongs to (0-based)
    batch_indices: np.ndarray | None  # (m,) rows of the training set, None for update()
    y: np.ndarray  # (n_o, m) targets, one-hot for classification
    loss: float  # data loss averaged over the batch
    penalty: float  # l1·Σ|w| + l2·Σw² over weights, before the update
    layers: list[LayerRecord]
    learning_rate: float  # α used by this update
    # class labels: of the batch, or of the whole training set when batch_indices picks
    # the batch's (no gather per update for a number few read); None for regression
    labels: np.ndarray | None = None

    @property
    def accuracy(self) -> float | None:
        """Batch accuracy (None for regression); (runs,) with several runs. Computed
        when asked: no view reads it while training plays."""
        if self.labels is None or self.y is None:
            return None
        labels = self.labels if self.batch_indices is None else self.labels[self.batch_indices]
        out = self.output
        predicted = out[..., 0, :] > 0.5 if out.shape[-2] == 1 else out.argmax(axis=-2)
        hits = np.count_nonzero(predicted == labels, axis=-1)
        return int(hits) / labels.size if np.ndim(hits) == 0 else hits / labels.size

    def run(self, r: int) -> "StepRecord":
        """Run r's record out of a stacked one (itself when it holds one run)."""
        if np.ndim(self.loss) == 0:
            return self
        penalty = self.penalty if np.ndim(self.penalty) == 0 else float(self.penalty[r])
        return StepRecord(self.step, self.epoch, self.batch_indices, self.y, float(self.loss[r]),
                          penalty, [layer.run(r) for layer in self.layers],
                          self.learning_rate, self.labels)

    @property
    def objective(self) -> float:
        """Data loss + penalty: the quantity the update descends."""
        return self.loss + self.penalty

    @property
    def output(self) -> np.ndarray:
        """(n_o, m) network outputs p (or ŷ for regression) on the batch."""
        return self.layers[-1].h

    def backward_sequence(self, dense_names: list[str]):
        """(label, array) pairs in the lecture's backward order: dzᵒ, dWᵒ, dbᵒ,
        dhᴸ, dzᴸ, dWᴸ, dbᴸ, …; ``dense_names[i]`` is the superscript of the
        i-th Dense layer ("1", "2", …, "o")."""
        from .notation import sym

        names = iter(reversed(dense_names))
        for rec in reversed(self.layers):
            if rec.kind != "dense":
                continue
            s = next(names)
            if rec.dh is not None:
                yield sym("dh", s), rec.dh
            yield sym("dz", s), rec.dz
            yield sym("dW", s), rec.grads["W"]
            yield sym("db", s), rec.grads["b"]


@dataclass(frozen=True)
class Phase:
    """One step inside an update (see Trainer.phases): copies of the records as they
    were when this phase ended, so later phases never change what it shows."""

    kind: str  # "forward", "loss", "backward" or "update"
    layer: int  # index in model.layers (-1 for the update)
    label: str  # the lecture's formula for what was just computed
    layers: tuple  # the LayerRecords so far; quantities not computed yet are None
    record: StepRecord | None  # the update's record, from the loss phase on
