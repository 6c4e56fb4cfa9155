"""The lab without a window, for ``nnviz export``: its controller builds the snapshots,
its views (never shown) draw them for the exporters, exactly as in the window."""

from __future__ import annotations

VIEW_SIZE = (1200, 800)  # the views' widget size, as export_cli's


def figure_stem(lesson_name: str, view) -> str:
    """``<lesson>-rule-update<k>`` / ``<lesson>-network``: the name of an exported figure."""
    snap = view.snapshot
    if view.view_id == "rule" and snap is not None:
        return f"{lesson_name}-{view.view_id}-update{snap.updates}"
    return f"{lesson_name}-{view.view_id}"


def view_classes() -> dict:
    """{view id: class} of the lab's views."""
    from .builder_view import PerceptronBuilderView
    from .rule_view import PerceptronRuleView

    return {cls.view_id: cls for cls in (PerceptronRuleView, PerceptronBuilderView)}


class HeadlessLab:
    """The controller set up as ``lesson`` says, and the views ``view_ids`` fed by it."""

    def __init__(self, lesson, view_ids):
        from .controller import RULE_DEFAULTS, LessonSetup, PerceptronController

        setup = LessonSetup.of(lesson)
        classes = view_classes()
        self.controller = PerceptronController()
        self.views = [classes[view_id]() for view_id in view_ids]
        for view in self.views:
            view.resize(*VIEW_SIZE)
            signal = self.controller.rule_changed if view.view_id == "rule" else self.controller.network_changed
            signal.connect(view.set_snapshot)
        self.controller.reset_rule({**RULE_DEFAULTS, **setup.rule})
        self.controller.load_example(setup.example or "circle")

    def advance(self, updates: int) -> int:
        """``updates`` Rosenblatt updates (fewer if the rule converges first); how many."""
        return self.controller.advance(updates) if updates else 0

    def close(self) -> None:
        self.controller = None
