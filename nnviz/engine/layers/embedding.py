"""Embedding: a word's token id → its vector, column ``id`` of W.

W has shape (dim, vocab_size): exactly the W of a bias-free Dense layer on one-hot
inputs, since W·onehot(id) is column ``id`` of W — the embedding only skips the
multiplications by zero. Its input is the (1, m) row of token ids (the data's one
column); its output e is (dim, m). The gradient is the Dense one, dW = de·onehotᵀ/m:
column v of dW is the mean over the batch of de at the points whose word is v, and
zero for the words the batch does not hold.
"""

from __future__ import annotations

import numpy as np

from ..initializers import get_initializer
from ..records import EmbeddingRecord
from .base import Layer, check_positive_int


class Embedding(Layer):
    """``Embedding(vocab_size, dim)``; W (dim, vocab_size), initialised as Keras does
    (uniform in ±0.05). Only the first layer of a network: it reads token ids."""

    kind = "embedding"

    def __init__(self, vocab_size, dim, embeddings_initializer="random_uniform"):
        super().__init__()
        self.vocab_size = check_positive_int(vocab_size, "vocab_size")
        self.dim = check_positive_int(dim, "dim")
        get_initializer(embeddings_initializer, "embeddings_initializer")
        self.embeddings_initializer = embeddings_initializer
        self.W: np.ndarray | None = None  # (dim, vocab_size)

    def build(self, n_in, rng, dtype):
        if n_in != 1:
            raise ValueError(f"Expected one input column of token ids for an Embedding. Received: "
                             f"input_dim={n_in}")
        self.n_in, self.n_out = n_in, self.dim
        self.W = get_initializer(self.embeddings_initializer)((self.dim, self.vocab_size), rng, dtype)
        return self.dim

    @property
    def params(self):
        return {"W": self.W}

    def token_ids(self, x) -> np.ndarray:
        """(1, m) ids given as numbers → (m,) integer indices, checked."""
        ids = np.asarray(x)[..., 0, :]
        as_int = ids.astype(np.intp)
        if ids.size and (not np.array_equal(as_int, ids) or as_int.min() < 0 or as_int.max() >= self.vocab_size):
            raise ValueError(f"Expected token ids 0 … {self.vocab_size - 1}. Received: values from "
                             f"{ids.min():g} to {ids.max():g}")
        return as_int

    def forward(self, x, training=False, rng=None, weight_mask=None):
        ids = self.token_ids(x)
        # W is replaced, never changed in place, by an update: the record keeps the
        # very matrix this forward pass used.
        return EmbeddingRecord(x=x, h=self.W[..., ids], ids=ids, W=self.W)

    def backward(self, dh, rec, need_dx=True):
        """dW = dh·onehotᵀ/m (the Dense gradient without a bias); token ids have no dx."""
        rec.dh = dh
        one_hot = np.zeros((self.vocab_size, rec.ids.size), dtype=dh.dtype)
        one_hot[rec.ids, np.arange(rec.ids.size)] = 1.0
        dW = dh @ one_hot.T
        dW *= 1.0 / rec.ids.size
        rec.dW = dW
        rec.grads = {"W": dW}
        rec.dx = None

    def forward_text(self, h: str) -> str:
        return "e = Wᵉ·onehot(x): column x of Wᵉ, the word's vector"

    def backward_text(self, h: str) -> str:
        return "dWᵉ = de·onehot(x)ᵀ/m: only the columns of this batch's words change"

    def get_config(self):
        return {"type": "Embedding", "vocab_size": self.vocab_size, "dim": self.dim,
                "embeddings_initializer": self.embeddings_initializer}
