r"""How an article is stored in the index: JSON text, never pickle.

The functions here are the only place that knows the encoding of articles
and layouts (:mod:`newsfeed._index.outcomes` has those of failures and
warnings), so it can change in one place. An article is stored in three
parts, each in its own column, so that loading does as little as it can:

- its front matter, as a JSON array per mapping, **positional**: the values
  of the class's fields in the order of :mod:`newsfeed._format.schema`, an
  absent field (``None``, or an empty list) as ``null`` and trailing absent
  ones left out. A timestamp is its ISO text (with its offset), a mapping
  its own array, a list of mappings a list of arrays. When the mapping has
  unknown keys, the array is padded to the class's field count and one JSON
  object of them follows. The class of each array is known from where it is,
  so nothing is spelled out twice and decoding reads each value once;
- its body, as text, never escaped into JSON;
- its file's layout, as the JSON of
  :func:`~newsfeed._format.layout.layout_to_data`. Layouts are shared by most
  files of a folder: the index stores each distinct one once, and
  :func:`decode_layout` runs once per distinct layout of a load.

The path is not stored here: the index keeps it, relative to the folder, in
its own column.

Unknown values that JSON cannot tell apart from text are tagged: a datetime
becomes ``{"\u0000datetime": "<ISO>"}``, a date ``{"\u0000date": "<ISO>"}``,
and a mapping (inside an unknown value) that happens to have a key starting
with NUL is wrapped as ``{"\u0000mapping": {...}}``, so no value read back is
mistaken for a tag. Only unknown values are tagged and untagged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, NamedTuple

import attrs

from newsfeed._format import schema
from newsfeed._format.layout import Layout, intern_layout, layout_to_data
from newsfeed._format.schema import Field, Kind, Schema
from newsfeed._model import Article

__all__ = [
    "Encoded",
    "EncodedLayout",
    "LayoutDecoder",
    "decode",
    "encode",
    "encode_layout",
]

_DATETIME: Final = "\x00datetime"
_DATE: Final = "\x00date"
_MAPPING: Final = "\x00mapping"
_TAGS: Final = frozenset({_DATETIME, _DATE, _MAPPING})


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


class Encoded(NamedTuple):
    """An article as the index stores it: :func:`encode`'s result."""

    #: The front matter, positional JSON.
    front: str
    body: str
    #: The layout (:func:`encode_layout`), or None for none.
    layout: EncodedLayout | None


_Arguments = Callable[[list[Any]], dict[str, Any]]


def _encode_each(encode_item: Callable[[object], list[object]]) -> Callable[[Any], object]:
    def encode_items(items: tuple[object, ...]) -> list[list[object]]:
        return [encode_item(item) for item in items]

    return encode_items


#: How many values a shared builder keeps before it starts afresh.
_MAX_SHARED: Final = 4096


def _build_one(cls: type, arguments: _Arguments) -> Callable[[Any], object]:
    def build(record: list[Any]) -> object:
        return cls(**arguments(record))

    return build


def _build_shared(cls: type, arguments: _Arguments) -> Callable[[Any], object]:
    """Build *cls* (whose fields are strings, or lists) sharing one value for equal records.

    A provider repeats across a feed (and within an article, in its related
    items); frozen values can be shared as the reader shares its strings. A
    record is a key when it is all strings and nulls (hashable); with a list
    or unknown keys in it, it is built anew. Strings only: as keys, ``1`` and
    ``True`` would be taken for one another.
    """
    built: dict[tuple[str | None, ...], object] = {}

    def build(record: list[Any]) -> object:
        try:
            key = tuple(record)
            shared = built.get(key)
        except TypeError:  # a list or a mapping in it: not shared
            return cls(**arguments(record))
        if shared is None:
            if len(built) >= _MAX_SHARED:
                built.clear()
            shared = built[key] = cls(**arguments(record))
        return shared

    return build


def _build_each(cls: type, arguments: _Arguments) -> Callable[[Any], object]:
    def build(records: list[list[Any]]) -> tuple[object, ...]:
        return tuple([cls(**arguments(record)) for record in records])

    return build


def _encoder(kind: Schema) -> Callable[[object], list[object]]:
    """Return the function writing an instance of *kind*'s class as its positional array."""
    values_of = kind.values_of
    count = len(kind.fields)
    conversions: list[Callable[[Any], object] | None] = []
    for field in kind.fields:
        if field.kind is Kind.TIMESTAMP:
            conversions.append(datetime.isoformat)
        elif field.kind is Kind.OBJECT:
            conversions.append(_ENCODERS_BY_CLASS[field.item])  # type: ignore[index]
        elif field.kind is Kind.OBJECTS:
            conversions.append(_encode_each(_ENCODERS_BY_CLASS[field.item]))  # type: ignore[index]
        elif field.kind is Kind.STRS:
            conversions.append(list)
        else:
            conversions.append(None)

    def encode_one(value: object) -> list[object]:
        record: list[object] = []
        last = 0
        for conversion, item in zip(conversions, values_of(value), strict=True):
            # None and an empty list are what an absent field holds.
            if item is None or item == ():
                record.append(None)
                continue
            record.append(item if conversion is None else conversion(item))
            last = len(record)
        extra = value.extra  # type: ignore[attr-defined]
        if extra:
            record.append(_tag(dict(extra)))
            return record
        del record[last:]
        return record

    assert count == len(conversions)  # noqa: S101 -- one conversion per field, by construction
    return encode_one


def _conversion(field: Field) -> Callable[[Any], object] | None:
    """Return what turns *field*'s stored value back into the model's, or None for as is."""
    if field.kind is Kind.TIMESTAMP:
        return datetime.fromisoformat
    if field.kind is Kind.OBJECT:
        item = schema.SCHEMAS[field.item]  # type: ignore[index]
        plain = all(inner.kind in (Kind.STR, Kind.OBJECTS) for inner in item.fields)
        builder = _build_shared if plain else _build_one
        return builder(item.cls, _DECODERS_BY_CLASS[item.cls])
    if field.kind is Kind.OBJECTS:
        return _build_each(field.item, _DECODERS_BY_CLASS[field.item])  # type: ignore[arg-type,index]
    if field.kind is Kind.STRS:
        return tuple
    return None


def _decoder(kind: Schema) -> Callable[[list[Any]], dict[str, Any]]:
    """Return the function turning *kind*'s positional array into its constructor arguments.

    A stored null is an absent field. Every field without a conversion
    defaults to None (or is required, and never null in a valid record), so
    its null is passed on as is: the arguments are made by ``zip`` in one
    go, and only the few fields with a conversion are visited one by one.
    """
    names = tuple(field.attr for field in kind.fields)
    count = len(names)
    conversions = tuple(
        (field.attr, conversion)
        for field in kind.fields
        if (conversion := _conversion(field)) is not None
    )
    defaults = {attribute.name: attribute.default for attribute in attrs.fields(kind.cls)}
    converted = {name for name, _ in conversions}
    # What makes passing a null on as is right, by construction of the model.
    assert all(  # noqa: S101
        defaults[name] is None or defaults[name] is attrs.NOTHING
        for name in names
        if name not in converted
    )

    def arguments(record: list[Any]) -> dict[str, Any]:
        # zip stops at the shorter: trailing absent fields were left out, and
        # the unknown keys (if any) follow the last field.
        known = dict(zip(names, record, strict=False))
        for name, conversion in conversions:
            # Absent (null, or left out): the class's default, such as ().
            value = known.pop(name, None)
            if value is not None:
                known[name] = conversion(value)
        if len(record) > count:
            known["extra"] = _untag(record[count])
        return known

    return arguments


#: Filled leaves first (the order of SCHEMAS), so a class's inner classes are there already.
_ENCODERS_BY_CLASS: Final[dict[type, Callable[[object], list[object]]]] = {}
_DECODERS_BY_CLASS: Final[dict[type, Callable[[list[Any]], dict[str, Any]]]] = {}
for _kind in schema.SCHEMAS.values():
    _ENCODERS_BY_CLASS[_kind.cls] = _encoder(_kind)
    _DECODERS_BY_CLASS[_kind.cls] = _decoder(_kind)
_encode_front: Final = _ENCODERS_BY_CLASS[Article]
_front_arguments: Final = _DECODERS_BY_CLASS[Article]


def encode(article: Article) -> Encoded:
    """Return *article* (all but its path) in the index's form, which :func:`decode` reads back.

    The file's layout goes with it, so that an article read back from the
    index is written back as its file was.
    """
    layout = article._layout  # noqa: SLF001 -- the package's own private field
    return Encoded(
        json.dumps(_encode_front(article), ensure_ascii=False),
        article.body,
        None if layout is None else encode_layout(layout),
    )


class EncodedLayout(NamedTuple):
    """A layout as the index stores it: its own text, and the parts of its shape."""

    #: The layout's JSON; its ``shape`` is the key of the shape's root node.
    text: str
    #: ``(key, JSON)`` of each distinct part of the shape, children first.
    nodes: tuple[tuple[str, str], ...]


def _node_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _shape_nodes(shape: tuple[Any, ...]) -> tuple[str, list[tuple[str, str]]]:
    """Return the key of *shape*'s root node, and its nodes (key, JSON), children first.

    A shape is a tree of tuples that repeats its parts (every related
    article of a file has the same shape) and shares most of them with the
    other files of a folder. Each distinct part is one node: the JSON list of
    its items, in which a part is ``[key]`` (a shape holds no lists of its
    own, so a list is always such a reference), under the hash of that
    text. So the node of a part says everything below it: equal keys are
    equal parts, stored once for the whole index, decoded once per load.
    Parts are walked by identity, and told apart by their JSON text, which
    does not take ``0`` and ``False`` for the same as tuple equality would.
    """
    nodes: list[tuple[str, str]] = []
    keys: dict[int, str] = {}

    def visit(node: tuple[Any, ...]) -> str:
        key = keys.get(id(node))
        if key is None:
            items = [[visit(item)] if isinstance(item, tuple) else item for item in node]
            text = json.dumps(items, ensure_ascii=False)
            key = keys[id(node)] = _node_key(text)
            nodes.append((key, text))
        return key

    return visit(shape), nodes


def encode_layout(layout: Layout) -> EncodedLayout:
    """Return *layout* as JSON text whose shape is a node key, and the shape's nodes."""
    data = layout_to_data(layout)
    nodes: list[tuple[str, str]] = []
    if layout.shape is not None:
        data["shape"], nodes = _shape_nodes(layout.shape)
    return EncodedLayout(json.dumps(data, ensure_ascii=False), tuple(nodes))


class LayoutDecoder:
    """Rebuilds layouts from their text and the index's shape nodes, each node once.

    *node_text* gives a node's JSON by its key (:func:`encode_layout`'s
    nodes), such as a dict's ``__getitem__``, or a query of the index; a node
    is asked for and decoded the first time a layout needs it, and shared
    after.
    """

    __slots__ = ("_built", "_node_text")

    def __init__(self, node_text: Callable[[str], str]) -> None:
        self._node_text = node_text
        self._built: dict[str, tuple[Any, ...]] = {}

    def _node(self, key: str) -> tuple[Any, ...]:
        built = self._built.get(key)
        if built is None:
            items = json.loads(self._node_text(key))
            built = tuple([self._node(item[0]) if type(item) is list else item for item in items])
            self._built[key] = built
        return built

    def layout(self, text: str) -> Layout:
        """Rebuild the (interned) layout whose text :func:`encode_layout` wrote."""
        data = json.loads(text)
        root = data["shape"]
        layout = Layout(
            # The layout as a whole is interned below (hashing its shape once).
            shape=None if root is None else self._node(root),
            newline=data["newline"],
            bom=data["bom"],
            fence_end=data["fence_end"],
            gap=data["gap"],
            step=data["step"],
            list_offset=data["list_offset"],
            overrides=tuple(
                (tuple(path), value, override) for path, value, override in data["overrides"]
            ),
            comments=data["comments"],
        )
        return layout if layout.overrides else intern_layout(layout)


def decode(front: str, body: str, layout: Layout | None, path: Path | None) -> Article:
    """Rebuild the article :func:`encode` wrote, with *layout* and *path*.

    The record is what :func:`encode` wrote for a valid article, so it is
    rebuilt directly, without :func:`newsfeed.from_dict`'s checks: those
    would cost most of the time of a cached load and cannot fail here. The
    round trip is tested against every article the test strategies build.
    """
    known = _front_arguments(json.loads(front))
    return Article(**known, body=body, path=path, _layout=layout)
