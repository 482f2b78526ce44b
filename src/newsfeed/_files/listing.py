"""Listing the article files of a folder, in a stable order."""

from __future__ import annotations

import errno
import os
from pathlib import Path

__all__ = ["list_files"]


def list_files(path: str | os.PathLike[str], pattern: str) -> list[str]:
    """Return the files under the folder *path* matching the glob *pattern*, sorted.

    The order sorts path components, so a folder's files stay together and
    the order does not depend on the file system. Everything that matches
    and is not a folder is listed, including broken links, so that a file
    which cannot be read is reported rather than skipped. Raises
    :class:`FileNotFoundError` or :class:`NotADirectoryError` when *path* is
    not a folder, and :class:`ValueError` for an empty or absolute pattern.
    """
    if not pattern or Path(pattern).is_absolute():
        raise ValueError(f"pattern must be a glob relative to the folder, got {pattern!r}")
    root = Path(path)
    if not root.is_dir():
        if root.exists():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(root))
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(root))
    found = [match for match in root.glob(pattern) if not match.is_dir()]
    found.sort(key=lambda match: match.parts)
    # Strings weigh a fraction of Path objects, and iter_dir holds the list.
    return [str(match) for match in found]
