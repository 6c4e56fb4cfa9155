"""The nnviz engine: pure NumPy, no Qt. Usable on its own from a notebook.

Array layout: user-facing inputs are rows, X (m, d); inside, the lecture's layout
holds one column per data point, H^l (n_l, m), and W^l is (n_l, n_(l-1)).
See ``nnviz.engine.records`` for the shape of every recorded quantity.
"""

from .activations import ACTIVATION_NAMES, get_activation
from .datasets import DATASET_NAMES, Dataset, make_dataset
from .features import FEATURE_NAMES, feature_map
from .layers import Activation, BatchNorm, Dense, Dropout, Embedding
from .losses import LOSSES, get_loss
from .network import Sequential
from .optimizers import SGD, Adam
from .config import Config, ConfigError
from .errors import InputError
from .records import LayerRecord, Phase, StepRecord
from .run import TrainingRun
from .snapshot import Snapshot, Structure
from .trainer import NonFiniteError, Trainer

__all__ = [
    "TrainingRun", "Config", "ConfigError", "InputError", "Snapshot", "Structure",
    "Sequential", "Dense", "Activation", "Dropout", "BatchNorm", "Embedding", "Trainer", "SGD", "Adam",
    "StepRecord", "LayerRecord", "Phase", "NonFiniteError", "make_dataset", "Dataset", "feature_map",
    "get_activation", "get_loss", "ACTIVATION_NAMES", "DATASET_NAMES", "FEATURE_NAMES", "LOSSES",
]
