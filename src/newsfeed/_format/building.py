"""Building the model from the fast reader's plain data, as strictly as the cattrs hooks.

Each class's builder is derived from its schema (:mod:`newsfeed._format.schema`):
exact types, no coercion, required fields present. On anything else it
raises :class:`~newsfeed._format.block_reader.Declined`, and the safe path
says what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from newsfeed._format.block_reader import DECLINED
from newsfeed._format.schema import ARTICLE, SCHEMAS, Field, Kind, Schema
from newsfeed._model import EMPTY, FrozenDict, Provider

__all__ = ["build_article"]


_SHARED: dict[object, object] = {}
_MAX_SHARED: Final = 100_000


#: Shared objects by the items of the mapping they were built from, when
#: those are all strings.
_BY_TEXT: dict[tuple[tuple[str, object], ...], object] = {}


def _shared(value: object, key: object) -> object:
    """Keep one copy of a repeated value: a provider, say, which hundreds of articles share."""
    found = _SHARED.get(key)
    if found is not None:
        return found
    if len(_SHARED) < _MAX_SHARED:
        _SHARED[key] = value
    return value


def _check(field: Field) -> tuple[type | None, Callable[[object], object] | None]:
    """Return what a value of *field* must be: its exact type, or the function that builds it."""
    scalar = _SCALAR_TYPES.get(field.kind)
    if scalar is not None:
        # The reader reads only aware timestamps; naive ones, dates and
        # quoted strings are converted by the safe path.
        return scalar, None
    if field.kind is Kind.STRS:
        return None, _strings(drop_nulls=field.drop_null_items)
    if field.kind is Kind.OBJECT:
        return None, _object(field.item)  # type: ignore[arg-type]
    return None, _objects(field.item)  # type: ignore[arg-type]


#: Exact types, as the cattrs hooks want them: a bool is not an int.
_SCALAR_TYPES: Final[dict[Kind, type]] = {
    Kind.STR: str,
    Kind.INT: int,
    Kind.BOOL: bool,
    Kind.TIMESTAMP: datetime,
}


def _builder(schema: Schema) -> Callable[..., object]:  # noqa: C901 -- the builder is its closure
    """Return the function that builds *schema*'s class from a mapping the reader read."""
    checks = {field.key: (field.attr, *_check(field)) for field in schema.fields}
    required = tuple(field.key for field in schema.required)
    one_of = schema.one_of
    cls = schema.cls
    share = cls is Provider

    def build(data: object, **more: object) -> object:  # noqa: C901, PLR0912 -- hot, kept whole for speed
        if type(data) is not dict or not data:
            raise DECLINED
        text: tuple[tuple[str, object], ...] | None = None
        if share and all(type(value) is str for value in data.values()):
            # Most providers are a name and a domain, repeated across a
            # folder: found by their text, before anything is built. Only
            # strings: with other values, equal data may differ in type (1, True).
            text = tuple(data.items())
            found = _BY_TEXT.get(text)
            if found is not None:
                return found
        values: dict[str, object] = {}
        extra: dict[str, object] | None = None
        for key, value in data.items():
            known = checks.get(key)
            if known is None:
                if extra is None:
                    extra = {}
                extra[key] = value
            elif known[1] is not None:
                if type(value) is not known[1]:
                    raise DECLINED
                values[known[0]] = value
            else:
                values[known[0]] = known[2](value)  # type: ignore[misc]
        for key in required:
            if key not in data:
                raise DECLINED
        for keys in one_of:
            if not any(key in data for key in keys):
                raise DECLINED
        instance = cls(**values, **more, extra=FrozenDict(extra) if extra else EMPTY)
        if not share:
            return instance
        # Equal is not alike for unknown values: 1 == True, and instants are
        # equal whatever their offsets. The typed fields are checked by exact
        # type above, so only a provider with unknown keys (its own or its
        # images') is keyed by the repr of what was read, which tells them apart.
        key = instance if extra is None and not instance.images else repr(data)
        shared = _shared(instance, key)
        if text is not None and len(_BY_TEXT) < _MAX_SHARED:
            _BY_TEXT[text] = shared
        return shared

    return build


def _strings(*, drop_nulls: bool) -> Callable[[object], object]:
    def check(value: object) -> object:
        if type(value) is not list:
            raise DECLINED
        if drop_nulls and None in value:
            value = [item for item in value if item is not None]
        for item in value:
            if type(item) is not str:
                raise DECLINED
        return tuple(value)

    return check


def _object(item: type) -> Callable[[object], object]:
    def check(value: object) -> object:
        return _BUILDERS[item](value)

    return check


def _objects(item: type) -> Callable[[object], object]:
    def check(value: object) -> object:
        if type(value) is not list:
            raise DECLINED
        build = _BUILDERS[item]
        return tuple([build(entry) for entry in value])

    return check


_BUILDERS: Final = {cls: _builder(schema) for cls, schema in SCHEMAS.items()}
#: Builds an Article from its plain data; more attributes (body, layout) as keywords.
build_article: Final = _BUILDERS[ARTICLE.cls]
