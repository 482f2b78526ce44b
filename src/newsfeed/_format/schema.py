"""The format's fields, described once.

Every field of every mapping in an article file is one :class:`Field` line
below: the model's attribute, the file's key, the value's kind, whether the
field is required, and how the canonical layout writes it (its position is
its place in the tuple; its quoting; the group it belongs to, which the
canonical layout closes with an empty line). The cattrs conversion
(:mod:`newsfeed._format.convert`), the fast reader's tables
(:mod:`newsfeed._format.fast`), the writer (:mod:`newsfeed._format.writing`)
and the columns of :meth:`newsfeed.Feed.to_records` are all derived from it.

Adding a field to the format means adding one attrs field to the model and
one line here.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Mapping
from typing import Final

import attrs

from newsfeed._model import Article, Image, Provider, RelatedArticle

__all__ = [
    "ARTICLE",
    "IMAGE",
    "PROVIDER",
    "RECORD_COLUMNS",
    "RELATED",
    "SCHEMAS",
    "Column",
    "Field",
    "Kind",
    "Schema",
]


class Kind(enum.Enum):
    """What a field holds."""

    #: A string.
    STR = "str"
    #: A decimal integer.
    INT = "int"
    #: ``true`` or ``false``.
    BOOL = "bool"
    #: A timezone-aware timestamp.
    TIMESTAMP = "timestamp"
    #: One mapping, read as the field's ``item`` class.
    OBJECT = "object"
    #: A list of mappings, read as the field's ``item`` class.
    OBJECTS = "objects"
    #: A list of strings.
    STRS = "strs"


@attrs.frozen
class Field:
    """One field of a mapping of the format."""

    #: The model's attribute.
    attr: str
    #: The file's key.
    key: str
    kind: Kind
    required: bool = False
    #: The canonical layout always double-quotes the value; otherwise a
    #: string is plain when YAML reads it back as the same string.
    quoted: bool = False
    #: Top level only: the canonical layout writes an empty line after each
    #: group that is present, but the last.
    group: int = 0
    #: The class of a mapping or of the items of a list of mappings.
    item: type | None = None
    #: Strings repeated across a feed (names, domains, topics), which the
    #: reader keeps once.
    shared: bool = False
    #: A null item of the list is left out (with a warning) instead of
    #: refusing the file, as real files have them.
    drop_null_items: bool = False
    #: A column of :meth:`newsfeed.Feed.to_records` (top level and provider).
    record: bool = False


_TOP_HEAD, _FEATURED, _PROVIDER, _TOPICS, _IMAGES, _RELATED, _TAIL = range(7)


def _str(attr: str, key: str, *, quoted: bool = True, **options: object) -> Field:
    return Field(attr, key, Kind.STR, quoted=quoted, **options)  # type: ignore[arg-type]


#: An image, in the canonical order of its keys.
IMAGE_FIELDS: Final = (
    _str("url", "url", required=True),
    Field("width", "width", Kind.INT),
    Field("height", "height", Kind.INT),
    _str("title", "title"),
    Field("is_cached", "isCached", Kind.BOOL),
)
PROVIDER_FIELDS: Final = (
    _str("name", "name", quoted=False, shared=True, record=True),
    _str("domain", "domain", quoted=False, shared=True, record=True),
    Field("images", "images", Kind.OBJECTS, item=Image),
)
RELATED_FIELDS: Final = (
    _str("title", "title", required=True),
    _str("excerpt", "excerpt"),
    Field("published_at", "publishedDateTime", Kind.TIMESTAMP, required=True),
    _str("web_url", "webUrl", required=True),
    _str("amp_web_url", "ampWebUrl"),
    _str("cdn_amp_web_url", "cdnAmpWebUrl"),
    _str("type", "type", quoted=False, shared=True),
    Field("provider", "provider", Kind.OBJECT, item=Provider),
    Field("quality", "quality", Kind.INT),
    Field("images", "images", Kind.OBJECTS, item=Image),
)
ARTICLE_FIELDS: Final = (
    _str("category", "category", quoted=False, shared=True, record=True),
    _str("title", "title", required=True, record=True),
    _str("excerpt", "excerpt", record=True),
    Field("published_at", "publishedDateTime", Kind.TIMESTAMP, required=True, record=True),
    Field("updated_at", "updatedDateTime", Kind.TIMESTAMP),
    _str("original_url", "originalUrl", record=True),
    _str("web_url", "webUrl", record=True),
    _str("amp_web_url", "ampWebUrl", record=True),
    _str("cdn_amp_web_url", "cdnAmpWebUrl", record=True),
    _str("type", "type", quoted=False, shared=True, record=True),
    Field("quality", "quality", Kind.INT, record=True),
    Field("heat", "heat", Kind.INT, record=True),
    Field("published", "published", Kind.BOOL, record=True),
    _str("featured_content", "featuredContent", group=_FEATURED),
    Field("provider", "provider", Kind.OBJECT, item=Provider, group=_PROVIDER, record=True),
    Field(
        "topics",
        "topics",
        Kind.STRS,
        group=_TOPICS,
        shared=True,
        drop_null_items=True,
        record=True,
    ),
    Field("images", "images", Kind.OBJECTS, item=Image, group=_IMAGES),
    Field("related", "related", Kind.OBJECTS, item=RelatedArticle, group=_RELATED, record=True),
    _str("secured", "secured", group=_TAIL),
)
#: The group the keys the model does not know go into, at the top level.
EXTRA_GROUP: Final = _TAIL


@attrs.frozen
class Schema:
    """The fields of one class of the model, with lookups derived from them."""

    cls: type
    fields: tuple[Field, ...]
    #: Each one of these groups of keys needs at least one present.
    one_of: tuple[tuple[str, ...], ...] = ()
    by_key: Mapping[str, Field] = attrs.field(init=False)
    by_attr: Mapping[str, Field] = attrs.field(init=False)
    #: The canonical position of each key.
    position: Mapping[str, int] = attrs.field(init=False)
    required: tuple[Field, ...] = attrs.field(init=False)
    #: Reads every field's value off an instance at once, in the fields' order.
    values_of: Callable[[object], tuple[object, ...]] = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        names = [field.attr for field in self.fields]
        object.__setattr__(self, "values_of", operator.attrgetter(*names))
        object.__setattr__(self, "by_key", {field.key: field for field in self.fields})
        object.__setattr__(self, "by_attr", {field.attr: field for field in self.fields})
        positions = {field.key: index for index, field in enumerate(self.fields)}
        object.__setattr__(self, "position", positions)
        required = tuple(field for field in self.fields if field.required)
        object.__setattr__(self, "required", required)

    def repeated_key(self, extra: Mapping[str, object]) -> str | None:
        """Return the first unknown key of *extra* that is also the key of a field, if any.

        Written out in the file's keys (a file, a record), the two would collide.
        """
        return next((key for key in extra if key in self.by_key), None)


IMAGE: Final = Schema(Image, IMAGE_FIELDS)
PROVIDER: Final = Schema(Provider, PROVIDER_FIELDS)
RELATED: Final = Schema(RelatedArticle, RELATED_FIELDS)
ARTICLE: Final = Schema(Article, ARTICLE_FIELDS, one_of=(("webUrl", "originalUrl"),))

#: The schema of each class of the model, leaves first.
SCHEMAS: Final[Mapping[type, Schema]] = {
    schema.cls: schema for schema in (IMAGE, PROVIDER, RELATED, ARTICLE)
}
#: Attributes of the model that are not keys of the front matter.
NOT_IN_FRONT_MATTER: Final = frozenset(("extra", "body", "path", "_layout"))


@attrs.frozen
class Column:
    """One column of :meth:`newsfeed.Feed.to_records` and :meth:`~newsfeed.Feed.to_dataframe`."""

    name: str
    kind: Kind
    #: Values repeat across a feed (outlets, types, categories).
    shared: bool = False


def _record_columns() -> tuple[Column, ...]:
    """Return the columns of a record: the article's recorded fields in canonical order.

    A mapping gives a column per recorded field of its own (``provider_name``),
    a list of mappings its length (``related_count``); then come the
    article's link (:attr:`~newsfeed.Article.url`) and its file (``path``).
    """
    columns: list[Column] = []
    for field in ARTICLE.fields:
        if not field.record:
            continue
        if field.kind is Kind.OBJECT:
            inner = SCHEMAS[field.item].fields  # type: ignore[index]
            columns.extend(
                Column(f"{field.attr}_{sub.attr}", sub.kind, shared=sub.shared)
                for sub in inner
                if sub.record
            )
        elif field.kind is Kind.OBJECTS:
            columns.append(Column(f"{field.attr}_count", Kind.INT))
        else:
            columns.append(Column(field.attr, field.kind, shared=field.shared))
    columns.extend((Column("url", Kind.STR), Column("path", Kind.STR)))
    return tuple(columns)


#: The columns of :meth:`newsfeed.Feed.to_records`, each with its kind.
RECORD_COLUMNS: Final = _record_columns()


def _check() -> None:
    """Make sure the schema and the model agree, at import: a mismatch is a bug here."""
    for schema in SCHEMAS.values():
        names = [a.name for a in attrs.fields(schema.cls) if a.name not in NOT_IN_FRONT_MATTER]
        described = [field.attr for field in schema.fields]
        if names != described:  # pragma: no cover -- only while editing the model
            raise AssertionError(f"{schema.cls.__name__}: model {names} != schema {described}")


_check()

# The model's construction checks are derived from the schema above, which must
# be complete first; importing them here puts them in place wherever the model is used.
from newsfeed._format import construction  # noqa: E402, F401 -- installs them; needs this module
