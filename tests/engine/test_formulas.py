"""The formulas shown follow the model: its loss, optimizer, activations and dropout mode."""

import itertools

import pytest

from nnviz.engine import Config, TrainingRun

OUTPUTS = {"softmax": "circle", "sigmoid": "circle", "linear": "plane"}
OPTIMIZERS = {"sgd": {}, "momentum": {"momentum": 0.9}, "adam": {}}


def run_for(output, optimizer, dropout):
    hidden = [{"type": "Dense", "units": 4, "activation": "tanh"}]
    if dropout:
        hidden.append({"type": "Dropout", "rate": 0.25, "mode": dropout})
    hidden.append({"type": "Dense", "units": 3, "activation": "relu"})
    training = {"optimizer": "adam" if optimizer == "adam" else "sgd", **OPTIMIZERS[optimizer]}
    return TrainingRun(Config.from_dict({"data": {"dataset": OUTPUTS[output], "n": 40},
                                         "network": {"hidden": hidden, "output": output},
                                         "training": training}))


def labels_of_one_update(run):
    labels = {}
    while True:
        phase = run.phase()
        labels.setdefault(phase.kind, []).append(phase.label)
        if phase.kind == "update":
            return labels


@pytest.mark.parametrize("output, optimizer, dropout",
                         list(itertools.product(OUTPUTS, OPTIMIZERS, [None, "neuron", "column", "connection"])))
def test_phase_labels_follow_the_model(output, optimizer, dropout):
    labels = labels_of_one_update(run_for(output, optimizer, dropout))
    loss = labels["loss"][0]
    if output == "softmax":
        assert loss == "p = softmax(zᵒ);  L = −yᵀ log p;  dzᵒ = p − y"
    elif output == "sigmoid":
        assert "p = sigmoid(zᵒ)" in loss and "(1 − y) log(1 − p)" in loss and "dzᵒ = p − y" in loss
    else:
        assert "ŷ = zᵒ" in loss and "mean over the n_o outputs of (ŷ − y)²" in loss
        assert "dzᵒ = 2(ŷ − y)/n_o" in loss and "softmax" not in loss
    update = labels["update"][0]
    if optimizer == "adam":
        assert "Adam" in update and "√v" in update
    elif optimizer == "momentum":
        assert "v ← μv − α·∂L/∂W;  W ← W + v" in update and "μ = 0.9" in update
    else:
        assert update.startswith("W ← W − α·∂L/∂W")
    forward = labels["forward"]
    assert forward[0] == "z¹ = W¹·x + b¹;  h¹ = tanh(z¹)"
    assert any("relu(z²)" in text for text in forward) and "σ" not in " ".join(forward)
    if dropout == "neuron":
        assert "dropout on h¹: h¹ ⊗ mask/q, a new mask for every point" in forward[1]
    elif dropout == "connection":
        assert "DropConnect" in forward[1] and "W² ⊙ mask/q" in forward[1]
        assert any("(W² ⊙ mask/q)ᵀ" in text for text in labels["backward"])
    elif dropout == "column":
        assert "dropout α" in forward[1] and "W²·diag(α)/q" in forward[1] and "exactly round(q·n) ones" in forward[1]
        backward = " ".join(labels["backward"])
        assert "(W²·diag(α)/q)ᵀ" in backward and "zero in the dropped columns" in backward
    output_forward = forward[-1]
    expected = {"softmax": "p = softmax(zᵒ)", "sigmoid": "p = sigmoid(zᵒ)", "linear": "ŷ = zᵒ"}[output]
    assert output_forward.endswith(expected)


def test_a_penalty_is_named_in_the_update():
    run = TrainingRun(Config.from_dict({"data": {"n": 40}, "training": {"l2": 0.01}}))
    assert "penalty" in labels_of_one_update(run)["update"][0]
