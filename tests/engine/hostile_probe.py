"""Run every hostile case in its own forked child and report, as JSON, whether it was
refused as required and how far the child's peak resident memory rose above the
parent's (``os.wait4`` gives each child's own ``ru_maxrss``).

Each child runs under ``RLIMIT_AS`` = the parent's address space + ``HEADROOM``: a reader
that tried to allocate a bomb's gigabytes would fail at once with MemoryError (reported
as an escape) rather than swap the machine.

    python -m tests.engine.hostile_probe FOLDER
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
from pathlib import Path

from .hostile_corpus import CASES, base, check

HEADROOM = 768 * 2**20
STUCK_SECONDS = 60  # a reader blocked on a FIFO is ended (and reported) instead of hanging the suite


def _statm(field: int) -> int:
    """Bytes of this process's address space (field 0) or resident set (field 1)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[field]) * os.sysconf("SC_PAGE_SIZE")


def _run_in_child(case, folder: Path) -> dict:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: limit, run, report through the pipe, leave at once
        os.close(read_end)
        # The child's own resident set at its start (fork maps file pages lazily, so it
        # is below the parent's): the growth is measured from here.
        start_kb = _statm(1) // 1024
        limit = _statm(0) + HEADROOM
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        signal.alarm(STUCK_SECONDS)
        try:
            problem = check(case, folder)
        except BaseException as err:  # noqa: BLE001 - the parent must hear about anything
            problem = f"{type(err).__name__} in the probe: {err}"
        os.write(write_end, json.dumps({"problem": problem[:3000], "start_kb": start_kb}).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        sent = pipe.read().decode("utf-8")
    _, status, usage = os.wait4(pid, 0)
    result = json.loads(sent) if sent else {"problem": f"the child ended with status {status}", "start_kb": 0}
    return {"problem": result["problem"], "peak_mb": round(usage.ru_maxrss / 1024, 1),
            "peak_growth_mb": round(max(0, usage.ru_maxrss - result["start_kb"]) / 1024, 1)}


def main(folder: str) -> None:
    base("adam"), base("sgd")  # built before forking: every child starts from the same parent
    report = {}
    for k, case in enumerate(CASES):
        case_folder = Path(folder) / f"case{k:03d}"
        case_folder.mkdir()
        report[case.name] = _run_in_child(case, case_folder)
    json.dump({"cases": report, "parent_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024},
              sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
