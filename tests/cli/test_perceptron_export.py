"""``nnviz export`` of the perceptron lab's views, in separate processes (offscreen, no
window): every format exits 0 and writes what it says; --updates N is N Rosenblatt
updates; what the lab cannot export is refused before anything is written."""

import csv
import os

import numpy as np
import pytest

from nnviz.engine import make_dataset
from nnviz.engine.perceptron import Perceptron
from nnviz.lessons import load_lesson

from .test_export_formats import nnviz_export

UPDATES = 5


@pytest.mark.parametrize("formats", ["png", "svg", "pdf", "csv", "png,svg,pdf,csv"])
def test_the_rule_view_exports_in_every_format(tmp_path, formats):
    code, stdout, stderr = nnviz_export(tmp_path, "perceptron", "--views", "rule", "--updates", str(UPDATES),
                                        "--format", formats, "--width", "500")
    assert code == 0, stderr
    assert stderr == ""
    written = stdout.split()
    assert written and all(os.path.getsize(path) > 0 for path in written)
    for fmt in formats.split(","):
        assert any(os.path.basename(p).startswith(f"perceptron-rule-update{UPDATES}") and p.endswith(f".{fmt}")
                   for p in written), (fmt, written)
    assert not [name for name in os.listdir(tmp_path) if ".part" in name]


def test_the_network_view_exports_every_format(tmp_path):
    code, stdout, stderr = nnviz_export(tmp_path, "perceptron-networks", "--views", "network",
                                        "--format", "png,svg,pdf,csv", "--width", "500")
    assert code == 0, stderr
    names = sorted(os.path.basename(p) for p in stdout.split())
    assert names == ["perceptron-networks-network-points.csv", "perceptron-networks-network-regions.csv",
                     "perceptron-networks-network-units.csv", "perceptron-networks-network.pdf",
                     "perceptron-networks-network.png", "perceptron-networks-network.svg"]
    with open(tmp_path / "perceptron-networks-network-units.csv", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == 8  # the octagon


def test_updates_are_rosenblatt_updates(tmp_path):
    code, stdout, stderr = nnviz_export(tmp_path, "perceptron", "--updates", "3", "--format", "csv")
    assert code == 0, stderr
    s = load_lesson("perceptron").perceptron  # the lesson's data and policy, as the lab uses them
    data = make_dataset(s["dataset"], n=s["n"], noise=s["noise"], seed=s["seed"], test_ratio=0.0)
    perceptron = Perceptron(data.X_train, data.y_train, policy=s["policy"], seed=s["seed"])
    for _ in range(3):
        perceptron.step()
    with open(tmp_path / "perceptron-rule-update3-w.csv", encoding="utf-8") as f:
        rows = {row["which"]: [float(row[k]) for k in ("w1", "w2", "w0")] for row in csv.DictReader(f)}
    np.testing.assert_allclose(rows["w"], perceptron.w, rtol=1e-9)


def test_a_rule_that_converges_first_says_so_and_names_the_files_by_the_updates_made(tmp_path):
    code, stdout, stderr = nnviz_export(tmp_path, "perceptron", "--updates", "10000", "--format", "png",
                                        "--width", "300")
    assert code == 0, stderr
    assert "w separates the data after" in stderr
    done = int(stderr.split("after ")[1].split(" updates")[0].replace(",", ""))
    assert 0 < done < 10000
    assert os.path.basename(stdout.split()[0]) == f"perceptron-rule-update{done}.png"


@pytest.mark.parametrize("args, words", [
    (["--format", "tex"], "no LaTeX export"),
    (["--animate", "gif"], "no animation export"),
    (["--views", "boundary"], "unknown boundary; expected some of rule, network"),
])
def test_what_the_lab_cannot_export_is_refused_and_nothing_written(tmp_path, args, words):
    out = tmp_path / "out"
    code, _stdout, stderr = nnviz_export(out, "perceptron", *args)
    assert code == 2 and words in stderr, stderr
    assert not out.exists()
