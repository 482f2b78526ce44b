"""Reading block-style YAML with one-line scalars into plain data, and its layout.

The reader of :mod:`newsfeed._format.fast`: a mapping becomes a dict, a list a
list, a scalar its value (as PyYAML's safe loader builds it), and each
mapping and list also its shape (:mod:`newsfeed._format.layout`). It raises
:class:`~newsfeed._format.line_scalars.Declined` for anything it does not
fully recognise; nothing it raises leaves newsfeed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from newsfeed._format.layout import (
    BLOCK,
    EMPTY_FLOW,
    FLOW,
    INTERNED,
    MAP,
    NULL,
    intern,
    merge_items,
)
from newsfeed._format.line_scalars import (
    COMMENT,
    DECLINED,
    HEADS,
    ITEM_KEY_ENDS,
    KEYS,
    MAX_CACHED_TEXT,
    MAX_PLAIN_LINES,
    NOT_A_VALUE,
    NOT_PLAIN_START,
    PLAIN_ITEM,
    PLAIN_ITEMS,
    PLAIN_LINES,
    PLAIN_VALUES,
    QUOTES_OR_FLOW,
    Declined,
    head_of,
    key_of,
    quotes_escaped,
    read_plain_cached,
    scalar,
    writes_as_is,
)
from newsfeed._format.scalars import (
    DOUBLE,
    NOT_RECOGNISED,
    PLAIN,
    double_quoted,
)

__all__ = ["DECLINED", "BlockReader", "Declined"]


_MAX_DEPTH: Final = 16
_SHAPES: Final = INTERNED


class BlockReader:
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
            raise DECLINED  # a line of spaces only, or characters YAML reads otherwise
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
            raise DECLINED
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
                seen = PLAIN_LINES.get(line)
                if seen is not None and seen[0] == indent and not pending and seen[1] not in data:
                    # A line read before, such as "type: article": one lookup.
                    index += 1
                    data[seen[1]] = seen[2]
                    entries.append(seen[3])
                    continue
                head, separator, value_text = line.partition(": ")
                known = HEADS.get(head) if separator else None
                if known is None and separator and head not in HEADS:
                    known = head_of(head)
                if known is not None and known[0] != indent:
                    if known[0] > indent:
                        raise DECLINED  # deeper than this mapping, under no key
                    break  # a key of a mapping further out: this one ends here
                if known is not None and not pending:
                    # The common line, "key: value", on a path of its own.
                    key = known[1]
                    first_char = value_text[:1]
                    if first_char == '"':
                        inner = value_text[1:-1]
                        if (
                            value_text[-1] == '"'
                            and len(value_text) > 1
                            and '"' not in inner
                            and "\\" not in inner
                            and (inner.isprintable() or writes_as_is(inner))
                            and key not in data
                        ):
                            index += 1
                            data[key] = inner
                            entries.append(known[3])
                            continue
                        if "\\" in inner and value_text[-1] == '"' and key not in data:
                            unescaped = quotes_escaped(inner)
                            if unescaped is not None:
                                index += 1
                                data[key] = unescaped
                                entries.append(known[3])
                                continue
                    elif (
                        first_char not in NOT_PLAIN_START
                        and " #" not in value_text
                        and key not in data
                    ):
                        value = PLAIN_VALUES.get(value_text, NOT_RECOGNISED)
                        if value is NOT_RECOGNISED:
                            value = read_plain_cached(value_text)
                        index += 1
                        data[key] = value
                        entry = known[2]
                        entries.append(entry)
                        if (
                            type(value) is not datetime
                            and len(line) <= MAX_CACHED_TEXT
                            and len(PLAIN_LINES) < MAX_PLAIN_LINES
                        ):
                            PLAIN_LINES[line] = (indent, key, value, entry)
                        continue
                text = line.lstrip(" ")
                if not text or text[0] == "#":
                    self._trivia(line, text)
                    index += 1
                    text = None
                    continue
                at = len(line) - len(text)
                if at != indent:
                    if at > indent:
                        raise DECLINED  # deeper than this mapping, under no key
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
            found_key = KEYS.get(text[:colon]) if colon > 0 else None
            if found_key is None:
                found_key = key_of(text[:colon]) if colon > 0 else None
                if found_key is None:
                    raise DECLINED
            key = found_key
            if key in data:
                raise DECLINED  # a duplicate key
            rest = text[colon + 1 :]
            if rest[:1] == " " and rest[1:2] not in NOT_A_VALUE:
                value_text = rest[1:]
                first_char = value_text[0]
                if first_char == '"' and value_text[-1] == '"' and len(value_text) > 1:
                    # Most values: a double-quoted string with nothing to unescape.
                    inner = value_text[1:-1]
                    if '"' not in inner and "\\" not in inner and writes_as_is(inner):
                        data[key] = inner
                        entry = (key, before, " ", DOUBLE, "", None)
                        entries.append(_SHAPES.get(entry) or intern(entry))
                        text = None
                        continue
                    unescaped = quotes_escaped(inner) if "\\" in inner else None
                    if unescaped is not None:
                        data[key] = unescaped
                        entry = (key, before, " ", DOUBLE, "", None)
                        entries.append(_SHAPES.get(entry) or intern(entry))
                        text = None
                        continue
                elif first_char not in QUOTES_OR_FLOW and " #" not in value_text:
                    value = PLAIN_VALUES.get(value_text, NOT_RECOGNISED)
                    if value is NOT_RECOGNISED:
                        value = read_plain_cached(value_text)
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
                raise DECLINED  # "key:value" is a plain scalar, not an entry
            separator = rest[: len(rest) - len(value_text)]
            value, style, comment, sub = self._value(value_text, path, key)
            return value, (key, before, separator, style, comment, sub)
        if value_text:
            if rest[0] != " " or not rest.isprintable():
                raise DECLINED
            self.comments = True
        # A block value: a mapping or a list on the lines below.
        found = self._next_content()
        if found is None:
            raise DECLINED  # a key with no value is null: left to the safe path
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
            raise DECLINED  # null, or an item outside the key's indentation
        return value, (key, before, "", BLOCK, rest, intern(sub))

    def sequence(  # noqa: C901, PLR0912, PLR0915 -- the second hot loop, kept whole for speed
        self, indent: int, path: tuple[str | int, ...], depth: int
    ) -> tuple[list[Any], tuple[Any, ...]]:
        """Read a block sequence whose dashes stand *indent* spaces in."""
        if depth > _MAX_DEPTH:
            raise DECLINED
        values: list[Any] = []
        items: list[tuple[Any, ...]] = []
        lines = self.lines
        while True:
            if not self.pending and self.index < len(lines):
                seen = PLAIN_ITEMS.get(lines[self.index])
                if seen is not None and seen[0] == indent:
                    # An item read before, such as "  - COVID-19": one lookup.
                    self.index += 1
                    values.append(seen[1])
                    items.append(PLAIN_ITEM)
                    continue
            found = self._next_content()
            if found is None:
                break
            at, text = found
            if at != indent or not (text[0] == "-" and (len(text) == 1 or text[1] == " ")):
                if at > indent:
                    raise DECLINED
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
                raise DECLINED  # odd spacing, a nested list, or "- # comment"
            colon = content.find(":")
            if (
                colon > 0
                and content[colon + 1 : colon + 2] in ITEM_KEY_ENDS
                and key_of(content[:colon]) is not None
            ):
                value, shape = self.mapping(indent + 2, content, (*path, len(values)), depth + 1)
                values.append(value)
                items.append((before, MAP, "", shape, None))
                continue
            if first_char not in QUOTES_OR_FLOW and " #" not in content:
                # A plain scalar item, such as a topic.
                scalar = PLAIN_VALUES.get(content, NOT_RECOGNISED)
                if scalar is NOT_RECOGNISED:
                    scalar = read_plain_cached(content)
                values.append(scalar)
                if before:
                    items.append((before, PLAIN, "", None, None))
                    continue
                items.append(PLAIN_ITEM)
                item_line = lines[line_number]
                if (
                    type(scalar) is not datetime
                    and len(item_line) <= MAX_CACHED_TEXT
                    and len(PLAIN_ITEMS) < MAX_PLAIN_LINES
                ):
                    PLAIN_ITEMS[item_line] = (indent, scalar)
                continue
            scalar, style, comment, sub = self._value(content, path, len(values))
            if sub is not None:
                raise DECLINED  # a flow list inside a list
            values.append(scalar)
            items.append((before, style, comment, None, None))
        return values, ("list", 0, *merge_items(items, declined=DECLINED))

    def _value(
        self, text: str, path: tuple[str | int, ...], key: str | int
    ) -> tuple[object, str, str, tuple[Any, ...] | None]:
        """Read the one-line value of *key*: (value, style, comment, flow shape or None)."""
        if text[0] == "[":
            return self._flow(text)
        if text.startswith("{}"):
            # An empty mapping: the one flow mapping the writer writes.
            return {}, FLOW, self._flow_comment(text, 2), intern(EMPTY_FLOW)
        value, style, end = scalar(text, 0, in_flow=False)
        comment = text[end:]
        if comment:
            if COMMENT.fullmatch(comment) is None or not comment.isprintable():
                raise DECLINED
            self.comments = True
        if style == DOUBLE and "\\" in text[:end] and double_quoted(value) != text[:end]:  # type: ignore[arg-type]
            # Escapes the writer would not use: keep them, for this article only.
            self.overrides.append(((*path, key), value, text[:end]))
        return value, style, comment, None

    def _flow_comment(self, text: str, position: int) -> str:
        """Return the comment after a flow value ending at *position*; decline anything else."""
        comment = text[position:]
        if comment:
            if COMMENT.fullmatch(comment) is None or not comment.isprintable():
                raise DECLINED
            self.comments = True
        return comment

    def _flow(self, text: str) -> tuple[object, str, str, tuple[Any, ...] | None]:
        """Read a flow list of scalars, ``[a, "b"]``, items separated by ``", "``."""
        values: list[object] = []
        styles: list[str] = []
        if text.startswith("[]"):
            position = 2  # an empty list
        else:
            position = 1
            while True:
                start = position
                value, style, position = scalar(text, position, in_flow=True)
                if (
                    style == DOUBLE
                    and "\\" in text[start:position]
                    and double_quoted(value) != text[start:position]  # type: ignore[arg-type]
                ):
                    # Escapes the writer would not use: an item has no place
                    # to keep them, so the safe path reads the list.
                    raise DECLINED
                values.append(value)
                styles.append(style)
                if text.startswith(", ", position):
                    position += 2
                elif text.startswith("]", position):
                    position += 1
                    break
                else:
                    raise DECLINED
        comment = self._flow_comment(text, position)
        same = styles[0] if len(set(styles)) == 1 else None
        shape = (FLOW, same, () if same is not None else tuple(styles))
        return values, FLOW, comment, intern(shape)
