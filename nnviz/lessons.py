"""Built-in lessons: JSON files in resources/lessons (title, text, config)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .engine.config import Config, ConfigError

DEFAULT_LESSON = "circle"
MAX_FILE_BYTES = 5 * 2**20  # a lesson is a few kB; a larger file is refused before reading


@dataclass(frozen=True)
class Lesson:
    name: str  # file stem, e.g. "circle"
    title: str
    text: str
    config: Config | None  # None for a perceptron-lab lesson
    views: tuple = ()  # view ids to bring to the front ("gradients", "dropout", …)
    perceptron: dict | None = None  # the perceptron lab's settings, for kind "perceptron"

    @property
    def kind(self) -> str:
        return "perceptron" if self.perceptron is not None else "network"


def _lesson_dir():
    return resources.files("nnviz.resources").joinpath("lessons")


def lesson_names() -> list[str]:
    return sorted(p.name[:-5] for p in _lesson_dir().iterdir() if p.name.endswith(".json"))


def load_lesson(name_or_path: str) -> Lesson:
    """A built-in lesson by name, or a lesson/config JSON file by path.

    Raises ConfigError naming the file and the field."""
    if name_or_path in lesson_names():
        source = f"lessons/{name_or_path}.json"
        text = _lesson_dir().joinpath(f"{name_or_path}.json").read_text(encoding="utf-8")
        name = name_or_path
    else:
        path = Path(name_or_path)
        source, name = str(path), path.stem
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ConfigError("(file)", f"{path.stat().st_size / 2**20:.0f} MiB is too large for a "
                                            "lesson or configuration", source)
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError("(file)", f"cannot read it: {err}", source) from None
    return parse_lesson(text, name, source)


def parse_lesson(text: str, name: str, source: str) -> Lesson:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"(line {err.lineno}, column {err.colno})", f"not valid JSON: {err.msg}",
                          source) from None
    if isinstance(raw, dict) and raw.get("kind") == "perceptron":
        return _perceptron_lesson(raw, name, source)
    if isinstance(raw, dict) and "config" in raw:
        title, body, views = raw.get("title", name), raw.get("text", ""), raw.get("views", [])
        if not isinstance(title, str) or not isinstance(body, str):
            raise ConfigError("title" if not isinstance(title, str) else "text", "expected a string", source)
        if not isinstance(views, list) or not all(isinstance(v, str) for v in views):
            raise ConfigError("views", f"expected a list of view names, got {views!r}", source)
        unknown = set(raw) - {"title", "text", "views", "config", "kind"}
        if unknown:
            raise ConfigError(sorted(unknown)[0], "unknown field; expected title, text, views, config", source)
        config = Config.from_dict(raw["config"], source)
        return Lesson(name, title, body, config, tuple(views))
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
    title, body = raw.get("title", name), raw.get("text", "")
    if not isinstance(title, str) or not isinstance(body, str):
        raise ConfigError("title" if not isinstance(title, str) else "text", "expected a string", source)
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
    return Lesson(name, title, body, None, (), dict(settings))
