"""A normal (non-editable) install finds its resources from any directory."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not (ROOT / "pyproject.toml").exists(), reason="needs the source tree")
def test_non_editable_install_finds_the_lessons(tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(ROOT)], check=True, capture_output=True,
                   env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}, cwd=tmp_path)
    code = ("import nnviz, nnviz.lessons as l; assert 'nnviz' in nnviz.__file__ and "
            f"nnviz.__file__.startswith({str(target)!r}), nnviz.__file__; "
            "from nnviz.engine.real_data import load_digits; assert load_digits()[0].shape == (1797, 64); "
            "print(len(l.lesson_names()), l.load_lesson('circle').title)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(target)})
    assert out.returncode == 0, out.stderr
    count, title = out.stdout.split(" ", 1)
    assert int(count) >= 4 and "Circle" in title


@pytest.mark.skipif(not (ROOT / "pyproject.toml").exists(), reason="needs the source tree")
def test_editable_install_finds_the_lessons_in_the_top_level_resources(tmp_path):
    prefix = tmp_path / "prefix"
    # --ignore-installed: never uninstall the nnviz of the environment running the tests
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--ignore-installed",
                    "--prefix", str(prefix), "-e", str(ROOT)], check=True, capture_output=True,
                   env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}, cwd=tmp_path)
    site_packages = next(prefix.glob("lib/python*/site-packages"))
    # A non-editable nnviz ahead on sys.path, as in CI's venv (`pip install .`): the test
    # must not depend on whether the environment running it holds one.
    shadow = tmp_path / "shadow"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(shadow), str(ROOT)], check=True, capture_output=True,
                   env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}, cwd=tmp_path)
    code = (f"import site, sys; sys.path.insert(0, {str(shadow)!r}); site.addsitedir({str(site_packages)!r})\n"
            # The environment running the tests may hold its own (non-editable) nnviz, which
            # sys.path's finder would find before the editable install's finder, appended to
            # sys.meta_path. Put the editable finder first, as it is on a machine without it.
            "sys.meta_path.sort(key=lambda f: not getattr(f, '__module__', '').startswith('__editable__'))\n"
            "import nnviz, nnviz.resources, nnviz.lessons as l\n"
            f"assert nnviz.__file__.startswith({str(ROOT)!r}), nnviz.__file__\n"
            f"assert nnviz.resources.__file__.startswith({str(ROOT / 'resources')!r}), nnviz.resources.__file__\n"
            "from nnviz.engine.real_data import load_digits; assert load_digits()[0].shape == (1797, 64)\n"
            "print(len(l.lesson_names()), l.load_lesson('circle').title)")
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    count, title = out.stdout.split(" ", 1)
    assert int(count) >= 4 and "Circle" in title


def test_the_package_list_names_every_package_of_the_tree():
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "nnviz").rglob("__init__.py")}
    assert listed == found | {"nnviz.resources"}
    assert (ROOT / "resources" / "__init__.py").exists() and (ROOT / "resources" / "lessons").is_dir()
