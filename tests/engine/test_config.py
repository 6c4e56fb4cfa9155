"""Configurations: every field validated with its name; random input never crashes."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.engine.config import Config, ConfigError
from nnviz.lessons import lesson_names, load_lesson, parse_lesson


@pytest.mark.parametrize("raw, field", [
    ({"data": {"dataset": "moon"}}, "data.dataset"),
    ({"data": {"n": 2}}, "data.n"),
    ({"data": {"n": "many"}}, "data.n"),
    ({"data": {"noise": -0.1}}, "data.noise"),
    ({"data": {"test_ratio": 1.0}}, "data.test_ratio"),
    ({"data": {"features": []}}, "data.features"),
    ({"data": {"features": ["x1", "x1"]}}, "data.features"),
    ({"data": {"colour": 1}}, "data.colour"),
    ({"network": {"hidden": [{"units": 0}]}}, "network.hidden[0].units"),
    ({"network": {"hidden": [{"type": "Conv"}]}}, "network.hidden[0].type"),
    ({"network": {"hidden": [{"type": "Dropout", "rate": 1}]}}, "network.hidden[0].rate"),
    ({"network": {"hidden": [{"type": "Dense"}]}}, "network.hidden[0].units"),
    ({"network": {"output": "linear"}}, "network.output"),
    ({"network": {"hidden": "8,8"}}, "network.hidden"),
    ({"training": {"learning_rate": 0}}, "training.learning_rate"),
    ({"training": {"batch_size": True}}, "training.batch_size"),
    ({"training": {"optimizer": "rmsprop"}}, "training.optimizer"),
    ({"training": {"l2": float("nan")}}, "training.l2"),
    ({"extra": {}}, "extra"),
    ([], "(top level)"),
])
def test_each_bad_field_is_named(raw, field):
    with pytest.raises(ConfigError) as info:
        Config.from_dict(raw, source="my.json")
    assert info.value.field == field
    assert str(info.value).startswith(f"my.json: {field}: ")


def test_round_trip_through_json():
    config = Config.from_dict({"network": {"hidden": [{"type": "Dense", "units": 3, "activation": "relu"},
                                                      {"type": "BatchNorm"}, {"type": "Dropout", "rate": 0.2}]}})
    again = Config.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config


def test_build_makes_a_trainer_that_runs():
    dataset, model, trainer = Config.from_dict({"data": {"features": ["x1", "x2", "x1*x2"]}}).build()
    assert model.input_dim == 3
    rec = trainer.step()
    assert np.isfinite(rec.loss)


@pytest.mark.parametrize("name", lesson_names())
def test_every_built_in_lesson_builds_and_runs(name):
    lesson = load_lesson(name)
    assert lesson.title and lesson.text
    if lesson.kind == "perceptron":
        from nnviz.engine.perceptron import Perceptron
        from nnviz.engine import make_dataset

        s = lesson.perceptron
        data = make_dataset(s.get("dataset", "separable"), n=s.get("n", 40), seed=s.get("seed", 0), test_ratio=0.0)
        perceptron = Perceptron(data.X_train, data.y_train, policy=s.get("policy", "first"))
        for _ in range(50):
            perceptron.step()
        return
    _, _, trainer = lesson.config.build()
    for _ in range(50):
        trainer.step()


def test_a_perceptron_lesson_with_a_bad_field_is_named(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"kind": "perceptron", "perceptron": {"policy": "best"}}')
    with pytest.raises(ConfigError, match=r"p.json: perceptron.policy: expected one of first"):
        load_lesson(str(path))


def test_a_broken_lesson_file_names_the_file_and_line(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text('{"config": {"data": {"n": 10,}}}')
    with pytest.raises(ConfigError, match=r"mine.json: \(line 1, column \d+\): not valid JSON"):
        load_lesson(str(path))
    with pytest.raises(ConfigError, match=r"mine.json.missing: \(file\): cannot read it"):
        load_lesson(str(tmp_path / "mine.json.missing"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 300) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)

plausible = st.fixed_dictionaries({}, optional={
    "data": st.fixed_dictionaries({}, optional={
        "dataset": st.sampled_from(["circle", "xor", "plane", "spiral", "nope"]),
        "n": st.integers(-2, 300) | json_values, "noise": st.floats(-1, 2) | json_values,
        "features": st.lists(st.sampled_from(["x1", "x2", "x1^2", "sin(x1)", "bad"]), max_size=4)}),
    "network": st.fixed_dictionaries({}, optional={
        "hidden": st.lists(st.fixed_dictionaries({"type": st.sampled_from(["Dense", "Dropout", "BatchNorm"])},
                                                 optional={"units": st.integers(-1, 9), "rate": st.floats(-1, 2),
                                                           "activation": st.sampled_from(["relu", "tanh", "x"])}),
                           max_size=3),
        "output": st.sampled_from(["softmax", "sigmoid", "linear", "nope"])}),
    "training": st.fixed_dictionaries({}, optional={
        "learning_rate": st.floats(-1, 5) | json_values, "batch_size": st.integers(-1, 50) | json_values,
        "optimizer": st.sampled_from(["sgd", "adam", "x"])}),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plausible | json_values)
def test_random_configurations_give_a_model_or_a_config_error(raw):
    try:
        config = Config.from_dict(raw, source="random.json")
    except ConfigError as err:
        assert str(err).startswith("random.json: ")
        return
    _, model, trainer = config.build()
    trainer.step()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_random_lesson_text_gives_a_lesson_or_a_config_error(text):
    try:
        parse_lesson(text, "x", "x.json")
    except ConfigError:
        pass


@pytest.mark.parametrize("name, vanishes", [("vanishing-sigmoid", True), ("vanishing-relu", False),
                                           ("batchnorm", False)])
def test_the_vanishing_gradient_lessons_show_what_they_claim(name, vanishes):
    _, model, trainer = load_lesson(name).config.build()
    for _ in range(200):
        rec = trainer.step()
    first, last = rec.layers[0].grads["W"], rec.layers[-1].grads["W"]
    ratio = np.linalg.norm(first) / np.linalg.norm(last)
    assert (ratio < 0.01) == vanishes, f"‖dW^1‖/‖dW^o‖ = {ratio:.2e}"


# -- the immutable configuration ---------------------------------------------------------
from nnviz.lessons import lesson_names, load_lesson  # noqa: E402


@pytest.mark.parametrize("name", [n for n in lesson_names() if load_lesson(n).config is not None])
def test_every_lesson_round_trips_through_its_dict(name):
    config = load_lesson(name).config
    assert Config.from_dict(config.to_dict()) == config
    assert hash(config) == hash(Config.from_dict(config.to_dict()))


def test_fields_without_a_widget_and_large_values_round_trip():
    raw = {"data": {"n": 20_000}, "network": {"dtype": "float32", "hidden": [
        {"type": "Dense", "units": 8}, {"type": "BatchNorm", "momentum": 0.9, "epsilon": 0.01},
        {"type": "Activation", "activation": "relu"}]}, "training": {"batch_size": 8000, "seed": 2**32 - 1}}
    config = Config.from_dict(raw)
    assert Config.from_dict(config.to_dict()) == config
    changed = config.with_changes({"data.noise": 0.2})
    assert changed.network.dtype == "float32" and changed.data.n == 20_000
    assert changed.training.batch_size == 8000 and changed.network.hidden == config.network.hidden
    assert changed.changed_fields(config) == {"data.noise"}


def test_a_configuration_never_changes_in_place():
    config = Config()
    with pytest.raises(AttributeError):
        config.training.learning_rate = 3
    assert isinstance(config.network.hidden, tuple) and isinstance(config.data.features, tuple)


def test_with_changes_validates_and_names_the_field():
    config = Config()
    assert config.with_changes({"training.learning_rate": 3}).training.learning_rate == 3.0
    assert config.with_changes({"network.hidden[1].units": 7}).network.hidden[1]["units"] == 7
    with pytest.raises(ConfigError, match=r"network.hidden\[0\].units"):
        config.with_changes({"network.hidden[0].units": 0})
    with pytest.raises(ConfigError, match="training.nothing: no such field"):
        config.with_changes({"training.nothing": 1})
    with pytest.raises(ConfigError, match="no such layer"):
        config.with_changes({"network.hidden[9].units": 3})
    with pytest.raises(ConfigError, match="expected a field like"):
        config.with_changes({"learning_rate": 3})


def test_live_changes_are_told_apart_from_structural_ones():
    config = Config()
    assert config.with_changes({"training.learning_rate": 1, "training.l2": 0.01}).is_live_change(config)
    assert not config.with_changes({"training.runs": 2}).is_live_change(config)
    assert not config.with_changes({"data.seed": 5}).is_live_change(config)


@pytest.mark.parametrize("value, message", [
    (10**400, "a huge integer"), (float("nan"), "finite"), ("3", "expected a number"), (True, "expected a number")])
def test_numbers_that_escape_the_usual_checks_are_refused_by_name(value, message):
    with pytest.raises(ConfigError, match=f"training.learning_rate: .*{message}"):
        Config.from_dict({"training": {"learning_rate": value}})


def test_seeds_are_bounded_to_numpys_range():
    Config.from_dict({"data": {"seed": 2**32 - 1}})
    with pytest.raises(ConfigError, match="data.seed"):
        Config.from_dict({"data": {"seed": 2**32}})


def test_dropconnect_must_be_followed_by_a_dense_layer():
    with pytest.raises(ConfigError, match=r"network.hidden\[1\].mode"):
        Config.from_dict({"network": {"hidden": [{"type": "Dense", "units": 4},
                                                 {"type": "Dropout", "rate": 0.2, "mode": "connection"},
                                                 {"type": "BatchNorm"}]}})


def test_a_network_too_large_to_train_is_refused():
    with pytest.raises(ConfigError, match="network.hidden"):
        Config.from_dict({"network": {"hidden": [{"type": "Dense", "units": 1024}] * 8}})


def test_a_lesson_file_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "notepad.json"
    path.write_text(json.dumps({"data": {"dataset": "xor"}}), encoding="utf-8-sig")
    assert load_lesson(str(path)).config.data.dataset == "xor"


def test_a_thousand_steps_are_checked_and_more_are_refused_before_checking(tmp_path):
    lesson = {"title": "t", "text": "x", "config": {}, "steps": [{"text": "s"}] * 1000}
    assert len(parse_lesson(json.dumps(lesson), "many", "many.json").steps) == 1000
    lesson["steps"] = [{"text": "s", "set": {"training.batch_size": 0}}] * 1001
    with pytest.raises(ConfigError, match="1,001 steps; a lesson has at most 1,000"):
        parse_lesson(json.dumps(lesson), "many", "many.json")


# -- near-valid configurations never escape as another exception ---------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from nnviz.engine.schema import FIELDS, LAYER_FIELDS  # noqa: E402

_JSON = st.recursive(st.none() | st.booleans() | st.integers(-(10**40), 10**40) | st.floats(allow_nan=True)
                     | st.text(max_size=12),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                     max_leaves=12)


def _near(value):
    """A valid-looking value, or one of its type's edge cases, or any JSON at all."""
    return st.one_of(st.just(value), _JSON)


def _valid_values():
    base = Config().to_dict()
    return {name: {key: _near(value) for key, value in fields.items()} for name, fields in base.items()}


_LAYER = st.fixed_dictionaries({"type": st.sampled_from(list(LAYER_FIELDS) + ["Conv", 3])}).flatmap(
    lambda head: st.fixed_dictionaries({**{k: st.just(v) for k, v in head.items()},
                                        **{key: _JSON | st.just(default or 3) for key, (_c, default)
                                           in LAYER_FIELDS.get(head["type"], {}).items()}}))
_CONFIGS = st.fixed_dictionaries({
    "data": st.fixed_dictionaries({}, optional={k: v for k, v in _valid_values()["data"].items()}),
    "network": st.fixed_dictionaries({}, optional={**_valid_values()["network"],
                                                   "hidden": st.lists(_LAYER | _JSON, max_size=4)}),
    "training": st.fixed_dictionaries({}, optional=_valid_values()["training"]),
}) | _JSON


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(_CONFIGS)
def test_a_near_valid_configuration_is_accepted_or_refused_by_name_never_crashes(raw):
    try:
        config = Config.from_dict(raw, source="fuzz.json")
    except ConfigError as err:
        assert err.field and "fuzz.json" in str(err)
        return
    assert Config.from_dict(config.to_dict()) == config  # what is accepted round-trips
    assert set(FIELDS) >= {f"{s}.{k}" for s, d in config.to_dict().items() for k in d if k != "hidden"}
