"""The rule's timeline: Back (←), a slider over every recorded update, Forward, and
where the view is. The record is exact (see engine.perceptron_timeline), so the
slider can go anywhere at once."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QWidget


class TimelineRow(QWidget):
    seek_requested = Signal(int)  # an update number

    def __init__(self, parent=None):
        super().__init__(parent)
        self.back = QPushButton("◀ Back (←)")
        self.back.setToolTip("One update back (←)")
        self.back.clicked.connect(lambda: self.seek_requested.emit(self.slider.value() - 1))
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setMinimumWidth(120)
        self.slider.setToolTip("Drag to any update recorded so far")
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.forward = QPushButton("Forward ▶")
        self.forward.setToolTip("One update forward through the record (→ does the same)")
        self.forward.clicked.connect(lambda: self.seek_requested.emit(self.slider.value() + 1))
        self.label = QLabel()
        self._updating = False  # True while show_snapshot moves the slider
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Timeline"))
        layout.addWidget(self.back)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.forward)
        layout.addWidget(self.label)

    def show_snapshot(self, snap) -> None:
        self._updating = True
        self.slider.setRange(snap.first, snap.recorded)
        self.slider.setValue(snap.updates)
        self._updating = False
        self.back.setEnabled(snap.updates > snap.first)
        self.forward.setEnabled(snap.updates < snap.recorded)
        rewound = " — rewound" if snap.viewing is not None else ""
        self.label.setText(f"update {snap.updates:,} of {snap.recorded:,}{rewound}")

    def _on_slider_moved(self, value):
        if not self._updating:
            self.seek_requested.emit(value)
