"""Reading one article file from disk (regular files only), within a size limit."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import warnings
import weakref
from typing import BinaryIO, Final, cast

from newsfeed._errors import LoadFailure, NewsfeedWarning, ParseError, failure_from
from newsfeed._format.reading import MAX_FILE_BYTES, loads, read_article
from newsfeed._model import Article
from newsfeed._stacklevel import outside_newsfeed

__all__ = ["issue_or_fail", "load", "load_reusing", "read_file", "within_limit"]

#: What a file that outgrew its reported size is read by, past that size.
_CHUNK_BYTES: Final = 1 << 16

#: O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer,
#: forever. O_NOCTTY: a terminal device must not become our controlling
#: terminal. The flags that do not exist on a platform count as 0.
_OPEN_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)

_KINDS: Final = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _refuse_unless_regular(mode: int, path: str | os.PathLike[str]) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    raise ParseError(f"not a regular file ({kind})", source=path)


def _read_limited(descriptor: int, size_hint: int) -> bytes:
    """Read *descriptor* to its end, or to one byte past :data:`MAX_FILE_BYTES`.

    The file's size is only a hint: a file being written can misreport it,
    so reading goes on until the end or the limit. It is not read in one
    ``read(MAX_FILE_BYTES + 1)``, which allocates the whole 8 MiB up front
    and costs more than parsing a typical file. A regular file gives a
    short read only at its end.
    """
    limit = MAX_FILE_BYTES + 1
    wanted = min(size_hint + 1, limit)
    data = os.read(descriptor, wanted)
    if len(data) < wanted:
        return data  # a short read: the end of the file
    chunks = [data]
    size = len(data)
    while size < limit and (chunk := os.read(descriptor, min(limit - size, _CHUNK_BYTES))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_file(path: str | os.PathLike[str]) -> bytes:
    """Return the bytes of the regular file at *path*, up to one byte past the size limit.

    A FIFO, socket, device or folder is refused with a
    :class:`~newsfeed.ParseError` ("not a regular file") without blocking:
    it is looked at before it is opened (opening some devices has effects),
    opened without waiting for a writer, and looked at again once open, in
    case it was swapped in between.
    """
    # os-level calls: a Path object per file costs more than the reading.
    _refuse_unless_regular(os.stat(path).st_mode, path)  # noqa: PTH116 -- see above
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(descriptor)
        _refuse_unless_regular(info.st_mode, path)
        return _read_limited(descriptor, info.st_size)
    finally:
        os.close(descriptor)


def _not_binary(file: object) -> TypeError:
    return TypeError(f"load() needs a file opened in binary mode ('rb'), got {type(file).__name__}")


def _read_file_object(file: object) -> bytes:
    # Typed as object: what callers pass is checked here, a text file
    # before anything is read from it.
    if isinstance(file, io.TextIOBase):
        raise _not_binary(file)
    data = cast("BinaryIO", file).read(MAX_FILE_BYTES + 1)
    if not isinstance(data, bytes):
        raise _not_binary(file)
    return data


def load(file: str | os.PathLike[str] | BinaryIO) -> Article:
    """Read the article file at the path *file*, or from the binary file object *file*.

    A path must name a regular file; a FIFO, socket, device or folder is
    refused with a :class:`~newsfeed.ParseError` ("not a regular file"). A
    file object (opened with ``"rb"``, or an ``io.BytesIO``) is read from
    where it stands, and its ``name``, when it has a path for one, names it
    in errors and becomes the article's ``path``.

    Raises :class:`~newsfeed.ParseError` or :class:`~newsfeed.ValidationError`
    for a bad file, and :class:`OSError` when it cannot be read.
    """
    source: str | os.PathLike[str] | None
    if isinstance(file, str | os.PathLike):
        source = file
        data = read_file(file)
    elif callable(getattr(file, "read", None)):
        name = getattr(file, "name", None)
        source = name if isinstance(name, str | os.PathLike) else None
        data = _read_file_object(file)
    else:
        raise TypeError(f"load() takes a path or a binary file object, not {type(file).__name__}")
    return loads(within_limit(data, source), source=source)


def within_limit(data: bytes, source: str | os.PathLike[str] | None) -> bytes:
    """Return *data*, or refuse it when it is past :data:`MAX_FILE_BYTES`."""
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(f"file is larger than {MAX_FILE_BYTES} bytes", source=source)
    return data


#: Articles read by :func:`load_reusing` that are still alive somewhere, by
#: the digest of their path and bytes. Weak: an entry goes with its article.
_ALIVE: Final[weakref.WeakValueDictionary[bytes, Article]] = weakref.WeakValueDictionary()


def load_reusing(path: str) -> Article:
    """Read the article file at *path*, or give back the article read before from the same bytes.

    Reloading a folder while the feed of the last load is still alive (a
    notebook cell run again, ``feed = load_dir(...)``) then costs a read and
    a digest per unchanged file, and the two feeds share those articles
    rather than doubling the memory. Articles are immutable, so sharing one
    is not observable but by ``is``. The file is always read: its bytes,
    not its modification time, say whether it changed. A file read with a
    warning is read again each time, so that the warning comes again.
    """
    data = within_limit(read_file(path), path)
    # A path holds no NUL, so path, NUL and bytes can be split only one way.
    digest = hashlib.sha256(os.fsencode(path) + b"\0")
    digest.update(data)  # fed on its own, not copied behind the path first
    key = digest.digest()
    found = _ALIVE.get(key)
    if found is not None:
        return found
    article, warned = read_article(data, source=path)
    if not warned:
        _ALIVE[key] = article
    for warning in warned:
        warnings.warn(warning, stacklevel=outside_newsfeed())
    return article


def issue_or_fail(warning: NewsfeedWarning, path: str | os.PathLike[str]) -> LoadFailure | None:
    """Issue the warning a file gave when read earlier; None, or that file's failure.

    For warnings issued away from the read (sent back by a worker process,
    stored in the index): should a warnings filter make this one an error,
    the file is a failure, as :func:`newsfeed.load_dir` makes a file whose
    warning is an error when it reads it. It points at the caller's code.
    """
    try:
        warnings.warn(warning, stacklevel=outside_newsfeed())
    except Exception as error:  # noqa: BLE001 -- a filter made it an error
        return failure_from(path, error)
    return None
