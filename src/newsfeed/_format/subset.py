"""A reader for the small subset of YAML that the canonical layout is written in.

:func:`read_front_matter` returns what :func:`newsfeed._format.safe_yaml.load_mapping`
returns for the same text -- or None, meaning "not recognized, use the
reference path". It reads block mappings and sequences indented two spaces a
level (a sequence item's mapping starting beside its dash), one scalar per
line, and nothing else: no flow collections but the empty ``[]`` and ``{}``,
no comments, tags, anchors, multi-line scalars, single quotes or blank lines
inside a block.

A scalar is only read when what YAML's safe loader makes of it is certain:

- a double-quoted string whose characters are all printable and whose
  escapes are those the writer emits;
- ``true``, ``false``, ``null``, a decimal integer, or a timestamp in the
  writer's format;
- any other plain scalar only if the writer's own test (:func:`_is_plain_safe`:
  YAML's resolver says it is a string, and it holds nothing YAML treats
  specially) passes.

Anything else raises :class:`Unrecognized` inside, and None comes out.
"""

from __future__ import annotations

import functools
import re
import sys
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any, Final

from newsfeed._format.writing import _is_plain_safe

__all__ = [
    "MARKERS",
    "MAX_KEY",
    "UNRECOGNIZED",
    "Unrecognized",
    "aware_timestamp",
    "forget",
    "integer",
    "plain_str",
    "quoted",
    "read_front_matter",
    "scalar",
]


class Unrecognized(Exception):  # noqa: N818 -- a signal to fall back, not an error
    """Raised by the fast readers for input they do not read; never leaves newsfeed."""


#: One instance, raised again and again: building a fresh one each time
#: would cost more than the fallback it signals.
UNRECOGNIZED: Final = Unrecognized()


def forget(signal: Unrecognized) -> None:
    """Drop the traceback of a caught *signal*, before it is raised again.

    Raising the same instance again prepends the new frames to the old
    traceback, so without this it would grow by every frame it ever passed
    through, and keep each frame's locals (the lines of every file) alive.
    """
    signal.__traceback__ = None


#: A YAML double-quoted escape the writer emits, and nothing else: libyaml
#: knows a few more (``\/``, ``\_``, ``\U...``), which are left to it.
_ESCAPE: Final = re.compile(r'\\(?:([0abtnvfre"\\NLP])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))')
_NAMED: Final = {
    "0": "\x00",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    '"': '"',
    "\\": "\\",
    "N": "\x85",
    "L": "\u2028",
    "P": "\u2029",
}
#: The timestamps the writer writes, UTC or with an offset, with every field
#: in range. For these, datetime.fromisoformat builds exactly what PyYAML
#: builds, four times faster than PyYAML's own regex and constructor.
_AWARE_TIMESTAMP: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:Z|[-+](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
#: Other timestamps (dates, naive datetimes, fractions of a second) in a
#: strict subset of YAML's syntax, in groups for :func:`_timestamp`.
_TIMESTAMP: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{6}))?(?:(Z)|([-+])([0-9]{2}):([0-9]{2}))?)?"
)
#: Integers longer than this are left to PyYAML, with Python's limit on
#: converting long digit strings.
_MAX_DIGITS: Final = 18
_EMPTY_FLOW: Final[dict[str, Any]] = {"[]": list, "{}": dict}
_LITERALS: Final[dict[str, object]] = {"true": True, "false": False, "null": None}
#: libyaml refuses an implicit key longer than 1024 characters; real keys
#: are short, so long ones are left to it.
MAX_KEY: Final = 128
#: The canonical layout nests five levels deep (ten spaces at most).
_MAX_INDENT: Final = 32
MARKERS: Final = ("---", "...")


@functools.lru_cache(maxsize=4096)
def plain_str(text: str) -> str | None:
    """Return *text* interned if YAML reads it, unquoted, as this very string.

    The cache is bounded, and it is what makes interning cheap: a folder of
    10,000 files repeats a few hundred provider names, domains and topics.
    """
    return sys.intern(text) if _is_plain_safe(text) else None


def _unescape(match: re.Match[str]) -> str:
    named, byte, code = match.groups()
    if named is not None:
        return _NAMED[named]
    point = int(byte or code, 16)
    if 0xD800 <= point <= 0xDFFF:
        raise UNRECOGNIZED  # libyaml refuses a surrogate escape
    return chr(point)


def quoted(value: str) -> str:
    """Read a double-quoted scalar that makes up the whole of *value*."""
    if len(value) < 2 or value[0] != '"' or value[-1] != '"':
        raise UNRECOGNIZED
    inner = value[1:-1]
    if '"' in inner or "\\" in inner:
        # What is left once the known escapes are gone must hold no quote
        # or backslash: either would end the scalar early or escape unknown.
        rest = _ESCAPE.sub("", inner)
        if '"' in rest or "\\" in rest or not rest.isprintable():
            raise UNRECOGNIZED
        return _ESCAPE.sub(_unescape, inner)
    # Raw control characters, YAML's line breaks, BOMs, surrogates and
    # unassigned code points are all non-printable; libyaml reads some of
    # them differently, so they are left to it.
    if not inner.isprintable():
        raise UNRECOGNIZED
    return inner


@functools.lru_cache(maxsize=1024)
def integer(value: str) -> int | None:
    """Read a decimal integer as the writer writes one, or return None.

    Cached (and bounded) for memory: Python keeps one object per integer
    above 256, and a feed repeats a few hundred image sizes and heats.
    """
    digits = value[1:] if value[:1] == "-" else value
    # Other spellings YAML reads as integers (+1, 0x1F, 017, 1_000, 1:20)
    # are not decimal digits only, or start with 0.
    if (
        digits.isdigit()
        and digits.isascii()
        and len(digits) <= _MAX_DIGITS
        and (digits[0] != "0" or len(digits) == 1)
    ):
        return int(value)
    return None


def aware_timestamp(value: str) -> datetime | None:
    """Read a timestamp as the writer writes one (``...Z`` or ``...+05:30``), or None."""
    if _AWARE_TIMESTAMP.fullmatch(value) is None:
        return None
    moment = datetime.fromisoformat(value)  # may raise ValueError: 2020-02-30
    zone = moment.tzinfo
    if zone is UTC:
        return moment
    # fromisoformat builds a timezone object for every value; a feed needs
    # one per offset (it is immutable, so sharing it is safe).
    return moment.replace(tzinfo=_shared_zone(zone))


@functools.lru_cache(maxsize=256)
def _shared_zone(zone: tzinfo | None) -> tzinfo | None:
    return zone


@functools.cache
def _offset(sign: str, hours: str, minutes: str) -> timezone:
    # Bounded by its arguments: a sign and two digits twice.
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def _timestamp(match: re.Match[str]) -> date:
    """Build a timestamp exactly as PyYAML's SafeConstructor does."""
    year, month, day, hour, minute, second, fraction, utc, sign, tz_hour, tz_minute = match.groups()
    if hour is None:
        return date(int(year), int(month), int(day))
    tzinfo = UTC if utc else None if sign is None else _offset(sign, tz_hour, tz_minute)
    return datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second),
        int(fraction) if fraction else 0,
        tzinfo=tzinfo,
    )


def _typed(value: str) -> object:
    """Read an integer or a timestamp; return *value* itself if it is neither."""
    number = integer(value)
    if number is not None:
        return number
    moment = aware_timestamp(value)
    if moment is not None:
        return moment
    match = _TIMESTAMP.fullmatch(value)
    return value if match is None else _timestamp(match)


def scalar(value: str) -> object:
    """Read a scalar written on one line, as YAML's safe loader would."""
    first = value[:1]
    if first == '"':
        return quoted(value)
    if first.isdigit() or first == "-":
        typed = _typed(value)
        if typed is not value:
            return typed
    if value in _LITERALS:
        return _LITERALS[value]
    empty = _EMPTY_FLOW.get(value)
    if empty is not None:
        return empty()
    text = plain_str(value)
    if text is None:
        raise UNRECOGNIZED
    return text


def _key(text: str, mapping: dict[str, Any]) -> str:
    key = plain_str(text) if len(text) <= MAX_KEY else None
    if key is None or key in mapping:
        raise UNRECOGNIZED  # a key YAML may read as something else, or a duplicate
    return key


def _mapping(lines: list[str], index: int, indent: int, first: str | None) -> tuple[Any, int]:
    """Read a block mapping whose keys sit *indent* spaces in, from ``lines[index]``.

    *first* is the first entry's text when it sits after a sequence item's
    ``- ``. Returns the mapping and the index of the first line after it.
    At the top level (indent 0), empty lines between entries are skipped.
    """
    result: dict[str, Any] = {}
    pad = " " * indent
    count = len(lines)
    content = first
    while True:
        if content is None:
            if index == count:
                break
            line = lines[index]
            if not line.startswith(pad):
                break
            index += 1
            content = line[indent:]
            if not content:
                if indent:
                    raise UNRECOGNIZED  # a line of spaces only
                content = None
                continue
            if content[0] == " " or (not indent and content.startswith(MARKERS)):
                # Deeper than this mapping under no key; or, at the start of
                # a line, what YAML may read as a document marker.
                raise UNRECOGNIZED
        key, separator, value = content.partition(": ")
        content = None
        if separator:
            result[_key(key, result)] = scalar(value)
        elif key[-1:] == ":":
            key = _key(key[:-1], result)
            result[key], index = _block(lines, index, indent + 2)
        else:
            raise UNRECOGNIZED
    return result, index


def _block(lines: list[str], index: int, indent: int) -> tuple[Any, int]:
    """Read the block value of a key: a sequence or a mapping, *indent* spaces in."""
    if index == len(lines) or indent > _MAX_INDENT:
        # A key with no value is null; deep nesting is the reference path's
        # to refuse. Both are left to it (and this reader never recurses far).
        raise UNRECOGNIZED
    line = lines[index]
    if not line.startswith(" " * indent) or line[indent : indent + 1] in ("", " "):
        raise UNRECOGNIZED
    if line.startswith("- ", indent):
        return _sequence(lines, index, indent)
    return _mapping(lines, index, indent, None)


def _sequence(lines: list[str], index: int, indent: int) -> tuple[list[Any], int]:
    """Read a block sequence whose dashes sit *indent* spaces in."""
    result: list[Any] = []
    dash = " " * indent + "- "
    count = len(lines)
    while index < count and lines[index].startswith(dash):
        content = lines[index][indent + 2 :]
        index += 1
        if content[:1] != '"' and (": " in content or content[-1:] == ":"):
            # A mapping inside the item, its first key beside the dash. A
            # plain scalar never holds ": " nor ends with ":" (see plain_str).
            item, index = _mapping(lines, index, indent + 2, content)
            result.append(item)
        else:
            result.append(scalar(content))
    return result, index


def read_front_matter(front_matter: str) -> dict[str, Any] | None:
    """Return the front matter as :func:`~newsfeed._format.safe_yaml.load_mapping` would, or None.

    *front_matter* is the text between the fences, ending with a line end.
    None means "not recognized": the caller must take the reference path.
    """
    lines = front_matter.split("\n")
    # The text ends with a line end, so the last item is empty; dropping it
    # also refuses text that does not end with one.
    if lines.pop():
        return None
    try:
        data, _ = _mapping(lines, 0, 0, None)
    except Unrecognized:
        forget(UNRECOGNIZED)
        return None
    except ValueError:
        # A timestamp out of range, such as 2020-02-30, which YAML refuses too.
        return None
    # The top-level mapping reads to the end or raises; it may be empty.
    mapping: dict[str, Any] = data
    return mapping or None
