"""What the plane views draw, computed from a model: the decision boundary over a
G×G grid of the input plane, and every neuron's output over a coarser grid."""

from __future__ import annotations

import numpy as np

from .features import feature_map
from .snapshot import BoundaryGrid

GRID_SIZE = 100  # the decision-boundary grid is GRID_SIZE × GRID_SIZE
THUMB_SIZE = 40  # each neuron's picture (graph nodes up to 64 px, and the hovered one drawn large) is THUMB_SIZE²
PLANE = (-6.0, 6.0)  # the data sets' domain (datasets.DOMAIN)


def _grid(features, size):
    """(axis (size,), feature columns (size², d)) of a size × size grid of the plane."""
    axis = np.linspace(PLANE[0], PLANE[1], size)
    gx, gy = np.meshgrid(axis, axis)
    return axis, feature_map(np.column_stack([gx.ravel(), gy.ravel()]), features)


class PlanePictures:
    """The grids for one choice of input features (built once per model build)."""

    def __init__(self, features):
        self._boundary_axis, self._boundary_inputs = _grid(features, GRID_SIZE)
        self._thumb_axis, self._thumb_inputs = _grid(features, THUMB_SIZE)
        g = THUMB_SIZE
        # (n_features, g, g): the features themselves, the input column of the graph
        self.input_maps = self._thumb_inputs.T.reshape(-1, g, g).copy()

    def boundary(self, model) -> BoundaryGrid:
        """p(class 1) (or the regression output) over the plane; with more than two
        classes, the most likely class and its p."""
        with np.errstate(all="ignore"):
            out = model.predict(self._boundary_inputs)
        axis, shape = self._boundary_axis, (GRID_SIZE, GRID_SIZE)
        if out.shape[1] > 2:
            return BoundaryGrid(out.max(axis=1).reshape(shape), axis, axis, out.argmax(axis=1).reshape(shape))
        values = out[:, 1] if out.shape[1] == 2 else out[:, 0]
        return BoundaryGrid(values.reshape(shape), axis, axis)

    def neuron_maps(self, model) -> tuple:
        """Every layer's output over the coarse grid: (n_l, g, g) per layer."""
        g = THUMB_SIZE
        with np.errstate(all="ignore"):
            records = model.forward(self._thumb_inputs.T.astype(model.dtype), training=False)
        return tuple(rec.h.reshape(rec.h.shape[0], g, g) for rec in records)
