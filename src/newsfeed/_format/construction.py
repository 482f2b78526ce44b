"""The checks the model's classes make when built in code, derived from the schema.

An :class:`~newsfeed.Article` built by hand with ``quality="5"`` or a naive
``published_at`` would fail much later, far from the mistake (a sort, a
write). Each class instead checks its values once built, by the kinds of
:mod:`newsfeed._format.schema`, and raises :class:`~newsfeed.ValidationError`
naming every wrong field. Importing this module installs the checks; the
schema module imports it, so they are in place whenever newsfeed is.

The readers skip them (see :data:`newsfeed._model.READING`): they check every
value as they read it, against the same schema, with the file's line.

The rules, kind by kind: a string is a :class:`str`; an integer an
:class:`int` but not a :class:`bool`; a timestamp a timezone-aware
:class:`~datetime.datetime`; a mapping an instance of its class (not a dict:
:func:`newsfeed.from_dict` builds from dicts); a list any iterable other than
a string, bytes or a mapping, stored as a tuple, whose items are strings or
instances of the item class. ``None`` means absent, which a required field
refuses. An article needs ``web_url`` or ``original_url``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from newsfeed import _model
from newsfeed._errors import ValidationError
from newsfeed._format.schema import SCHEMAS, Field, Kind, Schema

__all__: list[str] = []

#: A test of one value: None when it is right, else what is wrong with it.
_Test = Callable[[Any], str | None]
_SHOWN_CHARACTERS: Final = 40


def _got(value: object) -> str:
    shown = repr(value)
    if len(shown) > _SHOWN_CHARACTERS:
        shown = shown[: _SHOWN_CHARACTERS - 3] + "..."
    return f"got {type(value).__name__} {shown}"


def _instance_of(cls: type, name: str) -> _Test:
    def test(value: object) -> str | None:
        return None if isinstance(value, cls) else f"expected {name}, {_got(value)}"

    return test


def _integer(value: object) -> str | None:
    # A bool is an int to Python, but not to the format.
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    return f"expected int, {_got(value)}"


def _timestamp(value: object) -> str | None:
    if not isinstance(value, datetime):
        return f"expected a timezone-aware datetime, {_got(value)}"
    if value.utcoffset() is None:
        return f"a naive datetime ({value.isoformat()}) has no UTC offset; give it a tzinfo"
    return None


def _list_of(item_test: _Test, name: str) -> _Test:
    def test(value: object) -> str | None:
        # The converter made a tuple of anything iterable but these.
        if not isinstance(value, tuple):
            return f"expected a list or tuple of {name}, {_got(value)}"
        for index, item in enumerate(value):
            wrong = item_test(item)
            if wrong is not None:
                return f"item {index}: {wrong}"
        return None

    return test


#: The test of each kind of value that is not a mapping.
_SCALAR_TESTS: Final[dict[Kind, _Test]] = {
    Kind.STR: _instance_of(str, "str"),
    Kind.INT: _integer,
    Kind.BOOL: _instance_of(bool, "bool"),
    Kind.TIMESTAMP: _timestamp,
    Kind.STRS: _list_of(_instance_of(str, "str"), "str"),
}


def _test(field: Field) -> _Test:
    """Return the test of a value of *field*, from its kind."""
    scalar = _SCALAR_TESTS.get(field.kind)
    if scalar is not None:
        return scalar
    item: type = field.item  # type: ignore[assignment]
    if field.kind is Kind.OBJECT:
        return _instance_of(item, item.__name__)
    return _list_of(_instance_of(item, item.__name__), item.__name__)


def _named(field: Field) -> str:
    """Name the attribute in a reason, where it is not the file's key."""
    return "" if field.attr == field.key else f"({field.attr}) "


def _check(schema: Schema) -> Callable[[object], None]:
    """Return the construction check of *schema*'s class.

    Its errors name the call (``Article()``) as their source and the file's
    key as their field, and the attribute too where its name differs.
    """
    where = f"{schema.cls.__name__}()"
    tests = tuple(
        (field.attr, field.key, _named(field), field.required, _test(field))
        for field in schema.fields
    )
    # Named by the first key, as the readers name it.
    one_of = tuple(
        (keys[0], tuple(schema.by_key[key].attr for key in keys)) for keys in schema.one_of
    )

    def check(instance: object) -> None:
        problems: list[ValidationError] = []
        for attr, key, named, required, test in tests:
            value = getattr(instance, attr)
            if value is None:
                if required:
                    problems.append(ValidationError(f"{named}is required", source=where, field=key))
                continue
            wrong = test(value)
            if wrong is not None:
                problems.append(ValidationError(f"{named}{wrong}", source=where, field=key))
        for key, attributes in one_of:
            if all(getattr(instance, attr) is None for attr in attributes):
                needed = " or ".join(attributes)
                problems.append(ValidationError(f"needs {needed}", source=where, field=key))
        if problems:
            raise ValidationError.of(problems)

    return check


_model.CHECKS.update({cls: _check(schema) for cls, schema in SCHEMAS.items()})
