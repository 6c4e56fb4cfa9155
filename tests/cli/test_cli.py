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


def test_the_command_line_limits_blas_to_one_thread():
    from threadpoolctl import threadpool_info

    from nnviz.cli import main

    assert main(["lessons"]) == 0
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
