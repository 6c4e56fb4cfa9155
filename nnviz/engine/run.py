"""TrainingRun: everything one training session is — data, model, trainer, the other
initialisations, the timeline and the metric history — behind a small API, no Qt.

    run = TrainingRun(config)
    run.update()          # one whole update → StepRecord (finishes one begun phase by phase)
    run.phase()           # the next phase of the update in progress → Phase
    run.epoch()           # the rest of the epoch
    run.set_hyper(learning_rate=0.1)   # from the next update that starts
    run.seek(k)           # exactly the state right after update k; forward replays exactly
    run.snapshot()        # a frozen Snapshot that never changes afterwards
    run.save(path); TrainingRun.load(path)

The window's worker wraps one in a thread; ``nnviz train``/``export``, the benchmarks
and the tests use it directly.

Several initialisations (``training.runs``) train as one stacked network with one
trainer and one timeline (see ``build_training``): ``models[r]`` is run r's own
Sequential, ``model``/``trainer.last_record.run(0)`` the main run's; the snapshot
shows the main run and the history holds every run's losses.
"""

from __future__ import annotations

import time

import numpy as np

from .build import build_training, check_fits, load_data, network_inputs
from .config import Config
from .history import History
from .inference import inference_losses
from .pictures import PlanePictures
from .records import StepRecord, empty_record
from .schema import ConfigError
from .snapshot import PhaseInfo, Snapshot, TimelineInfo, make_structure
from .summaries import summarize
from .timeline import Timeline
from .trainer import NonFiniteError

HYPER_FIELDS = ("learning_rate", "batch_size", "l1", "l2", "momentum")  # live settings


class TrainingRun:
    def __init__(self, config: Config, dataset=None):
        self.config = config  # the settings; live ones apply from the next update
        self.dataset = load_data(config.data) if dataset is None else dataset
        check_fits(config, self.dataset)
        self.models, self.trainer = build_training(config, self.dataset)  # models[r]: run r's Sequential
        self.tape = Timeline()  # checkpoints, per-update losses and settings of every run at once
        self.tape.start(self.trainer)
        self.history = History()
        features = config.data.features
        self._X_train = network_inputs(config, self.dataset)
        self._X_test = network_inputs(config, self.dataset, self.dataset.X_test)
        self.structure = make_structure(self.model, self.dataset, config, self._input_names())
        self._pictures = PlanePictures(features) if self.dataset.is_plane else None
        self._phases = None  # generator of the update being stepped phase by phase
        self._phase = None  # its latest Phase (None between updates)
        self._phase_count = 0  # phases taken in that update
        self._state_before_phases = None  # the trainer's state when it began (sessions save that)
        self._viewing = None  # the update shown after a rewind (None: the latest)
        self._settings_due = False  # live settings changed since the trainer took them
        self._evaluated = False  # the history's last row is the state shown
        self.notices: list[str] = []  # things the learner should be told (taken by the caller)
        self.meta: dict = {}  # a session's title, text and lesson name (see load)
        self.evaluate()  # the curves start at update 0

    # -- what it holds ---------------------------------------------------------------
    @property
    def model(self):
        """The main run's Sequential (of the first weight seed)."""
        return self.models[0]

    @property
    def runs(self) -> int:
        return len(self.models)

    @property
    def steps_done(self) -> int:
        return self.trainer.steps_done

    def run_steps(self) -> list[int]:
        """Updates each initialisation has done (one stopped by NaN/∞ stays where it stopped)."""
        return [self.trainer.stopped.get(r, self.trainer.steps_done) for r in range(self.runs)]

    @property
    def phase_in_progress(self) -> bool:
        return self._phases is not None

    @property
    def viewing(self) -> int | None:
        """The update shown after a rewind, None when the latest is shown."""
        return self._viewing

    def _input_names(self):
        if self.dataset.is_plane:
            return self.config.data.features
        if self.dataset.image_shape:
            return ("image",)
        if self.dataset.is_text:
            return self.dataset.vocabulary  # one-hot inputs, or the words an Embedding looks up
        return self.config.data.columns or tuple(f"x{i + 1}" for i in range(self._X_train.shape[1]))

    # -- training ----------------------------------------------------------------------
    def update(self) -> StepRecord:
        """One whole update (the rest of it, if it was begun phase by phase)."""
        if self._phases is not None:
            while self._phases is not None:
                self.phase()
            self._phase = None
            return self.trainer.last_record
        self._begin_update()
        epoch = self.trainer.epoch
        start = time.perf_counter()
        record = self.trainer.step()
        self._end_update(record, epoch, seconds=time.perf_counter() - start)
        return record

    def phase(self):
        """The next phase of the update in progress (a new update begins if none is)."""
        if self._phases is None:
            self._begin_update()
            self._state_before_phases = self.trainer.state()
            self._epoch_before_phases = self.trainer.epoch
            self._phases = self.trainer.phases()
            self._phase_count = 0
        try:
            phase = next(self._phases)
        except Exception:
            self._abandon_phases()  # back to the state before the update began
            raise
        self._phase, self._phase_count = phase, self._phase_count + 1
        if phase.kind == "update":
            for _ in self._phases:  # let the generator return: the update is applied
                pass
            self._phases = self._state_before_phases = None
            self._end_update(phase.record, self._epoch_before_phases, keep_phase=True)
        return phase

    def _abandon_phases(self):
        if self._state_before_phases is not None:
            self.trainer.restore(self._state_before_phases)
        self._phases = self._phase = self._state_before_phases = None

    def epoch(self) -> StepRecord:
        """The rest of the current epoch (a whole one if it is complete)."""
        record = self.update()
        while not self.trainer.epoch_finished:
            record = self.update()
        return record

    def train(self, updates: int) -> None:
        """``updates`` updates, then an evaluation (the curves get one point)."""
        for _ in range(updates):
            self.update()
        self.evaluate()

    def _begin_update(self):
        self._continue_from_view()
        if self._settings_due:
            self._apply_settings()
        self._phase = None

    def _end_update(self, record, epoch_before, keep_phase=False, seconds=None):
        k = self.trainer.steps_done
        loss = record.loss if isinstance(record.loss, float) else record.loss[0]
        self.tape.after_update(self.trainer, loss, seconds)
        if self.trainer.newly_stopped:
            self._tell_stopped()
        if self.trainer.epoch != epoch_before:
            self.history.add_epoch_start(k - 1)
        if not keep_phase:
            self._phase = None
        self._evaluated = False

    def _tell_stopped(self):
        """Another initialisation produced NaN/∞: it stopped there, the others go on."""
        for r, err in self.trainer.newly_stopped:
            self.notices.append(f"Initialisation {r + 1} (weight seed {self.config.network.seed + r}) "
                                f"stopped: {err}")
        self.trainer.newly_stopped = []

    # -- live settings -----------------------------------------------------------------
    def set_hyper(self, **values) -> None:
        """Learning rate, batch size, l1, l2, momentum from the next update that starts
        (never the one in progress). Raises ConfigError naming the field."""
        unknown = set(values) - set(HYPER_FIELDS)
        if unknown:
            raise ConfigError(f"training.{sorted(unknown)[0]}", "not a setting that applies live")
        self.config = self.config.with_changes({f"training.{k}": v for k, v in values.items()})
        self._settings_due = True

    def _apply_settings(self):
        """Give the trainer the configuration's live settings; the timeline notes them
        so that a replay applies them at the same update."""
        wanted = self._wanted_settings()
        changed = {k: v for k, v in wanted.items() if _current(self.trainer, k) != v}
        if changed:
            self.trainer.set_hyper(**changed)
            self.tape.record_settings(self.trainer.steps_done, changed)
        self._settings_due = False

    def _wanted_settings(self) -> dict:
        t = self.config.training
        values = {"learning_rate": t.learning_rate, "l1": t.l1, "l2": t.l2,
                  "batch_size": min(t.batch_size, self.trainer.n_train)}
        if t.optimizer == "sgd":
            values["momentum"] = t.momentum
        return values

    # -- rewinding ---------------------------------------------------------------------
    @property
    def timeline(self) -> TimelineInfo:
        return TimelineInfo(self.tape.origin, self.tape.end, self._viewing)

    def seek(self, k: int) -> None:
        """Show the state exactly as right after update k (an update begun phase by
        phase is abandoned). Training from there discards the later updates."""
        k = max(self.tape.origin, min(int(k), self.tape.end))
        self._phases = self._phase = self._state_before_phases = None
        self.tape.seek(self.trainer, k)  # every run at once; a stopped one is held as it was
        self.trainer.newly_stopped = []  # the replay stopped them again: old news
        self._viewing = k if k < self.tape.end else None
        self._settings_due = True  # the replay put the settings of update k back

    def _continue_from_view(self):
        """Training from a rewound update: the later history is discarded, and said so."""
        if self._viewing is None:
            return
        k, discarded = self._viewing, self.tape.end - self._viewing
        self.tape.truncate(k)  # a run that stopped after update k is healthy again at k
        self.history.truncate_after(k)
        self._viewing = None
        self._settings_due = True
        self.notices.append(f"Training continues from update {k:,}: the {discarded:,} later updates "
                            "were discarded.")

    # -- evaluation and snapshots ------------------------------------------------------
    def evaluate(self) -> None:
        """Append the metrics of the state shown to the history (the curves' next point)."""
        if self._viewing is None:
            self.history.append(self._metrics())
        self._evaluated = True

    def _metrics(self) -> dict:
        """Losses and accuracies on the whole sets, and the latest update's summaries.
        One pass of the (stacked) network evaluates every run."""
        t = self.trainer
        with np.errstate(all="ignore"):
            train_loss, train_acc = t.evaluate(self._X_train, self.dataset.y_train)
            test_loss, test_acc = (t.evaluate(self._X_test, self.dataset.y_test)
                                   if len(self._X_test) else (np.full(self.runs, np.nan), None))
            values = {"step": t.steps_done, "train_loss": _main(train_loss), "test_loss": _main(test_loss),
                      "train_acc": np.nan if train_acc is None else _main(train_acc),
                      "test_acc": np.nan if test_acc is None else _main(test_acc),
                      **inference_losses(t, self._X_test, self.dataset.y_test)}
            if t.last_record is not None:
                values.update(summarize(self.model, t.last_record.run(0)))
            if self.runs > 1:
                values["run_train_loss"] = np.asarray(train_loss, dtype=np.float64)  # (runs,) the main one first
                if len(self._X_test):
                    values["run_test_loss"] = np.asarray(test_loss, dtype=np.float64)
        return values

    def snapshot(self) -> Snapshot:
        """Everything a view may draw, frozen (it never changes afterwards)."""
        if not self._evaluated:
            self.evaluate()
        viewing = self._viewing
        history = (self.history.view(viewing, self._metrics()) if viewing is not None
                   else self.history.view())
        pictures = self._pictures
        with np.errstate(all="ignore"):
            return Snapshot(
                structure=self.structure, steps_done=self.steps_done, epoch=self.trainer.epoch,
                config=self.config, dataset=self.dataset, params=tuple(self.model.parameters()),
                record=self._shown_record(), phase=self._phase_info(), history=history,
                timeline=self.timeline, grid=pictures.boundary(self.model) if pictures else None,
                train_pred=self._predictions(self._X_train), test_pred=self._predictions(self._X_test),
                neuron_maps=pictures.neuron_maps(self.model) if pictures else (),
                input_maps=pictures.input_maps if pictures else None,
                test_proba=self._probabilities(self._X_test) if self.dataset.image_shape else None)

    def _phase_info(self) -> PhaseInfo | None:
        p = self._phase
        if p is None:
            return None
        return PhaseInfo(p.kind, p.layer, p.label, self._phase_count, self.structure.phase_total)

    def _shown_record(self):
        """The main run's latest record; during phase stepping, the update in progress,
        with the quantities not computed yet left as None (visibly absent)."""
        p = self._phase
        if p is None or p.kind == "update":
            return None if self.trainer.last_record is None else self.trainer.last_record.run(0)
        if p.record is not None:
            return p.record.run(0)
        layers = [layer.run(0) if self.runs > 1 else layer for layer in p.layers]
        layers += [empty_record(layer.kind, i) for i, layer in enumerate(self.model.layers) if i >= len(p.layers)]
        t = self.trainer
        return StepRecord(t.steps_done, t.epoch, None, None, float("nan"), float("nan"), layers, t.learning_rate)

    def _probabilities(self, X):
        return self.model.predict(X) if len(X) else np.zeros((0, self.model.output_dim))

    def _predictions(self, X):
        if not len(X):
            return np.empty(0)
        out = self.model.predict(X)
        if not self.trainer.is_classifier:
            return out[:, 0]
        return (out[:, 0] > 0.5).astype(int) if out.shape[1] == 1 else out.argmax(axis=1)

    # -- sessions ----------------------------------------------------------------------
    def save(self, path: str, meta: dict | None = None) -> None:
        """Write a .nnviz session of the main run as it is shown (an update stepped
        phase by phase is saved as it was before it began)."""
        from .session import save_session

        if not self._evaluated:
            self.evaluate()  # the curves end at the state saved
        config = self.config.with_changes({"training.runs": 1})  # sessions hold the main run
        state = self._state_before_phases or self.trainer.state()
        history = self.history.view(self._viewing) if self._viewing is not None else None
        save_session(path, config, self.trainer, self._history_arrays(history), meta,
                     state=_run_state(state, 0) if self.runs > 1 else state)

    def _history_arrays(self, view) -> dict:
        if view is None:
            return self.history.to_arrays()
        arrays = {name: np.asarray(view.get(name)).copy() for name in view.names()}
        arrays["epoch_starts"] = np.asarray(view.epoch_starts).copy()
        return arrays

    @classmethod
    def load(cls, path: str) -> "TrainingRun":
        """A new run at the state a session holds; raises SessionError (nothing else
        is touched: the caller swaps it in only when this returned)."""
        from .session import SessionError, check_session, load_session

        session = load_session(path)
        try:
            run = cls(session.config.with_changes({"training.runs": 1}))
            check_session(session, run.trainer)
            run.trainer.restore(session.state)
            run.tape.start(run.trainer)
            if session.history:
                run.history = History.from_arrays(session.history)
                run._evaluated = True
        except SessionError:
            raise
        except (ConfigError, ValueError, TypeError, KeyError, IndexError) as err:
            raise SessionError(f"the session cannot be restored: {err}", path) from None
        run.meta = session.meta
        return run


def _main(value):
    """The main run's value of a per-run metric (itself for one run)."""
    return value if np.ndim(value) == 0 else value[0]


def _run_state(state: dict, r: int) -> dict:
    """Run r's Trainer.state() out of a stacked trainer's: the slices of its arrays."""
    optimizer = {k: [a[r] for a in v] if isinstance(v, list) else v for k, v in state["optimizer"].items()}
    layers = [{name: a[r] for name, a in arrays.items()} for arrays in state["layers"]]
    return {**state, "layers": layers, "optimizer": optimizer, "stopped": {}}


def _current(trainer, name):
    """The trainer's current value of a live setting."""
    if name == "momentum":
        return getattr(trainer.optimizer, "momentum", None)
    return getattr(trainer, name)
