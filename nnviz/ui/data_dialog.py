"""Bringing the learner's data: a CSV file (columns, label, preview, checks) or a
folder of MNIST IDX files. Problems are shown in the dialog, which stays open; only
data that loads reaches the window."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ..engine.datasets import csv_dataset, mnist_dataset
from ..engine.real_data import DataFileError, read_csv_table

PREVIEW_ROWS = 12


class CsvImportDialog(QDialog):
    """Pick the feature columns and the label column of a CSV file."""

    def __init__(self, path: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import CSV data")
        self.path = QLineEdit(path)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._on_browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.columns_box = QWidget()
        self.columns_grid = QGridLayout(self.columns_box)
        self.label = QComboBox()
        self.standardize = QCheckBox("standardise the features (mean 0, standard deviation 1)")
        self.standardize.setChecked(True)
        self.preview = QTableWidget()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #9a3a00; font-weight: bold;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("File", row)
        form.addRow("Features", self.columns_box)
        form.addRow("Label", self.label)
        form.addRow("", self.standardize)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(f"The first {PREVIEW_ROWS} rows:"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.checks: dict[str, QCheckBox] = {}
        self.dataset = None
        self.path.editingFinished.connect(self.load_header)
        if path:
            self.load_header()
        self.resize(760, 560)

    def _on_browse(self):
        path, _ = QFileDialog.getOpenFileName(self, "CSV file", "", "CSV (*.csv *.txt);;All files (*)")
        if path:
            self.path.setText(path)
            self.load_header()

    def load_header(self) -> bool:
        try:
            header, rows = read_csv_table(self.path.text(), max_rows=PREVIEW_ROWS)
        except DataFileError as err:
            self.problem.setText(str(err))
            return False
        self.problem.setText("")
        for box in self.checks.values():
            box.deleteLater()
        self.checks = {}
        for k, name in enumerate(header):
            box = QCheckBox(name)
            box.setChecked(k < len(header) - 1)  # by default: every column but the last
            self.columns_grid.addWidget(box, k // 4, k % 4)
            self.checks[name] = box
        self.label.clear()
        self.label.addItems(header)
        self.label.setCurrentIndex(len(header) - 1)
        self.preview.setColumnCount(len(header))
        self.preview.setHorizontalHeaderLabels(header)
        self.preview.setRowCount(min(PREVIEW_ROWS, len(rows)))
        for r, row in enumerate(rows[:PREVIEW_ROWS]):
            for c, cell in enumerate(row[:len(header)]):
                self.preview.setItem(r, c, QTableWidgetItem(cell))
        return True

    def selection(self) -> dict:
        label = self.label.currentText()
        return {"dataset": "csv", "path": self.path.text(), "label": label,
                "columns": [n for n, box in self.checks.items() if box.isChecked() and n != label],
                "standardize": self.standardize.isChecked()}

    def _on_accept(self):
        if self.try_load():
            self.accept()

    def try_load(self) -> bool:
        """Load with the choices made; a problem is shown here (row and column named)."""
        s = self.selection()
        try:
            self.dataset = csv_dataset(s["path"], s["columns"], s["label"], s["standardize"])
        except DataFileError as err:
            self.problem.setText(str(err))
            return False
        d = self.dataset
        plane = "the decision boundary applies" if d.is_plane else \
            f"{d.X_train.shape[1]} features: no decision boundary (it needs exactly two)"
        self.problem.setText(f"{len(d.X_train) + len(d.X_test)} rows, {d.n_classes} classes; {plane}.")
        return True


def choose_mnist_folder(parent) -> tuple[str, str]:
    """Ask for the folder of MNIST's IDX files; (folder, problem or '')."""
    folder = QFileDialog.getExistingDirectory(parent, "Folder with MNIST's four IDX files (.gz or not)")
    if not folder:
        return "", ""
    return folder, check_mnist_folder(folder)


def check_mnist_folder(folder: str) -> str:
    try:
        mnist_dataset(folder)
    except DataFileError as err:
        return str(err)
    return ""
