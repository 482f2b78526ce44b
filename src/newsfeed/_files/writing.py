"""Writing one article file to disk: atomically, through links, keeping what is not ours."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import string
import time
from pathlib import Path
from typing import Final, Literal, TypeAlias

from newsfeed._files.listing import is_temporary_name
from newsfeed._format.writing import dumps_naming
from newsfeed._model import Article

__all__ = ["HardLinks", "dump", "is_read_only", "write_atomically"]

HardLinks: TypeAlias = Literal["refuse", "split", "in_place"]
_HARD_LINK_MODES: Final = ("refuse", "split", "in_place")

#: The characters of a temporary file's random part; see TEMPORARY_NAME.
_ALPHABET: Final = string.digits + string.ascii_lowercase
#: A temporary file this old is a leftover of a dump that was killed.
STALE_AFTER_SECONDS: Final = 15 * 60
#: When each folder was last cleaned of leftovers by this process, so that
#: dumping thousands of files into one folder does not list it thousands of times.
_cleaned_at: dict[str, float] = {}
_CLEANED_FOLDERS_KEPT: Final = 1024


def dump(  # noqa: PLR0913 -- the options of a public function, all keyword-only
    article: Article,
    path: str | os.PathLike[str] | None = None,
    *,
    canonical: bool = False,
    drop_comments: bool = False,
    overwrite_readonly: bool = False,
    hard_links: HardLinks = "refuse",
) -> None:
    """Write *article* to *path* (by default ``article.path``), as :func:`newsfeed.dumps` does.

    An article read from a file keeps that file's layout; *canonical* and
    *drop_comments* are those of :func:`newsfeed.dumps`.

    The text goes to a temporary file in the target's folder, which then
    replaces the target in one step: a crash or an error mid-write leaves
    the old file whole. The temporary file is named ``.~nf-XXXXXX.tmp``
    (hidden, and never listed by :func:`newsfeed.load_dir`); leftovers of a
    killed dump older than 15 minutes are removed from the folder by the
    next dump there.

    What the target already is decides the rest:

    - a link is written through: the file it leads to is replaced, in its
      own folder, and the link stays;
    - an existing file keeps its permissions, and its owner and group
      where the file system lets us (as root, always);
    - a read-only file (no write permission for us, or none for anyone) is
      refused with :class:`PermissionError`, as editors do, unless
      *overwrite_readonly*;
    - a file with more than one hard link is refused with an
      :class:`OSError` unless *hard_links* says what to do:
      ``"split"`` replaces this name only, so the other names keep the old
      text; ``"in_place"`` rewrites the file itself, so every name sees the
      new text, but not atomically: a crash mid-write leaves it half written;
    - a folder, or anything else that is not a regular file, is refused.

    Raises :class:`ValueError` when *path* is not given and the article has
    no ``path``, and :class:`~newsfeed.ValidationError` (before anything is
    written) for an article the format cannot carry. Errors name *path*,
    never the temporary file.
    """
    if path is None:
        if article.path is None:
            raise ValueError(
                "dump() needs a path: this article has none (it was not read from a file)"
            )
        path = article.path
    text = dumps_naming(article, path, canonical=canonical, drop_comments=drop_comments)
    write_atomically(
        path,
        text.encode("utf-8"),
        overwrite_readonly=overwrite_readonly,
        hard_links=hard_links,
    )


def write_atomically(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    overwrite_readonly: bool = False,
    hard_links: HardLinks = "refuse",
) -> None:
    """Write *data* to *path* by :func:`dump`'s rules: atomically, through links, refusing the same.

    Every file newsfeed writes (articles, JSON Lines, Parquet) goes through here.
    """
    if hard_links not in _HARD_LINK_MODES:
        raise ValueError(f"hard_links must be 'refuse', 'split' or 'in_place', got {hard_links!r}")
    shown = os.fspath(path)
    if os.path.basename(shown) in {"", ".", ".."}:  # noqa: PTH119 -- Path() drops what this looks for
        # "x.md/", "x.md/." name a folder, as open() and every tool read
        # them; Path() would forget the slash, and write x.md.
        raise IsADirectoryError(errno.EISDIR, "names a folder; give the path of a file", shown)
    # Through a link, to the file it leads to: replacing the link itself
    # would leave the real file stale.
    try:
        target = Path(shown).resolve()
    except RuntimeError:
        # pathlib's word for a loop of links; the system's is ELOOP.
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), shown) from None
    existing = _existing(target, shown)
    if existing is not None:
        _check_replaceable(target, shown, existing, overwrite_readonly=overwrite_readonly)
        if existing.st_nlink > 1:
            if hard_links == "refuse":
                raise OSError(
                    errno.EMLINK,
                    f"the file has {existing.st_nlink} hard links; pass hard_links='split'"
                    " to replace this name only, or hard_links='in_place' to change them all",
                    shown,
                )
            if hard_links == "in_place":
                _write_in_place(target, shown, data)
                return
    _atomic_write(target, shown, data, existing)
    _remove_stale_temporaries(target.parent)


def _existing(target: Path, shown: str) -> os.stat_result | None:
    try:
        return target.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _naming(error, shown) from None


def _check_replaceable(
    target: Path, shown: str, existing: os.stat_result, *, overwrite_readonly: bool
) -> None:
    if stat.S_ISDIR(existing.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder; give the path of a file", shown)
    if not stat.S_ISREG(existing.st_mode):
        raise OSError(errno.EINVAL, "not a regular file; dump replaces regular files only", shown)
    if is_read_only(target, existing) and not overwrite_readonly:
        raise PermissionError(
            errno.EACCES, "the file is read-only; pass overwrite_readonly=True to replace it", shown
        )


def is_read_only(target: Path, existing: os.stat_result) -> bool:
    """Return whether :func:`dump` takes the existing file at *target* for read-only."""
    # No write bit for anyone catches the read-only files of root, who may
    # write anything.
    return not os.access(target, os.W_OK) or not existing.st_mode & 0o222


def _naming(error: OSError, shown: str) -> OSError:
    """Return *error* about the file the caller named, rather than our temporary file."""
    if error.errno is None:
        return error  # not about a file: it names none
    return type(error)(error.errno, error.strerror, shown)


def _temporary_name() -> str:
    return f".~nf-{''.join(secrets.choice(_ALPHABET) for _ in range(6))}.tmp"


def _atomic_write(target: Path, shown: str, data: bytes, existing: os.stat_result | None) -> None:
    folder = target.parent
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    # A new file: 0o666 lets the umask decide, as for any new file. A file
    # replaced: its owner and mode are copied before the text is written,
    # and until then only we may read it, so that a private file's new text
    # is never readable by others, even for a moment.
    mode = 0o666 if existing is None else 0o600
    while True:
        temporary = folder / _temporary_name()
        try:
            descriptor = os.open(temporary, flags, mode)
        except FileExistsError:  # pragma: no cover -- a 31-bit random name collided
            continue
        except OSError as error:
            raise _naming(error, shown) from None
        break
    try:
        with os.fdopen(descriptor, "wb") as file:
            if existing is not None:
                _keep_owner_and_mode(file.fileno(), existing)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _naming(error, shown) from None
        raise


def _keep_owner_and_mode(descriptor: int, existing: os.stat_result) -> None:
    mine = os.fstat(descriptor)
    if hasattr(os, "fchown") and (mine.st_uid, mine.st_gid) != (existing.st_uid, existing.st_gid):
        try:
            os.fchown(descriptor, existing.st_uid, existing.st_gid)
        except PermissionError:
            # Only root may give a file away; an owner may still keep the
            # group if they belong to it.
            with contextlib.suppress(PermissionError):
                os.fchown(descriptor, -1, existing.st_gid)
    # After the owner: changing it clears the set-user-ID bit.
    os.chmod(descriptor, stat.S_IMODE(existing.st_mode))


def _write_in_place(target: Path, shown: str, data: bytes) -> None:
    try:
        descriptor = os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.truncate()
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        raise _naming(error, shown) from None


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove the leftovers of killed dumps from *folder*, at most every few minutes.

    Only regular files named as :func:`dump` names its temporary files, and
    not touched for :data:`STALE_AFTER_SECONDS`, are removed: a dump still
    running finishes in well under that. Anything else is left alone.
    """
    now = time.time()
    key = str(folder)
    if now - _cleaned_at.get(key, -STALE_AFTER_SECONDS) < STALE_AFTER_SECONDS:
        return
    if len(_cleaned_at) >= _CLEANED_FOLDERS_KEPT:
        _cleaned_at.clear()
    _cleaned_at[key] = now
    try:
        entries = os.scandir(folder)
    except OSError:  # pragma: no cover -- the folder went away after the write
        return
    with entries:
        for entry in entries:
            if not is_temporary_name(entry.name):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER_SECONDS:
                    Path(entry.path).unlink()
            except OSError:  # pragma: no cover -- removed by another dump meanwhile
                continue
