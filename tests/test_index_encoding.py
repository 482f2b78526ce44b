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
from newsfeed._index.encoding import decode, decode_failure, encode, encode_failure
from strategies import articles

STAMP = datetime(2020, 6, 11, 12, tzinfo=UTC)
PATH = Path("folder/file.md")
#: What YAML gives for a timestamp without a zone, among unknown keys.
NAIVE = datetime(2020, 1, 1, 8, 30)  # noqa: DTZ001 -- naive on purpose


class TestArticles:
    """decode(encode(article)) is the article, with the path given."""

    @given(articles())
    def test_round_trip(self, article: Article) -> None:
        """Any article comes back equal, body and unknown keys included."""
        back = decode(encode(article), PATH)
        assert back == article
        assert back.path == PATH

    def test_plain_json(self) -> None:
        """The stored text is JSON with the file's key names, readable by any tool."""
        article = Article(title="t", published_at=STAMP, web_url="u", body="Body\n")
        data = json.loads(encode(article))
        assert data == {
            "front": {"title": "t", "publishedDateTime": "2020-06-11T12:00:00Z", "webUrl": "u"},
            "body": "Body\n",
        }

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
        back = decode(encode(article), PATH)
        assert back == article
        assert type(back.provider.extra["since"]) is date  # type: ignore[union-attr]
        assert back.extra["only"] == tricky
        assert back.related[0].images[0].extra["taken"] == [NAIVE]
        assert "pickle" not in encode(article)


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

    def test_other_errors_are_refused(self) -> None:
        """Only what load raises can be stored."""
        with pytest.raises(TypeError, match="RuntimeError"):
            encode_failure(RuntimeError("x"))
