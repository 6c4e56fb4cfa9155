"""Plot ranges that move in steps instead of every frame.

A new range re-lays a plot's axes, which costs more than drawing its curves, and
pyqtgraph's auto-range changes ranges while painting, so that a plot fed every frame
is painted twice or keeps repainting (measured: a log-scale plot repainted at the full
frame rate while fed at 10 Hz)."""

from __future__ import annotations

import numpy as np

from . import theme


class StickyRange:
    def __init__(self, plot, log_y: bool = False):
        self.plot = plot
        self.log_y = log_y  # the plot is in log mode: ranges are in log10 units
        theme.count_axis(plot.getAxis("bottom"))  # x counts updates
        plot.disableAutoRange()
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        self._set = False  # a range was set since the last reset()
        #: exporting: x ends at the data and y fits it, no room to grow, no hysteresis
        self.tight = False

    def reset(self) -> None:
        self._set = False

    def update(self, x_max: float, y_values, y_floor: float | None = None) -> None:
        """Fit x to [0, x_max] and y to the finite values (and y_floor, if given)."""
        self._fit_x(float(x_max))
        values = np.asarray(y_values, dtype=float).ravel()
        values = values[np.isfinite(values)]
        if self.log_y:
            values = np.log10(values[values > 0])
        if values.size:
            self._fit_y(float(values.min()), float(values.max()), y_floor)

    def _fit_x(self, x_max):
        if self.tight:
            self.plot.setXRange(0, max(x_max, 1.0), padding=0.0)
            return
        top = self.plot.viewRange()[0][1]
        if not self._set or x_max > top or x_max < top / 4:
            self.plot.setXRange(0, max(x_max * 1.5, 10.0), padding=0.0)

    def _fit_y(self, low, high, floor):
        if floor is not None and not self.log_y:
            low = min(low, floor)
        span = max(high - low, 1e-9 if not self.log_y else 0.5)
        view_low, view_high = self.plot.viewRange()[1]
        stale = high > view_high or low < view_low or (view_high - view_low) > 4 * span
        if stale or not self._set or self.tight:
            bottom = low if (floor is not None and low == floor) else low - 0.1 * span
            self.plot.setYRange(bottom, high + 0.1 * span, padding=0.0)
        self._set = True


def _sticky_span(view: tuple, low: float, high: float, room: float = 0.1):
    """The new (low, high) of one axis, or None to keep ``view``: it changes when the
    data leave it or fill less than a quarter of it, and then with ``room`` to spare."""
    span = max(high - low, 1e-12)
    view_low, view_high = view
    if low >= view_low and high <= view_high and (view_high - view_low) <= 4 * span:
        return None
    return low - room * span, high + room * span


class StickyBox:
    """Both axes of a plot fed every frame (histograms, distributions), moved in steps
    as StickyRange does; ``fit`` also takes a fixed range (an image's cells)."""

    def __init__(self, plot, room: float = 0.1):
        self.plot, self.room = plot, room
        plot.disableAutoRange()
        self._set = False

    def reset(self) -> None:
        self._set = False

    def fit(self, x_low, x_high, y_low, y_high, fixed: bool = False) -> None:
        """Keep [x_low, x_high] × [y_low, y_high] in view (non-finite bounds are ignored);
        ``fixed``: exactly that box, set only when it changes."""
        bounds = np.array([x_low, x_high, y_low, y_high], dtype=float)
        if not np.isfinite(bounds).all():
            return
        x_view, y_view = (tuple(r) for r in self.plot.viewRange())
        if fixed:
            wanted = ((bounds[0], bounds[1]), (bounds[2], bounds[3]))
            if not self._set or wanted != (x_view, y_view):
                self.plot.setRange(xRange=wanted[0], yRange=wanted[1], padding=0.0)
            self._set = True
            return
        if not self._set:
            x_view = y_view = (np.inf, -np.inf)  # the first fit always sets the range
        x_new = _sticky_span(x_view, bounds[0], bounds[1], self.room)
        y_new = _sticky_span(y_view, bounds[2], bounds[3], self.room)
        if y_new is not None and bounds[2] == 0.0:
            y_new = (0.0, y_new[1])  # counts and other values from 0 start at the axis
        if x_new is not None or y_new is not None:
            self.plot.setRange(xRange=x_new or x_view, yRange=y_new or y_view, padding=0.0)
        self._set = True
