"""What the plane views draw, computed from a model: the decision boundary over a
G×G grid of the input plane, and every neuron's output over a coarser grid.

The boundary is evaluated in chunks of the grid: a whole 100×100 grid makes every
layer's temporaries ~0.6 MB, which the allocator maps fresh (and the kernel faults in
page by page) at every frame — more time than the arithmetic. Chunks of ≤ 64 KB per
temporary are served from memory already in use. Inference goes through
``Layer.infer`` (BatchNorm folded into one affine map), recording nothing, except
that a sigmoid is drawn as 0.5·tanh(z/2) + 0.5: four times faster than the training's
exp(−log(1 + e^(−z))) and equal to it within 1e-16 — invisible in a picture, though
not the digits a learner checks, which is why training keeps the exact form.
"""

from __future__ import annotations

import numpy as np

from .features import feature_map
from .snapshot import BoundaryGrid

GRID_SIZE = 100  # the decision-boundary grid is GRID_SIZE × GRID_SIZE
THUMB_SIZE = 40  # each neuron's picture (graph nodes up to 64 px, and the hovered one drawn large) is THUMB_SIZE²
PLANE = (-6.0, 6.0)  # the data sets' domain (datasets.DOMAIN)
CHUNK_BYTES = 64 * 1024  # largest temporary of one chunk of the boundary grid


def _grid(features, size):
    """(axis (size,), feature columns (size², d)) of a size × size grid of the plane."""
    axis = np.linspace(PLANE[0], PLANE[1], size)
    gx, gy = np.meshgrid(axis, axis)
    return axis, feature_map(np.column_stack([gx.ravel(), gy.ravel()]), features)


def _picture_sigmoid(z):
    """σ(z) to within 1e-16 absolute, for drawing: 0.5·tanh(z/2) + 0.5, in place."""
    h = np.multiply(z, 0.5)
    np.tanh(h, out=h)
    h *= 0.5
    h += 0.5
    return h


def _picture_layer(layer, h):
    """``layer.infer(h)``, with a sigmoid drawn the fast way (see the module's text)."""
    activation = getattr(layer, "activation", None)
    if activation is None or activation.name != "sigmoid":
        return layer.infer(h)
    if layer.kind == "dense":
        z = layer.W @ h
        z += layer.b[..., None]
        h = z
    return _picture_sigmoid(h)


def picture_infer(model, x):
    """The model's outputs (n_o, m) on x (d, m), for a picture."""
    for layer in model.layers:
        x = _picture_layer(layer, x)
    return x


def chunk_points(model) -> int:
    """Grid points per chunk: the widest layer's temporaries stay within CHUNK_BYTES."""
    widest = max([model.input_dim] + [layer.n_out for layer in model.layers])
    return max(64, CHUNK_BYTES // (widest * model.dtype.itemsize))


class PlanePictures:
    """The grids for one choice of input features (built once per model build)."""

    def __init__(self, features):
        self._boundary_axis, boundary_inputs = _grid(features, GRID_SIZE)
        # (d, G²) columns, contiguous per chunk of points: the lecture's layout
        self._boundary_columns = np.ascontiguousarray(boundary_inputs.T)
        self._thumb_axis, self._thumb_inputs = _grid(features, THUMB_SIZE)
        g = THUMB_SIZE
        # (n_features, g, g): the features themselves, the input column of the graph
        self.input_maps = self._thumb_inputs.T.reshape(-1, g, g).copy()

    def boundary(self, model) -> BoundaryGrid:
        """p(class 1) (or the regression output) over the plane; with more than two
        classes, the most likely class and its p. In chunks: no large temporaries."""
        columns = self._boundary_columns.astype(model.dtype, copy=False)
        n_out = model.output_dim
        classes = n_out > 2
        values = np.empty(columns.shape[1], dtype=model.dtype)
        winners = np.empty(columns.shape[1], dtype=np.int64) if classes else None
        step = chunk_points(model)
        with np.errstate(all="ignore"):
            for start in range(0, columns.shape[1], step):
                out = picture_infer(model, columns[:, start:start + step])  # (n_o, chunk)
                if classes:
                    values[start:start + step] = out.max(axis=0)
                    winners[start:start + step] = out.argmax(axis=0)
                else:
                    values[start:start + step] = out[1] if out.shape[0] == 2 else out[0]
        axis, shape = self._boundary_axis, (GRID_SIZE, GRID_SIZE)
        return BoundaryGrid(values.reshape(shape), axis, axis, winners.reshape(shape) if classes else None)

    def neuron_maps(self, model) -> tuple:
        """Every layer's output over the coarse grid: (n_l, g, g) per layer."""
        g = THUMB_SIZE
        h = self._thumb_inputs.T.astype(model.dtype)
        maps = []
        with np.errstate(all="ignore"):
            for layer in model.layers:
                h = _picture_layer(layer, h)
                maps.append(h.reshape(h.shape[0], g, g))
        return tuple(maps)
