"""``nnviz export``: train headless (offscreen Qt, no window) and write figures, tables,
LaTeX or an animation (MP4 or GIF) of chosen views at update N.

Exit status: 0 when everything was written; 2 for bad options or a view that does not
apply to the network or data (checked before training: nothing is written); 1 when a
file could not be written (the message names it; no partial file is left)."""

from __future__ import annotations

import os
import re
import sys

from .engine.config import ConfigError
from .engine.errors import InputError
from .files import parse_json, read_bounded
from .lessons import MAX_FILE_BYTES, load_lesson

MAX_UPDATES = 1_000_000  # as the command line's --updates (cli.MAX_UPDATES)
DEFAULT_VIEWS = ("boundary", "curves", "graph")
VIEW_SIZE = (1200, 800)  # the views' widget size (the screen theme exports at this size)


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
            return _figure_set(raw, target)
    return load_lesson(target), None, None


SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


def _figure_set(raw: dict, source: str):
    """(lesson, update, views) of a figure-set JSON, every field checked: its lesson name
    only names files inside --out (no folders, no "..")."""
    from .engine.config import Config
    from .lessons import Lesson

    config = Config.from_dict(raw["config"], source=source)
    stem = os.path.splitext(os.path.basename(source))[0]
    name = raw.get("lesson", stem)
    if not isinstance(name, str) or not SAFE_NAME.match(name) or ".." in name:
        raise ConfigError("lesson", "expected a plain name (letters, digits, - _ .), got "
                                    f"{str(name)[:60]!r}", source)
    update = raw["update"]
    if isinstance(update, bool) or not isinstance(update, int) or not 0 <= update <= MAX_UPDATES:
        raise ConfigError("update", f"expected an update number from 0 to {MAX_UPDATES:,}, got "
                                    f"{str(update)[:40]!r}", source)
    views = raw.get("views")
    if views is not None and (not isinstance(views, list) or not all(isinstance(v, str) for v in views)):
        raise ConfigError("views", f"expected a list of view names, got {str(views)[:60]!r}", source)
    title = raw.get("title", name)
    return Lesson(name, title if isinstance(title, str) else name, "", config), update, views


def run_export(target, updates, out, views=None, formats="png", width=2400, theme="projector",
               animate=None, every=10, fps=10) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window appears
    lesson, saved_update, saved_views = load_target(target)
    if lesson.kind == "perceptron":  # the lab's own views, from its controller
        from .perceptron_export import run_lab_export

        return run_lab_export(lesson, updates, out, views, formats, width, theme, animate)
    from .ui.export import FORMATS
    from .ui.views import VIEWS

    by_id = {cls.view_id: cls for cls in VIEWS}
    chosen = parse_list(views, by_id, "views") or [v for v in (saved_views or DEFAULT_VIEWS) if v in by_id]
    fmts = parse_list(formats, FORMATS, "format")
    animate = _animation_format(animate)
    if width < 100:
        raise ConfigError("--width", f"expected at least 100 pixels, got {width}")
    updates = saved_update if updates is None and saved_update is not None else (updates or 0)

    from .ui.app import make_application

    make_application()  # the views need it
    run = HeadlessRun(lesson.config)
    views = [_make_view(by_id[v]) for v in chosen]

    def produce():
        refuse_inapplicable(views, run.snapshot())
        os.makedirs(out, exist_ok=True)
        if animate:
            return _animate(run, views, lesson.name, updates, every, fps, out, min(width, 1200), theme, animate)
        run.train(updates)
        return _export_all(run.snapshot(), views, lesson.name, fmts, width, theme, out)

    return report_export(produce, views, run)


def report_export(produce, views, owner) -> int:
    """Run ``produce()`` (→ the paths it wrote) and print them; or one line saying what
    went wrong and the exit status (2 a view that does not apply, 1 a file not written).
    The views and their ``owner`` (a run, the lab) are closed in every case."""
    from .ui.export import ExportError, UnavailableView

    try:
        written = produce()
    except UnavailableView as err:
        print(f"nnviz: {err}", file=sys.stderr)
        return 2
    except ExportError as err:
        print(f"nnviz: not exported: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # the output folder cannot be made
        print(f"nnviz: not exported: {err.filename}: {err.strerror}", file=sys.stderr)
        return 1
    finally:
        close_views(views, owner)
    for path in written:
        print(path)
    return 0


def _animation_format(asked: str | None) -> str | None:
    """mp4 when imageio-ffmpeg is installed, gif otherwise ("auto"); mp4 without it falls
    back to gif and says so."""
    from .ui.animation import ANIMATION_FORMATS, mp4_available

    if asked is None:
        return None
    if asked not in (*ANIMATION_FORMATS, "auto"):
        raise ConfigError("--animate", f"expected one of {', '.join(ANIMATION_FORMATS)}, got {asked!r}")

    if asked == "gif" or mp4_available():
        return "mp4" if asked == "auto" else asked
    if asked == "mp4":
        print("nnviz: MP4 needs imageio-ffmpeg (pip install 'nnviz[video]'); writing a GIF instead",
              file=sys.stderr)
    return "gif"


class HeadlessRun:
    """Training without a thread or a window, through TrainingRun: the curves get a
    point every 1 % of the updates."""

    def __init__(self, config):
        from .engine.run import TrainingRun

        self.run = TrainingRun(config)

    def train(self, updates: int, evaluations: int = 100) -> None:
        """``updates`` updates with an evaluation every 1 % of them (the curves' points)."""
        every = max(1, updates // evaluations)
        done = 0
        while done < updates:
            n = min(every, updates - done)
            self.run.train(n)
            done += n

    def snapshot(self):
        return self.run.snapshot()

    @property
    def steps_done(self) -> int:
        return self.run.steps_done

    def close(self) -> None:
        self.run = None


def refuse_inapplicable(views, snapshot) -> None:
    """Raise UnavailableView for the first view that does not apply (before any training
    or file: what applies does not change while training)."""
    from .ui.export import refuse_unavailable

    for view in views:
        view.snapshot = snapshot
        refuse_unavailable(view)


def _make_view(cls):
    """A view that is never shown: an export lays out and draws its figure itself."""
    view = cls()
    view.resize(*VIEW_SIZE)
    return view


def close_views(views, run) -> None:
    """Delete the views (and the worker) now, while Python still runs: left to the end of
    the interpreter, Qt destroyed the scenes after Python had begun to shut down and the
    items' Python methods crashed the process (exit 139) after the files were written."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for view in views:
        view.close()
        view.deleteLater()
    run.close()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)


def _export_all(snap, views, name, fmts, width, theme, out):
    from .ui.export import export_view

    written = []
    for view in views:
        view.set_snapshot(snap)
        for fmt in fmts:
            if fmt in ("png", "svg", "pdf") and view.export_item() is None:
                continue
            if fmt == "tex" and not _has_tex(view):
                continue
            path = os.path.join(out, f"{name}-{view.view_id}-update{snap.steps_done}.{fmt}")
            written += export_view(view, path, fmt, width=width, projector=theme == "projector")
    return written


def _has_tex(view) -> bool:
    from .ui.export_tex import tex_writer

    return tex_writer(view) is not None


def _animate(run, views, name, updates, every, fps, out, width, theme, fmt):
    """One animation per view: a frame every ``every`` updates for ``updates`` updates."""
    from .ui.animation import view_frame, write_animation
    from .ui.export import ExportError

    drawable = [view for view in views if view.export_item() is not None]
    frames = {view.view_id: [] for view in drawable}
    start, every = run.steps_done, max(1, every)
    total = updates // every + 1
    for n in range(total):
        if n:
            run.train(every, evaluations=1)
        snap = run.snapshot()
        for view in drawable:
            view.set_snapshot(snap)
            frames[view.view_id].append(view_frame(view, width, theme == "projector"))
        print(f"\rframe {n + 1} of {total}", end="", file=sys.stderr)
    print(file=sys.stderr)
    written = []
    for view_id, images in frames.items():
        path = os.path.join(out, f"{name}-{view_id}-updates{start}-{run.steps_done}.{fmt}")
        try:
            write_animation(path, images, fps, fmt)
        except OSError as err:
            raise ExportError(f"{path}: cannot write it ({err.strerror})") from None
        written.append(path)
    return written
