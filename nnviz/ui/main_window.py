"""The main window: controls, player, views in docks, the worker thread."""

from __future__ import annotations

import json
import time

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox,
                               QVBoxLayout, QWidget)


from ..engine.config import Config, ConfigError
from ..engine.snapshot import Snapshot
from ..files import atomic_write_text
from ..lessons import Lesson, lesson_names, load_lesson
from . import appearance, collector
from .client import TrainingClient
from .controls import ControlsPanel
from .lesson_panel import LessonPanel
from .message_bar import MessageBar
from .player import SHORTCUTS, PlayerBar
from .timeline_bar import TimelineBar
from .widgets import scrolling
from .views import VIEWS
from .views.base import TextThrottle
from .wheel_guard import protect
from .window_layout import WindowLayout
from .window_data import DataActions
from .window_export import AnimationRecorder, ExportActions
from .window_lessons import LessonActions

#: While playing, a frame returns to the event loop after this long (then goes on with
#: the next views): a 10 ms timer or a key press is never late by a whole frame.
FRAME_SLICE_SECONDS = 0.012
VIEW_COST_DECAY = 0.8  # per frame, of a view's remembered cost when a frame cost it less


class MainWindow(ExportActions, AnimationRecorder, QMainWindow):
    """Owns the current configuration (immutable: every change replaces it) and the
    lesson; widgets send field changes here, the window turns them into commands."""

    snapshot_shown = Signal(object)  # after the views have drawn a snapshot (tests wait on it)

    def __init__(self, lesson: Lesson, settings: QSettings | None = None):
        super().__init__()
        self.settings = settings if settings is not None else QSettings("nnviz", "nnviz")
        self.lesson = lesson  # the lesson opened; its config is what "changed" compares with
        self.config: Config = lesson.config  # the one current configuration
        self.snapshot: Snapshot | None = None  # the one on screen
        self._undo = None  # (lesson, config) of the run before the last rebuild
        self._status_throttle = TextThrottle()
        self._view_costs: dict = {}  # view → its last cost of a frame, seconds (slices are planned with it)
        self._frame_views: list = []  # views still to draw the snapshot on screen (a frame in slices)
        self._frame_in_progress = False
        self.setWindowTitle(f"nnviz — {lesson.title}")
        self.message_bar = MessageBar()
        self.lessons = LessonActions(self)
        self.data = DataActions(self)
        self.views = {cls.view_id: cls() for cls in VIEWS}
        self.docks: dict[str, QDockWidget] = {}
        self.arrangement = WindowLayout(self)
        self.setCentralWidget(self.arrangement.build_central(self.message_bar))
        self.controls = ControlsPanel()
        self._build_left_dock()
        self.player = PlayerBar(self)
        self.addToolBar(Qt.TopToolBarArea, self.player)
        self.timeline = TimelineBar(self)
        self.addToolBar(Qt.TopToolBarArea, self.timeline)
        self.addActions(self.timeline.shortcut_actions)
        self.arrangement.build_docks()
        for view in self.views.values():
            view.selection_requested.connect(self._on_selection_requested)
            view.hover_requested.connect(self._on_hover_requested)
        self._build_status_bar()
        self._build_menus()
        self._connect_controls()
        QTimer.singleShot(0, self._fit_controls_width)  # once styles have given sizes
        protect(self)  # no spin or combo box changes under a passing mouse wheel
        self._start_client()
        self._restore_settings()
        QTimer.singleShot(0, lambda: self._bring_forward(lesson.views))

    # -- construction ------------------------------------------------------------------
    def _build_left_dock(self):
        self.lesson_panel = LessonPanel()
        self.lesson_panel.step_requested.connect(self.lessons.try_step)
        self.lesson_panel.lesson_requested.connect(lambda name: self.lessons.switch(load_lesson(name)))
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.lesson_panel)
        layout.addWidget(self.controls)
        scroll = scrolling(panel)
        self._controls_scroll = scroll
        self._fit_controls_width()
        self.add_dock("controls", "Lesson and controls", scroll, Qt.LeftDockWidgetArea)
        self._show_lesson_text()

    def _fit_controls_width(self):
        """Wide enough for every control: a clipped control is worse than a narrower plot."""
        scroll = self._controls_scroll
        # the controls decide the width; the lesson's text wraps within it
        scroll.setMinimumWidth(self.controls.sizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width() + 12)

    def _on_hover_requested(self, hover):
        for view in self.views.values():
            view.set_hover(hover)

    def _on_selection_requested(self, selection):
        for view in self.views.values():
            view.set_selection(selection)

    def add_dock(self, name, title, widget, area):
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{name}")  # saveState() needs stable names
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.docks[name] = dock
        return dock

    def _build_status_bar(self):
        self.status_label = QLabel()
        appearance.styled(self.status_label, lambda s: f"font-size: {11 * s:.1f}pt;")
        self.statusBar().addPermanentWidget(self.status_label, 1)

    def _build_menus(self):
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction("&Open lesson or configuration…", self._on_open_requested, "Ctrl+O")
        lessons = file_menu.addMenu("Built-in &lessons")
        for name in lesson_names():
            lessons.addAction(load_lesson(name).title, lambda n=name: self.lessons.switch(load_lesson(n)))
        file_menu.addAction("Import &CSV data…", self.data.on_csv_requested)
        file_menu.addAction("Open &MNIST files…", self.data.on_mnist_requested)
        file_menu.addAction("&Download MNIST…", self.data.on_download_requested)
        file_menu.addAction("&Save configuration…", self._on_save_requested, "Ctrl+S")
        file_menu.addAction("Save s&ession…", self.data.on_save_session_requested, "Ctrl+Shift+S")
        file_menu.addAction("&Perceptron lab", lambda: self.open_perceptron_lab(None))
        file_menu.addSeparator()
        file_menu.addAction("Export &figure set…", self._on_figure_set_requested, "Ctrl+E")
        file_menu.addAction("&Record animation…", self.record_with_dialog)
        export_menu = file_menu.addMenu("&Export view")
        for view in self.views.values():
            export_menu.addAction(view.title, lambda v=view: self.export_with_dialog(v))
        file_menu.addSeparator()
        file_menu.addAction("&Quit", self.close, "Ctrl+Q")
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction("&Undo rebuild (the trained model comes back)", self.undo_rebuild, "Ctrl+Z")
        view_menu = self.menuBar().addMenu("&View")
        self.view_menu_actions = self._appearance_actions(view_menu)
        view_menu.addSeparator()
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(self.player.toggleViewAction())
        view_menu.addAction(self.timeline.toggleViewAction())
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("&Keyboard shortcuts", self._on_shortcuts_requested, "F1")

    def _appearance_actions(self, menu) -> dict:
        return appearance.add_menu_actions(menu, self.set_appearance)  # shared with the perceptron lab

    def set_appearance(self, presentation=None, zoom=None, zoom_steps=0):
        """Presentation mode and text zoom, live in every view (remembered in settings)."""
        now = appearance.current
        zoom = now.zoomed(zoom_steps) if zoom is None else zoom
        new = appearance.Appearance(now.presentation if presentation is None else presentation, zoom)
        appearance.apply(new, self.views.values())
        action = self.view_menu_actions["presentation"]
        if action.isChecked() != new.presentation:
            action.blockSignals(True)
            action.setChecked(new.presentation)
            action.blockSignals(False)
        for view in self.views.values():
            view.refresh()
        QTimer.singleShot(0, self._fit_controls_width)  # larger text, wider controls
        QTimer.singleShot(0, self._wrap_toolbars)
        QTimer.singleShot(0, self.arrangement.clamp_to_screen)
        self.statusBar().showMessage(f"Text at {new.text_scale:.0%}" + (", presentation mode" if new.presentation
                                                                       else ""), 3000)

    def _connect_controls(self):
        self.controls.set_config(self.config)
        self.controls.changes_requested.connect(self.apply_changes)
        self.controls.invalid_input.connect(lambda text: self.message_bar.show_message(text, "warning"))
        self.player.reset_requested.connect(lambda: self.reset())
        self.player.play_toggled.connect(self._on_play_toggled)
        self.player.step_requested.connect(self.step)
        self.player.phase_requested.connect(self.step_phase)
        self.player.epoch_requested.connect(self.step_epoch)
        self.player.speed_changed.connect(self._on_speed_changed)
        self.timeline.seek_requested.connect(self._on_seek_requested)

    def _start_client(self):
        self.client = TrainingClient(self.config, self)
        self.client.snapshot_ready.connect(self._draw)
        self.client.stopped.connect(self._on_worker_stopped)
        self.client.failed.connect(self._on_worker_failed)
        self.client.notice.connect(self._on_worker_notice)
        self.client.rejected.connect(self._on_rejected)
        self.client.opened.connect(self.data.on_session_opened)
        self.client.restored.connect(self._on_restored)

    # -- the configuration -------------------------------------------------------------
    def apply_changes(self, changes: dict, message: str = "") -> bool:
        """The one way the configuration changes: validated field changes; live settings
        go to training as they are, anything else rebuilds the model."""
        try:
            new = self.config.with_changes(changes)
        except ConfigError as err:
            self.message_bar.show_message(f"Not applied: {err}", "warning")
            self.controls.set_config(self.config)  # the widgets show what holds
            return False
        old, self.config = self.config, new
        if new == old:
            return True
        before = (self.lesson, self._shown_config())
        if new.is_live_change(old):
            live = {field.split(".", 1)[1]: getattr(new.training, field.split(".", 1)[1])
                    for field in new.changed_fields(old)}
            self.client.set_hyper(live)
            described = ", ".join(f"{k.replace('_', ' ')} = {v:g}" for k, v in live.items())
            self.statusBar().showMessage(f"{described}: applied from the next update, nothing reset", 4000)
        else:
            self.reset(message or "The data or the network changed, so the model was rebuilt: training "
                                  "restarts from update 0.", before)
        self.controls.set_config(self.config)
        return True

    # -- commands ----------------------------------------------------------------------
    def reset(self, message: str = "", before=None):
        """Rebuild the model from the current configuration. ``before``: (lesson, config)
        of the run being replaced, what Ctrl+Z brings back (default: the current ones)."""
        QTimer.singleShot(0, self._fit_controls_width)  # the layer list may have grown
        self.player.show_playing(False)
        self._undo = before or (self.lesson, self._shown_config())
        trained = self.snapshot.steps_done if self.snapshot is not None else 0
        self.client.reset(self.config)
        if trained:
            message = (message + " " if message else "") + (f"Ctrl+Z brings back the model trained for "
                                                           f"{trained:,} updates.")
        if message:
            self.message_bar.show_message(message, "info")

    def remember_for_undo(self) -> None:
        """The lesson and run on screen are what Ctrl+Z brings back after what comes next."""
        self._undo = (self.lesson, self._shown_config())

    def _shown_config(self) -> Config:
        """The configuration of the run on screen (it differs from ``config`` only while a
        change is on its way to the worker)."""
        return self.snapshot.config if self.snapshot is not None else self.config

    def undo_rebuild(self):
        """Ctrl+Z: the model before the last rebuild comes back with its trained state;
        Ctrl+Z again returns to the new one."""
        if self._undo is None:
            self.message_bar.show_message("Nothing to undo: no model was rebuilt yet.", "info")
            return
        self.player.show_playing(False)
        self.client.undo()

    def _on_restored(self, config: Config):
        lesson, _ = self._undo
        self._undo = (self.lesson, self._shown_config())
        self.lesson, self.config = lesson, config
        self.setWindowTitle(f"nnviz — {lesson.title}")
        self._show_lesson_text()
        self.controls.set_config(config)
        self.message_bar.show_message("The model before the rebuild is back, with its training (Ctrl+Z again "
                                      "returns to the other one).", "info")

    def step(self):
        self.player.show_playing(False)
        self.client.step()

    def step_phase(self):
        self.player.show_playing(False)
        self.client.phase()

    def step_epoch(self):
        self.client.epoch()

    def play(self):
        self.player.play_action.setChecked(True)

    def pause(self):
        self.player.play_action.setChecked(False)

    def open_lesson(self, lesson: Lesson):
        if lesson.kind == "perceptron":
            self.open_perceptron_lab(lesson)
            return
        before = (self.lesson, self._shown_config())
        self.show_lesson(lesson)
        self.reset(f"Opened “{lesson.title}”.", before)
        self._bring_forward(lesson.views)

    def show_lesson(self, lesson: Lesson):
        """Make ``lesson`` (and its configuration) the current one on screen."""
        self.lesson = lesson
        self.config = lesson.config
        self.setWindowTitle(f"nnviz — {lesson.title}")
        self._show_lesson_text()
        self.controls.set_config(self.config)
        self.player.set_pace(lesson.pace)

    def _bring_forward(self, view_ids):
        unknown = self.arrangement.bring_forward(view_ids)
        if unknown:
            known = ", ".join(list(self.arrangement.frames) + list(self.docks))
            self.message_bar.show_message(f"The lesson names views nnviz does not have: {', '.join(unknown)} "
                                          f"(known: {known}).", "warning")

    def open_perceptron_lab(self, lesson: Lesson | None = None):
        """The perceptron lab opens in a window of its own (one, brought back each time);
        this one keeps its state, and the lab's lesson buttons lead back here."""
        from .perceptron.window import PerceptronWindow

        self.perceptron_window = PerceptronWindow.open_from(self, getattr(self, "perceptron_window", None), lesson)

    def _show_lesson_text(self):
        self.lesson_panel.show_lesson(self.lesson)

    # -- reactions ---------------------------------------------------------------------
    def _on_play_toggled(self, playing: bool):
        (self.client.play if playing else self.client.pause)()

    def _on_speed_changed(self, updates_per_second: int):
        self.client.set_speed(updates_per_second)

    def _on_seek_requested(self, k: int):
        self.player.show_playing(False)
        self.client.seek(k)

    def _on_rejected(self, message: str):
        """A configuration or session was not used: the run on screen goes on, and the
        window shows that run's configuration again."""
        self.message_bar.show_message(message, "error")
        if self.snapshot is not None:
            self.config = self.snapshot.config
            self.controls.set_config(self.config)

    def _draw(self, snap: Snapshot):
        """Show a snapshot. While playing, the views are drawn (and painted) a slice at a
        time, returning to the event loop every FRAME_SLICE_SECONDS, so that input and
        timers never wait for a whole frame; a newer snapshot arriving meanwhile is what
        the remaining views draw."""
        self.snapshot = snap
        self._frame_views = list(self.views.values())
        try:
            self.arrangement.apply_structure(snap)
            self.player.show_playing(snap.playing)
            if self._status_throttle.due(snap):
                self.timeline.show_snapshot(snap)
                self._show_status(snap)
        except BaseException:
            self._end_frame(snap, shown=False)
            raise
        if not self._frame_in_progress:
            self._frame_in_progress = True
            self._draw_views()

    @property
    def drawing_frame(self) -> bool:
        """A frame is being drawn a slice at a time: ``snapshot`` is not all on screen yet."""
        return self._frame_in_progress

    def _draw_views(self):
        snap, started = self.snapshot, time.perf_counter()
        if snap.generation < self.client.generation:
            # reset or rebuilt between two slices: the rest of this frame would show the
            # old network; the new generation's first snapshot starts a frame of its own
            self._end_frame(snap, shown=False)
            return
        drawn = 0  # views drawn in this slice: at least one, so that every slice gets on
        try:
            while self._frame_views:
                # the newest: sendPostedEvents below may deliver another snapshot (_draw
                # then puts every view back in the list), and the views still to be drawn
                # show that one, not the one this slice started with
                snap = self.snapshot
                view = self._frame_views[0]
                expected_end = time.perf_counter() - started + self._view_costs.get(view, 0.0)
                if snap.playing and drawn and expected_end > FRAME_SLICE_SECONDS:
                    # this view would stretch the slice past its length: it starts the next.
                    # 1 ms, not 0: a zero-delay call ran before timers already due, so
                    # slices followed each other with nothing between (measured, circle
                    # lesson, every view on screen: p99 lateness of a 10 ms timer 16–22
                    # ms with 0, 11–12.5 ms with 1)
                    QTimer.singleShot(1, self._draw_views)
                    return
                self._frame_views.pop(0)
                view_started = time.perf_counter()
                view.set_snapshot(snap)
                # Paint now, while training waits, instead of later competing with it for
                # the GIL: deliver the scenes' deferred change notices, then paint.
                QCoreApplication.sendPostedEvents()
                self._note_view_cost(view, time.perf_counter() - view_started)
                drawn += 1
        except BaseException:
            self._end_frame(snap, shown=False)
            raise
        self._end_frame(snap)

    def _note_view_cost(self, view, seconds: float) -> None:
        """The view's cost of drawing and painting a frame: the latest, or a slow decay
        from a costlier one (a view that was once expensive is expected to be again)."""
        self._view_costs[view] = max(seconds, VIEW_COST_DECAY * self._view_costs.get(view, 0.0))

    def _end_frame(self, snap: Snapshot, shown: bool = True):
        self._frame_in_progress, self._frame_views = False, []
        if shown:
            collector.frame_drawn(snap.structure, snap.playing)  # before training goes on
        self.client.frame_done()  # whether shown or not: training must not wait for it
        if shown:
            self.snapshot_shown.emit(snap)

    def _show_status(self, snap: Snapshot):
        p = snap.phase
        if p is not None:
            self.status_label.setText(f"Update {snap.steps_done + (p.kind != 'update')}, phase {p.number} of "
                                      f"{p.total} ({p.kind}):  {p.label}")
            return
        m = snap.last_metrics
        text = f"Epoch {snap.epoch + 1 if snap.steps_done else 0}   Update {snap.steps_done:,}"
        if m:
            text += f"   Train loss {m['train_loss']:.4f}"
            if m["test_loss"] == m["test_loss"]:
                text += f"   Test loss {m['test_loss']:.4f}"
            if not snap.regression:
                text += f"   Accuracy train {m['train_acc']:.1%}"
                if m["test_acc"] == m["test_acc"]:
                    text += f" / test {m['test_acc']:.1%}"
        self.status_label.setText(text)
        count = sum(p.size for _, _, p in snap.params)
        self.controls.set_parameter_count(count, len(snap.dataset.X_train))

    def _on_worker_stopped(self, message: str):
        self.player.show_playing(False)
        if message:
            self.message_bar.show_message(message, "warning")

    def _on_worker_notice(self, message: str):
        self.message_bar.show_message(message, "info")

    def _on_worker_failed(self, message: str):
        from .crash import write_log

        self.player.show_playing(False)
        summary = message.split("\n", 1)[0]
        path = write_log(message)
        where = f" (logged in {path})" if path else ""
        self.message_bar.show_message(f"Training stopped by an error: {summary}{where}", "error", details=message)

    def _on_open_requested(self):
        path, _ = QFileDialog.getOpenFileName(self, "Open a lesson, configuration or session", "",
                                              "nnviz files (*.json *.nnviz);;All files (*)")
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        if path.endswith(".nnviz"):
            return self.data.open_session(path)
        try:
            lesson = load_lesson(path)
        except ConfigError as err:
            self.message_bar.show_message(f"Not opened: {err}", "error")
            return False
        return self.lessons.switch(lesson)

    def _on_save_requested(self):
        self.save_config_with_dialog()

    def save_config_with_dialog(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, "Save configuration", "nnviz-config.json", "JSON (*.json)")
        return bool(path) and self.save_config(path)

    def save_config(self, path: str) -> bool:
        """Write the configuration atomically: a crash never leaves half a file."""
        text = json.dumps({"title": self.lesson.title, "text": self.lesson.text,
                           "config": self.config.to_dict()}, indent=2)
        try:
            atomic_write_text(path, text)
        except OSError as err:
            self.message_bar.show_message(f"Not saved: {path}: {err.strerror}", "error")
            return False
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def _on_shortcuts_requested(self):
        rows = "".join(f"<tr><td>{name}</td><td><b>{keys}</b></td></tr>" for name, keys in SHORTCUTS)
        QMessageBox.information(self, "Keyboard shortcuts", f"<table cellpadding=4>{rows}</table>")

    # -- settings and closing ----------------------------------------------------------
    def _restore_settings(self):
        s = self.settings
        self.arrangement.fit_screen(s.value("window/geometry"), s.value("window/state-v2"))
        self.player.set_pace(self.lesson.pace)  # every lesson opens at a pace a class can follow
        presentation = s.value("view/presentation", False) in (True, "true", "True", 1, "1")
        try:
            zoom = float(s.value("view/zoom", 1.0))
        except (TypeError, ValueError):
            zoom = 1.0
        if presentation or zoom != 1.0:
            self.set_appearance(presentation=presentation, zoom=zoom)
        for view in self.views.values():
            view.load_settings(s)

    def save_settings(self):
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state-v2", self.saveState())
        s.setValue("view/presentation", appearance.current.presentation)
        s.setValue("view/zoom", appearance.current.zoom)
        s.setValue("last/config", json.dumps(self.config.to_dict()))
        for view in self.views.values():
            view.save_settings(s)
        s.sync()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._wrap_toolbars()

    def _wrap_toolbars(self):
        """The timeline goes to a second row when both bars do not fit in one."""
        needed = self.player.sizeHint().width() + self.timeline.sizeHint().width() + 16
        screen = self.screen()
        room = min(self.width(), screen.availableGeometry().width()) if screen else self.width()
        wrapped = self.toolBarBreak(self.timeline)
        if needed > room and not wrapped:
            self.insertToolBarBreak(self.timeline)
        elif needed <= room and wrapped:
            self.removeToolBarBreak(self.timeline)

    def showEvent(self, event):
        self._wrap_toolbars()  # before the first layout: one row would widen the window
        super().showEvent(event)
        QTimer.singleShot(0, self.arrangement.clamp_to_screen)  # now that the frame is known

    def closeEvent(self, event):
        self.save_settings()
        self.stop_worker()
        super().closeEvent(event)

    def stop_worker(self):
        self.data.stop_download()
        self.client.stop()

