"""Command line: ``nnviz`` opens the window; ``nnviz lessons``; ``nnviz train``."""

from __future__ import annotations

import argparse
import sys
import time

from . import __version__
from .lessons import DEFAULT_LESSON, lesson_names, load_lesson
from .engine.config import ConfigError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nnviz", description="Train small neural networks and watch every step.",
        epilog="Without a command, opens the window on LESSON_OR_CONFIG (a built-in "
               f"lesson name or a JSON file; default: your last configuration, or the "
               f"'{DEFAULT_LESSON}' lesson).")
    parser.add_argument("--version", action="version", version=f"nnviz {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("lessons", help="list the built-in lessons")
    train = sub.add_parser("train", help="train headless and print metrics")
    train.add_argument("lesson", metavar="LESSON_OR_CONFIG")
    train.add_argument("--epochs", type=int, default=10)
    train.add_argument("--save", metavar="SESSION", help="write the trained state to a .nnviz session file")
    export = sub.add_parser("export", help="train headless and write figures (no window)")
    export.add_argument("lesson", metavar="CONFIG_OR_LESSON",
                        help="a lesson name, a configuration, or a figure-set JSON written by the window")
    export.add_argument("--updates", type=int, default=None, help="train this many updates first")
    export.add_argument("--out", default=".", help="folder for the files")
    export.add_argument("--views", help="comma-separated view names (default: boundary,curves,graph)")
    export.add_argument("--format", default="png",
                        help="comma-separated: png,svg,pdf,csv,tex (tex: pgfplots/TikZ for LaTeX)")
    export.add_argument("--width", type=int, default=2400, help="PNG width in pixels")
    export.add_argument("--theme", choices=["projector", "screen"], default="projector")
    export.add_argument("--animate", nargs="?", const="auto", choices=["auto", "mp4", "gif"],
                        help="write an animation of the training instead: mp4 (needs nnviz[video], "
                             "i.e. imageio-ffmpeg) or gif; alone: mp4 when available, else gif")
    export.add_argument("--every", type=int, default=10, help="updates between two animation frames")
    export.add_argument("--fps", type=float, default=10, help="animation frames per second")
    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("lesson", metavar="LESSON_OR_CONFIG", nargs="?", default=None)
    return parser


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"lessons", "train", "export", "gui", "-h", "--help", "--version"}
    if not argv or argv[0] not in commands:
        argv = ["gui", *argv]
    args = _parser().parse_args(argv)
    from .threads import use_one_blas_thread

    use_one_blas_thread()  # small matrices: a second BLAS thread only waits for a core
    try:
        if args.command == "lessons":
            return _list_lessons()
        if args.command == "export":
            from .export_cli import run_export

            return run_export(args.lesson, args.updates, args.out, args.views, args.format, args.width,
                              args.theme, args.animate, args.every, args.fps)
        if args.command == "train":
            return _train(args.lesson, args.epochs, args.save)
        return _open_window(args.lesson)
    except ConfigError as err:
        print(f"nnviz: {err}", file=sys.stderr)
        return 2


def _list_lessons() -> int:
    for name in lesson_names():
        print(f"{name:18s} {load_lesson(name).title}")
    return 0


def _train(name: str, epochs: int, save: str | None = None) -> int:
    from .engine.run import TrainingRun

    lesson = load_lesson(name)
    if lesson.config is None:
        raise ConfigError("kind", "this is a perceptron-lab lesson; open it in the window: "
                                  f"nnviz {name}", lesson.name)
    run = TrainingRun(lesson.config)
    start = time.perf_counter()
    for epoch in range(epochs):
        record = run.epoch()
        run.evaluate()
        rate = run.steps_done / (time.perf_counter() - start)
        print(f"epoch {epoch + 1}/{epochs}  loss {record.loss:.4f}  {rate:,.0f} updates/s", flush=True)
    metrics = run.snapshot().last_metrics
    for part in ("train", "test"):
        accuracy = metrics[f"{part}_acc"]
        print(f"{part} loss {metrics[f'{part}_loss']:.4f}" + ("" if accuracy != accuracy else f"  accuracy {accuracy:.3f}"))
    if save:
        run.save(save, meta={"title": lesson.title, "text": lesson.text, "lesson": lesson.name})
        print(f"saved the session at update {run.steps_done:,} to {save}")
    return 0


def _open_window(name: str | None) -> int:
    from .ui.app import run_app

    return run_app(name)
