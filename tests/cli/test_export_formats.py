"""``nnviz export`` in separate processes: every format alone and together exits 0 and
writes what it says; the PNG, SVG and PDF of separate commands show one picture; a
view that does not apply is refused; animations carry their update numbers; LaTeX
files parse (and compile where pdflatex is installed)."""

import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from ..fidelity import compare_formats, ink_grid, need_tools

UPDATES = "20"
WIDTH = "500"


def nnviz_export(out, *args):
    """Run ``nnviz export`` in a fresh process; (exit status, stdout, stderr)."""
    command = [sys.executable, "-m", "nnviz", "export", *args, "--out", str(out)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("formats", ["png", "svg", "pdf", "csv", "tex", "png,svg,pdf,csv,tex"])
def test_every_format_alone_and_together_exits_0(tmp_path, formats):
    code, stdout, stderr = nnviz_export(tmp_path, "xor", "--updates", UPDATES, "--views", "curves,gradients",
                                        "--format", formats, "--width", WIDTH)
    assert code == 0, stderr
    assert stderr == ""  # no Qt notice, no traceback
    written = stdout.split()
    assert written and all(os.path.getsize(path) > 0 for path in written)
    for fmt in formats.split(","):
        for view in ("curves", "gradients"):
            expected = f"xor-{view}-update{UPDATES}.{fmt}" if fmt != "csv" else f"xor-{view}-update{UPDATES}"
            assert any(os.path.basename(p).startswith(expected) for p in written), (fmt, view, written)
    assert not [name for name in os.listdir(tmp_path) if ".part" in name]  # no temporary file left


@pytest.mark.parametrize("view", ["curves", "graph", "activations"])
def test_separate_commands_draw_one_picture(tmp_path, view):
    need_tools()
    paths = {}
    for fmt in ("png", "svg", "pdf"):
        code, stdout, stderr = nnviz_export(tmp_path / fmt, "spiral", "--updates", "60", "--views", view,
                                            "--format", fmt, "--width", "800")
        assert code == 0, stderr
        paths[fmt] = stdout.split()[0]
    result = compare_formats(paths["png"], paths["svg"], paths["pdf"], tmp_path, 800)
    assert result["svg"] >= 0.9 and result["pdf"] >= 0.9, result


@pytest.mark.parametrize("lesson, view, why", [
    ("circle", "batchnorm", "no BatchNorm layer"),
    ("circle", "dropout", "no Dropout layer"),
    ("circle", "images", "not images"),
    ("images", "boundary", "not the points of a plane"),
])
def test_a_view_that_does_not_apply_is_refused(tmp_path, lesson, view, why):
    code, stdout, stderr = nnviz_export(tmp_path / "out", lesson, "--updates", "5", "--views", f"curves,{view}",
                                        "--format", "png")
    assert code == 2
    message = stderr.strip()
    assert message.count("\n") == 0 and message.startswith(f"nnviz: {view} (") and why in message
    assert not (tmp_path / "out").exists()  # refused before training: nothing written


def test_gif_frames_carry_their_update_number(tmp_path):
    from PIL import Image

    code, stdout, stderr = nnviz_export(tmp_path, "circle", "--updates", "20", "--every", "10", "--animate", "gif",
                                        "--views", "curves", "--width", "400")
    assert code == 0, stderr
    gif = Image.open(stdout.split()[0])
    assert gif.n_frames == 3
    strips = []
    for k in range(gif.n_frames):
        gif.seek(k)
        frame = np.asarray(gif.convert("RGB"), dtype=float)
        strip = frame[-int(0.045 * frame.shape[1]):]  # the caption strip under the figure
        assert ink_grid(strip, (1, 8)).max() > 0.02  # text is drawn there
        strips.append(strip)
    assert not np.array_equal(strips[0], strips[-1])  # "update 0 · epoch 0" is not "update 20 · epoch …"


def test_mp4_when_imageio_ffmpeg_is_installed(tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    code, stdout, stderr = nnviz_export(tmp_path, "circle", "--updates", "20", "--every", "5", "--animate", "mp4",
                                        "--views", "boundary", "--width", "300")
    assert code == 0, stderr
    path = stdout.split()[0]
    assert path.endswith(".mp4")
    frames, _seconds = imageio_ffmpeg.count_frames_and_secs(path)
    assert frames == 5


def test_an_unwritable_folder_fails_with_one_sentence(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _stdout, stderr = nnviz_export(blocker / "figures", "xor", "--updates", "5", "--views", "curves")
    assert code == 1 and stderr.startswith("nnviz: not exported:") and stderr.count("\n") == 1


# -- LaTeX ----------------------------------------------------------------------------------
def tex_problems(path) -> list[str]:
    """What would stop pdflatex: unbalanced environments or braces, missing table files."""
    text = open(path, encoding="utf-8").read()
    problems = []
    stack = []
    for kind, name in re.findall(r"\\(begin|end)\{([^}]+)\}", text):
        if kind == "begin":
            stack.append(name)
        elif not stack or stack.pop() != name:
            problems.append(f"\\end{{{name}}} without its \\begin")
    problems += [f"\\begin{{{name}}} never ended" for name in stack]
    body = re.sub(r"(?<!\\)%.*", "", text)
    if body.count("{") - body.count("\\{") != body.count("}") - body.count("\\}"):
        problems.append("unbalanced braces")
    folder = os.path.dirname(path)
    for table in re.findall(r"\\addplot\[[^\n]*?\]\s*table\s*\[[^\]]*\]\s*\{([^}]+)\}", body):
        if not os.path.exists(os.path.join(folder, table)):
            problems.append(f"missing table file {table}")
    if not re.search(r"\\addplot\[[^\n]*?\]\s*table", body):
        problems.append("no \\addplot table")
    return problems


def test_latex_parses_and_reads_its_tables(tmp_path):
    code, stdout, stderr = nnviz_export(tmp_path, "spiral", "--updates", "30", "--views", "curves,gradients,graph",
                                        "--format", "tex")
    assert code == 0, stderr
    tex_files = [p for p in stdout.split() if p.endswith(".tex")]
    assert len(tex_files) == 3
    for path in tex_files:
        assert tex_problems(path) == [], path
    graph = open([p for p in tex_files if "-graph-" in p][0], encoding="utf-8").read()
    for name in ("$x$", "$h^{1}$", "$p$", "$W^{1}$", "$W^{o}$"):  # the lecture's notation
        assert name in graph
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed: the files were checked, not compiled")
    for path in tex_files:
        done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", os.path.basename(path)],
                              cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:]
