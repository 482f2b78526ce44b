"""Building an Article from the plain data of the subset reader, as strictly as cattrs.

:func:`newsfeed._format.subset.read_front_matter` turns front matter in the
canonical subset of YAML into dicts, lists and scalars keyed by the file's
camelCase names. :func:`article_from_plain` builds the model from them with
the strictness of the cattrs hooks in :mod:`newsfeed._format.convert`: exact types,
no coercion. On anything else (a missing or mistyped field, an explicit null
the writer never writes for a known key) it raises
:class:`~newsfeed._format.subset.Unrecognized`, and the reference path says what is
wrong.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, Final

from newsfeed._format.convert import ARTICLE_KEYS, IMAGE_KEYS, PROVIDER_KEYS, RELATED_KEYS
from newsfeed._format.subset import UNRECOGNIZED
from newsfeed._model import EMPTY, Article, FrozenDict, Image, Provider, RelatedArticle

__all__ = ["article_from_plain", "shared_provider"]

_ARTICLE_KEYS: Final = frozenset(key for _, key in ARTICLE_KEYS)
_RELATED_KEYS: Final = frozenset(key for _, key in RELATED_KEYS)
_IMAGE_KEYS: Final = frozenset(key for _, key in IMAGE_KEYS)
_PROVIDER_KEYS: Final = frozenset(key for _, key in PROVIDER_KEYS)
_STR_OR_ABSENT: Final = frozenset((str, type(None)))
_INT_OR_ABSENT: Final = frozenset((int, type(None)))
_BOOL_OR_ABSENT: Final = frozenset((bool, type(None)))
_LIST_OR_ABSENT: Final = frozenset((list, type(None)))


def _fields(data: object) -> dict[str, Any]:
    """Check that *data* is a mapping with no nulls, so that None means absent."""
    if type(data) is not dict or None in data.values():
        raise UNRECOGNIZED
    return data


def _extra(data: dict[str, Any], known: frozenset[str]) -> FrozenDict:
    if data.keys() <= known:
        return EMPTY
    return FrozenDict({key: value for key, value in data.items() if key not in known})


def _aware(value: object) -> datetime:
    # The reference path also reads naive datetimes, dates and ISO strings;
    # the writer writes none of them, so they are left to it.
    if type(value) is not datetime or value.tzinfo is None:
        raise UNRECOGNIZED
    return value


@functools.lru_cache(maxsize=4096)
def shared_provider(name: str | None, domain: str | None) -> Provider:
    """Return one Provider per (name, domain): a feed repeats a few hundred of them.

    Bounded, and safe to share: a Provider is frozen.
    """
    return Provider(name, domain)


def _provider(value: object) -> Provider | None:
    if value is None:
        return None
    data = _fields(value)
    name, domain = data.get("name"), data.get("domain")
    if type(name) not in _STR_OR_ABSENT or type(domain) not in _STR_OR_ABSENT:
        raise UNRECOGNIZED
    if data.keys() <= _PROVIDER_KEYS:
        return shared_provider(name, domain)
    return Provider(name, domain, extra=_extra(data, _PROVIDER_KEYS))


def _image(value: object) -> Image:
    data = _fields(value)
    url, width, height, is_cached = (
        data.get("url"),
        data.get("width"),
        data.get("height"),
        data.get("isCached"),
    )
    if (
        type(url) is not str
        or type(width) not in _INT_OR_ABSENT
        or type(height) not in _INT_OR_ABSENT
        or type(is_cached) not in _BOOL_OR_ABSENT
    ):
        raise UNRECOGNIZED
    return Image(url, width, height, is_cached, extra=_extra(data, _IMAGE_KEYS))


def _related(value: object) -> RelatedArticle:
    data = _fields(value)
    get = data.get
    title, excerpt, web_url, amp_web_url, cdn_amp_web_url, type_, quality, images = (
        get("title"),
        get("excerpt"),
        get("webUrl"),
        get("ampWebUrl"),
        get("cdnAmpWebUrl"),
        get("type"),
        get("quality"),
        get("images"),
    )
    if (
        type(title) is not str
        or type(web_url) is not str
        or type(excerpt) not in _STR_OR_ABSENT
        or type(amp_web_url) not in _STR_OR_ABSENT
        or type(cdn_amp_web_url) not in _STR_OR_ABSENT
        or type(type_) not in _STR_OR_ABSENT
        or type(quality) not in _INT_OR_ABSENT
        or type(images) not in _LIST_OR_ABSENT
    ):
        raise UNRECOGNIZED
    return RelatedArticle(
        title=title,
        excerpt=excerpt,
        published_at=_aware(get("publishedDateTime")),
        web_url=web_url,
        amp_web_url=amp_web_url,
        cdn_amp_web_url=cdn_amp_web_url,
        type=type_,
        provider=_provider(get("provider")),
        quality=quality,
        images=tuple(map(_image, images)) if images else (),
        extra=_extra(data, _RELATED_KEYS),
    )


def article_from_plain(value: dict[str, Any], body: str) -> Article:
    data = _fields(value)
    get = data.get
    category, title, excerpt, web_url, amp_web_url, cdn_amp_web_url, type_ = (
        get("category"),
        get("title"),
        get("excerpt"),
        get("webUrl"),
        get("ampWebUrl"),
        get("cdnAmpWebUrl"),
        get("type"),
    )
    quality, heat, published, topics, related, secured = (
        get("quality"),
        get("heat"),
        get("published"),
        get("topics"),
        get("related"),
        get("secured"),
    )
    if (
        type(title) is not str
        or type(web_url) is not str
        or type(category) not in _STR_OR_ABSENT
        or type(excerpt) not in _STR_OR_ABSENT
        or type(amp_web_url) not in _STR_OR_ABSENT
        or type(cdn_amp_web_url) not in _STR_OR_ABSENT
        or type(type_) not in _STR_OR_ABSENT
        or type(quality) not in _INT_OR_ABSENT
        or type(heat) not in _INT_OR_ABSENT
        or type(published) not in _BOOL_OR_ABSENT
        or type(topics) not in _LIST_OR_ABSENT
        or type(related) not in _LIST_OR_ABSENT
        or type(secured) not in _STR_OR_ABSENT
    ):
        raise UNRECOGNIZED
    if topics and any(type(topic) is not str for topic in topics):
        raise UNRECOGNIZED
    return Article(
        category=category,
        title=title,
        excerpt=excerpt,
        published_at=_aware(get("publishedDateTime")),
        web_url=web_url,
        amp_web_url=amp_web_url,
        cdn_amp_web_url=cdn_amp_web_url,
        type=type_,
        quality=quality,
        heat=heat,
        published=published,
        provider=_provider(get("provider")),
        topics=tuple(topics) if topics else (),
        related=tuple(map(_related, related)) if related else (),
        secured=secured,
        extra=_extra(data, _ARTICLE_KEYS),
        body=body,
    )
