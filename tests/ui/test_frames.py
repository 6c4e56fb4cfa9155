"""How the window draws frames while playing: in slices planned with each view's
measured cost; Python's collector kept out of them; colour scales that move in steps."""

import dataclasses
import gc
import weakref

import numpy as np
import pytest

from nnviz.ui import collector
from nnviz.ui import main_window as main_window_module
from nnviz.ui.ranges import StickyBound, nice_ceiling


def playing(snap):
    return dataclasses.replace(snap, playing=True)


def test_a_view_that_would_overrun_the_slice_starts_the_next_one(qtbot, open_window, monkeypatch):
    window = open_window("circle")
    views = list(window.views.values())
    drawn = []
    for view in views:
        monkeypatch.setattr(view, "set_snapshot", lambda snap, view=view: drawn.append(view))
        window._view_costs[view] = main_window_module.FRAME_SLICE_SECONDS  # each fills a slice
    with qtbot.waitSignal(window.snapshot_shown, timeout=5000):
        window._draw(playing(window.snapshot))
        # the first slice drew one view and went back to the event loop
        assert drawn == views[:1]
    assert drawn == views  # every view, once, in order, in later slices


def test_cheap_views_share_a_slice(qtbot, open_window, monkeypatch):
    window = open_window("circle")
    drawn = []
    for view in window.views.values():
        monkeypatch.setattr(view, "set_snapshot", lambda snap, view=view: drawn.append(view))
        window._view_costs[view] = 0.0
    with qtbot.waitSignal(window.snapshot_shown, timeout=5000):
        window._draw(playing(window.snapshot))
        assert len(drawn) == len(window.views)  # all in the first slice: nothing waited


def test_when_paused_a_frame_is_drawn_whole(qtbot, open_window, monkeypatch):
    window = open_window("circle")
    drawn = []
    for view in window.views.values():
        monkeypatch.setattr(view, "set_snapshot", lambda snap, view=view: drawn.append(view))
        window._view_costs[view] = 1.0  # would each take a slice of their own while playing
    with qtbot.waitSignal(window.snapshot_shown, timeout=5000):
        window._draw(window.snapshot)  # a step, a rewind: the picture at once
        assert len(drawn) == len(window.views)


def test_a_view_is_expected_to_cost_what_it_cost_lately(open_window):
    window = open_window("circle")
    view = next(iter(window.views.values()))
    # forget what the window's own first frame cost (on a loaded machine it exceeded
    # 0.050 / VIEW_COST_DECAY and the expectation below was that decayed cost instead)
    window._view_costs.pop(view, None)
    window._note_view_cost(view, 0.050)
    window._note_view_cost(view, 0.001)
    assert window._view_costs[view] == pytest.approx(0.050 * main_window_module.VIEW_COST_DECAY)
    window._note_view_cost(view, 0.060)
    assert window._view_costs[view] == 0.060


class Cycle:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self):
        self.me = self


@pytest.fixture
def fresh_collector(monkeypatch):
    monkeypatch.setattr(collector, "_frozen", None)
    monkeypatch.setattr(collector, "_stale", False)
    yield
    gc.unfreeze()


def test_playing_freezes_what_exists_and_a_pause_after_another_network_collects_it(fresh_collector):
    first, second = object(), object()  # two networks' structures
    garbage = Cycle()
    freed = []
    weakref.finalize(garbage, freed.append, True)
    collector.frame_drawn(first, playing=True)
    assert gc.get_freeze_count() > 0
    del garbage
    gc.collect()
    assert not freed  # frozen: a collection while playing does not walk it
    collector.frame_drawn(first, playing=False)
    assert not freed  # the same network paused: nothing to collect yet
    collector.frame_drawn(second, playing=True)
    collector.frame_drawn(second, playing=False)
    assert freed == [True]  # another network was played: the old cycles are collected


@pytest.mark.parametrize("value, ceiling", [(0.7, 0.75), (1.0, 1.0), (1.2, 1.5), (2.0, 2.0), (3.1, 5.0),
                                            (6.0, 7.5), (8.0, 10.0), (0.013, 0.015), (430.0, 500.0)])
def test_nice_ceilings(value, ceiling):
    assert nice_ceiling(value) == pytest.approx(ceiling)


def test_a_sticky_bound_grows_past_the_values_and_shrinks_when_they_fit_a_lower_step():
    bound = StickyBound()
    assert bound.fit(1.3) == 1.5  # 1.3 with 10 % room
    assert bound.fit(1.45) == 1.5  # within: kept
    assert bound.fit(1.0) == 1.5  # 1.25 with room: still needs 1.5
    assert bound.fit(1.6) == 2.0  # passed: the next step
    assert bound.fit(1.3) == 2.0  # 1.3 · 1.25 > 1.5: kept
    assert bound.fit(0.9) == 1.0  # fits 1.5 with room: fitted again (0.99 → 1)
    assert bound.fit(float("nan")) == 1.0  # nothing to fit: kept
    assert StickyBound().fit(0.0) == 1.0
    # noise around a bound never makes it flap: it changes at most once
    noisy = StickyBound()
    values = [1.9, 2.1, 1.95, 2.05, 1.9, 2.1] * 5
    assert len({noisy.fit(v) for v in values}) <= 2


def test_histograms_are_computed_when_laid_out_and_filled_when_the_view_grows(qtbot):
    from nnviz.engine import TrainingRun
    from nnviz.lessons import load_lesson
    from nnviz.ui.views.activations import HISTOGRAMS_FROM_PX, ActivationsView

    run = TrainingRun(load_lesson("circle").config)
    run.update()
    view = ActivationsView()
    qtbot.addWidget(view)
    view.resize(600, HISTOGRAMS_FROM_PX - 100)
    view.show()
    qtbot.waitExposed(view)
    view.set_snapshot(run.snapshot())
    row = view._rows[0]
    assert not view._histograms and float(np.sum(row[5].opts["height"])) == 0.0  # short: none
    view.resize(600, HISTOGRAMS_FROM_PX + 100)
    qtbot.waitUntil(lambda: view._histograms)
    h = view.snapshot.record.layers[row[0]].h
    assert float(np.sum(row[5].opts["height"])) == h.size  # every value of the batch counted


def test_a_plot_with_nothing_to_show_yet_has_a_plain_axis(qtbot):
    import pyqtgraph as pg

    from nnviz.ui.ranges import StickyRange

    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    log_plot, plot = widget.getPlotItem(), pg.PlotItem()
    log_plot.setLogMode(y=True)
    log_range, linear_range = StickyRange(log_plot, log_y=True), StickyRange(plot)
    log_range.update(1.0, [])
    assert log_plot.viewRange()[1] == pytest.approx([-3.0, 0.0])  # 0.001 … 1
    linear_range.update(3, [0.0, 0.0, 0.0], y_floor=0.0)  # all zero: not a 1e-9 axis
    low, high = plot.viewRange()[1]
    assert low == 0.0 and high >= 1.0
    linear_range.update(3, [0.02, 0.5, 0.3], y_floor=0.0)
    assert plot.viewRange()[1][1] >= 0.5


def test_rapid_steps_leave_every_view_on_the_last_one(qtbot, open_window):
    """Steps faster than frames (→ held down): a snapshot that arrives while a frame is
    being painted is the one the remaining views draw, and the views drawn before it are
    drawn again. Before, the frame went on with the older snapshot, and the curves, the
    boundary and every other view stayed at update 3 of 40 while the status bar said 40."""
    window = open_window("circle")
    for _ in range(40):
        window.step()
    qtbot.waitUntil(lambda: window.snapshot.steps_done == 40 and not window.drawing_frame, timeout=10000)
    on_screen = [view for view in window.views.values() if view.is_on_screen()]
    assert len(on_screen) >= 3
    assert {view.view_id: view.drawn.steps_done for view in on_screen} == {view.view_id: 40 for view in on_screen}
    x, _ = window.views["curves"].train_loss.getData()
    assert x[-1] == 40
