"""Where the index keeps each file: its path relative to the folder, and the order of files."""

from __future__ import annotations

import os

__all__ = ["path_column", "path_from_column", "sort_by_parts"]


def path_column(relative: str) -> str | bytes:
    """Return a relative path as the ``path`` column stores it.

    As text, or, for a name that is not valid UTF-8 (which the file system
    allows and Python keeps as surrogates), as the raw bytes of the name.
    """
    try:
        relative.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(relative)
    return relative


def path_from_column(value: str | bytes) -> str:
    """Undo :func:`path_column`."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def sort_by_parts(relative_paths: list[str]) -> list[str]:
    """Sort relative POSIX paths the way :func:`newsfeed.load_dir` orders files."""
    return sorted(relative_paths, key=lambda relative: relative.split("/"))
