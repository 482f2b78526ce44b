"""Checking the criteria of :meth:`Feed.filter` and :meth:`Feed.sort`, and compiling them.

Every criterion is checked before any article is looked at, so a typo fails
at once with a :class:`~newsfeed.QueryError` naming it, rather than as an
empty result or halfway through a large feed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from numbers import Integral, Rational, Real
from operator import attrgetter
from typing import Final, TypeAlias

import attrs

from newsfeed._errors import QueryError
from newsfeed._feed.text import SURROGATE
from newsfeed._format.timestamps import to_aware_datetime
from newsfeed._model import Article

__all__ = [
    "EPOCH",
    "SORT_KEYS",
    "Criteria",
    "Instant",
    "Predicate",
    "check_criteria",
    "compile_predicate",
    "epoch_us",
    "fold",
    "fold_domain",
    "sort_key",
]

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


#: The instant the integer timestamps of sort keys, data frames and the index count from.
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)


def epoch_us(instant: datetime) -> int:
    """Return an aware *instant* as whole microseconds since 1970 UTC.

    Exact for every datetime (a float of seconds is not, past 2255), and
    integers compare several times faster than aware datetimes, which
    convert both sides to UTC on every comparison.
    """
    return (instant - EPOCH) // _MICROSECOND


def _published_key(article: Article) -> int:
    return epoch_us(article.published_at)


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
    # The same order as the datetimes, compared as plain integers.
    "published_at": _published_key,
    "provider_name": _provider_name,
    "provider_domain": _provider_domain,
    "related_count": _related_count,
    "url": attrgetter("url"),
}


def _instant(name: str, value: Instant) -> datetime:
    try:
        instant = to_aware_datetime(value)
    except (TypeError, ValueError) as error:
        raise QueryError(
            f"{name}: {error} (give a datetime, a date or an ISO-8601 string)"
        ) from None
    # A tzinfo that gives no offset: neither naive (UTC) nor an instant, as
    # from_dict refuses it.
    if instant.utcoffset() is None:
        raise QueryError(f"{name}: {value!r} has a tzinfo that gives no UTC offset")
    return instant


#: A Decimal bound with more digits than this before its point is past
#: every quality (the format cannot hold one of more than 4,300 digits), and
#: converting it to an int would take a long time.
_MAX_BOUND_DIGITS: Final = 10_000


def _quality_bound(name: str, value: object) -> float:
    # bool is an int subclass, but `min_quality=True` is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise QueryError(f"{name} must be a number, got {value!r}")
    if isinstance(value, Integral):
        # Kept whole: as a float, 2**53 + 1 would be 2**53, and compare wrong.
        return int(value)
    if isinstance(value, Decimal):
        if value.is_nan():
            raise QueryError(f"{name} must be a number, got NaN")
        if value.is_infinite() or value.adjusted() >= _MAX_BOUND_DIGITS:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, Decimal | Rational):
        # Exact, where a float would round past 2**53: qualities are whole
        # numbers, so a bound between two of them is the whole one inside it.
        return int(math.ceil(value) if name == "min_quality" else math.floor(value))
    bound = float(value)
    if math.isnan(bound):
        raise QueryError(f"{name} must be a number, got NaN")
    return bound


def fold(text: str) -> str:
    """Return *text* as provider names and topics are compared: case-folded, unpadded.

    Both sides of a comparison go through it, the query's and the article's
    (in the index too), so that a value quoted with spaces around it in a
    file is found by its words.
    """
    return text.strip().casefold()


def fold_domain(domain: str) -> str:
    """Return *domain* as it is compared: folded, without a final dot (``bbc.co.uk.``)."""
    return fold(domain).rstrip(".")


def _one_or_many(name: str, value: str | Iterable[str]) -> frozenset[str]:
    """Return the folded texts of a criterion that takes one or several."""
    items: list[object] = [value] if isinstance(value, str) else _listed(name, value)
    if not items:
        raise QueryError(f"{name}: give at least one value, got an empty collection")
    texts: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            raise QueryError(f"{name} must be a string or strings, got {item!r}")
        if SURROGATE.search(item):
            raise QueryError(f"{name}: {item!r} holds a lone surrogate, which no article can")
        text = fold(item)
        if not text:
            raise QueryError(f"{name} must not be empty")
        texts.add(text)
    return frozenset(texts)


def _listed(name: str, value: object) -> list[object]:
    if isinstance(value, bytes | dict) or not isinstance(value, Iterable):
        raise QueryError(f"{name} must be a string or strings, got {value!r}")
    return list(value)


@attrs.frozen
class Criteria:
    """The checked criteria of one filter, ready to compile to Python or to SQL.

    Text criteria are case-folded sets; bounds are aware datetimes and floats.
    Built only by :func:`check_criteria`, so every instance is valid.
    """

    since: datetime | None = None
    until: datetime | None = None
    min_quality: float | None = None
    max_quality: float | None = None
    #: Case-folded provider names or domains; a query with a dot is a domain.
    providers: frozenset[str] | None = None
    #: Case-folded whole topics.
    topics: frozenset[str] | None = None
    published: bool | None = None
    where: Predicate | None = None

    #: The provider queries as domains (:func:`fold_domain`), each matching a
    #: whole domain; derived once, as the predicate asks for every domain.
    domains: frozenset[str] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(
            lambda self: frozenset(filter(None, map(fold_domain, self.providers or ()))),
            takes_self=True,
        ),
    )
    #: The suffixes a subdomain of a queried domain ends with (``.nasdaq.com``).
    #: A query with a dot (before any final one) is a domain and also matches
    #: its subdomains: "nasdaq.com" matches "www.nasdaq.com", but not
    #: "notnasdaq.com". A query without one ("com", "Nasdaq") only matches a
    #: whole name or domain, so "com" does not select every .com outlet.
    domain_suffixes: tuple[str, ...] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(
            lambda self: tuple(sorted(f".{domain}" for domain in self.domains if "." in domain)),
            takes_self=True,
        ),
    )

    def domain_matches(self, domain: str | None) -> bool:
        """Return whether a provider's *domain* is one asked for, or a subdomain of one."""
        if domain is None:
            return False
        folded = fold_domain(domain)
        return folded in self.domains or folded.endswith(self.domain_suffixes)


def check_criteria(  # noqa: PLR0913 -- mirrors Feed.filter's keyword-only criteria
    *,
    since: Instant | None = None,
    until: Instant | None = None,
    min_quality: float | None = None,
    max_quality: float | None = None,
    provider: str | Iterable[str] | None = None,
    topic: str | Iterable[str] | None = None,
    published: bool | None = None,
    where: Predicate | None = None,
) -> Criteria:
    """Check every criterion and return them as :class:`Criteria`.

    Raises :class:`~newsfeed.QueryError` for the first invalid criterion.
    Both :meth:`Feed.filter` and the index's filter call this, so a bad
    criterion fails the same way whichever answers the query.
    """
    start = None if since is None else _instant("since", since)
    end = None if until is None else _instant("until", until)
    # As instants: two datetimes of one zone compare by wall time, blind to fold.
    if start is not None and end is not None and epoch_us(end) < epoch_us(start):
        raise QueryError(f"until ({end.isoformat()}) is earlier than since ({start.isoformat()})")
    low = None if min_quality is None else _quality_bound("min_quality", min_quality)
    high = None if max_quality is None else _quality_bound("max_quality", max_quality)
    # The bounds as given: 1.5 to 1.7 is a range (that holds no whole number).
    if low is not None and high is not None and max_quality < min_quality:  # type: ignore[operator]
        raise QueryError(f"max_quality ({max_quality}) is lower than min_quality ({min_quality})")
    providers = None if provider is None else _one_or_many("provider", provider)
    topics = None if topic is None else _one_or_many("topic", topic)
    if published is not None and not isinstance(published, bool):
        raise QueryError(f"published must be True or False, got {published!r}")
    if where is not None and not callable(where):
        raise QueryError(f"where must be a function of an article, got {where!r}")
    return Criteria(
        since=start,
        until=end,
        min_quality=low,
        max_quality=high,
        providers=providers,
        topics=topics,
        published=published,
        where=where,
    )


# The lines of the one function compile_predicate builds, per criterion. Each
# returns False as soon as the article fails; the values they compare against
# are names bound in the function's namespace, never text pasted into code.
_SINCE: Final = "    if stamp < since:\n        return False\n"
_UNTIL: Final = "    if stamp >= until:\n        return False\n"
# An article without a quality never passes a bound: it is unknown, not 0.
_QUALITY: Final = "    quality = article.quality\n    if quality is None:\n        return False\n"
_MIN_QUALITY: Final = "    if quality < min_quality:\n        return False\n"
_MAX_QUALITY: Final = "    if quality > max_quality:\n        return False\n"
# A feed holds few providers and topics, shared by many articles: each name,
# domain and topic is folded and looked up once per filter, then remembered
# (None: not yet).
_PROVIDER: Final = """\
    provider = article.provider
    if provider is None:
        return False
    name = provider.name
    matched = by_name.get(name)
    if matched is None:
        matched = by_name[name] = name is not None and fold(name) in providers
    if not matched:
        domain = provider.domain
        matched = by_domain.get(domain)
        if matched is None:
            matched = by_domain[domain] = domain_matches(domain)
        if not matched:
            return False
"""
_TOPIC: Final = """\
    for topic in article.topics:
        matched = by_topic.get(topic)
        if matched is None:
            matched = by_topic[topic] = fold(topic) in topics
        if matched:
            break
    else:
        return False
"""
_PUBLISHED: Final = "    if article.published is not published:\n        return False\n"
_WHERE: Final = "    if not where(article):\n        return False\n"


def compile_predicate(criteria: Criteria) -> Callable[[Article, int], bool] | None:
    """Return one function testing every criterion, or None when there is none.

    The function takes the article and its ``published_at`` as
    :func:`epoch_us` gives it (any value when neither *since* nor *until*
    is given): the caller keeps those integers, as comparing them is
    several times faster than comparing aware datetimes.

    One generated function, rather than a list of tests run by ``all()``:
    calling a test per criterion per article, through a generator, cost more
    than the tests themselves on large feeds.
    """
    bounded = criteria.min_quality is not None or criteria.max_quality is not None
    wanted = (
        (criteria.since is not None, _SINCE),
        (criteria.until is not None, _UNTIL),
        (bounded, _QUALITY),
        (criteria.min_quality is not None, _MIN_QUALITY),
        (criteria.max_quality is not None, _MAX_QUALITY),
        (criteria.providers is not None, _PROVIDER),
        (criteria.topics is not None, _TOPIC),
        (criteria.published is not None, _PUBLISHED),
        (criteria.where is not None, _WHERE),
    )
    lines = [fragment for needed, fragment in wanted if needed]
    if not lines:
        return None
    namespace: dict[str, object] = {
        "since": None if criteria.since is None else epoch_us(criteria.since),
        "until": None if criteria.until is None else epoch_us(criteria.until),
        "min_quality": criteria.min_quality,
        "max_quality": criteria.max_quality,
        "providers": criteria.providers,
        "by_name": {},
        "by_domain": {},
        "by_topic": {},
        "domain_matches": criteria.domain_matches,
        "fold": fold,
        "topics": criteria.topics,
        "published": criteria.published,
        "where": criteria.where,
    }
    source = "def predicate(article, stamp):\n" + "".join(lines) + "    return True\n"
    # The source is assembled from the constant fragments above only.
    exec(compile(source, "<newsfeed filter>", "exec"), namespace)  # noqa: S102
    predicate: Callable[[Article, int], bool] = namespace["predicate"]  # type: ignore[assignment]
    return predicate


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
