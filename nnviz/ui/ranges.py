"""Plot ranges that move in steps instead of every frame.

A new range re-lays a plot's axes, which costs more than drawing its curves, and
pyqtgraph's auto-range changes ranges while painting, so that a plot fed every frame
is painted twice or keeps repainting (measured: a log-scale plot repainted at the full
frame rate while fed at 10 Hz)."""

from __future__ import annotations

import numpy as np


class StickyRange:
    def __init__(self, plot, log_y: bool = False):
        self.plot = plot
        self.log_y = log_y  # the plot is in log mode: ranges are in log10 units
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
