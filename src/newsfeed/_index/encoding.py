r"""How an article is stored in the index: JSON text, never pickle.

The one pair of functions here (and the pair for failures) is the only place
that knows the encoding, so it can change in one place. Today it is the
record of :func:`newsfeed.to_dict` plus what that record leaves out: the
body, and the exact type of unknown values (``to_dict`` writes a timestamp
among the unknown keys as a string, which :func:`newsfeed.from_dict` would
keep as a string). The path is not
stored here: the index keeps it, relative to the folder, in its own column.

Unknown values that JSON cannot tell apart from text are tagged: a datetime
becomes ``{"\u0000datetime": "<ISO>"}``, a date ``{"\u0000date": "<ISO>"}``,
and a mapping (inside an unknown value) that happens to have a key starting
with NUL is wrapped as ``{"\u0000mapping": {...}}``, so no value read back is
mistaken for a tag. Only unknown values are tagged and untagged: the known
fields are what ``to_dict`` writes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from newsfeed._errors import LoadFailure, ParseError, ValidationError
from newsfeed._format import schema
from newsfeed._format.convert import to_dict
from newsfeed._format.layout import layout_from_data, layout_to_data
from newsfeed._format.schema import Kind, Schema
from newsfeed._model import Article

__all__ = ["decode", "decode_failure", "encode", "encode_failure"]

_DATETIME: Final = "\x00datetime"
_DATE: Final = "\x00date"
_MAPPING: Final = "\x00mapping"
_TAGS: Final = frozenset({_DATETIME, _DATE, _MAPPING})
_ARTICLE_KEYS: Final = frozenset(schema.ARTICLE.by_key)
_RELATED_KEYS: Final = frozenset(schema.RELATED.by_key)
_PROVIDER_KEYS: Final = frozenset(schema.PROVIDER.by_key)
_IMAGE_KEYS: Final = frozenset(schema.IMAGE.by_key)


def _tag(value: object) -> object:
    """Return an unknown value as JSON-ready data that keeps its type."""
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if isinstance(value, Mapping):
        tagged = {key: _tag(item) for key, item in value.items()}
        if any(key.startswith("\x00") for key in tagged):
            return {_MAPPING: tagged}
        return tagged
    if isinstance(value, list | tuple):
        return [_tag(item) for item in value]
    return value


def _untag(value: object) -> object:
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, item),) = value.items()
            if key in _TAGS:
                if key == _DATETIME:
                    return datetime.fromisoformat(item)
                if key == _DATE:
                    return date.fromisoformat(item)
                return {name: _untag(inner) for name, inner in item.items()}
        return {key: _untag(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_untag(item) for item in value]
    return value


def _has_extra(value: object, kind: Schema) -> bool:
    """Say whether *value* (of the class *kind* describes) or anything in it has unknown keys."""
    if value.extra:  # type: ignore[attr-defined]
        return True
    for field in kind.fields:
        if field.kind is Kind.OBJECT:
            inner = getattr(value, field.attr)
            if inner is not None and _has_extra(inner, schema.SCHEMAS[field.item]):  # type: ignore[index]
                return True
        elif field.kind is Kind.OBJECTS:
            item_kind = schema.SCHEMAS[field.item]  # type: ignore[index]
            if any(_has_extra(item, item_kind) for item in getattr(value, field.attr)):
                return True
    return False


def _tag_extras(record: dict[str, Any], value: object, kind: Schema) -> None:
    """Replace the unknown values of *record* (to_dict's, for *value*) by their tagged forms."""
    # The keys stay where to_dict put them; only their values change.
    for key, extra in value.extra.items():  # type: ignore[attr-defined]
        record[key] = _tag(extra)
    for field in kind.fields:
        if field.kind is Kind.OBJECT:
            inner = getattr(value, field.attr)
            if inner is not None:
                _tag_extras(record[field.key], inner, schema.SCHEMAS[field.item])  # type: ignore[index]
        elif field.kind is Kind.OBJECTS:
            item_kind = schema.SCHEMAS[field.item]  # type: ignore[index]
            items = getattr(value, field.attr)
            for item, item_record in zip(items, record.get(field.key, ()), strict=True):
                _tag_extras(item_record, item, item_kind)


def _untag_extras(record: dict[str, Any], kind: Schema) -> None:
    """Undo :func:`_tag_extras`, walking only where unknown keys can be."""
    for key, value in record.items():
        field = kind.by_key.get(key)
        if field is None:
            record[key] = _untag(value)
        elif field.kind is Kind.OBJECT and isinstance(value, dict):
            _untag_extras(value, schema.SCHEMAS[field.item])  # type: ignore[index]
        elif field.kind is Kind.OBJECTS:
            for item in value:
                _untag_extras(item, schema.SCHEMAS[field.item])  # type: ignore[index]


def encode(article: Article) -> str:
    """Return *article* (all but its path) as JSON text that :func:`decode` reads back.

    The file's layout goes with it, so that an article read back from the
    index is written back as its file was.
    """
    record = to_dict(article)
    data: dict[str, object] = {"front": record, "body": article.body}
    if _has_extra(article, schema.ARTICLE):
        # Only then is there anything to untag: decoding skips the walk otherwise.
        _tag_extras(record, article, schema.ARTICLE)
        data["tagged"] = True
    layout = article._layout  # noqa: SLF001 -- the package's own private field
    if layout is not None:
        data["layout"] = layout_to_data(layout)
    return json.dumps(data, ensure_ascii=False)


def _build(record: dict[str, Any], kind: Schema) -> dict[str, Any]:
    """Return the constructor arguments of *kind*'s class from *record*, unknown keys in extra."""
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in record.items():
        field = kind.by_key.get(key)
        if field is None:
            extra[key] = value
            continue
        field_kind = field.kind
        if field_kind is Kind.TIMESTAMP:
            # to_dict writes every timestamp with its offset: fromisoformat reads it.
            value = datetime.fromisoformat(value)  # noqa: PLW2901 -- the field's value, converted
        elif field_kind is Kind.OBJECT:
            item = schema.SCHEMAS[field.item]  # type: ignore[index]
            value = item.cls(**_build(value, item))  # noqa: PLW2901
        elif field_kind is Kind.OBJECTS:
            item = schema.SCHEMAS[field.item]  # type: ignore[index]
            value = tuple(item.cls(**_build(entry, item)) for entry in value)  # noqa: PLW2901
        elif field_kind is Kind.STRS:
            value = tuple(value)  # noqa: PLW2901
        known[field.attr] = value
    known["extra"] = extra
    return known


def decode(text: str, path: Path | None) -> Article:
    """Rebuild the article :func:`encode` wrote, with *path* as its path.

    The record is what :func:`newsfeed.to_dict` wrote for a valid article,
    so it is rebuilt directly, without :func:`newsfeed.from_dict`'s checks:
    those cost most of the time of a cached load and cannot fail here. The
    round trip is tested against every article the test strategies build.
    """
    data = json.loads(text)
    front = data["front"]
    if data.get("tagged"):
        _untag_extras(front, schema.ARTICLE)
    known = _build(front, schema.ARTICLE)
    layout = data.get("layout")
    return Article(
        **known,
        body=data["body"],
        path=path,
        _layout=None if layout is None else layout_from_data(layout),
    )


def encode_failure(error: Exception) -> str:
    """Return the error a file failed with as JSON text, for :func:`decode_failure`.

    Only what :func:`newsfeed.load` raises is stored: a ParseError or a
    ValidationError with its reason, field and line, or an OSError with its
    number and message. The file's name is not stored: it is the row's path.
    """
    if isinstance(error, ParseError | ValidationError):
        data: dict[str, object] = {
            "class": type(error).__name__,
            "reason": error.reason,
            "field": error.field,
            "line": error.line,
        }
    elif isinstance(error, OSError):
        data = {"class": "OSError", "errno": error.errno, "strerror": error.strerror}
    else:
        raise TypeError(f"cannot store a {type(error).__name__} as a load failure")
    return json.dumps(data, ensure_ascii=False)


def decode_failure(text: str, path: Path) -> LoadFailure:
    """Rebuild the :class:`LoadFailure` of the file at *path* from :func:`encode_failure`'s text."""
    data = json.loads(text)
    source = os.fspath(path)
    error: Exception
    if data["class"] == "OSError":
        # OSError(errno, ...) builds the subclass for the number, such as
        # FileNotFoundError, as open() does.
        error = OSError(data["errno"], data["strerror"], source)
    else:
        located = ParseError if data["class"] == "ParseError" else ValidationError
        error = located(data["reason"], source=source, field=data["field"], line=data["line"])
    return LoadFailure(path, error)
