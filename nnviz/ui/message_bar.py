"""A dismissable banner above the central view: visible on a projector, never modal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from . import appearance
from .text import breakable

STYLES = {
    "info": "background:#e8f1fa; color:#0b3a5e; border:1px solid #0072B2;",
    "warning": "background:#fdf1dc; color:#5a3b00; border:1px solid #E69F00;",
    "error": "background:#fbe3d6; color:#5e1f00; border:1px solid #D55E00;",
}


class MessageBar(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.PlainText)  # file names and lesson titles are text, never markup
        self.label.setMinimumWidth(1)  # a long message wraps; it never widens the window
        self.details_button = QPushButton("Details…")
        self.details_button.clicked.connect(self._on_details_clicked)
        close = QPushButton("✕")
        close.setFlat(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.details_button)
        layout.addWidget(close)
        self._details = ""
        self._text = ""
        self.level = "info"
        self.setAttribute(Qt.WA_StyledBackground, True)  # let the style sheet paint it
        self.hide()

    def show_message(self, text: str, level: str = "info", details: str = "") -> None:
        self.level = level
        self.label.setText(breakable(text))
        self._text = text
        appearance.styled(self, lambda s: f"MessageBar {{{STYLES[level]}}} QLabel {{font-size: {11 * s:.1f}pt;}}")
        self._details = details
        self.details_button.setVisible(bool(details))
        self.show()

    def text(self) -> str:
        return self._text if self.isVisible() else ""

    def _on_details_clicked(self):
        box = QMessageBox(QMessageBox.Warning, "nnviz", self._text, parent=self)
        box.setTextFormat(Qt.PlainText)
        box.setDetailedText(self._details)
        box.open()
