"""Feed queries as compiled predicates and integer time keys: the same answers as plain Python."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import newsfeed
from newsfeed import Article, Feed, QueryError
from newsfeed._feed.criteria import SORT_KEYS, check_criteria, compile_predicate, epoch_us
from strategies import articles, aware_datetimes, filter_criteria


def _provider_matches(article: Article, queries: set[str]) -> bool:
    """Names and domains trimmed and case-folded as queries are; domains without a final dot."""
    provider = article.provider
    if provider is None:
        return False
    if provider.name is not None and provider.name.strip().casefold() in queries:
        return True
    if provider.domain is None:
        return False
    domain = provider.domain.strip().casefold().rstrip(".")
    domains = {query.rstrip(".") for query in queries} - {""}
    return any(
        domain == query or ("." in query and domain.endswith("." + query)) for query in domains
    )


def _texts(value: Any) -> set[str]:
    values = [value] if isinstance(value, str) else list(value)
    return {item.strip().casefold() for item in values}


def reference(article: Article, criteria: dict[str, Any]) -> bool:
    """Feed.filter's documented meaning, written the plain way, one criterion at a time."""
    checked = check_criteria(**criteria)
    tests = [
        checked.since is None or article.published_at >= checked.since,
        checked.until is None or article.published_at < checked.until,
        checked.min_quality is None
        or (article.quality is not None and article.quality >= checked.min_quality),
        checked.max_quality is None
        or (article.quality is not None and article.quality <= checked.max_quality),
        "provider" not in criteria or _provider_matches(article, _texts(criteria["provider"])),
        "topic" not in criteria
        or any(topic.strip().casefold() in _texts(criteria["topic"]) for topic in article.topics),
        "published" not in criteria or article.published is criteria["published"],
        "where" not in criteria or bool(criteria["where"](article)),
    ]
    return all(tests)


class TestFilter:
    """The generated predicate keeps exactly what the plain reading of the criteria keeps."""

    @given(st.data())
    @settings(max_examples=50)
    def test_against_reference(self, data: st.DataObject) -> None:
        """Any articles, any criteria: Feed.filter equals the reference, or both refuse."""
        items = data.draw(st.lists(articles(), max_size=6), label="articles")
        feed = Feed(items)
        criteria = data.draw(filter_criteria(items), label="criteria")
        try:
            result = feed.filter(**criteria)
        except QueryError:
            try:
                check_criteria(**criteria)
            except QueryError:
                return
            raise
        assert list(result) == [item for item in items if reference(item, criteria)]

    def test_padding_is_folded_on_both_sides(self) -> None:
        """A name ending in a CR (as CI's Hypothesis run drew) matches its query, as documented."""
        item = Article(
            title="T",
            published_at=datetime(2000, 1, 1, tzinfo=UTC),
            web_url="u",
            provider=newsfeed.Provider(name="0\r"),
            topics=("AI\t",),
        )
        cases: list[dict[str, Any]] = [{"provider": "0\r"}, {"provider": "0"}, {"topic": " ai"}]
        for criteria in cases:
            assert list(Feed([item]).filter(**criteria)) == [item]
            assert reference(item, criteria)

    def test_no_criteria_is_no_function(self) -> None:
        """Without criteria there is nothing to compile, and the feed comes back as it is."""
        assert compile_predicate(check_criteria()) is None
        feed = Feed()
        assert feed.filter() is feed

    @given(st.lists(articles(), min_size=1, max_size=8), aware_datetimes(), st.data())
    @settings(max_examples=30)
    def test_slices_and_sorts_keep_their_times(
        self, items: list[Article], cut: datetime, data: st.DataObject
    ) -> None:
        """Times kept by a feed follow it through slicing, sorting and filtering."""
        feed = Feed(items)
        feed.sort()  # computes the feed's times
        start = data.draw(st.integers(0, len(items)))
        step = data.draw(st.sampled_from([1, 2, -1]))
        for derived in (
            feed[start:],
            feed[::step],
            feed.sort(reverse=True),
            feed.filter(since=cut),
        ):
            assert derived.filter(since=cut) == Feed(list(derived)).filter(since=cut)
            assert derived.filter(until=cut) == Feed(list(derived)).filter(until=cut)
            assert derived.sort() == Feed(list(derived)).sort()


class TestSortByTime:
    """Sorting by time compares integers, with the order of the aware datetimes."""

    @given(st.lists(articles(), max_size=10), st.booleans())
    @settings(max_examples=30)
    def test_same_order_as_datetimes(self, items: list[Article], reverse: bool) -> None:
        """The order (stable, reversed or not) is that of sorting by the datetimes."""
        expected = sorted(items, key=lambda item: item.published_at, reverse=reverse)
        assert list(Feed(items).sort(reverse=reverse)) == expected
        assert list(Feed(items).sort("published_at", reverse=reverse)) == expected

    @given(aware_datetimes(), aware_datetimes())
    def test_epoch_is_exact(self, first: datetime, second: datetime) -> None:
        """Integer microseconds order and equate instants exactly as datetimes do."""
        assert (epoch_us(first) < epoch_us(second)) == (first < second)
        assert (epoch_us(first) == epoch_us(second)) == (first == second)

    def test_sort_key_by_name(self) -> None:
        """The named key for published_at gives the same integers."""
        article = newsfeed.load("examples/data/amazon-moratorium-nasdaq.md")
        assert SORT_KEYS["published_at"](article) == epoch_us(article.published_at)


class TestDataFrameColumns:
    """to_dataframe builds each column in one step, with categoricals where values repeat."""

    def test_categoricals_and_values(self) -> None:
        """Provider, domain, type and category are categoricals with the records' values."""
        feed = newsfeed.load_dir("examples/data")
        frame = feed.to_dataframe()
        records = feed.to_records()
        for name in ("provider_name", "provider_domain", "category", "type"):
            assert str(frame[name].dtype) == "category"
            values = [None if pd.isna(value) else value for value in frame[name].astype(object)]
            assert values == [record[name] for record in records]
        # Nullable strings: a video without a web_url is <NA>, where its record says None.
        for name in ("title", "web_url", "path"):
            values = [None if pd.isna(value) else value for value in frame[name]]
            assert values == [record[name] for record in records]
        assert frame["web_url"].isna().any()
        assert frame["related_count"].tolist() == [record["related_count"] for record in records]

    def test_empty(self) -> None:
        """An empty feed has the same dtypes."""
        full = newsfeed.load_dir("examples/data").to_dataframe()
        empty = Feed().to_dataframe()
        assert dict(empty.dtypes.astype(str)) == dict(full.dtypes.astype(str))
