"""Arrow, Parquet and polars: a typed table of articles that reads back as the same articles.

The schema is derived from the model (:func:`newsfeed._feed.shape.record_shape`):
one column per attribute, in the model's order, with these types:

- text and paths: ``string``; integers: ``int64``; flags: ``bool``;
- a timestamp: ``timestamp[us, tz=UTC]``, the same instant in UTC, since a
  column has one zone; the offset the article was written in follows it as
  ``<name>_offset``, ``int32`` seconds east of UTC (``-25200`` for ``-07:00``);
- ``topics``: ``list<string>``; ``provider``: a ``struct``; ``related`` and
  ``images``: ``list<struct>``, with the same columns inside;
- ``extra``, the keys the model does not know: a ``string`` holding them as a
  JSON object (the encoding of :mod:`newsfeed._feed.shape`), null when there
  are none, since their types vary from file to file.

A column is nullable when the attribute may be None (a table read back may have
nulls anywhere: a null the model refuses is an error naming row and field). Integers beyond
``int64`` do not fit and raise :class:`OverflowError` naming the field.

A table read back may hold its timestamps in any unit (``s``, ``ms``, ``us``
or ``ns``, as other tools write them): each is read as the instant it holds.
A nanosecond timestamp with a fraction of a microsecond, which a
:class:`~datetime.datetime` cannot hold, is an error naming row and field
rather than a silently different instant.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Final

from newsfeed._errors import ValidationError
from newsfeed._extras import require
from newsfeed._feed.shape import (
    Codec,
    DecodeError,
    Extra,
    ListOf,
    Record,
    Scalar,
    Shape,
    Timestamp,
    encode_extra,
    json_value,
    record_shape,
)
from newsfeed._feed.text import first_unwritable, reason, unwritable
from newsfeed._files.writing import write_atomically
from newsfeed._model import Article

if TYPE_CHECKING:
    import polars as pl
    import pyarrow as pa

__all__ = [
    "OFFSET_SUFFIX",
    "arrow_schema",
    "read_arrow",
    "read_parquet",
    "to_arrow",
    "to_polars",
    "write_parquet",
]

#: The column beside each timestamp that keeps its UTC offset, in seconds.
OFFSET_SUFFIX: Final = "_offset"

_EPOCH: Final = datetime(1970, 1, 1)  # noqa: DTZ001 -- naive on purpose: wall times are shifted by hand
_MICROSECOND: Final = timedelta(microseconds=1)
_SECOND: Final = timedelta(seconds=1)
_INT64: Final = range(-(2**63), 2**63)
_MICROSECONDS_PER_TICK: Final = {"s": 1_000_000, "ms": 1_000, "us": 1}
_NANOSECONDS_PER_MICROSECOND: Final = 1_000
_DAY_SECONDS: Final = 86_400
_LIST_INDEX: Final = re.compile(r"\[\d+\]")


def _pyarrow(feature: str) -> None:
    """Raise ImportError naming the extra when pyarrow is missing."""
    require("pyarrow", extra="pyarrow", feature=feature)


def _arrow_type(shape: Shape, *, integer_timestamps: bool, relaxed: bool) -> pa.DataType:
    import pyarrow as pa  # noqa: PLC0415 -- an optional extra; callers checked it is there

    if isinstance(shape, Record):
        return pa.struct(
            _arrow_fields(shape, integer_timestamps=integer_timestamps, relaxed=relaxed)
        )
    if isinstance(shape, ListOf):
        return pa.list_(
            _arrow_type(shape.item, integer_timestamps=integer_timestamps, relaxed=relaxed)
        )
    if isinstance(shape, Timestamp):
        return pa.int64() if integer_timestamps else pa.timestamp("us", tz="UTC")
    if isinstance(shape, Scalar) and shape.python_type is int:
        return pa.int64()
    if isinstance(shape, Scalar) and shape.python_type is bool:
        return pa.bool_()
    # Text, a path, or extra as JSON text.
    return pa.string()


def _arrow_fields(
    record: Record, *, integer_timestamps: bool, relaxed: bool = False
) -> list[pa.Field[Any]]:
    import pyarrow as pa  # noqa: PLC0415 -- an optional extra; callers checked it is there

    fields = []
    for field in record.fields:
        nullable = relaxed or field.optional or isinstance(field.shape, Extra)
        fields.append(
            pa.field(
                field.name,
                _arrow_type(field.shape, integer_timestamps=integer_timestamps, relaxed=relaxed),
                nullable=nullable,
            )
        )
        if isinstance(field.shape, Timestamp):
            fields.append(pa.field(field.name + OFFSET_SUFFIX, pa.int32(), nullable=nullable))
    return fields


def arrow_schema(*, integer_timestamps: bool = False) -> pa.Schema:
    """Return the Arrow schema of a table of articles, derived from the model's fields.

    With *integer_timestamps*, timestamps are plain ``int64`` microseconds,
    the form the reader casts a table to before reading it back.
    """
    _pyarrow("the Arrow schema")
    import pyarrow as pa  # noqa: PLC0415 -- an optional extra, just checked

    record = record_shape(Article)
    schema: pa.Schema = pa.schema(_arrow_fields(record, integer_timestamps=integer_timestamps))
    return schema


class _ArrowCodec(Codec):
    """Timestamps as UTC microseconds plus an offset column; ``extra`` as JSON text.

    *units* gives the unit of the timestamps of a table being read, by field
    name without list indexes (``related.published_at``), for a table that
    another tool wrote in seconds, milliseconds or nanoseconds; a timestamp
    it does not name is in microseconds, as :func:`to_arrow` writes them.
    """

    def __init__(self, units: Mapping[str, str] | None = None) -> None:
        self._units: Mapping[str, str] = units or {}

    def timestamp_keys(self, name: str) -> tuple[str, ...]:
        return (name, name + OFFSET_SUFFIX)

    def encode_timestamp(self, name: str, value: datetime, into: dict[str, Any]) -> None:
        offset = value.utcoffset()
        if offset is None:
            raise ValueError(f"{name}: a timestamp must be timezone-aware, got {value}")
        if offset % _SECOND:
            raise ValueError(f"{name}: a UTC offset must be whole seconds, got {offset}")
        # By hand rather than astimezone(UTC), which overflows near year 1 and 9999.
        local = (value.replace(tzinfo=None) - _EPOCH) // _MICROSECOND
        into[name] = local - offset // _MICROSECOND
        into[name + OFFSET_SUFFIX] = offset // _SECOND

    def decode_timestamp(self, name: str, data: Mapping[str, Any], where: str) -> datetime | None:
        ticks, seconds = data[name], data.get(name + OFFSET_SUFFIX)
        if ticks is None:
            return None
        if seconds is None:
            raise DecodeError(where + OFFSET_SUFFIX, "a timestamp needs its offset")
        if not -_DAY_SECONDS < seconds < _DAY_SECONDS:
            raise DecodeError(
                where + OFFSET_SUFFIX,
                f"{seconds} seconds is not a UTC offset: it must be less than a day either way",
            )
        unit = self._units.get(_LIST_INDEX.sub("", where), "us")
        instant = self._microseconds(ticks, unit, where)
        offset = timedelta(seconds=seconds)
        try:
            local: datetime = _EPOCH + (instant * _MICROSECOND + offset)
        except OverflowError:
            raise DecodeError(
                where, f"{ticks} {unit} after 1970 is outside the years 1 to 9999 in its offset"
            ) from None
        return local.replace(tzinfo=timezone(offset))

    @staticmethod
    def _microseconds(ticks: int, unit: str, where: str) -> int:
        if unit != "ns":
            return ticks * _MICROSECONDS_PER_TICK[unit]
        instant, nanoseconds = divmod(ticks, _NANOSECONDS_PER_MICROSECOND)
        if nanoseconds:
            # Truncating would read back a different instant without a word.
            raise DecodeError(
                where, f"{ticks} ns has a fraction of a microsecond, which a datetime cannot hold"
            )
        return instant

    def encode_extra(self, extra: Mapping[str, Any], where: str) -> object:
        if not extra:
            return None
        return json.dumps(encode_extra(extra, where=where), ensure_ascii=False, allow_nan=False)

    def decode_extra(self, value: object, where: str) -> Mapping[str, Any]:
        if not isinstance(value, str):
            raise DecodeError(where, f"expected JSON text, got {type(value).__name__}")
        data = json_value(value, where)
        # As load_jsonl: a lone surrogate no export could write out again.
        found = first_unwritable(data, keep_path=False)
        if found is not None:
            place, surrogate = found
            raise DecodeError(f"{where}.{place}" if place else where, reason(place, surrogate))
        return super().decode_extra(data, where)


_CODEC: Final = _ArrowCodec()


def _check_integers(value: object, where: str) -> None:
    """Raise OverflowError naming the field of the first integer beyond int64."""
    if isinstance(value, bool):
        return
    if isinstance(value, int) and value not in _INT64:
        raise OverflowError(f"{where}: {value} does not fit in a 64-bit integer column")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_integers(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_integers(item, f"{where}[{index}]")


def to_arrow(articles: Iterable[Article]) -> pa.Table:
    """Return a :class:`pyarrow.Table` of *articles*, one row each, in the schema above."""
    _pyarrow("Feed.to_arrow()")
    import pyarrow as pa  # noqa: PLC0415 -- an optional extra, just checked

    record = record_shape(Article)
    articles = list(articles)  # walked again if a row cannot be written
    rows = []
    for article in articles:
        row = _CODEC.encode(article, record)
        _check_integers(row, "")
        rows.append(row)
    if not rows:
        return arrow_schema().empty_table()
    # Timestamps go in as integers, so no datetime is converted (or overflows) on the way.
    try:
        table: pa.Table = pa.Table.from_pylist(rows, schema=arrow_schema(integer_timestamps=True))
    except UnicodeEncodeError:
        _raise_unwritable(articles, rows)
        raise
    return table.cast(arrow_schema())


def _raise_unwritable(articles: list[Article], rows: list[dict[str, Any]]) -> None:
    """Raise ValidationError naming the article and field of the first lone surrogate.

    Arrow strings are UTF-8, and pyarrow's error names neither. Looked for
    once pyarrow refused the rows, so that a table that fits costs nothing more.
    """
    for article, row in zip(articles, rows, strict=True):
        found = first_unwritable(row, keep_path=False)
        if found is not None:
            raise unwritable(article.path, *found, "an Arrow string")


def _timestamp_units(fields: Iterable[pa.Field[Any]], prefix: str = "") -> dict[str, str]:
    """Return the unit of each timestamp column among *fields*, by name without list indexes."""
    import pyarrow as pa  # noqa: PLC0415 -- an optional extra; callers checked it is there

    units = {}
    for field in fields:
        name, kind = prefix + field.name, field.type
        while isinstance(kind, pa.ListType | pa.LargeListType | pa.FixedSizeListType):
            kind = kind.value_type
        if isinstance(kind, pa.TimestampType):
            units[name] = kind.unit
        elif isinstance(kind, pa.StructType):
            units.update(_timestamp_units(kind, name + "."))
    return units


def read_arrow(table: pa.Table, *, source: str | os.PathLike[str] | None = None) -> list[Article]:
    """Return the articles of a table :func:`to_arrow` made (or one read from its Parquet file).

    Raises :class:`~newsfeed.ValidationError` naming the row and the field
    (and *source*, the Parquet file) for a table that does not hold articles.
    """
    _pyarrow("Feed.from_arrow()")
    import pyarrow as pa  # noqa: PLC0415 -- an optional extra, just checked

    # Every column nullable: polars (and other writers) give the children of a
    # null struct, such as a missing provider's images, null values that a
    # non-null child type would refuse. A null where the model needs a value
    # is still refused, by the codec, naming the row and the field.
    integer_schema = pa.schema(
        _arrow_fields(record_shape(Article), integer_timestamps=True, relaxed=True)
    )
    # A timestamp cast to int64 keeps its ticks in its own unit: the codec
    # scales them, row by row, so that a tick it cannot hold names its row.
    codec = _ArrowCodec(_timestamp_units(table.schema))
    try:
        table = table.select(integer_schema.names).cast(integer_schema)
    except (KeyError, ValueError, TypeError) as error:
        raise ValidationError(f"not a table of articles: {error}", source=source) from None
    record = record_shape(Article)
    articles = []
    for index, row in enumerate(table.to_pylist()):
        try:
            articles.append(codec.decode(row, record))
        except DecodeError as error:
            raise ValidationError(
                f"{error.reason} (row {index})", source=source, field=error.where or None
            ) from None
    return articles


def write_parquet(articles: Iterable[Article], path: str | os.PathLike[str]) -> None:
    """Write *articles* to a Parquet file at *path*, atomically (see :func:`to_arrow`)."""
    table = to_arrow(articles)
    parquet = require("pyarrow.parquet", extra="pyarrow", feature="Feed.to_parquet()")
    import pyarrow as pa  # noqa: PLC0415 -- an optional extra, just checked

    # Built in memory, then written atomically as dump does: a failed write
    # leaves any old file whole rather than half a Parquet file.
    sink = pa.BufferOutputStream()
    parquet.write_table(table, sink)
    write_atomically(path, sink.getvalue().to_pybytes())


def read_parquet(path: str | os.PathLike[str]) -> list[Article]:
    """Return the articles of a Parquet file :func:`write_parquet` wrote."""
    parquet = require("pyarrow.parquet", extra="pyarrow", feature="newsfeed.load_parquet()")
    return read_arrow(parquet.read_table(path), source=path)


def to_polars(articles: Iterable[Article]) -> pl.DataFrame:
    """Return a polars DataFrame of *articles*: the Arrow table's columns, as polars types."""
    polars = require("polars", extra="polars", feature="Feed.to_polars()")
    require("pyarrow", extra="polars", feature="Feed.to_polars()")
    frame: pl.DataFrame = polars.from_arrow(to_arrow(articles))
    return frame
