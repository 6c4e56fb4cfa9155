"""``nnviz export``: train headless (offscreen Qt, no window) and write figures,
tables or an animated GIF of chosen views at update N."""

from __future__ import annotations

import os
import sys

from .engine.config import ConfigError
from .engine.errors import InputError
from .files import parse_json, read_bounded
from .lessons import MAX_FILE_BYTES, load_lesson

DEFAULT_VIEWS = ("boundary", "curves", "graph")
VIEW_SIZE = (1200, 800)


def parse_list(text: str | None, allowed, what: str) -> list[str]:
    items = [t.strip() for t in (text or "").split(",") if t.strip()]
    unknown = [t for t in items if t not in allowed]
    if unknown:
        raise ConfigError(f"--{what}", f"unknown {', '.join(unknown)}; expected some of {', '.join(allowed)}")
    return items


def load_target(target: str):
    """A lesson name, a lesson/config file, or a figure-set JSON (which also says the
    update and the views). Returns (lesson, update or None, views or None)."""
    if target.endswith(".json") and os.path.exists(target):
        try:
            raw = parse_json(read_bounded(target, MAX_FILE_BYTES, "a figure set").decode("utf-8-sig"), target)
        except (InputError, UnicodeDecodeError):
            raw = None  # load_lesson below reads it again and names what is wrong
        if isinstance(raw, dict) and "update" in raw and "config" in raw:
            from .engine.config import Config
            from .lessons import Lesson

            config = Config.from_dict(raw["config"], source=target)
            name = str(raw.get("lesson", os.path.splitext(os.path.basename(target))[0]))
            return Lesson(name, str(raw.get("title", name)), "", config), int(raw["update"]), raw.get("views")
    return load_lesson(target), None, None


def run_export(target, updates, out, views=None, formats="png", width=2400, theme="projector",
               animate=None, every=10, fps=10) -> int:
    """Exit status 0, or 1 with one sentence on stderr when a file cannot be written
    (a full disk, a read-only folder): the previous files stay as they were."""
    from .ui.export import ExportError

    try:
        return _run_export(target, updates, out, views, formats, width, theme, animate, every, fps)
    except ExportError as err:
        print(f"nnviz: not exported: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # the output folder itself
        print(f"nnviz: not exported: {out}: {err.strerror or err}", file=sys.stderr)
        return 1


def _run_export(target, updates, out, views, formats, width, theme, animate, every, fps) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window appears
    from .ui.app import make_application
    from .ui.views import VIEWS

    by_id = {cls.view_id: cls for cls in VIEWS}
    lesson, saved_update, saved_views = load_target(target)
    if lesson.config is None:
        raise ConfigError("kind", "a perceptron-lab lesson has no training to export", lesson.name)
    chosen = parse_list(views, by_id, "views") or list(saved_views or DEFAULT_VIEWS)
    chosen = [v for v in chosen if v in by_id]
    fmts = parse_list(formats, ("png", "svg", "pdf", "csv"), "format")
    if animate not in (None, "gif"):
        raise ConfigError("--animate", f"expected gif, got {animate!r}")
    updates = saved_update if updates is None and saved_update is not None else (updates or 0)
    os.makedirs(out, exist_ok=True)
    app = make_application()  # the views need it
    from .engine.run import TrainingRun

    worker = TrainingRun(lesson.config)
    shown = [_make_view(by_id[v]) for v in chosen]
    app.processEvents()  # let the views take their size before they draw
    if animate:
        written = _animate(worker, shown, lesson.name, updates, every, fps, out, min(width, 1200), theme)
    else:
        _train(worker, updates)
        written = _export_all(worker, shown, lesson.name, fmts, width, theme, out)
    for path in written:
        print(path)
    return 0


def _make_view(cls):
    view = cls()
    view.resize(*VIEW_SIZE)
    view.show()
    return view


def _train(worker, updates, evaluations=100):
    """``updates`` updates with an evaluation every 1 % of them (the curves' points)."""
    every = max(1, updates // evaluations)
    done = 0
    while done < updates:
        n = min(every, updates - done)
        worker.train(n)
        done += n


def _export_all(worker, views, name, fmts, width, theme, out):
    from .ui.export import export_view

    snap = worker.snapshot()
    written = []
    for view in views:
        view.set_snapshot(snap)
        for fmt in fmts:
            if fmt != "csv" and view.export_item() is None:
                continue
            path = os.path.join(out, f"{name}-{view.view_id}-update{snap.steps_done}.{fmt}")
            written += export_view(view, path, fmt, width=width, projector=theme == "projector")
    return written


def _animate(worker, views, name, updates, every, fps, out, width, theme):
    """One GIF per view: a frame every ``every`` updates for ``updates`` updates."""
    from .ui.export import gif_bytes, projector_theme, render_image, to_pil, write_file

    frames = {view.view_id: [] for view in views}
    start = worker.steps_done
    for done in range(0, updates + 1, max(1, every)):
        if done:
            worker.train(every)
        snap = worker.snapshot()
        for view in views:
            view.set_snapshot(snap)
            item = view.export_item()
            if item is None:
                continue
            with projector_theme(item, theme == "projector"):
                frames[view.view_id].append(to_pil(render_image(item, width)))
        print(f"\rframe {done // max(1, every) + 1} of {updates // max(1, every) + 1}", end="", file=sys.stderr)
    print(file=sys.stderr)
    written = []
    for view_id, images in frames.items():
        if not images:
            continue
        path = os.path.join(out, f"{name}-{view_id}-updates{start}-{worker.steps_done}.gif")
        write_file(path, gif_bytes(images, fps))
        written.append(path)
    return written

