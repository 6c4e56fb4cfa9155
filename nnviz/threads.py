"""How many threads BLAS may use in nnviz: one.

nnviz's matrices are small (the largest product of the 784-128-64-10 network is
128×784 by 784×64): a second BLAS thread saves little on an idle machine and costs
a lot on a busy one — its threads wait for a core that the window's thread, the
worker or another program holds. Measured on the 2-core development machine with
another program busy on the other core, Trainer.step() at MNIST size ran 1,158
updates/s with one BLAS thread and 189 with two (2-8-8-2: 10,189 against 11,361).
The engine itself never changes the setting (a notebook keeps its own); the command
line — window, ``nnviz train``, ``nnviz export`` — calls ``use_one_blas_thread``.
"""

from __future__ import annotations


def use_one_blas_thread() -> bool:
    """Limit every BLAS library loaded in this process to one thread; False when
    threadpoolctl is missing (then OPENBLAS_NUM_THREADS=1 in the environment does it)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a declared dependency
        return False
    import numpy  # noqa: F401 - load NumPy's BLAS first, so that the limit reaches it

    threadpool_limits(limits=1, user_api="blas")
    return True
