"""Guards for the two PySide6 facts in DESIGN.md, so a version bump cannot bring them back."""

import sys
import xml.etree.ElementTree as ET

import pyqtgraph as pg
import pyqtgraph.exporters
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_signal_emit_does_not_leak_references_to_true():
    # PySide6 6.12.0 on CPython 3.11 loses a reference to True per emit and aborts
    # after ~1,000 emits (Fatal Python error: bool_dealloc).
    emitter = _Emitter()
    received = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(1000):
        emitter.fired.emit(i)
    after = sys.getrefcount(True)
    assert len(received) == 1000
    assert abs(after - before) < 50, f"refcount of True moved by {after - before} over 1,000 emits"


def test_svg_export_of_a_plot_works(tmp_path):
    # pyqtgraph's SVGExporter breaks with PySide6 >= 6.11 (closed paths ending in Z).
    widget = pg.PlotWidget()
    widget.plot([0, 1, 2, 3], [1, 3, 2, 4], pen="b")
    widget.plot([0, 1, 2], [2, 2, 1], pen=None, symbol="o")
    widget.resize(400, 300)
    path = tmp_path / "plot.svg"
    pg.exporters.SVGExporter(widget.getPlotItem()).export(str(path))
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 0
