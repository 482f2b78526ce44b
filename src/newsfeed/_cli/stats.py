"""``newsfeed stats``: counts by provider, topic and month, and the quality distribution."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import IO, Any, Final

import attrs

from newsfeed._cli.terminal import display_width, printable
from newsfeed._feed.feed import Feed
from newsfeed._format.timestamps import format_timestamp, in_utc

__all__ = ["FeedStats", "Quality", "quartiles", "render_text", "to_json"]

#: Bars of the quality histogram are scaled so the longest is this wide.
BAR_WIDTH: Final = 40
_NONE_LABEL: Final = "(none)"
_BUCKET_COUNT: Final = 10
_TOP_QUALITY: Final = 100


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """Return the first quartile, the median and the third quartile of sorted *values*.

    Linear interpolation between the closest ranks: the "inclusive" method of
    :func:`statistics.quantiles` (and numpy's default), which also works for
    a single value.
    """
    last = len(values) - 1

    def at(fraction: float) -> float:
        position = last * fraction
        low = math.floor(position)
        high = min(low + 1, last)
        return values[low] + (position - low) * (values[high] - values[low])

    return at(0.25), at(0.5), at(0.75)


@attrs.frozen
class Bucket:
    """A bar of the quality histogram: qualities from *low* to *high*, inclusive."""

    low: int | None
    high: int | None
    count: int

    @property
    def label(self) -> str:
        """``0-9``, ``90-100``; ``<0`` and ``>100`` for values out of the usual range."""
        if self.low is None:
            return "<0"
        if self.high is None:
            return f">{_TOP_QUALITY}"
        return f"{self.low}-{self.high}"


def _histogram(values: Sequence[int]) -> tuple[Bucket, ...]:
    # Quality runs from 0 to 100: ten buckets of ten, the last one holding
    # 100 too. Values outside get a bucket each side, shown only when used.
    counts = [0] * _BUCKET_COUNT
    below = above = 0
    for value in values:
        if value < 0:
            below += 1
        elif value > _TOP_QUALITY:
            above += 1
        else:
            counts[min(value // 10, _BUCKET_COUNT - 1)] += 1
    buckets = [
        Bucket(low=10 * index, high=10 * index + 9, count=count)
        for index, count in enumerate(counts)
    ]
    buckets[-1] = attrs.evolve(buckets[-1], high=_TOP_QUALITY)
    if below:
        buckets.insert(0, Bucket(low=None, high=-1, count=below))
    if above:
        buckets.append(Bucket(low=_TOP_QUALITY + 1, high=None, count=above))
    return tuple(buckets)


@attrs.frozen
class Quality:
    """The distribution of ``quality`` over the articles that have one."""

    count: int
    missing: int
    minimum: int | None
    q1: float | None
    median: float | None
    q3: float | None
    maximum: int | None
    mean: float | None
    histogram: tuple[Bucket, ...]

    @classmethod
    def of(cls, feed: Feed) -> Quality:
        """Compute the distribution over *feed*."""
        values = sorted(article.quality for article in feed if article.quality is not None)
        missing = len(feed) - len(values)
        if not values:
            return cls(len(values), missing, None, None, None, None, None, None, ())
        q1, median, q3 = quartiles(values)
        return cls(
            count=len(values),
            missing=missing,
            minimum=values[0],
            q1=q1,
            median=median,
            q3=q3,
            maximum=values[-1],
            mean=sum(values) / len(values),
            histogram=_histogram(values),
        )


def _ranked(counts: Iterable[tuple[str | None, int]]) -> tuple[tuple[str | None, int], ...]:
    """Most frequent first; ties by name, case-insensitively, with None last."""
    return tuple(
        sorted(
            counts,
            key=lambda item: (-item[1], item[0] is None, (item[0] or "").casefold(), item[0] or ""),
        )
    )


@attrs.frozen
class FeedStats:
    """What ``newsfeed stats`` reports about a feed."""

    articles: int
    published: int
    unpublished: int
    published_unknown: int
    first: str | None
    last: str | None
    providers: tuple[tuple[str | None, int], ...]
    topics: tuple[tuple[str | None, int], ...]
    #: ``YYYY-MM`` in UTC, in time order.
    months: tuple[tuple[str, int], ...]
    quality: Quality

    @classmethod
    def of(cls, feed: Feed) -> FeedStats:
        """Compute the statistics of *feed*."""
        published = Counter(article.published for article in feed)
        instants = [article.published_at for article in feed]
        months = Counter(_month(instant) for instant in instants)
        return cls(
            articles=len(feed),
            published=published[True],
            unpublished=published[False],
            published_unknown=published[None],
            first=format_timestamp(in_utc(min(instants))) if instants else None,
            last=format_timestamp(in_utc(max(instants))) if instants else None,
            providers=_ranked(feed.providers().items()),
            topics=_ranked(feed.topics().items()),
            months=tuple(sorted(months.items())),
            quality=Quality.of(feed),
        )


def _number(value: float) -> str:
    """Write a figure with up to two decimals and no trailing zeros: 54, 39.75, 44.5."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _counts(
    title: str,
    items: Sequence[tuple[str | None, int]],
    out: IO[str],
    *,
    top: int | None,
) -> None:
    print(f"\n{title}", file=out)
    shown = items if top is None else items[:top]
    labels = [_NONE_LABEL if label is None else printable(label) for label, _ in shown]
    width = max((display_width(label) for label in labels), default=0)
    for label, (_, count) in zip(labels, shown, strict=True):
        room = " " * (width - display_width(label))
        print(f"  {label}{room}  {count:>6}", file=out)
    if len(shown) < len(items):
        print(f"  ... and {len(items) - len(shown)} more", file=out)


def render_text(stats: FeedStats, out: IO[str], *, top: int | None = None) -> None:
    """Write *stats* for people to read; *top* limits the provider and topic lists."""
    articles = f"{stats.articles} article" + ("" if stats.articles == 1 else "s")
    if stats.first is not None:
        articles += f", {stats.first} to {stats.last}"
    print(articles, file=out)
    published = f"published: {stats.published}, unpublished: {stats.unpublished}"
    if stats.published_unknown:
        published += f", not said: {stats.published_unknown}"
    print(published, file=out)
    _counts(f"providers ({len(stats.providers)})", stats.providers, out, top=top)
    _counts(f"topics ({len(stats.topics)})", stats.topics, out, top=top)
    months: list[tuple[str | None, int]] = list(stats.months)
    _counts("months (UTC)", months, out, top=None)
    _quality_text(stats.quality, out)


def _quality_text(quality: Quality, out: IO[str]) -> None:
    print(f"\nquality ({quality.count} with a quality, {quality.missing} without)", file=out)
    if not quality.count:
        return
    figures = (
        ("min", quality.minimum),
        ("q1", quality.q1),
        ("median", quality.median),
        ("q3", quality.q3),
        ("max", quality.maximum),
        ("mean", quality.mean),
    )
    shown = [f"{name} {_number(value)}" for name, value in figures if value is not None]
    print("  " + ", ".join(shown), file=out)
    tallest = max(bucket.count for bucket in quality.histogram)
    width = max(len(bucket.label) for bucket in quality.histogram)
    for bucket in quality.histogram:
        # Any non-empty bucket gets at least one mark, so no count hides.
        bar = "#" * max(round(bucket.count / tallest * BAR_WIDTH), 1 if bucket.count else 0)
        print(f"  {bucket.label:>{width}}  {bucket.count:>6}  {bar}".rstrip(), file=out)


def to_json(stats: FeedStats, *, top: int | None = None) -> dict[str, Any]:
    """Return *stats* as JSON-ready data; *top* limits the provider and topic lists."""

    def counts(
        items: Sequence[tuple[str | None, int]], key: str, *, limit: int | None = top
    ) -> list[dict[str, Any]]:
        shown = items if limit is None else items[:limit]
        return [{key: label, "count": count} for label, count in shown]

    quality = stats.quality
    return {
        "articles": stats.articles,
        "published": stats.published,
        "unpublished": stats.unpublished,
        "published_unknown": stats.published_unknown,
        "first": stats.first,
        "last": stats.last,
        "distinct_providers": len(stats.providers),
        "providers": counts(stats.providers, "provider"),
        "distinct_topics": len(stats.topics),
        "topics": counts(stats.topics, "topic"),
        "months": counts(stats.months, "month", limit=None),
        "quality": {
            "count": quality.count,
            "missing": quality.missing,
            "min": quality.minimum,
            "q1": quality.q1,
            "median": quality.median,
            "q3": quality.q3,
            "max": quality.maximum,
            "mean": quality.mean,
            "histogram": [
                {"from": bucket.low, "to": bucket.high, "count": bucket.count}
                for bucket in quality.histogram
            ],
        },
    }


def _month(instant: datetime) -> str:
    """Return ``YYYY-MM`` of *instant* in UTC (not strftime, whose %Y drops leading zeros)."""
    utc = in_utc(instant)
    return f"{utc.year:04d}-{utc.month:02d}"
