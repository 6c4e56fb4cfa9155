import subprocess
import sys

from nnviz import __version__
from nnviz.cli import main


def test_version_and_help():
    out = subprocess.run([sys.executable, "-m", "nnviz", "--version"], capture_output=True, text=True)
    assert out.stdout.strip() == f"nnviz {__version__}"
    out = subprocess.run([sys.executable, "-m", "nnviz", "--help"], capture_output=True, text=True)
    assert "lessons" in out.stdout and "train" in out.stdout


def test_lessons_lists_the_files(capsys):
    assert main(["lessons"]) == 0
    assert "circle" in capsys.readouterr().out


def test_train_headless_prints_metrics(capsys):
    assert main(["train", "xor", "--epochs", "2"]) == 0
    out = capsys.readouterr().out
    assert "epoch 2/2" in out and "test loss" in out


def test_a_bad_config_file_is_reported(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text('{"training": {"batch_size": 0}}')
    assert main(["train", str(path)]) == 2
    assert "bad.json: training.batch_size: expected an integer between 1 and 100,000, got 0" in capsys.readouterr().err


def test_train_saves_a_session_that_loads(tmp_path, capsys):
    from nnviz.engine.session import load_session

    path = tmp_path / "xor.nnviz"
    assert main(["train", "xor", "--epochs", "1", "--save", str(path)]) == 0
    assert "saved the session" in capsys.readouterr().out
    session = load_session(str(path))
    assert session.state["steps_done"] == 20 and session.meta["lesson"] == "xor"


def run_nnviz(*args, env=None, timeout=60):
    import os

    return subprocess.run([sys.executable, "-m", "nnviz", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def test_an_unknown_lesson_gets_a_suggestion_before_any_qt(capsys):
    assert main(["circel"]) == 2
    err = capsys.readouterr().err
    assert "no lesson 'circel' — did you mean 'circle'? (`nnviz lessons` lists them)" in err
    assert main(["train", "xorr"]) == 2
    assert "did you mean 'xor'" in capsys.readouterr().err


def test_without_a_display_the_window_says_so_and_names_the_headless_commands():
    out = run_nnviz("circle", env={"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""})
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "no display" in out.stderr and "nnviz train" in out.stderr and "nnviz export" in out.stderr
    assert "xcb" not in out.stderr.lower()


def test_counts_are_refused_when_zero_or_negative(capsys):
    import pytest

    for argv in (["train", "xor", "--epochs", "-3"], ["train", "xor", "--epochs", "0"],
                 ["export", "xor", "--updates", "-1"], ["export", "xor", "--width", "0"],
                 ["export", "xor", "--every", "-3"], ["export", "xor", "--fps", "0"],
                 ["export", "xor", "--fps", "nan"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2, argv
    assert "expected" in capsys.readouterr().err


def test_a_diverging_training_stops_with_one_sentence_and_exit_3(tmp_path, capsys):
    import json

    path = tmp_path / "diverge.json"
    path.write_text(json.dumps({"data": {"dataset": "plane", "n": 100},
                                "network": {"hidden": [{"type": "Dense", "units": 8, "activation": "relu"}] * 2,
                                            "output": "linear"},
                                "training": {"learning_rate": 10}}))
    assert main(["train", str(path), "--epochs", "50"]) == 3
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "diverged" in captured.err and "non-finite" in captured.err
    assert "Traceback" not in captured.err
    losses = [line.split("loss ")[1].split()[0] for line in captured.out.splitlines() if "loss" in line]
    assert all(len(v.replace("-", "").replace(".", "").lstrip("0").split("e")[0]) <= 4 for v in losses), losses


def test_the_lesson_listing_is_aligned(capsys):
    main(["lessons"])
    lines = capsys.readouterr().out.splitlines()
    starts = {len(line) - len(line.split("  ", 1)[1].lstrip()) for line in lines}
    assert len(starts) == 1, lines


def test_a_figure_set_cannot_write_outside_its_folder(tmp_path, capsys):
    import json

    from nnviz.lessons import load_lesson

    config = load_lesson("xor").config.to_dict()
    for lesson, update in (("../../escape", 1), ("/etc/passwd", 1), ("ok", "abc"), ("ok", 1e999), ("ok", None),
                           ("ok", 10**7)):
        path = tmp_path / "set.json"
        path.write_text(json.dumps({"lesson": lesson, "update": update, "config": config}))
        assert main(["export", str(path), "--out", str(tmp_path / "out")]) == 2, (lesson, update)
    err = capsys.readouterr().err
    assert "lesson: expected a plain name" in err and "update: expected an update number" in err
    assert not (tmp_path / "escape").exists() and not (tmp_path / "out").exists()


def test_startup_signals_end_quietly(tmp_path):
    import os
    import signal

    for sig, status in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        process = subprocess.Popen([sys.executable, "-m", "nnviz", "train", "xor", "--epochs", "100000"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "HOME": str(tmp_path)})
        process.stdout.readline()  # it is training
        process.send_signal(sig)
        _, err = process.communicate(timeout=30)
        assert process.returncode == status and "Traceback" not in err, err


def test_the_command_line_limits_blas_to_one_thread():
    from threadpoolctl import threadpool_info

    from nnviz.cli import main

    assert main(["lessons"]) == 0
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_without_pyside6_export_and_window_say_what_to_install_in_one_line(tmp_path, capsys, monkeypatch):
    import importlib.util

    import nnviz.cli as cli

    real = importlib.util.find_spec
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name, *a: None if name == "PySide6" else real(name, *a))
    for argv in (["export", "spiral", "--updates", "5", "--views", "boundary", "--out", str(tmp_path)], ["circle"]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and "needs PySide6, which is not installed" in err
        assert "PySide6-Essentials>=6.10,<6.11" in err and "nnviz train" in err
    assert list(tmp_path.iterdir()) == []  # nothing exported, nothing half-written


def test_the_qt_packages_named_in_that_message_are_the_declared_ones():
    import tomllib
    from pathlib import Path

    from nnviz.cli import QT_PACKAGES

    declared = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
    assert {spec for _, spec in QT_PACKAGES} <= set(declared["dependencies"])
