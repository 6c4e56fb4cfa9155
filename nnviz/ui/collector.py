"""Python's cyclic garbage collector, kept out of the frames while playing.

A full (generation 2) collection walks every object Python tracks; with a window of
pyqtgraph views that is several hundred thousand objects and 50–70 ms (measured in
the batch-norm lesson with every view floated), the longest stall of a run. Nearly
all of those objects are the window itself, built once per network. So when a frame
of a network is drawn while playing, everything that exists is moved out of the
collector's sight (``gc.freeze``, which costs nothing): later collections walk only
what was made since, a few milliseconds.

Frozen objects are still freed by reference counting; only cycles among them wait.
Once another network has been played (a rebuild, or another window: the collector's
state is the process's, so it is kept here, once), the cycles of the discarded views
are collected at the next frame drawn while not playing (after Pause, a step, a
rebuild): a pause of up to a few hundred milliseconds where nothing moves.
"""

from __future__ import annotations

import gc

_frozen = None  # the structure of the last played frame, which froze the objects
_stale = False  # objects of an earlier structure are frozen: collect when not playing


def frame_drawn(structure, playing: bool) -> None:
    """A frame of ``structure`` (a Snapshot's, compared by identity) was drawn."""
    global _frozen, _stale
    if not playing:
        if _stale:
            _stale = False
            gc.unfreeze()
            gc.collect()
            gc.freeze()
    elif structure is not _frozen:
        _stale = _frozen is not None
        _frozen = structure
        gc.freeze()
