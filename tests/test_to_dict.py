from datetime import UTC, datetime
from pathlib import Path

import newsfeed

FIXTURES = Path(__file__).parent / "fixtures"


class TestKeyOrder:
    """`to_dict` writes keys in the canonical order, whatever the defaults."""

    def test_fixture_keys_follow_the_file(self) -> None:
        """Every mapping of a fixture's record lists its keys in the file's order."""
        article = newsfeed.load(FIXTURES / "amazon-moratorium-nasdaq.md")
        record = newsfeed.to_dict(article)

        assert list(record) == [
            "category",
            "title",
            "excerpt",
            "publishedDateTime",
            "webUrl",
            "ampWebUrl",
            "cdnAmpWebUrl",
            "type",
            "quality",
            "heat",
            "published",
            "provider",
            "topics",
            "related",
            "secured",
        ]
        assert list(record["related"][0]) == [
            "title",
            "excerpt",
            "publishedDateTime",
            "webUrl",
            "ampWebUrl",
            "cdnAmpWebUrl",
            "type",
            "provider",
            "quality",
            "images",
        ]
        assert list(record["related"][0]["images"][0]) == ["url", "width", "height", "isCached"]

    def test_optional_field_before_required_ones_stays_first(self) -> None:
        """An optional key the format puts first (`category`) is not moved after required ones."""
        article = newsfeed.Article(
            category="news",
            title="T",
            published_at=datetime(2020, 1, 1, tzinfo=UTC),
            web_url="https://example.com/t",
            extra={"locale": "en-us"},
        )

        assert list(newsfeed.to_dict(article)) == [
            "category",
            "title",
            "publishedDateTime",
            "webUrl",
            "locale",
        ]
