import os
import tempfile

# Before any Qt import: the tests never need a screen, and never touch the user's
# files — settings, the crash log (QStandardPaths) and Qt's test folders all go to a
# temporary home.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # a virtual screen larger than any window a test opens (offscreen's default is 800 × 800,
    # onto which the window would clamp itself); tests that need a given screen make their own
    _SCREEN = os.path.join(tempfile.mkdtemp(prefix="nnviz-tests-screen-"), "screen.json")
    with open(_SCREEN, "w") as f:
        f.write('{"screens": [{"name": "tests", "x": 0, "y": 0, "width": 2560, "height": 1600, '
                '"logicalDpi": 96, "dpr": 1}]}')
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
_HOME = tempfile.mkdtemp(prefix="nnviz-tests-home-")
for _name, _sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                    ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
    os.environ[_name] = os.path.join(_HOME, _sub)
os.environ.setdefault("XDG_RUNTIME_DIR", os.path.join(_HOME, "runtime"))
os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
