"""Articles as a pandas DataFrame: the columns, their dtypes, and a column-by-column build.

:meth:`Feed.to_dataframe` and :func:`newsfeed.dask.to_dataframe` both build
their frames here, so the two cannot drift apart.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

from newsfeed._extras import require
from newsfeed._feed.criteria import epoch_us
from newsfeed._feed.text import first_unwritable, unwritable
from newsfeed._format import schema
from newsfeed._format.schema import Kind
from newsfeed._model import Article

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COLUMN_DTYPES",
    "COLUMN_GETTERS",
    "RECORD_COLUMNS",
    "articles_to_frame",
    "import_pandas",
]

#: The keys of every record :meth:`Feed.to_records` returns, and the columns
#: of :meth:`Feed.to_dataframe`, in order (derived from the format's schema).
RECORD_COLUMNS: Final = tuple(column.name for column in schema.RECORD_COLUMNS)

_DTYPE_OF_KIND: Final = {
    Kind.STR: "string",
    Kind.INT: "Int64",
    Kind.BOOL: "boolean",
    Kind.TIMESTAMP: "datetime64[us, UTC]",
    Kind.STRS: "object",
}

#: The pandas dtype of each column. Values that repeat across many articles
#: (outlets, types, categories) are categoricals: a small table of codes
#: rather than one string object per row.
COLUMN_DTYPES: Final[dict[str, str]] = {
    column.name: "category"
    if column.shared and column.kind is Kind.STR
    else _DTYPE_OF_KIND[column.kind]
    for column in schema.RECORD_COLUMNS
}


def _getter(name: str) -> Callable[[Article], object]:
    """Return how the column *name* is read off an article."""
    if name == "path":
        return lambda article: None if article.path is None else str(article.path)
    if name.endswith("_count"):
        counted = operator.attrgetter(name.removesuffix("_count"))
        return lambda article: len(counted(article))
    holder, _, inner = name.partition("_")
    field = schema.ARTICLE.by_attr.get(holder)
    if field is not None and field.kind is Kind.OBJECT:
        read = operator.attrgetter(inner)
        own = operator.attrgetter(holder)
        return lambda article: None if (item := own(article)) is None else read(item)
    return operator.attrgetter(name)


#: How each column's value is read off an article.
COLUMN_GETTERS: Final[dict[str, Callable[[Article], object]]] = {
    name: _getter(name) for name in RECORD_COLUMNS
}


def import_pandas() -> Any:  # noqa: ANN401 -- the module, when it is installed
    """Return the pandas module, or raise an ImportError naming the extra to install."""
    return require("pandas", extra="pandas", feature="Feed.to_dataframe()")


_INT64: Final = range(-(2**63), 2**63)


def _raise_overflow(name: str, values: list[Any], articles: Sequence[Article]) -> None:
    """Raise OverflowError naming the column and article of an integer beyond int64.

    The model takes any integer, as YAML does; an Int64 column cannot, and
    pandas says only "Python int too large to convert to C long". Looked for
    once pandas refused the column, so that a frame that fits costs nothing more.
    """
    for value, article in zip(values, articles, strict=True):
        if value is not None and value not in _INT64:
            where = "an article" if article.path is None else os.fspath(article.path)
            raise OverflowError(
                f"{where}: {name} = {value} does not fit in the 64-bit integer column {name!r}"
            )


def _no_strings(pandas: Any) -> Any:  # noqa: ANN401 -- pandas ships no types here
    """Return an empty Index of the dtype pandas gives strings (``str``, or ``object`` before 3)."""
    return pandas.Index([""]).delete(0)


def articles_to_frame(articles: Sequence[Article]) -> pd.DataFrame:
    """Return the DataFrame of *articles*, built one column at a time.

    One list per column, converted once to its dtype, rather than a dict per
    article turned into rows: pandas builds typed arrays from lists quickly,
    and nothing is formatted only to be parsed again.
    """
    pandas = import_pandas()
    try:
        columns = _columns(pandas, articles)
    except UnicodeEncodeError:
        _raise_unwritable(articles)
        raise
    frame: pd.DataFrame = pandas.DataFrame({name: columns[name] for name in RECORD_COLUMNS})
    return frame


def _raise_unwritable(articles: Sequence[Article]) -> None:
    """Raise ValidationError naming the article and column of the first lone surrogate.

    pandas keeps strings in Arrow, as UTF-8, and its error names neither.
    Looked for once pandas refused a column, so that a frame that fits
    costs nothing more.
    """
    for article in articles:
        for name, read in COLUMN_GETTERS.items():
            found = first_unwritable(read(article), keep_path=False)
            if found is not None:
                _, surrogate = found
                raise unwritable(article.path, name, surrogate, "a pandas string column")


def _columns(pandas: Any, articles: Sequence[Article]) -> dict[str, Any]:  # noqa: ANN401 -- pandas ships no types here
    """Return each column of *articles*, converted to its dtype."""
    import numpy as np  # noqa: PLC0415 -- comes with pandas

    columns: dict[str, Any] = {}
    for name, read in COLUMN_GETTERS.items():
        dtype = COLUMN_DTYPES[name]
        if dtype.startswith("datetime64"):
            # One column has one zone: every offset becomes UTC, the same
            # instant. (Recorded timestamps are required fields: never None.)
            stamps = np.array([epoch_us(read(article)) for article in articles], dtype="int64")  # type: ignore[arg-type]
            columns[name] = pandas.array(
                stamps.view("datetime64[us]"), dtype="datetime64[us]"
            ).tz_localize("UTC")
            continue
        if dtype == "object":  # lists of strings, as lists
            columns[name] = pandas.Series(
                [list(read(article)) for article in articles],  # type: ignore[call-overload]
                dtype=object,
            ).array
            continue
        values = [read(article) for article in articles]
        if dtype == "category":
            categorical = pandas.Categorical(values)
            if not len(categorical.categories):
                # Inferred from no value, the categories would be float64
                # or object, and dask could not combine such a partition
                # with one whose categories are strings.
                categorical = pandas.Categorical(values, categories=_no_strings(pandas))
            columns[name] = categorical
            continue
        try:
            columns[name] = pandas.array(values, dtype=dtype)
        except OverflowError:
            _raise_overflow(name, values, articles)
            raise
    return columns
