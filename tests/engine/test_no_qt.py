"""The engine must stay usable without Qt: importing it loads no Qt module."""

import subprocess
import sys


def test_importing_the_engine_loads_no_qt_or_pyqtgraph():
    code = ("import sys, nnviz.engine, nnviz.engine.config, nnviz.lessons\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6', 'PyQt5', 'PyQt6', 'pyqtgraph')]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the engine imported: {out.stdout}"
