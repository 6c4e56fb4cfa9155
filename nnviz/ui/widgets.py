"""Small widget helpers shared by the control panel and the views."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def compact(combo: QComboBox, characters: int = 12) -> QComboBox:
    """As wide as ``characters`` letters whatever its longest item (the list that opens
    is as wide as it needs): the control panel must fit a 1280-pixel screen."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo
