"""Between the model and plain data: the file's key names, strict hooks, extras.

This module owns the camelCase key names of the format and the order the
canonical layout writes them in. A :class:`cattrs.Converter` does the
structuring and unstructuring, with hooks that refuse every coercion that
could change data (``null`` to ``"None"``, ``"false"`` to True, ``true`` to
1). Keys the model does not know are kept, in order, in each object's
``extra``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from newsfeed._errors import ValidationError
from newsfeed._format.timestamps import format_timestamp, to_aware_datetime
from newsfeed._model import Article, Image, Provider, RelatedArticle

__all__ = [
    "ARTICLE_KEYS",
    "IMAGE_KEYS",
    "PROVIDER_KEYS",
    "RELATED_KEYS",
    "from_dict",
    "structure_article",
    "to_dict",
]

_T = TypeVar("_T")

#: (attribute, key) pairs, in the order the canonical layout writes them.
ARTICLE_KEYS: Final = (
    ("category", "category"),
    ("title", "title"),
    ("excerpt", "excerpt"),
    ("published_at", "publishedDateTime"),
    ("web_url", "webUrl"),
    ("amp_web_url", "ampWebUrl"),
    ("cdn_amp_web_url", "cdnAmpWebUrl"),
    ("type", "type"),
    ("quality", "quality"),
    ("heat", "heat"),
    ("published", "published"),
    ("provider", "provider"),
    ("topics", "topics"),
    ("related", "related"),
    ("secured", "secured"),
)
RELATED_KEYS: Final = (
    ("title", "title"),
    ("excerpt", "excerpt"),
    ("published_at", "publishedDateTime"),
    ("web_url", "webUrl"),
    ("amp_web_url", "ampWebUrl"),
    ("cdn_amp_web_url", "cdnAmpWebUrl"),
    ("type", "type"),
    ("provider", "provider"),
    ("quality", "quality"),
    ("images", "images"),
)
PROVIDER_KEYS: Final = (("name", "name"), ("domain", "domain"))
IMAGE_KEYS: Final = (
    ("url", "url"),
    ("width", "width"),
    ("height", "height"),
    ("is_cached", "isCached"),
)

_KEYS_OF: Final[dict[type, tuple[tuple[str, str], ...]]] = {
    Article: ARTICLE_KEYS,
    RelatedArticle: RELATED_KEYS,
    Provider: PROVIDER_KEYS,
    Image: IMAGE_KEYS,
}
#: Attributes that do not come from the front matter.
_NOT_IN_FRONT_MATTER: Final = ("extra", "body", "path")


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


def _unstructure_value(value: object) -> object:
    """Make an ``extra`` value JSON-ready: timestamps become ISO strings."""
    if isinstance(value, datetime):
        return format_timestamp(to_aware_datetime(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _unstructure_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_unstructure_value(item) for item in value]
    return value


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=False)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(bool, _strict_bool)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _strict_tuple_factory)
    converter.register_unstructure_hook(datetime, format_timestamp)
    # Leaves first: a class's generated function looks up its fields' hooks.
    for cls in (Image, Provider, RelatedArticle, Article):
        _register_class(converter, cls)
    return converter


def _register_class(converter: cattrs.Converter, cls: type[_T]) -> None:
    keys = _KEYS_OF[cls]
    known = frozenset(key for _, key in keys)
    overrides: dict[str, Any] = {attr: override(rename=key) for attr, key in keys}
    overrides.update(
        (attr.name, override(omit=True))
        for attr in attrs.fields(cls)  # type: ignore[arg-type]
        if attr.name in _NOT_IN_FRONT_MATTER
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
        data.update((key, _unstructure_value(value)) for key, value in extra.items())
        return data

    converter.register_structure_hook(cls, structure)
    converter.register_unstructure_hook(cls, unstructure)


_converter: Final = _make_converter()

_FIELD_KEY: Final[dict[tuple[type, str], str]] = {
    (cls, attr): key for cls, keys in _KEYS_OF.items() for attr, key in keys
}


def _first_failure(
    error: BaseException, path: tuple[str | int, ...]
) -> tuple[tuple[str | int, ...], BaseException]:
    """Walk cattrs' exception groups down to the first leaf and its key path."""
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            owner = _owner_of(note)
            path = (*path, _FIELD_KEY.get((owner, note.name), note.name))
        elif isinstance(note, IterableValidationNote):
            path = (*path, note.index)
    if isinstance(error, BaseExceptionGroup) and error.exceptions:
        return _first_failure(error.exceptions[0], path)
    return path, error


def _owner_of(note: AttributeValidationNote) -> type:
    # The note's text is "Structuring class <qualname> @ attribute <name>".
    qualname = str(note).removeprefix("Structuring class ").partition(" @")[0]
    return next((cls for cls in _KEYS_OF if cls.__qualname__ == qualname), object)


def format_field_path(path: tuple[str | int, ...]) -> str:
    """Write a key path as ``related[2].publishedDateTime``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def structure_article(data: object) -> Article:
    """Build an :class:`Article` from plain data with the file's key names.

    Raises :class:`ValidationError` with ``field`` set (but no ``source`` or
    ``line``; the loader knows those). The exception's ``_key_path`` attribute
    holds the raw path, for the loader to find the line.
    """
    try:
        return _converter.structure(data, Article)
    except (cattrs.BaseValidationError, _InvalidValueError, KeyError) as error:
        path, leaf = _first_failure(error, ())
        reason = "required field is missing" if isinstance(leaf, KeyError) else str(leaf)
        failure = ValidationError(reason, field=format_field_path(path) or None)
        failure._key_path = path  # noqa: SLF001 -- the error module's own helper attribute
    # Raised outside the except block, so that cattrs' exception group is not
    # kept as __context__: pickling that carries the chain (tblib, which dask
    # distributed installs) cannot rebuild a cattrs group on the other side.
    raise failure


def from_dict(data: Mapping[str, Any]) -> Article:
    """Build an :class:`Article` from a record such as :func:`to_dict` returns.

    Keys are the file's own (``webUrl``, ``publishedDateTime``...), timestamps
    may be datetimes or ISO-8601 strings, and unknown keys land in ``extra``.
    Raises :class:`~newsfeed.ValidationError` for a missing or mistyped field.
    """
    return structure_article(data)


def to_dict(article: Article) -> dict[str, Any]:
    """Return *article*'s front matter as JSON-ready data in the file's key names.

    Keys come in the canonical order, unknown keys after the known ones of
    the same mapping; absent fields are left out; timestamps are ISO-8601
    strings. ``body`` and ``path`` are not part of the record.
    """
    data: dict[str, Any] = _converter.unstructure(article, Article)
    return data
