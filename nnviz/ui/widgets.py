"""Small widget helpers shared by the control panel and the views."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QScrollArea, QWidget


def compact(combo: QComboBox, characters: int = 12) -> QComboBox:
    """As wide as ``characters`` letters whatever its longest item (the list that opens
    is as wide as it needs): the control panel must fit a 1280-pixel screen."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo


def scrolling(widget: QWidget, vertically: bool = True, framed: bool = True) -> QScrollArea:
    """``widget`` in a scroll area that fits it to its width (``vertically``) or its
    height and scrolls the other way once the widget's minimum no longer fits."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(widget)
    if vertically:
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    else:
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    if not framed:  # a view's plots: no box drawn around them
        scroll.setFrameShape(QFrame.NoFrame)
    return scroll
