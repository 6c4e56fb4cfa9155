"""The player toolbar: Reset, Play/Pause, Step, Step epoch, and the speed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QStyle, QToolBar

from .worker import MAX_SPEED

SPEEDS = [(1, "1 update/s"), (2, "2 updates/s"), (5, "5 updates/s"), (10, "10 updates/s"),
          (30, "30 updates/s"), (100, "100 updates/s"), (1000, "1,000 updates/s"),
          (MAX_SPEED, "as fast as possible")]

SHORTCUTS = [("Reset", "Ctrl+R"), ("Play / Pause", "Space"), ("Step one update", "Right"),
             ("Step one phase of an update", "Shift+Right"), ("Step one epoch", "Ctrl+Right"),
             ("Rewind one update", "Left")]


class PlayerBar(QToolBar):
    reset_requested = Signal()
    play_toggled = Signal(bool)
    step_requested = Signal()
    phase_requested = Signal()
    epoch_requested = Signal()
    speed_changed = Signal(int)

    def __init__(self, parent=None):
        super().__init__("Player", parent)
        self.setObjectName("player")
        self.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.reset_action = self._action("Reset", "Ctrl+R", self.reset_requested.emit, QStyle.SP_BrowserReload)
        self.play_action = QAction(self._icon(QStyle.SP_MediaPlay), "Play", self, checkable=True)
        self.play_action.setShortcut(QKeySequence(Qt.Key_Space))
        self.play_action.setToolTip("Play / Pause (Space)")
        self.play_action.toggled.connect(self._on_play_toggled)
        self.addAction(self.play_action)
        self.step_action = self._action("Step", "Right", self.step_requested.emit, QStyle.SP_MediaSkipForward)
        self.phase_action = self._action("Phase", "Shift+Right", self.phase_requested.emit,
                                         QStyle.SP_ArrowRight)
        self.phase_action.setToolTip("One phase of an update: forward one layer, the loss, backward "
                                     "one layer, or the parameter update (Shift+Right)")
        self.epoch_action = self._action("Epoch", "Ctrl+Right", self.epoch_requested.emit,
                                         QStyle.SP_MediaSeekForward)
        self.addSeparator()
        self.addWidget(QLabel(" Speed "))
        self.speed = QComboBox()
        for value, label in SPEEDS:
            self.speed.addItem(label, value)
        self.speed.setCurrentIndex(len(SPEEDS) - 1)
        self.speed.currentIndexChanged.connect(lambda _i: self.speed_changed.emit(self.speed.currentData()))
        self.addWidget(self.speed)

    def _icon(self, standard):
        return self.style().standardIcon(standard)

    def _action(self, text, shortcut, slot, icon):
        action = QAction(self._icon(icon), text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{text} ({shortcut})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _on_play_toggled(self, playing: bool):
        self._show_play_state(playing)
        self.play_toggled.emit(playing)

    def _show_play_state(self, playing: bool):
        self.play_action.setText("Pause" if playing else "Play")
        self.play_action.setIcon(self._icon(QStyle.SP_MediaPause if playing else QStyle.SP_MediaPlay))

    def show_playing(self, playing: bool) -> None:
        """Reflect the worker's state without sending a command back."""
        if self.play_action.isChecked() != playing:
            self.play_action.blockSignals(True)
            self.play_action.setChecked(playing)
            self.play_action.blockSignals(False)
            self._show_play_state(playing)

    def speed_value(self) -> int:
        return self.speed.currentData()

    def set_speed_value(self, value: int) -> None:
        index = self.speed.findData(value)
        if index >= 0:
            self.speed.setCurrentIndex(index)
