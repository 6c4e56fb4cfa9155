"""The window's side of the training thread: one object that starts the worker,
sends it commands, drops snapshots from before the last reset, hands the newest one
on (older ones are skipped when the GUI is busy) and tells the worker when a frame
has been drawn."""

from __future__ import annotations

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, QTimer, Signal

from ..engine.config import Config
from ..engine.snapshot import Snapshot
from .worker import TrainingWorker


class TrainingClient(QObject):
    snapshot_ready = Signal(object)  # the newest Snapshot of the current generation
    stopped = Signal(str)  # training stopped on its own (divergence)
    failed = Signal(str)  # an unexpected error, with its traceback
    notice = Signal(str)  # something the learner should know
    rejected = Signal(str)  # a configuration or session was not used; the old run goes on
    opened = Signal(object)  # (path, config, meta): a session replaced the run
    restored = Signal(object)  # the config of the run an undo brought back
    _command = Signal(str, object)  # (name, args) to the worker, queued across threads

    def __init__(self, config: Config, parent=None):
        super().__init__(parent)
        self.generation = 0  # bumped by every reset and open; older snapshots are dropped
        self._pending: Snapshot | None = None  # newest snapshot not handed on yet
        self.thread = QThread(self)
        self.thread.setObjectName("nnviz-training")
        self.worker = TrainingWorker(config)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.start)
        self.thread.finished.connect(self.worker.deleteLater)
        self._command.connect(self.worker.command)
        # bound methods of this GUI-thread object, never lambdas: a lambda would run
        # in the worker's thread and touch widgets there
        self.worker.snapshot_ready.connect(self._on_snapshot)
        for name in ("stopped", "failed", "notice", "rejected", "opened", "restored"):
            getattr(self.worker, name).connect(getattr(self, name))
        self.thread.start()

    # -- commands ----------------------------------------------------------------------
    def reset(self, config: Config) -> None:
        self._new_generation()
        self._send("reset", config, self.generation)

    def open_session(self, path: str) -> None:
        self._new_generation()
        self._send("open", path, self.generation)

    def _new_generation(self):
        self.generation += 1

    def undo(self) -> None:
        """The run before the last rebuild, with its trained state (a second undo redoes)."""
        self._new_generation()
        self._send("undo", self.generation)

    def play(self):
        self._send("play")

    def pause(self):
        self._send("pause")

    def step(self):
        self._send("step")

    def phase(self):
        self._send("phase")

    def epoch(self):
        self._send("epoch")

    def advance(self, updates: int):
        self._send("advance", int(updates))

    def seek(self, k: int):
        self._send("seek", int(k))

    def set_speed(self, updates_per_second: int):
        self._send("speed", int(updates_per_second))

    def set_hyper(self, values: dict):
        self._send("hyper", dict(values))

    def save_session(self, path: str, meta: dict):
        self._send("save", path, dict(meta))

    def _send(self, name, *args):
        self._command.emit(name, args)

    # -- snapshots ---------------------------------------------------------------------
    def _on_snapshot(self, snap: Snapshot):
        if snap.generation < self.generation:
            self.frame_done()  # from before the last reset: training need not wait for it
            return
        first = self._pending is None
        self._pending = snap
        if first:
            QTimer.singleShot(0, self._hand_on)  # coalesce: the newest snapshot wins

    def _hand_on(self):
        snap, self._pending = self._pending, None
        if snap is None or snap.generation < self.generation:
            self.frame_done()
            return
        self.snapshot_ready.emit(snap)

    def frame_done(self):
        """The window has drawn a frame: training may go on once the paints it posted
        are done too (a zero timer runs after the posted events)."""
        QTimer.singleShot(0, self.worker.frame_drawn.set)

    def stop(self):
        """Stop the thread; waits at most one training chunk (~12 ms) for the worker."""
        if self.thread.isRunning():
            QMetaObject.invokeMethod(self.worker, "shutdown", Qt.BlockingQueuedConnection)
            self.thread.quit()
            self.thread.wait(5000)
