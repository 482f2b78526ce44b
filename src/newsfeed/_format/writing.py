"""Writing articles in the canonical layout, byte for byte.

The text is built directly from the model, not through PyYAML's emitter:
that one is slow in pure Python and cannot be told to keep this layout
(quoting chosen per field, an empty line after each block, no line wrapping).
The rules are those of the format's canonical layout; ``docs/format.md``
lists them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final, TypeVar

import yaml
from yaml.nodes import ScalarNode

from newsfeed._errors import ValidationError
from newsfeed._format.convert import ARTICLE_KEYS, IMAGE_KEYS, PROVIDER_KEYS, RELATED_KEYS
from newsfeed._format.timestamps import format_timestamp
from newsfeed._model import Article, Image, Provider, RelatedArticle

__all__ = ["dumps"]

_Lines = list[str]
_T = TypeVar("_T")

# An unknown key may not repeat a known one of its mapping: the file would
# hold the key twice, and the reader refuses duplicate keys.
_ARTICLE_KEYS: Final = frozenset(key for _, key in ARTICLE_KEYS)
_RELATED_KEYS: Final = frozenset(key for _, key in RELATED_KEYS)
_PROVIDER_KEYS: Final = frozenset(key for _, key in PROVIDER_KEYS)
_IMAGE_KEYS: Final = frozenset(key for _, key in IMAGE_KEYS)

# What YAML requires to be escaped inside double quotes: the quote, the
# backslash, control characters, and the characters YAML 1.1 reads as line
# breaks (NEL, LS, PS). A byte-order mark is invisible, so it is escaped too.
_NEEDS_ESCAPE: Final = re.compile(
    '[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]'
)
_NAMED_ESCAPES: Final = {
    "\\": "\\\\",
    '"': '\\"',
    "\x00": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _check_unicode(text: str, field: str) -> None:
    # A lone surrogate cannot be written as UTF-8, and libyaml refuses its
    # escape; refusing it here beats writing a file nobody can read.
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise ValidationError(
            f"lone surrogate {surrogate.group()!r} is not valid Unicode", field=field
        )


def _quoted(text: str, field: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    _check_unicode(text, field)
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


_MAX_IMPLICIT_KEY: Final = 1024
_PLAIN_FIRST_FORBIDDEN: Final = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_PLAIN_FORBIDDEN: Final = re.compile(r": |:$| #|[,\[\]{}]|\s$")
_STR_TAG: Final = "tag:yaml.org,2002:str"
_resolver: Final = yaml.resolver.Resolver()


@functools.lru_cache(maxsize=4096)
def _is_plain_safe(text: str) -> bool:
    """Whether *text* can be written unquoted and read back as the same string.

    Deliberately stricter than YAML: when in doubt, the writer quotes.
    """
    return (
        bool(text)
        and text[0] not in _PLAIN_FIRST_FORBIDDEN
        # "... x" as a top-level key, at the start of a line, ends the document.
        and not text.startswith("...")
        and text.isprintable()
        and _PLAIN_FORBIDDEN.search(text) is None
        and _resolver.resolve(ScalarNode, text, (True, False)) == _STR_TAG  # type: ignore[no-untyped-call]
    )


def _plain_or_quoted(text: str, field: str) -> str:
    return text if _is_plain_safe(text) else _quoted(text, field)


def _decimal(value: int, field: str) -> str:
    try:
        return str(value)
    except ValueError as error:
        # Python refuses to print integers of more than 4300 digits by default.
        raise ValidationError(str(error), field=field) from None


def _timestamp(value: datetime, field: str) -> str:
    try:
        return format_timestamp(value)
    except ValueError as error:
        raise ValidationError(str(error), field=field) from None


def _float(value: float) -> str:
    if value != value:  # noqa: PLR0124 -- the one test for NaN that needs no import
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    # YAML 1.1, as PyYAML reads it, needs a dot in a float: 1e+20 is a string.
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


def _any_scalar(value: object, field: str) -> str:  # noqa: PLR0911 -- one return per YAML type
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return _decimal(value, field)
    if type(value) is float:
        return _float(value)
    if type(value) is str:
        return _plain_or_quoted(value, field)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return _timestamp(value, field)
    if isinstance(value, date):
        return value.isoformat()
    raise ValidationError(
        f"cannot write a value of type {type(value).__name__} in front matter", field=field
    )


class _Writer:
    """Collects the lines of one file; each method writes one kind of value."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: _Lines = []

    # Typed fields of the model.

    def quoted(
        self, indent: str, key: str, value: object, field: str, *, required: bool = False
    ) -> None:
        if value is None and required:
            # Left out, the field would make a file that no longer loads.
            raise ValidationError("required field is missing", field=field)
        if value is not None:
            text = _quoted(_require(str, value, field), field)
            self.lines.append(f"{indent}{key}: {text}\n")

    def plain(self, indent: str, key: str, value: object, field: str) -> None:
        if value is not None:
            text = _plain_or_quoted(_require(str, value, field), field)
            self.lines.append(f"{indent}{key}: {text}\n")

    def integer(self, indent: str, key: str, value: object, field: str) -> None:
        if value is not None:
            text = _decimal(_require(int, value, field), field)
            self.lines.append(f"{indent}{key}: {text}\n")

    def boolean(self, indent: str, key: str, value: object, field: str) -> None:
        if value is not None:
            text = "true" if _require(bool, value, field) else "false"
            self.lines.append(f"{indent}{key}: {text}\n")

    def timestamp(self, indent: str, key: str, value: object, field: str) -> None:
        if not isinstance(value, datetime):
            raise ValidationError(f"expected a datetime, got {type(value).__name__}", field=field)
        self.lines.append(f"{indent}{key}: {_timestamp(value, field)}\n")

    def provider(self, indent: str, value: Provider | None, field: str) -> None:
        if value is None:
            return
        if not isinstance(value, Provider):
            raise ValidationError(f"expected a Provider, got {type(value).__name__}", field=field)
        if value.name is None and value.domain is None and not value.extra:
            self.lines.append(f"{indent}provider: {{}}\n")
            return
        self.lines.append(f"{indent}provider:\n")
        inner = indent + "  "
        self.plain(inner, "name", value.name, f"{field}.name")
        self.plain(inner, "domain", value.domain, f"{field}.domain")
        self.extra(inner, value.extra, field, _PROVIDER_KEYS)

    def extra(
        self, indent: str, extra: Mapping[str, Any], field: str, known: frozenset[str]
    ) -> None:
        for key, value in extra.items():
            key_field = f"{field}.{key}" if field else str(key)
            if key in known:
                raise ValidationError(
                    "an unknown key repeats a field of the model, so the file would hold it twice",
                    field=key_field,
                )
            self.entry(indent, key, value, key_field)

    # Any YAML data, for the keys the model does not know.

    def entry(self, indent: str, key: object, value: object, field: str) -> None:
        """Write ``key: value`` in a block mapping."""
        if type(key) is not str:
            raise ValidationError("keys must be strings", field=field)
        key_text = _plain_or_quoted(key, field)
        if len(key_text) > _MAX_IMPLICIT_KEY:
            # YAML reads a key of at most 1024 characters before its colon;
            # a longer one is written explicitly: "? key", then ": value".
            self.lines.append(f"{indent}? {key_text}\n")
            head = f"{indent}:"
        else:
            head = f"{indent}{key_text}:"
        if isinstance(value, Mapping) and value:
            self.lines.append(head + "\n")
            for inner_key, inner_value in value.items():
                self.entry(indent + "  ", inner_key, inner_value, f"{field}.{inner_key}")
        elif isinstance(value, list | tuple) and value:
            self.lines.append(head + "\n")
            self.sequence(indent + "  ", value, field)
        else:
            self.lines.append(f"{head} {self.flow_empty_or_scalar(value, field)}\n")

    def sequence(self, indent: str, items: list[Any] | tuple[Any, ...], field: str) -> None:
        """Write block sequence items at *indent*, mappings compact after ``- ``."""
        for index, item in enumerate(items):
            item_field = f"{field}[{index}]"
            if (isinstance(item, Mapping | list | tuple)) and item:
                start = len(self.lines)
                inner = indent + "  "
                if isinstance(item, Mapping):
                    for key, value in item.items():
                        self.entry(inner, key, value, f"{item_field}.{key}")
                else:
                    self.sequence(inner, item, item_field)
                # The first line moves up beside the dash: "- key: value".
                self.lines[start] = f"{indent}- {self.lines[start][len(inner) :]}"
            else:
                self.lines.append(f"{indent}- {self.flow_empty_or_scalar(item, item_field)}\n")

    @staticmethod
    def flow_empty_or_scalar(value: object, field: str) -> str:
        if isinstance(value, Mapping):
            return "{}"
        if isinstance(value, list | tuple):
            return "[]"
        return _any_scalar(value, field)


def _require(kind: type[_T], value: object, field: str) -> _T:
    # Exact types: a bool is not an int, a str subclass may not write back alike.
    if type(value) is not kind:
        raise ValidationError(f"expected {kind.__name__}, got {type(value).__name__}", field=field)
    return value


def _write_related(writer: _Writer, item: RelatedArticle, field: str) -> None:
    if not isinstance(item, RelatedArticle):
        raise ValidationError(f"expected a RelatedArticle, got {type(item).__name__}", field=field)
    start = len(writer.lines)
    indent = "    "
    writer.quoted(indent, "title", item.title, f"{field}.title", required=True)
    writer.quoted(indent, "excerpt", item.excerpt, f"{field}.excerpt")
    writer.timestamp(indent, "publishedDateTime", item.published_at, f"{field}.publishedDateTime")
    writer.quoted(indent, "webUrl", item.web_url, f"{field}.webUrl", required=True)
    writer.quoted(indent, "ampWebUrl", item.amp_web_url, f"{field}.ampWebUrl")
    writer.quoted(indent, "cdnAmpWebUrl", item.cdn_amp_web_url, f"{field}.cdnAmpWebUrl")
    writer.plain(indent, "type", item.type, f"{field}.type")
    writer.provider(indent, item.provider, f"{field}.provider")
    writer.integer(indent, "quality", item.quality, f"{field}.quality")
    if item.images:
        writer.lines.append(f"{indent}images:\n")
        for index, image in enumerate(item.images):
            _write_image(writer, image, f"{field}.images[{index}]")
    writer.extra(indent, item.extra, field, _RELATED_KEYS)
    writer.lines[start] = "  - " + writer.lines[start][len(indent) :]


def _write_image(writer: _Writer, image: Image, field: str) -> None:
    if not isinstance(image, Image):
        raise ValidationError(f"expected an Image, got {type(image).__name__}", field=field)
    indent = "        "
    url = _quoted(_require(str, image.url, f"{field}.url"), f"{field}.url")
    writer.lines.append(f"      - url: {url}\n")
    writer.integer(indent, "width", image.width, f"{field}.width")
    writer.integer(indent, "height", image.height, f"{field}.height")
    writer.boolean(indent, "isCached", image.is_cached, f"{field}.isCached")
    writer.extra(indent, image.extra, field, _IMAGE_KEYS)


def _groups(article: Article) -> list[_Lines]:
    """Return the blocks of the front matter: head, provider, topics, related, and the tail."""
    head = _Writer()
    head.plain("", "category", article.category, "category")
    head.quoted("", "title", article.title, "title", required=True)
    head.quoted("", "excerpt", article.excerpt, "excerpt")
    head.timestamp("", "publishedDateTime", article.published_at, "publishedDateTime")
    head.quoted("", "webUrl", article.web_url, "webUrl", required=True)
    head.quoted("", "ampWebUrl", article.amp_web_url, "ampWebUrl")
    head.quoted("", "cdnAmpWebUrl", article.cdn_amp_web_url, "cdnAmpWebUrl")
    head.plain("", "type", article.type, "type")
    head.integer("", "quality", article.quality, "quality")
    head.integer("", "heat", article.heat, "heat")
    head.boolean("", "published", article.published, "published")

    provider = _Writer()
    provider.provider("", article.provider, "provider")

    topics = _Writer()
    if article.topics:
        topics.lines.append("topics:\n")
        for index, topic in enumerate(article.topics):
            field = f"topics[{index}]"
            text = _plain_or_quoted(_require(str, topic, field), field)
            topics.lines.append(f"  - {text}\n")

    related = _Writer()
    if article.related:
        related.lines.append("related:\n")
        for index, item in enumerate(article.related):
            _write_related(related, item, f"related[{index}]")

    tail = _Writer()
    tail.quoted("", "secured", article.secured, "secured")
    tail.extra("", article.extra, "", _ARTICLE_KEYS)
    return [head.lines, provider.lines, topics.lines, related.lines, tail.lines]


def dumps(article: Article) -> str:
    """Return *article* as file text in the canonical layout.

    ``dumps(loads(text)) == text`` for any file already in that layout.
    Raises :class:`~newsfeed.ValidationError` when a field holds a value
    the format cannot carry (a naive ``published_at``, a str where an int
    belongs, a lone surrogate).
    """
    parts = ["---\n"]
    *blocks, tail = _groups(article)
    # The layout puts one empty line after each block that is there (the
    # head, provider, topics, related), whether or not a later one follows.
    for block in blocks:
        if block:
            parts.extend(block)
            parts.append("\n")
    parts.extend(tail)
    parts.append("---\n\n")
    body = _require(str, article.body, "body")
    _check_unicode(body, "body")
    parts.append(body)
    return "".join(parts)
