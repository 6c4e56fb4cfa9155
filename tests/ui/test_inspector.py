"""The inspector prints the record's numbers; checked on the hand-computed 2-2-2 net."""

import numpy as np

from nnviz.engine import SGD, Trainer
from nnviz.engine.summaries import layer_labels
from nnviz.ui.inspector_text import inspect
from nnviz.ui.snapshot import HistoryView, Snapshot

from ..engine.test_lecture_cases import ALPHA, POINTS, by_hand, two_two_two_net
from .snapshots import WITH_BATCHNORM, WITH_DROPOUT, config_with, snapshot_after


def hand_snapshot():
    model = two_two_two_net()
    trainer = Trainer(model, optimizer=SGD(ALPHA))
    x, label = POINTS[0]
    rec = trainer.update(np.array([x]), np.array([label]))
    return Snapshot(generation=0, steps_done=1, epoch=0, config=None, dataset=None,
                    params=tuple(model.parameters()), record=rec, phase=None,
                    history=HistoryView({}, np.zeros(0), 0), grid=None, train_pred=None, test_pred=None,
                    playing=False, regression=False, layer_kinds=("dense", "dense"),
                    layer_labels=tuple(layer_labels(model)), activations=("tanh", "softmax"),
                    neuron_maps=(np.zeros((2, 1, 1)), np.zeros((2, 1, 1))))


def test_hidden_neuron_equations_carry_the_hand_computed_numbers():
    snap = hand_snapshot()
    hand = by_hand(*POINTS[0])
    text = inspect(snap, layer=0, unit=0, point=0, digits=4)
    # z^1_1 = 0.1·1 + (−0.2)·2 + 0.05, term by term
    assert "(+0.1000)·(+1.0000) + (-0.2000)·(+2.0000) + (+0.0500)" in text
    assert f"= {hand['z1'][0]:+.4f}" in text
    assert f"tanh(z) = {hand['h1'][0]:+.4f}" in text
    assert f"dh ⊗ σ′(z) = ({hand['dh1'][0]:+.4f})·({1 - hand['h1'][0] ** 2:+.4f}) = {hand['dz1'][0]:+.4f}" in text
    assert f"({hand['dW1'][0][0]:+.4f}, {hand['dW1'][0][1]:+.4f})" in text
    new = 0.1 - ALPHA * hand["dW1"][0][0]
    assert f"= {new:+.4f}" in text and "(the optimizer's step" not in text


def test_output_neuron_shows_p_loss_and_p_minus_y():
    snap = hand_snapshot()
    hand = by_hand(*POINTS[0])
    text = inspect(snap, layer=1, unit=1, point=0, digits=6)
    assert f"p_2 = exp(z_2) / Σ_i exp(z_i) = {hand['p'][1]:+.6f}" in text
    assert f"L = −yᵀ log p = {hand['loss']:+.6f}" in text
    assert f"dz^o_2 = p_2 − y_2 = {hand['p'][1]:+.6f} − (+1.000000) = {hand['dz2'][1]:+.6f}" in text


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
