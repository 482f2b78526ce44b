"""Writing one article file to disk, atomically."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from newsfeed._format.writing import dumps
from newsfeed._model import Article

__all__ = ["dump"]


def dump(
    article: Article,
    path: str | os.PathLike[str],
    *,
    canonical: bool = False,
    drop_comments: bool = False,
) -> None:
    """Write *article* to *path* as :func:`newsfeed.dumps` writes it, atomically.

    An article read from a file keeps that file's layout; *canonical* and
    *drop_comments* are those of :func:`newsfeed.dumps`.

    The text goes to a temporary file in the same folder, which then
    replaces *path* in one step: a crash or an error mid-write leaves the
    old file whole. An existing file keeps its permissions.
    """
    data = dumps(article, canonical=canonical, drop_comments=drop_comments).encode("utf-8")
    target = Path(path)
    _atomic_write(target, data)


def _atomic_write(target: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            # 0o666 lets the umask decide, as for any new file.
            descriptor = os.open(temporary, flags, 0o666)
        except FileExistsError:  # pragma: no cover -- a 32-bit random name collided
            continue
        break
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileNotFoundError):
            temporary.chmod(target.stat().st_mode & 0o7777)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
