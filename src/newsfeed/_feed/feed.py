"""A loaded collection of articles, and the questions one asks of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final, overload

import attrs

from newsfeed import _display
from newsfeed._errors import LoadFailure
from newsfeed._feed import arrow as arrow_export
from newsfeed._feed import jsonl as jsonl_export
from newsfeed._feed.criteria import (
    Instant,
    Predicate,
    check_criteria,
    compile_predicate,
    epoch_us,
    sort_key,
)
from newsfeed._feed.frame import COLUMN_GETTERS, RECORD_COLUMNS, articles_to_frame
from newsfeed._format import schema
from newsfeed._format.schema import Kind
from newsfeed._format.timestamps import format_timestamp
from newsfeed._model import Article

if TYPE_CHECKING:
    import os

    import pandas as pd
    import polars as pl
    import pyarrow as pa

__all__ = ["RECORD_COLUMNS", "Feed"]


def _as_articles(items: Iterable[Article]) -> tuple[Article, ...]:
    articles = items if type(items) is tuple else tuple(items)
    for index, article in enumerate(articles):
        if not isinstance(article, Article):
            raise TypeError(
                f"a Feed holds Article objects, got {type(article).__name__} at index {index}"
            )
    return articles


def _as_failures(items: Iterable[LoadFailure]) -> tuple[LoadFailure, ...]:
    return tuple(items)


def _record(article: Article) -> dict[str, Any]:
    record = {name: read(article) for name, read in COLUMN_GETTERS.items()}
    # Lists as lists: a tuple is not JSON's, nor what a DataFrame cell expects.
    record["topics"] = list(article.topics)
    return record


def _json_ready_record(article: Article) -> dict[str, Any]:
    record = _record(article)
    for name in _TIMESTAMP_COLUMNS:
        # As the file writes it, offset kept. (Recorded timestamps are required: never None.)
        record[name] = format_timestamp(record[name])
    return record


#: The record columns that hold a datetime, written as text by ``to_records(json_ready=True)``.
_TIMESTAMP_COLUMNS: Final = tuple(
    column.name for column in schema.RECORD_COLUMNS if column.kind is Kind.TIMESTAMP
)


@attrs.frozen(repr=False)
class Feed(Sequence[Article]):
    """An immutable sequence of :class:`Article`, with queries that return new feeds.

    Build one from any iterable of articles with ``Feed(articles)``, or load a
    folder with :func:`newsfeed.load_dir`. A feed supports ``len``,
    iteration, ``in``, indexing and slicing (a slice is a :class:`Feed`).

    ``failures`` holds the files of the folder it was read from that could not
    be loaded, as :class:`~newsfeed.LoadFailure` objects (a feed read with
    ``errors="skip"``, a :class:`~newsfeed.FeedLoadError`'s ``feed``, an
    index's answers); it is empty for a feed built from articles. Feeds
    derived from this one (by :meth:`filter`, :meth:`sort`, :meth:`unique`
    or slicing) keep it, because it describes where the articles came from.
    """

    _articles: tuple[Article, ...] = attrs.field(default=(), converter=_as_articles)
    failures: tuple[LoadFailure, ...] = attrs.field(
        default=(), converter=_as_failures, kw_only=True
    )
    #: The articles' ``published_at`` as integers (see :func:`epoch_us`),
    #: computed on first use and handed on to derived feeds: comparing aware
    #: datetimes costs several times more than the rest of a filter or sort.
    _stamps: list[list[int]] = attrs.field(
        factory=list, init=False, eq=False, repr=False, hash=False
    )

    def _derive(self, articles: Iterable[Article], stamps: list[int] | None = None) -> Feed:
        feed = Feed(articles, failures=self.failures)
        if stamps is not None:
            feed._stamps.append(stamps)
        return feed

    def _published_stamps(self) -> list[int]:
        if not self._stamps:
            self._stamps.append([epoch_us(article.published_at) for article in self._articles])
        return self._stamps[0]

    # -- the sequence ---------------------------------------------------------

    def __len__(self) -> int:
        return len(self._articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self._articles)

    def __contains__(self, value: object) -> bool:
        return value in self._articles

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> Feed: ...
    def __getitem__(self, index: int | slice) -> Article | Feed:
        """Return one article, or a :class:`Feed` for a slice."""
        if isinstance(index, slice):
            stamps = self._stamps[0][index] if self._stamps else None
            return self._derive(self._articles[index], stamps)
        return self._articles[index]

    # -- combining ------------------------------------------------------------

    def __add__(self, other: object) -> Feed:
        """Return the articles of both feeds, this one's first, and the failures of both."""
        if not isinstance(other, Feed):
            return NotImplemented
        return Feed.concat((self, other))

    @classmethod
    def concat(cls, feeds: Iterable[Feed]) -> Feed:
        """Return one feed of the articles of *feeds*, in order, with all their failures.

        Nothing is dropped or reordered: an article in two feeds appears
        twice (:meth:`unique` keeps one per link, :attr:`Article.url`), and
        ``failures`` holds every feed's failures, in order. Raises
        :class:`TypeError` for an item that is not a :class:`Feed`.
        """
        feeds = tuple(feeds)
        for index, feed in enumerate(feeds):
            if not isinstance(feed, Feed):
                raise TypeError(
                    f"concat takes Feed objects, got {type(feed).__name__} at index {index}"
                )
        return cls(
            [article for feed in feeds for article in feed],
            failures=[failure for feed in feeds for failure in feed.failures],
        )

    # -- queries --------------------------------------------------------------

    def filter(  # noqa: PLR0913 -- one keyword-only argument per criterion is the API
        self,
        *,
        since: Instant | None = None,
        until: Instant | None = None,
        min_quality: float | None = None,
        max_quality: float | None = None,
        provider: str | Iterable[str] | None = None,
        topic: str | Iterable[str] | None = None,
        published: bool | None = None,
        where: Predicate | None = None,
    ) -> Feed:
        """Return the articles for which every given criterion holds, in order.

        - *since* (inclusive) and *until* (exclusive) bound ``published_at``.
          Each is a :class:`~datetime.datetime` (a naive one is UTC), a
          :class:`~datetime.date` (midnight UTC) or an ISO-8601 string
          (``"2020-06-11"``, ``"2020-06-11T12:00:00-07:00"``).
        - *min_quality* and *max_quality* are inclusive bounds on ``quality``.
          An article without a quality never passes a bound.
        - *provider* is a provider name or domain, or several (any may match),
          compared case-insensitively and ignoring spaces around it, a domain
          also ignoring a final dot. A domain, that is a query with a dot,
          also matches its subdomains: ``"nasdaq.com"`` matches
          ``www.nasdaq.com`` but not ``notnasdaq.com``.
        - *topic* is a topic or several (any may match), compared
          case-insensitively on whole topics, ignoring spaces around them:
          ``"ai"`` matches ``AI``, not ``AWS AI``.
        - *published* keeps articles whose ``published`` is that boolean;
          an article without the field matches neither True nor False.
        - *where* is any function of an article returning a truth value.

        Raises :class:`~newsfeed.QueryError` (a :class:`ValueError`) for an
        invalid criterion -- an unreadable timestamp, a non-numeric quality,
        ``until`` before ``since`` (compared as instants), ``max_quality``
        below ``min_quality``, text holding a lone surrogate -- before
        looking at any article.
        """
        criteria = check_criteria(
            since=since,
            until=until,
            min_quality=min_quality,
            max_quality=max_quality,
            provider=provider,
            topic=topic,
            published=published,
            where=where,
        )
        predicate = compile_predicate(criteria)
        if predicate is None:
            return self
        if criteria.since is None and criteria.until is None:
            kept = [article for article in self._articles if predicate(article, 0)]
            return self._derive(kept)
        pairs = zip(self._articles, self._published_stamps(), strict=True)
        kept_pairs = [(article, stamp) for article, stamp in pairs if predicate(article, stamp)]
        return self._derive(
            [article for article, _ in kept_pairs], [stamp for _, stamp in kept_pairs]
        )

    def sort(
        self, by: str | Callable[[Article], object] = "published_at", *, reverse: bool = False
    ) -> Feed:
        """Return the articles ordered by *by*; articles whose key is None come last.

        *by* is a key function of an article, or the name of a scalar
        attribute or record column: ``published_at``, ``updated_at``,
        ``quality``, ``heat``, ``published``, ``title``, ``excerpt``,
        ``category``, ``type``, ``url``, ``web_url``, ``original_url``,
        ``amp_web_url``, ``cdn_amp_web_url``, ``featured_content``,
        ``secured``, ``body``, ``path``, ``provider_name``,
        ``provider_domain`` or ``related_count``. The sort is stable, and
        None keys stay last when *reverse* is true. An unknown name raises
        :class:`~newsfeed.QueryError` before anything is sorted.
        """
        key = sort_key(by)
        keyed: list[tuple[object, Article]]
        if by == "published_at":
            # Never None: every article has a time.
            stamps = self._published_stamps()
            order = sorted(range(len(stamps)), key=stamps.__getitem__, reverse=reverse)
            return self._derive([self._articles[i] for i in order], [stamps[i] for i in order])
        keyed = [(key(article), article) for article in self._articles]
        present = [pair for pair in keyed if pair[0] is not None]
        present.sort(key=itemgetter(0), reverse=reverse)
        missing = (article for value, article in keyed if value is None)
        return self._derive([*(article for _, article in present), *missing])

    def unique(self) -> Feed:
        """Return the feed with one article per link (:attr:`Article.url`): the first one."""
        seen: set[str] = set()
        kept = []
        for article in self._articles:
            if article.url not in seen:
                seen.add(article.url)  # type: ignore[arg-type]
                kept.append(article)
        return self._derive(kept)

    def providers(self) -> Counter[str | None]:
        """Count the articles per provider name (the domain when there is no name).

        An article without a provider counts under None, so the counts add up
        to ``len(feed)``.
        """
        return Counter(
            None if article.provider is None else article.provider.name or article.provider.domain
            for article in self._articles
        )

    def topics(self) -> Counter[str]:
        """Count the articles per topic, as written (a topic listed twice counts once)."""
        counts: Counter[str] = Counter()
        for article in self._articles:
            counts.update(dict.fromkeys(article.topics, 1))
        return counts

    # -- export ---------------------------------------------------------------

    def to_records(self, *, json_ready: bool = False) -> list[dict[str, Any]]:
        """Return one flat dict per article, with these keys, in this order.

        ``category``, ``title``, ``excerpt``, ``published_at``,
        ``original_url``, ``web_url``, ``amp_web_url``, ``cdn_amp_web_url``,
        ``type``, ``quality``, ``heat``, ``published``, ``provider_name``,
        ``provider_domain``, ``topics``, ``related_count``, ``url``, ``path``.

        ``published_at`` is a timezone-aware :class:`~datetime.datetime` in
        the file's offset, so that pandas, polars and pyarrow build a datetime
        column from the records; with ``json_ready=True`` it is the ISO-8601
        string the file writes (offset kept), and every record goes through
        ``json.dumps`` as it is. ``provider_name`` and ``provider_domain``
        are the provider's fields; ``topics`` is a list of strings;
        ``related_count`` is the number of related articles; ``path`` is the
        file as a string; ``url`` is :attr:`Article.url`. Absent fields are
        None. The ``related`` items, ``images``, ``updated_at``,
        ``featured_content``, ``secured``, the body and unknown keys are left
        out: :func:`newsfeed.to_dict` gives the whole article.
        """
        make = _json_ready_record if json_ready else _record
        return [make(article) for article in self._articles]

    def to_dataframe(self) -> pd.DataFrame:
        """Return a pandas DataFrame with one row per article and the columns of :meth:`to_records`.

        ``published_at`` is a timezone-aware datetime column in UTC;
        ``quality``, ``heat`` and ``related_count`` are nullable ``Int64``;
        ``published`` is the nullable ``boolean`` dtype; ``provider_name``,
        ``provider_domain``, ``category`` and ``type``, whose values repeat,
        are categoricals; other text columns use the ``string`` dtype;
        ``topics`` holds lists. Needs the optional extra
        ``newsfeed-articles[pandas]``, and raises :class:`ImportError` naming it when
        pandas is missing. An integer beyond 64 bits (which the format allows)
        raises :class:`OverflowError` naming the article and the column; text
        that is not UTF-8 (a file name that is not, a lone surrogate), where
        pandas keeps strings in Arrow, :class:`~newsfeed.ValidationError`
        naming them too.
        """
        return articles_to_frame(self._articles)

    # -- exchange formats: JSON Lines, Arrow, Parquet, polars ------------------

    def to_jsonl(self, path_or_file: jsonl_export.PathOrFile) -> None:
        r"""Write the articles as JSON Lines, one object per line, losing nothing.

        *path_or_file* is a path (written as UTF-8) or an open text or binary
        file. Each line holds every attribute under its model name, ``body``
        and ``path`` included, ``extra`` as an object, and timestamps as
        ISO-8601 strings with their own offset; :func:`newsfeed.load_jsonl`
        reads it back as an equal feed (``failures`` are not written). A file
        name that is not UTF-8 is kept, as JSON's ``\uXXXX`` escapes of the
        surrogates Python reads it with. A value in ``extra`` that is not YAML
        data raises :class:`TypeError`, and a lone surrogate in other text
        :class:`~newsfeed.ValidationError` (as :func:`~newsfeed.dumps` does),
        before anything is written.
        """
        jsonl_export.write_jsonl(self._articles, path_or_file)

    def to_arrow(self) -> pa.Table:
        """Return a :class:`pyarrow.Table` of the articles, with a typed column per attribute.

        Timestamps are ``timestamp[us, tz=UTC]`` columns, each followed by
        ``<name>_offset``, the UTC offset it was written in (``int32``
        seconds); ``topics`` is ``list<string>``; ``provider``, ``related``
        and ``images`` are nested structs; ``extra`` is JSON text (null when
        empty). :meth:`from_arrow` reads the table back as an equal feed.
        Needs the extra ``newsfeed-articles[pyarrow]``; raises :class:`ImportError`
        naming it when pyarrow is missing, :class:`OverflowError` for an
        integer beyond 64 bits, and :class:`~newsfeed.ValidationError` naming
        the article and field for text that is not UTF-8 (a file name that
        is not, a lone surrogate), which an Arrow string cannot hold.
        """
        return arrow_export.to_arrow(self._articles)

    @classmethod
    def from_arrow(cls, table: pa.Table) -> Feed:
        """Return the feed a :meth:`to_arrow` table (or its Parquet file) holds.

        Timestamps may be in any unit (``s``, ``ms``, ``us`` or ``ns``, as
        other tools write them). Raises :class:`~newsfeed.ValidationError` (a
        :class:`ValueError`) naming the row and field when the table does not
        hold articles, and for an instant a :class:`~datetime.datetime`
        cannot hold (a fraction of a microsecond, a year beyond 9999) or an
        offset of a day or more.
        """
        return cls(arrow_export.read_arrow(table))

    def to_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_arrow`'s table to a Parquet file at *path*.

        :func:`newsfeed.load_parquet` reads it back as an equal feed, and
        DuckDB, polars, pandas and Spark read it directly. Needs the extra
        ``newsfeed-articles[pyarrow]``.
        """
        arrow_export.write_parquet(self._articles, path)

    def to_polars(self) -> pl.DataFrame:
        """Return a polars DataFrame with :meth:`to_arrow`'s columns (``Datetime("us", "UTC")``...).

        Needs the extra ``newsfeed-articles[polars]``; raises as
        :meth:`to_arrow` does.
        """
        return arrow_export.to_polars(self._articles)

    # -- display --------------------------------------------------------------

    def __repr__(self) -> str:
        return _display.feed_repr(self._articles, self.failures)

    def _repr_pretty_(self, printer: _display.PrettyPrinter, cycle: bool) -> None:
        _display.feed_pretty(self, printer, cycle)

    def _repr_html_(self) -> str:
        """Return a compact HTML table of the first rows, for Jupyter."""
        return _display.feed_html(self._articles, self.failures)
