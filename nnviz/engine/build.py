"""From a configuration to the objects that train: dataset, layers, model, trainer."""

from __future__ import annotations

from .config import Config, DataConfig, NetworkConfig, TrainingConfig, starts_with_embedding
from .datasets import csv_dataset, input_features, make_dataset, mnist_dataset
from .layers import Dense, layer_from_config
from .network import Sequential
from .optimizers import optimizer_from_config
from .schema import ConfigError
from .trainer import Trainer

def layer_options(spec, network: NetworkConfig, vocab_size: int = 0) -> dict:
    """A hidden layer's configuration as its layer's get_config() would give it: the
    network's initializer, leaky_relu's slope inside the activation, the data's
    vocabulary size for an Embedding."""
    options = spec.to_dict()  # {"type": "Dense", "units": 8, …}
    slope = options.pop("negative_slope", None)
    if options.get("activation") == "leaky_relu":
        options["activation"] = {"name": "leaky_relu", "negative_slope": slope}
    if spec.type == "Dense":
        options["kernel_initializer"] = network.initializer
    if spec.type == "Embedding":
        options["vocab_size"] = vocab_size
    return options


def build_layers(network: NetworkConfig, n_classes: int, vocab_size: int = 0) -> list:
    """The hidden layers of ``network`` and its output layer for ``n_classes`` classes
    (``vocab_size``: the words of a text data set, for an Embedding)."""
    layers = [layer_from_config(layer_options(spec, network, vocab_size)) for spec in network.hidden]
    units = {"softmax": max(n_classes, 2), "sigmoid": 1, "linear": 1}[network.output]
    layers.append(Dense(units, activation=network.output, kernel_initializer=network.initializer))
    return layers


def make_optimizer(training: TrainingConfig):
    options = {"name": training.optimizer, "learning_rate": training.learning_rate}
    if training.optimizer == "sgd":
        options["momentum"] = training.momentum
    return optimizer_from_config(options)


def load_data(d: DataConfig):
    """The Dataset a data configuration describes (files are read here: a DataFileError
    names the file, and for CSV the row and column)."""
    from .real_data import DataFileError

    try:
        if d.dataset == "csv":
            return csv_dataset(d.path, list(d.columns), d.label, d.standardize, d.test_ratio, d.seed)
        if d.dataset == "mnist":
            return mnist_dataset(d.path)
    except DataFileError as err:
        raise ConfigError("data.path", str(err)) from None
    return make_dataset(d.dataset, d.n, d.noise, d.seed, d.test_ratio)


def input_dim(config: Config, dataset) -> int:
    if dataset.is_text:
        return 1 if starts_with_embedding(config.network) else len(dataset.vocabulary)
    if not dataset.is_plane:
        return dataset.X_train.shape[1]
    return len(config.data.features)


def network_inputs(config: Config, dataset, X=None):
    """What the network reads of X (default: the training set): see input_features."""
    return input_features(dataset, config.data.features, X, token_ids=starts_with_embedding(config.network))


def check_fits(config: Config, dataset) -> None:
    """What only the loaded data can tell: a sigmoid output needs two classes."""
    if config.network.output == "sigmoid" and dataset.n_classes > 2:
        raise ConfigError("network.output", f"the data has {dataset.n_classes} classes; a sigmoid "
                                            "output separates two: use 'softmax'")


def build_run(config: Config, dataset, run: int):
    """Model and trainer of run ``run`` (weights from network.seed + run) on ``dataset``."""
    model = build_model(config, dataset, run)
    return model, make_trainer(config, dataset, model)


def build_model(config: Config, dataset, run: int = 0) -> Sequential:
    """The network of run ``run``: its weights drawn from network.seed + run."""
    net = config.network
    return Sequential(input_dim(config, dataset), build_layers(net, dataset.n_classes, len(dataset.vocabulary)),
                      seed=net.seed + run, dtype=net.dtype)


def make_trainer(config: Config, dataset, model: Sequential) -> Trainer:
    """A trainer of ``model`` (one network or a stack of them) on the training set."""
    t = config.training
    trainer = Trainer(model, loss=config.loss, optimizer=make_optimizer(t),
                      batch_size=min(t.batch_size, len(dataset.X_train)), l1=t.l1, l2=t.l2, seed=t.seed)
    trainer.set_data(network_inputs(config, dataset), dataset.y_train)
    return trainer


def build_training(config: Config, dataset):
    """(one Sequential per initialisation, the trainer that trains them all).

    With ``training.runs`` R > 1 the R models (weights from network.seed + r) are
    stacked into one network on a leading run axis and the trainer trains that: the
    runs share their minibatches and dropout draws (same training seed), so run r is
    bit for bit the run it would be alone, at a fraction of R separate updates' cost.
    The models returned are then run views of the stacked one."""
    runs = config.training.runs
    if runs == 1:
        model, trainer = build_run(config, dataset, 0)
        return [model], trainer
    stacked = Sequential.stack([build_model(config, dataset, r) for r in range(runs)])
    return [stacked.run_view(r) for r in range(runs)], make_trainer(config, dataset, stacked)


def build(config: Config):
    """→ (dataset, model, trainer) of the main run."""
    dataset = load_data(config.data)
    check_fits(config, dataset)
    model, trainer = build_run(config, dataset, 0)
    return dataset, model, trainer
