r"""Lone surrogates in the exports: file names that are not UTF-8, and text that is not Unicode.

Python reads a file name that is not UTF-8 with each such byte kept as a
surrogate (``\udce9`` for the byte ``0xE9``), so a feed loaded from such a
folder holds paths UTF-8 cannot encode. JSON Lines keeps them, as JSON's
``\uXXXX`` escapes, and reads them back as the same path. Arrow and pandas
strings are UTF-8 only: they refuse such a path, and any lone surrogate in
other text, with a :class:`~newsfeed.ValidationError` naming the article and
the field, as :func:`newsfeed.dumps` does. Text other than a path never holds
a surrogate legitimately (a file's YAML cannot), so JSON Lines refuses it too.

Looked for only once a format refused something, or a line showed a
surrogate, so that an export without them costs nothing more.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Final

from newsfeed._errors import ValidationError

__all__ = [
    "SURROGATE",
    "escape_surrogates",
    "first_unwritable",
    "printable_path",
    "reason",
    "shown_surrogate",
    "unwritable",
]

#: A lone surrogate: a code point UTF-8 cannot encode.
SURROGATE: Final = re.compile("[\ud800-\udfff]")
#: The surrogates Python's ``surrogateescape`` gives the bytes 0x80 to 0xFF.
_ESCAPED_BYTES: Final = range(0xDC80, 0xDD00)


def shown_surrogate(surrogate: str) -> str:
    r"""Return a lone surrogate as text any stream can print.

    A file name's byte that is not UTF-8 as ``\xNN``, as Python shows bytes;
    any other as ``\uXXXX``.
    """
    code = ord(surrogate)
    return f"\\x{code - 0xDC00:02x}" if code in _ESCAPED_BYTES else f"\\u{code:04x}"


def printable_path(path: str | os.PathLike[str]) -> str:
    r"""Return *path* as text any stream can print: a byte that is not UTF-8 as ``\xNN``."""
    return SURROGATE.sub(lambda found: shown_surrogate(found.group()), os.fspath(path))


def escape_surrogates(json_text: str) -> str:
    r"""Return JSON text with each lone surrogate as a ``\uXXXX`` escape, which reads back as it."""
    # Only inside strings can JSON text hold one, and an escape means the same
    # there; a file name's surrogates are all low ones, so no two escapes can
    # read back as one pair.
    return SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)


def _strings(data: object, where: str) -> Iterator[tuple[str, str]]:
    """Yield each string of plain data (keys too, named by where they are) with its place."""
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield where, key
            yield from _strings(value, f"{where}.{key}" if where else key)
    elif isinstance(data, list | tuple):
        for index, item in enumerate(data):
            yield from _strings(item, f"{where}[{index}]")


def first_unwritable(data: object, *, keep_path: bool) -> tuple[str, str] | None:
    """Return the place of the first lone surrogate in plain data, and the surrogate, or None.

    With *keep_path*, the surrogates of a file name's bytes in the top-level
    ``path`` are not counted: JSON keeps those.
    """
    for where, text in _strings(data, ""):
        for found in SURROGATE.finditer(text):
            surrogate = found.group()
            if not (keep_path and where == "path" and ord(surrogate) in _ESCAPED_BYTES):
                return where, surrogate
    return None


def reason(where: str, surrogate: str) -> str:
    """Return why the lone *surrogate* at *where* cannot be written (or was not read)."""
    code = ord(surrogate)
    if where == "path" and code in _ESCAPED_BYTES:
        return f"the file name has the byte \\x{code - 0xDC00:02x}, which is not UTF-8"
    return f"lone surrogate {surrogate!r} is not valid Unicode"


def unwritable(
    path: str | os.PathLike[str] | None, where: str, surrogate: str, holder: str
) -> ValidationError:
    """Return the error for the lone *surrogate* at *where* of the article read from *path*.

    *holder* says what cannot hold it ("an Arrow string"); the article is
    named in a printable form, since the file name may be what is not UTF-8.
    """
    return ValidationError(
        f"{reason(where, surrogate)}, and {holder} cannot hold it",
        source=None if path is None else printable_path(path),
        field=where or None,
    )
