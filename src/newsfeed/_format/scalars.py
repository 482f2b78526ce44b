"""One-line YAML scalars: recognising them, and quoting and escaping strings.

The reader (:mod:`newsfeed._format.fast`) and the writer
(:mod:`newsfeed._format.writing`) share this module, so that what one writes
the other reads as the same value, and a scalar read in some style is written
back in that style.

Recognition is deliberately narrower than YAML: each ``read_*`` function
returns :data:`NOT_RECOGNISED` unless what PyYAML's safe loader makes of the
text is certain, and the reader then leaves the whole file to the safe YAML
path, which is the reference.
"""

from __future__ import annotations

import functools
import re
import sys
from datetime import UTC, datetime, tzinfo
from typing import Final

import yaml
from yaml.nodes import ScalarNode

from newsfeed._format.timestamps import format_timestamp

__all__ = [
    "DOUBLE",
    "MAX_CACHED_TEXT",
    "NOT_RECOGNISED",
    "PLAIN",
    "SINGLE",
    "double_quoted",
    "is_plain_safe",
    "lone_surrogate",
    "needs_escape",
    "read_double",
    "read_int",
    "read_plain",
    "read_single",
    "read_timestamp",
    "single_allows",
    "single_quoted",
    "write_str",
    "write_timestamp",
]

#: The quoting styles of a one-line string.
PLAIN: Final = "plain"
SINGLE: Final = "single"
DOUBLE: Final = "double"


class _NotRecognised:
    """The one marker of "not read here": a value may be None, so None cannot be it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_RECOGNISED"


NOT_RECOGNISED: Final = _NotRecognised()

# ---------------------------------------------------------------------------
# Double quotes.

# What YAML requires to be escaped inside double quotes: the quote, the
# backslash, control characters, and the characters YAML 1.1 reads as line
# breaks (NEL, LS, PS). A byte-order mark is invisible, so it is escaped too.
_NEEDS_ESCAPE: Final = re.compile(
    r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]'
)
_NAMED_ESCAPES: Final = {
    "\\": "\\\\",
    '"': '\\"',
    "\x00": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def lone_surrogate(text: str) -> str | None:
    """Return the first lone surrogate in *text*, which UTF-8 cannot hold, or None."""
    found = _SURROGATE.search(text)
    return None if found is None else found.group()


def double_quoted(text: str) -> str:
    """Write *text* double-quoted, escaping only what YAML requires.

    The caller checks for lone surrogates (:func:`lone_surrogate`) first.
    """
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    if "\\" not in text and _NEEDS_ESCAPE.search(text.replace('"', "")) is None:
        # Quotes are the only thing to escape, as in most titles that need any.
        return '"' + text.replace('"', '\\"') + '"'
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


#: A YAML double-quoted escape this module reads: those the writer emits, and
#: ``\xHH``/``\uHHHH`` for any character. libyaml knows a few more (``\/``,
#: ``\_``, ``\U...``), which are left to it.
_ESCAPE: Final = re.compile(r'\\(?:([0abtnvfre"\\NLP])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))')
_UNESCAPED: Final = {escape[1]: char for char, escape in _NAMED_ESCAPES.items()}


def _unescape(match: re.Match[str]) -> str:
    named, byte, code = match.groups()
    if named is not None:
        return _UNESCAPED[named]
    return chr(int(byte or code, 16))


def needs_escape(text: str) -> bool:
    """Whether *text* holds a character the writer escapes inside double quotes."""
    return _NEEDS_ESCAPE.search(text) is not None


def read_double(inner: str) -> str | _NotRecognised:
    """Read the text between the double quotes of a one-line scalar."""
    if "\\" not in inner:
        # Raw control characters, YAML's line breaks, BOMs and surrogates are
        # what the writer escapes; libyaml reads some of them differently, so
        # they are left to it.
        return NOT_RECOGNISED if needs_escape(inner) else inner
    unquoted = inner.replace('\\"', '"')
    if "\\" not in unquoted:
        # Every backslash escaped a quote, the one escape most titles hold.
        return NOT_RECOGNISED if needs_escape(inner.replace('\\"', "")) else unquoted
    # What is left once the known escapes are gone must hold no quote or
    # backslash: either would end the scalar early or be an unknown escape.
    rest = _ESCAPE.sub("", inner)
    if needs_escape(rest):
        return NOT_RECOGNISED
    text = _ESCAPE.sub(_unescape, inner)
    if lone_surrogate(text) is not None:
        return NOT_RECOGNISED  # libyaml refuses a surrogate escape
    return text


# ---------------------------------------------------------------------------
# Single quotes.


def single_quoted(text: str) -> str:
    """Write *text* single-quoted (the caller checks :func:`single_allows`)."""
    return "'" + text.replace("'", "''") + "'"


def single_allows(text: str) -> bool:
    """Whether *text* can be written single-quoted on one line and read back alike."""
    return text.isprintable()


def read_single(inner: str) -> str | _NotRecognised:
    """Read the text between the single quotes of a one-line scalar."""
    if not inner.isprintable() or inner.replace("''", "").count("'"):
        return NOT_RECOGNISED
    return inner.replace("''", "'")


# ---------------------------------------------------------------------------
# Plain scalars.

_MAX_IMPLICIT_KEY: Final = 1024
_PLAIN_FIRST_FORBIDDEN: Final = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_PLAIN_FORBIDDEN: Final = re.compile(r": |:$| #|[,\[\]{}]|\s$")
_STR_TAG: Final = "tag:yaml.org,2002:str"
_resolver: Final = yaml.resolver.Resolver()


#: Longer texts (lines, values) are not kept by the readers' and writers'
#: caches: what repeats is short, and the caches live as long as the process,
#: so they are bounded in size as well as in entries (a hostile file's values
#: may be megabytes).
MAX_CACHED_TEXT: Final = 256


def is_plain_safe(text: str) -> bool:
    """Whether *text* can be written unquoted and read back as the same string.

    Deliberately stricter than YAML: when in doubt, the writer quotes and
    the reader leaves the file to the safe YAML path.
    """
    # Short texts repeat (types, providers, topics) and are remembered; a
    # long one would be kept, whole, for as long as the process lives.
    return _plain_safe_remembered(text) if len(text) <= MAX_CACHED_TEXT else _plain_safe(text)


@functools.lru_cache(maxsize=8192)
def _plain_safe_remembered(text: str) -> bool:
    return _plain_safe(text)


def _plain_safe(text: str) -> bool:
    return (
        bool(text)
        and text[0] not in _PLAIN_FIRST_FORBIDDEN
        # "... x" as a top-level key, at the start of a line, ends the document.
        and not text.startswith("...")
        and text.isprintable()
        and _PLAIN_FORBIDDEN.search(text) is None
        and _resolver.resolve(ScalarNode, text, (True, False)) == _STR_TAG  # type: ignore[no-untyped-call]
    )


def write_str(text: str, style: str) -> str:
    """Write *text* in *style*, or double-quoted where that style cannot hold it."""
    if style == PLAIN and is_plain_safe(text):
        return text
    if style == SINGLE and single_allows(text):
        return single_quoted(text)
    return double_quoted(text)


#: Integers longer than this are left to PyYAML (and Python's limit on
#: converting long digit strings); so are +1, 0x1F, 017, 1_000, 1:20 and -0.
_INT: Final = re.compile(r"0|-?[1-9][0-9]{0,17}")


@functools.lru_cache(maxsize=2048)
def read_int(text: str) -> int | _NotRecognised:
    """Read a decimal integer as the writer writes one.

    Cached (and bounded) for memory too: Python keeps one object per integer
    above 256, and a feed repeats a few hundred image sizes and heats.
    """
    return int(text) if _INT.fullmatch(text) else NOT_RECOGNISED


#: Timestamps PyYAML reads as aware datetimes, in the writer's spelling. For
#: these, datetime.fromisoformat builds exactly what PyYAML builds, four times
#: faster than PyYAML's own regex and constructor. Fractions of more than six
#: digits are left to the safe path, which decides about them.
_AWARE_TIMESTAMP: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{6})?"
    r"(?:Z|[-+](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)


def read_timestamp(text: str) -> datetime | _NotRecognised:
    """Read an aware timestamp written exactly as the writer writes one."""
    if _AWARE_TIMESTAMP.fullmatch(text) is None:
        return NOT_RECOGNISED
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return NOT_RECOGNISED  # out of range, such as 2020-02-30: the safe path says so
    # The pattern leaves two spellings the writer would not use (it writes
    # "Z" and no zero fraction); everything else it writes back as read.
    if text.endswith(_ZERO_OFFSETS) or _ZERO_FRACTION in text:
        return NOT_RECOGNISED
    zone = moment.tzinfo
    if zone is UTC:
        return moment
    # fromisoformat builds a timezone object for every value; a feed needs
    # one per offset (it is immutable, so sharing it is safe). Found by the
    # offset's text, which is cheaper to hash than the timezone.
    shared = _ZONES.get(text[-6:])
    if shared is None:
        shared = _ZONES[text[-6:]] = zone
    if shared is zone:
        return moment
    # The constructor, positionally: replace(tzinfo=) parses its keywords, 3x slower.
    return datetime(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
        shared,
    )


_ZERO_OFFSETS: Final = ("+00:00", "-00:00")
_ZERO_FRACTION: Final = ".000000"
#: One timezone per offset written "+HH:MM" (the pattern allows fewer than 2,000).
_ZONES: Final[dict[str, tzinfo | None]] = {}


_TIMESTAMP_LENGTH: Final = len("2020-06-11T12:02:00Z")
_LITERALS: Final[dict[str, object]] = {"true": True, "false": False}


def read_plain(text: str) -> object:
    """Read a plain scalar: a string, a decimal integer, a boolean or an aware timestamp.

    Strings are interned: a feed repeats the same few hundred of them.
    """
    first = text[:1]
    if first.isdigit() or first == "-":
        # An integer read here has at most 19 characters, a timestamp at
        # least 20: one test, and timestamps stay out of read_int's cache.
        if len(text) < _TIMESTAMP_LENGTH:
            number = read_int(text)
            if number is not NOT_RECOGNISED:
                return number
        else:
            moment = read_timestamp(text)
            if moment is not NOT_RECOGNISED:
                return moment
    literal = _LITERALS.get(text, NOT_RECOGNISED)
    if literal is not NOT_RECOGNISED:
        return literal
    return sys.intern(text) if is_plain_safe(text) else NOT_RECOGNISED


def write_timestamp(value: datetime) -> str:
    """Write an aware timestamp (the writer checks the value first)."""
    return format_timestamp(value)
