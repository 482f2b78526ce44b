"""Feed as a value: an immutable sequence, its exports (records, DataFrame) and its display."""

from __future__ import annotations

import json
import pickle
import re
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest

import corpus
import newsfeed
from newsfeed import Article, Feed, LoadFailure, ParseError, ValidationError

ARTICLES = corpus.make_articles(40, seed=7)
SAMPLE = Path(__file__).parent / "fixtures" / "amazon-moratorium-nasdaq.md"


@pytest.fixture
def feed() -> Feed:
    """Return a feed of forty generated articles, with one load failure attached."""
    failure = LoadFailure(Path("bad.md"), ParseError("no fence", source="bad.md", line=1))
    return Feed(ARTICLES, failures=[failure])


class TestSequence:
    """A Feed behaves as an immutable sequence of articles."""

    def test_from_any_iterable(self) -> None:
        """A generator, a list and another feed all build the same feed."""
        assert Feed(a for a in ARTICLES) == Feed(ARTICLES) == Feed(Feed(ARTICLES))
        assert list(Feed(ARTICLES)) == ARTICLES
        assert len(Feed()) == 0
        assert Feed().failures == ()

    def test_refuses_what_is_not_an_article(self) -> None:
        """Anything but an Article is refused, naming its type and position."""
        with pytest.raises(TypeError, match="got dict at index 1"):
            Feed([ARTICLES[0], {"title": "x"}])  # type: ignore[list-item]  # the case under test

    def test_len_iter_index_contains(self, feed: Feed) -> None:
        """len, iteration, indexing, negative indexing, in, index and count work."""
        assert len(feed) == 40
        assert feed[0] is ARTICLES[0]
        assert feed[-1] is ARTICLES[-1]
        assert ARTICLES[5] in feed
        assert feed.index(ARTICLES[5]) == 5
        assert feed.count(ARTICLES[5]) == 1
        assert list(reversed(feed)) == ARTICLES[::-1]
        with pytest.raises(IndexError):
            feed[40]

    def test_slices_are_feeds_keeping_errors(self, feed: Feed) -> None:
        """A slice is a Feed of those articles, carrying the load errors along."""
        part = feed[2:10:2]
        assert isinstance(part, Feed)
        assert list(part) == ARTICLES[2:10:2]
        assert part.failures == feed.failures

    def test_derived_feeds_keep_errors(self, feed: Feed) -> None:
        """filter, sort and unique keep the errors of the feed they came from."""
        for derived in (feed.filter(min_quality=50), feed.sort("quality"), feed.unique()):
            assert derived.failures == feed.failures

    def test_immutable(self, feed: Feed) -> None:
        """Neither the articles nor the errors can be replaced or changed in place."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            feed.failures = ()  # type: ignore[misc]  # the case under test
        with pytest.raises(TypeError):
            feed[0] = ARTICLES[1]  # type: ignore[index]  # the case under test
        assert isinstance(feed.failures, tuple)

    def test_equality_and_hash(self, feed: Feed) -> None:
        """Feeds with the same articles and errors are equal and hash alike."""
        same = Feed(list(ARTICLES), failures=feed.failures)
        assert same == feed
        assert hash(same) == hash(feed)
        assert Feed(ARTICLES) != feed
        same_articles_as_a_list: object = ARTICLES
        assert feed != same_articles_as_a_list

    def test_pickles(self, feed: Feed) -> None:
        """A feed, its articles and its errors survive pickling (process pools, dask)."""
        copy = pickle.loads(pickle.dumps(feed))  # noqa: S301 -- our own data
        assert copy == feed
        assert isinstance(copy.failures[0].error, ParseError)


class TestRecords:
    """to_records gives flat dicts with documented columns: datetimes, or JSON-ready on request."""

    def test_columns_and_values(self) -> None:
        """Each column holds the article's value, flattened; published_at is the datetime."""
        article = newsfeed.load(SAMPLE)
        (record,) = Feed([article]).to_records()
        assert tuple(record) == newsfeed._feed.feed.RECORD_COLUMNS
        assert record["published_at"] is article.published_at
        assert record == {
            "published_at": datetime(2020, 6, 11, 12, 2, tzinfo=UTC),
            "title": article.title,
            "provider_name": "Nasdaq",
            "provider_domain": "nasdaq.com",
            "quality": 54,
            "heat": 124,
            "published": True,
            "topics": ["AWS AI", "AI"],
            "related_count": 7,
            "category": "news",
            "type": "article",
            "excerpt": article.excerpt,
            "web_url": article.web_url,
            "amp_web_url": article.amp_web_url,
            "cdn_amp_web_url": article.cdn_amp_web_url,
            "original_url": None,
            "url": article.web_url,
            "path": str(SAMPLE),
        }

    def test_datetimes_keep_their_offset(self, feed: Feed) -> None:
        """By default published_at is the article's aware datetime, in its own offset."""
        records = feed.to_records()

        assert [record["published_at"] for record in records] == [
            article.published_at for article in feed
        ]
        assert records[1]["published_at"].utcoffset() == timedelta(hours=-7)

    def test_json_ready_with_offsets_and_gaps(self, feed: Feed) -> None:
        """json_ready records go through json.dumps; offsets are kept, missing fields are None."""
        records = feed.to_records(json_ready=True)
        assert json.loads(json.dumps(records)) == records
        assert records[1]["published_at"] == "2020-02-29T17:00:00-07:00"
        default = feed.to_records()
        assert [{**record, "published_at": None} for record in records] == [
            {**record, "published_at": None} for record in default
        ]
        bare = Article(title="t", published_at=datetime(2020, 1, 1, tzinfo=UTC), web_url="u")
        (record,) = Feed([bare]).to_records(json_ready=True)
        assert record["provider_name"] is None
        assert record["quality"] is None
        assert record["topics"] == []
        assert record["path"] is None

    def test_json_ready_is_keyword_only(self, feed: Feed) -> None:
        """The option cannot be passed by position, where True would read as nothing."""
        with pytest.raises(TypeError):
            feed.to_records(True)  # type: ignore[call-arg] # the case under test


class TestDataFrame:
    """to_dataframe gives one row per article with nullable, timezone-aware dtypes."""

    def test_dtypes_and_values(self, feed: Feed) -> None:
        """Datetimes are aware UTC, ints Int64, the flag boolean, text string."""
        import pandas as pd  # noqa: PLC0415 -- only the DataFrame tests need pandas

        frame = feed.to_dataframe()
        assert list(frame.columns) == list(newsfeed._feed.feed.RECORD_COLUMNS)
        assert len(frame) == len(feed)
        assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"
        assert str(frame["quality"].dtype) == "Int64"
        assert str(frame["heat"].dtype) == "Int64"
        assert str(frame["related_count"].dtype) == "Int64"
        assert str(frame["published"].dtype) == "boolean"
        assert str(frame["title"].dtype) == "string"
        for row, article in zip(frame.itertuples(index=False), feed, strict=True):
            assert isinstance(row.published_at, pd.Timestamp)
            assert row.published_at.to_pydatetime() == article.published_at
            assert (row.quality is newsfeed_na()) == (article.quality is None)
            assert row.topics == list(article.topics)
        missing = [a.quality is None for a in feed]
        assert any(missing)
        assert frame["quality"].isna().tolist() == missing

    def test_empty_feed(self) -> None:
        """An empty feed gives an empty frame with the same columns and dtypes."""
        frame = Feed().to_dataframe()
        assert len(frame) == 0
        assert list(frame.columns) == list(newsfeed._feed.feed.RECORD_COLUMNS)
        assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"

    def test_integer_beyond_64_bits(self, feed: Feed, tmp_path: Path) -> None:
        """An integer the format allows but Int64 cannot hold names its article and column."""
        path = tmp_path / "big.md"
        big = attrs.evolve(feed[0], heat=2**70, path=path)
        with pytest.raises(OverflowError, match=rf"^{re.escape(str(path))}: heat = {2**70} "):
            Feed([feed[1], big]).to_dataframe()

    def test_without_pandas(self, feed: Feed, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pandas the ImportError names the extra to install."""
        monkeypatch.setitem(sys.modules, "pandas", None)
        with pytest.raises(ImportError, match=r"pip install 'newsfeed-articles\[pandas\]'"):
            feed.to_dataframe()


def newsfeed_na() -> object:
    """Return pandas' missing-value marker."""
    import pandas as pd  # noqa: PLC0415 -- only the DataFrame tests need pandas

    return pd.NA


class TestDisplay:
    """repr is short and readable; _repr_html_ is a compact, escaped table."""

    def test_repr(self, feed: Feed) -> None:
        """The repr gives the count, the span, the failures and the first rows."""
        text = repr(feed)
        lines = text.splitlines()
        first = min(a.published_at for a in ARTICLES).astimezone(UTC).date()
        last = max(a.published_at for a in ARTICLES).astimezone(UTC).date()
        assert first < last
        assert lines[0] == f"<Feed: 40 articles, {first} to {last} (UTC), 1 file failed to load>"
        assert ARTICLES[0].title in lines[1]
        assert "2020-03-01T00:00:00Z" in lines[1]
        assert lines[-1] == "  ... 35 more"
        assert len(lines) == 7
        assert repr(Feed()) == "<Feed: 0 articles>"

    def test_html_escapes(self) -> None:
        """Titles and topics are escaped, and only web links become anchors."""
        when = datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=2)))
        hostile = Article(
            title="<script>alert(1)</script>",
            published_at=when,
            web_url="javascript:alert(1)",
            topics=("a&b",),
        )
        linked = attrs.evolve(hostile, title="ok", web_url='https://x.example/?a=1&b="2"')
        page = Feed([hostile, linked])._repr_html_()
        assert "<script>" not in page
        assert "&lt;script&gt;" in page
        assert "a&amp;b" in page
        assert "javascript:" not in page
        assert 'href="https://x.example/?a=1&amp;b=&quot;2&quot;"' in page
        assert page.startswith("<table>")
        assert page.count("<tr>") == 3

    def test_html_is_compact(self, feed: Feed) -> None:
        """A long feed shows twenty rows and a count of the rest."""
        page = Feed(ARTICLES * 2)._repr_html_()
        assert page.count("<tr>") == 1 + 20 + 1
        assert "... 60 more" in page
        assert "1 file failed to load" in feed._repr_html_()


class TestLoadFailure:
    """A LoadFailure says which file failed and why, in one line."""

    def test_located_error_keeps_its_place(self) -> None:
        """A parse error reads source:line: field: reason, the file filled in when missing."""
        named = LoadFailure(Path("a.md"), ValidationError("bad", source="a.md", field="x", line=3))
        assert str(named) == "a.md:3: x: bad"
        anonymous = LoadFailure(Path("b.md"), ParseError("no fence", line=1))
        assert str(anonymous) == "b.md:1: no fence"

    def test_os_errors_and_others(self) -> None:
        """An OSError gives its reason; anything else its class and message."""
        missing = LoadFailure(Path("c.md"), FileNotFoundError(2, "No such file or directory"))
        assert str(missing) == "c.md: cannot read: No such file or directory"
        bare = LoadFailure(Path("d.md"), OSError("disk on fire"))
        assert str(bare) == "d.md: OSError: disk on fire"

    def test_equal_by_class_and_message(self) -> None:
        """Two failures of the same file for the same reason are equal, and hash alike."""
        first = LoadFailure(Path("a.md"), ParseError("x", source="a.md"))
        second = LoadFailure(Path("a.md"), ParseError("x", source="a.md"))
        assert first == second
        assert hash(first) == hash(second)
        assert first != LoadFailure(Path("a.md"), ValidationError("x", source="a.md"))
