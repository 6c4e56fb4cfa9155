"""The timeline: a slider over the whole run with Back/Forward, to rewind to any update.

Every key press counts (three quick ← are three updates back, even while the first
replay runs); Page Up/Down and clicks on the groove move by one epoch; an update
number can be typed (Ctrl+G)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSlider, QSpinBox, QStyle, QToolBar

SEEK_DELAY_MS = 60  # a dragged slider asks for at most one replay per this many ms


class TimelineBar(QToolBar):
    seek_requested = Signal(int)  # an update count

    def __init__(self, parent=None):
        super().__init__("Timeline", parent)
        self.setObjectName("timeline")
        icon = self.style().standardIcon
        self.back = self._action(icon(QStyle.SP_MediaSeekBackward), "Back", "Left", "Back one update (←)",
                                 lambda: self._move(-1))
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setMinimumWidth(160)
        self.slider.setToolTip("Drag to any update; click beside the handle or press PgUp/PgDown to move by "
                               "an epoch")
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.forward = self._action(icon(QStyle.SP_MediaSeekForward), "Forward", "",
                                    "Forward one update through the recorded run", lambda: self._move(+1))
        self.epoch_back = QAction("Back one epoch", self, shortcut=QKeySequence(Qt.Key_PageUp),
                                  triggered=lambda: self._move(-self.slider.pageStep()))
        self.epoch_forward = QAction("Forward one epoch", self, shortcut=QKeySequence(Qt.Key_PageDown),
                                     triggered=lambda: self._move(+self.slider.pageStep()))
        self.go_to = QSpinBox()
        self.go_to.setToolTip("Type an update number and press Return to go there (Ctrl+G)")
        self.go_to.setKeyboardTracking(False)  # one seek when Return is pressed, not one per digit
        self.go_to.setButtonSymbols(QSpinBox.NoButtons)
        self.go_to.valueChanged.connect(self._on_number_typed)
        self.focus_go_to = QAction("Go to update", self, shortcut=QKeySequence("Ctrl+G"),
                                   triggered=self._on_go_to_requested)
        self.label = QLabel()
        self.addWidget(QLabel(" Timeline "))
        self.addAction(self.back)
        self.addWidget(self.slider)
        self.addAction(self.forward)
        self.addWidget(self.go_to)
        self.addWidget(self.label)
        # keyboard only (the window adds them: on a toolbar they would become buttons)
        self.shortcut_actions = (self.epoch_back, self.epoch_forward, self.focus_go_to)
        self._pending = None  # the update asked for, not yet sent or not yet shown
        self._timer = QTimer(self, singleShot=True, interval=SEEK_DELAY_MS)
        self._timer.timeout.connect(self._send)
        self._updating = False  # True while show_snapshot moves the widgets

    def _action(self, icon, text, shortcut, tip, slot):
        action = QAction(icon, text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def show_snapshot(self, snap):
        t = snap.timeline
        shown = snap.steps_done
        self._updating = True
        self.slider.setRange(t.first, t.last)
        self.go_to.setRange(t.first, t.last)
        per_epoch = -(-len(snap.dataset.X_train) // max(1, snap.config.training.batch_size))
        self.slider.setPageStep(max(1, per_epoch))
        if self._pending is None:  # not while the learner is still moving it
            self.slider.setValue(shown)
            if not self.go_to.hasFocus():
                self.go_to.setValue(shown)
        self._updating = False
        if t.viewing is None:
            began = "" if t.first == 0 else f"; the session began at {t.first:,}"
            self.label.setText(f"update {shown:,} (the latest{began})")
        else:
            self.label.setText(f"update {shown:,} of {t.last:,} — rewound; Play or Step continues from here")
        self.back.setEnabled(shown > t.first)
        self.forward.setEnabled(shown < t.last)

    def _target(self) -> int:
        """Where the timeline is going: the update asked for last, or the one shown."""
        return self._pending if self._pending is not None else self.slider.value()

    def _move(self, delta: int):
        self._request(self._target() + delta)

    def _on_slider_moved(self, value):
        if not self._updating:
            self._request(value)

    def _on_number_typed(self, value):
        if not self._updating:
            self._request(value)

    def _on_go_to_requested(self):
        self.go_to.setFocus()
        self.go_to.selectAll()

    def _request(self, value):
        value = max(self.slider.minimum(), min(value, self.slider.maximum()))
        self._pending = value
        self._updating = True
        self.slider.setValue(value)  # the handle moves at once; the replay follows
        self._updating = False
        if not self._timer.isActive():
            self._timer.start()

    def _send(self):
        value, self._pending = self._pending, None
        if value is not None:
            self.seek_requested.emit(value)
