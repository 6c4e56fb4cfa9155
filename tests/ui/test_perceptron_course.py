"""The perceptron lab is part of the course: the main window's menus, previous/next
that lead to and from the main window, export of its views, and a window that fits
1280 × 720 and 1600 × 1000 with nothing cut."""

import json

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu

from nnviz.lessons import load_lesson
from nnviz.ui import appearance
from nnviz.ui.export_dialog import ExportDialog
from nnviz.ui.perceptron.window import PerceptronWindow

from .conftest import wait_for_snapshot
from .test_classroom import cut_texts


@pytest.fixture
def lab(qtbot, settings):
    opened = []

    def make(name="perceptron"):
        window = PerceptronWindow(load_lesson(name), settings=settings)
        qtbot.addWidget(window)
        window.show()
        opened.append(window)
        return window
    yield make
    for window in opened:  # main windows the labs opened: their workers must stop
        main = window.main
        if main is not None:
            main.close()
            assert not main.client.thread.isRunning()


@pytest.fixture
def normal_appearance():
    yield
    appearance.apply(appearance.Appearance(), [])  # what other tests expect


def menu(window, title):
    return next(m for m in window.findChildren(QMenu) if m.title().replace("&", "") == title)


def action(menu_, text):
    return next(a for a in menu_.actions() if a.text().replace("&", "").startswith(text))


# -- menus -----------------------------------------------------------------------------------
def test_the_menus_are_those_of_the_main_window(qtbot, lab, normal_appearance):
    window = lab()
    assert [a.text().replace("&", "") for a in window.menuBar().actions()] == ["File", "View", "Help"]
    file_menu, view_menu, help_menu = (menu(window, t) for t in ("File", "View", "Help"))
    assert action(file_menu, "Open lesson or configuration").shortcut().toString() == "Ctrl+O"
    assert action(file_menu, "Quit").shortcut().toString() == "Ctrl+Q"
    assert action(help_menu, "Keyboard shortcuts").shortcut().toString() == "F1"
    presentation = action(view_menu, "Presentation mode")
    assert presentation.isCheckable() and presentation.shortcut().toString() == "F11"
    before = window.rule_view.legend.labelTextSize()
    action(view_menu, "Larger text").trigger()
    assert appearance.current.zoom > 1.0
    presentation.trigger()
    assert appearance.current.presentation and presentation.isChecked()
    assert window.rule_view.legend.labelTextSize() != before  # the views follow
    assert window.settings.value("view/presentation") in (True, "true")
    action(view_menu, "Normal text size").trigger()
    assert appearance.current.zoom == 1.0


def test_the_built_in_lessons_menu_switches_the_lab(qtbot, lab):
    window = lab()
    lessons = menu(window, "Built-in lessons")
    action(lessons, load_lesson("perceptron-networks").title).trigger()
    assert window.lesson.name == "perceptron-networks" and window.tabs.currentWidget() is window.builder_view
    assert window.windowTitle() == f"nnviz — {window.lesson.title}"


def test_export_from_the_menu_writes_the_view(qtbot, lab, tmp_path, monkeypatch):
    window = lab()
    for _ in range(3):
        window.rule_view.step_requested.emit()
    asked = []

    def save_as(_parent, _caption, name, *_args):
        asked.append(name)
        return str(tmp_path / name), ""
    monkeypatch.setattr(ExportDialog, "exec", lambda self: True)  # PNG, the dialog's first format
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    export_menu = menu(window, "Export view")
    action(export_menu, "Rosenblatt's rule").trigger()
    assert asked == ["perceptron-rule-update3.png"]
    assert (tmp_path / asked[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    window.tabs.setCurrentWidget(window.builder_view)
    window.export_button.click()  # the tab row's Export…: the view in front
    assert asked[-1] == "perceptron-network.png" and (tmp_path / asked[-1]).stat().st_size > 1000


def test_a_perceptron_lesson_file_opens_in_the_lab_and_a_bad_one_says_why(qtbot, lab, tmp_path):
    window = lab("perceptron-networks")
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"title": "Mine", "kind": "perceptron",
                                "perceptron": {"dataset": "xor", "n": 12, "tab": "rule"}}))
    assert window.open_path(str(path))
    assert window.lesson.title == "Mine" and window.rule_view.snapshot.y.size == 12
    assert window.tabs.currentWidget() is window.rule_view
    path.write_text('{"kind": "perceptron", "perceptron": {"n": 2}}')
    assert not window.open_path(str(path))
    assert "perceptron.n" in window.message_bar.text()


# -- lessons: previous / next ------------------------------------------------------------------
def test_previous_and_next_between_the_perceptron_lessons_reconfigure_the_lab(qtbot, lab):
    window = lab()
    assert window.lesson_panel.previous.text() == "◀ inputs"
    for _ in range(4):
        window.rule_view.step_requested.emit()
    window.lesson_panel.next.click()  # perceptron-networks ▶
    assert window.lesson.name == "perceptron-networks" and window.tabs.currentWidget() is window.builder_view
    assert window.controller.timeline.last == 4  # the rule's work was left as it was
    window.lesson_panel.previous.click()  # ◀ perceptron: the lesson's own settings, from w = 0
    assert window.lesson.name == "perceptron" and window.tabs.currentWidget() is window.rule_view
    assert window.rule_view.snapshot.updates == 0 and window.rule_view.seed.value() == 3


def test_a_network_lesson_opens_a_main_window_with_the_same_settings(qtbot, lab):
    window = lab("perceptron-networks")
    window.lesson_panel.next.click()  # neuron ▶
    main = window.main
    assert main is not None and main.isVisible() and main.lesson.name == "neuron"
    assert main.settings is window.settings
    wait_for_snapshot(qtbot, main, lambda s: s is not None)
    assert window.isVisible()  # the lab stays behind, with its work
    main.lesson_panel.previous.click()  # ◀ perceptron-networks: back to this same lab
    assert main.perceptron_window is window and window.lesson.name == "perceptron-networks"
    window.lesson_panel.next.click()  # neuron ▶ again: the same main window, not a second one
    assert window.main is main


def test_from_the_inputs_lesson_to_the_lab_and_back(qtbot, open_window):
    main = open_window("inputs")
    main.client.advance(5)
    wait_for_snapshot(qtbot, main, lambda s: s.steps_done == 5)
    main.lesson_panel.next.click()  # perceptron ▶
    window = main.perceptron_window
    qtbot.addWidget(window)
    assert window.isVisible() and window.lesson.name == "perceptron" and window.main is main
    window.lesson_panel.previous.click()  # ◀ inputs: the main window again, its run untouched
    assert main.lesson.name == "inputs" and main.isVisible()
    QApplication.processEvents()
    assert main.snapshot.steps_done == 5
    window.lesson_panel.next.click()  # perceptron-networks, in the lab
    window.lesson_panel.next.click()  # neuron ▶: in the main window
    assert main.lesson.name == "neuron"
    wait_for_snapshot(qtbot, main, lambda s: s.steps_done == 0)
    main.lesson_panel.previous.click()  # ◀ perceptron-networks: the one lab comes back
    assert main.perceptron_window is window and window.lesson.name == "perceptron-networks"


# -- it fits ------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(1280, 720), (1600, 1000)], ids=["1280x720", "1600x1000"])
@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
def test_the_lab_fits_with_nothing_cut(qtbot, lab, size, presentation, normal_appearance):
    window = lab()
    window.set_appearance(presentation=presentation)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    for lesson in ("perceptron", "perceptron-networks"):
        window.go_to(lesson)
        for _ in range(3):
            window.controller.step()
        settle(qtbot, lambda: cut_texts(window) == [])  # the lesson column widens for its buttons first
        assert window.width() <= size[0] and window.height() <= size[1], lesson
        assert cut_texts(window) == [], lesson


def settle(qtbot, condition, timeout=2000):
    """Let the layouts (which follow each other through posted events) settle until
    ``condition`` holds, or the timeout: the assertion after it says what is wrong."""
    try:
        qtbot.waitUntil(condition, timeout=timeout)
    except qtbot.TimeoutError:
        pass
