"""Sequential: a stack of layers taking rows in and giving rows out.

``Sequential.stack(models)`` makes one network of several initialisations of the same
architecture, their arrays stacked on a leading run axis (W (runs, n, n_in), …), which
trains all of them with one batched matmul per layer; ``stacked.run_view(r)`` is run
r as a Sequential of its own (views of its slices of the stacked arrays).
"""

from __future__ import annotations

import copy

import numpy as np

from .layers import Dense, Dropout, Layer, layer_from_config
from .layers.base import check_positive_int
from .records import LayerRecord

DTYPES = {"float64": np.float64, "float32": np.float32}


class Sequential:
    """``Sequential(input_dim=2, layers=[Dense(8, "tanh"), Dense(2, "softmax")], seed=0)``.

    The weights are drawn from ``np.random.default_rng(seed)`` at construction.
    ``dtype`` is "float64" (default: digits match hand calculations) or "float32".
    """

    def __init__(self, input_dim, layers, seed=0, dtype="float64"):
        self.input_dim = check_positive_int(input_dim, "input_dim")
        if dtype not in DTYPES:
            raise ValueError(f"Expected dtype to be one of {tuple(DTYPES)}. Received: dtype={dtype!r}")
        self.dtype = np.dtype(DTYPES[dtype])
        self.seed = seed
        self.runs: int | None = None  # R when R initialisations are stacked (see stack)
        self.layers: list[Layer] = list(layers)
        self._validate_stack()
        rng = np.random.default_rng(seed)
        n = self.input_dim
        for layer in self.layers:
            n = layer.build(n, rng, self.dtype)
        self._link_connection_dropout()

    def _validate_stack(self):
        if not self.layers:
            raise ValueError("Expected at least one layer. Received: layers=[]")
        for i, layer in enumerate(self.layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Expected layers[{i}] to be a Layer. Received: {layer!r}")
        if not isinstance(self.layers[-1], Dense):
            raise ValueError(
                f"Expected the last layer to be Dense (the output layer). Received: {self.layers[-1]!r}"
            )
        for i, layer in enumerate(self.layers[:-1]):
            if isinstance(layer, Dropout) and layer.masks_weights \
                    and not isinstance(self.layers[i + 1], Dense):
                raise ValueError(
                    f"Dropout(mode={layer.mode!r}) at layers[{i}] masks the weights of the "
                    f"next layer, which must be Dense. Received: {self.layers[i + 1]!r}"
                )
        for i, layer in enumerate(self.layers[1:], start=1):
            if layer.kind == "embedding":
                raise ValueError(f"Expected an Embedding only as the first layer (it reads token ids). "
                                 f"Received: an Embedding at layers[{i}]")

    def _link_connection_dropout(self):
        for layer, nxt in zip(self.layers, self.layers[1:]):
            if isinstance(layer, Dropout):
                layer.connection_shape = nxt.W.shape[-2:] if isinstance(nxt, Dense) else None

    # -- several initialisations side by side ----------------------------------------
    @classmethod
    def stack(cls, models: list["Sequential"]) -> "Sequential":
        """One network holding every model's arrays on a leading run axis (the models
        share their architecture and differ in their weights; the stack owns copies)."""
        first = models[0]
        configs = [m.get_config()["layers"] for m in models]
        if any(c != configs[0] for c in configs) or len({m.input_dim for m in models}) > 1 \
                or any(m.runs is not None for m in models):
            raise ValueError("Expected single models of one architecture to stack. Received: "
                             f"{[repr(m) for m in models]}")
        stacked = copy.copy(first)
        stacked.layers = [copy.copy(layer) for layer in first.layers]
        for i, layer in enumerate(stacked.layers):
            for name in layer.state_arrays:
                setattr(layer, name, np.stack([getattr(m.layers[i], name) for m in models]))
        stacked.runs = len(models)
        return stacked

    def run_view(self, r: int) -> "Sequential":
        """Run r of a stacked network as a Sequential of its own."""
        if self.runs is None or not 0 <= r < self.runs:
            raise ValueError(f"Expected a run of a stacked network. Received: r={r}, runs={self.runs}")
        return RunView(self, r)

    # -- structure -----------------------------------------------------------------
    @property
    def output_dim(self) -> int:
        return self.layers[-1].n_out

    @property
    def dense_layers(self) -> list[Dense]:
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    def dense_names(self) -> list[str]:
        """Lecture superscripts of the Dense layers: "1", …, "L", "o"."""
        count = len(self.dense_layers)
        return [str(i + 1) for i in range(count - 1)] + ["o"]

    def parameters(self) -> list[tuple[int, str, np.ndarray]]:
        """(layer index, name, array) for every trainable array, in a fixed order."""
        return [(i, name, arr) for i, layer in enumerate(self.layers)
                for name, arr in layer.params.items()]

    def parameter_count(self) -> int:
        return sum(layer.parameter_count() for layer in self.layers)

    # -- computation ---------------------------------------------------------------
    def forward(self, x, training=False, rng=None) -> list[LayerRecord]:
        """x: (input_dim, m) in the lecture's layout → one LayerRecord per layer."""
        records = []
        h, weight_mask = x, None
        for i, layer in enumerate(self.layers):  # forward_layer's steps, without its call
            rec = layer.forward(h, training=training, rng=rng, weight_mask=weight_mask)
            rec.index = i
            weight_mask = rec.weight_mask if rec.kind == "dropout" else None
            h = rec.h
            records.append(rec)
        return records

    def forward_layer(self, i, h, weight_mask, training, rng):
        """Layer i's forward pass on h (n_in, m) → (record, its output, the weight mask
        a column- or connection-mode Dropout hands to the next layer, or None)."""
        layer = self.layers[i]
        rec = layer.forward(h, training=training, rng=rng, weight_mask=weight_mask)
        rec.index = i
        mask = rec.weight_mask if rec.kind == "dropout" else None
        return rec, rec.h, mask

    def backward(self, records: list[LayerRecord], dh_out=None, grads_out=None) -> None:
        """Fill the records with gradients, from the output back to layer 1.

        The output record must already hold dz (set by the loss). ``grads_out``: per
        layer, None or the (dW, db) arrays a Dense writes its gradients into."""
        dh = dh_out
        for i in range(len(records) - 1, -1, -1):
            if grads_out is None or grads_out[i] is None:
                self.layers[i].backward(dh, records[i], need_dx=i > 0)
            else:
                self.layers[i].backward(dh, records[i], need_dx=i > 0, out=grads_out[i])
            dh = records[i].dx

    def infer(self, x) -> np.ndarray:
        """x: (input_dim, m) → the outputs (n_o, m) in inference mode, recording nothing."""
        for layer in self.layers:
            x = layer.infer(x)
        return x

    def infer_output(self, x) -> tuple[np.ndarray, np.ndarray]:
        """(z^o, output) (n_o, m) each, in inference mode: the losses need both."""
        for layer in self.layers[:-1]:
            x = layer.infer(x)
        out = self.layers[-1]
        z = out.W @ x
        z += out.b[..., None]
        return z, out.activation.forward(z)

    def predict(self, X) -> np.ndarray:
        """X: (m, input_dim) rows → (m, n_o) outputs in inference mode ((runs, m, n_o)
        for a stacked network)."""
        X = self.check_input(X)
        return self.infer(X.T).swapaxes(-1, -2)

    def check_input(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.input_dim:
            raise ValueError(
                f"Expected X of shape (m, {self.input_dim}). Received: X.shape={X.shape}"
            )
        return X

    # -- configuration -------------------------------------------------------------
    def get_config(self) -> dict:
        return {"input_dim": self.input_dim, "seed": self.seed, "dtype": self.dtype.name,
                "layers": [layer.get_config() for layer in self.layers]}

    @classmethod
    def from_config(cls, config: dict) -> "Sequential":
        return cls(input_dim=config["input_dim"], seed=config.get("seed", 0),
                   dtype=config.get("dtype", "float64"),
                   layers=[layer_from_config(c) for c in config["layers"]])

    def __repr__(self):
        inner = ", ".join(repr(layer) for layer in self.layers)
        runs = "" if self.runs is None else f", runs={self.runs}"
        return f"Sequential(input_dim={self.input_dim}, layers=[{inner}]{runs})"


class RunView(Sequential):
    """Run r of a stacked Sequential as a Sequential of its own: its layers' arrays are
    the views [r] of the stacked arrays. Updates replace the stacked arrays (never write
    into them), so the views are made again whenever ``layers`` is read after one;
    hold the view, not one of its layers, across updates."""

    def __init__(self, stacked: Sequential, r: int):  # noqa: D107 - no Sequential.__init__: nothing to build
        self.input_dim, self.dtype = stacked.input_dim, stacked.dtype
        self.seed, self.runs = stacked.seed + r, None
        self.stacked, self.run_index = stacked, r
        self._layers = [copy.copy(layer) for layer in stacked.layers]
        self._sources: list | None = None  # the stacked arrays the views were taken from

    @property
    def layers(self) -> list[Layer]:
        sources = [a for layer in self.stacked.layers for a in layer.state_arrays.values()]
        if self._sources is None or any(a is not b for a, b in zip(sources, self._sources)):
            for view, layer in zip(self._layers, self.stacked.layers):
                for name, array in layer.state_arrays.items():
                    setattr(view, name, array[self.run_index])
            self._sources = sources
        return self._layers
