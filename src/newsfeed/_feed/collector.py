"""Pausing the cyclic garbage collector while many acyclic objects are built."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large acyclic structure is built.

    The collector runs every few hundred new container objects and, as the
    structure grows, walks all of it again and again; articles form no
    cycles, so that work finds nothing, and its cost per file grows with the
    folder. As in Mercurial's ``util.nogc``, the pause is bounded (one bulk
    build) and, in a ``finally``, the collector is restarted only if it was
    running: a collector the application turned off stays off. The switch is
    process-wide and has no owner: should another thread turn it off during
    the pause, it is on again after.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
