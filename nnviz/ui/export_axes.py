"""Log axes of exported figures labelled at whole decades.

pyqtgraph labels a log axis at 2×, 3×, … 9× of every decade as well; at projector
font sizes those labels run into each other ("0.08 0.09 0.1" printed over one
another). An exported figure gets labels at the decades only (and at 2× and 5× when
fewer than two decades are in view), with unlabelled minor ticks between them."""

from __future__ import annotations

import contextlib
import math

import pyqtgraph as pg

from .export_style import descendants

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@contextlib.contextmanager
def readable_log_ticks(root):
    axes = [a for a in descendants(root) if isinstance(a, pg.AxisItem) and a.logMode and a.isVisible()]
    for axis in axes:
        low, high = sorted(axis.range)
        axis.setTicks(log_ticks(low, high))
    try:
        yield
    finally:
        for axis in axes:
            axis.setTicks(None)


def log_ticks(low: float, high: float) -> list[list[tuple[float, str]]]:
    """Tick levels for a log axis showing log10 values ``low`` … ``high``: decades with
    labels, then (labelled only when fewer than two decades show) 2× and 5×, then the
    other multiples, labelled only when the axis would otherwise have fewer than two
    labels (0.11 … 0.3 showed "0.2" alone)."""
    first, last = math.floor(low), math.ceil(high)
    decades = [k for k in range(first, last + 1) if low - 1e-9 <= k <= high + 1e-9]
    label_halves = len(decades) < 2
    halves, others = [], []
    for k in range(first, last + 1):
        for m in range(2, 10):
            position = k + math.log10(m)
            if not low <= position <= high:
                continue
            if m in (2, 5):
                halves.append((position, _multiple_label(m, k) if label_halves else ""))
            else:
                others.append((position, _multiple_label(m, k)))
    labelled = len(decades) + sum(1 for _, label in halves if label)
    if labelled >= 2:
        others = [(position, "") for position, _ in others]
    return [[(k, decade_label(k)) for k in decades], halves, others]


def decade_label(k: int) -> str:
    """10^k as people write it on a slide: 0.001 … 1000, then 10⁴, 10⁻⁴."""
    if -3 <= k <= 3:
        return f"{10.0 ** k:.{max(0, -k)}f}"
    return "10" + str(k).translate(SUPERSCRIPT)


def _multiple_label(m: int, k: int) -> str:
    return f"{m * 10.0 ** k:.{max(0, -k)}f}" if -3 <= k <= 3 else f"{m}·{decade_label(k)}"
