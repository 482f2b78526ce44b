"""A safe YAML loader for front matter, built on libyaml's event stream.

``yaml.safe_load`` is not safe enough for files from strangers: it keeps the
last of two duplicate keys (losing data), expands aliases and merge keys
(whose "bombs" cost exponential time or memory once walked), and libyaml's
composer recurses per nesting level until it crashes. So this module never
composes a node graph. It reads parser events and builds plain values itself,
with an explicit stack, refusing:

- any tag outside YAML's core scalar and collection types;
- anchors, aliases and merge keys (the format has no use for them);
- duplicate keys, and keys that are not strings;
- nesting deeper than :data:`MAX_DEPTH`;
- more than one document.

Scalars are resolved and constructed exactly as PyYAML's SafeLoader does.
"""

from __future__ import annotations

import os
from typing import Any, Final

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from newsfeed._errors import ParseError
from newsfeed._format.convert import format_field_path

__all__ = ["MAX_DEPTH", "KeyPath", "load_mapping"]

#: How deep mappings and sequences may nest. The format needs five levels
#: (article, related, item, images, image); unknown keys get plenty more.
MAX_DEPTH: Final = 64

_Loader: Final[type[yaml.SafeLoader]] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS: Final = frozenset(
    _TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAGS: Final = frozenset({None, "!", _TAG + "map"})
_SEQ_TAGS: Final = frozenset({None, "!", _TAG + "seq"})
_MERGE_TAG: Final = _TAG + "merge"
_VALUE_TAG: Final = _TAG + "value"

KeyPath = tuple[str | int, ...]


class _Collection:
    """A mapping or sequence under construction."""

    __slots__ = ("key", "key_line", "value")

    def __init__(self, value: dict[str, Any] | list[Any]) -> None:
        self.value = value
        # For a mapping: the key read but not yet given a value.
        self.key: str | None = None
        self.key_line = 0


def _line(event: Event, first_line: int) -> int:
    return event.start_mark.line + first_line  # type: ignore[union-attr]


def load_mapping(
    text: str,
    *,
    first_line: int = 1,
    lines: dict[KeyPath, int] | None = None,
    source: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Parse *text* as one YAML mapping of safe, plain values.

    *first_line* is the file line *text* starts on, so errors point into the
    whole file, and *source* names it in errors. When *lines* is given, the
    line of every key and sequence item is recorded in it by key path (used
    to place validation errors).
    Raises :class:`ParseError` for anything this module refuses.
    """
    try:
        # libyaml encodes the whole text up front, so this is where a lone
        # surrogate (only text built in code can hold one) is found.
        loader = _Loader(text)
    except UnicodeEncodeError as error:
        at = text.count("\n", 0, error.start) + first_line
        raise ParseError(
            "text is not valid Unicode (lone surrogate)", source=source, line=at
        ) from None
    try:
        return _build(loader, first_line, lines, source)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = None if mark is None else mark.line + first_line
        problem = error.problem or error.context or "invalid YAML"
        raise ParseError(f"invalid YAML: {problem}", source=source, line=line) from None
    except yaml.YAMLError as error:
        position = getattr(error, "position", None)
        line = None if position is None else text.count("\n", 0, position) + first_line
        raise ParseError(f"invalid YAML: {error}", source=source, line=line) from None
    finally:
        loader.dispose()


def _build(
    loader: yaml.SafeLoader,
    first_line: int,
    lines: dict[KeyPath, int] | None,
    source: str | os.PathLike[str] | None,
) -> dict[str, Any]:
    stack: list[_Collection] = []
    path: list[str | int] = []
    try:
        return _read(loader, first_line, lines, stack, path)
    except ParseError as error:
        # The refusal, told once with all its context: the file, and where in
        # the data the refused thing stands, in the file's key names.
        field = error.field or format_field_path(_where(stack, path)) or None
        raise ParseError(error.reason, source=source, field=field, line=error.line) from None


def _read(  # noqa: C901, PLR0912, PLR0915 -- one event loop reads best as one function
    loader: yaml.SafeLoader,
    first_line: int,
    lines: dict[KeyPath, int] | None,
    stack: list[_Collection],
    path: list[str | int],
) -> dict[str, Any]:
    """Build the mapping from the events, keeping *stack* and *path* current for errors."""
    result: Any = None
    documents = 0
    while True:
        event = loader.get_event()  # type: ignore[no-untyped-call]
        if isinstance(event, ScalarEvent | CollectionStartEvent):
            if event.anchor is not None:
                raise ParseError(
                    f"anchors are not allowed (&{event.anchor})", line=_line(event, first_line)
                )
            if stack and isinstance(stack[-1].value, dict) and stack[-1].key is None:
                _take_key(loader, event, stack[-1], first_line)
                if lines is not None:
                    lines[(*path, stack[-1].key)] = stack[-1].key_line  # type: ignore[arg-type]
                continue
            if stack:
                parent = stack[-1]
                slot: str | int = parent.key if parent.key is not None else len(parent.value)
                if lines is not None and isinstance(parent.value, list):
                    lines[(*path, slot)] = _line(event, first_line)
            if isinstance(event, ScalarEvent):
                value = _scalar(loader, event, first_line)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise ParseError(
                        f"nesting is deeper than {MAX_DEPTH} levels",
                        line=_line(event, first_line),
                    )
                value = _start_collection(event, first_line)
                if stack:
                    path.append(slot)
                stack.append(_Collection(value))
                continue
            if not stack:
                result = value
            else:
                _store(stack[-1], value)
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            finished = stack.pop()
            if not stack:
                result = finished.value
            else:
                path.pop()
                _store(stack[-1], finished.value)
        elif isinstance(event, AliasEvent):
            raise ParseError(
                f"aliases are not allowed (*{event.anchor})", line=_line(event, first_line)
            )
        elif isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise ParseError(
                    "front matter holds more than one YAML document",
                    line=_line(event, first_line),
                )
        elif isinstance(event, StreamEndEvent):
            break
    if documents == 0:
        raise ParseError("front matter is empty; expected a mapping", line=first_line)
    if not isinstance(result, dict):
        kind = "null" if result is None else type(result).__name__
        raise ParseError(f"front matter must be a mapping, not {kind}", line=first_line)
    return result


def _where(stack: list[_Collection], path: list[str | int]) -> KeyPath:
    """Return the key path of the value being read: a key's, an item's, or a mapping's."""
    if not stack:
        return ()
    parent = stack[-1]
    if isinstance(parent.value, list):
        return (*path, len(parent.value))
    if parent.key is not None:
        return (*path, parent.key)
    # A key itself is refused: name the mapping it is in.
    return tuple(path)


def _start_collection(event: Event, first_line: int) -> dict[str, Any] | list[Any]:
    tag = event.tag  # type: ignore[attr-defined]
    if isinstance(event, MappingStartEvent):
        if tag not in _MAP_TAGS:
            raise ParseError(f"tag {tag} is not allowed", line=_line(event, first_line))
        return {}
    if tag not in _SEQ_TAGS:
        raise ParseError(f"tag {tag} is not allowed", line=_line(event, first_line))
    return []


def _take_key(loader: yaml.SafeLoader, event: Event, mapping: _Collection, first_line: int) -> None:
    line = _line(event, first_line)
    if not isinstance(event, ScalarEvent):
        raise ParseError("mapping keys must be strings, not collections", line=line)
    resolved = loader.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if event.implicit[0] and resolved == _MERGE_TAG:
        raise ParseError("merge keys (<<) are not allowed", line=line)
    key = _scalar(loader, event, first_line)
    if not isinstance(key, str):
        raise ParseError(f"mapping keys must be strings, not {key!r}", line=line)
    # Taken before the check, so that a duplicate's error names its own path.
    mapping.key = key
    mapping.key_line = line
    if key in mapping.value:
        raise ParseError(f"duplicate key {key!r}", line=line)


def _store(parent: _Collection, value: object) -> None:
    if isinstance(parent.value, list):
        parent.value.append(value)
    else:
        parent.value[parent.key] = value  # type: ignore[index]
        parent.key = None


def _scalar(loader: yaml.SafeLoader, event: ScalarEvent, first_line: int) -> object:
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag == _VALUE_TAG:
        # "=" resolves to YAML's obsolete value type; it is plain text here.
        return event.value
    if tag not in _SCALAR_TAGS:
        raise ParseError(f"tag {tag} is not allowed", line=_line(event, first_line))
    # The C parser's marks are not the pure-Python class the stubs expect.
    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)  # type: ignore[arg-type]
    try:
        return loader.yaml_constructors[tag](loader, node)
    except (ValueError, OverflowError) as error:
        # PyYAML resolves "2020-13-45" as a timestamp, then datetime() refuses it;
        # a 5000-digit integer hits Python's conversion limit.
        raise ParseError(
            f"invalid {tag.removeprefix(_TAG)} {event.value!r}: {error}",
            line=_line(event, first_line),
        ) from None
