"""A stand-alone activation, for placing BatchNorm between z and σ(z)."""

from __future__ import annotations

from ..activations import get_activation
from ..records import ActivationRecord
from .base import Layer


class Activation(Layer):
    kind = "activation"

    def __init__(self, activation):
        super().__init__()
        self.activation = get_activation(activation)

    def forward(self, x, training=False, rng=None, weight_mask=None):
        return ActivationRecord(x=x, z=x, h=self.activation.forward(x))

    def infer(self, x):
        return self.activation.forward(x)

    def backward(self, dh, rec, need_dx=True):
        rec.dh = dh
        rec.dz = self.activation.backward(rec.z, rec.h, dh)
        rec.dx = rec.dz

    def get_config(self):
        return {"type": "Activation", "activation": self.activation.get_config()}

    def __repr__(self):
        return f"Activation({self.activation.name!r})"
