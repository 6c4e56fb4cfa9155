"""The lessons: every "try this" applies what it says; switching asks before losing changes."""


import pytest

from nnviz.engine.config import ConfigError
from nnviz.lessons import LESSON_PATH, lesson_names, load_lesson, parse_lesson

from .conftest import enter_text, wait_for_snapshot

NETWORK_LESSONS = [n for n in lesson_names() if load_lesson(n).kind == "network"]


def field(config, dotted):
    section, key = dotted.split(".")
    return getattr(getattr(config, section), key)


@pytest.mark.parametrize("name", NETWORK_LESSONS)
def test_every_try_this_applies_what_it_says(qtbot, open_window, name):
    lesson = load_lesson(name)
    assert 2 <= len(lesson.steps) <= 4, "every lesson offers 2–4 things to try"
    window = open_window(lesson)
    for step in lesson.steps:
        generation = window.client.generation
        window.lessons.try_step(step)
        if step.changes and not step.live_only:
            wait_for_snapshot(qtbot, window, lambda s: s.generation > generation)
        expected = step.apply(lesson.config)
        for dotted in step.changes:
            assert field(window.config, dotted) == field(expected, dotted), (name, step.text, dotted)
        if step.action == "play":
            wait_for_snapshot(qtbot, window, lambda s: s.steps_done > 0)  # it trained (or diverged)
            window.pause()
            wait_for_snapshot(qtbot, window, lambda s: not s.playing)
        elif step.action in ("step", "phase"):
            wait_for_snapshot(qtbot, window, lambda s: s.steps_done > 0 or s.phase is not None)
        if step.live_only:
            wait_for_snapshot(qtbot, window, lambda s: all(
                field(s.config, d) == v for d, v in step.changes.items()))


def test_switching_lessons_asks_before_losing_changes(qtbot, open_window):
    window = open_window("circle")
    window.controls.model_seed.setValue(7)  # the learner's own change
    asked = []
    window.lessons.confirm_leave = lambda lesson: asked.append(lesson.name) or False
    assert not window.lessons.switch(load_lesson("xor"))
    assert asked == ["xor"] and window.lesson.name == "circle" and window.config.network.seed == 7
    window.lessons.confirm_leave = lambda lesson: True
    assert window.lessons.switch(load_lesson("minibatch"))
    assert window.lesson.name == "minibatch"
    asked.clear()
    window.lessons.confirm_leave = lambda lesson: asked.append(lesson.name) or True
    window.lesson_panel.next.click()  # no changes since: no question
    assert asked == [] and window.lesson.name == "regularization"


@pytest.mark.parametrize("change", ["live", "structural"])
def test_switching_after_a_live_or_structural_change_asks_first(qtbot, open_window, change):
    window = open_window("circle")
    if change == "live":
        enter_text(window.controls.learning_rate, "3")
        assert window.config.training.learning_rate == 3
    else:
        window.controls.noise.setValue(0.3)
        assert window.config.data.noise == 0.3
    asked = []
    window.lessons.confirm_leave = lambda lesson: asked.append(lesson.name) or False
    assert not window.lessons.switch(load_lesson("xor"))
    assert asked == ["xor"] and window.lesson.name == "circle"


def test_the_panel_shows_text_formula_steps_and_neighbours(qtbot, open_window):
    window = open_window("minibatch")
    panel = window.lesson_panel
    assert "Minibatch SGD" in panel.title.text() and "W ← W − α" in panel.formula.text()
    assert len(panel.step_buttons) == 4 and "Batch size 1" in panel.step_buttons[0].text()
    assert panel.previous.lesson == "backprop" and panel.next.lesson == "regularization"


def test_a_step_with_a_bad_field_is_named_with_the_file():
    text = ('{"title": "t", "config": {}, "steps": [{"text": "go", "set": {"training.learning_rate": -1}}]}')
    with pytest.raises(ConfigError, match=r"mine.json: steps\[0\].set.training.learning_rate"):
        parse_lesson(text, "mine", "mine.json")
    with pytest.raises(ConfigError, match=r"steps\[0\].action"):
        parse_lesson('{"config": {}, "steps": [{"text": "go", "action": "fly"}]}', "m", "m.json")


def test_nnviz_lessons_matches_the_files(capsys):
    from nnviz.cli import main
    from nnviz.lessons import _lesson_dir

    files = sorted(p.name[:-5] for p in _lesson_dir().iterdir() if p.name.endswith(".json"))
    assert main(["lessons"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert sorted(listed) == files
    assert listed[:len(LESSON_PATH)] == [n for n in LESSON_PATH if n in files]


def test_lesson_texts_call_views_what_their_tabs_say():
    """The lessons said "Gradient flow", "First-layer weights" and "Word embeddings";
    the tabs a learner looks for say "Gradients", "Weights W¹" and "Embeddings"."""
    from nnviz.lessons import _lesson_dir
    from nnviz.ui.views import VIEWS

    import json

    def texts(node):  # every "text" of a lesson and of its steps (a lesson's own title may be a view's)
        if isinstance(node, dict):
            return [v for k, v in node.items() if k == "text" and isinstance(v, str)] + \
                [t for v in node.values() for t in texts(v)]
        return [t for v in node for t in texts(v)] if isinstance(node, list) else []

    unseen = [view.title for view in VIEWS if view.title != view.short_title]
    for path in _lesson_dir().iterdir():
        if path.name.endswith(".json"):
            prose = " ".join(texts(json.loads(path.read_text(encoding="utf-8"))))
            assert not [title for title in unseen if title in prose], path.name
