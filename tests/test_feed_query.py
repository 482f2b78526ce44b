"""Feed queries against answers computed by hand over a generated corpus of a few hundred files."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import corpus
import newsfeed
from newsfeed import Article, Feed, QueryError

ARTICLES = corpus.make_articles()
BOUNDARY_URLS = {article.web_url for article in ARTICLES[: len(corpus.BOUNDARY_OFFSETS)]}


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Feed:
    """Load the generated corpus from files, once for the module."""
    root = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(root, ARTICLES)
    loaded = newsfeed.load_dir(root)
    assert list(loaded) == ARTICLES
    return loaded


def seconds(value: datetime) -> float:
    """Return the POSIX time of an aware datetime: an order that ignores offsets."""
    return value.timestamp()


def expected(test: Callable[[Article], bool]) -> list[Article]:
    """Return the corpus articles passing *test*, in file order."""
    return [article for article in ARTICLES if test(article)]


def domain_of(article: Article) -> str:
    """Return the provider's domain in lower case, or an empty string."""
    if article.provider is None or article.provider.domain is None:
        return ""
    return article.provider.domain.lower()


def name_of(article: Article) -> str:
    """Return the provider's name in lower case, or an empty string."""
    if article.provider is None or article.provider.name is None:
        return ""
    return article.provider.name.lower()


def provider_named(name: str) -> Callable[[Article], bool]:
    """Return a test for articles whose provider is called *name*, case as written."""
    return lambda article: article.provider is not None and article.provider.name == name


def tagged(topic: str) -> Callable[[Article], bool]:
    """Return a test for articles with *topic* among their topics, case as written."""
    return lambda article: topic in article.topics


class TestTime:
    """``since`` is inclusive, ``until`` exclusive, whatever form the instant takes."""

    def test_since(self, feed: Feed) -> None:
        """The since bound keeps the articles at or after the instant."""
        cut = datetime(2020, 4, 1, 12, tzinfo=UTC)
        result = feed.filter(since=cut)
        assert list(result) == expected(lambda a: seconds(a.published_at) >= cut.timestamp())
        assert 0 < len(result) < len(feed)

    def test_until(self, feed: Feed) -> None:
        """The until bound keeps the articles strictly before the instant."""
        cut = datetime(2020, 2, 10, 8, 30, tzinfo=UTC)
        result = feed.filter(until=cut)
        assert list(result) == expected(lambda a: seconds(a.published_at) < cut.timestamp())
        assert 0 < len(result) < len(feed)

    def test_boundary_instant_is_in_since_and_out_of_until(self, feed: Feed) -> None:
        """The articles exactly on the cut, in three offsets, pass since and fail until."""
        on_boundary = feed.filter(
            since=corpus.BOUNDARY, until=corpus.BOUNDARY + timedelta(minutes=1)
        )
        assert {article.web_url for article in on_boundary} == BOUNDARY_URLS
        assert {article.published_at.utcoffset() for article in on_boundary} == {
            offset.utcoffset(None) for offset in corpus.BOUNDARY_OFFSETS
        }
        before = feed.filter(until=corpus.BOUNDARY)
        after = feed.filter(since=corpus.BOUNDARY)
        assert not BOUNDARY_URLS & {article.web_url for article in before}
        assert {article.web_url for article in after} >= BOUNDARY_URLS
        assert len(before) + len(after) == len(feed)

    def test_empty_window(self, feed: Feed) -> None:
        """A since equal to until is a valid, empty window."""
        assert len(feed.filter(since=corpus.BOUNDARY, until=corpus.BOUNDARY)) == 0

    @pytest.mark.parametrize(
        "instant",
        [
            datetime(2020, 3, 1),  # noqa: DTZ001 -- a naive datetime is the point: it means UTC
            datetime(2020, 2, 29, 17, tzinfo=timezone(timedelta(hours=-7))),
            datetime(2020, 3, 1, 5, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
            date(2020, 3, 1),
            "2020-03-01",
            "2020-03-01T00:00:00",
            "2020-03-01T00:00:00Z",
            "2020-03-01T05:30:00+05:30",
            " 2020-02-29T17:00-07:00 ",
        ],
        ids=repr,
    )
    def test_forms_of_the_same_instant(
        self, feed: Feed, instant: newsfeed._feed.criteria.Instant
    ) -> None:
        """Naive datetimes and dates are UTC; aware ones and ISO strings keep their offset."""
        assert feed.filter(since=instant) == feed.filter(since=corpus.BOUNDARY)
        assert feed.filter(until=instant) == feed.filter(until=corpus.BOUNDARY)
        assert len(feed.filter(since=instant)) == len(
            expected(lambda a: seconds(a.published_at) >= corpus.BOUNDARY.timestamp())
        )

    def test_naive_is_not_local_time(self, feed: Feed) -> None:
        """A naive datetime is UTC, not the same wall time in another offset."""
        article = ARTICLES[10]
        wall_time = article.published_at.astimezone(UTC).replace(tzinfo=None)
        naive = feed.filter(since=wall_time)
        west = feed.filter(since=wall_time.replace(tzinfo=timezone(timedelta(hours=-7))))
        assert article in naive
        assert article not in west
        assert list(naive) == expected(
            lambda a: seconds(a.published_at) >= seconds(article.published_at)
        )


class TestQuality:
    """Quality bounds are inclusive, and a missing quality never passes one."""

    @pytest.mark.parametrize(
        ("low", "high"), [(50, None), (None, 50), (30, 70), (0, 100), (42, 42)]
    )
    def test_bounds(self, feed: Feed, low: int | None, high: int | None) -> None:
        """Each bound, and both, select by quality, inclusively."""
        result = feed.filter(min_quality=low, max_quality=high)
        assert list(result) == expected(
            lambda a: (
                a.quality is not None
                and (low is None or a.quality >= low)
                and (high is None or a.quality <= high)
            )
        )

    def test_bounds_are_inclusive(self, feed: Feed) -> None:
        """An article with quality exactly at a bound is kept by both bounds."""
        hundreds = feed.filter(min_quality=100)
        zeros = feed.filter(max_quality=0)
        assert hundreds
        assert zeros
        assert {article.quality for article in hundreds} == {100}
        assert {article.quality for article in zeros} == {0}

    def test_missing_quality_never_passes(self, feed: Feed) -> None:
        """The widest bounds still leave out the articles without a quality."""
        missing = expected(lambda a: a.quality is None)
        assert missing
        assert len(feed.filter(min_quality=0)) == len(feed) - len(missing)
        assert len(feed.filter(max_quality=100)) == len(feed) - len(missing)
        assert len(feed.filter(min_quality=-math.inf)) == len(feed) - len(missing)

    def test_whole_bounds_compare_exactly(self, feed: Feed) -> None:
        """A whole bound past a float's precision is compared exactly, not rounded."""
        first = feed[0]
        edge = Feed([attrs.evolve(first, quality=2**53), attrs.evolve(first, quality=2**53 + 1)])
        assert [a.quality for a in edge.filter(min_quality=2**53 + 1)] == [2**53 + 1]
        assert [a.quality for a in edge.filter(max_quality=2**53)] == [2**53]
        huge = Feed([attrs.evolve(first, quality=10**30)])
        assert huge.filter(min_quality=10**30 + 1) == Feed()

    def test_float_bounds(self, feed: Feed) -> None:
        """A fractional bound compares as a number."""
        assert feed.filter(min_quality=49.5) == feed.filter(min_quality=50)

    @pytest.mark.parametrize(
        "whole",
        [np.int64, Fraction, Decimal],
        ids=["numpy-int64", "fraction", "decimal"],
    )
    def test_whole_bounds_of_other_types(self, feed: Feed, whole: Callable[[int], Any]) -> None:
        """A whole bound of numpy, Fraction or Decimal is compared exactly, as an int is."""
        first = feed[0]
        edge = Feed([attrs.evolve(first, quality=2**53), attrs.evolve(first, quality=2**53 + 1)])
        assert [a.quality for a in edge.filter(min_quality=whole(2**53 + 1))] == [2**53 + 1]
        assert [a.quality for a in edge.filter(max_quality=whole(2**53))] == [2**53]

    @pytest.mark.parametrize(
        "between",
        [Fraction(2**54 + 1, 2), Decimal("9007199254740992.5")],
        ids=["fraction", "decimal"],
    )
    def test_bounds_between_two_whole_numbers(self, feed: Feed, between: Any) -> None:
        """A bound past 2**53 between two qualities is compared exactly, not rounded to a float."""
        first = feed[0]
        edge = Feed([attrs.evolve(first, quality=2**53), attrs.evolve(first, quality=2**53 + 1)])

        assert [a.quality for a in edge.filter(min_quality=between)] == [2**53 + 1]
        assert [a.quality for a in edge.filter(max_quality=between)] == [2**53]
        # A range holding no whole number is empty, not a reversed range.
        assert edge.filter(min_quality=between, max_quality=between) == Feed()

    @pytest.mark.parametrize("text", ["1E+3000000", "-1E+3000000", "Infinity"])
    def test_decimal_bounds_past_every_quality(self, feed: Feed, text: str) -> None:
        """A Decimal past every quality is a bound at once (no int of a million digits is made)."""
        bound = cast("float", Decimal(text))
        kept = feed.filter(min_quality=bound)

        assert len(kept) == (0 if not text.startswith("-") else len(feed.filter(min_quality=0)))

    def test_decimal_signalling_nan(self, feed: Feed) -> None:
        """A signalling NaN is refused as a NaN is, not with decimal's own ValueError."""
        with pytest.raises(QueryError, match="must be a number, got NaN"):
            feed.filter(min_quality=cast("float", Decimal("sNaN")))

    def test_decimal_fraction_bounds(self, feed: Feed) -> None:
        """A Decimal is a number too: a fractional one compares as its float."""
        # Accepted at run time, as numbers are, though the annotation says float.
        half = cast("float", Decimal("49.5"))
        assert feed.filter(min_quality=half) == feed.filter(min_quality=50)
        with pytest.raises(QueryError, match="must be a number, got NaN"):
            feed.filter(min_quality=cast("float", Decimal("NaN")))


class TestProvider:
    """Providers match by name or domain, case-insensitively, domains with their subdomains."""

    def test_domain_matches_subdomains(self, feed: Feed) -> None:
        """nasdaq.com matches www.nasdaq.com and Markets.NASDAQ.com, not notnasdaq.com."""
        result = feed.filter(provider="nasdaq.com")
        domains = {domain_of(a) for a in result}
        assert domains == {"nasdaq.com", "www.nasdaq.com", "markets.nasdaq.com"}
        assert list(result) == expected(
            lambda a: domain_of(a) == "nasdaq.com" or domain_of(a).endswith(".nasdaq.com")
        )

    def test_domain_is_case_insensitive(self, feed: Feed) -> None:
        """The domain query and the file's domain are compared without case."""
        assert feed.filter(provider="NASDAQ.COM") == feed.filter(provider="nasdaq.com")
        assert feed.filter(provider="markets.nasdaq.com") == Feed(
            expected(lambda a: domain_of(a) == "markets.nasdaq.com")
        )

    def test_subdomain_does_not_match_parent(self, feed: Feed) -> None:
        """www.nasdaq.com selects only that host, not nasdaq.com itself."""
        result = feed.filter(provider="www.nasdaq.com")
        assert result
        assert {domain_of(a) for a in result} == {"www.nasdaq.com"}

    def test_name_is_case_insensitive_and_whole(self, feed: Feed) -> None:
        """The name nasdaq matches Nasdaq, not NASDAQ Markets or Not Nasdaq."""
        result = feed.filter(provider="nasdaq")
        assert list(result) == expected(lambda a: name_of(a) == "nasdaq")
        assert {a.provider.name for a in result if a.provider} == {"Nasdaq"}

    def test_name_variants(self, feed: Feed) -> None:
        """The query REUTERS matches both Reuters and reuters."""
        result = feed.filter(provider="REUTERS")
        assert {a.provider.name for a in result if a.provider} == {"Reuters", "reuters"}

    def test_domain_without_name(self, feed: Feed) -> None:
        """A provider with only a domain is found by it; one with only a name by that."""
        assert list(feed.filter(provider="tech.co")) == expected(
            lambda a: domain_of(a) == "tech.co"
        )
        assert list(feed.filter(provider="mic")) == expected(lambda a: name_of(a) == "mic")
        assert feed.filter(provider="tech.co")
        assert feed.filter(provider="mic")

    def test_bare_label_is_not_a_domain_suffix(self, feed: Feed) -> None:
        """A bare com is not a domain query: it does not select every .com outlet."""
        assert len(feed.filter(provider="com")) == 0

    def test_several_providers(self, feed: Feed) -> None:
        """Several providers select the articles of any of them."""
        result = feed.filter(provider=["reuters.com", "The Loop"])
        assert list(result) == expected(
            lambda a: domain_of(a).endswith("reuters.com") or name_of(a) == "the loop"
        )


class TestTopic:
    """Topics match whole topics, case-insensitively; several topics mean any of them."""

    def test_whole_topic_any_case(self, feed: Feed) -> None:
        """The topic ai matches AI and ai, never AWS AI."""
        result = feed.filter(topic="ai")
        assert list(result) == expected(lambda a: "ai" in [t.lower() for t in a.topics])
        assert all(any(topic in {"AI", "ai"} for topic in article.topics) for article in result)
        aws_only = [
            a for a in ARTICLES if "AWS AI" in a.topics and not {"AI", "ai"} & set(a.topics)
        ]
        assert aws_only
        assert not any(article in result for article in aws_only)

    def test_several_topics(self, feed: Feed) -> None:
        """A tuple of topics keeps articles with any of them."""
        result = feed.filter(topic=("policy", "COMPUTER VISION"))
        assert list(result) == expected(
            lambda a: bool({t.lower() for t in a.topics} & {"policy", "computer vision"})
        )

    def test_unknown_topic(self, feed: Feed) -> None:
        """A topic no article has selects nothing."""
        assert len(feed.filter(topic="Gardening")) == 0


class TestOtherCriteria:
    """published, where, and criteria combined."""

    @pytest.mark.parametrize("value", [True, False])
    def test_published(self, feed: Feed, value: bool) -> None:
        """The published flag must match; a missing flag matches neither value."""
        result = feed.filter(published=value)
        assert list(result) == expected(lambda a: a.published is value)
        missing = expected(lambda a: a.published is None)
        assert missing
        assert len(feed.filter(published=True)) + len(feed.filter(published=False)) == len(
            feed
        ) - len(missing)

    def test_where(self, feed: Feed) -> None:
        """A where predicate is any function of an article."""
        result = feed.filter(where=lambda a: len(a.related) >= 2)
        assert list(result) == expected(lambda a: len(a.related) >= 2)

    def test_no_criteria_is_everything(self, feed: Feed) -> None:
        """filter() without criteria keeps the whole feed."""
        assert feed.filter() == feed

    @given(
        # Hypothesis takes naive bounds; the test makes the drawn value aware.
        since=st.none() | st.datetimes(datetime(2019, 12, 1), datetime(2020, 6, 30)),  # noqa: DTZ001
        length=st.none() | st.timedeltas(timedelta(0), timedelta(days=120)),
        low=st.none() | st.integers(-5, 105),
        high=st.none() | st.integers(-5, 105),
        provider=st.none() | st.sampled_from(["nasdaq.com", "Nasdaq", "reuters", "TECH.CO", "x.y"]),
        topic=st.none() | st.lists(st.sampled_from([*corpus.TOPICS, "none"]), min_size=1),
        published=st.none() | st.booleans(),
    )
    def test_combinations(  # noqa: PLR0917 -- Hypothesis passes one argument per criterion
        self,
        feed: Feed,
        since: datetime | None,
        length: timedelta | None,
        low: int | None,
        high: int | None,
        provider: str | None,
        topic: list[str] | None,
        published: bool | None,
    ) -> None:
        """Any combination of criteria keeps exactly the articles passing all of them."""
        if low is not None and high is not None and high < low:
            low, high = high, low
        since_utc = None if since is None else since.replace(tzinfo=UTC)
        until_utc = None if since_utc is None or length is None else since_utc + length
        result = feed.filter(
            since=since_utc,
            until=until_utc,
            min_quality=low,
            max_quality=high,
            provider=provider,
            topic=topic,
            published=published,
        )

        def passes(a: Article) -> bool:
            when = seconds(a.published_at)
            wanted_topics = None if topic is None else {t.lower() for t in topic}
            query = None if provider is None else provider.lower()
            return (
                (since_utc is None or when >= since_utc.timestamp())
                and (until_utc is None or when < until_utc.timestamp())
                and (low is None or (a.quality is not None and a.quality >= low))
                and (high is None or (a.quality is not None and a.quality <= high))
                and (
                    query is None
                    or name_of(a) == query
                    or domain_of(a) == query
                    or ("." in query and domain_of(a).endswith("." + query))
                )
                and (wanted_topics is None or bool(wanted_topics & {t.lower() for t in a.topics}))
                and (published is None or a.published is published)
            )

        assert list(result) == expected(passes)


class TestInvalidCriteria:
    """Bad criteria raise QueryError, naming the criterion, before any article is looked at."""

    @pytest.mark.parametrize(
        ("criteria", "message"),
        [
            ({"since": "yesterday"}, "since: not an ISO-8601 timestamp: 'yesterday'"),
            ({"until": "2020-13-01"}, "until: impossible timestamp .2020-13-01.: month must be"),
            ({"since": 1591876920}, "since: expected a timestamp, got int"),
            ({"since": True}, "since: expected a timestamp, got bool"),
            ({"since": "2020-03-02", "until": "2020-03-01"}, "is earlier than since"),
            ({"min_quality": "high"}, "min_quality must be a number, got 'high'"),
            ({"max_quality": "50"}, "max_quality must be a number, got '50'"),
            ({"min_quality": True}, "min_quality must be a number, got True"),
            ({"min_quality": math.nan}, "min_quality must be a number, got NaN"),
            ({"min_quality": 60, "max_quality": 40}, "is lower than min_quality"),
            ({"provider": ""}, "provider must not be empty"),
            ({"provider": 3}, "provider must be a string or strings, got 3"),
            ({"provider": b"nasdaq.com"}, "provider must be a string or strings"),
            ({"topic": []}, "topic: give at least one value"),
            ({"topic": ["AI", 1]}, "topic must be a string or strings, got 1"),
            ({"topic": {"AI": 1}}, "topic must be a string or strings"),
            ({"published": "yes"}, "published must be True or False, got 'yes'"),
            ({"published": 1}, "published must be True or False, got 1"),
            ({"where": "quality > 50"}, "where must be a function of an article"),
        ],
        ids=lambda value: str(value)[:40],
    )
    def test_rejected_before_filtering(
        self, feed: Feed, criteria: dict[str, Any], message: str
    ) -> None:
        """The error is a QueryError and a ValueError; no predicate ran."""
        calls: list[Article] = []

        def spy(article: Article) -> bool:
            calls.append(article)
            return True

        if "where" not in criteria:
            criteria = {**criteria, "where": spy}
        with pytest.raises(QueryError, match=message.replace("(", r"\(")) as caught:
            feed.filter(**criteria)
        assert isinstance(caught.value, ValueError)
        assert isinstance(caught.value, newsfeed.NewsfeedError)
        assert calls == []

    def test_unknown_keyword(self, feed: Feed) -> None:
        """A misspelt criterion is a TypeError, as for any function."""
        with pytest.raises(TypeError, match="min_qualty"):
            feed.filter(min_qualty=3)  # type: ignore[call-arg]  # the case under test

    @pytest.mark.parametrize(
        ("by", "message"),
        [
            ("qualty", "unknown sort key 'qualty'; use one of: amp_web_url, body"),
            ("provider", "unknown sort key 'provider'"),
            (3, "sort key must be a name or a function, got 3"),
        ],
    )
    def test_bad_sort_key(self, feed: Feed, by: Any, message: str) -> None:
        """An unknown sort key is refused with the list of known ones."""
        with pytest.raises(QueryError, match=message):
            feed.sort(by)


def sort_expected(key: Callable[[Article], Any], *, reverse: bool) -> list[Article]:
    """Sort the corpus by hand: present keys stably in order, then the missing ones."""
    present = [a for a in ARTICLES if key(a) is not None]
    missing = [a for a in ARTICLES if key(a) is None]
    return sorted(present, key=key, reverse=reverse) + missing


class TestSort:
    """sort orders by a name or a function, stably, with None keys last."""

    @pytest.mark.parametrize("reverse", [False, True])
    def test_published_at_across_offsets(self, feed: Feed, reverse: bool) -> None:
        """The default key orders by instant, not by wall-clock text."""
        result = feed.sort(reverse=reverse)
        assert list(result) == sort_expected(lambda a: seconds(a.published_at), reverse=reverse)
        times = [seconds(a.published_at) for a in result]
        assert times == sorted(times, reverse=reverse)

    @pytest.mark.parametrize("reverse", [False, True])
    @pytest.mark.parametrize(
        ("by", "key"),
        [
            ("quality", lambda a: a.quality),
            ("heat", lambda a: a.heat),
            ("published", lambda a: a.published),
            ("title", lambda a: a.title),
            ("provider_name", lambda a: a.provider.name if a.provider else None),
            ("provider_domain", lambda a: a.provider.domain if a.provider else None),
            ("related_count", lambda a: len(a.related)),
            ("url", lambda a: a.url),
        ],
    )
    def test_by_name(
        self, feed: Feed, by: str, key: Callable[[Article], Any], reverse: bool
    ) -> None:
        """Each named key sorts stably, and None keys stay last even when reversed."""
        result = feed.sort(by, reverse=reverse)
        assert list(result) == sort_expected(key, reverse=reverse)

    def test_none_last_when_reversed(self, feed: Feed) -> None:
        """Articles without a quality end both orders."""
        missing = sum(a.quality is None for a in ARTICLES)
        for reverse in (False, True):
            tail = feed.sort("quality", reverse=reverse)[-missing:]
            assert {a.quality for a in tail} == {None}
        assert feed.sort("quality", reverse=True)[0].quality == 100

    def test_key_function(self, feed: Feed) -> None:
        """A key function sorts like sorted() does."""
        result = feed.sort(lambda a: (len(a.topics), a.title))
        assert list(result) == sorted(ARTICLES, key=lambda a: (len(a.topics), a.title))

    def test_path(self, feed: Feed) -> None:
        """Sorting by path gives the load order back."""
        assert feed.sort("path") == feed
        assert feed.sort("path", reverse=True) == feed[::-1]


class TestAggregates:
    """unique, providers and topics."""

    def test_unique_keeps_first_per_url(self, feed: Feed) -> None:
        """One article per web_url, the first of each, in feed order."""
        first: dict[str, Article] = {}
        for article in ARTICLES:
            assert article.web_url is not None
            first.setdefault(article.web_url, article)
        result = feed.unique()
        assert len(first) < len(ARTICLES)
        assert list(result) == list(first.values())
        # The first, not a later article with the same URL: they differ in title.
        urls = [a.web_url for a in result]
        assert len(urls) == len(set(urls))
        assert {a.title for a in result} == {a.title for a in first.values()}

    def test_providers(self, feed: Feed) -> None:
        """Counts per provider name, the domain without one, None without a provider."""
        counts = feed.providers()
        assert isinstance(counts, Counter)
        assert sum(counts.values()) == len(feed)
        assert counts["tech.co"] == len(expected(lambda a: domain_of(a) == "tech.co"))
        assert counts[None] == len(expected(lambda a: a.provider is None))
        for name in ("Nasdaq", "Reuters", "reuters", "Mic"):
            assert counts[name] == len(expected(provider_named(name)))

    def test_topics(self, feed: Feed) -> None:
        """Counts per topic as written, each article counted once per topic."""
        counts = feed.topics()
        assert isinstance(counts, Counter)
        assert set(counts) == set(corpus.TOPICS)
        for topic in corpus.TOPICS:
            assert counts[topic] == len(expected(tagged(topic)))
        doubled = Feed([attrs.evolve(ARTICLES[0], topics=("X", "X", "Y"))])
        assert doubled.topics() == Counter({"X": 1, "Y": 1})
