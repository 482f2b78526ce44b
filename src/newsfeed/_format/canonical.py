"""The canonical layout: writing an article as the producer writes one.

Which fields exist, in which order, and how each is quoted comes from
:mod:`newsfeed._format.schema`; the rules are listed in ``docs/format.md``.
:class:`Writer` also checks every value, and raises
:class:`~newsfeed.ValidationError` naming the field for one the format cannot
carry. :mod:`newsfeed._format.layout_writing` extends it to follow a file's
own layout.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any, Final, TypeVar

from newsfeed._errors import ValidationError
from newsfeed._format.convert import format_field_path, refuse_repeated_key
from newsfeed._format.scalars import (
    DOUBLE,
    PLAIN,
    lone_surrogate,
    write_str,
    write_timestamp,
)
from newsfeed._format.schema import EXTRA_GROUP, SCHEMAS, Field, Kind, Schema

__all__ = [
    "LIST_KINDS",
    "NOT_PLACED",
    "WRITTEN",
    "Item",
    "KeyPath",
    "Writer",
    "checked_text",
    "instance_of",
    "is_block",
    "key_path",
    "present_items",
    "scalar_text",
    "sub_schema",
]


_T = TypeVar("_T")
KeyPath = tuple[str | int, ...]
#: A key of a mapping to write, its value, and its field (None for an unknown key).
Item = tuple[str, Any, Field | None]

_MAX_IMPLICIT_KEY: Final = 1024
NOT_PLACED: Final = 1 << 30


def key_path(path: KeyPath, key: object) -> KeyPath:
    """Return the path of a mapping's key: an int key is a key, not a list index."""
    return (*path, key if type(key) is str else str(key))


#: The file being written, which the writers' errors name: set by ``dumps``
#: (the article's path) and ``dump`` (its target) around one article.
WRITTEN: Final[ContextVar[str | os.PathLike[str] | None]] = ContextVar(
    "newsfeed_written", default=None
)


def _fail(path: KeyPath, reason: str) -> ValidationError:
    return ValidationError(reason, source=WRITTEN.get(), field=format_field_path(path))


def _require(kind: type[_T], value: object, path: KeyPath) -> _T:
    # Exact types: a bool is not an int, a str subclass may not write back alike.
    if type(value) is not kind:
        raise _fail(path, f"expected {kind.__name__}, got {type(value).__name__}")
    return value


def checked_text(value: object, path: KeyPath) -> str:
    text = _require(str, value, path)
    surrogate = lone_surrogate(text)
    if surrogate is not None:
        raise _fail(path, f"lone surrogate {surrogate!r} is not valid Unicode")
    return text


def _decimal(value: int, path: KeyPath) -> str:
    try:
        return str(value)
    except ValueError as error:
        # Python refuses to print integers of more than 4300 digits by default.
        raise _fail(path, str(error)) from None


def _timestamp(value: object, path: KeyPath) -> str:
    if not isinstance(value, datetime):
        raise _fail(path, f"expected a datetime, got {type(value).__name__}")
    try:
        return write_timestamp(value)
    except ValueError as error:
        raise _fail(path, str(error)) from None


def _float(value: float) -> str:
    if value != value:  # noqa: PLR0124 -- the one test for NaN that needs no import
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    # YAML 1.1, as PyYAML reads it, needs a dot in a float: 1e+20 is a string.
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


def _any_scalar(value: object, path: KeyPath, style: str = PLAIN) -> str:  # noqa: PLR0911 -- one return per YAML type
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return _decimal(value, path)
    if type(value) is float:
        return _float(value)
    if type(value) is str:
        return write_str(checked_text(value, path), style)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return _timestamp(value, path)
    if isinstance(value, date):
        return value.isoformat()
    raise _fail(path, f"cannot write a value of type {type(value).__name__} in front matter")


def scalar_text(value: object, field: Field | None, style: str, path: KeyPath) -> str:
    """Write a one-line value of *field* (or of an unknown key) in *style* where it allows."""
    if field is None:
        return _any_scalar(value, path, style)
    kind = field.kind
    if kind is Kind.STR:
        return write_str(checked_text(value, path), style)
    if kind is Kind.INT:
        return _decimal(_require(int, value, path), path)
    if kind is Kind.BOOL:
        return "true" if _require(bool, value, path) else "false"
    return _timestamp(value, path)


def _canonical_style(field: Field | None) -> str:
    return DOUBLE if field is not None and field.quoted else PLAIN


def _key_text(key: object, path: KeyPath) -> str:
    if type(key) is not str:
        raise _fail(path, "keys must be strings")
    return write_str(checked_text(key, path), PLAIN)


def instance_of(cls: type[_T], value: object, path: KeyPath) -> _T:
    if not isinstance(value, cls):
        article = "an" if cls.__name__[0] in "AEIOU" else "a"
        raise _fail(path, f"expected {article} {cls.__name__}, got {type(value).__name__}")
    return value


def present_items(value: object, schema: Schema | None, path: KeyPath) -> list[Item]:
    """Return the keys to write for a model object or a plain mapping, in canonical order."""
    if schema is None:
        # A key that is not a string (refused when written) is named as written.
        return [(key, item, None) for key, item in value.items()]  # type: ignore[attr-defined]
    items: list[Item] = [
        (field.key, item, field)
        for field, item in zip(schema.fields, schema.values_of(value), strict=True)
        # An empty tuple is an absent list; compared by type, not with ==,
        # which would call each model object's __eq__.
        if item is not None and (type(item) is not tuple or item)
    ]
    if len(items) < len(schema.fields):
        _check_required(items, schema, path)
    extra: Mapping[str, Any] = value.extra  # type: ignore[attr-defined]
    if extra:
        refuse_repeated_key(extra, schema, path, source=WRITTEN.get())
        items.extend((key, item, None) for key, item in extra.items())
    return items


def _check_required(items: list[Item], schema: Schema, path: KeyPath) -> None:
    present = {item[0] for item in items}
    for field in schema.required:
        if field.key not in present:
            raise _fail((*path, field.key), "required field is missing")
    for keys in schema.one_of:
        if not present.intersection(keys):
            raise _fail((*path, keys[0]), f"needs {' or '.join(keys)}")


LIST_KINDS: Final = frozenset((Kind.STRS, Kind.OBJECTS))


def is_block(value: object, field: Field | None) -> bool:
    if field is not None:
        # Compared by identity: an Enum's hash is computed in Python.
        kind = field.kind
        return kind is Kind.OBJECT or kind is Kind.OBJECTS or kind is Kind.STRS
    return isinstance(value, Mapping | list | tuple) and bool(value)


def sub_schema(field: Field | None) -> Schema | None:
    return None if field is None or field.item is None else SCHEMAS[field.item]


class Writer:
    """Collects the lines of one front matter, without their line ends."""

    __slots__ = ("lines", "offset", "overrides", "step")

    def __init__(
        self, *, step: int = 2, offset: int = 2, overrides: dict[KeyPath, tuple[object, str]]
    ) -> None:
        self.lines: list[str] = []
        self.step = step
        self.offset = offset
        self.overrides = overrides

    # The canonical layout.

    def mapping(
        self, value: object, schema: Schema | None, indent: int, path: KeyPath, *, top: bool = False
    ) -> int:
        """Write a mapping the canonical way; return the index of its first key line (-1: none)."""
        first = -1
        group = -1
        for key, item, field in present_items(value, schema, path):
            if top:
                this = EXTRA_GROUP if field is None else field.group
                if group >= 0 and this != group:
                    self.lines.append("")
                group = this
            if first < 0:
                first = len(self.lines)
            self.entry(key, item, field, indent, key_path(path, key))
        if top and 0 <= group != EXTRA_GROUP:
            self.lines.append("")  # the empty line after the last group, but the tail
        return first

    def entry(
        self, key: str, value: object, field: Field | None, indent: int, path: KeyPath
    ) -> None:
        """Write ``key: value`` the canonical way."""
        pad = " " * indent
        key_text = _key_text(key, path)
        if len(key_text) > _MAX_IMPLICIT_KEY:
            # YAML reads a key of at most 1024 characters before its colon;
            # a longer one is written explicitly: "? key", then ": value".
            self.lines.append(f"{pad}? {key_text}")
            head = f"{pad}:"
        else:
            head = f"{pad}{key_text}:"
        if not is_block(value, field):
            self.lines.append(f"{head} {self.flow_empty_or_scalar(value, field, path)}")
            return
        if field is not None and field.kind is Kind.OBJECT:
            schema = sub_schema(field)
            instance = instance_of(schema.cls, value, path)  # type: ignore[union-attr]
            if not present_items(instance, schema, path):
                self.lines.append(f"{head} {{}}")
                return
            self.lines.append(head)
            self.mapping(instance, schema, indent + self.step, path)
            return
        if field is None and isinstance(value, Mapping):
            self.lines.append(head)
            self.mapping(value, None, indent + self.step, path)
            return
        items = self.sequence_of(value, path)
        self.lines.append(head)
        for index, item in enumerate(items):
            self.item(item, field, indent + self.offset, (*path, index))

    @staticmethod
    def sequence_of(value: object, path: KeyPath) -> Sequence[Any]:
        if not isinstance(value, list | tuple):
            raise _fail(path, f"expected a list, got {type(value).__name__}")
        return value

    def flow_empty_or_scalar(self, value: object, field: Field | None, path: KeyPath) -> str:
        if field is None and isinstance(value, Mapping):
            return "{}"
        if field is None and isinstance(value, list | tuple):
            return "[]"
        return scalar_text(value, field, _canonical_style(field), path)

    def item(self, value: object, field: Field | None, dash: int, path: KeyPath) -> None:
        """Write one list item the canonical way, a mapping's first key beside its dash."""
        pad = " " * dash
        schema = sub_schema(field)
        if schema is not None:
            value = instance_of(schema.cls, value, path)
        elif field is not None:  # a list of strings
            self.lines.append(f"{pad}- {write_str(checked_text(value, path), PLAIN)}")
            return
        if schema is not None or (isinstance(value, Mapping) and value):
            first = self.mapping(value, schema, dash + 2, path)
            self.lines[first] = f"{pad}- {self.lines[first][dash + 2 :]}"
        elif isinstance(value, list | tuple) and value:
            start = len(self.lines)
            for index, inner in enumerate(value):
                self.item(inner, None, dash + 2, (*path, index))
            self.lines[start] = f"{pad}- {self.lines[start][dash + 2 :]}"
        else:
            self.lines.append(f"{pad}- {self.flow_empty_or_scalar(value, None, path)}")
