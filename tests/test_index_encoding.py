"""How the index stores articles and failures: exact round trips, never pickle."""

from __future__ import annotations

import errno
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given

import newsfeed
from newsfeed import Article, Image, LoadFailure, ParseError, Provider, RelatedArticle
from newsfeed._index import encoding as encoding_module
from newsfeed._index.encoding import LayoutDecoder, _shape_nodes, decode, encode, encode_layout
from newsfeed._index.outcomes import decode_failure, encode_failure
from strategies import articles

STAMP = datetime(2020, 6, 11, 12, tzinfo=UTC)
PATH = Path("folder/file.md")
#: What YAML gives for a timestamp without a zone, among unknown keys.
NAIVE = datetime(2020, 1, 1, 8, 30)  # noqa: DTZ001 -- naive on purpose


def round_trip(article: Article) -> Article:
    """Encode *article* and decode it again, as the index stores and loads it."""
    encoded = encode(article)
    layout = None
    if encoded.layout is not None:
        decoder = LayoutDecoder(dict(encoded.layout.nodes).__getitem__)
        layout = decoder.layout(encoded.layout.text)
    return decode(encoded.front, encoded.body, layout, PATH)


class TestArticles:
    """decode(encode(article)) is the article, with the path given."""

    @given(articles())
    def test_round_trip(self, article: Article) -> None:
        """Any article comes back equal, body and unknown keys included."""
        back = round_trip(article)
        assert back == article
        assert back.path == PATH

    def test_plain_json(self) -> None:
        """The front matter is JSON, positional in the schema's order; the body is plain text."""
        article = Article(title="t", published_at=STAMP, web_url="u", body="Body\n")
        encoded = encode(article)
        # category, title, excerpt, publishedDateTime, updatedDateTime,
        # originalUrl, webUrl; the absent fields after it are left out.
        assert json.loads(encoded.front) == [None, "t", None, STAMP.isoformat(), None, None, "u"]
        assert encoded.body == "Body\n"
        assert encoded.layout is None

    def test_unknown_keys_follow_the_fields(self) -> None:
        """A mapping with unknown keys is padded to its field count, then holds them."""
        article = Article(title="t", published_at=STAMP, web_url="u", extra={"x": 1})
        front = json.loads(encode(article).front)
        assert len(front) == len(newsfeed.Article.__attrs_attrs__) - 3
        assert front[-1] == {"x": 1}
        assert round_trip(article).extra == {"x": 1}

    def test_unknown_values_keep_their_types(self) -> None:
        """Datetimes and dates among unknown keys, at every level, stay datetimes and dates."""
        west = timezone(timedelta(hours=-7))
        tricky = {"\x00date": "not a tag"}
        article = Article(
            title="t",
            published_at=STAMP,
            web_url="u",
            provider=Provider(name="P", extra={"since": date(1999, 1, 2)}),
            related=(
                RelatedArticle(
                    title="r",
                    published_at=STAMP,
                    web_url="v",
                    provider=Provider(extra={"seen": datetime(2020, 1, 1, 8, tzinfo=west)}),
                    images=(Image(url="i", extra={"taken": [NAIVE]}),),
                    extra={"nested": {"tricky": tricky}},
                ),
            ),
            extra={"updated": datetime(2021, 5, 6, 7, 8, tzinfo=UTC), "only": tricky},
        )
        back = round_trip(article)
        assert back == article
        assert back.provider is not None
        assert type(back.provider.extra["since"]) is date
        assert back.extra["only"] == tricky
        assert back.related[0].images[0].extra["taken"] == [NAIVE]
        assert "pickle" not in encode(article).front


class TestSharedValues:
    """Equal providers decoded from the index are one shared frozen value."""

    @staticmethod
    def related(provider: Provider) -> RelatedArticle:
        """Return a related article from *provider*."""
        return RelatedArticle(title="r", published_at=STAMP, web_url="v", provider=provider)

    def test_equal_providers_shared(self) -> None:
        """The same provider in two articles (or two related items) comes back as one object."""
        provider = Provider(name="P", domain="p.example")
        one = Article(title="a", published_at=STAMP, web_url="u", provider=provider)
        two = Article(
            title="b",
            published_at=STAMP,
            web_url="u",
            provider=provider,
            related=(self.related(provider), self.related(provider)),
        )
        back_one, back_two = round_trip(one), round_trip(two)
        assert (back_one, back_two) == (one, two)
        assert back_one.provider is back_two.provider
        assert back_two.related[0].provider is back_two.related[1].provider

    def test_providers_with_lists_or_unknown_keys_built_anew(self) -> None:
        """A provider with images or unknown keys is not a key: each is built, and equal."""
        for provider in (
            Provider(name="P", images=(Image(url="i"),)),
            Provider(name="P", extra={"since": 1999}),
        ):
            article = Article(title="a", published_at=STAMP, web_url="u", provider=provider)
            first, second = round_trip(article), round_trip(article)
            assert first == second == article
            assert first.provider is not second.provider

    def test_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Past its bound the shared table starts afresh, and values stay right."""
        monkeypatch.setattr(encoding_module, "_MAX_SHARED", 2)
        providers = [Provider(name=f"P{number}") for number in range(5)]
        for provider in providers * 2:
            article = Article(title="a", published_at=STAMP, web_url="u", provider=provider)
            assert round_trip(article).provider == provider


class TestLayouts:
    """A file's layout is stored as its text and the distinct parts of its shape."""

    TEXT = (
        "---\ntitle: t\npublishedDateTime: 2020-06-11T12:00:00Z\nwebUrl: u\n"
        "related:\n"
        + "  - title: r\n    publishedDateTime: 2020-06-11T12:00:00Z\n    webUrl: v\n" * 3
        + "---\n\nBody\n"
    )

    def test_written_back_byte_for_byte(self) -> None:
        """An article read from text comes back with a layout that writes the same text."""
        article = newsfeed.loads(self.TEXT)
        back = round_trip(article)
        assert back == article
        assert newsfeed.dumps(back) == self.TEXT

    def test_shared_layout_comes_back_shared(self) -> None:
        """The decoded layout is the one object the reader shares between files."""
        article = newsfeed.loads(self.TEXT)
        assert round_trip(article)._layout is article._layout

    def test_repeated_parts_stored_once(self) -> None:
        """The three related articles' shape is one node, and every node is distinct."""
        layout = newsfeed.loads(self.TEXT)._layout
        assert layout is not None
        encoded = encode_layout(layout)
        keys = [key for key, _ in encoded.nodes]
        assert len(keys) == len(set(keys))
        assert len(keys) < self.TEXT.count(":")
        assert encode_layout(layout) == encoded

    def test_nodes_decoded_once(self) -> None:
        """Two layouts decoded by one decoder share the parts they have in common."""
        first = newsfeed.loads(self.TEXT)
        second = newsfeed.loads(
            self.TEXT.replace("Body", "Other").replace("title: t", "title: 'x'")
        )
        assert first._layout is not None
        assert second._layout is not None
        encoded = [encode_layout(first._layout), encode_layout(second._layout)]
        nodes = dict(encoded[0].nodes) | dict(encoded[1].nodes)
        decoder = LayoutDecoder(nodes.__getitem__)
        one, two = (decoder.layout(item.text) for item in encoded)
        assert one == first._layout
        assert two == second._layout
        assert one.shape is not None
        assert two.shape is not None
        related_one = [part for part in one.shape[2] if part[0] == "related"]
        related_two = [part for part in two.shape[2] if part[0] == "related"]
        assert related_one[0] is related_two[0]

    def test_zero_and_false_stay_apart(self) -> None:
        """Parts equal as tuples but not as JSON (0 and False) are different nodes."""
        root, nodes = _shape_nodes((("a", 0), ("a", False)))
        decoder = LayoutDecoder(dict(nodes).__getitem__)
        assert [type(item[1]) for item in decoder._node(root)] == [int, bool]


class TestFailures:
    """A failure comes back with the same class and message for the file's path."""

    def test_parse_error(self) -> None:
        """A located error keeps its reason, field and line."""
        error = ParseError("bad", source=str(PATH), field="title", line=3)
        back = decode_failure(encode_failure(error), PATH)
        assert back == LoadFailure(PATH, error)
        assert str(back) == str(LoadFailure(PATH, error))

    def test_os_error(self) -> None:
        """An OSError keeps its number, so its class, and its message."""
        error = FileNotFoundError(errno.ENOENT, "No such file or directory", str(PATH))
        back = decode_failure(encode_failure(error), PATH)
        assert type(back.error) is FileNotFoundError
        assert back == LoadFailure(PATH, error)

    def test_validation_error_from_a_file(self) -> None:
        """What the loader raises for a missing field survives."""
        try:
            newsfeed.loads("---\ntitle: t\n---\n", source=str(PATH))
        except newsfeed.ValidationError as error:
            raised = error
        back = decode_failure(encode_failure(raised), PATH)
        assert back == LoadFailure(PATH, raised)

    def test_every_validation_problem(self) -> None:
        """A file's other problems come back with the first, as load_dir reports them."""
        with pytest.raises(newsfeed.ValidationError) as raised:
            newsfeed.loads("---\nquality: high\nheat: warm\n---\n", source=str(PATH))
        assert len(raised.value.errors) > 1
        back = decode_failure(encode_failure(raised.value), PATH)
        assert isinstance(back.error, newsfeed.ValidationError)
        assert [(e.reason, e.field, e.line) for e in back.error.errors] == [
            (e.reason, e.field, e.line) for e in raised.value.errors
        ]
        assert str(back) == str(LoadFailure(PATH, raised.value))

    def test_other_errors_are_refused(self) -> None:
        """Only what load raises can be stored."""
        with pytest.raises(TypeError, match="RuntimeError"):
            encode_failure(RuntimeError("x"))
