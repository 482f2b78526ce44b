"""The typed value classes an article file is read into.

The classes know nothing of YAML or of the file's camelCase key names:
:mod:`newsfeed._format.schema` owns that mapping. They are frozen and slotted;
change one with :func:`attrs.evolve`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, NoReturn

import attrs

from newsfeed import _display
from newsfeed._format.layout import Layout

__all__ = ["Article", "FrozenDict", "Image", "Provider", "RelatedArticle"]


#: Values that are written and read back as themselves.
_PLAIN_TYPES: Final = frozenset((str, int, float, bool, type(None), datetime, date))


def _as_yaml_data(value: object) -> object:
    """Return *value* as what reading its YAML gives back: tuples become lists.

    A tuple is written as a YAML list, which reads back as a list; a tuple
    and a list never compare equal, so keeping the tuple would make an
    article that does not equal itself once written and read.
    """
    if isinstance(value, Mapping):
        return {key: _as_yaml_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_yaml_data(item) for item in value]
    return value


class FrozenDict(dict[str, Any]):
    """A dict that refuses changes: the home of the keys the model does not know.

    It is a real :class:`dict` (so it compares equal to one, serializes to
    JSON and pickles), but a frozen article should not change under its
    owner's feet. Build a new one and use :func:`attrs.evolve` instead.
    """

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 -- dict's own signature
        super().__init__(*args, **kwargs)
        if not all(type(value) in _PLAIN_TYPES for value in self.values()):
            # Normalized once, here, so that every way of building one is covered.
            dict.update(self, {key: _as_yaml_data(value) for key, value in self.items()})

    def _refuse(self, *_args: object, **_kwargs: object) -> NoReturn:
        raise TypeError("FrozenDict cannot be changed; build a new one and use attrs.evolve")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self) -> tuple[type[FrozenDict], tuple[dict[str, Any]]]:
        # The default reduction of a dict subclass re-inserts items one by one
        # through __setitem__, which this class refuses.
        return (FrozenDict, (dict(self),))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"


#: Shared by every object without unknown keys: it cannot change, so sharing
#: it is safe, and it saves a dict per object.
EMPTY: FrozenDict = FrozenDict()


def freeze(mapping: Mapping[str, Any]) -> FrozenDict:
    """Return *mapping* as a :class:`FrozenDict`, reusing it if it is one.

    An empty mapping becomes the shared :data:`EMPTY`. Values the format
    cannot hold at all (a set, an object) are kept; writing refuses them.
    """
    if type(mapping) is FrozenDict:
        return mapping
    return FrozenDict(mapping) if mapping else EMPTY


def _tuple(items: Iterable[Any]) -> tuple[Any, ...]:
    if type(items) is tuple:
        return items
    if isinstance(items, str | bytes | Mapping):
        # Iterable, but surely not the list meant (topics="AI" is not ("A", "I")):
        # kept as given, for the construction check to refuse by name.
        return items  # type: ignore[return-value]
    return tuple(items)


#: True while newsfeed's readers build objects: they check every value as
#: they read it (and name the line), so the construction check is skipped
#: rather than done twice. Per thread and per task, so that code building
#: objects elsewhere meanwhile is still checked.
READING: Final[ContextVar[bool]] = ContextVar("newsfeed_reading", default=False)
#: Each class's construction check, derived from the format's schema and
#: installed by :mod:`newsfeed._format.construction` when newsfeed is imported.
CHECKS: Final[dict[type, Callable[[Any], None]]] = {}


def _check_construction(instance: object) -> None:
    """Refuse a value of the wrong type, a naive datetime or a missing required value."""
    if not READING.get():
        CHECKS[type(instance)](instance)


def _extra() -> Any:  # noqa: ANN401 -- attrs.field's own return type
    #: Keys of the mapping the model does not know, in file order.
    return attrs.field(default=EMPTY, converter=freeze, hash=False, kw_only=True)


@attrs.frozen
class Image:
    """An image: of a related article, of a provider, or of the article itself."""

    url: str
    width: int | None = None
    height: int | None = None
    #: The image's caption, as some files give it.
    title: str | None = attrs.field(default=None, kw_only=True)
    is_cached: bool | None = None
    extra: Mapping[str, Any] = _extra()

    __attrs_post_init__ = _check_construction


@attrs.frozen
class Provider:
    """The outlet that published an article."""

    name: str | None = None
    domain: str | None = None
    #: The outlet's logos.
    images: tuple[Image, ...] = attrs.field(default=(), converter=_tuple, kw_only=True)
    extra: Mapping[str, Any] = _extra()

    __attrs_post_init__ = _check_construction


@attrs.frozen(kw_only=True, repr=False)
class RelatedArticle:
    """The same story, as covered by another outlet.

    Attributes come in the canonical order of the file's keys; ``title``,
    ``published_at`` and ``web_url`` are required.
    """

    title: str
    excerpt: str | None = None
    published_at: datetime
    web_url: str
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    type: str | None = None
    provider: Provider | None = None
    quality: int | None = None
    images: tuple[Image, ...] = attrs.field(default=(), converter=_tuple)
    extra: Mapping[str, Any] = _extra()

    __attrs_post_init__ = _check_construction

    def __repr__(self) -> str:
        return _display.related_repr(self)


@attrs.frozen(kw_only=True, repr=False)
class Article:
    """One news article: its front matter, its Markdown body and where it came from.

    ``published_at`` (and ``updated_at``) are timezone-aware and keep the
    offset the file wrote. Attributes come in the canonical order of the
    file's keys. A file needs ``title``, ``published_at`` and at least one of
    ``web_url`` and ``original_url`` (videos often have only the latter);
    :attr:`url` gives whichever link there is.

    ``path`` is the file the article was read from (None when built in code
    or read from a string); it takes no part in equality. Neither does the
    layout of the file it was read from, which :func:`newsfeed.dumps` uses to
    write the article back as it was (it survives :func:`attrs.evolve` and
    pickling, and is not shown in ``repr``).
    """

    category: str | None = None
    title: str
    excerpt: str | None = None
    published_at: datetime
    #: When the page was last updated (``updatedDateTime``), for pages that change.
    updated_at: datetime | None = None
    #: The link the pipeline found the story under (``originalUrl``).
    original_url: str | None = None
    web_url: str | None = None
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    type: str | None = None
    quality: int | None = None
    heat: int | None = None
    published: bool | None = None
    #: HTML to show instead of a link, such as a video's player (``featuredContent``).
    featured_content: str | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    #: The article's own images (top-level ``images``).
    images: tuple[Image, ...] = attrs.field(default=(), converter=_tuple)
    related: tuple[RelatedArticle, ...] = attrs.field(default=(), converter=_tuple)
    secured: str | None = None
    extra: Mapping[str, Any] = attrs.field(default=EMPTY, converter=freeze, hash=False)
    body: str = ""
    path: Path | None = attrs.field(default=None, eq=False, repr=False)
    _layout: Layout | None = attrs.field(default=None, eq=False, repr=False, alias="_layout")

    __attrs_post_init__ = _check_construction

    @property
    def url(self) -> str | None:
        """The article's link: ``web_url``, or ``original_url`` when it has none."""
        return self.web_url if self.web_url is not None else self.original_url

    def __repr__(self) -> str:
        return _display.article_repr(self)

    def _repr_html_(self) -> str:
        return _display.article_html(self)

    def _repr_pretty_(self, printer: _display.PrettyPrinter, cycle: bool) -> None:
        _display.article_pretty(self, printer, cycle)
