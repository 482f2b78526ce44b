"""Where newsfeed's warnings point: the first line of code outside newsfeed.

A file's warning is issued at a different depth by ``load``, ``load_dir``,
``iter_dir``, an :class:`~newsfeed.Index` or ``load_dir(cache=True)``; a
fixed ``stacklevel`` points inside newsfeed for all but one of them, and
Python shows a warning once per line it points at. Counting the frames
instead points each at the caller's line, as Python 3.12's
``skip_file_prefixes`` would.
"""

from __future__ import annotations

import sys
from types import FrameType

__all__ = ["outside_newsfeed"]


def _ours(module: object) -> bool:
    return isinstance(module, str) and (module == "newsfeed" or module.startswith("newsfeed."))


def outside_newsfeed() -> int:
    """Return the ``stacklevel`` that points the caller's warning outside newsfeed.

    For ``warnings.warn(..., stacklevel=outside_newsfeed())``. Compiled
    modules have no frames, for this count as for ``warnings.warn``'s own.
    """
    # The frame of the function about to warn: stacklevel 1.
    frame: FrameType | None = sys._getframe(1)  # noqa: SLF001 -- as warnings.warn walks it
    level = 1
    while frame is not None and _ours(frame.f_globals.get("__name__")):
        frame = frame.f_back
        level += 1
    return level
