"""The window's lesson actions: switching lessons (asking before the learner's changes
are dropped) and the lessons' "try this" steps."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from ..engine.config import ConfigError
from ..lessons import Lesson


class LessonActions:
    """Mixed into MainWindow."""

    def switch_lesson(self, lesson: Lesson) -> bool:
        """Open another lesson, first asking what to do with the learner's own changes."""
        if self.config != self.lesson.config and not self.confirm_leave(lesson):
            return False
        self.open_lesson(lesson)
        return True

    def confirm_leave(self, lesson: Lesson) -> bool:
        """Ask before the learner's changes to this lesson's settings are dropped."""
        box = QMessageBox(QMessageBox.Question, "Leave this lesson?",
                          f"You changed the settings of “{self.lesson.title}”. Opening “{lesson.title}” "
                          "replaces them.", QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, self)
        box.button(QMessageBox.Save).setText("Save them first…")
        choice = box.exec()
        if choice == QMessageBox.Save:
            self._on_save_requested()
            return True
        return choice == QMessageBox.Discard

    def try_step(self, step) -> None:
        """A lesson's "try this": change what it says, then do what it says."""
        try:
            config = step.apply(self.config, f"lesson {self.lesson.name}")
        except ConfigError as err:
            self.message_bar.show_message(f"Not applied: {err}", "warning")
            return
        if step.live_only:
            changes = {d.split(".", 1)[1]: v for d, v in step.changes.items()}
            self.controls.set_config(config)
            self._on_hyper_changed(changes)
        elif step.changes:
            self.config = config
            self.controls.set_config(config)
            self.reset(f"Try this: {step.text}.")
        actions = {"play": self.play, "pause": self.pause, "step": self.step, "phase": self.step_phase,
                   "epoch": self._epoch_command.emit, "reset": self.reset}
        if step.action:
            actions[step.action]()

