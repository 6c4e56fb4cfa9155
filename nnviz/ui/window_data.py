"""The window's data and session actions: the learner's CSV and MNIST files, the
optional MNIST download, and .nnviz sessions."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QFileDialog

from ..engine.config import Config, ConfigError
from ..engine.session import SessionError, load_session
from ..lessons import Lesson


class DataActions:
    """Mixed into MainWindow (uses its config, controls, message bar, worker commands)."""

    def open_session(self, path: str) -> bool:
        """Read and check the file here; only a usable session replaces what is open."""
        try:
            session = load_session(path)
        except SessionError as err:
            self.message_bar.show_message(f"Not opened: {err}", "error")
            return False
        meta = session.meta
        name = os.path.splitext(os.path.basename(path))[0]
        self.lesson = Lesson(name, str(meta.get("title", name)), str(meta.get("text", "")), session.config)
        self.config = session.config
        self.setWindowTitle(f"nnviz — {self.lesson.title}")
        self._show_lesson_text()
        self.controls.set_config(self.config)
        self._generation += 1
        self.player.show_playing(False)
        self._load_session_command.emit(session, self._generation)
        self.message_bar.show_message(f"Opened the session {path} at update {session.state['steps_done']:,}.")
        return True

    def save_session(self, path: str) -> None:
        meta = {"title": self.lesson.title, "text": self.lesson.text, "lesson": self.lesson.name}
        self._save_session_command.emit(path, meta)

    def _on_save_session_requested(self):
        path, _ = QFileDialog.getSaveFileName(self, "Save session", f"{self.lesson.name}.nnviz",
                                              "nnviz sessions (*.nnviz)")
        if path:
            self.save_session(path if path.endswith(".nnviz") else path + ".nnviz")

    def _on_csv_requested(self):
        from .data_dialog import CsvImportDialog

        dialog = CsvImportDialog(parent=self)
        if dialog.exec():
            self.use_data(dialog.selection())

    def _on_mnist_requested(self):
        from .data_dialog import choose_mnist_folder

        folder, problem = choose_mnist_folder(self)
        if problem:
            self.message_bar.show_message(f"Not opened: {problem}", "error")
        elif folder:
            self.use_data({"dataset": "mnist", "path": folder})

    def _on_download_requested(self):
        from PySide6.QtWidgets import QInputDialog

        url, ok = QInputDialog.getText(self, "Download MNIST", "Address of a folder holding the four "
                                       "MNIST .gz files:", text=self.settings.value("mnist/url", ""))
        if not ok or not url:
            return
        folder = QFileDialog.getExistingDirectory(self, "Save the MNIST files into")
        if folder:
            self.settings.setValue("mnist/url", url)
            self.download_mnist(url, folder)

    def download_mnist(self, url: str, folder: str, progress_dialog: bool = True):
        """Download in a thread with a progress bar and Cancel; train on it when it checks out."""
        from PySide6.QtWidgets import QProgressDialog

        from .download import start_download

        self._download_thread, self._downloader = start_download(url, folder, self)
        dialog = QProgressDialog("Downloading MNIST…", "Cancel", 0, 0, self) if progress_dialog else None
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

    def use_data(self, data: dict) -> None:
        """Train on the learner's data (already checked by the dialog): a new model."""
        raw = self.config.to_dict()
        raw["data"].update(data)
        raw["network"]["output"] = "softmax"
        try:
            self.config = Config.from_dict(raw)
        except ConfigError as err:
            self.message_bar.show_message(f"Not applied: {err}", "error")
            return
        self.controls.set_config(self.config)
        self.reset(f"Training on {data.get('path')}: a new model.")

