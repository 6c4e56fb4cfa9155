"""The perceptron lab: the rule view draws the recorded line and goes back to any
update exactly; the builder edits networks; legends and captions explain the marks."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from nnviz.lessons import load_lesson
from nnviz.ui.perceptron.rule_view import line_segment
from nnviz.ui.perceptron.window import PerceptronWindow


@pytest.fixture
def lab(qtbot, settings):
    def make(name="perceptron"):
        window = PerceptronWindow(load_lesson(name), settings=settings)
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
    QTest.keyClick(view.w_entry, Qt.Key_Return)  # fires where x1 > 0
    inside = view.snapshot.inside
    assert inside[:, -1].all() and not inside[:, 0].any()
    view.finish_drag((0.0, -3.0), (0.0, 3.0))  # upwards along x1 = 0: fires on the left, x1 < 0
    assert not view.snapshot.inside.any()  # x1 > 0 AND x1 < 0 is empty
    view.flip_requested.emit()  # the selected (last) unit now fires where x1 > 0
    assert view.snapshot.inside[:, -1].all()


def test_builder_rejects_a_bad_w_with_a_message(qtbot, lab):
    window = lab("perceptron-networks")
    window.builder_view.w_entry.setText("1, two, 3")
    QTest.keyClick(window.builder_view.w_entry, Qt.Key_Return)
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


# -- the rule's timeline -------------------------------------------------------------------
def same_update(a, b) -> bool:
    """Two snapshots show the same state and the same update's arithmetic."""
    return (np.array_equal(a.w, b.w) and (a.updates, a.epochs) == (b.updates, b.epochs)
            and np.array_equal(a.misclassified, b.misclassified)
            and (a.last is None) == (b.last is None)
            and (a.last is None or (a.last.index == b.last.index and np.array_equal(a.last.w_before, b.last.w_before))))


def test_rewinding_shows_each_update_exactly_as_it_was(qtbot, lab):
    window = lab()
    view, timeline = window.rule_view, window.rule_view.timeline
    view.dataset.setCurrentIndex(view.dataset.findData("xor"))  # never converges: every Step updates
    view.policy.setCurrentText("random")  # the random generator must come back too
    shown = [view.snapshot]
    for _ in range(6):
        view.step_requested.emit()
        shown.append(view.snapshot)
    timeline.back.click()
    timeline.back.click()
    assert same_update(view.snapshot, shown[4]) and view.snapshot.viewing == 4
    assert "update 4 of 6 — rewound" in timeline.label.text()
    timeline.slider.setValue(1)
    assert same_update(view.snapshot, shown[1])
    used_x, used_y = view.used.getData()
    assert (used_x[0], used_y[0]) == tuple(shown[1].last.x[:2])  # the point of update 1 is ringed
    timeline.slider.setValue(0)
    assert same_update(view.snapshot, shown[0]) and len(view.used.getData()[0]) == 0
    for k in range(1, 7):  # Step (→) goes forward through the record: the same updates again
        view.step_requested.emit()
        assert same_update(view.snapshot, shown[k]) and view.snapshot.recorded == 6
    assert view.snapshot.viewing is None and not timeline.forward.isEnabled()


def test_the_arrow_keys_go_back_and_on(qtbot, lab):
    window = lab()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for _ in range(3):
        QTest.keyClick(window, Qt.Key_Right)
    assert window.rule_view.snapshot.updates == 3
    QTest.keyClick(window, Qt.Key_Left)
    assert window.rule_view.snapshot.updates == 2 and window.rule_view.snapshot.viewing == 2
    window.tabs.setCurrentWidget(window.builder_view)
    QTest.keyClick(window, Qt.Key_Left)  # the rule's keys act on the rule's tab only
    assert window.controller.timeline.shown == 2


def test_continuing_from_a_rewound_update_discards_the_later_ones_and_says_so(qtbot, lab):
    window = lab()
    view = window.rule_view
    for _ in range(5):
        view.step_requested.emit()
    view.seek_requested.emit(2)
    view.epoch_requested.emit()
    assert "Continued from update 2: the 3 later updates (3–5) were discarded" in window.message_bar.text()
    snap = view.snapshot
    assert snap.viewing is None and snap.recorded == snap.updates and snap.epochs == 1
    assert snap.last.update == snap.updates - 1


# -- explanations ----------------------------------------------------------------------------
def legend_texts(legend) -> list[str]:
    return [label.text for _sample, label in legend.items]


def test_the_rule_view_explains_its_colours_and_marks_outside_the_data(qtbot, lab):
    window = lab()
    view = window.rule_view
    view.step_requested.emit()
    texts = legend_texts(view.legend)
    for wanted in ("class y = +1", "class y = −1", "side wᵀx̃ &gt; 0", "side wᵀx̃ &lt; 0", "line wᵀx̃ = 0",
                   "w, its normal", "previous line", "misclassified", "point used"):
        assert wanted in texts, (wanted, texts)
    plane = view.plot.vb.sceneBoundingRect()
    assert not view.legend.sceneBoundingRect().intersects(plane)  # never over the data
    assert view.caption.isVisible() and not window.builder_view.caption.isVisible()
    for words in ("two classes", "normal of the separating line", "dashed grey line", "×", "ring"):
        assert words in view.caption.text()


def test_the_builder_explains_its_shading_and_marks(qtbot, lab):
    window = lab("perceptron-networks")
    view = window.builder_view
    assert {"network fires: inside", "side it fires on", "selected unit"} <= set(legend_texts(view.legend))
    assert not view.legend.sceneBoundingRect().intersects(view.plot.vb.sceneBoundingRect())
    view.example_requested.emit("multiclass")
    assert {"region of class 3", "no single class"} <= set(legend_texts(view.legend))
    assert view.caption.isVisible() and "green triangle" in view.caption.text()
