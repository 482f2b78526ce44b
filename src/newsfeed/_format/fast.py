"""A fast reader for files in the canonical layout, with the safe YAML path as fallback.

Reading a file through libyaml's event stream (:mod:`newsfeed._format.safe_yaml`) and
cattrs costs about a millisecond, almost all of it YAML machinery. Yet nearly
every file newsfeed reads is one it wrote, in the canonical layout. So
:func:`fast_loads` tries, in turn:

1. :func:`_read_canonical`: the layout exactly as :func:`newsfeed.dumps`
   writes it, unknown keys included when they fit on one line. Each line is
   looked up whole, by what comes before its ``": "``, and its value read as
   that field's type.
2. :func:`newsfeed._format.subset.read_front_matter`, then
   :func:`newsfeed._format.plain.article_from_plain`: the same subset of YAML in
   general (unknown keys with block values, keys in any order), turned into
   plain data, then into an Article with the checks of the cattrs hooks in
   :mod:`newsfeed._format.convert`.

Neither raises or guesses. On anything not fully recognized -- odd spacing, a
comment, a flow collection, a tag, an unknown escape, a plain scalar YAML
might read as something other than a string, a duplicate key, a missing
field, a value of the wrong type -- :func:`fast_loads` returns None and
:func:`newsfeed.loads` takes the reference path, which also produces every
error. ``tests/test_fast_path.py`` checks that whatever it returns is exactly
what the reference path returns.

Plain scalars (provider names and domains, topics, ``type``, ``category``)
are interned, and providers without unknown keys, UTC offsets and integers
above 256 are shared (through bounded caches), so that a feed holds each once
however many articles repeat it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Final

from newsfeed._format.convert import ARTICLE_KEYS, IMAGE_KEYS, PROVIDER_KEYS, RELATED_KEYS
from newsfeed._format.plain import article_from_plain, shared_provider
from newsfeed._format.subset import (
    MARKERS,
    MAX_KEY,
    UNRECOGNIZED,
    Unrecognized,
    aware_timestamp,
    forget,
    integer,
    plain_str,
    quoted,
    read_front_matter,
    scalar,
)
from newsfeed._model import Article, Image, Provider, RelatedArticle

__all__ = ["fast_loads"]

# Where a line of the canonical layout may stand, as bits: the block the
# previous line left open.
_TOP: Final = 1
_PROVIDER: Final = 2
_TOPICS: Final = 4
_RELATED: Final = 8
_ITEM: Final = 16
_ITEM_PROVIDER: Final = 32
_IMAGES: Final = 64
_IMAGE: Final = 128
_ANYWHERE: Final = 255
_IN_ITEM: Final = _ITEM | _ITEM_PROVIDER | _IMAGES | _IMAGE

# The mapping a line's key goes into (an index into _read_canonical's
# `mappings`), or a new related item or image that the line starts.
_INTO_TOP: Final = 0
_INTO_PROVIDER: Final = 1
_INTO_ITEM: Final = 2
_INTO_ITEM_PROVIDER: Final = 3
_INTO_IMAGE: Final = 4
_NEW_ITEM: Final = 5
_NEW_IMAGE: Final = 6

# How a value is written: double-quoted, plain string, integer, boolean, timestamp.
_QUOTED: Final = 0
_PLAIN: Final = 1
_INTEGER: Final = 2
_BOOLEAN: Final = 3
_TIMESTAMP: Final = 4

_TOP_SCALARS: Final = (
    ("category", "category", _PLAIN),
    ("title", "title", _QUOTED),
    ("excerpt", "excerpt", _QUOTED),
    ("publishedDateTime", "published_at", _TIMESTAMP),
    ("webUrl", "web_url", _QUOTED),
    ("ampWebUrl", "amp_web_url", _QUOTED),
    ("cdnAmpWebUrl", "cdn_amp_web_url", _QUOTED),
    ("type", "type", _PLAIN),
    ("quality", "quality", _INTEGER),
    ("heat", "heat", _INTEGER),
    ("published", "published", _BOOLEAN),
    ("secured", "secured", _QUOTED),
)
_ITEM_SCALARS: Final = (
    ("excerpt", "excerpt", _QUOTED),
    ("publishedDateTime", "published_at", _TIMESTAMP),
    ("webUrl", "web_url", _QUOTED),
    ("ampWebUrl", "amp_web_url", _QUOTED),
    ("cdnAmpWebUrl", "cdn_amp_web_url", _QUOTED),
    ("type", "type", _PLAIN),
    ("quality", "quality", _INTEGER),
)

#: A `key: value` line, by the text before ": " (indentation and dash
#: included): where it may stand, the block it leaves open, the mapping it
#: goes into, the attribute, and how its value is written.
_SCALAR_LINES: Final[dict[str, tuple[int, int, int, str, int]]] = {
    **{key: (_ANYWHERE, _TOP, _INTO_TOP, attr, kind) for key, attr, kind in _TOP_SCALARS},
    "  name": (_PROVIDER, _PROVIDER, _INTO_PROVIDER, "name", _PLAIN),
    "  domain": (_PROVIDER, _PROVIDER, _INTO_PROVIDER, "domain", _PLAIN),
    "  - title": (_RELATED | _IN_ITEM, _ITEM, _NEW_ITEM, "title", _QUOTED),
    **{
        f"    {key}": (_IN_ITEM, _ITEM, _INTO_ITEM, attr, kind) for key, attr, kind in _ITEM_SCALARS
    },
    "      name": (_ITEM_PROVIDER, _ITEM_PROVIDER, _INTO_ITEM_PROVIDER, "name", _PLAIN),
    "      domain": (_ITEM_PROVIDER, _ITEM_PROVIDER, _INTO_ITEM_PROVIDER, "domain", _PLAIN),
    "      - url": (_IMAGES | _IMAGE, _IMAGE, _NEW_IMAGE, "url", _QUOTED),
    "        width": (_IMAGE, _IMAGE, _INTO_IMAGE, "width", _INTEGER),
    "        height": (_IMAGE, _IMAGE, _INTO_IMAGE, "height", _INTEGER),
    "        isCached": (_IMAGE, _IMAGE, _INTO_IMAGE, "is_cached", _BOOLEAN),
}
#: A `key:` line opening a block: where it may stand, and the block it opens.
_BLOCK_LINES: Final = {
    "provider:": (_ANYWHERE, _PROVIDER),
    "topics:": (_ANYWHERE, _TOPICS),
    "related:": (_ANYWHERE, _RELATED),
    "    provider:": (_IN_ITEM, _ITEM_PROVIDER),
    "    images:": (_IN_ITEM, _IMAGES),
}
_BLOCK_ATTRS: Final = {
    _PROVIDER: "provider",
    _TOPICS: "topics",
    _RELATED: "related",
    _ITEM_PROVIDER: "provider",
    _IMAGES: "images",
}
_BOOLEANS: Final = {"true": True, "false": False}


#: How each kind of value is read: the value, or None if it is not one.
#: (A double-quoted string is never None; quoted() raises instead.)
_READERS: Final[tuple[Callable[[str], object], ...]] = (
    quoted,
    plain_str,
    integer,
    _BOOLEANS.get,
    aware_timestamp,
)
#: Where a key the model does not know goes, by its indentation: where it
#: may stand, the block it leaves open, the mapping it goes into, and the
#: keys that mapping knows (one of those here is a form this reader leaves
#: to the others, such as ``images: []``).
_UNKNOWN_KEYS: Final = {
    0: (_ANYWHERE, _TOP, _INTO_TOP, frozenset(key for _, key in ARTICLE_KEYS)),
    2: (_PROVIDER, _PROVIDER, _INTO_PROVIDER, frozenset(key for _, key in PROVIDER_KEYS)),
    4: (_IN_ITEM, _ITEM, _INTO_ITEM, frozenset(key for _, key in RELATED_KEYS)),
    6: (_ITEM_PROVIDER, _ITEM_PROVIDER, _INTO_ITEM_PROVIDER, frozenset(("name", "domain"))),
    8: (_IMAGE, _IMAGE, _INTO_IMAGE, frozenset(key for _, key in IMAGE_KEYS)),
}


def _unknown(key: str, value: str, state: int, mappings: list[dict[str, Any]]) -> int:
    """Read a one-line entry of a key the model does not know into its mapping's extra.

    Returns the state it leaves; raises Unrecognized where it may not stand.
    """
    name = key.lstrip(" ")
    where, state_after, into, known = _UNKNOWN_KEYS.get(len(key) - len(name), _NO_UNKNOWN)
    if (
        not where & state
        or name in known
        or len(name) > MAX_KEY
        or name.startswith(MARKERS)
        or plain_str(name) is None
    ):
        raise UNRECOGNIZED
    extra = mappings[into].setdefault("extra", {})
    if name in extra:
        raise UNRECOGNIZED  # a duplicate key
    extra[sys.intern(name)] = scalar(value)
    return state_after


_NO_UNKNOWN: Final = (0, 0, 0, frozenset[str]())
_NO_LINE: Final = (0, 0, 0, "", 0)


def _read_canonical(lines: list[str]) -> dict[str, Any]:  # noqa: C901, PLR0912, PLR0915 -- the hot loop, kept whole for speed
    """Read the front matter's lines into plain data with the model's attribute names.

    Every line must be one the canonical layout writes for a known key,
    standing where it may; any other raises Unrecognized. Blocks come out
    as dicts and lists, for :func:`_build_canonical`.
    """
    top: dict[str, Any] = {}
    mappings: list[dict[str, Any]] = [top, {}, {}, {}, {}]
    related: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    state = _TOP
    for line in lines:
        key, separator, value = line.partition(": ")
        if separator:
            where, state_after, into, attr, kind = _SCALAR_LINES.get(key, _NO_LINE)
            if not where:
                state = _unknown(key, value, state, mappings)
                continue
            if not where & state:
                raise UNRECOGNIZED
            if into == _NEW_ITEM:
                mapping = mappings[_INTO_ITEM] = {}
                related.append(mapping)
            elif into == _NEW_IMAGE:
                mapping = mappings[_INTO_IMAGE] = {}
                images.append(mapping)
            else:
                mapping = mappings[into]
                if attr in mapping:
                    raise UNRECOGNIZED  # a duplicate key
            if (
                kind == _QUOTED
                and value[-1:] == '"'
                and value[:1] == '"'
                and '"' not in (inner := value[1:-1])
                and "\\" not in inner
                and inner.isprintable()
                and len(value) > 1
            ):
                # Most lines: a double-quoted string with nothing to unescape.
                mapping[attr] = inner
            else:
                result = _READERS[kind](value)
                if result is None:
                    raise UNRECOGNIZED
                mapping[attr] = result
            state = state_after
        elif not line:
            # Only a top-level key may follow an empty line (as far as this
            # reader goes; YAML would allow more).
            state = _TOP
        elif line in _BLOCK_LINES:
            where, opened = _BLOCK_LINES[line]
            if not where & state:
                raise UNRECOGNIZED
            owner = top if where == _ANYWHERE else mappings[_INTO_ITEM]
            attr = _BLOCK_ATTRS[opened]
            if attr in owner:
                raise UNRECOGNIZED  # a duplicate key
            if opened == _PROVIDER:
                owner[attr] = mappings[_INTO_PROVIDER] = {}
            elif opened == _ITEM_PROVIDER:
                owner[attr] = mappings[_INTO_ITEM_PROVIDER] = {}
            elif opened == _RELATED:
                owner[attr] = related = []
            elif opened == _IMAGES:
                owner[attr] = images = []
            else:
                owner[attr] = []
            state = opened
        elif state == _TOPICS and line.startswith("  - "):
            topic = plain_str(line[4:])
            if topic is None:
                raise UNRECOGNIZED
            top["topics"].append(topic)
        else:
            raise UNRECOGNIZED
    return top


def _finish_provider(data: dict[str, Any]) -> Provider:
    if not data:
        raise UNRECOGNIZED  # `provider:` with nothing under it is null
    if "extra" in data:
        return Provider(data.get("name"), data.get("domain"), extra=data["extra"])
    return shared_provider(data.get("name"), data.get("domain"))


def _build_canonical(top: dict[str, Any], body: str) -> Article:
    """Turn what :func:`_read_canonical` read into an Article, checking what YAML would."""
    if "title" not in top or "published_at" not in top or "web_url" not in top:
        raise UNRECOGNIZED  # the reference path says which field is missing
    provider = top.get("provider")
    if provider is not None:
        top["provider"] = _finish_provider(provider)
    if "topics" in top:
        if not top["topics"]:
            raise UNRECOGNIZED  # `topics:` with nothing under it is null
        top["topics"] = tuple(top["topics"])
    related = top.get("related")
    if related is not None:
        if not related:
            raise UNRECOGNIZED
        top["related"] = tuple(map(_build_item, related))
    return Article(**top, body=body)


def _build_item(item: dict[str, Any]) -> RelatedArticle:
    if "published_at" not in item or "web_url" not in item:
        raise UNRECOGNIZED
    provider = item.get("provider")
    if provider is not None:
        item["provider"] = _finish_provider(provider)
    images = item.get("images")
    if images is not None:
        if not images:
            raise UNRECOGNIZED
        item["images"] = tuple(Image(**image) for image in images)
    return RelatedArticle(**item)


def _split(text: str) -> tuple[str, str] | None:
    """Split *text* as split_front_matter does, if its fences are canonical."""
    if not text.startswith("---\n"):
        return None  # a BOM, CRLF line ends, or spaces after the fence
    end = text.find("\n---\n", 3)
    if end == -1:
        return None
    body_start = end + 5
    # As split_front_matter: after the fence's line end, one empty line.
    if text.startswith("\n", body_start):
        body_start += 1
    elif text.startswith("\r\n", body_start):
        body_start += 2
    return text[4 : end + 1], text[body_start:]


def fast_loads(text: str) -> Article | None:
    """Read *text* if it is in the canonical layout; otherwise return None.

    The result, when there is one, equals what the reference path returns
    for the same text, down to the types, the UTC offsets and ``extra``.
    """
    parts = _split(text)
    if parts is None:
        return None
    front_matter, body = parts
    lines = front_matter.split("\n")
    lines.pop()  # empty: the front matter ends with a line end
    try:
        return _build_canonical(_read_canonical(lines), body)
    except Unrecognized:
        forget(UNRECOGNIZED)  # perhaps unknown keys: try the general reader
    except ValueError:
        return None  # a timestamp out of range, such as 2020-02-30
    data = read_front_matter(front_matter)
    try:
        return None if data is None else article_from_plain(data, body)
    except Unrecognized:
        forget(UNRECOGNIZED)
        return None
