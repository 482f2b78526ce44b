"""Between the model and plain data: the file's key names, strict hooks, extras.

This module owns the camelCase key names of the format and the order the
canonical layout writes them in. A :class:`cattrs.Converter` does the
structuring and unstructuring, with hooks that refuse every coercion that
could change data (``null`` to ``"None"``, ``"false"`` to True, ``true`` to
1). Keys the model does not know are kept, in order, in each object's
``extra``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from newsfeed._errors import ValidationError
from newsfeed._feed.shape import encode_extra
from newsfeed._format.schema import ARTICLE, NOT_IN_FRONT_MATTER, SCHEMAS, Kind, Schema
from newsfeed._format.timestamps import format_timestamp, to_aware_datetime
from newsfeed._model import READING, Article

__all__ = [
    "drop_null_items",
    "format_field_path",
    "in_file",
    "refuse_repeated_key",
    "structure_article",
    "to_dict",
]

_T = TypeVar("_T")

#: (attribute, key) pairs of each class, in the order the canonical layout writes them.
_KEYS_OF: Final[dict[type, tuple[tuple[str, str], ...]]] = {
    cls: tuple((field.attr, field.key) for field in schema.fields)
    for cls, schema in SCHEMAS.items()
}


class _InvalidValueError(ValueError):
    """A hook refused a value; the reason is the message."""


def _describe(value: object) -> str:
    if value is None:
        return "null"
    return type(value).__name__


def _strict_str(value: object, _: type) -> str:
    if type(value) is not str:
        raise _InvalidValueError(f"expected a string, got {_describe(value)}")
    return value


def _strict_int(value: object, _: type) -> int:
    # bool is an int subclass: `quality: true` must not become 1.
    if type(value) is not int:
        raise _InvalidValueError(f"expected an integer, got {_describe(value)}")
    return value


def _strict_bool(value: object, _: type) -> bool:
    if type(value) is not bool:
        raise _InvalidValueError(f"expected true or false, got {_describe(value)}")
    return value


def _structure_datetime(value: object, _: type) -> datetime:
    if value is None or isinstance(value, bool):
        raise _InvalidValueError(f"expected a timestamp, got {_describe(value)}")
    try:
        stamp = to_aware_datetime(value, strict=True)
    except (TypeError, ValueError) as error:
        raise _InvalidValueError(str(error)) from None
    # A quoted ISO string (or a datetime from code) may carry an offset with
    # seconds, which the format cannot write back: refuse it on the way in.
    offset = stamp.utcoffset()
    if offset is None or offset % timedelta(minutes=1):
        raise _InvalidValueError(f"a UTC offset must be whole minutes, got {offset}")
    return stamp


def _is_homogeneous_tuple(type_: object) -> bool:
    args: tuple[object, ...] = getattr(type_, "__args__", ())
    return getattr(type_, "__origin__", None) is tuple and len(args) == 2 and args[1] is Ellipsis


def _strict_tuple_factory(
    type_: type, converter: cattrs.Converter
) -> Callable[[object, type], tuple[Any, ...]]:
    # cattrs turns any iterable into a tuple: a string would become its
    # characters and a mapping its keys. Only a YAML sequence is a list here.
    items = cattrs.cols.homogenous_tuple_structure_factory(type_, converter)

    def structure(value: object, type_: type) -> tuple[Any, ...]:
        if value is None:
            # `topics: null` is absent, as null is for every optional field.
            return ()
        if not isinstance(value, list | tuple):
            raise _InvalidValueError(f"expected a list, got {_describe(value)}")
        structured: tuple[Any, ...] = items(value, type_)
        return structured

    return structure


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=False)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(bool, _strict_bool)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _strict_tuple_factory)
    converter.register_unstructure_hook(datetime, format_timestamp)
    # Leaves first: a class's generated function looks up its fields' hooks.
    for cls in SCHEMAS:
        _register_class(converter, cls)
    return converter


def _register_class(converter: cattrs.Converter, cls: type[_T]) -> None:
    keys = _KEYS_OF[cls]
    known = frozenset(key for _, key in keys)
    overrides: dict[str, Any] = {attr: override(rename=key) for attr, key in keys}
    overrides.update(
        (attr.name, override(omit=True))
        for attr in attrs.fields(cls)  # type: ignore[arg-type]
        if attr.name in NOT_IN_FRONT_MATTER
    )
    structure_known = make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=False, **overrides
    )
    unstructure_known = make_dict_unstructure_fn(
        cls, converter, _cattrs_omit_if_default=True, **overrides
    )

    def structure(value: object, _: type) -> _T:
        if not isinstance(value, Mapping):
            raise _InvalidValueError(f"expected a mapping, got {_describe(value)}")
        instance = structure_known(value, cls)
        extra = {key: item for key, item in value.items() if key not in known}
        if extra:
            instance = attrs.evolve(instance, extra=extra)  # type: ignore[misc]
        return instance

    def unstructure(instance: _T) -> dict[str, object]:
        known_data = unstructure_known(instance)
        # cattrs writes the required fields first when it omits defaults, so
        # the canonical order is restored here.
        data = {key: known_data[key] for _, key in keys if key in known_data}
        extra: Mapping[str, object] = instance.extra  # type: ignore[attr-defined]
        if extra:
            # Tagged as JSON Lines tags them, so that a timestamp stays one.
            data.update(encode_extra(extra, where=f"{cls.__name__}.extra"))
        return data

    converter.register_structure_hook(cls, structure)
    converter.register_unstructure_hook(cls, unstructure)


_converter: Final = _make_converter()

_FIELD_KEY: Final[dict[tuple[type, str], str]] = {
    (cls, attr): key for cls, keys in _KEYS_OF.items() for attr, key in keys
}


KeyPath = tuple[str | int, ...]


def _failures(error: BaseException, path: KeyPath) -> list[tuple[KeyPath, BaseException]]:
    """Walk cattrs' exception groups down to every leaf, each with its key path."""
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            owner = _owner_of(note)
            path = (*path, _FIELD_KEY.get((owner, note.name), note.name))
        elif isinstance(note, IterableValidationNote):
            path = (*path, note.index)
    if isinstance(error, BaseExceptionGroup) and error.exceptions:
        found: list[tuple[KeyPath, BaseException]] = []
        for inner in error.exceptions:
            found.extend(_failures(inner, path))
        return found
    return [(path, error)]


def _owner_of(note: AttributeValidationNote) -> type:
    # The note's text is "Structuring class <qualname> @ attribute <name>".
    qualname = str(note).removeprefix("Structuring class ").partition(" @")[0]
    return next((cls for cls in _KEYS_OF if cls.__qualname__ == qualname), object)


def format_field_path(path: KeyPath) -> str:
    """Write a key path as ``related[2].publishedDateTime``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def refuse_repeated_key(
    extra: Mapping[str, object],
    schema: Schema,
    path: KeyPath,
    *,
    source: str | os.PathLike[str] | None = None,
) -> None:
    """Raise :class:`ValidationError` for an unknown key of *extra* that repeats a field's key.

    *path* is where the mapping holding *extra* is. Both the writer and
    :func:`to_dict` refuse it: a file would repeat the key, and a record
    would keep one value in place of the other.
    """
    key = schema.repeated_key(extra)
    if key is not None:
        raise ValidationError(
            "an unknown key repeats a field of the model: a file or a record cannot hold both",
            source=source,
            field=format_field_path((*path, key)),
        )


#: The fields of each class holding model objects: (attribute, file key, a list?, schema).
_NESTED: Final[dict[type, tuple[tuple[str, str, bool, Schema], ...]]] = {
    cls: tuple(
        (field.attr, field.key, field.kind is Kind.OBJECTS, SCHEMAS[field.item])
        for field in schema.fields
        if field.item is not None
    )
    for cls, schema in SCHEMAS.items()
}


def _refuse_repeated_keys(value: object, schema: Schema, path: KeyPath) -> None:
    # A walk of its own: cattrs' unstructure hooks see each object without
    # the path to it, which the error names.
    extra: Mapping[str, object] = value.extra  # type: ignore[attr-defined]
    if extra:
        refuse_repeated_key(extra, schema, path)
    for attr, key, many, nested in _NESTED[schema.cls]:
        item = getattr(value, attr)
        if item is None:
            continue
        if many:
            for index, each in enumerate(item):
                _refuse_repeated_keys(each, nested, (*path, key, index))
        else:
            _refuse_repeated_keys(item, nested, (*path, key))


def drop_null_items(data: object) -> list[KeyPath]:
    """Leave out the null items of the lists that allow them; return their key paths.

    Real files have a bare ``-`` line in ``topics`` now and then: the
    article is still read, without it, and the reader warns.
    """
    if not isinstance(data, dict):
        return []
    dropped: list[KeyPath] = []
    for field in ARTICLE.fields:
        items = data.get(field.key)
        if field.drop_null_items and isinstance(items, list) and None in items:
            dropped.extend((field.key, index) for index, item in enumerate(items) if item is None)
            data[field.key] = [item for item in items if item is not None]
    return dropped


def in_file(dropped: list[KeyPath]) -> Callable[[KeyPath], KeyPath]:
    """Return what turns a key path of the data into the file's, before *dropped* items went.

    After ``topics[1]`` was dropped, the data's ``topics[1]`` is the file's
    ``topics[2]``: errors name the file's.
    """
    # By key, in ascending order: drop_null_items walks each list in order.
    by_key: dict[object, list[int]] = {}
    for key, index in dropped:
        by_key.setdefault(key, []).append(index)  # type: ignore[arg-type]

    def path_in_file(path: KeyPath) -> KeyPath:
        indexes = by_key.get(path[0]) if len(path) > 1 else None
        if not indexes:
            return path
        index = path[1]
        for gone in indexes:  # each item dropped at or before it moved it up one
            if gone <= index:  # type: ignore[operator]
                index += 1  # type: ignore[operator]
        return (path[0], index, *path[2:])

    return path_in_file


def structure_article(
    data: object,
    *,
    source: str | os.PathLike[str] | None = None,
    line_of: Callable[[KeyPath], int | None] | None = None,
    path_in_file: Callable[[KeyPath], KeyPath] | None = None,
) -> Article:
    """Build an :class:`Article` from plain data with the file's key names.

    Raises :class:`ValidationError` naming every field that is wrong: the
    first one in its message and attributes, all of them in ``errors``.
    *source* names the file, *line_of* finds the line of a key path, and
    *path_in_file* (see :func:`in_file`) gives the file's own path of one
    of the data's.
    """
    # The hooks check every value, naming its key path: the model's own
    # construction check is not done a second time.
    reading = READING.set(True)
    try:
        article = _converter.structure(data, Article)
    except (cattrs.BaseValidationError, _InvalidValueError, KeyError) as error:
        failures = _failures(error, ())
    else:
        missing = _missing_one_of(data, source, line_of)
        if not missing:
            return article
        raise ValidationError.of(missing)
    finally:
        READING.reset(reading)
    if path_in_file is not None:
        failures = [(path_in_file(path), leaf) for path, leaf in failures]
    problems = [
        ValidationError(
            "required field is missing" if isinstance(leaf, KeyError) else str(leaf),
            source=source,
            field=format_field_path(path) or None,
            line=None if line_of is None else line_of(path),
        )
        for path, leaf in failures
    ]
    # A missing link is a problem beside the others, reported with them.
    problems.extend(_missing_one_of(data, source, line_of))
    # Raised outside the except block, so that cattrs' exception group is not
    # kept as __context__: pickling that carries the chain (tblib, which dask
    # distributed installs) cannot rebuild a cattrs group on the other side.
    raise ValidationError.of(problems)


def _missing_one_of(
    data: object,
    source: str | os.PathLike[str] | None,
    line_of: Callable[[KeyPath], int | None] | None,
) -> list[ValidationError]:
    """Return a problem for each group of keys of which the front matter has none."""
    if not isinstance(data, dict):
        return []
    return [
        ValidationError(
            f"needs {' or '.join(keys)}",
            source=source,
            field=keys[0],
            line=None if line_of is None else line_of(()),
        )
        for keys in ARTICLE.one_of
        if not any(data.get(key) is not None for key in keys)
    ]


def to_dict(article: Article) -> dict[str, Any]:
    """Return *article*'s front matter as JSON-ready data in the file's key names.

    Keys come in the canonical order, unknown keys after the known ones of
    the same mapping; absent fields are left out; timestamps are ISO-8601
    strings, and unknown values JSON has no type for are tagged (see
    :mod:`newsfeed._feed.shape`). The front matter alone: the public
    :func:`newsfeed.to_dict` adds the body, and the index stores it apart.

    Raises :class:`ValidationError` naming an unknown key that repeats a
    field of the model, as :func:`newsfeed.dumps` does: the record would
    keep only one of the two.
    """
    _refuse_repeated_keys(article, ARTICLE, ())
    data: dict[str, Any] = _converter.unstructure(article, Article)
    return data
