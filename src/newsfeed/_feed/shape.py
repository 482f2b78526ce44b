"""The shape of the model, read from its attrs fields, for the JSON Lines and Arrow exports.

Both exports walk :func:`record_shape`, which reads the model classes' own
fields and annotations. There is no second list of fields to keep in step:
a field added to the model appears in every export, and a field of a type no
export knows fails loudly (:class:`TypeError`) instead of being left out.

This module also owns how ``extra`` (the keys the model does not know) is
written as JSON without loss. YAML gives those keys values JSON has no type
for, so such a value becomes a one-key object naming its type:

- a timestamp: ``{"$timestamp": "2020-06-11T12:02:00+00:00"}`` (ISO 8601,
  its offset and fraction of a second kept; a naive one stays naive);
- a date: ``{"$date": "2020-06-11"}``;
- a float JSON cannot write: ``{"$float": "nan"}`` (or ``"inf"``, ``"-inf"``);
- a mapping that would read as one of these, ``{"$date": "x"}`` itself:
  ``{"$mapping": {"$date": "x"}}``.

Everything else is plain JSON: strings, integers of any size, finite floats,
booleans, null, lists and string-keyed objects.
"""

from __future__ import annotations

import functools
import json
import math
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, Union

import attrs

from newsfeed._errors import cut, shown
from newsfeed._model import Article

__all__ = [
    "MAX_EXTRA_DEPTH",
    "Codec",
    "DecodeError",
    "Field",
    "Record",
    "Shape",
    "decode_extra",
    "encode_extra",
    "json_value",
    "record_shape",
]

_TAGS: Final = frozenset({"$timestamp", "$date", "$float", "$mapping"})
_NON_FINITE: Final = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
#: How deep an export's ``extra`` may nest, counting itself: twice the
#: Markdown reader's ``MAX_DEPTH`` (not imported: that module imports this
#: one), since a mapping that reads as a tag takes two levels here
#: (``{"$mapping": {...}}``), so every article a file holds fits. A limit at
#: all keeps the walk below from exhausting the stack.
MAX_EXTRA_DEPTH: Final = 128


class DecodeError(ValueError):
    """Plain data that does not make a model object: *where* names the field, *reason* says why."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}" if where else reason)


@attrs.frozen
class Scalar:
    """A ``str``, ``int`` or ``bool`` value."""

    python_type: type


@attrs.frozen
class Timestamp:
    """A timezone-aware :class:`~datetime.datetime`."""


@attrs.frozen
class FilePath:
    """A :class:`~pathlib.Path`."""


@attrs.frozen
class Extra:
    """The mapping of keys the model does not know."""


@attrs.frozen
class ListOf:
    """A tuple of one kind of value."""

    item: Shape


@attrs.frozen
class Field:
    """One attribute of a model class: its name, its shape, and whether it may be None."""

    name: str
    shape: Shape
    optional: bool


@attrs.frozen
class Record:
    """A model class and its fields, in declaration order."""

    cls: type
    fields: tuple[Field, ...]


Shape = Scalar | Timestamp | FilePath | Extra | ListOf | Record


def _shape(annotation: object, owner: str) -> tuple[Shape, bool]:  # noqa: PLR0911 -- one return per kind
    """Return the shape of *annotation* and whether it admits None."""
    arguments = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        others = [argument for argument in arguments if argument is not type(None)]
        if len(others) == 1:
            shape, _ = _shape(others[0], owner)
            return shape, True
    elif origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        item, _ = _shape(arguments[0], owner)
        # A timestamp is written with its offset beside it: there is no "beside" in a list.
        if not isinstance(item, Timestamp):
            return ListOf(item), False
    elif origin is not None and issubclass(origin, Mapping):
        return Extra(), False
    elif annotation in (str, int, bool):
        return Scalar(annotation), False
    elif annotation is datetime:
        return Timestamp(), False
    elif annotation is Path:
        return FilePath(), False
    elif isinstance(annotation, type) and attrs.has(annotation):
        return record_shape(annotation), False
    raise TypeError(f"{owner}: no export knows the type {annotation!r}")


@functools.cache
def record_shape(cls: type = Article) -> Record:
    """Return the shape of the model class *cls*, read from its attrs fields."""
    hints = typing.get_type_hints(cls)
    fields = []
    for field in attrs.fields(cls):
        if field.name.startswith("_"):
            # Private state, not data: the file's layout is formatting, and an
            # article read back from an export is written in the canonical one.
            continue
        shape, optional = _shape(hints[field.name], f"{cls.__name__}.{field.name}")
        fields.append(Field(field.name, shape, optional))
    return Record(cls, tuple(fields))


def encode_extra(extra: Mapping[str, Any], *, where: str) -> dict[str, Any]:
    """Return *extra* as JSON-ready data, tagging the values JSON has no type for.

    Raises :class:`TypeError` naming *where* and the key for a value that is
    not YAML data (a set, bytes, an object) or a mapping key that is not a
    string, rather than writing something that would read back different.
    """
    return {_key(key, where): _encode(value, f"{where}.{key}") for key, value in extra.items()}


def _key(key: object, where: str) -> str:
    if not isinstance(key, str):
        shown_key = cut(repr(key))
        raise TypeError(f"{where}: a key must be a string to be written as JSON, got {shown_key}")
    return key


def _encode(value: object, where: str) -> object:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": str(value)}
    if isinstance(value, datetime):
        return {"$timestamp": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_encode(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, Mapping):
        encoded = encode_extra(value, where=where)
        return (
            {"$mapping": encoded} if len(encoded) == 1 and next(iter(encoded)) in _TAGS else encoded
        )
    raise TypeError(f"{where}: cannot write a {type(value).__name__} as JSON")


def decode_extra(data: object, *, where: str) -> dict[str, Any]:
    """Read back what :func:`encode_extra` wrote; :class:`DecodeError` names *where*."""
    if not isinstance(data, dict):
        raise DecodeError(where, f"expected an object, got {type(data).__name__}")
    return {key: _decode(value, f"{where}.{key}") for key, value in data.items()}


def _decode(value: object, where: str) -> object:  # noqa: PLR0911 -- one return per tag
    if isinstance(value, list):
        return [_decode(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    if len(value) != 1 or next(iter(value)) not in _TAGS:
        return decode_extra(value, where=where)
    ((tag, tagged),) = value.items()
    if tag == "$mapping":
        return decode_extra(tagged, where=where)
    try:
        if tag == "$timestamp":
            return datetime.fromisoformat(tagged)
        if tag == "$date":
            return date.fromisoformat(tagged)
        return _NON_FINITE[tagged]
    except (KeyError, TypeError, ValueError):
        raise DecodeError(where, f"not a valid {tag} value: {cut(repr(tagged))}") from None


def json_value(
    text: str,
    where: str,
    *,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
) -> Any:  # noqa: ANN401 -- any JSON value
    """Return the value of the JSON *text*; DecodeError at *where* says why it cannot be read.

    Besides text that is not JSON, Python cannot read what JSON allows: an
    integer of more than 4300 digits, or nesting deeper than its parser's
    recursion. A hook's own exceptions pass through, unless ValueErrors.
    """
    try:
        return json.loads(text, object_pairs_hook=object_pairs_hook)
    except json.JSONDecodeError as error:
        raise DecodeError(where, f"not JSON: {error.msg}") from None
    except ValueError as error:
        raise DecodeError(where, f"not readable JSON: {error}") from None
    except RecursionError:
        raise DecodeError(where, "objects and lists nest too deeply to read") from None


def _deeper_than(data: object, limit: int) -> bool:
    """Whether *data* nests dicts and lists more than *limit* levels deep, counting itself.

    Level by level rather than recursively: the point is to refuse what
    recursion could not walk.
    """
    level = [data] if isinstance(data, dict | list) else []
    for _ in range(limit):
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return True


class Codec:
    """Turns model objects into plain data and back, field by field, walking their shape.

    This base class writes JSON: a timestamp is an ISO-8601 string keeping
    its offset, ``extra`` an object (see :func:`encode_extra`), a path a
    string. The Arrow export changes how timestamps and ``extra`` are
    written by overriding the four hooks.
    """

    def timestamp_keys(self, name: str) -> tuple[str, ...]:
        """Return the keys a timestamp field *name* is written under."""
        return (name,)

    def encode_timestamp(self, name: str, value: datetime, into: dict[str, Any]) -> None:
        """Write the timestamp *value* of field *name* into *into*."""
        into[name] = value.isoformat()

    def decode_timestamp(self, name: str, data: Mapping[str, Any], where: str) -> datetime | None:
        """Read the timestamp of field *name* from *data*."""
        value = data[name]
        if value is None:
            return None
        if not isinstance(value, str):
            raise DecodeError(where, f"expected an ISO-8601 string, got {type(value).__name__}")
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise DecodeError(where, f"not an ISO-8601 timestamp: {shown(value)}") from None

    def encode_extra(self, extra: Mapping[str, Any], where: str) -> object:
        """Return the plain form of an ``extra`` mapping."""
        return encode_extra(extra, where=where)

    def decode_extra(self, value: object, where: str) -> Mapping[str, Any]:
        """Read back an ``extra`` mapping, nested no deeper than :data:`MAX_EXTRA_DEPTH`."""
        if _deeper_than(value, MAX_EXTRA_DEPTH):
            raise DecodeError(where, f"objects and lists nest more than {MAX_EXTRA_DEPTH} deep")
        return decode_extra(value, where=where)

    # -- the walk -------------------------------------------------------------

    def encode(self, instance: object, record: Record, where: str = "") -> dict[str, Any]:
        """Return the plain data of *instance*, a model object of *record*'s class."""
        data: dict[str, Any] = {}
        for field in record.fields:
            value = getattr(instance, field.name)
            place = f"{where}.{field.name}" if where else field.name
            if value is None:
                data.update(dict.fromkeys(self._keys(field), None))
            elif isinstance(field.shape, Timestamp):
                self.encode_timestamp(field.name, value, data)
            else:
                data[field.name] = self._encode_value(value, field.shape, place)
        return data

    def _keys(self, field: Field) -> tuple[str, ...]:
        if isinstance(field.shape, Timestamp):
            return self.timestamp_keys(field.name)
        return (field.name,)

    def _encode_value(self, value: Any, shape: Shape, where: str) -> object:  # noqa: ANN401 -- any field's value
        if isinstance(shape, Record):
            return self.encode(value, shape, where)
        if isinstance(shape, ListOf):
            return [
                self._encode_value(item, shape.item, f"{where}[{index}]")
                for index, item in enumerate(value)
            ]
        if isinstance(shape, Extra):
            return self.encode_extra(value, where)
        if isinstance(shape, FilePath):
            return str(value)
        return value

    def decode(self, data: object, record: Record, where: str = "") -> Any:  # noqa: ANN401 -- an instance of record.cls
        """Build an instance of *record*'s class from plain data; DecodeError names a bad field."""
        if not isinstance(data, Mapping):
            raise DecodeError(where, f"expected an object, got {type(data).__name__}")
        known = {key for field in record.fields for key in self._keys(field)}
        unknown = [key for key in data if key not in known]
        if unknown:
            place = f"{where}.{unknown[0]}" if where else str(unknown[0])
            raise DecodeError(place, f"not a field of {record.cls.__name__}")
        values: dict[str, Any] = {}
        for field in record.fields:
            keys = self._keys(field)
            if not any(key in data for key in keys):
                continue  # absent: the class's default
            place = f"{where}.{field.name}" if where else field.name
            value: object
            if isinstance(field.shape, Timestamp):
                value = self.decode_timestamp(field.name, data, place)
            else:
                value = data[field.name]
                if value is not None:
                    value = self._decode_value(value, field.shape, place)
            if value is None and not field.optional:
                if isinstance(field.shape, Extra):
                    continue
                raise DecodeError(place, "required field is null")
            values[field.name] = value
        try:
            return record.cls(**values)
        except (TypeError, ValueError) as error:
            raise DecodeError(where, str(error)) from None

    def _decode_value(self, value: object, shape: Shape, where: str) -> object:
        if isinstance(shape, Record):
            return self.decode(value, shape, where)
        if isinstance(shape, ListOf):
            if not isinstance(value, list | tuple):
                raise DecodeError(where, f"expected a list, got {type(value).__name__}")
            return tuple(
                self._decode_value(item, shape.item, f"{where}[{index}]")
                for index, item in enumerate(value)
            )
        if isinstance(shape, Extra):
            return self.decode_extra(value, where)
        if isinstance(shape, FilePath):
            if not isinstance(value, str):
                raise DecodeError(where, f"expected a path string, got {type(value).__name__}")
            return Path(value)
        if isinstance(shape, Scalar) and type(value) is not shape.python_type:
            raise DecodeError(
                where, f"expected {shape.python_type.__name__}, got {type(value).__name__}"
            )
        return value
