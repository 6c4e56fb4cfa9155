"""A hang becomes a failure: a reader blocked on a FIFO would otherwise stop the suite.

Not a timing assertion: the limit is far beyond any normal run, it only bounds a
regression (SIGALRM interrupts the blocked call in the main thread)."""

from __future__ import annotations

import contextlib
import signal


@contextlib.contextmanager
def deadline(seconds: int = 60):
    def stuck(signum, frame):
        raise TimeoutError(f"still blocked after {seconds} s (reading a FIFO?)")
    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
