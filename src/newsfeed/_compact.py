"""Keeping a large feed small in memory and quick to move between processes.

**AMP cache links.** A ``cdnAmpWebUrl`` is, in every file seen so far, the
address under which Google's AMP cache serves the ``ampWebUrl`` next to it:
the AMP host with ``-`` doubled and ``.`` turned into ``-``, then
``.cdn.ampproject.org/c/s/`` and the AMP address without its scheme. Kept as
its own string, it is the largest field of a loaded article after the
excerpts, and it is redundant.

So :class:`~newsfeed.Article` and :class:`~newsfeed.RelatedArticle` keep, in
that slot, a shared marker instead of the string when the string is exactly
the one :func:`amp_cache_url` derives from ``amp_web_url``, and derive it
again when it is read. Any other value (another cache, a hand-edited link, a
str subclass) is stored as given, so nothing is ever lost or changed: the
check is equality with the derived string, not a guess.

Nothing outside this module can tell: the attribute, equality, hashing,
``repr``, pickling, :func:`attrs.evolve` and the converter all read the
attribute. This relies on attrs setting fields in declaration order in
``__init__``, so that ``amp_web_url`` is set before ``cdn_amp_web_url``; a
test holds the model to that order.

**Pickling.** ``load_dir(..., workers=N)`` pickles every article in a worker
and unpickles it in the parent, where the time spent bounds how far more
workers can go. attrs pickles a slotted object as a dict of its attributes
and sets them back one by one through ``setattr``, which also derives every
AMP cache link again. :func:`pickle_slots_as_tuple` instead moves the raw
slot values, marker included, as a tuple, and sets them straight into the
slots: the parent's unpickling takes about 40% less time and the pickles
are a sixth smaller.
"""

from __future__ import annotations

from types import MemberDescriptorType
from typing import Any, Final

import attrs

__all__ = [
    "AmpCacheLink",
    "amp_cache_url",
    "pickle_slots_as_tuple",
    "store_amp_cache_link_compactly",
]

_CACHE_HOST: Final = ".cdn.ampproject.org/"
_CACHE_PATHS: Final = {"https": "c/s/", "http": "c/"}


class _Derived:
    """The type of the marker that stands in a slot for the derived link."""

    __slots__ = ()

    def __reduce__(self) -> str:
        # Pickled by reference, so that an unpickled article shares the marker.
        return "DERIVED"

    def __repr__(self) -> str:
        return "<derived from amp_web_url>"


#: Stands in the slot for "the link derived from amp_web_url"; never handed out.
DERIVED: Final = _Derived()


def amp_cache_url(amp_web_url: object) -> str | None:
    """Return the AMP cache address of *amp_web_url*, or None when it has none.

    Only an absolute ``http``/``https`` address with a host has one. The
    function need not follow every rule of the real cache (lower-casing,
    punycode): a link is stored compactly only when it equals what this
    returns, so a link formed any other way is simply kept as it is.
    """
    if type(amp_web_url) is not str:
        return None
    scheme, separator, rest = amp_web_url.partition("://")
    cache_path = _CACHE_PATHS.get(scheme) if separator else None
    host = rest.partition("/")[0]
    if cache_path is None or not host:
        return None
    subdomain = host.replace("-", "--").replace(".", "-")
    return f"https://{subdomain}{_CACHE_HOST}{cache_path}{rest}"


class AmpCacheLink:
    """The ``cdn_amp_web_url`` attribute: a slot that holds a marker when it can."""

    __slots__ = ("_slot",)

    def __init__(self, slot: MemberDescriptorType) -> None:
        self._slot = slot

    def __get__(self, instance: object, owner: type | None = None) -> object:
        if instance is None:
            return self
        value = self._slot.__get__(instance, owner)
        if value is DERIVED:
            return amp_cache_url(instance.amp_web_url)  # type: ignore[attr-defined]
        return value

    def __set__(self, instance: object, value: object) -> None:
        if type(value) is str and value == amp_cache_url(instance.amp_web_url):  # type: ignore[attr-defined]
            value = DERIVED
        self._slot.__set__(instance, value)


def store_amp_cache_link_compactly(cls: type) -> None:
    """Make the ``cdn_amp_web_url`` slot of the attrs class *cls* keep derivable links compactly."""
    slot = cls.__dict__["cdn_amp_web_url"]
    # The name is the slot's, so the descriptor must replace it under that name.
    setattr(cls, slot.__name__, AmpCacheLink(slot))


def pickle_slots_as_tuple(cls: type) -> None:
    """Make the attrs class *cls* pickle its raw slot values as a tuple.

    The state is in field order and sets the slots directly, bypassing the
    frozen ``__setattr__`` as attrs' own ``__setstate__`` does, and
    :class:`AmpCacheLink` as well, since the marker needs no check.
    """
    slots: tuple[MemberDescriptorType, ...] = tuple(
        _raw_slot(cls.__dict__[field.name]) for field in attrs.fields(cls)
    )

    def __getstate__(self: object) -> tuple[Any, ...]:  # noqa: N807 -- the pickle protocol's name
        return tuple([slot.__get__(self, cls) for slot in slots])

    def __setstate__(self: object, state: tuple[Any, ...]) -> None:  # noqa: N807
        for slot, value in zip(slots, state, strict=True):
            slot.__set__(self, value)

    # They replace the ones attrs wrote, after the class exists: the slots
    # they use exist only then.
    for name, method in (("__getstate__", __getstate__), ("__setstate__", __setstate__)):
        setattr(cls, name, method)


def _raw_slot(attribute: MemberDescriptorType | AmpCacheLink) -> MemberDescriptorType:
    return attribute._slot if isinstance(attribute, AmpCacheLink) else attribute  # noqa: SLF001 -- same module
