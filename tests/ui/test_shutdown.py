"""Closing the window while training stops the thread cleanly and fast."""

import os
import subprocess
import sys
import textwrap


def test_close_during_play_exits_cleanly(tmp_path):
    script = textwrap.dedent(f"""
        import sys, time
        from PySide6.QtCore import QSettings
        from nnviz.lessons import load_lesson
        from nnviz.ui.app import make_application
        app = make_application()
        from nnviz.ui.main_window import MainWindow
        window = MainWindow(load_lesson("circle"), QSettings({str(tmp_path / 's.ini')!r}, QSettings.IniFormat))
        window.show()
        timing = {{}}
        def on_snapshot(snap):
            if snap.steps_done == 0 and not snap.playing:
                window.play()
            elif snap.steps_done > 200 and "start" not in timing:
                timing["start"] = time.perf_counter()
                window.close()
                timing["closed"] = time.perf_counter() - timing["start"]
                app.quit()
        window.snapshot_shown.connect(on_snapshot)
        code = app.exec()
        print("CLOSE_SECONDS", timing["closed"], "RUNNING", window.client.thread.isRunning())
        sys.exit(code)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert "QThread: Destroyed while thread is still running" not in out.stderr
    fields = out.stdout.split()
    seconds = float(fields[fields.index("CLOSE_SECONDS") + 1])
    assert seconds < 1.0
    assert fields[fields.index("RUNNING") + 1] == "False"
