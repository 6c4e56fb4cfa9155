"""The perceptron lab: the rule view draws the recorded line; the builder edits networks."""

import numpy as np
import pytest

from nnviz.lessons import load_lesson
from nnviz.ui.perceptron.window import PerceptronWindow
from nnviz.ui.perceptron.rule_view import line_segment


@pytest.fixture
def lab(qtbot):
    def make(name="perceptron"):
        window = PerceptronWindow(load_lesson(name))
        qtbot.addWidget(window)
        window.show()
        return window
    return make


def test_step_draws_the_line_of_the_new_w(qtbot, lab):
    window = lab()
    view = window.rule_view
    assert view.snapshot.updates == 0 and len(view.line.getData()[0] or []) == 0  # w = 0: no line
    view.step_requested.emit()
    snap = view.snapshot
    assert snap.updates == 1
    np.testing.assert_array_equal(snap.last.w_after, snap.last.w_before + snap.last.y * snap.last.x)
    xs, ys = view.line.getData()
    for x1, x2 in zip(xs, ys):  # both ends lie on w1·x1 + w2·x2 + w0 = 0 …
        assert abs(snap.w @ [x1, x2, 1.0]) < 1e-9
        assert max(abs(x1), abs(x2)) == pytest.approx(6.0)  # … on the border of the plot
    used_x, used_y = view.used.getData()
    assert (used_x[0], used_y[0]) == tuple(snap.last.x[:2])
    assert f"{snap.last.w_after[0]:+.2f}" in view.arithmetic.text()


def test_run_converges_on_separable_data_and_says_so(qtbot, lab):
    window = lab()
    window.rule_view.fit_requested.emit(1000)
    snap = window.rule_view.snapshot
    assert len(snap.misclassified) == 0
    assert "Converged" in window.rule_view.status.text()


def test_non_separable_data_is_announced(qtbot, lab):
    window = lab()
    view = window.rule_view
    view.dataset.setCurrentIndex(view.dataset.findData("xor"))
    view.fit_requested.emit(20)
    assert "not be linearly separable" in view.status.text()
    assert "after 20 epochs" in view.status.text()


def test_line_segment_clips_to_the_square():
    a, b = line_segment(np.array([1.0, -1.0, 0.0]))  # x1 = x2
    assert sorted([tuple(a), tuple(b)]) == [(-6.0, -6.0), (6.0, 6.0)]
    assert line_segment(np.array([0.0, 0.0, 1.0])) is None


def test_builder_example_typing_and_dragging(qtbot, lab):
    window = lab("perceptron-networks")
    view = window.builder_view
    snap = view.snapshot
    assert len(snap.network["groups"][0]) == 8 and snap.accuracy > 0.97
    assert view.tree.topLevelItem(0).childCount() == 8
    view.clear_requested.emit()
    assert view.snapshot.accuracy == pytest.approx((view.snapshot.y == 0).mean())
    view.w_entry.setText("1, 0, 0")
    view._on_w_entered()  # fires where x1 > 0
    inside = view.snapshot.inside
    assert inside[:, -1].all() and not inside[:, 0].any()
    view.finish_drag((0.0, -3.0), (0.0, 3.0))  # upwards along x1 = 0: fires on the left, x1 < 0
    assert not view.snapshot.inside.any()  # x1 > 0 AND x1 < 0 is empty
    view.flip_requested.emit()  # the selected (last) unit now fires where x1 > 0
    assert view.snapshot.inside[:, -1].all()


def test_builder_rejects_a_bad_w_with_a_message(qtbot, lab):
    window = lab("perceptron-networks")
    window.builder_view.w_entry.setText("1, two, 3")
    window.builder_view._on_w_entered()
    assert "expected three numbers" in window.message_bar.text()


def test_xor_example_is_exact(qtbot, lab):
    window = lab("perceptron-networks")
    window.builder_view.dataset.setCurrentText("xor")
    window.builder_view.example_requested.emit("xor")
    assert window.builder_view.snapshot.accuracy == 1.0
    assert len(window.builder_view.snapshot.network["groups"]) == 2


def test_multiclass_example_trains_one_perceptron_per_class(qtbot, lab):
    window = lab("perceptron-networks")
    window.builder_view.example_requested.emit("multiclass")
    snap = window.builder_view.snapshot
    assert snap.class_units.shape == (3, 3)
    assert snap.accuracy > 0.8
    assert set(np.unique(snap.classes)) <= {-1, 0, 1, 2}
    assert "class 1:" in window.builder_view.status.text()
