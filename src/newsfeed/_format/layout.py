"""The layout of a file as read: what :func:`newsfeed.dumps` needs to write it back byte for byte.

A file's layout is everything in its text that is not a value: the key order,
blank lines and comments, indentation, quoting styles, line ends, a BOM, and
how the closing fence is followed. The fast reader (:mod:`newsfeed._format.fast`)
captures it while it reads; the writer (:mod:`newsfeed._format.writing`)
follows it and falls back to the canonical rules for what it does not cover
(a new key, a new list item, a value that no longer fits its old style).

The structure is plain, immutable data (tuples and strings), so it hashes,
compares and pickles cheaply, and has a JSON-ready form
(:func:`layout_to_data` / :func:`layout_from_data`) for storing it elsewhere:

- a **mapping shape** is ``("map", step, entries, trailer)``: *step* is how far
  its keys are indented past its parent's key, *entries* one per key in file
  order, *trailer* the blank and comment lines after its last key (top level
  only);
- an **entry** is ``(key, before, separator, style, comment, sub)``: *before*
  the blank and comment lines just above the key, verbatim; *separator* the
  spaces between the colon and a one-line value; *style* :data:`PLAIN`,
  :data:`SINGLE` or :data:`DOUBLE` for a scalar, :data:`BLOCK` or :data:`FLOW`
  for a list or mapping; *comment* what follows the value on its line (``"  # why"``);
  *sub* the shape of a block or flow value;
- a **list shape** is ``("list", offset, same, items)``: *offset* is how far
  the dashes stand past the key (0 or more); *same* is the one item shape
  every item follows, or None, and then *items* holds one per item;
- an **item** is ``(before, style, comment, sub, raw)``: *style* a scalar
  style, :data:`MAP` (then *sub* is the item's mapping shape) or :data:`NULL`
  (an empty item; *raw* is its text after the indentation);
- a **flow shape** is ``("flow", same, styles)``: the style every item has,
  or None and one style per item.

Shapes are interned: every distinct shape exists once, however many
articles share it (a folder of files from one pipeline has a handful).
What may differ per file -- a scalar written with escapes the writer would
not use -- is kept in the :class:`Layout` of that one article, as overrides.
"""

from __future__ import annotations

from collections.abc import Hashable
from operator import is_
from typing import Any, Final, TypeVar

import attrs

__all__ = [
    "BLOCK",
    "COMMENTED_CANONICAL",
    "EMPTY_FLOW",
    "FLOW",
    "INTERNED",
    "MAP",
    "NULL",
    "Layout",
    "intern",
    "intern_layout",
    "layout_from_data",
    "layout_to_data",
    "merge_items",
    "quiet",
]

#: Styles of an entry or item, besides the scalar ones of
#: :mod:`newsfeed._format.scalars`.
BLOCK: Final = "block"
FLOW: Final = "flow"
MAP: Final = "map"
NULL: Final = "null"
#: The flow shape of a value written with no item: ``[]`` (or ``{}``). Typed
#: as any length: compiled with mypyc, a fixed-length tuple would be unboxed.
EMPTY_FLOW: Final[tuple[Any, ...]] = (FLOW, None, ())

_T = TypeVar("_T", bound=Hashable)

#: Shapes and layouts seen so far, each kept once. Bounded, so that a stream
#: of files with unique comments cannot grow it without end; past the bound,
#: shapes are simply not shared.
INTERNED: Final[dict[Hashable, Any]] = {}
_MAX_INTERNED: Final = 50_000


def _shared(value: _T) -> _T:
    shared = INTERNED.get(value)
    if shared is not None:
        return shared  # type: ignore[no-any-return]
    if len(INTERNED) < _MAX_INTERNED:
        INTERNED[value] = value
    return value


def intern(shape: tuple[Any, ...]) -> tuple[Any, ...]:
    """Return the one shared copy of *shape* (or of any part of one).

    Typed as a tuple of any length on purpose: compiled with mypyc, a tuple
    of known length is unboxed, and boxing it again makes a copy, not the
    shared object.
    """
    return _shared(shape)


def intern_layout(layout: Layout) -> Layout:
    """Return the one shared copy of *layout*."""
    return _shared(layout)


@attrs.frozen
class Layout:
    """How one file was written, for writing it back: an opaque value.

    Only :func:`newsfeed.loads` makes one, and only :func:`newsfeed.dumps`
    reads it. Articles read from files that share a layout share one object.
    """

    #: The shape of the top-level mapping; None for a file the fast reader
    #: did not read, which is written in the canonical layout.
    shape: tuple[Any, ...] | None
    #: The line end: ``"\\n"`` or ``"\\r\\n"``.
    newline: str = "\n"
    #: Whether the file starts with a byte-order mark.
    bom: bool = False
    #: What ends the closing fence's line: the line end, or nothing at the end of the file.
    fence_end: str = "\n"
    #: The empty line between the closing fence and the body, if there is one.
    gap: str = "\n"
    #: How far the file indents a nested block, and its list items past their key,
    #: for blocks written anew.
    step: int = 2
    list_offset: int = 2
    #: Scalars written in a way the writer would not choose (escapes of its
    #: own), as ``(key path, value, text)``: the text is written again while
    #: the value is unchanged.
    overrides: tuple[tuple[tuple[str | int, ...], object, str], ...] = ()
    #: Whether the file has comments, which the canonical layout cannot keep.
    comments: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        # Unpickled layouts are interned again, so that a feed loaded by
        # worker processes shares them as one loaded in-process does. The
        # shape goes as the tuples it is: pickle keeps the parts a chunk of
        # articles shares once, and hashing it again on arrival is C's work.
        return (
            _unpickle,
            (
                self.shape,
                self.newline,
                self.bom,
                self.fence_end,
                self.gap,
                self.step,
                self.list_offset,
                self.overrides,
                self.comments,
            ),
        )


def _unpickle(  # noqa: PLR0913, PLR0917 -- the layout's attributes, as pickled
    shape: tuple[Any, ...] | None,
    newline: str,
    bom: bool,
    fence_end: str,
    gap: str,
    step: int,
    list_offset: int,
    overrides: tuple[tuple[tuple[str | int, ...], object, str], ...],
    comments: bool,
) -> Layout:
    layout = Layout(
        shape=None if shape is None else intern(shape),
        newline=newline,
        bom=bom,
        fence_end=fence_end,
        gap=gap,
        step=step,
        list_offset=list_offset,
        overrides=overrides,
        comments=comments,
    )
    return layout if overrides else intern_layout(layout)


def quiet(item: tuple[Any, ...]) -> bool:
    """Whether a list item's shape has no blank line or comment anywhere in it.

    Only such a shape may stand for several items, or for items added later:
    a comment belongs to the one item it was written with.
    """
    before, _, comment, sub, _ = item
    return not before and not comment and (sub is None or _quiet_shape(sub))


def _quiet_shape(shape: tuple[Any, ...]) -> bool:
    kind = shape[0]
    if kind == MAP:
        return not shape[3] and all(
            not entry[1] and not entry[4] and (entry[5] is None or _quiet_shape(entry[5]))
            for entry in shape[2]
        )
    if kind == "list":
        return (shape[2] is None or quiet(shape[2])) and all(quiet(item) for item in shape[3])
    return True  # a flow list: one line, its comment is its key's


def merge_items(
    items: list[tuple[Any, ...]], *, declined: Exception
) -> tuple[tuple[Any, ...] | None, tuple[Any, ...]]:
    """Return (the one item shape all items follow, ()) or (None, one shape per item).

    *declined* is raised for an empty list, which a reader never gives.
    """
    if not items:
        raise declined
    # Items are interned first, so that a list laid out as one seen before is
    # recognised by the identities of its items, without merging it again.
    items = [intern(item) for item in items]
    key = tuple(map(id, items))
    cached = _MERGED.get(key)
    # The key holds as many ids as there are items: compared one to one.
    if cached is not None and all(map(is_, cached[0], items)):
        found: tuple[tuple[Any, ...] | None, tuple[Any, ...]] = cached[1]
        return found
    merged = _merge_items(items)
    if len(items) <= _MAX_MERGED_ITEMS and len(_MERGED) < _MAX_INTERNED:
        _MERGED[key] = (tuple(items), merged)
    return merged


#: Merges done, by the identities of the items (kept with them, so that an id
#: is never taken for a later object's).
_MERGED: Final[dict[tuple[int, ...], tuple[tuple[Any, ...], Any]]] = {}
#: Only short lists are remembered: they repeat (images, topics, a few
#: related stories), while longer lists of related stories hardly ever do,
#: and would hold memory for each file of a folder.
_MAX_MERGED_ITEMS: Final = 4


def _merge_items(items: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...] | None, tuple[Any, ...]]:
    first = items[0]
    # Null items stand for no value, so one shape cannot stand for them all:
    # their number would be lost.
    if all(item is first for item in items) and quiet(first) and first[1] != NULL:
        return first, ()
    if first[1] == MAP and all(item[1] == MAP and not item[0] for item in items):
        merged = _merge_mappings([item[3] for item in items])
        if merged is not None:
            return intern(((), MAP, "", merged, None)), ()
    return None, intern(tuple(items))


def _merge_mappings(shapes: list[tuple[Any, ...]]) -> tuple[Any, ...] | None:
    """Merge the key orders of list items into one that writes each of them back.

    Works when each item's keys come in one common order and each key is
    written alike (same entry) in every item; None otherwise.
    """
    order: list[tuple[Any, ...]] = []
    position: dict[str, int] = {}
    for shape in shapes:
        last = -1
        for entry in shape[2]:
            key = entry[0]
            if entry[1]:
                return None  # lines above a key: keep the items apart
            at = position.get(key)
            if at is None:
                at = last + 1
                if at == len(order):
                    order.append(entry)  # the usual case: a key after all those seen
                    position[key] = at
                else:
                    order.insert(at, entry)
                    position = {item[0]: index for index, item in enumerate(order)}
            elif order[at] != entry or at <= last:
                return None
            last = at
    return intern((MAP, 0, tuple(order), ()))


def layout_to_data(layout: Layout) -> dict[str, Any]:
    """Return *layout* as JSON-ready data (lists, strings, numbers), for storing it.

    :func:`layout_from_data` turns it back into an equal, interned layout.
    Override values are the article's own values (strings, in practice).
    """
    return {
        "shape": _to_lists(layout.shape),
        "newline": layout.newline,
        "bom": layout.bom,
        "fence_end": layout.fence_end,
        "gap": layout.gap,
        "step": layout.step,
        "list_offset": layout.list_offset,
        "overrides": [[list(path), value, text] for path, value, text in layout.overrides],
        "comments": layout.comments,
    }


def layout_from_data(data: dict[str, Any]) -> Layout:
    """Rebuild a :class:`Layout` from :func:`layout_to_data`'s form."""
    layout = Layout(
        shape=None if data["shape"] is None else _interned_shape(data["shape"]),
        newline=data["newline"],
        bom=data["bom"],
        fence_end=data["fence_end"],
        gap=data["gap"],
        step=data["step"],
        list_offset=data["list_offset"],
        overrides=tuple(
            (tuple(path), value, text) for path, value, text in data.get("overrides", ())
        ),
        comments=data.get("comments", False),
    )
    return layout if layout.overrides else intern_layout(layout)


def _to_lists(value: object) -> object:
    if isinstance(value, tuple):
        return [_to_lists(item) for item in value]
    return value


def _interned_shape(value: object) -> Any:  # noqa: ANN401 -- a shape, any of its kinds
    if isinstance(value, list):
        return intern(tuple(_interned_shape(item) for item in value))
    return value


#: The layout of an article whose file had comments but which the fast reader
#: did not read: written in the canonical layout, which would drop them.
COMMENTED_CANONICAL: Final = Layout(shape=None, comments=True)
