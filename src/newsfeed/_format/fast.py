r"""The fast reader: block-style front matter with one-line scalars, read with its layout.

Reading a file through libyaml's event stream (:mod:`newsfeed._format.safe_yaml`)
and cattrs costs about a millisecond, almost all of it YAML machinery. Real
files are written in a small subset of YAML, which this module reads directly,
capturing the layout (:mod:`newsfeed._format.layout`) as it goes:

- block mappings and sequences, indented any consistent amount, list items
  indented under their key or not;
- keys made of letters, digits, ``_`` and ``-``, in any order;
- one-line scalars: plain, single- or double-quoted (with the escapes the
  writer uses, and ``\\xHH``/``\\uHHHH``), and flow lists of them;
- blank lines, full-line and end-of-line comments;
- LF or CRLF line ends, a BOM, a closing fence at the end of the file or
  followed by a line end, with or without an empty line after it.

:func:`fast_loads` never raises for bad data and never guesses: on anything it
does not fully recognise (another construct, a scalar YAML might read as
something else, a duplicate key, an integer longer than 18 digits, a
timestamp not written as the writer writes one, a missing field, a value of
the wrong type) it returns None, and :func:`newsfeed.loads` takes the safe
YAML path, which is the reference and produces every error.
``tests/test_fast_path.py`` checks that whatever it returns is exactly what
the safe path returns.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from newsfeed._format.convert import format_field_path
from newsfeed._format.layout import BLOCK, FLOW, INTERNED, MAP, NULL, Layout, intern, quiet
from newsfeed._format.scalars import (
    DOUBLE,
    NOT_RECOGNISED,
    PLAIN,
    SINGLE,
    double_quoted,
    is_plain_safe,
    needs_escape,
    read_double,
    read_plain,
    read_single,
)
from newsfeed._format.schema import ARTICLE, SCHEMAS, Field, Kind, Schema
from newsfeed._model import EMPTY, Article, FrozenDict, Provider

__all__ = ["FastResult", "fast_loads"]


class _Declined(Exception):  # noqa: N818 -- a signal to fall back, not an error
    """Raised inside this module for text it does not read; never leaves it."""


#: One instance, raised again and again: building a fresh one each time
#: would cost more than the fallback it signals.
_DECLINED: Final = _Declined()

_KEY: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_DOUBLE: Final = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"')
_SINGLE: Final = re.compile(r"'([^']*(?:''[^']*)*)'")
_COMMENT: Final = re.compile(r" +#.*")
_FLOW_PLAIN: Final = re.compile(r"[^,\[\]{}]+")
#: Keys YAML reads as something else than the string (``on``, ``null``...) and
#: over-long keys are left to the safe path.
_MAX_KEY: Final = 128
_MAX_DEPTH: Final = 16


#: Keys seen, and whether this reader reads them: a folder repeats a few dozen.
_KEYS: dict[str, str | None] = {}
_MAX_KEYS: Final = 4096
_SHAPES: Final = INTERNED


def _key(text: str) -> str | None:
    """Return *text* if it is a key this reader reads (interned), else None."""
    known = _KEYS.get(text, "")
    if known != "":
        return known
    key = (
        sys.intern(text)
        if len(text) <= _MAX_KEY and _KEY.fullmatch(text) and is_plain_safe(text)
        else None
    )
    if len(_KEYS) < _MAX_KEYS:
        _KEYS[text] = key
    return key


class FastResult:
    """What the fast reader read: the article, and the null list items it left out."""

    __slots__ = ("article", "nulls")

    def __init__(self, article: Article, nulls: list[tuple[str, int]]) -> None:
        self.article = article
        #: (field, line) of each null item left out of a list of strings.
        self.nulls = nulls


class _Reader:
    """Reads the lines of one front matter into plain data and its shape.

    The loops are written out, with the common cases first, because this is
    where the time of loading a folder goes.
    """

    __slots__ = (
        "comments",
        "index",
        "lines",
        "list_offset",
        "nulls",
        "overrides",
        "pending",
        "step",
    )

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.index = 0
        #: Blank and comment lines not yet given to the key or item after them.
        self.pending: list[str] = []
        self.overrides: list[tuple[tuple[str | int, ...], object, str]] = []
        self.nulls: list[tuple[tuple[str | int, ...], int]] = []
        self.step = 0
        self.list_offset = -1
        self.comments = False

    def _trivia(self, line: str, text: str) -> None:
        """Keep a blank or comment line for the key or item after it."""
        if (not text and line) or not line.isprintable():
            raise _DECLINED  # a line of spaces only, or characters YAML reads otherwise
        if text:
            self.comments = True
        self.pending.append(line)

    def _next_content(self) -> tuple[int, str] | None:
        """Return the indentation and text of the next key or item line; trivia goes to pending."""
        lines = self.lines
        while self.index < len(lines):
            line = lines[self.index]
            text = line.lstrip(" ")
            if text and text[0] != "#":
                return len(line) - len(text), text
            self._trivia(line, text)
            self.index += 1
        return None

    def mapping(  # noqa: C901, PLR0912, PLR0915 -- the hot loop, kept whole for speed
        self, indent: int, first: str | None, path: tuple[str | int, ...], depth: int
    ) -> tuple[dict[str, Any], tuple[Any, ...]]:
        """Read a block mapping whose keys stand *indent* spaces in.

        *first* is the text of its first entry when it follows a list item's dash.
        """
        if depth > _MAX_DEPTH:
            raise _DECLINED
        lines = self.lines
        count = len(lines)
        pending = self.pending
        data: dict[str, Any] = {}
        entries: list[tuple[Any, ...]] = []
        text = first
        before: tuple[str, ...] = ()
        index = self.index
        while True:
            if text is None:
                if index >= count:
                    break
                line = lines[index]
                text = line.lstrip(" ")
                if not text or text[0] == "#":
                    self._trivia(line, text)
                    index += 1
                    text = None
                    continue
                at = len(line) - len(text)
                if at != indent:
                    if at > indent:
                        raise _DECLINED  # deeper than this mapping, under no key
                    break
                if text[0] == "-" and (len(text) == 1 or text[1] == " "):
                    break  # a list item: the end of a mapping inside an indentless list
                index += 1
                if pending:
                    before = tuple(pending)
                    pending.clear()
                else:
                    before = ()
            colon = text.find(":")
            key = _KEYS.get(text[:colon]) if colon > 0 else None
            if key is None:
                key = _key(text[:colon]) if colon > 0 else None
                if key is None:
                    raise _DECLINED
            if key in data:
                raise _DECLINED  # a duplicate key
            rest = text[colon + 1 :]
            if rest[:1] == " " and rest[1:2] not in _NOT_A_VALUE:
                value_text = rest[1:]
                first_char = value_text[0]
                if first_char == '"' and value_text[-1] == '"' and len(value_text) > 1:
                    # Most values: a double-quoted string with nothing to unescape.
                    inner = value_text[1:-1]
                    if '"' not in inner and "\\" not in inner and _writes_as_is(inner):
                        data[key] = inner
                        entry: tuple[Any, ...] = (key, before, " ", DOUBLE, "", None)
                        entries.append(_SHAPES.get(entry) or intern(entry))
                        text = None
                        continue
                elif first_char not in _QUOTES_OR_FLOW and " #" not in value_text:
                    value = _PLAIN_VALUES.get(value_text, NOT_RECOGNISED)
                    if value is NOT_RECOGNISED:
                        value = _read_plain(value_text)
                    data[key] = value
                    entry = (key, before, " ", PLAIN, "", None)
                    entries.append(_SHAPES.get(entry) or intern(entry))
                    text = None
                    continue
            self.index = index
            data[key], entry = self._entry(key, rest, before, indent, path, depth)
            index = self.index
            entries.append(_SHAPES.get(entry) or intern(entry))
            text = None
        self.index = index
        return data, (MAP, 0, tuple(entries), ())

    def _entry(  # noqa: PLR0913, PLR0917 -- the reader's state, passed down rather than stored
        self,
        key: str,
        rest: str,
        before: tuple[str, ...],
        indent: int,
        path: tuple[str | int, ...],
        depth: int,
    ) -> tuple[object, tuple[Any, ...]]:
        """Read an entry off the common paths: odd spacing, a comment, a block value."""
        value_text = rest.lstrip(" ")
        if value_text and value_text[0] != "#":
            if rest[0] != " ":
                raise _DECLINED  # "key:value" is a plain scalar, not an entry
            separator = rest[: len(rest) - len(value_text)]
            value, style, comment, sub = self._value(value_text, path, key)
            return value, (key, before, separator, style, comment, sub)
        if value_text:
            if rest[0] != " " or not rest.isprintable():
                raise _DECLINED
            self.comments = True
        # A block value: a mapping or a list on the lines below.
        found = self._next_content()
        if found is None:
            raise _DECLINED  # a key with no value is null: left to the safe path
        at, next_text = found
        is_item = next_text[0] == "-" and (len(next_text) == 1 or next_text[1] == " ")
        if is_item and at >= indent:
            offset = at - indent
            if self.list_offset < 0:
                self.list_offset = offset
            value, shape = self.sequence(at, (*path, key), depth + 1)
            sub = ("list", offset, *shape[2:])
        elif at > indent and not is_item:
            step = at - indent
            if not self.step:
                self.step = step
            value, shape = self.mapping(at, None, (*path, key), depth + 1)
            sub = ("map", step, shape[2], shape[3])
        else:
            raise _DECLINED  # null, or an item outside the key's indentation
        return value, (key, before, "", BLOCK, rest, intern(sub))

    def sequence(  # noqa: C901, PLR0912 -- the second hot loop, kept whole for speed
        self, indent: int, path: tuple[str | int, ...], depth: int
    ) -> tuple[list[Any], tuple[Any, ...]]:
        """Read a block sequence whose dashes stand *indent* spaces in."""
        if depth > _MAX_DEPTH:
            raise _DECLINED
        values: list[Any] = []
        items: list[tuple[Any, ...]] = []
        while True:
            found = self._next_content()
            if found is None:
                break
            at, text = found
            if at != indent or not (text[0] == "-" and (len(text) == 1 or text[1] == " ")):
                if at > indent:
                    raise _DECLINED
                break
            line_number = self.index
            self.index += 1
            if self.pending:
                before = tuple(self.pending)
                self.pending.clear()
            else:
                before = ()
            content = text[2:]
            if not content.strip(" "):
                # An empty item is null; the caller decides whether to drop it.
                self.nulls.append(((*path, len(values)), line_number))
                values.append(None)
                items.append((before, NULL, "", None, text))
                continue
            first_char = content[0]
            if first_char in " -#":
                raise _DECLINED  # odd spacing, a nested list, or "- # comment"
            colon = content.find(":")
            if (
                colon > 0
                and content[colon + 1 : colon + 2] in _ITEM_KEY_ENDS
                and _key(content[:colon]) is not None
            ):
                value, shape = self.mapping(indent + 2, content, (*path, len(values)), depth + 1)
                values.append(value)
                items.append((before, MAP, "", shape, None))
                continue
            if first_char not in _QUOTES_OR_FLOW and " #" not in content:
                # A plain scalar item, such as a topic.
                scalar = _PLAIN_VALUES.get(content, NOT_RECOGNISED)
                if scalar is NOT_RECOGNISED:
                    scalar = _read_plain(content)
                values.append(scalar)
                items.append((before, PLAIN, "", None, None))
                continue
            scalar, style, comment, sub = self._value(content, path, len(values))
            if sub is not None:
                raise _DECLINED  # a flow list inside a list
            values.append(scalar)
            items.append((before, style, comment, None, None))
        return values, ("list", 0, *_merge(items))

    def _value(
        self, text: str, path: tuple[str | int, ...], key: str | int
    ) -> tuple[object, str, str, tuple[Any, ...] | None]:
        """Read the one-line value of *key*: (value, style, comment, flow shape or None)."""
        if text[0] == "[":
            return self._flow(text)
        value, style, end = _scalar(text, 0, in_flow=False)
        comment = text[end:]
        if comment:
            if _COMMENT.fullmatch(comment) is None or not comment.isprintable():
                raise _DECLINED
            self.comments = True
        if style == DOUBLE and "\\" in text[:end] and double_quoted(value) != text[:end]:  # type: ignore[arg-type]
            # Escapes the writer would not use: keep them, for this article only.
            self.overrides.append(((*path, key), value, text[:end]))
        return value, style, comment, None

    def _flow(self, text: str) -> tuple[object, str, str, tuple[Any, ...] | None]:
        """Read a flow list of scalars, ``[a, "b"]``, items separated by ``", "``."""
        values: list[object] = []
        styles: list[str] = []
        position = 1
        while True:
            value, style, position = _scalar(text, position, in_flow=True)
            if style == DOUBLE and "\\" in text:
                raise _DECLINED  # escapes in flow lists are left to the safe path
            values.append(value)
            styles.append(style)
            if text.startswith(", ", position):
                position += 2
            elif text.startswith("]", position):
                position += 1
                break
            else:
                raise _DECLINED
        comment = text[position:]
        if comment:
            if _COMMENT.fullmatch(comment) is None or not comment.isprintable():
                raise _DECLINED
            self.comments = True
        same = styles[0] if len(set(styles)) == 1 else None
        shape = ("flow", same, () if same is not None else tuple(styles))
        return values, FLOW, comment, intern(shape)


#: What may follow "key:" for the common paths not to apply: nothing, more
#: spaces, a comment.
_NOT_A_VALUE: Final = frozenset(("", " ", "#"))
_QUOTES_OR_FLOW: Final = frozenset("\"'[")
#: What follows the colon of a key beside a list item's dash.
_ITEM_KEY_ENDS: Final = frozenset(("", " "))
#: Plain scalars seen, by their text: a folder repeats the same types,
#: providers, topics and sizes. Timestamps, which hardly repeat, are not kept.
_PLAIN_VALUES: dict[str, object] = {}
_MAX_PLAIN_VALUES: Final = 20_000


def _writes_as_is(inner: str) -> bool:
    """Whether a double-quoted string without escapes is one the writer writes so."""
    # isprintable() is quick and almost always true; unassigned code points,
    # which it refuses, are fine for YAML and the writer alike.
    return inner.isprintable() or not needs_escape(inner)


def _read_plain(text: str) -> object:
    value = read_plain(text)
    if value is NOT_RECOGNISED:
        raise _DECLINED
    if type(value) is not datetime and len(_PLAIN_VALUES) < _MAX_PLAIN_VALUES:
        _PLAIN_VALUES[text] = value
    return value


def _scalar(text: str, start: int, *, in_flow: bool) -> tuple[object, str, int]:
    """Read the scalar at *start*: (value, style, where it ends)."""
    first = text[start : start + 1]
    if first == '"':
        match = _DOUBLE.match(text, start)
        if match is None:
            raise _DECLINED
        value: object = read_double(match.group(1))
        style, end = DOUBLE, match.end()
    elif first == "'":
        match = _SINGLE.match(text, start)
        if match is None:
            raise _DECLINED
        value = read_single(match.group(1))
        style, end = SINGLE, match.end()
    else:
        if in_flow:
            match = _FLOW_PLAIN.match(text, start)
            if match is None:
                raise _DECLINED
            end = match.end()
        else:
            end = text.find(" #", start)
            end = len(text) if end < 0 else end
        raw = text[start:end].rstrip(" ")
        end = start + len(raw)
        value = read_plain(raw)
        style = PLAIN
    if value is NOT_RECOGNISED:
        raise _DECLINED
    return value, style, end


def _merge(items: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...] | None, tuple[Any, ...]]:
    """Return (the one item shape all items follow, ()) or (None, one shape per item)."""
    if not items:
        raise _DECLINED  # unreachable: a sequence starts with an item
    first = items[0]
    if all(item == first for item in items) and quiet(first):
        return intern(first), ()
    if first[1] == MAP and all(item[1] == MAP and not item[0] for item in items):
        merged = _merge_mappings([item[3] for item in items])
        if merged is not None:
            return intern(((), MAP, "", merged, None)), ()
    return None, intern(tuple(intern(item) for item in items))


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
                order.insert(at, entry)
                position = {item[0]: index for index, item in enumerate(order)}
            elif order[at] != entry or at <= last:
                return None
            last = at
    return intern((MAP, 0, tuple(order), ()))


# ---------------------------------------------------------------------------
# Building the model from the plain data, checking it as the cattrs hooks do.


def _str(value: object) -> object:
    if type(value) is not str:
        raise _DECLINED
    return value


def _int(value: object) -> object:
    if type(value) is not int:
        raise _DECLINED
    return value


def _bool(value: object) -> object:
    if type(value) is not bool:
        raise _DECLINED
    return value


def _timestamp(value: object) -> object:
    # The reader reads only aware timestamps; naive ones, dates and quoted
    # strings are converted by the safe path.
    if type(value) is not datetime:
        raise _DECLINED
    return value


_SHARED: dict[object, object] = {}
_MAX_SHARED: Final = 100_000


def _shared(value: object) -> object:
    """Keep one copy of a repeated value: a provider, say, which hundreds of articles share."""
    found = _SHARED.get(value)
    if found is not None:
        return found
    if len(_SHARED) < _MAX_SHARED:
        _SHARED[value] = value
    return value


def _check(field: Field) -> Callable[[object], object]:
    """Return the function that checks (and builds) a value of *field* as the cattrs hooks do."""
    scalar = _SCALAR_CHECKS.get(field.kind)
    if scalar is not None:
        return scalar
    if field.kind is Kind.STRS:
        return _strings(drop_nulls=field.drop_null_items)
    if field.kind is Kind.OBJECT:
        return _object(field.item)  # type: ignore[arg-type]
    return _objects(field.item)  # type: ignore[arg-type]


_SCALAR_CHECKS: Final[dict[Kind, Callable[[object], object]]] = {
    Kind.STR: _str,
    Kind.INT: _int,
    Kind.BOOL: _bool,
    Kind.TIMESTAMP: _timestamp,
}


def _builder(schema: Schema) -> Callable[..., object]:
    """Return the function that builds *schema*'s class from a mapping the reader read."""
    checks = {field.key: (field.attr, _check(field)) for field in schema.fields}
    required = tuple(field.key for field in schema.required)
    one_of = schema.one_of
    cls = schema.cls
    share = cls is Provider

    def build(data: object, **more: object) -> object:
        if type(data) is not dict or not data:
            raise _DECLINED
        values: dict[str, object] = {}
        extra: dict[str, object] | None = None
        for key, value in data.items():
            known = checks.get(key)
            if known is None:
                if extra is None:
                    extra = {}
                extra[key] = value
            else:
                values[known[0]] = known[1](value)
        for key in required:
            if key not in data:
                raise _DECLINED
        for keys in one_of:
            if not any(key in data for key in keys):
                raise _DECLINED
        instance = cls(**values, **more, extra=FrozenDict(extra) if extra else EMPTY)
        return _shared(instance) if share else instance

    return build


def _strings(*, drop_nulls: bool) -> Callable[[object], object]:
    def check(value: object) -> object:
        if type(value) is not list:
            raise _DECLINED
        if drop_nulls and None in value:
            value = [item for item in value if item is not None]
        for item in value:
            if type(item) is not str:
                raise _DECLINED
        return tuple(value)

    return check


def _object(item: type) -> Callable[[object], object]:
    def check(value: object) -> object:
        return _BUILDERS[item](value)

    return check


def _objects(item: type) -> Callable[[object], object]:
    def check(value: object) -> object:
        if type(value) is not list:
            raise _DECLINED
        build = _BUILDERS[item]
        return tuple(build(entry) for entry in value)

    return check


_BUILDERS: Final = {cls: _builder(schema) for cls, schema in SCHEMAS.items()}
_build_article: Final = _BUILDERS[ARTICLE.cls]


def _split(text: str) -> tuple[bool, str, str, str, str, str] | None:
    """Split a file: (bom, newline, front matter, fence end, gap, body), or None."""
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    if text.startswith("---\n"):
        newline = "\n"
    elif text.startswith("---\r\n"):
        newline = "\r\n"
    else:
        return None
    start = 3 + len(newline)
    end = text.find(newline + "---", start - len(newline))
    if end < start:
        return None  # no closing fence, or an empty front matter
    after = end + len(newline) + 3
    if text.startswith(newline, after):
        fence_end = newline
    elif after == len(text):
        fence_end = ""
    else:
        return None  # "----", "--- x": left to the safe path
    body_start = after + len(fence_end)
    gap = ""
    if fence_end:
        if text.startswith("\n", body_start):
            gap = "\n"
        elif text.startswith("\r\n", body_start):
            gap = "\r\n"
    front_matter = text[start : end + len(newline)]
    return bom, newline, front_matter, fence_end, gap, text[body_start + len(gap) :]


def _lines(front_matter: str, newline: str) -> list[str] | None:
    if newline == "\n":
        if "\r" in front_matter:
            return None
    elif not front_matter.count("\r") == front_matter.count("\n") == front_matter.count("\r\n"):
        return None  # line ends mixed
    lines = front_matter.split(newline)
    lines.pop()  # empty: the front matter ends with a line end
    return lines


def fast_loads(text: str) -> FastResult | None:  # noqa: PLR0911 -- one exit per way out of the subset
    """Read *text* if it is in the subset this module reads; otherwise return None.

    The article, when there is one, equals what the safe path returns for
    the same text, down to the types, the UTC offsets and ``extra``; it
    carries the file's layout.
    """
    parts = _split(text)
    if parts is None:
        return None
    bom, newline, front_matter, fence_end, gap, body = parts
    lines = _lines(front_matter, newline)
    if lines is None:
        return None
    reader = _Reader(lines)
    try:
        data, shape = reader.mapping(0, None, (), 0)
        if reader.index != len(lines):
            return None  # a line the top-level mapping does not take
        for path, _ in reader.nulls:
            if len(path) != 2 or not ARTICLE.by_key.get(str(path[0]), _NO_FIELD).drop_null_items:
                return None  # a null item where the model has no place for one
    except _Declined:
        _DECLINED.__traceback__ = None  # or it would keep every frame it passed through
        return None
    layout = Layout(
        shape=intern((MAP, 0, shape[2], tuple(reader.pending))),
        newline=newline,
        bom=bom,
        fence_end=fence_end,
        gap=gap,
        step=reader.step or 2,
        list_offset=reader.list_offset if reader.list_offset >= 0 else reader.step or 2,
        overrides=tuple(reader.overrides),
        comments=reader.comments,
    )
    if not reader.overrides:
        layout = intern(layout)
    try:
        article: Any = _build_article(data, body=body, _layout=layout)
    except _Declined:
        _DECLINED.__traceback__ = None
        return None
    # The first front-matter line is the file's second.
    nulls = [(format_field_path(path), line + 2) for path, line in reader.nulls]
    return FastResult(article, nulls)


_NO_FIELD: Final = ARTICLE.by_key["title"]


def read_front_matter(front_matter: str) -> dict[str, Any] | None:
    """Return the plain data of *front_matter* (LF line ends), or None if not in the subset.

    What the reader reads before building an article: the differential
    tests hold it against :func:`newsfeed._format.safe_yaml.load_mapping`.
    """
    lines = _lines(front_matter, "\n")
    if lines is None or not front_matter.endswith("\n"):
        return None
    reader = _Reader(lines)
    try:
        data, _ = reader.mapping(0, None, (), 0)
    except _Declined:
        _DECLINED.__traceback__ = None
        return None
    return data if data and reader.index == len(lines) else None
