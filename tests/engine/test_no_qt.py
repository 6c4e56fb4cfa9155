"""The engine must stay usable without Qt: importing any of its modules (and the
views' Qt-free helpers in nnviz.ui.logic) loads no Qt module."""

import pkgutil
import subprocess
import sys

import nnviz.engine
import nnviz.ui.logic

QT_PACKAGES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "pyqtgraph")


def all_modules(package) -> list[str]:
    return [package.__name__] + [info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]


def test_every_engine_module_is_walked():
    names = all_modules(nnviz.engine)
    assert "nnviz.engine.run" in names and "nnviz.engine.layers.dense" in names
    assert len(names) >= 30


def test_importing_any_engine_module_loads_no_qt_or_pyqtgraph():
    modules = all_modules(nnviz.engine) + all_modules(nnviz.ui.logic) + ["nnviz.lessons", "nnviz.files"]
    code = (f"import importlib, sys\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
            f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r}]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the engine imported: {out.stdout}"
