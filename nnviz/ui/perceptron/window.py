"""The perceptron lab: Rosenblatt's rule and perceptron networks, in a window of its own
that is part of the course — the lesson with previous/next, the main window's File,
View and Help menus, and an Export… button on each view.

The lab and the main window know each other: a network lesson chosen here opens in
the main window (brought forward, or made with the same settings), and the main window
brings this lab back for a perceptron lesson. The lab stays open behind the main
window rather than closing: the learner's drawn network and the rule's timeline are
still there when the course comes back to a perceptron lesson."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox,
                               QTabWidget, QToolButton, QVBoxLayout, QWidget)

from ...engine.config import ConfigError
from ...lessons import DEFAULT_LESSON, Lesson, lesson_names, load_lesson
from .. import appearance
from ..lesson_panel import LessonPanel
from ..message_bar import MessageBar
from ..widgets import scrolling
from ..window_export import ViewExportActions
from .builder_view import PerceptronBuilderView
from .controller import LessonSetup, PerceptronController
from .headless import figure_stem as lab_figure_stem
from .rule_view import PerceptronRuleView

FIRST_LESSON = "perceptron"  # the lab opened without a lesson shows this one
DEFAULT_SIZE = (1400, 900)  # on a screen at least this large
LESSON_WIDTH = 300  # pixels of the lesson column
SHORTCUTS = [("Step one update (forward through the record when rewound)", "Right"),
             ("One update back", "Left"), ("One epoch", "Ctrl+Right"), ("Reset w = 0", "Ctrl+R"),
             ("Open a lesson or configuration", "Ctrl+O"), ("Presentation mode", "F11"),
             ("Larger / smaller / normal text", "Ctrl+= / Ctrl+− / Ctrl+0"), ("Shortcuts", "F1"),
             ("Quit", "Ctrl+Q")]


class PerceptronWindow(ViewExportActions, QMainWindow):
    def __init__(self, lesson: Lesson | None = None, parent=None, main=None, settings: QSettings | None = None):
        super().__init__(parent)
        self.main = main  # the course's main window, if one is open: network lessons go there
        self.settings = settings if settings is not None else (main.settings if main is not None
                                                               else QSettings("nnviz", "nnviz"))
        self.lesson = lesson or load_lesson(FIRST_LESSON)
        self.controller = PerceptronController()
        self.rule_view = PerceptronRuleView()
        self.builder_view = PerceptronBuilderView()
        self.views = {view.view_id: view for view in (self.rule_view, self.builder_view)}
        self.message_bar = MessageBar()
        self.tabs = QTabWidget()
        for view in self.views.values():
            self.tabs.addTab(view, view.short_title)
        # the tab row is the views' title row: Export… there, as in a dock's title bar
        self.export_button = QToolButton(text="Export…")
        self.export_button.clicked.connect(lambda: self.export_with_dialog(self.tabs.currentWidget()))
        self.tabs.setCornerWidget(self.export_button, Qt.TopRightCorner)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_lesson_dock()
        self._connect()
        self._build_menus()
        self._build_shortcuts()
        self.show_lesson(self.lesson)
        self._restore_appearance()
        self._fit_screen()

    @classmethod
    def open_from(cls, main, existing: "PerceptronWindow | None", lesson: Lesson | None) -> "PerceptronWindow":
        """The lab for ``main``'s course: ``existing`` brought back (on ``lesson`` if that
        is another one) or a new one; shown and raised."""
        if existing is None or not shiboken6.isValid(existing):
            lab = cls(lesson, main=main)
        else:
            lab = existing
            lab.main = main
            if lesson is not None and lesson.name != lab.lesson.name:
                lab.open_lesson(lesson)
        lab.show()
        lab.raise_()
        lab.activateWindow()
        return lab

    # -- construction ------------------------------------------------------------------
    def _build_lesson_dock(self):
        self.lesson_panel = LessonPanel()
        self.lesson_panel.lesson_requested.connect(self.go_to)
        self.reading = QLabel("Reading the picture")
        appearance.styled(self.reading, lambda s: f"font-size: {11 * s:.1f}pt; font-weight: bold;")
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.lesson_panel)
        column.addSpacing(8)
        column.addWidget(self.reading)
        for view in self.views.values():  # the legends' words, for the view in front
            column.addWidget(view.caption)
        column.addStretch(1)
        scroll = scrolling(panel)
        self._lesson_scroll = scroll
        self.lesson_panel.installEventFilter(self)  # its size hints change: _fit_lesson_width
        self.lesson_dock = QDockWidget("Lesson", self)
        self.lesson_dock.setObjectName("dock-lesson")
        self.lesson_dock.setFeatures(QDockWidget.DockWidgetClosable | QDockWidget.DockWidgetMovable)
        self.lesson_dock.setWidget(scroll)
        self.addDockWidget(Qt.LeftDockWidgetArea, self.lesson_dock)
        self.resizeDocks([self.lesson_dock], [LESSON_WIDTH], Qt.Horizontal)

    def _on_tab_changed(self, _index=None):
        """The caption and the Export… button are the view's in front."""
        front = self.tabs.currentWidget()
        for view in self.views.values():
            view.caption.setVisible(view is front)
        self.export_button.setToolTip(f"Export {front.title} as PNG, SVG, PDF or CSV of the data drawn")

    def eventFilter(self, obj, event):
        if obj is self.lesson_panel and event.type() == QEvent.LayoutRequest:
            self._fit_lesson_width()  # new buttons, or larger text
        return False

    def _fit_lesson_width(self):
        """Wide enough for the previous/next buttons at the current text size (the
        texts wrap): a cut-off button or word is worse than a narrower plane."""
        scroll = self._lesson_scroll
        scroll.setMinimumWidth(max(220, self.lesson_panel.minimumSizeHint().width()
                                   + scroll.verticalScrollBar().sizeHint().width() + 8))

    def _connect(self):
        c, r, b = self.controller, self.rule_view, self.builder_view
        c.rule_changed.connect(r.set_snapshot)
        c.network_changed.connect(b.set_snapshot)
        c.notice.connect(lambda text: self.message_bar.show_message(text, "info"))
        r.reset_requested.connect(c.reset_rule)
        r.step_requested.connect(c.step)
        r.epoch_requested.connect(c.epoch)
        r.fit_requested.connect(c.fit)
        r.seek_requested.connect(c.seek)
        b.example_requested.connect(c.load_example)
        b.dataset_requested.connect(c.set_network_dataset)
        b.unit_added.connect(c.add_unit)
        b.group_requested.connect(c.new_group)
        b.selection_changed.connect(c.select)
        b.flip_requested.connect(c.flip_selected)
        b.remove_requested.connect(c.remove_selected)
        b.clear_requested.connect(c.clear_network)
        b.invalid_input.connect(lambda text: self.message_bar.show_message(text, "warning"))

    def _build_menus(self):
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction("&Open lesson or configuration…", self._on_open_requested, "Ctrl+O")
        lessons = file_menu.addMenu("Built-in &lessons")
        for name in lesson_names():
            lessons.addAction(load_lesson(name).title, lambda n=name: self.go_to(n))
        export_menu = file_menu.addMenu("&Export view")
        for view in self.views.values():
            export_menu.addAction(f"{view.title}…", lambda v=view: self.export_with_dialog(v))
        file_menu.addSeparator()
        # every window: the main window saves its settings and stops its training as it closes
        file_menu.addAction("&Quit", QApplication.closeAllWindows, "Ctrl+Q")
        view_menu = self.menuBar().addMenu("&View")
        self.view_menu_actions = appearance.add_menu_actions(view_menu, self.set_appearance)
        view_menu.addSeparator()
        view_menu.addAction(self.lesson_dock.toggleViewAction())
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("&Keyboard shortcuts", self._on_shortcuts_requested, "F1")

    def _build_shortcuts(self):
        """Keys of the rule's tab (a focused text or number field keeps its arrow keys)."""
        c = self.controller
        for text, key, slot in (("Step", Qt.Key_Right, c.step), ("Back", Qt.Key_Left, c.back),
                                ("Epoch", QKeySequence("Ctrl+Right"), c.epoch),
                                ("Reset w = 0", QKeySequence("Ctrl+R"), lambda: c.reset_rule(None))):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(lambda _checked=False, slot=slot: self._on_rule_key(slot))
            self.addAction(action)

    def _on_rule_key(self, slot):
        if self.tabs.currentWidget() is self.rule_view:
            slot()

    def _fit_screen(self):
        screen = self.screen().availableGeometry()
        self.resize(min(DEFAULT_SIZE[0], screen.width()), min(DEFAULT_SIZE[1], screen.height()))

    # -- lessons -----------------------------------------------------------------------
    def show_lesson(self, lesson: Lesson) -> None:
        """Set the lab up as the perceptron lesson says; what it says nothing about (the
        other tab's work) stays as it is."""
        setup = LessonSetup.of(lesson)
        self.lesson = lesson
        self.setWindowTitle(f"nnviz — {lesson.title}")
        self.lesson_panel.show_lesson(lesson)
        if setup.rule or setup.max_epochs is not None or self.controller.timeline is None:
            self.rule_view.set_settings(setup.rule, setup.max_epochs)
            self.controller.reset_rule(self.rule_view.settings())
        if setup.example is not None or self.builder_view.snapshot is None:
            example = setup.example or "circle"
            self.controller.load_example(example)
            self.builder_view.dataset.blockSignals(True)  # the example brings its own data
            self.builder_view.dataset.setCurrentText(example)
            self.builder_view.dataset.blockSignals(False)
        self.tabs.setCurrentWidget(self.builder_view if setup.tab == "network" else self.rule_view)
        self._on_tab_changed()

    def go_to(self, name: str) -> None:
        """A lesson by name (the lesson panel's previous/next, the Built-in lessons menu)."""
        self.open_lesson(load_lesson(name))

    def open_lesson(self, lesson: Lesson) -> None:
        if lesson.kind == "perceptron":
            self.show_lesson(lesson)
            self.message_bar.show_message(f"Opened “{lesson.title}”.", "info")
        else:
            self.show_course(lesson)

    def live_main(self):
        """The main window, if one is open (a closed one has stopped its training)."""
        main = self.main
        if main is None or not shiboken6.isValid(main) or not main.isVisible():
            return None
        return main

    def show_course(self, lesson: Lesson | None = None):
        """The main window on ``lesson`` (if given), brought forward; made with the same
        settings when none is open. The lab stays open behind it."""
        main = self.live_main()
        if main is None:
            from ..main_window import MainWindow

            main = MainWindow(lesson or load_lesson(DEFAULT_LESSON), self.settings)
            self.main = main
            main.show()
        elif lesson is not None and main.lesson.name != lesson.name:
            main.lessons.switch(lesson)  # asks first when the learner changed the settings there
        main.perceptron_window = self  # its perceptron lessons come back to this lab
        main.raise_()
        main.activateWindow()
        return main

    def _on_open_requested(self):
        path, _ = QFileDialog.getOpenFileName(self, "Open a lesson, configuration or session", "",
                                              "nnviz files (*.json *.nnviz);;All files (*)")
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """A perceptron lesson opens here; a network lesson, configuration or session in the main window."""
        if path.endswith(".nnviz"):
            return self.show_course().open_path(path)
        try:
            lesson = load_lesson(path)
        except ConfigError as err:
            self.message_bar.show_message(f"Not opened: {err}", "error")
            return False
        self.open_lesson(lesson)
        return True

    # -- export ------------------------------------------------------------------------
    def figure_stem(self, view) -> str:  # (the export dialog and actions: ViewExportActions)
        return lab_figure_stem(self.lesson.name, view)

    # -- appearance --------------------------------------------------------------------
    def set_appearance(self, presentation=None, zoom=None, zoom_steps=0) -> None:
        """Presentation mode and text zoom: one for the course (the main window, if open,
        applies it and shows it in its menu too), remembered in the settings."""
        main = self.live_main()
        if main is not None:
            main.set_appearance(presentation, zoom, zoom_steps)
        else:
            now = appearance.current
            zoom = now.zoomed(zoom_steps) if zoom is None else zoom
            appearance.apply(appearance.Appearance(now.presentation if presentation is None else presentation,
                                                   zoom), self.views.values())
            self.settings.setValue("view/presentation", appearance.current.presentation)
            self.settings.setValue("view/zoom", appearance.current.zoom)
        self._show_appearance()
        new = appearance.current
        self.statusBar().showMessage(f"Text at {new.text_scale:.0%}" + (", presentation mode" if new.presentation
                                                                       else ""), 3000)

    def _show_appearance(self):
        appearance.show_checked(self.view_menu_actions["presentation"], appearance.current.presentation)
        for view in self.views.values():
            view.refresh()

    def _restore_appearance(self):
        """The appearance saved last time, when the lab opens on its own."""
        if self.live_main() is not None:
            return  # the main window has set it already
        s = self.settings
        presentation = s.value("view/presentation", False) in (True, "true", "True", 1, "1")
        try:
            zoom = float(s.value("view/zoom", 1.0))
        except (TypeError, ValueError):
            zoom = 1.0
        if presentation != appearance.current.presentation or zoom != appearance.current.zoom:
            self.set_appearance(presentation=presentation, zoom=zoom)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() == QEvent.ActivationChange and self.isActiveWindow():
            self._show_appearance()  # the main window may have changed it meanwhile

    def _on_shortcuts_requested(self):
        rows = "".join(f"<tr><td>{name}</td><td><b>{keys}</b></td></tr>" for name, keys in SHORTCUTS)
        QMessageBox.information(self, "Keyboard shortcuts", f"<table cellpadding=4>{rows}</table>")
