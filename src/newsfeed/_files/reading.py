"""Reading one article file from disk, within a size limit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO, Final

from newsfeed._errors import ParseError
from newsfeed._format.reading import MAX_FILE_BYTES, loads
from newsfeed._model import Article

__all__ = ["load"]

#: What a file that outgrew its reported size is read by, past that size.
_CHUNK_BYTES: Final = 1 << 16


def _read_limited(file: BinaryIO) -> bytes:
    """Read *file* to its end, or to one byte past :data:`MAX_FILE_BYTES`.

    The file's size is only a hint: a special file or a concurrent writer
    can misreport it, so reading goes on until the end or the limit. It is
    not read in one ``read(MAX_FILE_BYTES + 1)``, which allocates the whole
    8 MiB up front and costs more than parsing a typical file.
    """
    limit = MAX_FILE_BYTES + 1
    hint = os.fstat(file.fileno()).st_size + 1
    data = file.read(min(hint, limit))
    if len(data) < hint:
        return data  # a short read: the end of the file
    chunks = [data]
    size = len(data)
    while size < limit and (chunk := file.read(min(limit - size, _CHUNK_BYTES))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def load(path: str | os.PathLike[str]) -> Article:
    """Read the article file at *path*.

    Raises :class:`~newsfeed.ParseError` or :class:`~newsfeed.ValidationError`
    for a bad file, and :class:`OSError` when it cannot be read.
    """
    with Path(path).open("rb") as file:
        data = _read_limited(file)
    if len(data) > MAX_FILE_BYTES:
        raise ParseError(f"file is larger than {MAX_FILE_BYTES} bytes", source=path)
    return loads(data, source=path)
