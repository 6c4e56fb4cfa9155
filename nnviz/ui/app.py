"""Starting the application."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from ..engine.config import Config, ConfigError
from ..engine.errors import InputError
from ..files import parse_json
from ..lessons import DEFAULT_LESSON, Lesson, load_lesson
from . import theme


GIL_SWITCH_INTERVAL = 0.0005  # seconds (CPython's default is 0.005)


def make_application() -> QApplication:
    # The GUI thread hands the GIL back and forth with the training thread on every
    # call into Qt; a short switch interval keeps each hand-over under a millisecond
    # (provided training ever keeps the GIL that long: see worker.GIL_NAP).
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("nnviz")
    app.setApplicationName("nnviz")
    font = app.font()
    font.setPointSize(theme.FONT_POINT_SIZE)
    app.setFont(font)
    theme.configure_pyqtgraph()
    if not hasattr(app, "crash_reporter"):
        from .crash import CrashReporter

        app.crash_reporter = CrashReporter(app)
    return app


def initial_lesson(name: str | None, settings: QSettings) -> tuple[Lesson, str]:
    """The lesson to open and a message for the window ("" if none)."""
    if name is None:
        saved = settings.value("last/config")
        if isinstance(saved, str) and saved:
            try:
                config = Config.from_dict(parse_json(saved, "saved settings"), source="saved settings")
                return Lesson("last", "Your last configuration", "", config), ""
            except InputError:
                pass  # settings from another version, or damaged: the default lesson instead
        name = DEFAULT_LESSON
    try:
        return load_lesson(name), ""
    except ConfigError as err:
        return load_lesson(DEFAULT_LESSON), f"Could not open {name}: {err}. Opened the default lesson."


def run_app(name: str | None = None) -> int:
    app = make_application()
    from .main_window import MainWindow  # after QApplication exists

    settings = QSettings()
    session_path = name if name is not None and name.endswith(".nnviz") else None
    lesson, message = initial_lesson(None if session_path else name, settings)
    if lesson.kind == "perceptron":
        from .perceptron.window import PerceptronWindow

        window = PerceptronWindow(lesson, settings=settings)
        window.show()
        _close_on_termination(app)
        return app.exec()
    app.crash_reporter.install()  # only in the real app: tests keep pytest's own hook
    window = MainWindow(lesson, settings)
    if message:
        window.message_bar.show_message(message, "error")
    if session_path:
        window.data.open_session(session_path)
    window.show()
    _close_on_termination(app)
    return app.exec()


def _close_on_termination(app: QApplication) -> None:
    """Ctrl+C or SIGTERM close the window like its close button: the worker stops,
    settings are saved, the exit is clean."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.closeAllWindows())
    # Python runs signal handlers only when it gets control: wake it now and then.
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(200)
