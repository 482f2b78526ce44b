"""Checking the criteria of :meth:`Feed.filter` and :meth:`Feed.sort`, and compiling them.

Every criterion is checked before any article is looked at, so a typo fails
at once with a :class:`~newsfeed.QueryError` naming it, rather than as an
empty result or halfway through a large feed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from numbers import Real
from operator import attrgetter
from typing import Final, TypeAlias

import attrs

from newsfeed._errors import QueryError
from newsfeed._format.timestamps import to_aware_datetime
from newsfeed._model import Article

__all__ = ["SORT_KEYS", "Instant", "Predicate", "compile_filter", "sort_key"]

#: What ``since`` and ``until`` accept.
Instant: TypeAlias = datetime | date | str
#: A test an article passes or fails.
Predicate: TypeAlias = Callable[[Article], bool]


def _provider_name(article: Article) -> str | None:
    return None if article.provider is None else article.provider.name


def _provider_domain(article: Article) -> str | None:
    return None if article.provider is None else article.provider.domain


def _related_count(article: Article) -> int:
    return len(article.related)


#: Attributes that hold collections, not one sortable value.
_NOT_SORTABLE: Final = frozenset({"provider", "topics", "images", "related", "extra", "_layout"})

#: The names :meth:`Feed.sort` accepts: the article's scalar attributes (read
#: off the model, so a new field is sortable without a second list to keep)
#: and the derived columns of :meth:`Feed.to_records`.
SORT_KEYS: Final[dict[str, Callable[[Article], object]]] = {
    **{
        field.name: attrgetter(field.name)
        for field in attrs.fields(Article)
        if field.name not in _NOT_SORTABLE
    },
    "provider_name": _provider_name,
    "provider_domain": _provider_domain,
    "related_count": _related_count,
}


def _instant(name: str, value: Instant) -> datetime:
    try:
        return to_aware_datetime(value)
    except (TypeError, ValueError) as error:
        raise QueryError(
            f"{name}: {error} (give a datetime, a date or an ISO-8601 string)"
        ) from None


def _quality_bound(name: str, value: object) -> float:
    # bool is an int subclass, but `min_quality=True` is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, Real):
        raise QueryError(f"{name} must be a number, got {value!r}")
    bound = float(value)
    if math.isnan(bound):
        raise QueryError(f"{name} must be a number, got NaN")
    return bound


def _one_or_many(name: str, value: str | Iterable[str]) -> frozenset[str]:
    """Return the case-folded texts of a criterion that takes one or several."""
    items: list[object] = [value] if isinstance(value, str) else _listed(name, value)
    if not items:
        raise QueryError(f"{name}: give at least one value, got an empty collection")
    texts: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            raise QueryError(f"{name} must be a string or strings, got {item!r}")
        text = item.strip().casefold()
        if not text:
            raise QueryError(f"{name} must not be empty")
        texts.add(text)
    return frozenset(texts)


def _listed(name: str, value: object) -> list[object]:
    if isinstance(value, bytes | dict) or not isinstance(value, Iterable):
        raise QueryError(f"{name} must be a string or strings, got {value!r}")
    return list(value)


def _provider_test(queries: frozenset[str]) -> Predicate:
    # A query with a dot is a domain and also matches its subdomains:
    # "nasdaq.com" matches "www.nasdaq.com", but not "notnasdaq.com". A query
    # without one ("com", "Nasdaq") only matches a whole name or domain, so
    # "com" does not select every .com outlet.
    suffixes = tuple(f".{query}" for query in queries if "." in query)

    def test(article: Article) -> bool:
        provider = article.provider
        if provider is None:
            return False
        if provider.name is not None and provider.name.casefold() in queries:
            return True
        if provider.domain is None:
            return False
        domain = provider.domain.casefold().rstrip(".")
        return domain in queries or domain.endswith(suffixes)

    return test


def _topic_test(queries: frozenset[str]) -> Predicate:
    def test(article: Article) -> bool:
        return any(topic.casefold() in queries for topic in article.topics)

    return test


def _time_tests(since: Instant | None, until: Instant | None) -> list[Predicate]:
    start = None if since is None else _instant("since", since)
    end = None if until is None else _instant("until", until)
    if start is not None and end is not None and end < start:
        raise QueryError(f"until ({end.isoformat()}) is earlier than since ({start.isoformat()})")
    tests: list[Predicate] = []
    if start is not None:
        tests.append(lambda article: article.published_at >= start)
    if end is not None:
        tests.append(lambda article: article.published_at < end)
    return tests


def _quality_tests(min_quality: object, max_quality: object) -> list[Predicate]:
    low = None if min_quality is None else _quality_bound("min_quality", min_quality)
    high = None if max_quality is None else _quality_bound("max_quality", max_quality)
    if low is not None and high is not None and high < low:
        raise QueryError(f"max_quality ({max_quality}) is lower than min_quality ({min_quality})")
    tests: list[Predicate] = []
    # An article without a quality never passes a bound: it is unknown, not 0.
    if low is not None:
        tests.append(lambda article: article.quality is not None and article.quality >= low)
    if high is not None:
        tests.append(lambda article: article.quality is not None and article.quality <= high)
    return tests


def compile_filter(  # noqa: PLR0913 -- mirrors Feed.filter's keyword-only criteria
    *,
    since: Instant | None,
    until: Instant | None,
    min_quality: float | None,
    max_quality: float | None,
    provider: str | Iterable[str] | None,
    topic: str | Iterable[str] | None,
    published: bool | None,
    where: Predicate | None,
) -> list[Predicate]:
    """Check every criterion and return the tests an article must all pass.

    Raises :class:`~newsfeed.QueryError` for the first invalid criterion.
    """
    tests = _time_tests(since, until)
    tests.extend(_quality_tests(min_quality, max_quality))
    if provider is not None:
        tests.append(_provider_test(_one_or_many("provider", provider)))
    if topic is not None:
        tests.append(_topic_test(_one_or_many("topic", topic)))
    if published is not None:
        if not isinstance(published, bool):
            raise QueryError(f"published must be True or False, got {published!r}")
        wanted = published
        tests.append(lambda article: article.published is wanted)
    if where is not None:
        if not callable(where):
            raise QueryError(f"where must be a function of an article, got {where!r}")
        tests.append(where)
    return tests


def sort_key(by: str | Callable[[Article], object]) -> Callable[[Article], object]:
    """Return the key function for *by*: a name from :data:`SORT_KEYS`, or a function."""
    if isinstance(by, str):
        try:
            return SORT_KEYS[by]
        except KeyError:
            known = ", ".join(sorted(SORT_KEYS))
            raise QueryError(f"unknown sort key {by!r}; use one of: {known}") from None
    if callable(by):
        return by
    raise QueryError(f"sort key must be a name or a function, got {by!r}")
