"""nnviz: train small neural networks and watch every step of the mathematics."""

__version__ = "0.1.0"
