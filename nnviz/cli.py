"""Command line: ``nnviz`` opens the window; ``nnviz lessons``; ``nnviz train``;
``nnviz export``.

Exit status: 0 done; 1 a file could not be written; 2 bad input (an option, a lesson,
a file: one line naming what is wrong); 3 training diverged; 130/143 interrupted.
Nothing here imports Qt until a window or an export needs it.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import signal
import socket
import sys
import time

from . import __version__
from .engine.errors import InputError
from .lessons import DEFAULT_LESSON, lesson_names, load_lesson

MAX_UPDATES = 1_000_000  # a headless export trains at most this many updates (≈ a minute)
MAX_EPOCHS = 100_000
HEADLESS = ("`nnviz train LESSON --epochs N` trains and prints the metrics, "
            "`nnviz export LESSON --out DIR` writes figures, `nnviz lessons` lists the lessons")


def _count(low: int, high: int, what: str):
    """An argparse type: an integer between ``low`` and ``high``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number of {what}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected {low:,} to {high:,} {what}, got {value:,}")
        return value
    return parse


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected frames per second, got {text!r}") from None
    if not (math.isfinite(value) and 0.1 <= value <= 60):
        raise argparse.ArgumentTypeError(f"expected 0.1 to 60 frames per second, got {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nnviz", description="Train small neural networks and watch every step.",
        epilog="Without a command, opens the window on LESSON_OR_CONFIG (a built-in "
               f"lesson name, a JSON file or a .nnviz session; default: your last configuration, "
               f"or the '{DEFAULT_LESSON}' lesson).")
    parser.add_argument("--version", action="version", version=f"nnviz {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("lessons", help="list the built-in lessons")
    train = sub.add_parser("train", help="train headless and print metrics")
    train.add_argument("lesson", metavar="LESSON_OR_CONFIG")
    train.add_argument("--epochs", type=_count(1, MAX_EPOCHS, "epochs"), default=10)
    train.add_argument("--save", metavar="SESSION", help="write the trained state to a .nnviz session file")
    export = sub.add_parser("export", help="train headless and write figures (no window)")
    export.add_argument("lesson", metavar="CONFIG_OR_LESSON",
                        help="a lesson name, a configuration, or a figure-set JSON written by the window")
    export.add_argument("--updates", type=_count(0, MAX_UPDATES, "updates"), default=None,
                        help="train this many updates first")
    export.add_argument("--out", default=".", help="folder for the files")
    export.add_argument("--views", help="comma-separated view names (default: boundary,curves,graph)")
    export.add_argument("--format", default="png",
                        help="comma-separated: png,svg,pdf,csv,tex (tex: pgfplots/TikZ for LaTeX)")
    export.add_argument("--width", type=_count(100, 10_000, "pixels"), default=2400, help="PNG width in pixels")
    export.add_argument("--theme", choices=["projector", "screen"], default="projector")
    export.add_argument("--animate", nargs="?", const="auto", choices=["auto", "mp4", "gif"],
                        help="write an animation of the training instead: mp4 (needs nnviz[video], "
                             "i.e. imageio-ffmpeg) or gif; alone: mp4 when available, else gif")
    export.add_argument("--every", type=_count(1, MAX_UPDATES, "updates"), default=10,
                        help="updates between two animation frames")
    export.add_argument("--fps", type=_rate, default=10, help="animation frames per second")
    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("lesson", metavar="LESSON_OR_CONFIG", nargs="?", default=None)
    return parser


def main(argv=None) -> int:
    _exit_quietly_on_signals()  # first: Ctrl+C during start-up is not a traceback
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"lessons", "train", "export", "gui", "-h", "--help", "--version"}
    if not argv or argv[0] not in commands:
        argv = ["gui", *argv]
    try:
        return _run(_parser().parse_args(argv))
    except InputError as err:
        print(f"nnviz: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run(args) -> int:
    from .threads import use_one_blas_thread

    use_one_blas_thread()  # small matrices: a second BLAS thread only waits for a core
    if args.command == "lessons":
        return _list_lessons()
    if args.command == "export":
        _require_qt("nnviz export")
        from .export_cli import run_export

        return run_export(args.lesson, args.updates, args.out, args.views, args.format, args.width,
                          args.theme, args.animate, args.every, args.fps)
    if args.command == "train":
        return _train(args.lesson, args.epochs, args.save)
    return _open_window(args.lesson)


def _exit_quietly_on_signals() -> None:
    """SIGINT/SIGTERM end the process with the usual status (130, 143) and no traceback:
    as SystemExit, so that temporary files are cleaned up by their ``finally`` blocks.
    The window replaces these handlers once it is up (see ui.app)."""
    for sig, status in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        signal.signal(sig, lambda *_args, status=status: sys.exit(status))


def _list_lessons() -> int:
    names = lesson_names()
    width = max(len(name) for name in names) + 2
    for name in names:
        print(f"{name:<{width}}{load_lesson(name).title}")
    return 0


def _train(name: str, epochs: int, save: str | None = None) -> int:
    from .engine.run import TrainingRun
    from .engine.trainer import NonFiniteError

    lesson = load_lesson(name)
    if lesson.config is None:
        raise InputError(f"a perceptron-lab lesson; open it in the window: nnviz {name}", lesson.name)
    run = TrainingRun(lesson.config)
    start = time.perf_counter()
    try:
        for epoch in range(epochs):
            record = run.epoch()
            run.evaluate()
            rate = run.steps_done / max(time.perf_counter() - start, 1e-9)
            print(f"epoch {epoch + 1}/{epochs}  loss {record.loss:.4g}  {rate:,.0f} updates/s", flush=True)
    except NonFiniteError as err:
        print(f"nnviz: training diverged: {err} Lower the learning rate "
              f"(training.learning_rate is {run.config.training.learning_rate:g}).", file=sys.stderr)
        return 3
    _print_metrics(run.snapshot().last_metrics)
    if save:
        try:
            run.save(save, meta={"title": lesson.title, "text": lesson.text, "lesson": lesson.name})
        except OSError as err:
            print(f"nnviz: not saved: {save}: {err.strerror or err}", file=sys.stderr)
            return 1
        print(f"saved the session at update {run.steps_done:,} to {save}")
    return 0


def _print_metrics(metrics: dict) -> None:
    for part in ("train", "test"):
        loss, accuracy = metrics[f"{part}_loss"], metrics[f"{part}_acc"]
        if loss != loss:
            continue  # no test set
        print(f"{part} loss {loss:.4g}" + ("" if accuracy != accuracy else f"  accuracy {accuracy:.3f}"))


def _open_window(name: str | None) -> int:
    if name is not None and not name.endswith(".nnviz"):
        load_lesson(name)  # an unknown lesson or a bad file is named before Qt starts
    _require_qt("the window")
    problem = _no_display()
    if problem:
        print(f"nnviz: {problem}, so no window can open. Without a window: {HEADLESS}.", file=sys.stderr)
        return 2
    for sig, status in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        # until the window's own handlers are in place: never unwind half-built Qt objects
        signal.signal(sig, lambda *_args, status=status: os._exit(status))
    from .ui.app import run_app

    return run_app(name)


#: what the window and the exports need beyond NumPy (pyproject.toml's pins)
QT_PACKAGES = (("PySide6", "PySide6-Essentials>=6.10,<6.11"), ("pyqtgraph", "pyqtgraph>=0.13.7,<0.15"))


def _require_qt(what: str) -> None:
    """One line naming the missing package and how to install it, instead of a
    ModuleNotFoundError traceback (nnviz installed with --no-deps, or run from the source
    tree with another Python)."""
    missing = [(name, spec) for name, spec in QT_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        names = " and ".join(name for name, _ in missing)
        specs = " ".join(f"'{spec}'" for _, spec in missing)
        raise InputError(f"{what} needs {names}, which {'is' if len(missing) == 1 else 'are'} not installed "
                         f"for {sys.executable}: pip install {specs} (or pip install . in nnviz's folder). "
                         f"Without them: `nnviz train` and `nnviz lessons` work.")


def _no_display() -> str:
    """Why no window could open ("" when one can): Qt would abort the process instead."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return ""  # offscreen, minimal, vnc…: the user chose
    if os.environ.get("WAYLAND_DISPLAY") and not platform.startswith("xcb"):
        return ""
    display = os.environ.get("DISPLAY", "")
    if not display:
        return "there is no display (DISPLAY is not set)"
    return "" if _x_server_answers(display) else f"the display {display} does not answer"


def _x_server_answers(display: str) -> bool:
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return True  # a form this check does not know: let Qt try
    try:
        if host in ("", "unix"):
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(2)
                s.connect(f"/tmp/.X11-unix/X{number}")
        else:
            socket.create_connection((host, 6000 + int(number)), timeout=2).close()
    except OSError:
        return False
    return True
