"""The window's lesson actions: switching lessons (asking before the learner's changes
are dropped) and the lessons' "try this" steps."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from ..lessons import Lesson


class LessonActions:
    """Lessons for a MainWindow: uses its ``lesson``, ``config``, ``apply_changes``,
    ``open_lesson``, the player commands and its message bar."""

    def __init__(self, window):
        self.window = window

    def switch(self, lesson: Lesson) -> bool:
        """Open another lesson, first asking what to do with the learner's own changes."""
        w = self.window
        # a perceptron lesson opens in the lab, beside this window: nothing here is replaced
        changed = lesson.kind != "perceptron" and w.lesson.config is not None and w.config != w.lesson.config
        if changed and not self.confirm_leave(lesson):
            return False
        w.open_lesson(lesson)
        return True

    def confirm_leave(self, lesson: Lesson) -> bool:
        """Ask before the learner's changes to this lesson's settings are dropped."""
        w = self.window
        box = QMessageBox(QMessageBox.Question, "Leave this lesson?",
                          f"You changed the settings of “{w.lesson.title}”. Opening “{lesson.title}” "
                          "replaces them.", QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, w)
        box.setTextFormat(_plain_text())
        box.button(QMessageBox.Save).setText("Save them first…")
        choice = box.exec()
        if choice == QMessageBox.Save:
            return w.save_config_with_dialog()
        return choice == QMessageBox.Discard

    def try_step(self, step) -> None:
        """A lesson's "try this": change what it says, then do what it says."""
        w = self.window
        if step.changes and not w.apply_changes(step.changes, f"Try this: {step.text}."):
            return
        actions = {"play": w.play, "pause": w.pause, "step": w.step, "phase": w.step_phase,
                   "epoch": w.step_epoch, "reset": w.reset}
        if step.action:
            actions[step.action]()


def _plain_text():
    from PySide6.QtCore import Qt

    return Qt.PlainText  # lesson titles are text, never markup
