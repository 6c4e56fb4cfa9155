"""Lessons: JSON files with a title, a short text, the key formula, 2–4 "try this" steps,
the views to bring forward, and the configuration (see README for the format)."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from .engine.config import LIVE_FIELDS, Config, ConfigError
from .engine.datasets import IMAGES
from .engine.errors import InputError
from .files import parse_json, read_bounded
from .paths import resource_files

DEFAULT_LESSON = "circle"
#: the course's path through the built-in lessons; the others follow as free playgrounds
LESSON_PATH = ("inputs", "perceptron", "perceptron-networks", "neuron", "feedforward", "backprop", "minibatch",
               "regularization", "dropout", "batchnorm", "vanishing-sigmoid", "vanishing-relu",
               "exploration", "images", "colour-images", "words")
ACTIONS = ("play", "pause", "step", "phase", "epoch", "reset")
MAX_FILE_BYTES = 5 * 2**20  # a lesson is a few kB; a larger file is refused before reading
MAX_STEPS = 1_000  # a lesson has 2–4 "try this" steps; each is validated as a whole configuration
PLANE_PACE = 20  # updates/s: a 2-D boundary visibly moves at each one
IMAGE_PACE = 100  # updates/s: an image network needs more updates to show change
MAX_PACE = 1_000  # the fastest pace a lesson may ask for ("as fast as possible" stays a click away)


@dataclass(frozen=True)
class Lesson:
    name: str  # file stem, e.g. "circle"
    title: str
    text: str
    config: Config | None  # None for a perceptron-lab lesson
    views: tuple = ()  # view ids to bring to the front ("gradients", "dropout", …)
    perceptron: dict | None = None  # the perceptron lab's settings, for kind "perceptron"
    formula: str = ""  # the key formula, shown beside the text
    steps: tuple = ()  # LessonStep, the "try this" buttons
    speed: int | None = None  # Play's pace in updates per second (None: the data's default)

    @property
    def kind(self) -> str:
        return "perceptron" if self.perceptron is not None else "network"

    @property
    def pace(self) -> int:
        """Updates per second Play starts at: slow enough for a class to watch the
        boundary form (a lesson file's ``speed``, else the data set's)."""
        if self.speed is not None:
            return self.speed
        images = self.config is not None and self.config.data.dataset in IMAGES + ("mnist",)
        return IMAGE_PACE if images else PLANE_PACE


@dataclass(frozen=True)
class LessonStep:
    """One "try this": change these configuration fields, then do this action."""
    text: str
    changes: dict  # dotted field → value, e.g. {"training.learning_rate": 3}
    action: str | None  # one of ACTIONS or None

    def apply(self, config: Config, source: str = "") -> Config:
        """The configuration with the changes made (validated: a ConfigError names the field)."""
        return config.with_changes(self.changes, source or None)

    @property
    def live_only(self) -> bool:
        """True when every change is a training setting the trainer takes without a reset."""
        return all(field in LIVE_FIELDS for field in self.changes)


def _lesson_dir():
    return resource_files().joinpath("lessons")


def lesson_names() -> list[str]:
    """Every built-in lesson: the course's path first, then the playgrounds."""
    found = sorted(p.name[:-5] for p in _lesson_dir().iterdir() if p.name.endswith(".json"))
    return [n for n in LESSON_PATH if n in found] + [n for n in found if n not in LESSON_PATH]


def neighbour(name: str, offset: int) -> str | None:
    """The lesson ``offset`` places from ``name`` on the course's path (None at the ends)."""
    names = lesson_names()
    if name not in names:
        return None
    k = names.index(name) + offset
    return names[k] if 0 <= k < len(names) else None


def load_lesson(name_or_path: str) -> Lesson:
    """A built-in lesson by name, or a lesson/config JSON file by path.

    Raises ConfigError naming the file and the field."""
    if name_or_path in lesson_names():
        source = f"lessons/{name_or_path}.json"
        text = _lesson_dir().joinpath(f"{name_or_path}.json").read_text(encoding="utf-8")
        name = name_or_path
    else:
        path = Path(name_or_path)
        if _looks_like_a_name(name_or_path) and not path.exists():
            raise UnknownLesson(name_or_path)
        source, name = str(path), path.stem
        text = _read_text(path, source)
    return parse_lesson(text, name, source)


class UnknownLesson(InputError):
    """A lesson name that is not one: the message suggests the closest ones."""

    def __init__(self, name: str):
        close = difflib.get_close_matches(name, lesson_names(), n=2, cutoff=0.6)
        hint = f" — did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        super().__init__(f"no lesson {name[:60]!r}{hint} (`nnviz lessons` lists them)")


def _looks_like_a_name(text: str) -> bool:
    """A bare word ("circel"), not a path ("my.json", "lessons/x.json")."""
    return "/" not in text and os.sep not in text and not text.endswith((".json", ".nnviz"))


def _read_text(path: Path, source: str) -> str:
    """The file as text: a regular file of at most MAX_FILE_BYTES (a FIFO or /dev/zero
    is refused at once), UTF-8 with or without a byte-order mark."""
    try:
        data = read_bounded(path, MAX_FILE_BYTES, "a lesson or configuration")
    except InputError as err:
        raise ConfigError("(file)", err.problem, source) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError("(file)", f"not UTF-8 text ({err.reason} at byte {err.start:,})", source) from None


def parse_lesson(text: str, name: str, source: str) -> Lesson:
    try:
        raw = parse_json(text, source)  # nesting depth limited, a byte-order mark accepted
    except InputError as err:
        raise ConfigError(err.field, err.problem, source) from None
    if isinstance(raw, dict) and raw.get("kind") == "perceptron":
        return _perceptron_lesson(raw, name, source)
    if isinstance(raw, dict) and "config" in raw:
        title, body, views = raw.get("title", name), raw.get("text", ""), raw.get("views", [])
        formula = raw.get("formula", "")
        for key, value in (("title", title), ("text", body), ("formula", formula)):
            if not isinstance(value, str):
                raise ConfigError(key, f"expected a string, got {value!r}", source)
        if not isinstance(views, list) or not all(isinstance(v, str) for v in views):
            raise ConfigError("views", f"expected a list of view names, got {views!r}", source)
        unknown = set(raw) - {"title", "text", "views", "config", "kind", "formula", "steps", "speed"}
        if unknown:
            raise ConfigError(sorted(unknown)[0], "unknown field; expected title, text, formula, steps, "
                                                  "views, speed, config", source)
        config = Config.from_dict(raw["config"], source)
        steps = _steps(raw.get("steps", []), config, source)
        speed = _speed(raw.get("speed"), source)
        return Lesson(name, title, body, config, tuple(views), None, formula, steps, speed)
    return Lesson(name, name, "", Config.from_dict(raw, source))  # a bare configuration


PERCEPTRON_FIELDS = {
    "dataset": ("separable", "gaussians", "xor", "circle"),
    "policy": ("first", "cyclic", "random"),
    "tab": ("rule", "network"),
    "example": ("circle", "xor"),
}
PERCEPTRON_NUMBERS = {"n": (4, 500, int), "noise": (0.0, 1.0, float), "seed": (0, 10**6, int),
                      "max_epochs": (1, 100_000, int)}


def _perceptron_lesson(raw: dict, name: str, source: str) -> Lesson:
    """A lesson for the perceptron lab: {"kind": "perceptron", "perceptron": {…}}."""
    title, body, formula = raw.get("title", name), raw.get("text", ""), raw.get("formula", "")
    for key, value in (("title", title), ("text", body), ("formula", formula)):
        if not isinstance(value, str):
            raise ConfigError(key, "expected a string", source)
    settings = raw.get("perceptron", {})
    if not isinstance(settings, dict):
        raise ConfigError("perceptron", f"expected an object, got {settings!r}", source)
    for key, value in settings.items():
        path = f"perceptron.{key}"
        if key in PERCEPTRON_FIELDS:
            if value not in PERCEPTRON_FIELDS[key]:
                raise ConfigError(path, f"expected one of {', '.join(PERCEPTRON_FIELDS[key])}, got {value!r}", source)
        elif key in PERCEPTRON_NUMBERS:
            lo, hi, kind = PERCEPTRON_NUMBERS[key]
            ok = not isinstance(value, bool) and isinstance(value, (int, float) if kind is float else int)
            if not ok or not lo <= value <= hi:
                raise ConfigError(path, f"expected a number from {lo} to {hi}, got {value!r}", source)
        else:
            raise ConfigError(path, "unknown field; expected "
                              + ", ".join([*PERCEPTRON_FIELDS, *PERCEPTRON_NUMBERS]), source)
    return Lesson(name, title, body, None, (), dict(settings), formula)


def _speed(value, source: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PACE:
        raise ConfigError("speed", f"expected updates per second from 1 to {MAX_PACE:,}, got "
                                   f"{str(value)[:40]!r}", source)
    return value


def _steps(raw, config: Config, source: str) -> tuple:
    """Validate the "try this" steps, applying each to the lesson's configuration."""
    if not isinstance(raw, list):
        raise ConfigError("steps", f"expected a list, got {raw!r}", source)
    if len(raw) > MAX_STEPS:  # refused before validating any: each costs a whole configuration check
        raise ConfigError("steps", f"{len(raw):,} steps; a lesson has at most {MAX_STEPS:,}", source)
    steps = []
    for i, item in enumerate(raw):
        path = f"steps[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ConfigError(f"{path}.text", "expected an object with a text", source)
        unknown = set(item) - {"text", "set", "action"}
        if unknown:
            raise ConfigError(f"{path}.{sorted(unknown)[0]}", "unknown field; expected text, set, action", source)
        changes, action = item.get("set", {}), item.get("action")
        if not isinstance(changes, dict):
            raise ConfigError(f"{path}.set", f"expected an object of fields, got {changes!r}", source)
        if action is not None and action not in ACTIONS:
            raise ConfigError(f"{path}.action", f"expected one of {', '.join(ACTIONS)}, got {action!r}", source)
        step = LessonStep(item["text"], dict(changes), action)
        try:
            step.apply(config)
        except ConfigError as err:
            raise ConfigError(f"{path}.set.{err.field}", err.problem, source) from None
        steps.append(step)
    return tuple(steps)
