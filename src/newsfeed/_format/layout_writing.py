"""Writing an article in the layout of the file it was read from.

:class:`LayoutWriter` follows a file's layout (:mod:`newsfeed._format.layout`):
its key order, blank lines and comments, indentation, quoting styles. What
the layout does not cover -- a key that was not there, a list item more, a
value its old style cannot hold -- is written the canonical way
(:class:`~newsfeed._format.canonical.Writer`), at the place the canonical
order gives it, with the file's indentation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from newsfeed._format.canonical import (
    Item,
    KeyPath,
    Writer,
    instance_of,
    is_block,
    key_path,
    present_items,
    scalar_text,
    sub_schema,
)
from newsfeed._format.layout import BLOCK, EMPTY_FLOW, FLOW, MAP, NULL, quiet
from newsfeed._format.layout_plans import MISFIT, SMALL_INT, plan_for, write_planned
from newsfeed._format.scalars import DOUBLE, PLAIN, is_plain_safe, needs_escape
from newsfeed._format.schema import Field, Kind, Schema

__all__ = ["LayoutWriter"]


class LayoutWriter(Writer):
    """Collects the lines of one front matter written in a file's own layout."""

    __slots__ = ("plans",)

    def __init__(
        self,
        *,
        step: int,
        offset: int,
        overrides: dict[KeyPath, tuple[object, str]],
        plans: bool = True,
    ) -> None:
        super().__init__(step=step, offset=offset, overrides=overrides)
        #: Whether mappings are written by plan (:mod:`newsfeed._format.layout_plans`)
        #: where they fit one; off, only the general path writes (for tests).
        self.plans = plans

    def shaped_mapping(  # noqa: C901, PLR0912, PLR0913 -- the hot loop, common lines written out
        self,
        value: object,
        schema: Schema | None,
        shape: tuple[Any, ...],
        indent: int,
        path: KeyPath,
        *,
        present: list[Item] | None = None,
    ) -> int:
        """Write a mapping in *shape*; return the index of its first key line (-1: none)."""
        if present is None:
            if schema is not None and self.plans and not self.overrides:
                first = write_planned(self, plan_for(schema, shape), value, indent, path)
                if first != MISFIT:
                    return first
            present = present_items(value, schema, path)
        entries: tuple[tuple[Any, ...], ...] = shape[2]
        by_key = {item[0]: item for item in present}
        order: Sequence[tuple[Any, ...] | Item] = entries
        if not by_key.keys() <= _keys_of(shape):
            order = list(entries)
            positions = {} if schema is None else schema.position
            known = _keys_of(shape)
            for item in present:
                if item[0] not in known:
                    order.insert(self._place(item[0], order, by_key, positions), item)
        lines = self.lines
        pad = " " * indent
        plain_strings = not self.overrides
        first = -1
        for element in order:
            if len(element) == 3:  # a key the layout does not have: the canonical way
                if first < 0:
                    first = len(lines)
                self.entry(element[0], element[1], element[2], indent, key_path(path, element[0]))
                continue
            if element[1]:
                lines.extend(element[1])  # blank lines and comments: always kept
            present_item = by_key.get(element[0])
            if present_item is None:
                self._absent(element, indent, path)
                continue
            if first < 0:
                first = len(lines)
            item, field = present_item[1], present_item[2]
            style = element[3]
            if plain_strings and type(item) is str and (field is None or field.kind is Kind.STR):
                # Most lines: a string that needs no escape, in its style.
                if style == DOUBLE and not needs_escape(item):
                    lines.append(f'{pad}{element[0]}:{element[2]}"{item}"{element[4]}')
                    continue
                if style == PLAIN and is_plain_safe(item):
                    lines.append(f"{pad}{element[0]}:{element[2]}{item}{element[4]}")
                    continue
            elif (
                type(item) is int
                and field is not None
                and field.kind is Kind.INT
                and -SMALL_INT < item < SMALL_INT
            ):
                lines.append(f"{pad}{element[0]}:{element[2]}{item}{element[4]}")
                continue
            self.shaped_entry(element, item, field, indent, (*path, element[0]))
        if shape[3]:
            lines.extend(shape[3])
        return first

    @staticmethod
    def _place(
        key: str,
        order: list[tuple[Any, ...] | Item],
        present: dict[str, Item],
        positions: Mapping[str, int],
    ) -> int:
        """Where a new key goes: where the canonical order puts it among the keys present.

        That is before the first present field the canonical order puts
        after it, or else right after the last field before it: the
        canonical order puts unknown keys after every field, so a new field
        goes before the unknown keys that end a mapping.
        """
        position = positions.get(key)
        after_field = after_any = 0
        for index, element in enumerate(order):
            other = element[0]
            if other not in present:
                continue
            after_any = index + 1
            known = positions.get(other)
            if known is None or position is None:
                continue  # an unknown key: the canonical order puts it after every field
            if known > position:
                return index
            after_field = index + 1
        # A new unknown key goes after every key, as the canonical order has
        # unknown keys last, in their order.
        return after_any if position is None else after_field

    def _absent(self, entry: tuple[Any, ...], indent: int, path: KeyPath) -> None:
        """Write back a key of the layout whose value is absent, if it was read as absent."""
        key, _, separator, style, comment, sub = entry
        if style == BLOCK and _null_items_only(sub):
            # Null items only: read as an empty list, which is not written;
            # unchanged, so its lines are written back.
            self.lines.append(f"{' ' * indent}{key}:{comment}")
            self.shaped_list((), None, sub, indent + sub[1], path)
        elif style == FLOW and sub == EMPTY_FLOW:
            # Written "[]": read as an empty list, which is not written
            # either; unchanged, so it is written back.
            self.lines.append(f"{' ' * indent}{key}:{separator}[]{comment}")

    def shaped_entry(
        self, entry: tuple[Any, ...], value: object, field: Field | None, indent: int, path: KeyPath
    ) -> None:
        key, _, separator, style, comment, sub = entry
        head = " " * indent + key + ":"
        if style == BLOCK:
            if sub[0] == MAP and self._fits_mapping(value, field):
                schema = sub_schema(field)
                if schema is not None:
                    value = instance_of(schema.cls, value, path)
                present = present_items(value, schema, path)
                if present:
                    self.lines.append(head + comment)
                    self.shaped_mapping(value, schema, sub, indent + sub[1], path, present=present)
                    return
            elif (
                sub[0] == "list"
                and isinstance(value, list | tuple)
                and value
                and (field is None or field.kind is Kind.STRS or field.kind is Kind.OBJECTS)
            ):
                self.lines.append(head + comment)
                self.shaped_list(value, field, sub, indent + sub[1], path)
                return
        elif style == FLOW:
            text = self._flow_text(value, field, sub, path)
            if text is not None:
                self.lines.append(f"{head}{separator}{text}{comment}")
                return
        elif not is_block(value, field):
            text = self._one_line(value, field, style, path)
            self.lines.append(f"{head}{separator}{text}{comment}")
            return
        # The value no longer fits the way its key was written: the canonical
        # way, the key's own comment kept on its line (unless the key is gone).
        start = len(self.lines)
        self.entry(key, value, field, indent, path)
        if comment and start < len(self.lines) and self.lines[start].startswith(head):
            self.lines[start] += comment

    def _flow_text(
        self, value: object, field: Field | None, shape: tuple[Any, ...], path: KeyPath
    ) -> str | None:
        """Write a value in flow style, as its key was: None if it no longer fits one."""
        if isinstance(value, list | tuple) and self._fits_flow(value, field):
            texts = [
                scalar_text(
                    item, _flow_field(field), _flow_style(shape, index, item), (*path, index)
                )
                for index, item in enumerate(value)
            ]
            return f"[{', '.join(texts)}]"
        if field is None and isinstance(value, Mapping) and not value:
            return "{}"
        return None

    def _one_line(self, value: object, field: Field | None, style: str, path: KeyPath) -> str:
        """Write a value that takes one line where a scalar was, in its style where it allows."""
        text = self._override(path, value)
        if text is not None:
            return text
        if isinstance(value, Mapping | list | tuple):
            # An empty one (is_block takes the others): "[]" or "{}".
            return self.flow_empty_or_scalar(value, field, path)
        return scalar_text(value, field, style, path)

    def _override(self, path: KeyPath, value: object) -> str | None:
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
        if not isinstance(value, list | tuple):
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
        path: KeyPath,
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
                last = item
            else:
                self.lines.extend(item[0])  # the item is gone; its comments are not
        if last is not None and not quiet(last):
            last = None  # its comments are its own: new items are written canonically
        for extra_index in range(index, len(values)):
            item_path = (*path, extra_index)
            if last is None:
                self.item(values[extra_index], field, dash, item_path)
            else:
                self.shaped_item(values[extra_index], field, last, dash, item_path)

    def shaped_item(
        self, value: object, field: Field | None, item: tuple[Any, ...], dash: int, path: KeyPath
    ) -> None:
        before, style, comment, sub, _ = item
        schema = sub_schema(field)
        if schema is not None:
            value = instance_of(schema.cls, value, path)
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
                text = scalar_text(value, _item_field(field), style, path)
            self.lines.append(f"{' ' * dash}- {text}{comment}")
            return
        self.item(value, field, dash, path)


#: Keys of each mapping shape, by the shape's id (the shape is kept with them,
#: so that an id is never taken for a later shape's).
_KEYS: dict[int, tuple[tuple[Any, ...], frozenset[str]]] = {}


def _keys_of(shape: tuple[Any, ...]) -> frozenset[str]:
    found = _KEYS.get(id(shape))
    if found is not None and found[0] is shape:
        return found[1]
    keys = frozenset(entry[0] for entry in shape[2])
    if len(_KEYS) < _MAX_KEYS:
        _KEYS[id(shape)] = (shape, keys)
    return keys


_MAX_KEYS: Final = 50_000


def _null_items_only(shape: tuple[Any, ...]) -> bool:
    """Whether *shape* is a list shape whose items are all null (empty ``-`` lines)."""
    return shape[0] == "list" and shape[2] is None and all(item[1] == NULL for item in shape[3])


def _flow_style(shape: tuple[Any, ...], index: int, item: object) -> str:
    """Return the quoting of the item at *index* of a flow list: as its neighbours, or plain.

    A list written empty (``[]``) has no item to follow: its items are plain
    where they can be, as the canonical layout writes topics. A ``?`` ends a
    plain scalar in a flow list for PyYAML's own scanner (not for libyaml):
    such an item is quoted, so that every loader reads it alike.
    """
    same, styles = shape[1], shape[2]
    if same is not None:
        style = str(same)
    else:
        style = str(styles[min(index, len(styles) - 1)]) if styles else PLAIN
    if style == PLAIN and isinstance(item, str) and "?" in item:
        return DOUBLE
    return style


def _flow_field(field: Field | None) -> Field | None:
    return None if field is None else _STRING_ITEM


def _item_field(field: Field | None) -> Field | None:
    return None if field is None else _STRING_ITEM


#: How an item of a list of strings is written.
_STRING_ITEM: Final = Field("item", "item", Kind.STR)
