"""The perceptron lab's model side: owns the engine objects (Perceptron, OrNetwork),
applies the learner's commands and publishes immutable snapshots. Perceptron updates
take microseconds, so this QObject lives in the GUI thread; like the training worker
it is the only place where the lab's Qt meets the engine."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ...engine.datasets import make_dataset
from ...engine.perceptron import MulticlassPerceptron, Perceptron, PerceptronStep
from ...engine.perceptron_network import EXAMPLES, AndGroup, ClassNetworks, OrNetwork, three_clusters
from ...engine.perceptron_timeline import PerceptronTimeline

GRID = 120  # shading grid is GRID × GRID over [-6, 6]²
AXIS = np.linspace(-6.0, 6.0, GRID)


def _grid_points():
    gx, gy = np.meshgrid(AXIS, AXIS)
    return np.column_stack([gx.ravel(), gy.ravel()])


RULE_DEFAULTS = {"dataset": "separable", "n": 40, "noise": 0.0, "seed": 0, "policy": "first"}


@dataclass(frozen=True)
class LessonSetup:
    """What a perceptron lesson sets up; what it leaves out stays as it is in the lab."""
    rule: dict  # Rosenblatt's rule settings given (dataset, n, noise, seed, policy); {} for none
    max_epochs: int | None  # the Run button's limit
    example: str | None  # the builder's example network
    tab: str  # "rule" or "network": the view brought forward

    @classmethod
    def of(cls, lesson) -> "LessonSetup":
        settings = dict(lesson.perceptron or {}) if lesson is not None else {}
        tab, example, max_epochs = settings.pop("tab", "rule"), settings.pop("example", None), \
            settings.pop("max_epochs", None)
        return cls(settings, max_epochs, example, tab)


@dataclass(frozen=True)
class RuleSnapshot:
    X: np.ndarray  # (m, 2)
    y: np.ndarray  # (m,) ±1
    w: np.ndarray  # (3,) current weights (w1, w2, w0)
    last: PerceptronStep | None  # the update that made w (None at the start)
    updates: int  # updates done to reach w
    epochs: int
    misclassified: np.ndarray  # indices of the points with y·wᵀx̃ <= 0
    status: str  # what just happened, in words
    first: int = 0  # the oldest update the timeline can go back to
    recorded: int = 0  # the latest update recorded
    viewing: int | None = None  # the update shown after a rewind (None: the latest)
    playing: bool = False  # the View interface asks; the lab never plays


@dataclass(frozen=True)
class NetworkSnapshot:
    X: np.ndarray
    y: np.ndarray  # (m,) 0/1
    network: dict  # OrNetwork.to_dict()
    inside: np.ndarray  # (GRID, GRID) region membership over the plane
    accuracy: float
    selected: tuple | None  # (group, unit) being edited
    classes: np.ndarray | None = None  # multiclass: (GRID, GRID) class of each grid point, −1 = none
    class_units: np.ndarray | None = None  # multiclass: (K, 3) one unit per class
    status: str = ""
    playing: bool = False  # the View interface asks; the lab never plays


class PerceptronController(QObject):
    rule_changed = Signal(object)  # RuleSnapshot
    network_changed = Signal(object)  # NetworkSnapshot
    notice = Signal(str)  # something the learner should read (later updates discarded)

    def __init__(self, dataset="separable", n=40, noise=0.0, seed=0, policy="first", example="circle"):
        super().__init__()
        self._settings = dict(dataset=dataset, n=n, noise=noise, seed=seed, policy=policy)
        self.network = EXAMPLES[example]()
        self._network_data = example
        self._selected = None
        self._status = ""
        self.timeline: PerceptronTimeline | None = None  # Rosenblatt's rule and its record

    @property
    def perceptron(self) -> Perceptron:
        return self.timeline.perceptron

    # -- Rosenblatt's rule -------------------------------------------------------------
    @Slot(dict)
    def reset_rule(self, settings: dict | None = None):
        self._settings.update(settings or {})
        s = self._settings
        data = make_dataset(s["dataset"], n=s["n"], noise=s["noise"], seed=s["seed"], test_ratio=0.0)
        self.timeline = PerceptronTimeline(Perceptron(data.X_train, data.y_train, policy=s["policy"],
                                                      seed=s["seed"]))
        self._status = "w starts at 0: every point is on the boundary, so every point counts as misclassified."
        self._publish_rule()

    @Slot()
    def step(self):
        """One update; rewound, the next recorded one (the rule is deterministic: a Step
        from there computes exactly that update, so nothing needs discarding)."""
        t = self.timeline
        if t.viewing is not None:
            t.seek(t.viewing + 1)
            self._status = self._describe(t.step_at(t.shown)) + " (from the record: " + self._where() + ")"
            self._publish_rule()
            return
        step = t.step()
        if step is None:
            self._status = "No misclassified point left: w is a valid separator (y·wᵀx̃ > 0 for all points)."
        else:
            self._status = self._describe(step)
        self._publish_rule()

    @Slot(int)
    def advance(self, updates: int):
        """``updates`` single updates (fewer if w separates the data first), one snapshot."""
        done = 0
        while done < updates and self._continue(self.timeline.step) is not None:
            done += 1
        last = self.timeline.step_at(self.timeline.shown)
        if done < updates:
            self._status = (f"No misclassified point left after {self.perceptron.updates:,} updates: w is a "
                            "valid separator.")
        elif last is not None:
            self._status = self._describe(last)
        self._publish_rule()
        return done

    @staticmethod
    def _describe(step) -> str:
        return (f"Point {step.index + 1} was misclassified (y·wᵀx̃ = {step.y * (step.w_before @ step.x):+.2f} "
                "≤ 0), so w moved by y·x̃.")

    @Slot()
    def back(self):
        """One update back along the timeline."""
        self.seek(self.timeline.shown - 1)

    @Slot(int)
    def seek(self, k: int):
        t = self.timeline
        t.seek(k)
        where = self._where()
        self._status = where[0].upper() + where[1:] + "."
        self._publish_rule()

    def _where(self) -> str:
        t = self.timeline
        if t.viewing is None:
            return f"update {t.shown:,}, the latest"
        return (f"rewound to update {t.shown:,} of {t.last:,}; → goes forward through the record, "
                "Epoch or Run continue from here and discard the later updates")

    @Slot()
    def epoch(self):
        steps = self._continue(self.timeline.epoch)
        wrong = self.perceptron.misclassified().size
        self._status = (f"Epoch {self.perceptron.epochs}: {len(steps)} updates; {wrong} points misclassified now."
                        if steps else f"Epoch {self.perceptron.epochs}: no update — converged.")
        self._publish_rule()

    @Slot(int)
    def fit(self, max_epochs: int):
        result = self._continue(lambda: self.timeline.fit(max_epochs))
        self._status = result.reason[0].upper() + result.reason[1:] + "."
        self._publish_rule()

    def _continue(self, command):
        """Run a timeline command; from a rewound update, say which later updates it discarded."""
        rewound_at = self.timeline.viewing
        result = command()
        n = self.timeline.discarded
        if n:
            later = f"update {rewound_at + 1:,} was" if n == 1 else \
                f"the {n:,} later updates ({rewound_at + 1:,}–{rewound_at + n:,}) were"
            self.notice.emit(f"Continued from update {rewound_at:,}: {later} discarded; the timeline now "
                             "follows the new ones.")
        return result

    def _publish_rule(self):
        t, p = self.timeline, self.perceptron
        self.rule_changed.emit(RuleSnapshot(
            X=p.X[:, :2].copy(), y=p.y.copy(), w=p.w.copy(), last=t.step_at(t.shown), updates=p.updates,
            epochs=p.epochs, misclassified=p.misclassified(), status=self._status, first=t.first,
            recorded=t.last, viewing=t.viewing))

    # -- perceptron networks -----------------------------------------------------------
    @Slot(str)
    def load_example(self, name: str):
        if name == "multiclass":
            self._publish_multiclass()
            return
        self.network = EXAMPLES[name]()
        self._network_data = name
        self._selected = (0, 0)
        self._publish_network()

    def _publish_multiclass(self, max_epochs=100):
        """One perceptron per class, trained one-vs-rest by Rosenblatt's rule; a point
        belongs to the class whose unit alone fires (−1 where none or several do)."""
        X, y = three_clusters()
        multi = MulticlassPerceptron(X, y, n_classes=3)
        results = multi.fit(max_epochs)
        nets = ClassNetworks([OrNetwork([AndGroup([w])]) for w in multi.W])
        regions = nets.predict(_grid_points()).reshape(GRID, GRID)
        status = "; ".join(f"class {k + 1}: {r.reason}" for k, r in enumerate(results))
        self.network_changed.emit(NetworkSnapshot(
            X=X, y=y, network={"groups": [[list(map(float, w))] for w in multi.W]}, inside=regions >= 0,
            accuracy=nets.accuracy(X, y), selected=None, classes=regions, class_units=multi.W.copy(),
            status=f"argmax over the three units gives {(multi.predict(X) == y).mean():.1%}. {status}"))

    @Slot(str)
    def set_network_dataset(self, name: str):
        self._network_data = name
        self._publish_network()

    @Slot(object)
    def add_unit(self, w):
        """Add a unit (w1, w2, w0) to the selected AND-group (a new group if none)."""
        w = np.asarray(w, dtype=np.float64)
        if not self.network.groups:
            self.network.groups.append(AndGroup())
        group = self._selected[0] if self._selected else len(self.network.groups) - 1
        self.network.groups[group].units.append(w)
        self._selected = (group, len(self.network.groups[group].units) - 1)
        self._publish_network()

    @Slot()
    def new_group(self):
        self.network.groups.append(AndGroup())
        self._selected = (len(self.network.groups) - 1, None)
        self._publish_network()

    @Slot(object)
    def select(self, selection):
        self._selected = selection
        self._publish_network()

    @Slot()
    def flip_selected(self):
        unit = self._selected_unit()
        if unit is not None:
            g, u = unit
            self.network.groups[g].units[u] = -self.network.groups[g].units[u]
            self._publish_network()

    @Slot()
    def remove_selected(self):
        if self._selected is None:
            return
        g, u = self._selected
        if u is None:
            del self.network.groups[g]
        else:
            del self.network.groups[g].units[u]
        self._selected = None
        self._publish_network()

    @Slot()
    def clear_network(self):
        self.network = OrNetwork([AndGroup()])
        self._selected = (0, None)
        self._publish_network()

    def _selected_unit(self):
        if self._selected is None or self._selected[1] is None:
            return None
        g, u = self._selected
        if g < len(self.network.groups) and u < len(self.network.groups[g].units):
            return g, u
        return None

    def _publish_network(self):
        data = make_dataset(self._network_data, n=300, noise=0.0, seed=0, test_ratio=0.0)
        inside = self.network.contains(_grid_points()).reshape(GRID, GRID)
        self.network_changed.emit(NetworkSnapshot(
            X=data.X_train, y=data.y_train, network=copy.deepcopy(self.network.to_dict()),
            inside=inside, accuracy=self.network.accuracy(data.X_train, data.y_train),
            selected=self._selected))
