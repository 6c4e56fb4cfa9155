"""nnviz export: headless figures, tables and animations."""

import os

from PIL import Image
from PySide6.QtGui import QImage

from nnviz.cli import main


def test_export_writes_every_format_offscreen(tmp_path, capsys):
    out = tmp_path / "figs"
    assert main(["export", "xor", "--updates", "40", "--out", str(out), "--views", "boundary,curves",
                 "--format", "png,svg,pdf,csv", "--width", "900"]) == 0
    names = sorted(os.listdir(out))
    for view in ("boundary", "curves"):
        for ext in ("png", "svg", "pdf"):
            assert f"xor-{view}-update40.{ext}" in names
    assert QImage(str(out / "xor-boundary-update40.png")).width() == 900
    assert (out / "xor-curves-update40.pdf").read_bytes().startswith(b"%PDF")
    assert "xor-boundary-update40-grid.csv" in names


def test_export_animates_a_gif(tmp_path):
    assert main(["export", "circle", "--updates", "30", "--every", "10", "--animate", "gif",
                 "--views", "boundary", "--out", str(tmp_path)]) == 0
    gif = Image.open(tmp_path / "circle-boundary-updates0-30.gif")
    assert gif.n_frames == 4


def test_bad_arguments_are_named(tmp_path, capsys):
    assert main(["export", "circle", "--views", "boundary,nope", "--out", str(tmp_path)]) == 2
    assert "--views: unknown nope" in capsys.readouterr().err


def test_the_lecture_variants_export_in_every_vector_format(tmp_path):
    """Dropout's α and batch norm's batch averages in one network: PNG, SVG and PDF."""
    import json

    config = {"data": {"dataset": "circle", "n": 120},
              "network": {"hidden": [{"type": "Dense", "units": 3, "activation": "relu"},
                                     {"type": "Dropout", "rate": 0.34, "mode": "column"},
                                     {"type": "Dense", "units": 4, "activation": "linear"},
                                     {"type": "BatchNorm", "inference": "batch_average"}]}}
    path = tmp_path / "variants.json"
    path.write_text(json.dumps(config))
    out = tmp_path / "figures"
    assert main(["export", str(path), "--updates", "30", "--out", str(out), "--views", "dropout,batchnorm",
                 "--format", "png,svg,pdf"]) == 0
    assert sorted(p.suffix for p in out.iterdir()) == [".pdf", ".pdf", ".png", ".png", ".svg", ".svg"]
    for lesson, views in (("words", "embedding,graph"), ("colour-images", "vector,weights")):
        assert main(["export", lesson, "--updates", "5", "--out", str(tmp_path / lesson), "--views", views,
                     "--format", "png,svg,pdf"]) == 0
