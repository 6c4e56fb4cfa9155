"""Layers, one per file."""

from .activation import Activation
from .base import Layer
from .batchnorm import BatchNorm
from .dense import Dense
from .dropout import Dropout
from .embedding import Embedding

LAYER_TYPES = {cls.__name__: cls for cls in (Dense, Activation, Dropout, BatchNorm, Embedding)}


def layer_from_config(config: dict) -> Layer:
    """Rebuild a layer from ``layer.get_config()``."""
    config = dict(config)
    kind = config.pop("type", None)
    if kind not in LAYER_TYPES:
        raise ValueError(
            f"Unknown layer type. Expected one of {', '.join(LAYER_TYPES)}. Received: type={kind!r}"
        )
    return LAYER_TYPES[kind](**config)


__all__ = ["Layer", "Dense", "Activation", "Dropout", "BatchNorm", "Embedding", "layer_from_config", "LAYER_TYPES"]
