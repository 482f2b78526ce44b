"""The output formats of ``newsfeed ls``: a table for people, JSON, CSV and paths for programs."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import IO, Any, Final

from newsfeed._feed.feed import RECORD_COLUMNS, Feed
from newsfeed._format.timestamps import format_timestamp
from newsfeed._model import Article

__all__ = ["FORMATS", "TOPIC_SEPARATOR", "write_feed"]

#: How a CSV cell joins an article's topics.
TOPIC_SEPARATOR: Final = "; "
_MISSING: Final = "-"


def _provider(article: Article) -> str:
    provider = article.provider
    if provider is None:
        return _MISSING
    return provider.name or provider.domain or _MISSING


def _table(feed: Feed, out: IO[str]) -> None:
    """Write one row per article; the title comes last and is never cut."""
    header = ("PUBLISHED", "QUALITY", "PROVIDER", "TITLE")
    rows = [
        (
            format_timestamp(article.published_at),
            _MISSING if article.quality is None else str(article.quality),
            _provider(article),
            article.title,
        )
        for article in feed
    ]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(3)]
    for published, quality, provider, title in [header, *rows]:
        print(
            f"{published:<{widths[0]}}  {quality:>{widths[1]}}  {provider:<{widths[2]}}  {title}",
            file=out,
        )


def _json(feed: Feed, out: IO[str]) -> None:
    # Not ASCII-escaped: titles in any script stay readable, and JSON is UTF-8.
    json.dump(feed.to_records(), out, indent=2, ensure_ascii=False)
    print(file=out)


def _csv_cell(value: Any) -> object:  # noqa: ANN401 -- any value of a record
    if value is None:
        return ""
    if isinstance(value, bool):
        # As the files write them, not Python's True/False.
        return "true" if value else "false"
    if isinstance(value, list):
        return TOPIC_SEPARATOR.join(value)
    return value


def _csv(feed: Feed, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECORD_COLUMNS)
    for record in feed.to_records():
        writer.writerow(_csv_cell(record[column]) for column in RECORD_COLUMNS)


def _paths(feed: Feed, out: IO[str]) -> None:
    for article in feed:
        print(article.path, file=out)


FORMATS: Final[dict[str, Callable[[Feed, IO[str]], None]]] = {
    "table": _table,
    "json": _json,
    "csv": _csv,
    "paths": _paths,
}


def write_feed(feed: Feed, out: IO[str], *, output_format: str) -> None:
    """Write *feed* to *out* in *output_format*, one of :data:`FORMATS`."""
    FORMATS[output_format](feed, out)
