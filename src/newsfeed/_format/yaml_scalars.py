"""Building one untagged YAML scalar as PyYAML's SafeLoader would, or refusing it.

PyYAML resolves and constructs some plain scalars in ways a file format for
strangers cannot keep: it converts YAML 1.1 base-60 numbers (``1:30``) in
quadratic time, builds integers Python cannot write back as text, and cuts
fractions of a second past microseconds. Those are refused here, naming the
value; everything else is built exactly as PyYAML builds it.
"""

from __future__ import annotations

import re
from typing import Any, Final

import yaml
from yaml.events import ScalarEvent
from yaml.nodes import ScalarNode

from newsfeed._errors import ParseError, shown
from newsfeed._format.timestamps import why_impossible

__all__ = ["MAX_INT_DIGITS", "TAG_PREFIX", "bad_escape", "build_scalar"]

#: The most decimal digits an integer may have: Python refuses to convert
#: longer ones to text (its default ``sys.get_int_max_str_digits()``), so a
#: longer one could be read but never written back.
MAX_INT_DIGITS: Final = 4300
_INT_LIMIT: Final = 10**MAX_INT_DIGITS
#: An integer's text longer than this (binary digits of MAX_INT_DIGITS decimal
#: ones, plus room for a sign, a prefix and underscores) is refused unconverted.
_MAX_INT_TEXT: Final = 4 * MAX_INT_DIGITS
#: The most digits of fractions of a second a datetime keeps (microseconds).
_MAX_FRACTION_DIGITS: Final = 6

TAG_PREFIX: Final = "tag:yaml.org,2002:"
_SCALAR_TAGS: Final = frozenset(
    TAG_PREFIX + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_INT_TAG: Final = TAG_PREFIX + "int"
_FLOAT_TAG: Final = TAG_PREFIX + "float"
_TIMESTAMP_TAG: Final = TAG_PREFIX + "timestamp"
_VALUE_TAG: Final = TAG_PREFIX + "value"
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def bad_escape(mark: Any) -> yaml.MarkedYAMLError:  # noqa: ANN401 -- either loader's Mark class
    """Return the error libyaml raises for an escape outside Unicode or of a surrogate."""
    return yaml.scanner.ScannerError(
        problem="found invalid Unicode character escape code", problem_mark=mark
    )


def build_scalar(loader: yaml.SafeLoader, event: ScalarEvent, line: int) -> object:
    """Build an untagged scalar as PyYAML's SafeLoader would, refusing what it would get wrong.

    *line* is the file line of the scalar, for errors.
    """
    if _SURROGATE.search(event.value):
        # Only an escape ("\ud800") gets here: libyaml refuses it, the pure loader does not.
        raise bad_escape(event.start_mark)
    tag = loader.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag == _VALUE_TAG:
        # "=" resolves to YAML's obsolete value type; it is plain text here.
        return event.value
    if tag not in _SCALAR_TAGS:
        raise ParseError(f"tag {tag} is not allowed", line=line)
    _check_before_building(tag, event.value, loader, line)
    # The C parser's marks are not the pure-Python class the stubs expect.
    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)  # type: ignore[arg-type]
    try:
        value = loader.yaml_constructors[tag](loader, node)
    except (ValueError, OverflowError) as error:
        # PyYAML resolves "2020-13-45" as a timestamp, then datetime() refuses it.
        raise ParseError(
            f"invalid {tag.removeprefix(TAG_PREFIX)} {shown(event.value)}: {why_impossible(error)}",
            line=line,
        ) from None
    if tag == _INT_TAG and abs(value) >= _INT_LIMIT:
        # Hexadecimal, octal and binary digits convert without Python's limit.
        raise ParseError(_too_many_digits(event.value), line=line)
    return value


def _too_many_digits(text: str) -> str:
    return f"integer {shown(text)} has more than {MAX_INT_DIGITS} digits, too many to write back"


def _too_long(text: str) -> bool:
    """Tell whether an integer's text is too long to convert, or to write back if decimal."""
    if len(text) > _MAX_INT_TEXT:
        return True
    digits = text.lstrip("+-").replace("_", "")
    # Python itself refuses to convert a decimal longer than its limit; other
    # bases convert in linear time, and are checked by value once built.
    return digits[:1] != "0" and len(digits) > MAX_INT_DIGITS


#: What YAML 1.1 reads as an octal integer: a zero, then octal digits.
_OCTAL: Final = re.compile(r"[-+]?0[0-7_]+")
#: Up to this many characters, the message gives the octal value too.
_SHOWN_OCTAL: Final = 20


def _check_before_building(tag: str, text: str, loader: yaml.SafeLoader, line: int) -> None:
    """Refuse numbers and timestamps PyYAML would build slowly, or build changed."""
    if tag in {_INT_TAG, _FLOAT_TAG}:
        if ":" in text:
            # PyYAML's base-60 conversion takes quadratic time (a megabyte:
            # most of a minute), and the writer would put back 90 for 1:30.
            raise ParseError(
                f"base-60 number {shown(text)} is not allowed (YAML 1.1 reads 1:30 as 90); "
                "quote it to keep it as text",
                line=line,
            )
        if tag == _INT_TAG and _too_long(text):
            raise ParseError(_too_many_digits(text), line=line)
        if tag == _INT_TAG and _OCTAL.fullmatch(text):
            # A zero-padded quality (054) is a slip, not octal: 44 would be
            # read, and written back, with nothing said.
            value = f", {int(text.replace('_', ''), 8)}" if len(text) <= _SHOWN_OCTAL else ""
            raise ParseError(
                f"zero-padded number {shown(text)} is not allowed (YAML 1.1 reads it as "
                f"octal{value}); drop the zeros, or quote it to keep it as text",
                line=line,
            )
    elif tag == _TIMESTAMP_TAG:
        match = loader.timestamp_regexp.match(text)
        fraction = None if match is None else match["fraction"]
        if fraction is not None and len(fraction) > _MAX_FRACTION_DIGITS:
            # PyYAML would cut the fraction to microseconds, changing the value.
            raise ParseError(
                f"timestamp {shown(text)} has more than {_MAX_FRACTION_DIGITS} digits of "
                "fractions of a second, more than a datetime keeps; quote it to keep it as text",
                line=line,
            )
