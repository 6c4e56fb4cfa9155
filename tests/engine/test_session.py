"""Session files: round trip, identical continuation, and clean refusals."""

import io
import json
import zipfile

import numpy as np
import pytest

from nnviz.engine.config import Config
from nnviz.engine.session import SessionError, load_session, restore_into, save_session

CONFIG = {"data": {"dataset": "spiral", "n": 100, "seed": 1},
          "network": {"hidden": [{"type": "Dense", "units": 6, "activation": "relu"}, {"type": "BatchNorm"},
                                 {"type": "Dropout", "rate": 0.2}]},
          "training": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 8}}


def trained(updates=37):
    config = Config.from_dict(CONFIG)
    _, _, trainer = config.build()
    for _ in range(updates):
        trainer.step()
    return config, trainer


def test_round_trip_restores_identical_parameters_and_continues_identically(tmp_path):
    config, trainer = trained()
    path = tmp_path / "class.nnviz"
    save_session(str(path), config, trainer, history={"step": np.arange(5.0)}, meta={"title": "demo"})
    session = load_session(str(path))
    assert session.config == config and session.meta["title"] == "demo"
    np.testing.assert_array_equal(session.history["step"], np.arange(5.0))
    _, model, again = restore_into(session)
    for (_, _, a), (_, _, b) in zip(model.parameters(), trainer.model.parameters()):
        np.testing.assert_array_equal(a, b)
    assert again.steps_done == 37
    for _ in range(20):
        assert again.step().loss == trainer.step().loss


def corrupt(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def valid_bytes(tmp_path):
    config, trainer = trained(3)
    path = tmp_path / "ok.nnviz"
    save_session(str(path), config, trainer)
    return path.read_bytes()


def rezip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def members_of(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_refusals_name_the_file_and_the_problem(tmp_path):
    good = valid_bytes(tmp_path)
    cases = {
        "empty.nnviz": (b"", "not an nnviz session"),
        "truncated.nnviz": (good[: len(good) // 2], "truncated"),
        "foreign.nnviz": (rezip({"readme.txt": b"hello"}), "session.json or arrays.npz missing"),
        "text.nnviz": (b"just some text", "not an nnviz session"),
    }
    members = members_of(good)
    document = json.loads(members["session.json"])
    document["config"]["training"]["batch_size"] = 0
    cases["badconfig.nnviz"] = (rezip({**members, "session.json": json.dumps(document)}), "training.batch_size")
    document = json.loads(members["session.json"])
    document["version"] = 99
    cases["future.nnviz"] = (rezip({**members, "session.json": json.dumps(document)}), "version 99")
    pickled = io.BytesIO()
    np.save(pickled, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    cases["pickle.nnviz"] = (rezip({**members, "arrays.npz": rezip({"perm.npy": pickled.getvalue()})}), "")
    for name, (data, message) in cases.items():
        with pytest.raises(SessionError) as info:
            session = load_session(corrupt(tmp_path, name, data))
            restore_into(session)
        assert name in str(info.value) or "layer" in str(info.value) or "state" in str(info.value), name
        assert message in str(info.value), (name, str(info.value))
    with pytest.raises(SessionError, match="cannot read"):
        load_session(str(tmp_path / "missing.nnviz"))


def test_a_failed_save_leaves_no_partial_file(tmp_path):
    config, trainer = trained(2)
    target = tmp_path / "s.nnviz"
    save_session(str(target), config, trainer)
    before = target.read_bytes()
    with pytest.raises(TypeError):
        save_session(str(target), config, trainer, meta={"bad": object()})  # not JSON-able
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.nnviz"]


@pytest.mark.parametrize("raw", [
    {"network": {"hidden": [{"type": "BatchNorm"}, {"type": "Dense", "units": 5, "activation": "relu"}]},
     "training": {"momentum": 0.9}},
    {"data": {"dataset": "plane"}, "network": {"output": "linear"}, "training": {"optimizer": "adam"}},
    {"data": {"dataset": "digits"}, "network": {"dtype": "float32"}},
    {"network": {"output": "sigmoid", "hidden": []}},
    {"data": {"dataset": "words", "n": 64}, "network": {"hidden": [{"type": "Embedding", "dim": 2},
                                                               {"type": "Dense", "units": 3}]}},
    {"data": {"dataset": "colour_shapes", "n": 40}, "network": {"hidden": [{"type": "Dense", "units": 4}]}},
    {"data": {"n": 20}, "network": {"hidden": [{"type": "Dense", "units": 3}, {"type": "BatchNorm",
                                                                               "inference": "batch_average"},
                                               {"type": "Dropout", "rate": 0.5, "mode": "column"}]}},
])
def test_every_kind_of_network_round_trips_through_the_checks(tmp_path, raw):
    config = Config.from_dict(raw)
    _, _, trainer = config.build()
    for _ in range(7):
        trainer.step()
    path = tmp_path / "s.nnviz"
    save_session(str(path), config, trainer, history={"step": np.arange(3.0), "norms": np.ones((3, 4))})
    session = load_session(str(path))
    assert session.source == str(path)
    _, _, again = restore_into(session)
    assert again.step().loss == trainer.step().loss


def test_check_session_compares_the_state_with_the_trainer_built_from_it(tmp_path):
    from nnviz.engine.session import check_session

    config, trainer = trained(5)
    path = tmp_path / "s.nnviz"
    save_session(str(path), config, trainer)
    session = load_session(str(path))
    check_session(session, trainer)
    other = Config.from_dict({**CONFIG, "data": {**CONFIG["data"], "n": 140}})
    _, _, bigger = other.build()  # same layers, another training-set size
    with pytest.raises(SessionError, match="s.nnviz: session.json: state.n_train: trained on 50 points; "
                                           "the training set has 70"):
        check_session(session, bigger)
    session.state.update(n_train=None, epoch_rng=None, perm=np.arange(50))  # as a version-1 file holds it
    with pytest.raises(SessionError, match="s.nnviz: arrays.npz/perm.npy: a permutation of 50 points; "
                                           "the training set has 70"):
        check_session(session, bigger)


def test_a_batchnorm_session_from_before_the_batch_averages_still_opens(tmp_path):
    """Sessions saved before BatchNorm kept its batch averages hold four arrays per
    BatchNorm: they open, with no batch counted yet."""
    import json
    import zipfile

    from nnviz.engine.session_checks import LEGACY_LAYER_ARRAYS

    config = Config.from_dict({"data": {"n": 40}, "network": {"hidden": [{"type": "Dense", "units": 3},
                                                                        {"type": "BatchNorm"}]}})
    _, _, trainer = config.build()
    for _ in range(5):
        trainer.step()
    new = tmp_path / "new.nnviz"
    save_session(str(new), config, trainer)
    with zipfile.ZipFile(new) as z:
        document = json.loads(z.read("session.json"))
        arrays = dict(np.load(io.BytesIO(z.read("arrays.npz"))))
    document["state"]["layers"][1] = LEGACY_LAYER_ARRAYS["BatchNorm"]
    kept = {k: v for k, v in arrays.items() if not k.startswith("layers/1/") or
            k.rsplit("/", 1)[1] in LEGACY_LAYER_ARRAYS["BatchNorm"]}
    npz = io.BytesIO()
    np.savez(npz, **kept)
    old = tmp_path / "old.nnviz"
    with zipfile.ZipFile(old, "w") as z:
        z.writestr("session.json", json.dumps(document))
        z.writestr("arrays.npz", npz.getvalue())
    _, model, again = restore_into(load_session(str(old)))
    layer = model.layers[1]
    np.testing.assert_array_equal(layer.moving_mean, trainer.model.layers[1].moving_mean)
    assert layer.epoch_batches[0] == 0 and layer.average_std.tolist() == [1.0, 1.0, 1.0]
    assert np.isfinite(again.step().loss)


@pytest.mark.parametrize("name, value, message", [
    ("epoch_batches", np.array([-1.0]), "a count of batches that is not a whole number"),
    ("average_batches", np.array([2.5]), "a count of batches that is not a whole number"),
    ("epoch_batches", np.array([1.0, 2.0]), "expected (1,)"),
    ("average_std", np.array([1.0, -1.0, 1.0]), "below 0"),
])
def test_batch_average_arrays_are_checked(tmp_path, name, value, message):
    import json
    import zipfile

    config = Config.from_dict({"data": {"n": 40}, "network": {"hidden": [{"type": "Dense", "units": 3},
                                                                        {"type": "BatchNorm"}]}})
    _, _, trainer = config.build()
    trainer.step()
    path = tmp_path / "s.nnviz"
    save_session(str(path), config, trainer)
    with zipfile.ZipFile(path) as z:
        document = z.read("session.json")
        arrays = dict(np.load(io.BytesIO(z.read("arrays.npz"))))
    arrays[f"layers/1/{name}"] = value
    npz = io.BytesIO()
    np.savez(npz, **arrays)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("session.json", document)
        z.writestr("arrays.npz", npz.getvalue())
    with pytest.raises(SessionError, match=f"layers/1/{name}.npy.*{message}".replace("(", r"\(").replace(")", r"\)")):
        restore_into(load_session(str(path)))


def test_version_2_keeps_the_epochs_order_as_a_generator_state_and_version_1_is_still_read(tmp_path):
    from .hostile_corpus import as_version_1, npz, raw_zip, member

    config, trainer = trained(9)  # mid-epoch: the order and the position matter
    path = tmp_path / "v2.nnviz"
    save_session(str(path), config, trainer)
    members = members_of(path.read_bytes())
    document = json.loads(members["session.json"])
    with np.load(io.BytesIO(members["arrays.npz"])) as arrays:
        arrays = {k: arrays[k] for k in arrays.files}
    assert document["version"] == 2 and "perm" not in arrays and document["state"]["n_train"] == 50
    old_document, old_arrays = as_version_1(json.loads(json.dumps(document)), dict(arrays))
    old = tmp_path / "v1.nnviz"
    old.write_bytes(raw_zip([member("session.json", json.dumps(old_document).encode()),
                             member("arrays.npz", npz(old_arrays))]))
    continued = []
    for source in (path, old):
        _, _, again = restore_into(load_session(str(source)))
        continued.append([again.step().loss for _ in range(15)])  # across the epoch's end
        resaved = tmp_path / f"again-{source.name}"
        save_session(str(resaved), config, again)  # a version-1 order is written on as such
        restore_into(load_session(str(resaved)))
    assert continued[0] == continued[1] == [trainer.step().loss for _ in range(15)]
