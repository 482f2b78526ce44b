"""An article as one plain record and back: :func:`to_dict` and :func:`from_dict`.

The record is the front matter in the file's own camelCase keys plus the
body under :data:`BODY_KEY`. Unknown values JSON has no type for are tagged
the way JSON Lines tags them (:mod:`newsfeed._feed.shape`), so that
``from_dict(to_dict(article)) == article`` for every article, also after a
trip through :func:`json.dumps`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from newsfeed._errors import ValidationError
from newsfeed._feed.shape import DecodeError, decode_extra
from newsfeed._format import convert, schema
from newsfeed._format.schema import Kind, Schema
from newsfeed._model import Article

__all__ = ["BODY_KEY", "from_dict", "to_dict"]

#: The record's key for the Markdown body. It is not front matter: dump never
#: writes it there, and from_dict never puts it in ``extra``.
BODY_KEY: Final = "body"


def to_dict(article: Article) -> dict[str, Any]:
    """Return *article* as JSON-ready data: its front matter and, last, its ``body``.

    Keys are the file's own (``webUrl``, ``publishedDateTime``...), in the
    canonical order, unknown keys after the known ones of the same mapping;
    absent fields are left out. Timestamps are ISO-8601 strings with their
    offset. An unknown value JSON has no type for is a one-key object naming
    its type (``{"$timestamp": "..."}``, ``{"$date": "..."}``,
    ``{"$float": "nan"}``, ``{"$mapping": {...}}``), as in JSON Lines.
    ``path`` is not part of the record.

    Raises :class:`~newsfeed.ValidationError` (a :class:`ValueError`) for an
    article whose front matter has an unknown top-level key named ``body``,
    which the record cannot tell from the body, and for an unknown key that
    repeats a field of the model (``webUrl`` in ``extra``), as
    :func:`newsfeed.dumps` does, rather than keep one of the two; and
    :class:`TypeError` for an unknown value that is not YAML data (a set, an
    object), naming where it is.
    """
    if BODY_KEY in article.extra:
        raise ValidationError(
            f"an unknown key named {BODY_KEY!r} cannot be told from the body in a record",
            field=BODY_KEY,
        )
    record = convert.to_dict(article)
    record[BODY_KEY] = article.body
    return record


def from_dict(data: Mapping[str, Any]) -> Article:
    """Build an :class:`Article` from a record such as :func:`to_dict` returns.

    Keys are the file's own; timestamps may be datetimes or ISO-8601 strings;
    ``body`` (optional, a string) is the body; unknown keys land in ``extra``,
    with tagged values read back as their types. Raises
    :class:`~newsfeed.ValidationError` naming a missing or mistyped field.
    """
    if not isinstance(data, Mapping):
        # Refused there, with the same message as a file's front matter.
        return convert.structure_article(data)  # type: ignore[unreachable] # untyped callers pass anything
    front = dict(data)
    body = front.pop(BODY_KEY, "")
    if type(body) is not str:
        raise ValidationError(
            f"expected a string, got {'null' if body is None else type(body).__name__}",
            field=BODY_KEY,
        )
    try:
        front = _untagged(front, schema.ARTICLE, "")
    except DecodeError as error:
        # decode_extra writes a top-level key as ".key".
        raise ValidationError(error.reason, field=error.where.lstrip(".") or None) from None
    article = convert.structure_article(front)
    return attrs.evolve(article, body=body) if body else article


def _untagged(record: dict[str, Any], kind: Schema, where: str) -> dict[str, Any]:
    """Return *record* with the tagged values of its unknown keys, at any depth, read back."""
    unknown = {key: value for key, value in record.items() if key not in kind.by_key}
    # A copy in every case: nested results are written into it below, and the
    # caller's record must come out of from_dict as it went in.
    record = {**record, **decode_extra(unknown, where=where)} if unknown else dict(record)
    for key, value in record.items():
        field = kind.by_key.get(key)
        if field is None or field.item is None:
            continue
        item_kind = schema.SCHEMAS[field.item]
        if field.kind is Kind.OBJECT and isinstance(value, dict):
            record[key] = _untagged(value, item_kind, f"{where}.{key}" if where else key)
        elif field.kind is Kind.OBJECTS and isinstance(value, list):
            record[key] = [
                _untagged(
                    item, item_kind, f"{where}.{key}[{index}]" if where else f"{key}[{index}]"
                )
                if isinstance(item, dict)
                else item
                for index, item in enumerate(value)
            ]
    return record
