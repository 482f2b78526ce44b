"""Writing articles: back in the layout they were read in, or in the canonical one.

The text is built directly from the model, not through PyYAML's emitter:
that one is slow in pure Python and can be told neither to keep a file's
layout nor to follow the canonical one (quoting chosen per field, an empty
line after each group of keys, no line wrapping).

An article read from a file carries that file's layout
(:mod:`newsfeed._format.layout`), and :func:`dumps` follows it: unchanged,
the article is written back byte for byte. What the layout does not cover
is written the canonical way at the place the canonical order gives it, with
the file's indentation and line ends: a key that was not there, a list item
more, a value its old quoting cannot hold. Articles built in code, and
``dumps(article, canonical=True)``, get the canonical layout, whose rules
``docs/format.md`` lists; which fields exist and how each is quoted comes
from :mod:`newsfeed._format.schema`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final, TypeVar

from newsfeed._errors import ValidationError
from newsfeed._format.convert import format_field_path
from newsfeed._format.layout import BLOCK, FLOW, MAP, NULL, Layout, quiet
from newsfeed._format.scalars import (
    DOUBLE,
    PLAIN,
    lone_surrogate,
    write_str,
    write_timestamp,
)
from newsfeed._format.schema import ARTICLE, EXTRA_GROUP, SCHEMAS, Field, Kind, Schema
from newsfeed._model import Article

__all__ = ["dumps"]

_T = TypeVar("_T")
_Path = tuple[str | int, ...]
#: A key of a mapping to write, its value, and its field (None for an unknown key).
_Item = tuple[str, Any, Field | None]

_MAX_IMPLICIT_KEY: Final = 1024
_NOT_PLACED: Final = 1 << 30


def _key_path(path: _Path, key: object) -> _Path:
    """Return the path of a mapping's key: an int key is a key, not a list index."""
    return (*path, key if type(key) is str else str(key))


def _fail(path: _Path, reason: str) -> ValidationError:
    return ValidationError(reason, field=format_field_path(path))


def _require(kind: type[_T], value: object, path: _Path) -> _T:
    # Exact types: a bool is not an int, a str subclass may not write back alike.
    if type(value) is not kind:
        raise _fail(path, f"expected {kind.__name__}, got {type(value).__name__}")
    return value


def _text(value: object, path: _Path) -> str:
    text = _require(str, value, path)
    surrogate = lone_surrogate(text)
    if surrogate is not None:
        raise _fail(path, f"lone surrogate {surrogate!r} is not valid Unicode")
    return text


def _decimal(value: int, path: _Path) -> str:
    try:
        return str(value)
    except ValueError as error:
        # Python refuses to print integers of more than 4300 digits by default.
        raise _fail(path, str(error)) from None


def _timestamp(value: object, path: _Path) -> str:
    if not isinstance(value, datetime):
        raise _fail(path, f"expected a datetime, got {type(value).__name__}")
    try:
        return write_timestamp(value)
    except ValueError as error:
        raise _fail(path, str(error)) from None


def _float(value: float) -> str:
    if value != value:  # noqa: PLR0124 -- the one test for NaN that needs no import
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    # YAML 1.1, as PyYAML reads it, needs a dot in a float: 1e+20 is a string.
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


def _any_scalar(value: object, path: _Path, style: str = PLAIN) -> str:  # noqa: PLR0911 -- one return per YAML type
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return _decimal(value, path)
    if type(value) is float:
        return _float(value)
    if type(value) is str:
        return write_str(_text(value, path), style)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return _timestamp(value, path)
    if isinstance(value, date):
        return value.isoformat()
    raise _fail(path, f"cannot write a value of type {type(value).__name__} in front matter")


def _scalar(value: object, field: Field | None, style: str, path: _Path) -> str:
    """Write a one-line value of *field* (or of an unknown key) in *style* where it allows."""
    if field is None:
        return _any_scalar(value, path, style)
    kind = field.kind
    if kind is Kind.STR:
        return write_str(_text(value, path), style)
    if kind is Kind.INT:
        return _decimal(_require(int, value, path), path)
    if kind is Kind.BOOL:
        return "true" if _require(bool, value, path) else "false"
    return _timestamp(value, path)


def _canonical_style(field: Field | None) -> str:
    return DOUBLE if field is not None and field.quoted else PLAIN


def _key_text(key: object, path: _Path) -> str:
    if type(key) is not str:
        raise _fail(path, "keys must be strings")
    return write_str(_text(key, path), PLAIN)


def _instance(cls: type[_T], value: object, path: _Path) -> _T:
    if not isinstance(value, cls):
        article = "an" if cls.__name__[0] in "AEIOU" else "a"
        raise _fail(path, f"expected {article} {cls.__name__}, got {type(value).__name__}")
    return value


def _present(value: object, schema: Schema | None, path: _Path) -> list[_Item]:
    """Return the keys to write for a model object or a plain mapping, in canonical order."""
    if schema is None:
        # A key that is not a string (refused when written) is named as written.
        return [(key, item, None) for key, item in value.items()]  # type: ignore[attr-defined]
    items: list[_Item] = []
    for field in schema.fields:
        item = getattr(value, field.attr)
        if item is None or (item == () and field.kind in _LISTS):
            if field.required:
                raise _fail((*path, field.key), "required field is missing")
            continue
        items.append((field.key, item, field))
    for keys in schema.one_of:
        if not any(key in (item[0] for item in items) for key in keys):
            raise _fail((*path, keys[0]), f"needs {' or '.join(keys)}")
    extra: Mapping[str, Any] = value.extra  # type: ignore[attr-defined]
    for key, item in extra.items():
        if key in schema.by_key:
            raise _fail(
                (*path, key),
                "an unknown key repeats a field of the model, so the file would hold it twice",
            )
        items.append((key, item, None))
    return items


_LISTS: Final = frozenset((Kind.STRS, Kind.OBJECTS))


def _is_block(value: object, field: Field | None) -> bool:
    if field is not None:
        return field.kind in _BLOCK_KINDS
    return isinstance(value, Mapping | list | tuple) and bool(value)


_BLOCK_KINDS: Final = frozenset((Kind.OBJECT, Kind.OBJECTS, Kind.STRS))


def _sub_schema(field: Field | None) -> Schema | None:
    return None if field is None or field.item is None else SCHEMAS[field.item]


class _Writer:
    """Collects the lines of one front matter, without their line ends."""

    __slots__ = ("lines", "offset", "overrides", "step")

    def __init__(
        self, *, step: int = 2, offset: int = 2, overrides: dict[_Path, tuple[object, str]]
    ) -> None:
        self.lines: list[str] = []
        self.step = step
        self.offset = offset
        self.overrides = overrides

    # The canonical layout.

    def mapping(
        self, value: object, schema: Schema | None, indent: int, path: _Path, *, top: bool = False
    ) -> int:
        """Write a mapping the canonical way; return the index of its first key line (-1: none)."""
        first = -1
        group = -1
        for key, item, field in _present(value, schema, path):
            if top:
                this = EXTRA_GROUP if field is None else field.group
                if group >= 0 and this != group:
                    self.lines.append("")
                group = this
            if first < 0:
                first = len(self.lines)
            self.entry(key, item, field, indent, _key_path(path, key))
        if top and 0 <= group != EXTRA_GROUP:
            self.lines.append("")  # the empty line after the last group, but the tail
        return first

    def entry(self, key: str, value: object, field: Field | None, indent: int, path: _Path) -> None:
        """Write ``key: value`` the canonical way."""
        pad = " " * indent
        key_text = _key_text(key, path)
        if len(key_text) > _MAX_IMPLICIT_KEY:
            # YAML reads a key of at most 1024 characters before its colon;
            # a longer one is written explicitly: "? key", then ": value".
            self.lines.append(f"{pad}? {key_text}")
            head = f"{pad}:"
        else:
            head = f"{pad}{key_text}:"
        if not _is_block(value, field):
            self.lines.append(f"{head} {self.flow_empty_or_scalar(value, field, path)}")
            return
        if field is not None and field.kind is Kind.OBJECT:
            schema = _sub_schema(field)
            instance = _instance(schema.cls, value, path)  # type: ignore[union-attr]
            if not _present(instance, schema, path):
                self.lines.append(f"{head} {{}}")
                return
            self.lines.append(head)
            self.mapping(instance, schema, indent + self.step, path)
            return
        if field is None and isinstance(value, Mapping):
            self.lines.append(head)
            self.mapping(value, None, indent + self.step, path)
            return
        items = self.sequence_of(value, path)
        self.lines.append(head)
        for index, item in enumerate(items):
            self.item(item, field, indent + self.offset, (*path, index))

    @staticmethod
    def sequence_of(value: object, path: _Path) -> Sequence[Any]:
        if not isinstance(value, list | tuple):
            raise _fail(path, f"expected a list, got {type(value).__name__}")
        return value

    def flow_empty_or_scalar(self, value: object, field: Field | None, path: _Path) -> str:
        if field is None and isinstance(value, Mapping):
            return "{}"
        if field is None and isinstance(value, list | tuple):
            return "[]"
        return _scalar(value, field, _canonical_style(field), path)

    def item(self, value: object, field: Field | None, dash: int, path: _Path) -> None:
        """Write one list item the canonical way, a mapping's first key beside its dash."""
        pad = " " * dash
        schema = _sub_schema(field)
        if schema is not None:
            value = _instance(schema.cls, value, path)
        elif field is not None:  # a list of strings
            self.lines.append(f"{pad}- {write_str(_text(value, path), PLAIN)}")
            return
        if schema is not None or (isinstance(value, Mapping) and value):
            first = self.mapping(value, schema, dash + 2, path)
            self.lines[first] = f"{pad}- {self.lines[first][dash + 2 :]}"
        elif isinstance(value, list | tuple) and value:
            start = len(self.lines)
            for index, inner in enumerate(value):
                self.item(inner, None, dash + 2, (*path, index))
            self.lines[start] = f"{pad}- {self.lines[start][dash + 2 :]}"
        else:
            self.lines.append(f"{pad}- {self.flow_empty_or_scalar(value, None, path)}")

    # A file's own layout.

    def shaped_mapping(
        self, value: object, schema: Schema | None, shape: tuple[Any, ...], indent: int, path: _Path
    ) -> int:
        """Write a mapping in *shape*; return the index of its first key line (-1: none)."""
        present = _present(value, schema, path)
        entries: tuple[tuple[Any, ...], ...] = shape[2]
        by_key = {item[0]: item for item in present}
        known = {entry[0] for entry in entries}
        order: list[tuple[Any, ...] | _Item] = list(entries)
        positions = {} if schema is None else schema.position
        for item in present:
            if item[0] not in known:
                order.insert(self._place(item[0], order, by_key, positions), item)
        first = -1
        for element in order:
            if len(element) == 3:  # a key the layout does not have: the canonical way
                if first < 0:
                    first = len(self.lines)
                self.entry(element[0], element[1], element[2], indent, _key_path(path, element[0]))
                continue
            self.lines.extend(element[1])  # blank lines and comments: always kept
            present_item = by_key.get(element[0])
            if present_item is not None:
                if first < 0:
                    first = len(self.lines)
                self.shaped_entry(
                    element, present_item[1], present_item[2], indent, (*path, present_item[0])
                )
        self.lines.extend(shape[3])
        return first

    @staticmethod
    def _place(
        key: str,
        order: list[tuple[Any, ...] | _Item],
        present: dict[str, _Item],
        positions: Mapping[str, int],
    ) -> int:
        """Where a new key goes: before the first present key the canonical order puts after it."""
        position = positions.get(key, _NOT_PLACED)
        last = 0
        for index, element in enumerate(order):
            other = element[0]
            if other not in present:
                continue
            if positions.get(other, -1) > position:
                return index
            last = index + 1
        return last

    def shaped_entry(
        self, entry: tuple[Any, ...], value: object, field: Field | None, indent: int, path: _Path
    ) -> None:
        key, _, separator, style, comment, sub = entry
        head = " " * indent + key + ":"
        if style == BLOCK:
            if sub[0] == MAP and self._fits_mapping(value, field):
                schema = _sub_schema(field)
                if schema is not None:
                    value = _instance(schema.cls, value, path)
                if _present(value, schema, path):
                    self.lines.append(head + comment)
                    self.shaped_mapping(value, schema, sub, indent + sub[1], path)
                    return
            elif (
                sub[0] == "list"
                and isinstance(value, list | tuple)
                and value
                and (field is None or field.kind in _LISTS)
            ):
                self.lines.append(head + comment)
                self.shaped_list(value, field, sub, indent + sub[1], path)
                return
        elif style == FLOW:
            if isinstance(value, list | tuple) and self._fits_flow(value, field):
                same, styles = sub[1], sub[2]
                texts = [
                    _scalar(
                        flow_item,
                        _flow_field(field),
                        same or styles[min(i, len(styles) - 1)],
                        (*path, i),
                    )
                    for i, flow_item in enumerate(value)
                ]
                self.lines.append(f"{head}{separator}[{', '.join(texts)}]{comment}")
                return
        elif not _is_block(value, field):
            text = self._override(path, value)
            if text is None:
                text = _scalar(value, field, style, path)
            self.lines.append(f"{head}{separator}{text}{comment}")
            return
        # The value no longer fits the way its key was written: the canonical way.
        self.entry(key, value, field, indent, path)

    def _override(self, path: _Path, value: object) -> str | None:
        if not self.overrides:
            return None
        found = self.overrides.get(path)
        if found is None or found[0] != value or type(found[0]) is not type(value):
            return None
        return found[1]

    @staticmethod
    def _fits_mapping(value: object, field: Field | None) -> bool:
        if field is None:
            return isinstance(value, Mapping) and bool(value)
        return field.kind is Kind.OBJECT

    @staticmethod
    def _fits_flow(value: object, field: Field | None) -> bool:
        if not isinstance(value, list | tuple) or not value:
            return False
        if field is not None and field.kind is not Kind.STRS:
            return False
        return not any(isinstance(item, Mapping | list | tuple) for item in value)

    def shaped_list(
        self,
        values: Sequence[Any],
        field: Field | None,
        shape: tuple[Any, ...],
        dash: int,
        path: _Path,
    ) -> None:
        same, items = shape[2], shape[3]
        if same is not None:
            for index, value in enumerate(values):
                self.shaped_item(value, field, same, dash, (*path, index))
            return
        index = 0
        last = None
        for item in items:
            if item[1] == NULL:
                # An empty item the model left out: written back as it was.
                self.lines.extend(item[0])
                self.lines.append(" " * dash + item[4])
                continue
            if index < len(values):
                self.shaped_item(values[index], field, item, dash, (*path, index))
                index += 1
                last = item if quiet(item) else None
            else:
                self.lines.extend(item[0])  # the item is gone; its comments are not
        for extra_index in range(index, len(values)):
            item_path = (*path, extra_index)
            if last is None:
                self.item(values[extra_index], field, dash, item_path)
            else:
                self.shaped_item(values[extra_index], field, last, dash, item_path)

    def shaped_item(
        self, value: object, field: Field | None, item: tuple[Any, ...], dash: int, path: _Path
    ) -> None:
        before, style, comment, sub, _ = item
        schema = _sub_schema(field)
        if schema is not None:
            value = _instance(schema.cls, value, path)
        if style == MAP and (schema is not None or (isinstance(value, Mapping) and value)):
            self.lines.extend(before)
            start = len(self.lines)
            first = self.shaped_mapping(value, schema, sub, dash + 2, path)
            if first >= 0:
                self.lines[first] = f"{' ' * dash}- {self.lines[first][dash + 2 :]}"
                return
            del self.lines[start:]
        elif style != MAP and schema is None and not isinstance(value, Mapping | list | tuple):
            self.lines.extend(before)
            text = self._override(path, value)
            if text is None:
                text = _scalar(value, _item_field(field), style, path)
            self.lines.append(f"{' ' * dash}- {text}{comment}")
            return
        self.item(value, field, dash, path)


def _flow_field(field: Field | None) -> Field | None:
    return None if field is None else _STRING_ITEM


def _item_field(field: Field | None) -> Field | None:
    return None if field is None else _STRING_ITEM


#: How an item of a list of strings is written.
_STRING_ITEM: Final = Field("item", "item", Kind.STR)


def _body(article: Article) -> str:
    return _text(article.body, ("body",))


def dumps(article: Article, *, canonical: bool = False, drop_comments: bool = False) -> str:
    """Return *article* as file text.

    An article read from a file is written in that file's layout:
    ``dumps(loads(text)) == text`` for every file of the subset of YAML the
    fast reader reads (see ``docs/format.md``), and an edit changes only the
    lines of the edited field. Other articles, and any article with
    *canonical* true, are written in the canonical layout.

    The canonical layout has no place for comments: for an article read from
    a file with comments, it is refused unless *drop_comments* is true.

    Raises :class:`~newsfeed.ValidationError` when a field holds a value
    the format cannot carry (a naive ``published_at``, a str where an int
    belongs, a lone surrogate, neither ``web_url`` nor ``original_url``),
    and when comments would be dropped.
    """
    layout: Layout | None = article._layout  # noqa: SLF001 -- the writer reads what the reader kept
    if layout is not None and (canonical or layout.shape is None):
        if layout.comments and not drop_comments:
            raise ValidationError(
                "the file has comments, which the canonical layout cannot keep "
                "(drop them explicitly to write it anyway)",
                source=article.path,
            )
        layout = None
    if layout is None:
        writer = _Writer(overrides={})
        writer.mapping(article, ARTICLE, 0, (), top=True)
        body = _body(article)
        return "---\n" + "".join(line + "\n" for line in writer.lines) + "---\n\n" + body
    overrides = {path: (value, text) for path, value, text in layout.overrides}
    writer = _Writer(step=layout.step, offset=layout.list_offset, overrides=overrides)
    writer.shaped_mapping(article, ARTICLE, layout.shape, 0, ())  # type: ignore[arg-type]
    body = _body(article)
    newline = layout.newline
    fence_end, gap = layout.fence_end, layout.gap
    if body and not fence_end:
        # The file ended at its fence; a body now needs a line between.
        fence_end = gap = newline
    return "".join(
        (
            "\ufeff" if layout.bom else "",
            "---",
            newline,
            "".join(line + newline for line in writer.lines),
            "---",
            fence_end,
            gap,
            body,
        )
    )
