"""The control panel alone, napari-style: no window, no thread. It shows a configuration
and asks for field changes; it never builds one."""

import pytest

from nnviz.engine.schema import FIELDS
from nnviz.lessons import lesson_names, load_lesson
from nnviz.ui.controls import ControlsPanel

from .conftest import enter_text

NETWORK_LESSONS = [n for n in lesson_names() if load_lesson(n).config is not None]


def shown(panel) -> dict:
    """What the widgets show, as dotted fields."""
    return {
        "data.dataset": panel.dataset.currentData(), "data.n": panel.n_points.value(),
        "data.noise": round(panel.noise.value(), 2), "data.test_ratio": panel.test_ratio.value() / 100,
        "data.seed": panel.data_seed.int_value(),
        "data.features": tuple(n for n, box in panel.features.items() if box.isChecked()),
        "network.hidden": panel.layers.layers(), "network.output": panel.output.currentData(),
        "network.initializer": panel.initializer.currentText(), "network.seed": panel.model_seed.int_value(),
        "training.learning_rate": float(panel.learning_rate.currentText()),
        "training.batch_size": panel.batch_size.value(), "training.optimizer": panel.optimizer.currentData(),
        "training.momentum": round(panel.momentum.value(), 2), "training.l1": float(panel.l1.currentText()),
        "training.l2": float(panel.l2.currentText()), "training.runs": panel.runs.value()}


def value_of(config, dotted):
    section, key = dotted.split(".")
    return getattr(getattr(config, section), key)


@pytest.fixture
def panel(qtbot):
    panel = ControlsPanel()
    qtbot.addWidget(panel)
    return panel


@pytest.mark.parametrize("name", NETWORK_LESSONS)
def test_every_lesson_is_shown_as_it_is(panel, name):
    config = load_lesson(name).config
    asked = []
    panel.changes_requested.connect(asked.append)
    panel.set_config(config)
    assert asked == [], "showing a configuration asks for nothing"
    for dotted, value in shown(panel).items():
        assert value == value_of(config, dotted), dotted


def test_values_beyond_the_old_widget_ranges_are_shown_unclamped(panel):
    config = load_lesson("circle").config.with_changes({
        "data.n": 100_000, "training.batch_size": 100_000, "data.seed": 2**32 - 1, "network.seed": 3_000_000_000})
    panel.set_config(config)
    values = shown(panel)
    assert values["data.n"] == 100_000 and values["training.batch_size"] == 100_000
    assert values["data.seed"] == 2**32 - 1 and values["network.seed"] == 3_000_000_000


def test_widget_ranges_are_the_validation_tables(panel):
    for widget, field in ((panel.n_points, "data.n"), (panel.batch_size, "training.batch_size"),
                          (panel.data_seed, "data.seed"), (panel.model_seed, "network.seed"),
                          (panel.runs, "training.runs")):
        assert (widget.minimum(), widget.maximum()) == (FIELDS[field].lo, FIELDS[field].hi), field


EDITS = {
    "data.n": lambda p: p.n_points.setValue(p.n_points.value() + 50),
    "data.noise": lambda p: p.noise.setValue(0.35),
    "data.test_ratio": lambda p: p.test_ratio.setValue(30),
    "data.seed": lambda p: p.data_seed.setValue(p.data_seed.value() + 1),
    "data.features": lambda p: p.features["x1*x2"].setChecked(not p.features["x1*x2"].isChecked()),
    "network.output": lambda p: p.output.setCurrentIndex(p.output.findData("sigmoid")),
    "network.initializer": lambda p: p.initializer.setCurrentText("he_normal"),
    "network.seed": lambda p: p.model_seed.setValue(9),
    "network.hidden": lambda p: p.layers._on_add_requested("Dense"),
    "training.learning_rate": lambda p: enter_text(p.learning_rate, "0.5"),
    "training.batch_size": lambda p: p.batch_size.setValue(17),
    "training.optimizer": lambda p: p.optimizer.setCurrentIndex(p.optimizer.findData("adam")),
    "training.momentum": lambda p: p.momentum.setValue(0.5),
    "training.l2": lambda p: enter_text(p.l2, "0.01"),
    "training.runs": lambda p: p.runs.setValue(3),
}


@pytest.mark.parametrize("field", EDITS)
def test_one_edit_changes_exactly_that_field(panel, field):
    config = load_lesson("circle").config
    panel.set_config(config)
    asked = []
    panel.changes_requested.connect(asked.append)
    EDITS[field](panel)
    assert len(asked) == 1, asked
    assert config.with_changes(asked[0]).changed_fields(config) == {field}


def test_the_layer_editor_keeps_what_it_cannot_edit(panel):
    config = load_lesson("batchnorm").config
    panel.set_config(config)
    asked = []
    panel.changes_requested.connect(asked.append)
    dense = [i for i, spec in enumerate(config.network.hidden) if spec.type == "Dense"][0]
    units = [w for w in panel.layers._widgets if w.toolTip() == "neurons in this layer"][0]
    units.setValue(units.value() + 1)
    changed = config.with_changes(asked[-1])
    assert changed.changed_fields(config) == {"network.hidden"}
    assert [s.type for s in changed.network.hidden] == [s.type for s in config.network.hidden]
    assert changed.network.hidden[dense]["units"] == config.network.hidden[dense]["units"] + 1
    others = [i for i in range(len(config.network.hidden)) if i != dense]
    assert all(changed.network.hidden[i] == config.network.hidden[i] for i in others)


def test_the_layer_editor_edits_the_lecture_options(panel):
    """leaky ReLU's α, the dropout modes, batch norm's test statistics, an Embedding's
    dimensions: each widget asks for exactly its field, with the schema's choices."""
    from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox

    config = load_lesson("words").config.with_changes({"network.hidden": [
        {"type": "Embedding", "dim": 2}, {"type": "Dense", "units": 3, "activation": "leaky_relu"},
        {"type": "Dropout", "rate": 0.34, "mode": "column"}, {"type": "Dense", "units": 4},
        {"type": "BatchNorm"}]})
    panel.set_config(config)
    asked = []
    panel.changes_requested.connect(asked.append)
    widgets = panel.layers._widgets
    slopes = [w for w in widgets if isinstance(w, QDoubleSpinBox) and w.prefix() == "α "]
    assert [box.isVisibleTo(panel) for box in slopes] == [True, False]  # only the leaky ReLU's
    slopes[0].setValue(0.05)
    assert asked[-1] == {"network.hidden[1].negative_slope": 0.05}
    combos = [w for w in widgets if isinstance(w, QComboBox)]
    mode = next(c for c in combos if c.currentText() == "column")
    assert [mode.itemText(k) for k in range(mode.count())] == ["neuron", "column", "connection"]
    mode.setCurrentText("connection")
    assert asked[-1] == {"network.hidden[2].mode": "connection"}
    inference = next(c for c in combos if c.currentData() == "moving_average")
    inference.setCurrentIndex(inference.findData("batch_average"))
    assert asked[-1] == {"network.hidden[4].inference": "batch_average"}
    dim = next(w for w in widgets if isinstance(w, QSpinBox) and "dimensions" in w.suffix())
    dim.setValue(3)
    assert asked[-1] == {"network.hidden[0].dim": 3}
    for change in asked:
        config.with_changes(change)  # every request is a valid configuration


def test_an_embedding_is_added_first(panel):
    panel.set_config(load_lesson("words").config.with_changes({"network.hidden": [{"type": "Dense", "units": 8}]}))
    asked = []
    panel.changes_requested.connect(asked.append)
    panel.layers._on_add_requested("Embedding")
    assert [layer["type"] for layer in asked[-1]["network.hidden"]] == ["Embedding", "Dense"]
