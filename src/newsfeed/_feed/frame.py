"""Articles as a pandas DataFrame: the columns, their dtypes, and a column-by-column build.

:meth:`Feed.to_dataframe` and :func:`newsfeed.dask.to_dataframe` both build
their frames here, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

from newsfeed._extras import require
from newsfeed._feed.criteria import epoch_us
from newsfeed._model import Article

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMN_DTYPES", "RECORD_COLUMNS", "articles_to_frame", "import_pandas"]

#: The keys of every record :meth:`Feed.to_records` returns, and the columns
#: of :meth:`Feed.to_dataframe`, in order.
RECORD_COLUMNS: Final = (
    "published_at",
    "title",
    "provider_name",
    "provider_domain",
    "quality",
    "heat",
    "published",
    "topics",
    "related_count",
    "category",
    "type",
    "excerpt",
    "web_url",
    "amp_web_url",
    "cdn_amp_web_url",
    "path",
)

#: The pandas dtype of each column. Values that repeat across many articles
#: (outlets, types, categories) are categoricals: a small table of codes
#: rather than one string object per row.
COLUMN_DTYPES: Final[dict[str, str]] = {
    "published_at": "datetime64[us, UTC]",
    "title": "string",
    "provider_name": "category",
    "provider_domain": "category",
    "quality": "Int64",
    "heat": "Int64",
    "published": "boolean",
    "topics": "object",
    "related_count": "Int64",
    "category": "category",
    "type": "category",
    "excerpt": "string",
    "web_url": "string",
    "amp_web_url": "string",
    "cdn_amp_web_url": "string",
    "path": "string",
}


def import_pandas() -> Any:  # noqa: ANN401 -- the module, when it is installed
    """Return the pandas module, or raise an ImportError naming the extra to install."""
    return require("pandas", extra="pandas", feature="Feed.to_dataframe()")


def _provider_name(article: Article) -> str | None:
    return None if article.provider is None else article.provider.name


def _provider_domain(article: Article) -> str | None:
    return None if article.provider is None else article.provider.domain


def _path(article: Article) -> str | None:
    return None if article.path is None else str(article.path)


#: How each column's values are read off an article (published_at and
#: topics are built apart, with their own types).
_VALUES: Final[dict[str, Callable[[Article], object]]] = {
    "title": lambda article: article.title,
    "provider_name": _provider_name,
    "provider_domain": _provider_domain,
    "quality": lambda article: article.quality,
    "heat": lambda article: article.heat,
    "published": lambda article: article.published,
    "related_count": lambda article: len(article.related),
    "category": lambda article: article.category,
    "type": lambda article: article.type,
    "excerpt": lambda article: article.excerpt,
    "web_url": lambda article: article.web_url,
    "amp_web_url": lambda article: article.amp_web_url,
    "cdn_amp_web_url": lambda article: article.cdn_amp_web_url,
    "path": _path,
}


def articles_to_frame(articles: Sequence[Article]) -> pd.DataFrame:
    """Return the DataFrame of *articles*, built one column at a time.

    One list per column, converted once to its dtype, rather than a dict per
    article turned into rows: pandas builds typed arrays from lists quickly,
    and nothing is formatted only to be parsed again.
    """
    pandas = import_pandas()
    import numpy as np  # noqa: PLC0415 -- comes with pandas

    columns: dict[str, Any] = {}
    # One column has one zone: every offset becomes UTC, the same instant.
    stamps = np.array([epoch_us(article.published_at) for article in articles], dtype="int64")
    columns["published_at"] = pandas.array(
        stamps.view("datetime64[us]"), dtype="datetime64[us]"
    ).tz_localize("UTC")
    columns["topics"] = pandas.Series(
        [list(article.topics) for article in articles], dtype=object
    ).array
    for name, read in _VALUES.items():
        values = [read(article) for article in articles]
        dtype = COLUMN_DTYPES[name]
        if dtype == "category":
            columns[name] = pandas.Categorical(values)
        else:
            columns[name] = pandas.array(values, dtype=dtype)
    frame: pd.DataFrame = pandas.DataFrame({name: columns[name] for name in RECORD_COLUMNS})
    return frame
