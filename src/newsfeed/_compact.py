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

Nothing outside this module can tell but a clock: the attribute, equality,
hashing, ``repr``, :func:`attrs.evolve` and the converter all read the
attribute, and pickles carry the marker by reference. Reading the attribute
builds the link again (about half a microsecond), so hashing or comparing an
article with ten related stories takes three to five times as long as with
stored links (20 to 30 µs). attrs sets fields in declaration order in
``__init__``, so ``amp_web_url`` is set before the link is checked against
it; a subclass that redefines ``amp_web_url`` sets it last, and its links are
then stored as given. Changing ``amp_web_url`` after construction
(``object.__setattr__``, in ``__attrs_post_init__``) first spells out a
derived link, which keeps the value it had.

**Pickling.** ``load_dir(..., workers=N)`` pickles every article in a worker
and unpickles it in the parent, where the time spent bounds how far more
workers can go. attrs pickles a slotted object as a dict of its attributes
and sets them back one by one through ``setattr``, which also derives every
AMP cache link again. :func:`pickle_slots_as_tuple` instead moves the raw
slot values, marker included, as a tuple, and sets them straight into the
slots: the parent's unpickling takes about 40% less time than attrs' way now
takes, 15% less than before links were derived, and pickles are a sixth
smaller. Such a pickle is for the same version of newsfeed, as between the
processes of one program; pickles in attrs' format, from before, still load.
"""

from __future__ import annotations

from types import MemberDescriptorType
from typing import Any, Final

import attrs

__all__ = [
    "DERIVED",
    "AmpCacheLink",
    "AmpLink",
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


#: Stands in the slot for "the link derived from amp_web_url". Only this
#: module and pickles see it: reading the attribute gives the link.
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


class _SlotAttribute:
    """An attribute that wraps the member descriptor of an attrs slot."""

    __slots__ = ("_slot",)

    def __init__(self, slot: MemberDescriptorType) -> None:
        self._slot = slot


class AmpCacheLink(_SlotAttribute):
    """The ``cdn_amp_web_url`` attribute: a slot that holds a marker when it can."""

    __slots__ = ("_amp_slot",)

    def __init__(self, slot: MemberDescriptorType, amp_slot: MemberDescriptorType) -> None:
        super().__init__(slot)
        self._amp_slot = amp_slot

    def __get__(self, instance: object, owner: type | None = None) -> object:
        if instance is None:
            return self
        value = self._slot.__get__(instance, owner)
        if value is DERIVED:
            # Straight from the slot the marker was set against: reading is
            # what hashing and comparing articles do most.
            return amp_cache_url(self._amp_slot.__get__(instance, owner))
        return value

    def __set__(self, instance: object, value: object) -> None:
        # An amp_web_url not set yet (a subclass that redefines it sets it
        # last) means nothing to derive from: the link is kept as given.
        if type(value) is str and value == amp_cache_url(getattr(instance, "amp_web_url", None)):
            value = DERIVED
        self._slot.__set__(instance, value)


class AmpLink(_SlotAttribute):
    """The ``amp_web_url`` attribute: it spells out a derived cache link before it changes.

    A frozen object's ``amp_web_url`` changes only through
    ``object.__setattr__``, as attrs suggests in ``__attrs_post_init__``; the
    cache link derived from the old value must not follow the new one.
    """

    __slots__ = ("_cache_slot",)

    def __init__(self, slot: MemberDescriptorType, cache_slot: MemberDescriptorType) -> None:
        super().__init__(slot)
        self._cache_slot = cache_slot

    def __get__(self, instance: object, owner: type | None = None) -> object:
        if instance is None:
            return self
        return self._slot.__get__(instance, owner)

    def __set__(self, instance: object, value: object) -> None:
        try:
            cache_link = self._cache_slot.__get__(instance)
        except AttributeError:  # in __init__, before the cache link is set
            cache_link = None
        if cache_link is DERIVED:
            derived = amp_cache_url(self._slot.__get__(instance))
            self._cache_slot.__set__(instance, derived)
        self._slot.__set__(instance, value)


def store_amp_cache_link_compactly(cls: type) -> None:
    """Make the ``cdn_amp_web_url`` slot of the attrs class *cls* keep derivable links compactly."""
    cache_slot = cls.__dict__["cdn_amp_web_url"]
    amp_slot = cls.__dict__["amp_web_url"]
    # Each replaces its slot's descriptor under the slot's own name.
    setattr(cls, cache_slot.__name__, AmpCacheLink(cache_slot, amp_slot))
    setattr(cls, amp_slot.__name__, AmpLink(amp_slot, cache_slot))


def pickle_slots_as_tuple(cls: type) -> None:
    """Make the attrs class *cls* pickle its raw slot values as a tuple.

    The state is in field order and sets the slots directly, bypassing the
    frozen ``__setattr__`` as attrs' own ``__setstate__`` does, and the
    attributes above as well, since the marker needs no check. A dict state,
    which attrs' own ``__getstate__`` wrote (pickles made before this), is
    set field by field through the attributes. Any other state, such as one
    from a version with other fields, is refused rather than half applied.
    """
    fields = attrs.fields(cls)
    names = {field.name for field in fields}
    slots: tuple[MemberDescriptorType, ...] = tuple(
        _raw_slot(cls.__dict__[field.name]) for field in fields
    )

    def __getstate__(self: object) -> tuple[Any, ...]:  # noqa: N807 -- the pickle protocol's name
        return tuple([slot.__get__(self, cls) for slot in slots])

    def __setstate__(self: object, state: tuple[Any, ...] | dict[str, Any]) -> None:  # noqa: N807
        if type(state) is tuple and len(state) == len(slots):
            for slot, value in zip(slots, state, strict=True):
                slot.__set__(self, value)
        elif type(state) is dict and state.keys() == names:
            for field in fields:
                object.__setattr__(self, field.name, state[field.name])
        else:
            count = len(state) if type(state) in (tuple, dict) else type(state).__name__
            raise TypeError(
                f"cannot unpickle {cls.__name__}: expected a state of {len(slots)} values,"
                f" got {count} (pickled by another version of newsfeed?)"
            )

    # They replace the ones attrs wrote, after the class exists: the slots
    # they use exist only then.
    for name, method in (("__getstate__", __getstate__), ("__setstate__", __setstate__)):
        setattr(cls, name, method)


def _raw_slot(attribute: MemberDescriptorType | _SlotAttribute) -> MemberDescriptorType:
    return attribute._slot if isinstance(attribute, _SlotAttribute) else attribute  # noqa: SLF001 -- same module
