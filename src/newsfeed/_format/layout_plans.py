"""Plans for writing model objects in a mapping shape they fit exactly: the writer's fast path.

:meth:`~newsfeed._format.layout_writing.LayoutWriter.shaped_mapping` is
general: it works out which keys are present, places new ones, and decides
line by line how to write each value. For a folder of files, almost every
object written has exactly the keys its shape has, so this module works
that out once per (schema, shape) pair, as a *plan*: one step per entry,
with its key text and how its value is written, and the plans of the
mappings and lists inside.

:func:`write_planned` follows a plan for one object. It writes only the
lines it is sure of (the same ones the general path writes for them) and,
on anything else -- a key present or absent that the shape does not have,
a value that needs escapes or another style, an unknown key -- it hands
that entry, or the whole mapping, to the general path. ``tests/test_layout.py``
holds its output against the general path's for edited articles.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from newsfeed._format.layout import BLOCK, EMPTY_FLOW, FLOW, MAP, NULL
from newsfeed._format.scalars import DOUBLE, PLAIN, is_plain_safe, needs_escape, write_timestamp
from newsfeed._format.schema import SCHEMAS, Kind, Schema

if TYPE_CHECKING:
    from newsfeed._format.canonical import KeyPath
    from newsfeed._format.layout_writing import LayoutWriter

__all__ = ["MISFIT", "SMALL_INT", "Plan", "plan_for", "write_planned"]

#: Returned by :func:`write_planned` when the object does not fit its plan.
MISFIT: Final = -2

# What a step does with its value.
_GENERAL: Final = 0  # the general path: an unknown key, a flow list, any other style
_STRING: Final = 1  # a string in its double-quoted or plain style
_INT: Final = 2
_TIMESTAMP: Final = 3
_OBJECT: Final = 4  # a model object, in its block mapping shape
_OBJECTS: Final = 5  # a list of model objects, every item in one mapping shape
_STRINGS: Final = 6  # a list of strings, every item in one style
_BOOL: Final = 7
# A list read as absent (all its items null, or written "[]"): written back
# by the general path.
_READ_AS_ABSENT: Final = 8
_MISSING: Final = object()

#: Integers below this in size are written as they are, on the fast paths
#: (here and the general path's common lines); longer ones may be too long to print.
SMALL_INT: Final = 10**18
_SCALARS: Final = {Kind.STR: _STRING, Kind.INT: _INT, Kind.TIMESTAMP: _TIMESTAMP, Kind.BOOL: _BOOL}


class Plan:
    """How to write one schema's objects in one mapping shape."""

    __slots__ = ("absent", "extra_keys", "needed", "schema", "steps", "trailer")

    def __init__(self, schema: Schema, shape: tuple[Any, ...]) -> None:
        self.schema = schema
        by_key = schema.by_key
        keys = [entry[0] for entry in shape[2]]
        index_of = {field.key: index for index, field in enumerate(schema.fields)}
        #: Field positions the shape has no key for: their values must be absent.
        self.absent = tuple(index_of[key] for key in index_of if key not in keys)
        #: Groups of field positions of which one at least must be present:
        #: the required fields, each a group of its own, and the schema's
        #: "one of" groups. Without them the general path says what is missing.
        self.needed = tuple(
            [(index_of[field.key],) for field in schema.required]
            + [tuple(index_of[key] for key in group) for group in schema.one_of]
        )
        #: Keys of the shape that are not fields, in ``extra``.
        self.extra_keys = frozenset(key for key in keys if key not in by_key)
        self.steps = tuple(_step(entry, schema) for entry in shape[2])
        self.trailer: tuple[str, ...] = shape[3]


def _step(entry: tuple[Any, ...], schema: Schema) -> tuple[Any, ...]:
    """Return ``(what, before, head, comment, index, sub_plan, entry, field)`` for *entry*."""
    key, before, separator, style, comment, sub = entry
    field = schema.by_key.get(key)
    head = f"{key}:{separator}"
    if field is None:
        return (_GENERAL, before, head, comment, key, None, entry, None)
    index = schema.fields.index(field)
    what = _GENERAL
    sub_plan: object = None
    kind = field.kind
    if style in (DOUBLE, PLAIN):
        what = _SCALARS.get(kind, _GENERAL)
        if what != _STRING and style != PLAIN:
            what = _GENERAL
    elif (
        style == BLOCK
        and sub[0] == "list"
        and sub[2] is None
        and all(item[1] == NULL for item in sub[3])
    ) or (style == FLOW and sub == EMPTY_FLOW):
        what = _READ_AS_ABSENT
    elif style == BLOCK and kind is Kind.OBJECT and sub[0] == MAP:
        what, sub_plan = _OBJECT, plan_for(SCHEMAS[field.item], sub)  # type: ignore[index]
    elif style == BLOCK and sub[0] == "list" and kind is Kind.OBJECTS:
        # Each item in the one shape they share, or in its own.
        items = (sub[2],) if sub[2] is not None else sub[3]
        if all(item[1] == MAP for item in items):
            what, sub_plan = _OBJECTS, (SCHEMAS[field.item], sub[1], items)  # type: ignore[index]
    elif (
        style == BLOCK
        and kind is Kind.STRS
        and sub[0] == "list"
        and sub[2] is not None
        and sub[2][1] in (DOUBLE, PLAIN)
    ):
        what, sub_plan = _STRINGS, (sub[2][1], sub[1], sub[2])
    return (what, before, head, comment, index, sub_plan, entry, field)


_PLANS: dict[tuple[int, int], tuple[tuple[Any, ...], Plan]] = {}
_MAX_PLANS: Final = 50_000


def plan_for(schema: Schema, shape: tuple[Any, ...]) -> Plan:
    """Return the plan of *schema*'s objects in *shape*, made once."""
    # Keyed by identity (shapes are interned), with the shape kept alongside
    # so that an id is never taken for a later shape's.
    found = _PLANS.get((id(schema), id(shape)))
    if found is not None and found[0] is shape:
        return found[1]
    plan = Plan(schema, shape)
    if len(_PLANS) < _MAX_PLANS:
        _PLANS[id(schema), id(shape)] = (shape, plan)
    return plan


def write_planned(  # noqa: C901, PLR0912, PLR0915 -- the hot loop, kept whole for speed
    writer: LayoutWriter, plan: Plan, value: object, indent: int, path: KeyPath
) -> int:
    """Write *value* by *plan*; return the index of its first key line, or :data:`MISFIT`.

    On :data:`MISFIT` nothing has been written, and the general path takes
    the whole mapping.
    """
    schema = plan.schema
    if type(value) is not schema.cls:
        return MISFIT
    values = schema.values_of(value)
    for index in plan.absent:
        item = values[index]
        if item is not None and (type(item) is not tuple or item):
            return MISFIT  # a key the shape does not have
    for group in plan.needed:
        if all(values[index] is None for index in group):
            return MISFIT  # a required field is missing: the general path says so
    extra = value.extra  # type: ignore[attr-defined]
    if extra and not extra.keys() <= plan.extra_keys:
        return MISFIT
    lines = writer.lines
    start = len(lines)
    first = -1
    pad = " " * indent
    for what, before, head, comment, index, sub_plan, entry, field in plan.steps:
        if before:
            lines.extend(before)  # blank lines and comments are kept, the key or not
        if field is None:
            item = extra.get(index, _MISSING)
            if item is _MISSING:
                continue  # an unknown key this object does not have (None is a value)
        else:
            item = values[index]
            if item is None or (type(item) is tuple and not item):
                if what == _READ_AS_ABSENT:
                    del lines[start:]
                    return MISFIT
                continue  # a key another item of the list has, or that was removed
        if first < 0:
            first = len(lines)
        if what == _STRING:
            if type(item) is str:
                if entry[3] == DOUBLE:
                    if not needs_escape(item):
                        lines.append(f'{pad}{head}"{item}"{comment}')
                        continue
                elif is_plain_safe(item):
                    lines.append(f"{pad}{head}{item}{comment}")
                    continue
        elif what == _TIMESTAMP:
            if type(item) is datetime and item.tzinfo is not None:
                try:
                    text = write_timestamp(item)
                except ValueError:
                    pass  # the general path says what is wrong with it
                else:
                    lines.append(f"{pad}{head}{text}{comment}")
                    continue
        elif what == _INT:
            if type(item) is int and -SMALL_INT < item < SMALL_INT:
                lines.append(f"{pad}{head}{item}{comment}")
                continue
        elif what == _BOOL:
            if item is True or item is False:
                lines.append(f"{pad}{head}{'true' if item else 'false'}{comment}")
                continue
        elif what == _OBJECT:
            mark = len(lines)
            lines.append(f"{pad}{head}{comment}")
            at = (*path, entry[0])
            # No key written (an emptied provider) is no fit either: a bare
            # `provider:` would read back as null, not as Provider().
            if write_planned(writer, sub_plan, item, indent + entry[5][1], at) >= 0:
                continue
            del lines[mark:]
        elif what == _OBJECTS and type(item) is tuple:
            lines.append(f"{pad}{head}{comment}")
            if _write_objects(writer, sub_plan, item, indent, (*path, entry[0])):
                continue
            lines.pop()
        elif what == _STRINGS and type(item) is tuple:
            lines.append(f"{pad}{head}{comment}")
            if _write_strings(lines, sub_plan, item, indent):
                continue
            lines.pop()
        # Anything else, the general path: the same lines, worked out each time.
        writer.shaped_entry(entry, item, field, indent, (*path, entry[0]))
    if plan.trailer:
        lines.extend(plan.trailer)
    return first


def _write_objects(
    writer: LayoutWriter,
    sub_plan: tuple[Any, ...],
    items: tuple[Any, ...],
    indent: int,
    path: KeyPath,
) -> bool:
    """Write a list of objects, each item in its mapping shape; False if one does not fit."""
    schema, offset, shapes = sub_plan
    if len(shapes) != 1 and len(shapes) != len(items):
        return False  # items added or removed: the general path places them
    lines = writer.lines
    start = len(lines)
    dash = indent + offset
    for number, item in enumerate(items):
        shape = shapes[0] if len(shapes) == 1 else shapes[number]
        if shape[0]:
            lines.extend(shape[0])
        plan = plan_for(schema, shape[3])
        first = write_planned(writer, plan, item, dash + 2, (*path, number))
        if first < 0:  # a misfit, or (never for a model object) no key at all
            del lines[start:]
            return False
        lines[first] = f"{' ' * dash}- {lines[first][dash + 2 :]}"
    return True


def _write_strings(
    lines: list[str], sub_plan: tuple[Any, ...], items: tuple[Any, ...], indent: int
) -> bool:
    """Write a list of strings all in one style; False if one needs another."""
    style, offset, same = sub_plan
    start = len(lines)
    prefix = " " * (indent + offset) + "- "
    before, comment = same[0], same[2]
    for item in items:
        if type(item) is not str or not (
            is_plain_safe(item) if style == PLAIN else not needs_escape(item)
        ):
            del lines[start:]
            return False
        if before:
            lines.extend(before)
        text = f'"{item}"' if style == DOUBLE else item
        lines.append(f"{prefix}{text}{comment}")
    return True
