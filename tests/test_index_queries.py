"""Index.load, filter and search: the answers Feed gives, from SQL, and full text ranked by bm25."""

from __future__ import annotations

import functools
import gc
import shutil
import tempfile
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corpus
import newsfeed
import newsfeed._index.queries
from index_support import make_folder, retitle
from model_support import NoOffset
from newsfeed import Article, Feed, Index, Provider, QueryError
from newsfeed._index.encoding import decode as real_decode
from strategies import articles, filter_criteria

STAMP = datetime(2020, 6, 11, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the generated query corpus (a few hundred files), once for the module."""
    root = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(root, corpus.make_articles())
    return root


@pytest.fixture(scope="module")
def corpus_feed(corpus_folder: Path) -> Feed:
    """Return the corpus as load_dir loads it."""
    return newsfeed.load_dir(corpus_folder)


@pytest.fixture(scope="module")
def corpus_index(corpus_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Index:
    """Return an updated index of the corpus."""
    index = Index(corpus_folder, db=tmp_path_factory.mktemp("db") / "corpus.sqlite3")
    index.update()
    return index


def outcome(query: Callable[[], Feed]) -> Feed | str:
    """Return the query's feed, or the message of the QueryError it raised."""
    try:
        return query()
    except QueryError as error:
        return f"QueryError: {error}"


def article(title: str, *, body: str = "", excerpt: str | None = None, **fields: Any) -> Article:
    """Build an article with the required fields filled in."""
    return Article(
        title=title,
        published_at=STAMP,
        web_url=f"https://example.com/{len(title)}",
        excerpt=excerpt,
        body=body,
        **fields,
    )


def write(folder: Path, items: list[Article]) -> None:
    """Write *items* as files 00.md, 01.md... under *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, item in enumerate(items):
        (folder / f"{number:02d}.md").write_text(newsfeed.dumps(item), encoding="utf-8")


class TestLoad:
    """load() equals load_dir, article for article, paths included."""

    def test_corpus(self, corpus_index: Index, corpus_feed: Feed) -> None:
        """The whole corpus comes back equal and in the same order, with the same paths."""
        loaded = corpus_index.load()
        assert loaded == corpus_feed
        assert [item.path for item in loaded] == [item.path for item in corpus_feed]

    @given(st.lists(articles(), max_size=5))
    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
    def test_any_articles(self, items: list[Article]) -> None:
        """Any article the writer writes comes back from the index equal, body and unknown keys."""
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "articles"
            write(folder, items)
            with Index(folder, db=Path(scratch) / "i.sqlite3") as index:
                index.update()
                assert index.load() == newsfeed.load_dir(folder)


class TestFilterLikeFeed:
    """index.filter(**criteria) == feed.filter(**criteria), for every criterion and their mixes."""

    @pytest.mark.parametrize(
        "criteria",
        [
            {"since": corpus.BOUNDARY},
            {"until": corpus.BOUNDARY},
            {"since": "2020-02-01", "until": "2020-02-15T12:00:00-07:00"},
            {"min_quality": 50},
            {"max_quality": 0},
            {"min_quality": 49.5, "max_quality": 80},
            {"min_quality": float("-inf")},
            {"provider": "nasdaq.com"},
            {"provider": "NASDAQ.COM"},
            {"provider": "www.nasdaq.com"},
            {"provider": "nasdaq"},
            {"provider": "com"},
            {"provider": "tech.co"},
            {"provider": "mic"},
            {"provider": ["reuters.com", "The Loop"]},
            {"topic": "ai"},
            {"topic": ("policy", "COMPUTER VISION")},
            {"topic": "Gardening"},
            {"published": True},
            {"published": False},
            {"where": lambda item: "a" in item.title},
            {"provider": "reuters", "topic": "AI", "min_quality": 20, "since": "2020-02-01"},
        ],
    )
    def test_corpus_criteria(
        self, corpus_index: Index, corpus_feed: Feed, criteria: dict[str, Any]
    ) -> None:
        """Each criterion of the query tests gives the feed's answer."""
        expected = corpus_feed.filter(**criteria)
        assert corpus_index.filter(**criteria) == expected
        assert [item.path for item in corpus_index.filter(**criteria)] == [
            item.path for item in expected
        ]

    @pytest.mark.parametrize(
        "criteria",
        [
            {"since": "yesterday"},
            {"until": 5},
            {"since": "2020-02-02", "until": "2020-02-01"},
            {"min_quality": "high"},
            {"min_quality": float("nan")},
            {"min_quality": True},
            {"min_quality": 5, "max_quality": 4},
            {"provider": []},
            {"provider": [" "]},
            {"topic": [1]},
            {"topic": b"ai"},
            {"published": 1},
            {"where": "title"},
            {"provider": "caf\udce9.com"},
            {"topic": ["AI", "caf\udce9"]},
            {"since": datetime(2020, 1, 1, tzinfo=NoOffset())},
            {"min_quality": "5"},
        ],
    )
    def test_same_errors(
        self, corpus_index: Index, corpus_feed: Feed, criteria: dict[str, Any]
    ) -> None:
        """A bad criterion raises the same QueryError, before any query runs."""
        expected = outcome(lambda: corpus_feed.filter(**criteria))
        assert isinstance(expected, str)
        assert outcome(lambda: corpus_index.filter(**criteria)) == expected

    @given(st.data())
    @settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
    def test_any_articles_any_criteria(self, data: st.DataObject) -> None:
        """On any articles, any criteria give the same answer from the index as from the feed."""
        items = data.draw(st.lists(articles(), max_size=6), label="articles")
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "articles"
            write(folder, items)
            feed = newsfeed.load_dir(folder)
            with Index(folder, db=Path(scratch) / "i.sqlite3") as index:
                index.update()
                for _ in range(5):
                    criteria = data.draw(filter_criteria(list(feed)), label="criteria")
                    from_index = outcome(functools.partial(index.filter, **criteria))
                    assert from_index == outcome(functools.partial(feed.filter, **criteria))

    def test_padded_names_topics_and_final_dots(self, tmp_path: Path) -> None:
        """Names and topics quoted with spaces, and domains written with a final dot, are found.

        A query is folded (trimmed, case-folded; a domain also without its
        final dot) and so is what it is compared with, in the feed and in
        the index alike.
        """
        items = [
            article("padded", provider=Provider(name=" Reuters "), topics=(" AI ",)),
            article("dotted", provider=Provider(name="BBC", domain="news.bbc.co.uk.")),
            article("name with a dot", provider=Provider(name="Example Inc.")),
            article("other", provider=Provider(name="Other", domain="notbbc.co.uk")),
        ]
        write(tmp_path / "articles", items)
        feed = newsfeed.load_dir(tmp_path / "articles")
        with Index(tmp_path / "articles", db=tmp_path / "i.sqlite3") as index:
            index.update()
            cases: list[tuple[dict[str, Any], list[str]]] = [
                ({"provider": "reuters"}, ["padded"]),
                ({"provider": " Reuters "}, ["padded"]),
                ({"topic": "ai"}, ["padded"]),
                ({"provider": "bbc.co.uk."}, ["dotted"]),
                ({"provider": "news.bbc.co.uk."}, ["dotted"]),
                ({"provider": "bbc.co.uk"}, ["dotted"]),
                ({"provider": "example inc."}, ["name with a dot"]),
                ({"provider": "uk."}, []),
                ({"provider": "."}, []),
            ]
            for criteria, expected in cases:
                assert titles(feed.filter(**criteria)) == expected, criteria
                assert titles(index.filter(**criteria)) == expected, criteria

    def test_a_window_across_a_clock_change(self, tmp_path: Path) -> None:
        """Bounds are compared as instants, even in one zone across its clock change."""
        zone = ZoneInfo("America/New_York")
        # 01:45 EDT (05:45Z), then 01:30 EST (06:30Z) after the clocks went back.
        since = datetime(2020, 11, 1, 1, 45, tzinfo=zone)
        until = datetime(2020, 11, 1, 1, 30, fold=1, tzinfo=zone)
        items = [attrs.evolve(article("inside"), published_at=datetime(2020, 11, 1, 6, tzinfo=UTC))]
        write(tmp_path / "articles", items)
        feed = newsfeed.load_dir(tmp_path / "articles")
        with Index(tmp_path / "articles", db=tmp_path / "i.sqlite3") as index:
            index.update()
            assert titles(feed.filter(since=since, until=until)) == ["inside"]
            assert titles(index.filter(since=since, until=until)) == ["inside"]
            with pytest.raises(QueryError, match="earlier than since"):
                feed.filter(since=until, until=since)

    def test_quality_too_large_for_sqlite(self, tmp_path: Path) -> None:
        """A quality beyond SQLite's integers is still compared exactly."""
        items = [article("huge", quality=2**70), article("small", quality=3), article("none")]
        write(tmp_path / "articles", items)
        feed = newsfeed.load_dir(tmp_path / "articles")
        with Index(tmp_path / "articles", db=tmp_path / "i.sqlite3") as index:
            index.update()
            for bounds in (
                {"min_quality": 2**69},
                {"max_quality": 10},
                {"min_quality": 1e30},
                {"min_quality": 2**70 + 1},
                {"max_quality": 2**70 - 1},
                {"min_quality": -(2**80)},
                {"max_quality": 10**400},
                {"min_quality": 10**400},
                {"min_quality": -(10**400)},
            ):
                assert index.filter(**bounds) == feed.filter(**bounds)
            assert [item.title for item in index.filter(min_quality=4)] == ["huge"]

    def test_whole_bounds_compare_exactly(self, tmp_path: Path) -> None:
        """A whole bound past a float's precision is compared exactly in SQL too."""
        items = [article("edge", quality=2**53), article("past", quality=2**53 + 1)]
        write(tmp_path / "articles", items)
        with Index(tmp_path / "articles", db=tmp_path / "i.sqlite3") as index:
            index.update()
            assert titles(index.filter(min_quality=2**53 + 1)) == ["past"]
            assert titles(index.filter(max_quality=2**53)) == ["edge"]

    def test_quality_too_large_does_not_take_a_search_place(self, tmp_path: Path) -> None:
        """A search limit counts answers: a quality too large for SQL is checked in Python."""
        items = [article("zebra zebra zebra", quality=10**20), article("zebra", quality=5)]
        write(tmp_path / "articles", items)
        with Index(tmp_path / "articles", db=tmp_path / "i.sqlite3") as index:
            index.update()
            assert titles(index.search("zebra", max_quality=10, limit=1)) == ["zebra"]
            assert titles(index.search("zebra", min_quality=6, limit=1)) == ["zebra zebra zebra"]

    def test_failures_travel_with_the_result(self, tmp_path: Path) -> None:
        """The feed a filter returns lists the folder's bad files, as a filtered load_dir does."""
        folder = tmp_path / "articles"
        write(folder, [article("one")])
        (folder / "zz-bad.md").write_text("no front matter\n", encoding="utf-8")
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            index.update()
            result = index.filter(min_quality=0)
        assert result == newsfeed.load_dir(folder, errors="skip").filter(min_quality=0)
        assert len(result.failures) == 1


@pytest.fixture
def search_index(tmp_path: Path) -> Index:
    """Return an index of a handful of articles written for searching."""
    items = [
        article("Lidar sensors get cheaper", body="Prices fall.", provider=Provider(name="Wired")),
        article(
            "Chip makers race ahead",
            body="A paragraph that mentions lidar once, far down.",
            provider=Provider(name="Reuters", domain="reuters.com"),
            quality=80,
        ),
        article("Café culture in Paris", excerpt="Espresso everywhere", quality=10),
        article(
            "Quarterly results",
            related=(
                newsfeed.RelatedArticle(
                    title="Lidar maker beats estimates", published_at=STAMP, web_url="u"
                ),
            ),
        ),
        article("Nothing to see", body="Plain text."),
    ]
    write(tmp_path / "articles", items)
    index = Index(tmp_path / "articles", db=tmp_path / "i.sqlite3")
    index.update()
    return index


def titles(feed: Feed) -> list[str]:
    """Return the titles of *feed*, in order."""
    return [item.title for item in feed]


class TestSearch:
    """search() finds words in title, excerpt, body and related titles, best match first."""

    def test_title_ranks_first(self, search_index: Index) -> None:
        """A word in the title ranks above the same word in the body or a related title."""
        found = titles(search_index.search("lidar"))
        assert found[0] == "Lidar sensors get cheaper"
        assert set(found) == {
            "Lidar sensors get cheaper",
            "Chip makers race ahead",
            "Quarterly results",
        }

    def test_every_word_must_match(self, search_index: Index) -> None:
        """Several words are all required, in any order and case."""
        assert titles(search_index.search("CHEAPER lidar")) == ["Lidar sensors get cheaper"]
        assert titles(search_index.search("lidar espresso")) == []

    def test_accents_and_excerpt(self, search_index: Index) -> None:
        """Accents are ignored, and the excerpt is searched."""
        assert titles(search_index.search("cafe")) == ["Café culture in Paris"]
        assert titles(search_index.search("espresso")) == ["Café culture in Paris"]

    def test_operators_are_words_by_default(self, search_index: Index) -> None:
        """Quotes, stars and OR in the default syntax are plain text, never a syntax error."""
        assert titles(search_index.search('"lidar OR nothing*')) == []
        assert titles(search_index.search("nothing OR see")) == []

    def test_fts5_syntax(self, search_index: Index) -> None:
        """syntax='fts5' takes SQLite's query language: OR, prefixes, columns."""
        assert set(titles(search_index.search("espresso OR plain", syntax="fts5"))) == {
            "Café culture in Paris",
            "Nothing to see",
        }
        assert titles(search_index.search("quart*", syntax="fts5")) == ["Quarterly results"]
        assert titles(search_index.search("title: lidar", syntax="fts5")) == [
            "Lidar sensors get cheaper"
        ]

    def test_bad_queries(self, search_index: Index) -> None:
        """Empty text, a malformed FTS5 query, a bad syntax name or limit raise clear errors."""
        with pytest.raises(QueryError, match="non-empty"):
            search_index.search("  ")
        with pytest.raises(QueryError, match="search:"):
            search_index.search('"unclosed', syntax="fts5")
        with pytest.raises(QueryError, match="syntax must be"):
            search_index.search("lidar", syntax="regex")  # type: ignore[arg-type]  # the case under test
        with pytest.raises(ValueError, match="limit"):
            search_index.search("lidar", limit=-1)
        with pytest.raises(ValueError, match="limit"):
            search_index.search("lidar", limit="3")  # type: ignore[arg-type]  # the case under test
        with pytest.raises(QueryError, match="non-empty"):
            search_index.search(None)  # type: ignore[arg-type]  # the case under test
        syntaxes: tuple[Literal["words", "fts5"], ...] = ("words", "fts5")
        for syntax in syntaxes:
            # FTS5 would read up to the NUL only, and answer another question.
            with pytest.raises(QueryError, match="NUL or a lone surrogate"):
                search_index.search("lidar\x00zzzqqq", syntax=syntax)
            with pytest.raises(QueryError, match="NUL or a lone surrogate"):
                search_index.search("caf\udce9", syntax=syntax)

    def test_limit_past_sqlite_integers(self, search_index: Index) -> None:
        """A limit larger than SQLite's integers is no limit, not an OverflowError."""
        assert len(search_index.search("lidar", limit=2**63)) == 3
        assert len(search_index.search("lidar", limit=2**70, min_quality=0)) == len(
            search_index.search("lidar", min_quality=0)
        )

    def test_limit(self, search_index: Index) -> None:
        """A limit caps the results, keeping the best; None returns them all."""
        assert titles(search_index.search("lidar", limit=1)) == ["Lidar sensors get cheaper"]
        assert len(search_index.search("lidar", limit=None)) == 3
        assert len(search_index.search("lidar", limit=0)) == 0

    def test_with_criteria(self, search_index: Index) -> None:
        """Filter criteria narrow a search, with Feed.filter's meaning."""
        assert titles(search_index.search("lidar", provider="REUTERS.com")) == [
            "Chip makers race ahead"
        ]
        assert titles(search_index.search("lidar", min_quality=50)) == ["Chip makers race ahead"]
        assert titles(
            search_index.search("lidar", where=lambda item: "Quarterly" in item.title, limit=1)
        ) == ["Quarterly results"]
        with pytest.raises(QueryError, match="min_quality"):
            search_index.search("lidar", min_quality="high")  # type: ignore[arg-type]  # the case under test

    def test_changed_text_is_searched(self, search_index: Index) -> None:
        """After an edit and an update, the old words are gone and the new ones found."""
        path = search_index.folder / "04.md"
        path.write_text(newsfeed.dumps(article("Something else", body="Velociraptor")), "utf-8")
        search_index.update()
        assert titles(search_index.search("plain")) == []
        assert titles(search_index.search("velociraptor")) == ["Something else"]


class TestLoadEqualsFiles:
    """Index.load gives what load_dir gives, and each article writes back its file's bytes."""

    def test_real_files(self, tmp_path: Path) -> None:
        """On published files (their own layouts), equal article for article, paths and bytes."""
        folder = tmp_path / "real"
        shutil.copytree(Path(__file__).parent / "fixtures" / "real", folder)
        with warnings.catch_warnings():
            # Some published files have null list items, which are dropped with a warning.
            warnings.simplefilter("ignore", newsfeed.NewsfeedWarning)
            expected = newsfeed.load_dir(folder)
            with Index(folder, db=tmp_path / "real.sqlite3") as index:
                index.update()
                loaded = index.load()
        assert len(loaded) == len(expected) > 0
        assert loaded == expected
        assert [item.path for item in loaded] == [item.path for item in expected]
        for item, read in zip(loaded, expected, strict=True):
            assert newsfeed.dumps(item) == newsfeed.dumps(read)
            assert item._layout is read._layout or item._layout == read._layout

    def test_generated_files_byte_for_byte(self, corpus_index: Index, corpus_feed: Feed) -> None:
        """Every article of the generated corpus, from the index, dumps to its file's bytes."""
        loaded = corpus_index.load()
        assert loaded == corpus_feed
        for item in loaded:
            assert item.path is not None
            assert newsfeed.dumps(item).encode("utf-8") == item.path.read_bytes()

    @pytest.mark.parametrize("few_layouts", [0, 1_000_000], ids=["all-parts-at-once", "one-by-one"])
    def test_shapes_read_either_way(
        self,
        corpus_index: Index,
        corpus_feed: Feed,
        few_layouts: int,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Reading the shapes' parts all at once or one by one gives the same articles and bytes."""
        monkeypatch.setattr(newsfeed._index.queries, "_FEW_LAYOUTS", few_layouts)
        answers = [
            (corpus_index.load(), corpus_feed),
            (corpus_index.filter(published=True), corpus_feed.filter(published=True)),
        ]
        for loaded, expected in answers:
            assert loaded == expected
            assert len({id(item._layout) for item in loaded}) > 1
            for item in loaded:
                assert item.path is not None
                assert newsfeed.dumps(item).encode("utf-8") == item.path.read_bytes()


class TestWhereFunction:
    """A `where` function runs on Index as on Feed: its errors, its checks, and after it."""

    @staticmethod
    def _refuse(item: Article) -> bool:
        raise ValueError(f"refused {item.title}")

    def test_an_error_leaves_the_index_current(self, tmp_path: Path) -> None:
        """With the error kept (as a notebook keeps it), the index still sees and takes updates."""
        folder = make_folder(tmp_path)
        db = tmp_path / "i.sqlite3"
        with Index(folder, db=db) as index:
            index.update()
            with pytest.raises(ValueError, match="refused") as kept:
                index.filter(where=self._refuse)
            retitle(folder / "nasdaq.md", "A new title")
            with Index(folder, db=db) as other:
                assert other.update().changed == 1
            assert "A new title" in {item.title for item in index.load()}
            assert index.update().unchanged == 2
            assert kept.value is not None

    @pytest.mark.parametrize("query", ["filter", "search"])
    def test_stop_iteration_passes_through(self, search_index: Index, query: str) -> None:
        """StopIteration from `where` comes out as StopIteration, as from Feed.filter."""

        def stop(_: Article) -> bool:
            raise StopIteration

        with pytest.raises(StopIteration):
            Feed([article("One")]).filter(where=stop)
        run: Callable[[], Feed] = (
            functools.partial(search_index.filter, where=stop)
            if query == "filter"
            else functools.partial(search_index.search, "lidar", where=stop)
        )
        with pytest.raises(StopIteration):
            run()

    def test_construction_checks_apply_inside(self, search_index: Index) -> None:
        """Inside `where`, building an invalid article is refused, as in Feed.filter."""
        refused = []

        def build_wrong(item: Article) -> bool:
            try:
                attrs.evolve(item, title=123)  # type: ignore[arg-type]  # wrong on purpose
            except newsfeed.ValidationError:
                refused.append(item.title)
            return True

        found = search_index.filter(where=build_wrong)
        assert len(found) > 0
        assert refused == [item.title for item in found]


class TestCollector:
    """Rebuilding articles pauses the cyclic collector only if it was running."""

    def test_collector_left_as_found(self, corpus_index: Index, corpus_feed: Feed) -> None:
        """With the collector off, loading works and leaves it off; with it on, on."""
        gc.disable()
        try:
            assert corpus_index.load() == corpus_feed
            assert not gc.isenabled()
        finally:
            gc.enable()
        assert corpus_index.filter(min_quality=0) == corpus_feed.filter(min_quality=0)
        assert gc.isenabled()

    def test_paused_while_building(
        self, corpus_index: Index, corpus_feed: Feed, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Index.load and filter rebuild every article with the collector off, then turn it on."""
        seen: list[bool] = []

        def decode(*args: Any) -> Article:
            seen.append(gc.isenabled())
            return real_decode(*args)

        monkeypatch.setattr("newsfeed._index.queries.decode", decode)
        assert corpus_index.load() == corpus_feed
        assert gc.isenabled()
        assert corpus_index.filter(published=True) == corpus_feed.filter(published=True)
        assert gc.isenabled()
        assert seen
        assert not any(seen)

    def test_restored_after_an_exception(
        self, corpus_index: Index, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An exception while articles are rebuilt still restarts the collector."""

        def decode(*_: Any) -> Article:
            raise KeyboardInterrupt

        monkeypatch.setattr("newsfeed._index.queries.decode", decode)
        with pytest.raises(KeyboardInterrupt):
            corpus_index.load()
        assert gc.isenabled()
        with pytest.raises(KeyboardInterrupt):
            corpus_index.filter(min_quality=0)
        assert gc.isenabled()
