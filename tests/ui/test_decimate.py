import numpy as np

from nnviz.ui.logic.decimate import MAX_POINTS, decimate


def test_long_series_are_thinned_keeping_the_last_point():
    x = np.arange(10_000)
    y = x * 2.0
    dx, dy = decimate(x, y)
    assert len(dx) <= MAX_POINTS and dx[-1] == 9_999 and np.array_equal(dy, dx * 2.0)
    assert np.all(np.diff(dx) == np.diff(dx)[0])


def test_short_series_are_untouched():
    x = np.arange(10)
    assert decimate(x)[0] is x


def test_history_rows_stay_bounded_and_recent_rows_stay_whole():
    from nnviz.engine.history import History

    history = History(capacity=16)
    history.MAX_ROWS = 100
    for k in range(1000):
        history.append({"step": float(k), "pct": np.full(5, float(k))})
    view = history.view()
    assert view.length <= 100
    assert view.step[-1] == 999 and np.all(np.diff(view.step[-40:]) == 1)  # the recent rows are all there
    assert np.all(np.diff(view.step) > 0) and view.get("pct")[-1, 0] == 999
