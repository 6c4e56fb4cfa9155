"""The inspector prints the record's numbers; checked on the hand-computed 2-2-2 net."""

import numpy as np

from nnviz.engine import SGD, Trainer
from nnviz.engine.summaries import layer_labels
from nnviz.ui.logic.inspector_text import inspect
from nnviz.engine.history import HistoryView
from nnviz.engine.notation import superscripts
from nnviz.engine.snapshot import Snapshot, Structure, TimelineInfo

from ..engine.test_lecture_cases import ALPHA, POINTS, by_hand, two_two_two_net
from .snapshots import WITH_BATCHNORM, WITH_DROPOUT, config_with, snapshot_after


def hand_snapshot():
    model = two_two_two_net()
    trainer = Trainer(model, optimizer=SGD(ALPHA))
    x, label = POINTS[0]
    rec = trainer.update(np.array([x]), np.array([label]))
    structure = Structure(layer_kinds=("dense", "dense"), layer_labels=tuple(layer_labels(model)),
                          superscripts=superscripts(("dense", "dense")), activations=("tanh", "softmax"),
                          layer_configs=tuple(layer.get_config() for layer in model.layers), units=(2, 2),
                          input_names=("x1", "x2"), input_dim=2, image_shape=None, is_plane=True,
                          regression=False, n_classes=2, loss="cross_entropy", optimizer="sgd", runs=1)
    return Snapshot(structure=structure, steps_done=1, epoch=0, config=None, dataset=None,
                    params=tuple(model.parameters()), record=rec, phase=None,
                    history=HistoryView({}, np.zeros(0), 0), timeline=TimelineInfo(0, 1), grid=None,
                    train_pred=None, test_pred=None,
                    neuron_maps=(np.zeros((2, 1, 1)), np.zeros((2, 1, 1))))


def test_hidden_neuron_equations_carry_the_hand_computed_numbers():
    snap = hand_snapshot()
    hand = by_hand(*POINTS[0])
    text = inspect(snap, layer=0, unit=0, point=0, digits=4)
    # z^1_1 = 0.1·1 + (−0.2)·2 + 0.05, term by term
    assert "(+0.1000)·(+1.0000) + (-0.2000)·(+2.0000) + (+0.0500)" in text
    assert f"= {hand['z1'][0]:+.4f}" in text
    assert f"tanh(z¹_1) = {hand['h1'][0]:+.4f}" in text
    assert f"dh ⊗ tanh′(z) = ({hand['dh1'][0]:+.4f})·({1 - hand['h1'][0] ** 2:+.4f}) = {hand['dz1'][0]:+.4f}" in text
    assert f"({hand['dW1'][0][0]:+.4f}, {hand['dW1'][0][1]:+.4f})" in text
    new = 0.1 - ALPHA * hand["dW1"][0][0]
    assert f"= {new:+.4f}" in text and "(the optimizer's step" not in text


def test_output_neuron_shows_p_loss_and_p_minus_y():
    snap = hand_snapshot()
    hand = by_hand(*POINTS[0])
    text = inspect(snap, layer=1, unit=1, point=0, digits=6)
    assert f"p_2 = exp(z_2) / Σ_i exp(z_i) = {hand['p'][1]:+.6f}" in text
    assert f"L = −yᵀ log p = {hand['loss']:+.6f}" in text
    assert f"dzᵒ_2 = p_2 − y_2 = {hand['p'][1]:+.6f} − (+1.000000) = {hand['dz2'][1]:+.6f}" in text


def test_precision_is_adjustable():
    snap = hand_snapshot()
    assert "+0.10)·(+1.00)" in inspect(snap, 0, 0, 0, digits=2)
    assert "+0.10000000)" in inspect(snap, 0, 0, 0, digits=8)


def test_dropout_and_batchnorm_equations():
    _, snap = snapshot_after(config_with(WITH_DROPOUT))
    text = inspect(snap, 1, 2, 3)
    rec = snap.record.layers[1]
    assert f"mask = {int(rec.mask[2, 3])}" in text and "keep q = 0.6" in text
    _, snap = snapshot_after(config_with(WITH_BATCHNORM))
    rec = snap.record.layers[1]
    text = inspect(snap, 1, 0, 0)
    assert f"μ_1 = mean over the batch = {rec.mean[0]:+.4f}" in text
    assert f"= {rec.x_hat[0, 0]:+.4f}" in text and f"= {rec.h[0, 0]:+.4f}" in text


# -- every loss, optimizer and dropout mode ------------------------------------------------
import itertools  # noqa: E402
import re  # noqa: E402

import pytest  # noqa: E402

from ..engine.test_formulas import OPTIMIZERS, OUTPUTS, run_for  # noqa: E402


def _numbers(line):
    return [float(v) for v in re.findall(r"[+-]\d+\.\d+", line)]


@pytest.mark.parametrize("output, optimizer, dropout",
                         list(itertools.product(OUTPUTS, OPTIMIZERS, [None, "neuron", "connection"])))
def test_inspector_arithmetic_adds_up_for_every_model(output, optimizer, dropout):
    run = run_for(output, optimizer, dropout)
    run.update()
    run.update()
    snap = run.snapshot()
    layer = 2 if dropout else 1  # the Dense layer after the dropout
    text = inspect(snap, layer, 0, 1, digits=10)
    lines = text.splitlines()
    products = next(line for line in lines if line.strip().startswith("=") and "·" not in line)
    values = _numbers(products)
    z = snap.record.layers[layer].z[0, 1]
    assert sum(values) == pytest.approx(z, abs=1e-8), "the products and b add up to z"
    if dropout == "connection":
        assert "W² ⊙ mask/q" in text and "DropConnect" in text
    out = inspect(snap, len(snap.structure.layer_kinds) - 1, 0, 1, digits=6)
    if output == "linear":
        assert "dŷ_1 = 2(ŷ_1 − y_1)/n_o" in out and "mean over the 1 outputs of (ŷ − y)²" in out
        assert "p_1" not in out
    elif output == "sigmoid":
        assert "−[y log p + (1 − y) log(1 − p)]" in out and "dzᵒ_1 = p_1 − y_1" in out
    else:
        assert "L = −yᵀ log p" in out and "dzᵒ_1 = p_1 − y_1" in out
    if optimizer == "sgd":
        assert "− α·∂L/∂W" in out
    else:
        assert ("Adam" if optimizer == "adam" else "momentum μ = 0.9") in out
        for line in out.splitlines():
            if "→" in line and "step" in line:
                before, after, _grad, step = _numbers(line)[:4]
                assert after - before == pytest.approx(step, abs=2e-6)


def test_inspector_equations_are_not_wrapped(qtbot):
    """Wrapped, a long sum continued at the left margin, out of line with its "="."""
    from PySide6.QtWidgets import QPlainTextEdit
    from nnviz.ui.views.inspector import InspectorView

    view = InspectorView()
    qtbot.addWidget(view)
    assert view.text.lineWrapMode() == QPlainTextEdit.NoWrap
