"""Immutable pictures of a training run, handed to whoever draws them (views, exports).

A Snapshot never changes once made: it holds copies or arrays the engine never
writes again (records, parameters, the dataset, the filled part of the history; see
the invariant in ``records``). What changes only when the model is rebuilt — layer
kinds, lecture names, superscripts, input names, the image shape — is one
``Structure`` shared by every snapshot of that build, so no view re-derives it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import Config
from .datasets import Dataset
from .history import HistoryView
from .notation import sup, superscripts
from .records import StepRecord


@dataclass(frozen=True)
class Structure:
    """What a build of the model looks like, in the lecture's terms."""

    layer_kinds: tuple  # model.layers[i].kind: "dense", "dropout", "batchnorm", "activation"
    layer_labels: tuple  # lecture names of each layer's output: "h¹", "dropout(h¹)", "p"
    superscripts: tuple  # per layer: "1", "2", …, "o" for Dense layers, None for the others
    activations: tuple  # activation name per layer ("" for Dropout/BatchNorm)
    layer_configs: tuple  # layer.get_config() per layer (read them, never change them)
    units: tuple  # n_out per layer
    input_names: tuple  # names of the input units: features, CSV columns, or ("image",)
    input_dim: int  # d, the number of input units
    image_shape: tuple | None  # (rows, columns) when the inputs are an image's pixels
    is_plane: bool  # the inputs are points of the 2-D plane (boundary and feature maps apply)
    regression: bool
    n_classes: int  # 0 for regression
    loss: str  # "cross_entropy", "binary_cross_entropy" or "mse"
    optimizer: str  # "sgd" or "adam"
    runs: int  # initialisations trained side by side

    @property
    def phase_total(self) -> int:
        """Phases in one update: forward and backward per layer, the loss, the update."""
        return 2 * len(self.layer_kinds) + 2

    @property
    def dense_layers(self) -> tuple:
        return tuple(i for i, kind in enumerate(self.layer_kinds) if kind == "dense")

    def has(self, kind: str) -> bool:
        return kind in self.layer_kinds

    def symbol(self, name: str, layer: int) -> str:
        """``name`` with the superscript of Dense layer ``layer``: symbol("W", 0) → "W¹"."""
        return f"{name}{sup(self.superscripts[layer])}"

    def input_of(self, layer: int) -> str:
        """The lecture name of what layer ``layer`` receives: x, h¹, BN(h¹) …"""
        return "x" if layer == 0 else self.layer_labels[layer - 1]


def make_structure(model, dataset: Dataset, config: Config, input_names) -> Structure:
    kinds = tuple(layer.kind for layer in model.layers)
    from .summaries import layer_labels

    return Structure(
        layer_kinds=kinds, layer_labels=tuple(layer_labels(model)), superscripts=superscripts(kinds),
        activations=tuple(getattr(getattr(layer, "activation", None), "name", "") for layer in model.layers),
        layer_configs=tuple(layer.get_config() for layer in model.layers),
        units=tuple(layer.n_out for layer in model.layers), input_names=tuple(input_names),
        input_dim=model.input_dim, image_shape=dataset.image_shape, is_plane=dataset.is_plane,
        regression=not dataset.is_classification, n_classes=dataset.n_classes, loss=config.loss,
        optimizer=config.training.optimizer, runs=config.training.runs)


@dataclass(frozen=True)
class PhaseInfo:
    """The phase on screen while an update is stepped phase by phase."""

    kind: str  # "forward", "loss", "backward" or "update"
    layer: int  # index in model.layers (-1 for the update)
    label: str  # the lecture's formula of what was just computed
    number: int  # 1-based position in the update
    total: int  # phases in one update


@dataclass(frozen=True)
class TimelineInfo:
    """How far one can rewind, and where the run is shown."""

    first: int  # the earliest update one can go back to
    last: int  # the latest update trained
    viewing: int | None = None  # the update shown when rewound (None: the latest)


@dataclass(frozen=True)
class BoundaryGrid:
    values: np.ndarray  # (G, G) p(class 1), the regression output, or (more than two classes)
    #                     p of the most likely class; values[i, j] at (xs[j], ys[i])
    xs: np.ndarray  # (G,) x1 coordinates
    ys: np.ndarray  # (G,) x2 coordinates
    classes: np.ndarray | None = None  # (G, G) the most likely class, for more than two classes


@dataclass(frozen=True)
class Snapshot:
    structure: Structure  # shared by every snapshot of one build
    steps_done: int  # updates applied so far (of the state shown)
    epoch: int  # epoch of the next update
    config: Config  # the configuration of the run (immutable)
    dataset: Dataset  # raw points and labels (never mutated)
    params: tuple  # ((layer index, name, array), …): arrays the engine never writes to again
    record: StepRecord | None  # the latest update (None before the first); during phase
    #                            stepping the update in progress, not-yet-computed values None
    phase: PhaseInfo | None  # while stepping phases
    history: HistoryView
    timeline: TimelineInfo
    grid: BoundaryGrid | None  # None when the input is not the 2-D plane
    train_pred: np.ndarray  # (N_train,) predicted class or value
    test_pred: np.ndarray  # (N_test,)
    neuron_maps: tuple = ()  # per layer: (n_l, g, g) outputs over a coarse input grid
    input_maps: np.ndarray | None = None  # (n_features, g, g) the features over the same grid
    test_proba: np.ndarray | None = None  # (N_test, K) p for every test image (image data only)
    playing: bool = False  # set by the worker: views redraw less often while playing
    generation: int = 0  # set by the worker: bumped at every reset, older snapshots ignored

    @property
    def regression(self) -> bool:
        return self.structure.regression

    @property
    def last_metrics(self) -> dict:
        h = self.history
        if not h.length:
            return {}
        return {name: float(getattr(h, name)[-1]) for name in
                ("train_loss", "test_loss", "train_acc", "test_acc")}

    def param(self, layer_index: int, name: str) -> np.ndarray | None:
        for i, n, array in self.params:
            if i == layer_index and n == name:
                return array
        return None
