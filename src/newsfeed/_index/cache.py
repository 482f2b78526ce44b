"""Where ``load_dir(cache=True)`` keeps its index: one database per folder in the user's cache."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["cache_dir", "default_db"]


def cache_dir() -> Path:
    """Return the folder newsfeed caches in.

    ``$NEWSFEED_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/newsfeed``, else
    ``~/.cache/newsfeed``. As the XDG specification says, an empty or
    relative ``XDG_CACHE_HOME`` is ignored.
    """
    own = os.environ.get("NEWSFEED_CACHE_DIR")
    if own:
        return Path(own).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "newsfeed"
    return Path.home() / ".cache" / "newsfeed"


def default_db(folder: str | os.PathLike[str], pattern: str) -> Path:
    """Return the cache database of *folder* read with *pattern*.

    Named by a hash of the resolved folder and the pattern, so that two
    folders (or two patterns) never share, and fight over, one database.
    """
    key = f"{Path(folder).resolve()}\0{pattern}".encode("utf-8", "surrogateescape")
    name = hashlib.sha256(key).hexdigest()[:24]
    return cache_dir() / f"index-{name}.sqlite3"
