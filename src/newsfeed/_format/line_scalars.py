"""The block reader's keys and one-line scalars, and caches for a folder's repeated lines.

:class:`~newsfeed._format.block_reader.BlockReader` reads lines; this module
says what a key or a scalar on them is (or raises :data:`DECLINED`), and
remembers the keys, line heads, plain values and whole lines a folder
repeats, in bounded caches.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from typing import Any, Final

from newsfeed._format.layout import intern
from newsfeed._format.scalars import (
    DOUBLE,
    MAX_CACHED_TEXT,
    NOT_RECOGNISED,
    PLAIN,
    SINGLE,
    is_plain_safe,
    needs_escape,
    read_double,
    read_plain,
    read_single,
)

__all__ = [
    "COMMENT",
    "DECLINED",
    "HEADS",
    "ITEM_KEY_ENDS",
    "KEYS",
    "MAX_CACHED_TEXT",
    "MAX_PLAIN_LINES",
    "NOT_A_VALUE",
    "NOT_PLAIN_START",
    "PLAIN_ITEM",
    "PLAIN_ITEMS",
    "PLAIN_LINES",
    "PLAIN_VALUES",
    "QUOTES_OR_FLOW",
    "Declined",
    "head_of",
    "key_of",
    "quotes_escaped",
    "read_plain_cached",
    "scalar",
    "writes_as_is",
]


class Declined(Exception):  # noqa: N818 -- a signal to fall back, not an error
    """Raised inside the fast reader for text it does not read; never leaves it."""


#: One instance, raised again and again: building a fresh one each time
#: would cost more than the fallback it signals.
DECLINED: Final = Declined()

_KEY: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_DOUBLE: Final = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_SINGLE: Final = re.compile(r"'([^']*(?:''[^']*)*)'")
COMMENT: Final = re.compile(r" +#.*")
_FLOW_PLAIN: Final = re.compile(r"[^,\[\]{}]+")
#: Keys YAML reads as something else than the string (``on``, ``null``...) and
#: over-long keys are left to the safe path.
_MAX_KEY: Final = 128


#: Keys seen, and whether this reader reads them: a folder repeats a few dozen.
KEYS: dict[str, str | None] = {}
_MAX_KEYS: Final = 4096


#: Heads of "key: value" lines (the text before ": ", indentation included)
#: seen, as (indentation, key, entry of a plain value, entry of a
#: double-quoted one), or None for a head that is not a key.
_Head = tuple[int, str, tuple[Any, ...], tuple[Any, ...]]
HEADS: dict[str, _Head | None] = {}


def head_of(head: str) -> _Head | None:
    """Return the indentation, key and simple entries of *head*, and remember them."""
    text = head.lstrip(" ")
    key = key_of(text) if text else None
    known = (
        None
        if key is None
        else (len(head) - len(text), key, _simple_entry(key, PLAIN), _simple_entry(key, DOUBLE))
    )
    if len(head) <= MAX_CACHED_TEXT and len(HEADS) < _MAX_KEYS:
        HEADS[head] = known
    return known


#: The entries of "key: value" lines with nothing else on them, by key and style.
_SIMPLE_ENTRIES: dict[tuple[str, str], tuple[Any, ...]] = {}


def _simple_entry(key: str, style: str) -> tuple[Any, ...]:
    """Return the shared entry of a plain "key: value" line in *style*."""
    found = _SIMPLE_ENTRIES.get((key, style))
    if found is None:
        found = intern((key, (), " ", style, "", None))
        if len(_SIMPLE_ENTRIES) < _MAX_KEYS:
            _SIMPLE_ENTRIES[key, style] = found
    return found


def key_of(text: str) -> str | None:
    """Return *text* if it is a key this reader reads (interned), else None."""
    known = KEYS.get(text, "")
    if known != "":
        return known
    key = (
        sys.intern(text)
        if len(text) <= _MAX_KEY and _KEY.fullmatch(text) and is_plain_safe(text)
        else None
    )
    if len(text) <= MAX_CACHED_TEXT and len(KEYS) < _MAX_KEYS:
        KEYS[text] = key
    return key


#: What may follow "key:" for the common paths not to apply: nothing, more
#: spaces, a comment.
NOT_A_VALUE: Final = frozenset(("", " ", "#"))
QUOTES_OR_FLOW: Final = frozenset("\"'[")
#: First characters of a value that the common path leaves to the general one:
#: quotes, a flow list, more spaces, a comment, nothing at all.
NOT_PLAIN_START: Final = frozenset(("", " ", "#", '"', "'", "["))
#: What follows the colon of a key beside a list item's dash.
ITEM_KEY_ENDS: Final = frozenset(("", " "))
#: Lines of a plain "key: value" entry read before, with nothing pending, as
#: (indentation, key, value, entry); and of a plain list item, as
#: (indentation, value). A folder repeats its types, providers, topics and
#: sizes line for line. Timestamps, which hardly repeat, are not kept.
PLAIN_LINES: dict[str, tuple[int, str, object, tuple[Any, ...]]] = {}
PLAIN_ITEMS: dict[str, tuple[int, object]] = {}
MAX_PLAIN_LINES: Final = 4096
PLAIN_ITEM: Final = ((), PLAIN, "", None, None)
#: Plain scalars seen, by their text: a folder repeats the same types,
#: providers, topics and sizes. Timestamps, which hardly repeat, are not kept.
PLAIN_VALUES: dict[str, object] = {}
_MAX_PLAIN_VALUES: Final = 20_000


def writes_as_is(inner: str) -> bool:
    """Whether a double-quoted string without escapes is one the writer writes so."""
    # isprintable() is quick and almost always true; unassigned code points,
    # which it refuses, are fine for YAML and the writer alike.
    return inner.isprintable() or not needs_escape(inner)


def quotes_escaped(inner: str) -> str | None:
    r"""Read a double-quoted string whose only escapes are quotes (``\"``), or return None.

    The writer writes such a string back as it was, so it needs no override.
    """
    unescaped = inner.replace('\\"', '"')
    if "\\" in unescaped or needs_escape(inner.replace('\\"', "")):
        return None  # another escape, a bare quote, or what the writer escapes
    return unescaped


def read_plain_cached(text: str) -> object:
    value = read_plain(text)
    if value is NOT_RECOGNISED:
        raise DECLINED
    if (
        type(value) is not datetime
        and len(text) <= MAX_CACHED_TEXT
        and len(PLAIN_VALUES) < _MAX_PLAIN_VALUES
    ):
        PLAIN_VALUES[text] = value
    return value


def scalar(text: str, start: int, *, in_flow: bool) -> tuple[object, str, int]:
    """Read the scalar at *start*: (value, style, where it ends)."""
    first = text[start : start + 1]
    if first == '"':
        match = _DOUBLE.match(text, start)
        if match is None:
            raise DECLINED
        value: object = read_double(match.group(1))
        style, end = DOUBLE, match.end()
    elif first == "'":
        match = _SINGLE.match(text, start)
        if match is None:
            raise DECLINED
        value = read_single(match.group(1))
        style, end = SINGLE, match.end()
    else:
        if in_flow:
            match = _FLOW_PLAIN.match(text, start)
            if match is None:
                raise DECLINED
            end = match.end()
            if "?" in text[start:end]:
                # It ends a plain scalar in a flow list for PyYAML's own
                # scanner, not for libyaml (which refuses ":?"): the safe
                # path, with the loader at hand, says what it is.
                raise DECLINED
        else:
            end = text.find(" #", start)
            end = len(text) if end < 0 else end
        raw = text[start:end].rstrip(" ")
        end = start + len(raw)
        value = read_plain(raw)
        style = PLAIN
    if value is NOT_RECOGNISED:
        raise DECLINED
    return value, style, end
