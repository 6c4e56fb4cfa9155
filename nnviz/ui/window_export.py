"""The window's export actions: one view through the Export dialog, or every view on
screen as a figure set with the JSON that regenerates it."""

from __future__ import annotations

import json
import os

from PySide6.QtWidgets import QFileDialog

from ..files import atomic_write_text
from .export import ExportError, export_view
from .export_dialog import ExportDialog


class ExportActions:
    """Mixed into MainWindow (uses its snapshot, lesson, views and message bar)."""

    def export_with_dialog(self, view):
        dialog = ExportDialog(view.title, self)
        if not dialog.exec():
            return
        options = dialog.options()
        name = f"{figure_stem(self, view)}.{options['fmt']}"
        path, _ = QFileDialog.getSaveFileName(self, f"Export {view.title}", name)
        if path:
            self.export(view, path, **options)

    def export(self, view, path, fmt, **options) -> list[str]:
        """Export one view; a failure is reported, never raised into the event loop."""
        try:
            written = export_view(view, path, fmt, **options)
        except (ExportError, ValueError) as err:
            self.message_bar.show_message(f"Not exported: {err}", "error")
            return []
        self.statusBar().showMessage(f"Exported {', '.join(written)}", 5000)
        return written

    def _on_figure_set_requested(self):
        folder = QFileDialog.getExistingDirectory(self, "Export figure set into")
        if folder:
            self.export_figure_set(folder)

    def export_figure_set(self, folder: str, fmt: str = "png") -> list[str]:
        """Every view on screen as ``<lesson>-<view>-update<k>.<fmt>``, and a JSON file
        with what regenerates them (configuration, seeds, update number)."""
        snap = self.snapshot
        written = []
        for view in self.views.values():
            if view.is_on_screen() and view.export_item() is not None:
                written += self.export(view, os.path.join(folder, f"{figure_stem(self, view)}.{fmt}"), fmt)
        manifest = {"lesson": self.lesson.name, "title": self.lesson.title, "update": snap.steps_done,
                    "views": [v.view_id for v in self.views.values() if v.is_on_screen()],
                    "config": snap.config.to_dict()}
        path = os.path.join(folder, f"{self.lesson.name}-figures-update{snap.steps_done}.json")
        try:
            atomic_write_text(path, json.dumps(manifest, indent=2))
        except OSError as err:
            self.message_bar.show_message(f"Not written: {path}: {err.strerror}", "error")
            return written
        return written + [path]


def figure_stem(window, view) -> str:
    """``<lesson>-<view>-update<k>``, the name every exported figure gets."""
    k = window.snapshot.steps_done if window.snapshot is not None else 0
    return f"{window.lesson.name}-{view.view_id}-update{k}"

