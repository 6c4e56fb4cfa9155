"""The window's data and session actions: the learner's CSV and MNIST files, the
optional MNIST download, and .nnviz sessions."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from ..lessons import Lesson


class DataActions(QObject):
    """Sessions and the learner's data files for a MainWindow: uses its lesson,
    ``apply_changes``, ``show_lesson``, client, settings and message bar. A QObject so
    that the download thread's signals arrive in the GUI thread."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.message_bar = window.message_bar
        self._download_thread = self._downloader = None

    def open_session(self, path: str) -> bool:
        """The worker reads the session into a new run; only a usable one replaces what is
        open (``on_session_opened``), otherwise the work on screen goes on untouched."""
        self.window.player.show_playing(False)
        self.window.client.open_session(path)
        return True

    def on_session_opened(self, opened) -> None:
        path, config, meta = opened
        name = os.path.splitext(os.path.basename(path))[0]
        title, text = meta.get("title", name), meta.get("text", "")
        lesson = Lesson(name, title if isinstance(title, str) else name, text if isinstance(text, str) else "",
                        config)
        self.window.remember_for_undo()
        self.window.show_lesson(lesson)
        self.message_bar.show_message(f"Opened the session {path} (Ctrl+Z brings back what was open).")

    def save_session(self, path: str) -> None:
        lesson = self.window.lesson
        self.window.client.save_session(path, {"title": lesson.title, "text": lesson.text, "lesson": lesson.name})

    def on_save_session_requested(self):
        path, _ = QFileDialog.getSaveFileName(self.window, "Save session", f"{self.window.lesson.name}.nnviz",
                                              "nnviz sessions (*.nnviz)")
        if path:
            self.save_session(path if path.endswith(".nnviz") else path + ".nnviz")

    def on_csv_requested(self):
        from .data_dialog import CsvImportDialog

        dialog = CsvImportDialog(parent=self.window)
        if dialog.exec():
            self.use_data(dialog.selection())

    def on_mnist_requested(self):
        from .data_dialog import choose_mnist_folder

        folder, problem = choose_mnist_folder(self.window)
        if problem:
            self.message_bar.show_message(f"Not opened: {problem}", "error")
        elif folder:
            self.use_data({"dataset": "mnist", "path": folder})

    def on_download_requested(self):
        from PySide6.QtWidgets import QInputDialog

        settings = self.window.settings
        url, ok = QInputDialog.getText(self.window, "Download MNIST", "Address of a folder holding the four "
                                       "MNIST .gz files:", text=settings.value("mnist/url", ""))
        if not ok or not url:
            return
        folder = QFileDialog.getExistingDirectory(self.window, "Save the MNIST files into")
        if folder:
            settings.setValue("mnist/url", url)
            self.download_mnist(url, folder)

    def download_mnist(self, url: str, folder: str, progress_dialog: bool = True):
        """Download in a thread with a progress bar and Cancel; train on it when it checks out."""
        from PySide6.QtWidgets import QProgressDialog

        from .download import start_download

        self._download_thread, self._downloader = start_download(url, folder, self.window)
        dialog = QProgressDialog("Downloading MNIST…", "Cancel", 0, 0, self.window) if progress_dialog else None
        if dialog is not None:
            dialog.canceled.connect(self._downloader.cancel)
            self._downloader.progress.connect(self._on_download_progress)
            self._download_dialog = dialog
            dialog.show()
        self._download_folder = folder
        # bound methods only: a lambda would run in the download thread and touch widgets there
        self._downloader.finished.connect(self._on_download_finished)
        self._downloader.cancelled.connect(self._on_download_cancelled)
        self._download_thread.start()

    def _on_download_progress(self, done: int, expected: int):
        dialog = getattr(self, "_download_dialog", None)
        if dialog is not None:
            if expected and dialog.maximum() != expected:
                dialog.setRange(0, expected)
            dialog.setValue(min(done, expected) if expected else 0)
            dialog.setLabelText(f"Downloading MNIST… {done / 2**20:.1f} of {expected / 2**20:.1f} MB")

    def _on_download_cancelled(self):
        self._close_download_dialog()
        self.message_bar.show_message(f"Download cancelled; nothing in {self._download_folder} changed.", "info")

    def _on_download_finished(self, problem: str):
        from .data_dialog import check_mnist_folder

        folder = self._download_folder
        self._close_download_dialog()
        problem = problem or check_mnist_folder(folder)
        if problem:
            self.message_bar.show_message(f"Not opened: {problem}", "error")
            return
        self.use_data({"dataset": "mnist", "path": folder})

    def _close_download_dialog(self):
        dialog = getattr(self, "_download_dialog", None)
        if dialog is not None:
            dialog.close()
            self._download_dialog = None

    def use_data(self, data: dict) -> bool:
        """Train on the learner's data (already checked by the dialog): a new model."""
        changes = {f"data.{key}": value for key, value in data.items()}
        changes["network.output"] = "softmax"
        return self.window.apply_changes(changes, f"Training on {data.get('path')}: a new model.")

    def stop_download(self):
        """Closing the window: cancel a download and wait for its thread (it checks
        between chunks)."""
        thread = self._download_thread
        if thread is not None and thread.isRunning():
            self._downloader.cancel()
            thread.wait(3000)

