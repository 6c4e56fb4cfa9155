"""Snapshots from real training runs, made without a window or a thread, and views
shown with them."""

from nnviz.engine import TrainingRun
from nnviz.engine.config import Config


def config_with(hidden, dataset="circle", **training):
    return Config.from_dict({"data": {"dataset": dataset, "n": 120, "noise": 0.1, "seed": 3},
                             "network": {"hidden": hidden, "output": "softmax" if dataset != "plane" else "linear"},
                             "training": {"learning_rate": 0.1, "batch_size": 12, **training}})


def snapshot_after(config, updates=5, evaluations=1):
    """Train ``updates`` updates between each of ``evaluations`` evaluations; snapshot."""
    run = TrainingRun(config)
    for _ in range(evaluations):
        run.train(updates)
    return run, run.snapshot()


DENSE = {"type": "Dense", "units": 6, "activation": "tanh"}
PLAIN = [DENSE, {"type": "Dense", "units": 4, "activation": "relu"}]
WITH_DROPOUT = [DENSE, {"type": "Dropout", "rate": 0.4}, {"type": "Dense", "units": 5, "activation": "tanh"}]
WITH_CONNECTION_DROPOUT = [DENSE, {"type": "Dropout", "rate": 0.3, "mode": "connection"},
                           {"type": "Dense", "units": 5, "activation": "sigmoid"}]
WITH_BATCHNORM = [{"type": "Dense", "units": 5, "activation": "linear"}, {"type": "BatchNorm"},
                  {"type": "Activation", "activation": "relu"}, {"type": "Dense", "units": 3, "activation": "tanh"},
                  {"type": "BatchNorm"}]
ONE_HIDDEN = [{"type": "Dense", "units": 3, "activation": "sigmoid"}]
EIGHT_BY_SIXTEEN = [{"type": "Dense", "units": 16, "activation": "tanh"}] * 8
NETWORKS = {"plain": PLAIN, "dropout": WITH_DROPOUT, "connection": WITH_CONNECTION_DROPOUT,
            "batchnorm": WITH_BATCHNORM, "one": ONE_HIDDEN, "eight": EIGHT_BY_SIXTEEN}


def shown(qtbot, view_class, snap, size=(900, 600)):
    """A view of ``view_class`` on screen (offscreen), showing ``snap``."""
    view = view_class()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    view.set_snapshot(snap)
    return view
