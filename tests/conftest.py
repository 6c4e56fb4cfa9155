import os
import tempfile

# Before any Qt import: the tests never need a screen, and never touch the user's
# files — settings, the crash log (QStandardPaths) and Qt's test folders all go to a
# temporary home.
from nnviz.offscreen import use_virtual_screen  # noqa: E402 - Qt-free

# a virtual screen larger than any window a test opens (offscreen's default is 800 × 800,
# onto which the window would clamp itself); tests that need a given screen make their own
use_virtual_screen(2560, 1600)
_HOME = tempfile.mkdtemp(prefix="nnviz-tests-home-")
for _name, _sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                    ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
    os.environ[_name] = os.path.join(_HOME, _sub)
os.environ.setdefault("XDG_RUNTIME_DIR", os.path.join(_HOME, "runtime"))
os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
