"""The lesson panel: the lesson's text and key formula, its "try this" steps as
buttons, and the way to the previous and next lesson."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..engine.notation import pretty
from ..lessons import neighbour
from . import appearance
from .text import breakable


MARGINS = (8, 4, 8, 4)  # a wrapping button's text inside its frame: left, top, right, bottom
TEXT_FLAGS = Qt.TextWordWrap | Qt.AlignLeft | Qt.AlignVCenter


class WrappingButton(QPushButton):
    """A push button whose text wraps over several lines instead of being cut. The
    button paints the text itself (a QLabel inside it was sometimes laid out at zero
    height in the lesson panel's scroll area, and the text vanished)."""

    wraps = True  # (tests: the text is not one line to measure against the width)

    def __init__(self, text: str, parent=None):
        super().__init__(parent)
        self._text = text
        self.setMinimumWidth(1)

    def text(self) -> str:
        return self._text

    def _text_rect(self, width: int, height: int) -> QRect:
        left, top, right, bottom = MARGINS
        return QRect(left, top, max(1, width - left - right), max(1, height - top - bottom))

    def heightForWidth(self, width: int) -> int:
        box = self.fontMetrics().boundingRect(self._text_rect(width, 100_000), TEXT_FLAGS, self._text)
        return box.height() + MARGINS[1] + MARGINS[3] + 4

    def hasHeightForWidth(self) -> bool:
        return True

    def sizeHint(self) -> QSize:
        width = max(self.width(), 200)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(1, self.heightForWidth(max(self.width(), 1)))

    def resizeEvent(self, event):
        super().resizeEvent(event)
        needed = self.heightForWidth(self.width())
        if self.minimumHeight() != needed:
            self.setMinimumHeight(needed)

    def paintEvent(self, event):
        super().paintEvent(event)  # the frame (the button has no text of its own)
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ButtonText))
        painter.drawText(self._text_rect(self.width(), self.height()), TEXT_FLAGS, self._text)
        painter.end()


class LessonPanel(QWidget):
    step_requested = Signal(object)  # LessonStep
    lesson_requested = Signal(str)  # a lesson name

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        appearance.styled(self.title, lambda s: f"font-size: {13 * s:.1f}pt; font-weight: bold;")
        self.text = QLabel()
        self.text.setWordWrap(True)
        appearance.styled(self.text, lambda s: f"font-size: {11 * s:.1f}pt;")
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setTextInteractionFlags(Qt.TextSelectableByMouse)
        appearance.styled(self.formula, lambda s: f"font-size: {11 * s:.1f}pt; font-family: monospace; "
                                                  "background: #eef4fa; border: 1px solid #0072B2; padding: 4px;")
        self.steps_box = QVBoxLayout()
        self.previous = QPushButton()
        self.next = QPushButton()
        self.previous.lesson = self.next.lesson = None  # lesson names, None at the ends
        self.previous.clicked.connect(lambda: self._request(self.previous.lesson))
        self.next.clicked.connect(lambda: self._request(self.next.lesson))
        nav = QHBoxLayout()
        nav.addWidget(self.previous)
        nav.addWidget(self.next)
        for label in (self.title, self.text, self.formula):
            label.setTextFormat(Qt.PlainText)  # lesson files are text, never markup
            label.setMinimumWidth(1)  # wrap to the width the controls give, never widen the dock
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.formula)
        layout.addLayout(self.steps_box)
        layout.addLayout(nav)
        self.step_buttons: list[QPushButton] = []

    def _request(self, name):
        if name is not None:
            self.lesson_requested.emit(name)

    def show_lesson(self, lesson) -> None:
        self.title.setText(breakable(pretty(lesson.title)))
        self.text.setText(breakable(pretty(lesson.text)))
        self.text.setVisible(bool(lesson.text))
        self.formula.setText(breakable(pretty(lesson.formula)))
        self.formula.setVisible(bool(lesson.formula))
        for button in self.step_buttons:
            button.deleteLater()
        self.step_buttons = []
        for k, step in enumerate(lesson.steps, start=1):
            button = WrappingButton(breakable(f"Try this {k}: {pretty(step.text)}"))
            button.clicked.connect(lambda _c=False, s=step: self.step_requested.emit(s))
            self.steps_box.addWidget(button)
            self.step_buttons.append(button)
        for button, offset, arrow in ((self.previous, -1, "◀ "), (self.next, +1, "")):
            name = neighbour(lesson.name, offset)
            button.lesson = name
            button.setVisible(name is not None)
            if name is not None:
                button.setText(f"{arrow}{name}{' ▶' if offset > 0 else ''}")
