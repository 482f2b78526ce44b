"""A safe YAML loader for front matter, built on libyaml's event stream.

``yaml.safe_load`` is not safe enough for files from strangers: it keeps the
last of two duplicate keys (losing data), expands aliases and merge keys
(whose "bombs" cost exponential time or memory once walked), and libyaml's
composer recurses per nesting level until it crashes. So this module never
composes a node graph. It reads parser events and builds plain values itself,
with an explicit stack, refusing:

- every explicit tag (``!!int "54"``, ``!!null text``, ``!local``...): the
  format's values are plain, and a tag would silently coerce or drop text;
- YAML 1.1 base-60 numbers (``1:30``), whose conversion in PyYAML costs
  quadratic time, and integers of more than 4300 digits,
  which Python cannot write back;
- timestamps with more than six digits of fractions of a second, which
  PyYAML would cut to microseconds;
- characters YAML does not allow in a stream (control characters, lone
  surrogates, a byte-order mark that starts a line), checked here so that
  both loaders word the error alike;
- anchors, aliases and merge keys (the format has no use for them);
- duplicate keys, and keys that are not strings;
- nesting deeper than :data:`MAX_DEPTH`;
- more than one document.

Untagged scalars are resolved and constructed exactly as PyYAML's SafeLoader
does, by :mod:`newsfeed._format.yaml_scalars`, which refuses the numbers and
timestamps listed above. Error lines count lines as an editor does (only a line feed ends one),
not as YAML does (which also ends them at a lone CR, NEL, U+2028 and U+2029).

libyaml is used when PyYAML has it; the pure-Python loader otherwise, and
also when the tests set :data:`_force_pure_python`, so that both loaders are
shown to give the same results and errors. Two differences are left, in
PyYAML's pure-Python scanner: it refuses a tab between tokens or inside a
plain scalar (``x: a<TAB>b``), which YAML and libyaml allow; and in a flow
list it ends a plain scalar at ``?`` (refusing ``[AI?]``, which libyaml
reads) and reads ``[AI:]`` as a mapping where libyaml refuses it. The
writer quotes such items, and the fast reader leaves them to this path.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
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

from newsfeed._errors import ParseError, cut, shown
from newsfeed._format.convert import format_field_path
from newsfeed._format.scalars import lone_surrogate
from newsfeed._format.yaml_scalars import TAG_PREFIX, bad_escape, build_scalar

__all__ = ["MAX_DEPTH", "KeyPath", "load_mapping", "loader_class"]

#: How deep mappings and sequences may nest. The format needs five levels
#: (article, related, item, images, image); unknown keys get plenty more.
MAX_DEPTH: Final = 64


class _PureSafeLoader(yaml.SafeLoader):
    r"""PyYAML's pure-Python loader, refusing an escape of a surrogate where libyaml does.

    libyaml refuses ``"\ud800"`` as it scans the scalar; the pure-Python
    scanner builds the character, and a scalar that stands where a key
    could start is only handed on once the line after it is scanned, so an
    error there came first, on another line. A surrogate in the scanned
    text can only come from an escape: one written as such is refused
    before parsing (:func:`_check_characters`).
    """

    def scan_flow_scalar_non_spaces(self, double: bool, start_mark: Any) -> list[str]:  # noqa: ANN401 -- PyYAML's own signature
        chunks: list[str] = super().scan_flow_scalar_non_spaces(double, start_mark)
        if double and any(lone_surrogate(chunk) is not None for chunk in chunks):
            raise bad_escape(self.get_mark())
        return chunks


_C_LOADER: Final[type[yaml.SafeLoader]] = getattr(yaml, "CSafeLoader", _PureSafeLoader)
#: Private switch: read with PyYAML's pure-Python loader even where libyaml is
#: there. Set by the tests (tests/conftest.py sets it for the whole run when
#: NEWSFEED_TEST_PURE_YAML=1), never by the library.
_force_pure_python = False

_MERGE_TAG: Final = TAG_PREFIX + "merge"
#: What YAML allows in a stream (the set PyYAML's reader and libyaml check).
_NOT_ALLOWED: Final = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
#: A byte-order mark that starts a line (not the text): libyaml skips it, as
#: if a document began there, and the pure-Python scanner reads it as text,
#: so the two loaders read such a line differently. YAML allows a
#: byte-order mark only where a stream or a document starts.
_LINE_START_BOM: Final = re.compile("(?<=[\n\r\x85\u2028\u2029])\ufeff")

KeyPath = tuple[str | int, ...]


class _Collection:
    """A mapping or sequence under construction."""

    __slots__ = ("key", "key_line", "value")

    def __init__(self, value: dict[str, Any] | list[Any]) -> None:
        self.value = value
        # For a mapping: the key read but not yet given a value.
        self.key: str | None = None
        self.key_line = 0


class _Lines:
    """Turn a mark's character index into a file line, as an editor counts lines.

    YAML also ends a line at a lone CR, NEL, U+2028 and U+2029, so the marks'
    own line numbers run ahead of the file's wherever those occur.
    """

    __slots__ = ("_first", "_newlines")

    def __init__(self, text: str, first_line: int) -> None:
        self._first = first_line
        self._newlines = [match.start() for match in re.finditer("\n", text)]

    def at(self, index: int) -> int:
        """Return the line of the character at *index*."""
        return bisect_left(self._newlines, index) + self._first

    def of(self, event: Event) -> int:
        """Return the line an event starts on."""
        return self.at(event.start_mark.index)  # type: ignore[union-attr]


def loader_class() -> type[yaml.SafeLoader]:
    """Return the loader the reference path reads with: libyaml's, unless forced pure."""
    return _PureSafeLoader if _force_pure_python else _C_LOADER


def _check_characters(text: str, lines: _Lines, source: str | os.PathLike[str] | None) -> None:
    # Both loaders would refuse these too, but in different words, and libyaml
    # only after failing to encode a lone surrogate.
    bom = _LINE_START_BOM.search(text)
    if bom is not None:
        raise ParseError(
            "invalid YAML: a byte-order mark (U+FEFF) is allowed only at the start of the file",
            source=source,
            line=lines.at(bom.start()),
        )
    found = _NOT_ALLOWED.search(text)
    if found is None:
        return
    char = found.group()
    if _SURROGATE.match(char):
        reason = "text is not valid Unicode (lone surrogate)"
    else:
        reason = f"invalid YAML: character U+{ord(char):04X} is not allowed (a control character)"
    raise ParseError(reason, source=source, line=lines.at(found.start()))


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
    file_lines = _Lines(text, first_line)
    _check_characters(text, file_lines, source)
    loader = loader_class()(text)
    try:
        return _build(loader, file_lines, lines, source)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        if error.context_mark is not None and error.context == _UNCLOSED_QUOTE:
            # Where YAML gave up (the next quote, or the end) says nothing of
            # where the mistake is: the quote that is never closed.
            mark = error.context_mark
            problem = f"a quoted value is never closed ({error.problem})"
        line = None if mark is None else file_lines.at(mark.index)
        raise ParseError(f"invalid YAML: {problem}", source=source, line=line) from None
    except yaml.YAMLError as error:  # pragma: no cover -- _check_characters finds these first
        raise ParseError(f"invalid YAML: {error}", source=source) from None
    finally:
        loader.dispose()


#: Both loaders' context for a quoted scalar that does not end.
_UNCLOSED_QUOTE: Final = "while scanning a quoted scalar"


def _build(
    loader: yaml.SafeLoader,
    file_lines: _Lines,
    lines: dict[KeyPath, int] | None,
    source: str | os.PathLike[str] | None,
) -> dict[str, Any]:
    stack: list[_Collection] = []
    path: list[str | int] = []
    try:
        return _read(loader, file_lines, lines, stack, path)
    except ParseError as error:
        # The refusal, told once with all its context: the file, and where in
        # the data the refused thing stands, in the file's key names.
        field = error.field or format_field_path(_where(stack, path)) or None
        raise ParseError(error.reason, source=source, field=field, line=error.line) from None


def _next_event(loader: yaml.SafeLoader) -> Event:
    try:
        return loader.get_event()  # type: ignore[no-untyped-call,no-any-return]
    except (ValueError, OverflowError):
        # The pure-Python scanner builds "\\U00110000" with chr(), which raises
        # a bare ValueError (OverflowError past 31 bits). Fail as libyaml does.
        raise bad_escape(loader.get_mark()) from None


def _read(  # noqa: C901, PLR0912, PLR0915 -- one event loop reads best as one function
    loader: yaml.SafeLoader,
    file_lines: _Lines,
    lines: dict[KeyPath, int] | None,
    stack: list[_Collection],
    path: list[str | int],
) -> dict[str, Any]:
    """Build the mapping from the events, keeping *stack* and *path* current for errors."""
    result: Any = None
    documents = 0
    while True:
        event = _next_event(loader)
        if isinstance(event, ScalarEvent | CollectionStartEvent):
            if event.anchor is not None:
                raise ParseError(
                    f"anchors are not allowed (&{cut(event.anchor)})", line=file_lines.of(event)
                )
            if event.tag is not None:
                raise ParseError(
                    f"tags are not allowed ({_shown_tag(event.tag)}); values are plain",
                    line=file_lines.of(event),
                )
            if stack and isinstance(stack[-1].value, dict) and stack[-1].key is None:
                _take_key(loader, event, stack[-1], file_lines)
                if lines is not None:
                    lines[(*path, stack[-1].key)] = stack[-1].key_line  # type: ignore[arg-type]
                continue
            if stack:
                parent = stack[-1]
                slot: str | int = parent.key if parent.key is not None else len(parent.value)
                if lines is not None and isinstance(parent.value, list):
                    lines[(*path, slot)] = file_lines.of(event)
            if isinstance(event, ScalarEvent):
                value = build_scalar(loader, event, file_lines.of(event))
            else:
                if len(stack) >= MAX_DEPTH:
                    raise ParseError(
                        f"nesting is deeper than {MAX_DEPTH} levels", line=file_lines.of(event)
                    )
                collection: dict[str, Any] | list[Any] = (
                    {} if isinstance(event, MappingStartEvent) else []
                )
                if stack:
                    path.append(slot)
                stack.append(_Collection(collection))
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
                f"aliases are not allowed (*{cut(event.anchor or '')})", line=file_lines.of(event)
            )
        elif isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise ParseError(
                    "front matter holds more than one YAML document", line=file_lines.of(event)
                )
        elif isinstance(event, StreamEndEvent):
            break
    if documents == 0:
        raise ParseError("front matter is empty; expected a mapping", line=file_lines.at(0))
    if not isinstance(result, dict):
        kind = "null" if result is None else type(result).__name__
        raise ParseError(f"front matter must be a mapping, not {kind}", line=file_lines.at(0))
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


def _shown_tag(tag: str) -> str:
    """Write a tag as a file would: ``!!int``, ``!local``."""
    return cut("!!" + tag.removeprefix(TAG_PREFIX) if tag.startswith(TAG_PREFIX) else tag)


def _take_key(
    loader: yaml.SafeLoader, event: Event, mapping: _Collection, file_lines: _Lines
) -> None:
    line = file_lines.of(event)
    if not isinstance(event, ScalarEvent):
        raise ParseError("mapping keys must be strings, not collections", line=line)
    resolved = loader.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if event.implicit[0] and resolved == _MERGE_TAG:
        raise ParseError("merge keys (<<) are not allowed", line=line)
    key = build_scalar(loader, event, line)
    if not isinstance(key, str):
        raise ParseError(f"mapping keys must be strings, not {cut(repr(key))}", line=line)
    # Taken before the check, so that a duplicate's error names its own path.
    mapping.key = key
    mapping.key_line = line
    if key in mapping.value:
        raise ParseError(f"duplicate key {shown(key)}", line=line)


def _store(parent: _Collection, value: object) -> None:
    if isinstance(parent.value, list):
        parent.value.append(value)
    else:
        parent.value[parent.key] = value  # type: ignore[index]
        parent.key = None
