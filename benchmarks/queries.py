"""Feed queries against the same queries in pandas, on the same articles.

The pandas side starts from ``Feed.to_dataframe()``, built once, and answers
each query with the same semantics as ``Feed.filter``/``Feed.sort`` (names
and topics compared case-insensitively, a provider by name or domain,
articles without a value last). Each pair is checked to give the same
articles; a mismatch is printed, not fatal. Issue 13's target is a Feed at
most 3 times as slow as pandas, at 100k articles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from harness import Report, Target, best, require

import newsfeed

__all__ = ["QueryCriteria", "compare_queries"]

QUERY_TARGET: Final = Target(3.0, "issue 13, at 100k", at_most=True)
#: The columns of ``Feed.to_dataframe`` the pandas queries use.
_COLUMNS: Final = frozenset(
    {"path", "provider_name", "provider_domain", "topics", "published_at", "quality"}
)


def _paths(frame: Any) -> list[str]:  # noqa: ANN401 -- a pandas DataFrame
    return [str(path) for path in frame["path"]]


def _feed_paths(feed: newsfeed.Feed) -> list[str]:
    return [str(article.path) for article in feed]


def _provider_mask(frame: Any, query: str) -> Any:  # noqa: ANN401 -- pandas objects
    # A name query (no dot): the whole name or the whole domain, any case.
    names = frame["provider_name"].str.casefold() == query
    domains = frame["provider_domain"].str.casefold() == query
    return (names.fillna(value=False) | domains.fillna(value=False)).astype(bool)


def _topic_mask(frame: Any, query: str) -> Any:  # noqa: ANN401 -- pandas objects
    exploded = frame["topics"].explode()
    hits = exploded.str.casefold() == query
    return hits.groupby(level=0).any().reindex(frame.index, fill_value=False)


@dataclass(frozen=True)
class QueryCriteria:
    """The filter criteria the benchmark asks of a feed, drawn from its articles.

    The most common provider and topic, the 180 days around the median
    time, and a minimum quality: the same for the Feed, pandas and the index.
    """

    provider: str
    topic: str
    since: datetime
    until: datetime
    min_quality: int = 70

    @classmethod
    def of(cls, feed: newsfeed.Feed) -> QueryCriteria:
        """Return the criteria for *feed* (a non-empty one)."""
        names = (name for name, _ in feed.providers().most_common() if name is not None)
        provider = next(names, "Reuters")
        topic = feed.topics().most_common(1)[0][0] if feed.topics() else "AI"
        middle = sorted(article.published_at for article in feed)[len(feed) // 2].astimezone(UTC)
        return cls(provider, topic, middle - timedelta(days=90), middle + timedelta(days=90))

    def filters(self) -> list[tuple[str, dict[str, Any]]]:
        """Return each single-criterion filter: its label and its keyword arguments."""
        return [
            (f"filter(provider={self.provider!r})", {"provider": self.provider}),
            (f"filter(topic={self.topic!r})", {"topic": self.topic}),
            ("filter(since=, until=) (180 days)", {"since": self.since, "until": self.until}),
            (f"filter(min_quality={self.min_quality})", {"min_quality": self.min_quality}),
        ]


def compare_queries(report: Report, feed: newsfeed.Feed, corpus: str, repeat: int) -> None:
    """Time each Feed query and its pandas twin; print both and the ratio."""
    pandas: Any = require("pandas")
    repeat = max(repeat, 5)  # single queries are short: more passes, less noise
    report.section(f"Queries on {len(feed)} articles: Feed vs pandas (ms)", corpus)
    frame = feed.to_dataframe()
    missing = _COLUMNS - set(frame.columns)
    if not feed or missing:
        lacking = ", ".join(sorted(missing))
        print("  skipped: " + (f"to_dataframe lacks {lacking}" if missing else "no articles"))
        return
    criteria = QueryCriteria.of(feed)
    provider, topic, quality = criteria.provider, criteria.topic, criteria.min_quality
    since, until = criteria.since, criteria.until
    since_stamp, until_stamp = pandas.Timestamp(since), pandas.Timestamp(until)

    # (label, Feed query, pandas query, the sort key whose order must agree)
    queries: list[tuple[str, Callable[[], Any], Callable[[], Any], str | None]] = [
        (
            f"filter(provider={provider!r})",
            lambda: feed.filter(provider=provider),
            lambda: frame[_provider_mask(frame, provider.casefold())],
            None,
        ),
        (
            f"filter(topic={topic!r})",
            lambda: feed.filter(topic=topic),
            lambda: frame[_topic_mask(frame, topic.casefold())],
            None,
        ),
        (
            "filter(since=, until=) (180 days)",
            lambda: feed.filter(since=since, until=until),
            lambda: frame[
                (frame["published_at"] >= since_stamp) & (frame["published_at"] < until_stamp)
            ],
            None,
        ),
        (
            f"filter(min_quality={quality})",
            lambda: feed.filter(min_quality=quality),
            lambda: frame[(frame["quality"] >= quality).fillna(value=False).astype(bool)],
            None,
        ),
        (
            "sort('published_at')",
            lambda: feed.sort("published_at"),
            lambda: frame.sort_values("published_at", kind="stable"),
            "published_at",
        ),
        (
            "sort('quality', reverse=True)",
            lambda: feed.sort("quality", reverse=True),
            lambda: frame.sort_values(
                "quality", ascending=False, kind="stable", na_position="last"
            ),
            "quality",
        ),
    ]
    for label, ours_query, theirs_query, sort_key in queries:
        agree = _agree(ours_query(), theirs_query(), sort_key)
        ours = best(ours_query, repeat) * 1e3
        theirs = best(theirs_query, repeat) * 1e3
        note = "" if agree else "  (ANSWERS DIFFER)"
        report.line(f"{label}", f"{ours:8.2f} ms vs pandas {theirs:8.2f} ms{note}")
        report.ratio(f"  {label}: Feed / pandas", ours / theirs, QUERY_TARGET)
    records = feed.to_records()
    ours = best(feed.to_dataframe, repeat) * 1e3
    theirs = best(lambda: pandas.DataFrame(records), repeat) * 1e3
    report.line(
        "to_dataframe() vs pandas.DataFrame(records)", f"{ours:8.2f} ms vs {theirs:8.2f} ms"
    )
    report.ratio("  to_dataframe: Feed / pandas", ours / theirs, QUERY_TARGET)


def _agree(ours: newsfeed.Feed, theirs: Any, sort_key: str | None) -> bool:  # noqa: ANN401 -- a DataFrame
    """Return whether both answers hold the same articles (for a sort: the same key order)."""
    if sort_key is None:
        return sorted(_feed_paths(ours)) == sorted(_paths(theirs))
    ours_keys = [getattr(article, sort_key) for article in ours]
    theirs_keys = [None if _missing(value) else value for value in theirs[sort_key]]
    if sort_key == "published_at":
        # One instant, whatever its offset: pandas holds it in UTC.
        ours_keys = [key.timestamp() for key in ours_keys]
        theirs_keys = [None if key is None else key.timestamp() for key in theirs_keys]
    return ours_keys == theirs_keys


def _missing(value: object) -> bool:
    return value is None or str(value) in {"<NA>", "NaT", "nan"}
