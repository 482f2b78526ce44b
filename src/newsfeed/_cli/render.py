"""The output formats of ``newsfeed ls``: a table for people; JSON, CSV and paths for programs."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, Final

import attrs

from newsfeed._cli.terminal import display_width, printable, truncate
from newsfeed._feed.feed import RECORD_COLUMNS, Feed
from newsfeed._feed.text import escape_surrogates
from newsfeed._format.timestamps import format_timestamp
from newsfeed._model import Article

__all__ = ["COLUMNS", "DEFAULT_COLUMNS", "FORMATS", "TOPIC_SEPARATOR", "Column", "write_feed"]

#: How a CSV cell joins an article's topics.
TOPIC_SEPARATOR: Final = "; "
_MISSING: Final = "-"


def _provider(article: Article) -> str:
    provider = article.provider
    if provider is None:
        return _MISSING
    return provider.name or provider.domain or _MISSING


def _text(value: object) -> str:
    if value is None:
        return _MISSING
    if isinstance(value, bool):
        # As the files write them, not Python's True/False.
        return "true" if value else "false"
    return str(value)


def _attribute(name: str) -> Callable[[Article], str]:
    return lambda article: _text(getattr(article, name))


def _provider_part(name: str) -> Callable[[Article], str]:
    def cell(article: Article) -> str:
        return _MISSING if article.provider is None else _text(getattr(article.provider, name))

    return cell


@attrs.frozen
class Column:
    """A column the ``ls`` table can show: its header, its cells, how it aligns."""

    header: str
    cell: Callable[[Article], str]
    numeric: bool = False


#: The columns of ``ls --columns``, by the names of :meth:`newsfeed.Feed.to_records`
#: (``provider`` is the name, or the domain when there is no name).
COLUMNS: Final[dict[str, Column]] = {
    "published_at": Column("PUBLISHED", lambda article: format_timestamp(article.published_at)),
    "title": Column("TITLE", _attribute("title")),
    "provider": Column("PROVIDER", _provider),
    "provider_name": Column("PROVIDER NAME", _provider_part("name")),
    "provider_domain": Column("PROVIDER DOMAIN", _provider_part("domain")),
    "quality": Column("QUALITY", _attribute("quality"), numeric=True),
    "heat": Column("HEAT", _attribute("heat"), numeric=True),
    "published": Column("PUBLISHED?", _attribute("published")),
    "topics": Column("TOPICS", lambda article: TOPIC_SEPARATOR.join(article.topics) or _MISSING),
    "related_count": Column("RELATED", lambda article: str(len(article.related)), numeric=True),
    "category": Column("CATEGORY", _attribute("category")),
    "type": Column("TYPE", _attribute("type")),
    "excerpt": Column("EXCERPT", _attribute("excerpt")),
    "web_url": Column("WEB URL", _attribute("web_url")),
    "amp_web_url": Column("AMP WEB URL", _attribute("amp_web_url")),
    "cdn_amp_web_url": Column("CDN AMP WEB URL", _attribute("cdn_amp_web_url")),
    "path": Column("PATH", _attribute("path")),
}
#: What the table shows without ``--columns``.
DEFAULT_COLUMNS: Final = ("published_at", "quality", "provider", "title")
#: Columns cut to fit the width, the first of them first; the others never are.
_SHRINKABLE: Final = ("excerpt", "title")
#: A cut column keeps at least this many cells (or its header's width).
_MIN_CELLS: Final = 10
_GAP: Final = "  "


def _fit(names: Sequence[str], natural: list[int], width: int) -> list[int]:
    """Shrink the widths of the shrinkable columns until the row fits *width*."""
    widths = list(natural)
    excess = sum(widths) + len(_GAP) * (len(widths) - 1) - width
    for name in _SHRINKABLE:
        if excess <= 0 or name not in names:
            continue
        index = names.index(name)
        floor = min(widths[index], max(_MIN_CELLS, display_width(COLUMNS[name].header)))
        cut = min(excess, widths[index] - floor)
        widths[index] -= cut
        excess -= cut
    return widths


def _pad(text: str, width: int, *, right: bool) -> str:
    room = " " * (width - display_width(text))
    return room + text if right else text + room


def _table(
    feed: Feed, out: IO[str], *, columns: Sequence[str] = DEFAULT_COLUMNS, width: int
) -> None:
    """Write one row per article, fitted to *width* by cutting the title (or excerpt)."""
    chosen = [COLUMNS[name] for name in columns]
    rows = [[column.header for column in chosen]]
    rows.extend([printable(column.cell(article)) for column in chosen] for article in feed)
    natural = [max(display_width(row[index]) for row in rows) for index in range(len(chosen))]
    widths = _fit(columns, natural, width)
    last = len(chosen) - 1
    for row in rows:
        cells = [
            _pad(
                truncate(text, widths[index]),
                # The last column is not padded: no trailing spaces.
                0 if index == last and not chosen[index].numeric else widths[index],
                right=chosen[index].numeric,
            )
            for index, text in enumerate(row)
        ]
        print(_GAP.join(cells), file=out)


def _json_text(value: object, *, indent: int | None = None) -> str:
    # Not ASCII-escaped: titles in any script stay readable, and JSON is UTF-8.
    # But a lone surrogate (the byte of a file name that is not UTF-8) has no
    # UTF-8: it is written as JSON's own escape, which reads back as the name.
    return escape_surrogates(json.dumps(value, indent=indent, ensure_ascii=False))


def _json(feed: Feed, out: IO[str]) -> None:
    print(_json_text(feed.to_records(json_ready=True), indent=2), file=out)


def _csv_cell(value: Any) -> object:  # noqa: ANN401 -- any value of a record
    if value is None:
        return ""
    if isinstance(value, bool):
        # As the files write them, not Python's True/False.
        return "true" if value else "false"
    if isinstance(value, list):
        return TOPIC_SEPARATOR.join(value)
    return value


def _jsonl(feed: Feed, out: IO[str]) -> None:
    # The records of the JSON list, one per line: not ASCII-escaped, and
    # exact, since JSON escapes the control characters a line break needs.
    for record in feed.to_records(json_ready=True):
        print(_json_text(record), file=out)


def _csv(feed: Feed, out: IO[str]) -> None:
    # The csv module quotes a value holding the delimiter, the quote or a
    # character of the line terminator. With "\n" alone, a bare "\r" (a title
    # may hold one) went out unquoted, and readers ended the row there. Rows
    # are made with "\r\n", so that CR and LF are both quoted, then end in
    # "\n" as they always have: "\r\n" itself would reach a Windows console
    # or file as "\r\r\n", stdout being text.
    row = io.StringIO()
    writer = csv.writer(row, lineterminator="\r\n")
    rows = (
        [_csv_cell(record[column]) for column in RECORD_COLUMNS]
        for record in feed.to_records(json_ready=True)
    )
    for values in itertools.chain([RECORD_COLUMNS], rows):
        writer.writerow(values)
        out.write(row.getvalue().removesuffix("\r\n") + "\n")
        row.seek(0)
        row.truncate()


def _paths(feed: Feed, out: IO[str]) -> None:
    for article in feed:
        print(article.path, file=out)


#: The formats for programs: exact, whatever the terminal.
_EXACT_FORMATS: Final[dict[str, Callable[[Feed, IO[str]], None]]] = {
    "json": _json,
    "jsonl": _jsonl,
    "csv": _csv,
    "paths": _paths,
}
#: Every value of ``ls --format``.
FORMATS: Final = ("table", *_EXACT_FORMATS)


def write_feed(
    feed: Feed,
    out: IO[str],
    *,
    output_format: str,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    width: int = 80,
) -> None:
    """Write *feed* to *out* in *output_format*, one of :data:`FORMATS`.

    The table shows *columns* and fits *width*; the other formats are exact.
    """
    if output_format == "table":
        _table(feed, out, columns=columns, width=width)
    else:
        with _names_as_bytes(out):
            _EXACT_FORMATS[output_format](feed, out)


@contextlib.contextmanager
def _names_as_bytes(out: IO[str]) -> Iterator[None]:
    """Have *out* write a file name that is not UTF-8 as its own bytes, while the body runs.

    Python reads such a name with its bad bytes as lone surrogates
    (surrogateescape); a strict stream, the usual stdout, cannot write them.
    Written back as the bytes, the name in `paths` and CSV output is the
    file's own, for xargs and for a reader that decodes as Python does.
    """
    if not isinstance(out, io.TextIOWrapper) or out.errors == "surrogateescape":
        yield
        return
    errors = out.errors
    out.reconfigure(errors="surrogateescape")
    try:
        yield
    finally:
        out.reconfigure(errors=errors)
