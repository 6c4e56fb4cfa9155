"""Layout and view options persist in QSettings."""

from .conftest import wait_for_snapshot


def test_settings_round_trip(qtbot, open_window, settings):
    window = open_window()
    window.views["curves"].log_scale.setChecked(True)
    window.views["boundary"].show_test.setChecked(False)
    window.player.set_speed_value(10)
    window.docks["curves"].hide()
    window.close()
    settings.sync()

    again = open_window()
    assert again.views["curves"].log_scale.isChecked()
    assert not again.views["boundary"].show_test.isChecked()
    assert again.player.speed_value() == again.lesson.pace == 20  # each start at the lesson's pace
    assert not again.docks["curves"].isVisible()
    assert settings.value("last/config")


def test_the_view_menu_reopens_a_closed_dock(qtbot, open_window):
    window = open_window()
    window.docks["curves"].close()
    assert not window.docks["curves"].isVisible()
    window.docks["curves"].toggleViewAction().trigger()
    assert window.docks["curves"].isVisible()


def test_a_hidden_view_catches_up_when_shown(qtbot, open_window):
    window = open_window()
    window.docks["curves"].hide()
    with qtbot.waitSignal(window.snapshot_shown):
        window.player.step_action.trigger()
    window.docks["curves"].show()
    x, _ = window.views["curves"].train_loss.getData()
    assert list(x) == list(window.snapshot.history.step)
    wait_for_snapshot(qtbot, window, lambda s: s.steps_done == 1)


def test_every_lesson_names_only_views_that_exist():
    from nnviz.lessons import lesson_names, load_lesson
    from nnviz.ui.views import VIEWS

    ids = {cls.view_id for cls in VIEWS}
    for name in lesson_names():
        assert set(load_lesson(name).views) <= ids, name


def test_opening_a_lesson_brings_its_views_forward(qtbot, open_window):
    from nnviz.lessons import load_lesson

    window = open_window()
    window.open_lesson(load_lesson("dropout"))
    qtbot.waitUntil(lambda: window.views["dropout"].is_on_screen())
    # the lesson's network has two Dropout layers, and the view lists both
    qtbot.waitUntil(lambda: window.views["dropout"].layer_choice.count() == 2)


def test_every_lesson_plays_at_a_watchable_pace(qtbot, open_window):
    from nnviz.lessons import lesson_names, load_lesson
    from nnviz.ui.worker import MAX_SPEED

    window = open_window()
    for name in lesson_names():
        lesson = load_lesson(name)
        if lesson.kind != "network":
            continue
        window.open_lesson(lesson)
        speed = window.player.speed_value()
        assert speed != MAX_SPEED and speed <= 100, (name, speed)
        from nnviz.engine.datasets import IMAGES

        if lesson.config.data.dataset not in IMAGES + ("mnist",):
            assert 10 <= speed <= 30, (name, speed)
        qtbot.waitUntil(lambda: window.client.worker._speed == speed)


def test_fast_is_one_key_away_and_returns_to_the_pace(qtbot, open_window):
    from nnviz.ui.worker import MAX_SPEED

    window = open_window()
    pace = window.player.speed_value()
    window.player.fast_action.trigger()
    assert window.player.speed_value() == MAX_SPEED
    qtbot.waitUntil(lambda: window.client.worker._speed == MAX_SPEED)
    window.player.fast_action.trigger()
    assert window.player.speed_value() == pace
