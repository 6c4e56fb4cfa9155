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
        elif not self._set:
            # nothing to draw yet: a plain axis (0 to 1; 0.001 to 1 in log), not pyqtgraph's
            # default log range with its minor ticks 2 … 9 labelled on top of each other
            self.plot.setYRange(*((-3.0, 0.0) if self.log_y else (0.0, 1.0)), padding=0.0)

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
        if self.log_y:
            span = max(high - low, 0.5)
        elif high > low:
            span = high - low
        else:  # values all alike (all 0 before the first backward pass): room of their size, or 1
            span = abs(high) or 1.0
            high = low + span
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
        self._fixed = None  # the box of the last fixed fit

    def reset(self) -> None:
        self._set = False
        self._fixed = None

    def fit(self, x_low, x_high, y_low, y_high, fixed: bool = False) -> None:
        """Keep [x_low, x_high] × [y_low, y_high] in view (non-finite bounds are ignored);
        ``fixed``: exactly that box, set only when it changes."""
        bounds = np.array([x_low, x_high, y_low, y_high], dtype=float)
        if not np.isfinite(bounds).all():
            return
        if fixed:
            # compared with the last box asked for, not the view range: an aspect-locked
            # plot widens one of its ranges, which would then differ at every frame
            wanted = ((bounds[0], bounds[1]), (bounds[2], bounds[3]))
            if not self._set or wanted != self._fixed:
                self.plot.setRange(xRange=wanted[0], yRange=wanted[1], padding=0.0)
            self._set, self._fixed = True, wanted
            return
        x_view, y_view = (tuple(r) for r in self.plot.viewRange())
        if not self._set:
            x_view = y_view = (np.inf, -np.inf)  # the first fit always sets the range
        x_new = _sticky_span(x_view, bounds[0], bounds[1], self.room)
        y_new = _sticky_span(y_view, bounds[2], bounds[3], self.room)
        if y_new is not None and bounds[2] == 0.0:
            y_new = (0.0, y_new[1])  # counts and other values from 0 start at the axis
        if x_new is not None or y_new is not None:
            self.plot.setRange(xRange=x_new or x_view, yRange=y_new or y_view, padding=0.0)
        self._set, self._fixed = True, None


NICE_STEPS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0)  # × 10ᵏ: steps of at most 1.67×
GROW_ROOM = 1.1  # a bound that grows leaves this much room above the values
SHRINK_ROOM = 1.25  # it shrinks once the values with this much room fit a lower step


def nice_ceiling(value: float) -> float:
    """The smallest of NICE_STEPS × 10ᵏ that is ≥ value (value > 0): a bound a scale
    can be read at."""
    power = 10.0 ** np.floor(np.log10(value))
    for step in NICE_STEPS:
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power


class StickyBound:
    """A colour scale's bound for values that change every frame: a round number that
    grows when the values pass it and shrinks when they fit a lower one with room to
    spare, so that the scale, its colour bar and the bar's axis stay as they are at most
    frames (each change re-lays the colour bar out: measured, the activations view's
    frame took 29–65 ms with bounds fitted every frame and ≤ 20 ms with these), while
    the colours keep using at least half of the scale."""

    def __init__(self):
        self.bound: float | None = None

    def fit(self, largest: float) -> float:
        """largest: the largest |value| now (non-finite or ≤ 0: keep the bound, or 1)."""
        if not (np.isfinite(largest) and largest > 0):
            return self.bound or 1.0
        if self.bound is None or largest > self.bound or nice_ceiling(largest * SHRINK_ROOM) < self.bound:
            self.bound = float(nice_ceiling(largest * GROW_ROOM))
        return self.bound
