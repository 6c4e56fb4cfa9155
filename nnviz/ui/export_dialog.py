"""The Export dialog of a view, and the dock title bar that offers it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QSpinBox, QStyle, QToolButton, QWidget)

from .export import FIGURE_FORMATS, FORMATS

DESCRIPTIONS = {"png": "PNG image", "svg": "SVG (vector: text as text, curves as paths)",
                "pdf": "PDF (vector, for LaTeX/Beamer)", "csv": "CSV of the data drawn",
                "tex": "LaTeX: pgfplots/TikZ .tex and the CSV it reads"}


def formats_of(view) -> tuple:
    """The formats ``view`` can be exported in (CSV always; figures if it draws one)."""
    from .export_tex import tex_writer

    figure = view.export_item() is not None
    return tuple(f for f in FORMATS if (f in FIGURE_FORMATS and figure) or f == "csv"
                 or (f == "tex" and tex_writer(view) is not None))


class ExportDialog(QDialog):
    """Format, width, background and theme; the file name is asked for afterwards."""

    def __init__(self, title: str, parent=None, formats=FORMATS):
        super().__init__(parent)
        self.setWindowTitle(f"Export {title}")
        self.format = QComboBox()
        for fmt in formats:
            self.format.addItem(DESCRIPTIONS[fmt], fmt)
        self.width = QSpinBox(minimum=200, maximum=10000, value=2400, suffix=" px")
        self.transparent = QCheckBox("transparent background")
        self.projector = QCheckBox("projector theme (slide layout: large fonts, thick lines)")
        self.projector.setChecked(True)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("PNG width", self.width)
        form.addRow("", self.transparent)
        form.addRow("", self.projector)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def options(self) -> dict:
        return {"fmt": self.format.currentData(), "width": self.width.value(),
                "transparent": self.transparent.isChecked(), "projector": self.projector.isChecked()}


class DockTitleBar(QWidget):
    """A dock's title with Export…, float and close buttons."""

    export_requested = Signal()

    def __init__(self, dock, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 1, 2, 1)
        self.title = QLabel(dock.windowTitle())
        self.title.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.title)
        for widget in getattr(dock.widget(), "header_widgets", ()):
            layout.addWidget(widget)
        layout.addStretch(1)
        export = QToolButton(text="Export")
        export.setToolTip("Export this view: PNG, SVG, PDF, CSV or LaTeX")
        export.clicked.connect(self.export_requested)
        layout.addWidget(export)
        for icon, tip, slot in ((QStyle.SP_TitleBarNormalButton, "Float", lambda: dock.setFloating(not dock.isFloating())),
                                (QStyle.SP_TitleBarCloseButton, "Close", dock.close)):
            button = QToolButton()
            button.setIcon(self.style().standardIcon(icon))
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            layout.addWidget(button)
