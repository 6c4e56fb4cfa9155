"""One error type for everything a user hands to nnviz.

Configurations, lessons, sessions, CSV and IDX files, figure sets and command-line
options all fail with a subclass of ``InputError``: a message that names the file
(``source``) and the field, member, row or column (``field``), never a traceback.
``nnviz.cli.main`` prints it as one line and exits 2; the window shows it and keeps
what is open.
"""

from __future__ import annotations


class InputError(ValueError):
    """Something the user gave cannot be used. ``source``: the file (or None);
    ``field``: what in it is wrong (a dotted field, a zip member, "row 3, column x")."""

    def __init__(self, message: str, source: str | None = None, field: str | None = None):
        self.source, self.field, self.problem = source, field, message
        super().__init__(self._compose())

    def _compose(self) -> str:
        parts = [p for p in (self.source, self.field) if p]
        return ": ".join(parts + [self.problem])
