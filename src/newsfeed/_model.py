"""The typed value classes an article file is read into.

The classes know nothing of YAML or of the file's camelCase key names:
:mod:`newsfeed._format.convert` owns that mapping. They are frozen and slotted;
change one with :func:`attrs.evolve`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import attrs

from newsfeed import _display
from newsfeed._compact import pickle_slots_as_tuple, store_amp_cache_link_compactly

__all__ = ["Article", "FrozenDict", "Image", "Provider", "RelatedArticle"]


class FrozenDict(dict[str, Any]):
    """A dict that refuses changes: the home of the keys the model does not know.

    It is a real :class:`dict` (so it compares equal to one, serializes to
    JSON and pickles), but a frozen article should not change under its
    owner's feet. Build a new one and use :func:`attrs.evolve` instead.
    """

    __slots__ = ()

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
    """Return *mapping* as a :class:`FrozenDict`, reusing it if it is one."""
    if type(mapping) is FrozenDict:
        return mapping
    return FrozenDict(mapping) if mapping else EMPTY


def _tuple(items: Iterable[Any]) -> tuple[Any, ...]:
    return items if type(items) is tuple else tuple(items)


@attrs.frozen
class Provider:
    """The outlet that published an article."""

    name: str | None = None
    domain: str | None = None
    #: Keys of the ``provider`` mapping the model does not know, in file order.
    extra: Mapping[str, Any] = attrs.field(
        default=EMPTY, converter=freeze, hash=False, kw_only=True
    )


@attrs.frozen
class Image:
    """An image attached to a related article."""

    url: str
    width: int | None = None
    height: int | None = None
    is_cached: bool | None = None
    #: Keys of the image mapping the model does not know, in file order.
    extra: Mapping[str, Any] = attrs.field(
        default=EMPTY, converter=freeze, hash=False, kw_only=True
    )


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
    #: Keys of the item the model does not know, in file order.
    extra: Mapping[str, Any] = attrs.field(default=EMPTY, converter=freeze, hash=False)

    def __repr__(self) -> str:
        return _display.related_repr(self)


@attrs.frozen(kw_only=True, repr=False)
class Article:
    """One news article: its front matter, its Markdown body and where it came from.

    ``published_at`` is timezone-aware and keeps the offset the file wrote.
    Attributes come in the canonical order of the file's keys; ``title``,
    ``published_at`` and ``web_url`` are required. ``path`` is the file the
    article was read from (None when built in code
    or read from a string); it takes no part in equality.
    """

    category: str | None = None
    title: str
    excerpt: str | None = None
    published_at: datetime
    web_url: str
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    type: str | None = None
    quality: int | None = None
    heat: int | None = None
    published: bool | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    related: tuple[RelatedArticle, ...] = attrs.field(default=(), converter=_tuple)
    secured: str | None = None
    #: Top-level keys the model does not know, in file order.
    extra: Mapping[str, Any] = attrs.field(default=EMPTY, converter=freeze, hash=False)
    body: str = ""
    path: Path | None = attrs.field(default=None, eq=False, repr=False)

    def __repr__(self) -> str:
        return _display.article_repr(self)

    def _repr_html_(self) -> str:
        return _display.article_html(self)

    def _repr_pretty_(self, printer: _display.PrettyPrinter, cycle: bool) -> None:
        _display.article_pretty(self, printer, cycle)


# Smaller in memory and quicker to unpickle in bulk; see newsfeed._compact.
store_amp_cache_link_compactly(RelatedArticle)
store_amp_cache_link_compactly(Article)
pickle_slots_as_tuple(Provider)
pickle_slots_as_tuple(Image)
pickle_slots_as_tuple(RelatedArticle)
pickle_slots_as_tuple(Article)
