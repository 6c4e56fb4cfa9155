"""The perceptron lab: Rosenblatt's rule and perceptron networks, in a window of its own."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from ..message_bar import MessageBar
from .controller import PerceptronController
from .builder_view import PerceptronBuilderView
from .rule_view import PerceptronRuleView


class PerceptronWindow(QMainWindow):
    def __init__(self, lesson=None, parent=None):
        super().__init__(parent)
        settings = dict(lesson.perceptron) if lesson is not None and lesson.perceptron else {}
        tab = settings.pop("tab", "rule")
        example = settings.pop("example", "circle")
        self.setWindowTitle(f"nnviz — {lesson.title if lesson else 'Perceptron lab'}")
        self.controller = PerceptronController(example=example)
        self.rule_view = PerceptronRuleView()
        self.builder_view = PerceptronBuilderView()
        self._apply_settings(settings)
        self.message_bar = MessageBar()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.rule_view, "Rosenblatt's rule")
        self.tabs.addTab(self.builder_view, "Perceptron networks")
        self.lesson_text = QLabel(f"<b style='font-size:13pt'>{lesson.title}</b><br>{lesson.text}" if lesson else "")
        self.lesson_text.setWordWrap(True)
        self.lesson_text.setStyleSheet("font-size: 11pt; padding: 4px;")
        self.lesson_text.setVisible(bool(lesson))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.lesson_text)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._connect()
        step = QAction("Step", self)
        step.setShortcut(QKeySequence(Qt.Key_Right))
        step.triggered.connect(self._on_step_shortcut)
        self.addAction(step)
        self.controller.reset_rule(self.rule_view.settings())
        self.controller.load_example(example)
        self.builder_view.dataset.setCurrentText(example if example in ("circle", "xor") else "circle")
        self.tabs.setCurrentIndex(1 if tab == "network" else 0)
        self.resize(1400, 900)

    def _apply_settings(self, settings):
        view = self.rule_view
        for widget in (view.dataset, view.policy, view.n_points, view.noise, view.seed):
            widget.blockSignals(True)
        if "dataset" in settings:
            view.dataset.setCurrentIndex(max(0, view.dataset.findData(settings["dataset"])))
        view.n_points.setValue(settings.get("n", 40))
        view.noise.setValue(settings.get("noise", 0.0))
        view.seed.setValue(settings.get("seed", 0))
        view.policy.setCurrentText(settings.get("policy", "first"))
        view.max_epochs.setValue(settings.get("max_epochs", 100))
        for widget in (view.dataset, view.policy, view.n_points, view.noise, view.seed):
            widget.blockSignals(False)

    def _connect(self):
        c, r, b = self.controller, self.rule_view, self.builder_view
        c.rule_changed.connect(r.show_snapshot)
        c.network_changed.connect(b.show_snapshot)
        r.reset_requested.connect(c.reset_rule)
        r.step_requested.connect(c.step)
        r.epoch_requested.connect(c.epoch)
        r.fit_requested.connect(c.fit)
        b.example_requested.connect(c.load_example)
        b.dataset_requested.connect(c.set_network_dataset)
        b.unit_added.connect(c.add_unit)
        b.group_requested.connect(c.new_group)
        b.selection_changed.connect(c.select)
        b.flip_requested.connect(c.flip_selected)
        b.remove_requested.connect(c.remove_selected)
        b.clear_requested.connect(c.clear_network)
        b.invalid_input.connect(lambda text: self.message_bar.show_message(text, "warning"))

    def _on_step_shortcut(self):
        if self.tabs.currentIndex() == 0:
            self.controller.step()
