"""The window's export actions: one view through the Export dialog, or every view on
screen as a figure set with the JSON that regenerates it."""

from __future__ import annotations

import json
import os

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QProgressDialog, QSpinBox)

from ..files import atomic_write_text
from .animation import captioned, default_format, frame_caption, mp4_available, view_frame, write_animation
from .export import ExportError, UnavailableView, export_view, refuse_unavailable
from .export_dialog import ExportDialog, formats_of


class ViewExportActions:
    """One view through the Export dialog, for any window with views (the main window,
    the perceptron lab): uses its message bar, status bar and ``figure_stem(view)``."""

    def figure_stem(self, view) -> str:
        return figure_stem(self, view)

    def export_with_dialog(self, view):
        try:
            refuse_unavailable(view)  # before any dialog: nothing to choose, nothing written
        except UnavailableView as err:
            self.message_bar.show_message(f"Not exported: {err}.", "error")
            return
        dialog = ExportDialog(view.title, self, formats_of(view))
        if not dialog.exec():
            return
        options = dialog.options()
        name = f"{self.figure_stem(view)}.{options['fmt']}"
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


class ExportActions(ViewExportActions):
    """Mixed into MainWindow (uses its snapshot, lesson, views and message bar)."""

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
            if view.is_on_screen() and view.export_item() is not None \
                    and not type(view).unavailable_reason(snap):
                written += self.export(view, os.path.join(folder, f"{figure_stem(self, view)}.{fmt}"), fmt)
        manifest = {"lesson": self.lesson.name, "title": self.lesson.title, "update": snap.steps_done,
                    "views": [v.view_id for v in self.views.values() if v.is_on_screen()],
                    "config": snap.config.to_dict()}
        path = os.path.join(folder, f"{self.lesson.name}-figures-update{snap.steps_done}.json")
        try:
            atomic_write_text(path, json.dumps(manifest, indent=2))
        except OSError as err:
            self.message_bar.show_message(f"Not written: {path}: {err.strerror or err}", "error")
            return written
        return written + [path]


def figure_stem(window, view) -> str:
    """``<lesson>-<view>-update<k>``, the name every exported figure gets."""
    k = window.snapshot.steps_done if window.snapshot is not None else 0
    return f"{window.lesson.name}-{view.view_id}-update{k}"



class RecordDialog(QDialog):
    """What to record: which view (or the whole window), how many updates, every k-th, fps."""

    def __init__(self, views, rewound_to_end: int | None, parent=None, snapshot=None):
        super().__init__(parent)
        self.setWindowTitle("Record an animation")
        self.target = QComboBox()
        self.target.addItem("the whole window", None)
        for view in views:
            applies = snapshot is None or not type(view).unavailable_reason(snapshot)
            if view.export_item() is not None and applies:
                self.target.addItem(view.title, view.view_id)
        default = rewound_to_end if rewound_to_end is not None else 200
        self.updates = QSpinBox(minimum=1, maximum=1_000_000, value=default)
        self.every = QSpinBox(minimum=1, maximum=100_000, value=max(1, default // 50))
        self.fps = QDoubleSpinBox(minimum=0.5, maximum=50, value=10, decimals=1)
        self.width = QSpinBox(minimum=200, maximum=2400, value=800, suffix=" px")
        form = QFormLayout(self)
        form.addRow("Record", self.target)
        form.addRow("the next" if rewound_to_end is None else "the recorded", self.updates)
        form.addRow("a frame every", self.every)
        form.addRow("frames per second", self.fps)
        form.addRow("width", self.width)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class AnimationRecorder:
    """Mixed into MainWindow: frames of the next N updates (or of a rewound range, by
    seeking forward through it) into an animated GIF, with a progress bar and Cancel."""

    def record_with_dialog(self):
        first, last, viewing = (self.snapshot.timeline.first, self.snapshot.timeline.last,
                                self.snapshot.timeline.viewing)
        dialog = RecordDialog(list(self.views.values()), None if viewing is None else last - viewing, self,
                              self.snapshot)
        if not dialog.exec():
            return
        target = dialog.target.currentData()
        kinds = "MP4 video (*.mp4);;Animated GIF (*.gif)" if mp4_available() else "Animated GIF (*.gif)"
        path, _ = QFileDialog.getSaveFileName(self, "Save animation",
                                              f"{self.lesson.name}-{target or 'window'}.{default_format()}", kinds)
        if path:
            self.record_animation(path, target, dialog.updates.value(), dialog.every.value(),
                                  dialog.fps.value(), dialog.width.value())

    def record_animation(self, path, view_id, updates, every, fps=10.0, width=800, progress=True) -> bool:
        """Record; True when the animation was written (False: cancelled or failed, no
        file). MP4 when ``path`` ends in .mp4 (and imageio-ffmpeg is installed), else GIF."""
        frames_total = updates // every + 1
        dialog = QProgressDialog("Recording…", "Cancel", 0, frames_total, self) if progress else None
        frames = [self._frame_image(view_id, width)]
        start, rewound = self.snapshot.steps_done, self.snapshot.timeline.viewing is not None
        for n in range(1, frames_total):
            if dialog is not None:
                dialog.setValue(n)
                if dialog.wasCanceled():
                    self.message_bar.show_message("Recording cancelled; nothing was written.", "info")
                    return False
            target = start + n * every
            if rewound:
                self.client.seek(target)
            else:
                self.client.advance(every)
            if not self._wait_for_update(target):
                self.message_bar.show_message("Recording stopped: training did not reach update "
                                              f"{target:,}.", "warning")
                return False
            frames.append(self._frame_image(view_id, width))
        if dialog is not None:
            dialog.setValue(frames_total)
        fmt = "mp4" if path.lower().endswith(".mp4") and mp4_available() else "gif"
        try:
            write_animation(path, frames, fps, fmt)
        except (OSError, ExportError) as err:
            self.message_bar.show_message(f"Not written: {path}: {getattr(err, 'strerror', None) or err}", "error")
            return False
        self.statusBar().showMessage(f"Recorded {len(frames)} frames to {path}", 5000)
        return True

    def _frame_image(self, view_id, width):
        """One frame, the update number and epoch on its caption strip."""
        if view_id is None:
            image = self.grab().toImage().scaledToWidth(width, Qt.SmoothTransformation)
            return captioned(image, frame_caption(self.snapshot))
        return view_frame(self.views[view_id], width, projector=False)

    def _wait_for_update(self, target: int, timeout_ms: int = 60_000) -> bool:
        """Run the event loop until a snapshot of update ``target`` has been drawn."""
        loop = QEventLoop()
        done = {"ok": False}

        def on_snapshot(snap):
            # the worker answers each advance/seek with one snapshot: this is it
            done["ok"] = snap.steps_done == target
            loop.quit()
        self.snapshot_shown.connect(on_snapshot)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        self.snapshot_shown.disconnect(on_snapshot)
        return done["ok"]
