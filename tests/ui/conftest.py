import pytest
from PySide6.QtCore import QSettings

from nnviz.lessons import load_lesson
from nnviz.ui.app import make_application


@pytest.fixture(scope="session", autouse=True)
def nnviz_app(qapp):
    return make_application()


@pytest.fixture
def settings(tmp_path):
    """QSettings in a temporary INI file: tests never touch the user's settings."""
    return QSettings(str(tmp_path / "nnviz.ini"), QSettings.IniFormat)


@pytest.fixture
def open_window(qtbot, settings):
    """open_window(lesson) → a shown MainWindow whose first snapshot is on screen."""
    from nnviz.ui.main_window import MainWindow

    windows = []

    def make(lesson="circle", window_settings=None):
        lesson = load_lesson(lesson) if isinstance(lesson, str) else lesson
        window = MainWindow(lesson, window_settings or settings)
        window.resize(1200, 800)
        windows.append(window)
        with qtbot.waitSignal(window.snapshot_shown, timeout=5000):
            window.show()
        return window

    yield make
    for window in windows:
        window.close()
        assert not window.client.thread.isRunning()


def wait_for_snapshot(qtbot, window, condition, timeout=5000):
    """Wait until a snapshot satisfying ``condition`` has been drawn; return it. (The
    window takes a snapshot before drawing it, a few views per event-loop turn while
    playing: a frame still being drawn would be shown, with snapshot_shown, later.)"""
    qtbot.waitUntil(lambda: window.snapshot is not None and not window.drawing_frame
                    and condition(window.snapshot), timeout=timeout)
    return window.snapshot


def enter_text(combo, text: str) -> None:
    """Type ``text`` into an editable combo box and finish with Return, as a learner does."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    edit = combo.lineEdit()
    edit.selectAll()
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key_Return)
