"""The timeline: a slider over the whole run with Back/Forward, to rewind to any update."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSlider, QStyle, QToolBar

SEEK_DELAY_MS = 60  # a dragged slider asks for at most one replay per this many ms


class TimelineBar(QToolBar):
    seek_requested = Signal(int)  # an update count

    def __init__(self, parent=None):
        super().__init__("Timeline", parent)
        self.setObjectName("timeline")
        self.back = QAction(self.style().standardIcon(QStyle.SP_MediaSeekBackward), "Back", self)
        self.back.setShortcut(QKeySequence(Qt.Key_Left))
        self.back.setToolTip("Back one update (Left)")
        self.back.triggered.connect(lambda: self._request(self.slider.value() - 1))
        self.forward = QAction(self.style().standardIcon(QStyle.SP_MediaSeekForward), "Forward", self)
        self.forward.setToolTip("Forward one update through the recorded run")
        self.forward.triggered.connect(lambda: self._request(self.slider.value() + 1))
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setMinimumWidth(300)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.label = QLabel()
        self.label.setMinimumWidth(260)
        self.addWidget(QLabel(" Timeline "))
        self.addAction(self.back)
        self.addWidget(self.slider)
        self.addAction(self.forward)
        self.addWidget(self.label)
        self._pending = None
        self._timer = QTimer(self, singleShot=True, interval=SEEK_DELAY_MS)
        self._timer.timeout.connect(self._send)
        self._updating = False  # True while show_snapshot moves the slider

    def show_snapshot(self, snap):
        first, last, viewing = snap.timeline.first, snap.timeline.last, snap.timeline.viewing
        shown = snap.steps_done
        self._updating = True
        self.slider.setRange(first, last)
        if self._pending is None:
            self.slider.setValue(shown)
        self._updating = False
        if viewing is None:
            self.label.setText(f"update {shown:,} (the latest)")
        else:
            self.label.setText(f"update {shown:,} of {last:,} — rewound; Play or Step continues from here")
        self.back.setEnabled(shown > first)
        self.forward.setEnabled(shown < last)

    def _on_slider_moved(self, value):
        if not self._updating:
            self._request(value)

    def _request(self, value):
        value = max(self.slider.minimum(), min(value, self.slider.maximum()))
        self._pending = value
        if not self._timer.isActive():
            self._timer.start()

    def _send(self):
        value, self._pending = self._pending, None
        if value is not None:
            self.seek_requested.emit(value)
