"""Where nnviz's own files are: the lessons and the bundled data of ``resources/``.

Installed (``pip install .`` or ``-e .``), they are the package ``nnviz.resources``;
run straight from a source checkout without installing, they are the ``resources/``
folder beside the ``nnviz/`` package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_files():
    """A Traversable of the resources folder (``.joinpath("lessons")``, …)."""
    try:
        return resources.files("nnviz.resources")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"
