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
from newsfeed._format.convert import (
    ARTICLE_KEYS,
    IMAGE_KEYS,
    PROVIDER_KEYS,
    RELATED_KEYS,
    to_dict,
)
from newsfeed._model import Article, Image, Provider, RelatedArticle

__all__ = ["decode", "decode_failure", "encode", "encode_failure"]

_DATETIME: Final = "\x00datetime"
_DATE: Final = "\x00date"
_MAPPING: Final = "\x00mapping"
_TAGS: Final = frozenset({_DATETIME, _DATE, _MAPPING})
_ARTICLE_KEYS: Final = frozenset(key for _, key in ARTICLE_KEYS)
_RELATED_KEYS: Final = frozenset(key for _, key in RELATED_KEYS)
_PROVIDER_KEYS: Final = frozenset(key for _, key in PROVIDER_KEYS)
_IMAGE_KEYS: Final = frozenset(key for _, key in IMAGE_KEYS)
_ARTICLE_ATTRIBUTES: Final = {key: attribute for attribute, key in ARTICLE_KEYS}
_RELATED_ATTRIBUTES: Final = {key: attribute for attribute, key in RELATED_KEYS}
_PROVIDER_ATTRIBUTES: Final = {key: attribute for attribute, key in PROVIDER_KEYS}
_IMAGE_ATTRIBUTES: Final = {key: attribute for attribute, key in IMAGE_KEYS}


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


def _has_extra(article: Article) -> bool:
    if article.extra:
        return True
    if article.provider is not None and article.provider.extra:
        return True
    return any(_related_has_extra(item) for item in article.related)


def _related_has_extra(item: RelatedArticle) -> bool:
    return bool(
        item.extra
        or (item.provider is not None and item.provider.extra)
        or any(image.extra for image in item.images)
    )


def _tag_extra(record: dict[str, Any], extra: Mapping[str, Any]) -> None:
    # The keys stay where to_dict put them; only their values change.
    for key, value in extra.items():
        record[key] = _tag(value)


def _with_tagged_extras(record: dict[str, Any], article: Article) -> dict[str, Any]:
    """Replace the unknown values of *record* (from to_dict) by their tagged forms."""
    _tag_extra(record, article.extra)
    if article.provider is not None:
        _tag_extra(record["provider"], article.provider.extra)
    for item, item_record in zip(article.related, record.get("related", ()), strict=True):
        _tag_extra(item_record, item.extra)
        if item.provider is not None:
            _tag_extra(item_record["provider"], item.provider.extra)
        for image, image_record in zip(item.images, item_record.get("images", ()), strict=True):
            _tag_extra(image_record, image.extra)
    return record


def _untag_extra(record: dict[str, Any], known: frozenset[str]) -> None:
    for key, value in record.items():
        if key not in known:
            record[key] = _untag(value)


def _untag_record(record: dict[str, Any]) -> dict[str, Any]:
    """Undo :func:`_with_tagged_extras`, walking only where unknown keys can be."""
    _untag_extra(record, _ARTICLE_KEYS)
    if isinstance(record.get("provider"), dict):
        _untag_extra(record["provider"], _PROVIDER_KEYS)
    for item in record.get("related", ()):
        _untag_extra(item, _RELATED_KEYS)
        if isinstance(item.get("provider"), dict):
            _untag_extra(item["provider"], _PROVIDER_KEYS)
        for image in item.get("images", ()):
            _untag_extra(image, _IMAGE_KEYS)
    return record


def encode(article: Article) -> str:
    """Return *article* (all but its path) as JSON text that :func:`decode` reads back."""
    record = to_dict(article)
    data: dict[str, object] = {"front": record, "body": article.body}
    if _has_extra(article):
        # Only then is there anything to untag: decoding skips the walk otherwise.
        data["front"] = _with_tagged_extras(record, article)
        data["tagged"] = True
    return json.dumps(data, ensure_ascii=False)


def _split(
    record: dict[str, Any], attributes: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the known fields of *record* by attribute name, and its unknown keys."""
    if attributes.keys() >= record.keys():
        # The usual case, and the quick one: no unknown keys.
        return {attributes[key]: value for key, value in record.items()}, {}
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in record.items():
        attribute = attributes.get(key)
        if attribute is None:
            extra[key] = value
        else:
            known[attribute] = value
    return known, extra


def _provider(record: dict[str, Any]) -> Provider:
    known, extra = _split(record, _PROVIDER_ATTRIBUTES)
    return Provider(**known, extra=extra)


def _image(record: dict[str, Any]) -> Image:
    known, extra = _split(record, _IMAGE_ATTRIBUTES)
    return Image(**known, extra=extra)


def _related(record: dict[str, Any]) -> RelatedArticle:
    known, extra = _split(record, _RELATED_ATTRIBUTES)
    # to_dict writes every timestamp with its offset: fromisoformat reads it.
    known["published_at"] = datetime.fromisoformat(known["published_at"])
    if "provider" in known:
        known["provider"] = _provider(known["provider"])
    if "images" in known:
        known["images"] = tuple(map(_image, known["images"]))
    return RelatedArticle(**known, extra=extra)


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
        front = _untag_record(front)
    known, extra = _split(front, _ARTICLE_ATTRIBUTES)
    known["published_at"] = datetime.fromisoformat(known["published_at"])
    if "provider" in known:
        known["provider"] = _provider(known["provider"])
    if "topics" in known:
        known["topics"] = tuple(known["topics"])
    if "related" in known:
        known["related"] = tuple(map(_related, known["related"]))
    return Article(**known, extra=extra, body=data["body"], path=path)


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
