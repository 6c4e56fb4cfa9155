"""``nnviz export`` for a perceptron-lab lesson: the lab's controller and views without a
window (offscreen Qt). ``--updates N`` takes N Rosenblatt updates for the rule view
(fewer when w separates the data first: the file names say how many); the network
view shows the lesson's example network.

Exit status as export_cli: 0 written; 2 a bad option (nothing written); 1 a file
could not be written."""

from __future__ import annotations

import os
import sys

from .engine.config import ConfigError
from .export_cli import parse_list, report_export

LAB_FORMATS = ("png", "svg", "pdf", "csv")


def default_views(lesson) -> list[str]:
    """The view the lesson brings forward."""
    return ["network" if (lesson.perceptron or {}).get("tab") == "network" else "rule"]


def run_lab_export(lesson, updates, out, views=None, formats="png", width=2400, theme="projector",
                   animate=None) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window appears
    from .ui.perceptron.headless import HeadlessLab, figure_stem, view_classes

    chosen = parse_list(views, view_classes(), "views") or default_views(lesson)
    fmts = parse_list(formats, LAB_FORMATS + ("tex",), "format")
    if "tex" in fmts:
        raise ConfigError("--format", "the perceptron lab's views have no LaTeX export; use png, svg, pdf or csv")
    if animate:
        raise ConfigError("--animate", "the perceptron lab has no animation export; export figures at "
                                       "--updates N instead")
    if width < 100:
        raise ConfigError("--width", f"expected at least 100 pixels, got {width}")

    from .ui.app import make_application
    from .ui.export import export_view

    make_application()  # the views need it
    lab = HeadlessLab(lesson, chosen)

    def produce():
        done = lab.advance(updates or 0)
        if "rule" in chosen and updates and done < updates:
            print(f"nnviz: w separates the data after {done:,} updates; the rule view shows update {done:,}",
                  file=sys.stderr)
        os.makedirs(out, exist_ok=True)
        return [path for view in lab.views for fmt in fmts
                for path in export_view(view, os.path.join(out, f"{figure_stem(lesson.name, view)}.{fmt}"), fmt,
                                        width=width, projector=theme == "projector")]

    return report_export(produce, lab.views, lab)
