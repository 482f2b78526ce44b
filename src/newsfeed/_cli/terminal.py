"""Text for people at a terminal: control characters escaped, widths measured, cells cut.

Everything the command line prints for people goes through :func:`printable`,
so a title holding ESC or BEL sequences cannot set the window title, clear the
screen or fake table rows. JSON, JSON Lines, CSV and paths are for programs
and stay exact.
"""

from __future__ import annotations

import shutil
import unicodedata
from typing import Final

from newsfeed._feed.text import shown_surrogate

__all__ = ["ELLIPSIS", "display_width", "printable", "terminal_width", "truncate"]

#: Marks a cell cut to fit.
ELLIPSIS: Final = "…"
#: The width when the terminal's is unknown (stdout is a file or a pipe and
#: COLUMNS is unset), and the least a table is given.
_FALLBACK_WIDTH: Final = 80
_MIN_WIDTH: Final = 20

_SHORT_ESCAPES: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
#: Characters that reorder the text around them (bidirectional overrides,
#: embeddings, isolates and marks) or break lines outside the terminal's
#: control: shown as escapes, like the C0 and C1 controls.
_INVISIBLE: Final = (
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u2028",
    "\u2029",
)


#: Lone surrogates: U+DC80 to U+DCFF stand for the bytes of a file name that is
#: not UTF-8 (Python's surrogateescape), the others for nothing at all. A
#: strict UTF-8 stream cannot write any of them.
_SURROGATES: Final = range(0xD800, 0xE000)


def _escape(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    if code in _SURROGATES:
        # A name's own byte as Python's repr of bytes shows it, as errors do.
        return shown_surrogate(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_CONTROLS: Final = [
    *map(chr, range(0x20)),
    "\x7f",
    *map(chr, range(0x80, 0xA0)),
    *_INVISIBLE,
    *map(chr, _SURROGATES),
]
_ESCAPES: Final = str.maketrans({char: _escape(char) for char in _CONTROLS})


def printable(text: str) -> str:
    r"""Return *text* with control characters and bidi overrides written as escapes.

    ESC becomes ``\x1b``, BEL ``\x07``, a line break ``\n``, U+202E
    (right-to-left override) ``\u202e``, the byte 0xFF of a file name that is
    not UTF-8 ``\xff``; everything else is kept, so titles in any script stay
    readable. Backslashes are kept as they are.
    """
    return text.translate(_ESCAPES)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def display_width(text: str) -> int:
    """Return how many terminal cells *text* (already :func:`printable`) takes.

    East Asian wide characters take two cells, combining marks none.
    """
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def truncate(text: str, width: int) -> str:
    """Return *text* cut to *width* cells, ending with :data:`ELLIPSIS` if it was cut."""
    if display_width(text) <= width:
        return text
    kept: list[str] = []
    used = 0
    for char in text:  # pragma: no branch -- wider than width, so the loop stops early
        cells = _char_width(char)
        if used + cells > width - 1:
            break
        kept.append(char)
        used += cells
    return "".join(kept) + ELLIPSIS


def terminal_width() -> int:
    """Return the width to fit output to: ``COLUMNS``, else the terminal's, else 80.

    Never less than 20, so a narrow or odd report still leaves room for a cell.
    """
    columns = shutil.get_terminal_size(fallback=(_FALLBACK_WIDTH, 24)).columns
    return max(columns, _MIN_WIDTH)
