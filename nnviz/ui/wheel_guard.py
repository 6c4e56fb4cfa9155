"""The mouse wheel scrolls the panel it is over; it never changes a spin box or a combo
box the learner did not click first (scrolling the control panel over "Points" once
rebuilt the model and threw away thousands of trained updates)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class WheelGuard(QObject):
    """An application-wide event filter: a wheel event over an unfocused spin box or
    combo box goes to its parent instead (the scroll area scrolls)."""

    def eventFilter(self, watched, event):
        if event.type() != QEvent.Wheel or not isinstance(watched, (QAbstractSpinBox, QComboBox)):
            return False
        if watched.hasFocus():
            return False  # clicked first: the wheel changes the value, as the learner expects
        parent = watched.parentWidget()
        if parent is not None:
            QCoreApplication.sendEvent(parent, event)
        return True


_GUARD: WheelGuard | None = None


def protect(root: QWidget) -> None:
    """Every spin box and combo box in ``root`` (and ``root`` itself): the wheel reaches
    them only once they have focus (a click or Tab), never by passing over them. Only
    these widgets get the filter: an application-wide one would run Python for every
    event the GUI handles."""
    global _GUARD
    if _GUARD is None:
        _GUARD = WheelGuard(QCoreApplication.instance())
    widgets = root.findChildren(QAbstractSpinBox) + root.findChildren(QComboBox)
    if isinstance(root, (QAbstractSpinBox, QComboBox)):
        widgets.append(root)
    for widget in widgets:
        widget.setFocusPolicy(Qt.StrongFocus)
        widget.removeEventFilter(_GUARD)  # once per widget, however often protect() runs
        widget.installEventFilter(_GUARD)
