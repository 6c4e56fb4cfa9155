"""The player toolbar: Reset, Play/Pause, Step, Step epoch, and the speed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QStyle, QToolBar

from .worker import MAX_SPEED

SPEEDS = [1, 2, 5, 10, 20, 30, 50, 100, 300, 1000, MAX_SPEED]  # updates per second

SHORTCUTS = [("Reset", "Ctrl+R"), ("Play / Pause", "Space"), ("Step one update", "Right"),
             ("Step one phase of an update", "Shift+Right"), ("Step one epoch", "Ctrl+Right"),
             ("As fast as possible / the lesson's pace", "F"), ("Rewind one update", "Left"),
             ("Back / forward one epoch on the timeline", "PgUp / PgDown"),
             ("Go to an update", "Ctrl+G"), ("Undo a rebuild (brings the trained model back)", "Ctrl+Z"),
             ("Presentation mode", "F11"), ("Larger / smaller text", "Ctrl+= / Ctrl+−"),
             ("Shortcuts", "F1")]


def speed_label(value: int) -> str:
    if value == MAX_SPEED:
        return "as fast as possible"
    return f"{value:,} update/s" if value == 1 else f"{value:,} updates/s"


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
        for action in (self.step_action, self.phase_action, self.epoch_action, self.reset_action):
            # one press, one command: a held key would queue dozens a second (an update of a
            # large network takes longer than a key repeat) and go on long after release
            action.setAutoRepeat(False)
        self.addSeparator()
        self.addWidget(QLabel(" Speed "))
        self.speed = QComboBox()
        self.speed.setToolTip("Updates per second while playing; each lesson starts at a pace a class "
                              "can follow (F: as fast as possible and back)")
        for value in SPEEDS:
            self.speed.addItem(speed_label(value), value)
        self.speed.setCurrentIndex(self.speed.findData(20))
        self.speed.currentIndexChanged.connect(self._on_speed_chosen)
        self.addWidget(self.speed)
        self.fast_action = QAction("Fast", self, checkable=True)
        self.fast_action.setShortcut(QKeySequence(Qt.Key_F))
        self.fast_action.setToolTip("As fast as possible, and back to the pace before (F)")
        self.fast_action.toggled.connect(self._on_fast_toggled)
        self.addAction(self.fast_action)
        self._pace = 20  # the speed to return to when Fast is switched off

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
        """Show (and send) this speed; a lesson's own pace joins the list if it is not there."""
        index = self.speed.findData(value)
        if index < 0:
            position = next((i for i, v in enumerate(SPEEDS) if v == MAX_SPEED or v > value), len(SPEEDS))
            self.speed.insertItem(position, speed_label(value), value)
            index = position
        if index == self.speed.currentIndex():
            self.speed_changed.emit(value)  # the window may not have sent it yet
        self.speed.setCurrentIndex(index)

    def set_pace(self, value: int) -> None:
        """The lesson's pace: the speed now, and the one Fast returns to."""
        self._pace = value
        self.fast_action.blockSignals(True)
        self.fast_action.setChecked(False)
        self.fast_action.blockSignals(False)
        self.set_speed_value(value)

    def _on_speed_chosen(self, _index):
        value = self.speed.currentData()
        if value != MAX_SPEED:
            self._pace = value
        self.fast_action.blockSignals(True)
        self.fast_action.setChecked(value == MAX_SPEED)
        self.fast_action.blockSignals(False)
        self.speed_changed.emit(value)

    def _on_fast_toggled(self, fast: bool):
        self.set_speed_value(MAX_SPEED if fast else self._pace)
