"""to_dict and from_dict: one record per article, in the file's keys, that reads back as it."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings

import newsfeed
from strategies import articles, located_articles

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
            "body",
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
            "body",
        ]


class TestInverse:
    """from_dict(to_dict(a)) == a for every article: the body and unknown values included."""

    def test_from_dict_leaves_a_nested_record_alone(self) -> None:
        """from_dict leaves the record it is given alone: a nested provider keeps its tags."""
        when = datetime(2000, 1, 1, tzinfo=UTC)
        related = newsfeed.RelatedArticle(
            title="r",
            published_at=when,
            web_url="https://e.example/r",
            provider=newsfeed.Provider(extra={"locale": float("inf")}),
        )
        article = newsfeed.Article(
            title="t", published_at=when, web_url="https://e.example/", related=[related]
        )
        record = newsfeed.to_dict(article)
        before = copy.deepcopy(record)
        assert newsfeed.from_dict(record) == article
        assert record == before

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(article=located_articles())
    def test_any_article_round_trips_through_json(self, article: newsfeed.Article) -> None:
        """Body, offsets and unknown timestamps, dates and infinities come back, also via JSON."""
        assume("body" not in article.extra)  # refused: see test_unknown_key_named_body
        record = newsfeed.to_dict(article)
        back = newsfeed.from_dict(json.loads(json.dumps(record, allow_nan=False)))

        assert back == article
        assert back.body == article.body
        assert back.published_at.utcoffset() == article.published_at.utcoffset()
        assert newsfeed.from_dict(record) == article

    @given(article=articles())
    def test_record_is_plain_json(self, article: newsfeed.Article) -> None:
        """The record survives strict JSON unchanged: no NaN, no datetime, no tuple."""
        assume("body" not in article.extra)
        record = newsfeed.to_dict(article)

        assert json.loads(json.dumps(record, allow_nan=False)) == record

    def test_nested_unknown_values_keep_their_types(self) -> None:
        """A timestamp among a provider's or an image's unknown keys stays a timestamp."""
        stamp = datetime(2020, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=-7)))
        article = newsfeed.Article(
            title="T",
            published_at=stamp,
            web_url="u",
            provider=newsfeed.Provider("P", extra={"since": date(1999, 1, 1)}),
            images=[newsfeed.Image("i", extra={"taken": stamp, "odd": {"$date": "no"}})],
            body="Body\n",
        )

        record = newsfeed.to_dict(article)
        back = newsfeed.from_dict(json.loads(json.dumps(record)))

        assert record["provider"]["since"] == {"$date": "1999-01-01"}
        assert record["images"][0]["odd"] == {"$mapping": {"$date": "no"}}
        assert back == article
        assert back.images[0].extra == {"taken": stamp, "odd": {"$date": "no"}}
        assert back.images[0].extra["taken"].utcoffset() == stamp.utcoffset()


class TestRepeatedKeys:
    """An unknown key that repeats a field of the model is refused, as dumps refuses it."""

    WHEN = datetime(2020, 1, 1, tzinfo=UTC)

    def test_top_level_key_does_not_replace_the_field(self) -> None:
        """`webUrl` in extra is an error naming it, not a record with the wrong link."""
        article = newsfeed.Article(
            title="t", published_at=self.WHEN, web_url="https://real", extra={"webUrl": "https://x"}
        )

        with pytest.raises(newsfeed.ValidationError, match="repeats a field") as caught:
            newsfeed.to_dict(article)
        with pytest.raises(newsfeed.ValidationError) as written:
            newsfeed.dumps(article)

        assert caught.value.field == "webUrl"
        assert str(caught.value) == str(written.value)

    def test_nested_keys_are_named_by_their_path(self) -> None:
        """A provider's, a related item's or an image's repeated key is named where it is."""
        image = newsfeed.Image(url="i", extra={"isCached": True})
        cases: dict[str, dict[str, Any]] = {
            "provider.name": {"provider": newsfeed.Provider(name="P", extra={"name": "Q"})},
            "related[1].webUrl": {
                "related": [
                    newsfeed.RelatedArticle(title="r", published_at=self.WHEN, web_url="u"),
                    newsfeed.RelatedArticle(
                        title="r", published_at=self.WHEN, web_url="u", extra={"webUrl": "v"}
                    ),
                ]
            },
            "related[0].provider.images[0].isCached": {
                "related": [
                    newsfeed.RelatedArticle(
                        title="r",
                        published_at=self.WHEN,
                        web_url="u",
                        provider=newsfeed.Provider(images=[image]),
                    )
                ]
            },
        }
        for field, changes in cases.items():
            article = newsfeed.Article(title="t", published_at=self.WHEN, web_url="u", **changes)

            with pytest.raises(newsfeed.ValidationError) as caught:
                newsfeed.to_dict(article)

            assert caught.value.field == field

    def test_an_attribute_name_is_not_a_file_key(self) -> None:
        """`web_url` in extra is an ordinary unknown key: the record keeps it and reads back."""
        article = newsfeed.Article(
            title="t", published_at=self.WHEN, web_url="https://real", extra={"web_url": "x"}
        )

        record = newsfeed.to_dict(article)

        assert record["webUrl"] == "https://real"
        assert record["web_url"] == "x"
        assert newsfeed.from_dict(record) == article


class TestBody:
    """The body is the record's `body` key: never front matter, never an unknown key."""

    def test_body_key_sets_the_body(self) -> None:
        """from_dict reads `body` as the body; dumps does not write it into the front matter."""
        article = newsfeed.load(FIXTURES / "amazon-moratorium-nasdaq.md")

        built = newsfeed.from_dict({**newsfeed.to_dict(article), "body": "x"})

        assert built.body == "x"
        assert "body" not in built.extra
        text = newsfeed.dumps(built)
        front_matter = text.split("\n---\n", 1)[0]
        assert not any(line.startswith("body:") for line in front_matter.splitlines())
        assert text.endswith("\n---\n\nx")
        assert newsfeed.loads(text) == built

    def test_body_may_be_left_out(self) -> None:
        """A record without `body` builds an article with an empty body."""
        record = {"title": "T", "publishedDateTime": "2020-01-01T00:00:00Z", "webUrl": "u"}

        assert newsfeed.from_dict(record).body == ""

    @pytest.mark.parametrize("body", [None, 5, ["x"]])
    def test_body_must_be_text(self, body: object) -> None:
        """A body that is not a string is a ValidationError naming `body`."""
        record = {"title": "T", "publishedDateTime": "2020-01-01T00:00:00Z", "webUrl": "u"}

        with pytest.raises(newsfeed.ValidationError, match="expected a string") as caught:
            newsfeed.from_dict({**record, "body": body})

        assert caught.value.field == "body"

    def test_unknown_key_named_body(self) -> None:
        """A front-matter key `body` cannot share the record with the body: to_dict says so."""
        article = newsfeed.loads(
            "---\ntitle: T\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: u\nbody: b\n---\n"
        )

        with pytest.raises(newsfeed.ValidationError, match=r"^body: an unknown key named 'body'"):
            newsfeed.to_dict(article)


class TestTags:
    """Tagged values are read back, and one that is not valid is an error naming its place."""

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"when": {"$date": "June"}}, "when"),
            ({"provider": {"name": "P", "when": {"$timestamp": 5}}}, "provider.when"),
            ({"images": [{"url": "i", "n": {"$float": "many"}}]}, "images[0].n"),
        ],
    )
    def test_bad_tag(self, change: dict[str, object], field: str) -> None:
        """A tag whose value is not of its type names the key it is under."""
        record = {"title": "T", "publishedDateTime": "2020-01-01T00:00:00Z", "webUrl": "u"}

        with pytest.raises(newsfeed.ValidationError, match="not a valid") as caught:
            newsfeed.from_dict({**record, **change})

        assert caught.value.field == field

    def test_value_that_is_not_yaml_data(self) -> None:
        """An unknown value no format holds (a set) is a TypeError naming where it is."""
        article = newsfeed.Article(
            title="T", published_at=datetime(2020, 1, 1, tzinfo=UTC), web_url="u"
        )

        with pytest.raises(TypeError, match=r"Article\.extra\.tags: cannot write a set"):
            newsfeed.to_dict(attrs.evolve(article, extra={"tags": {"a"}}))

    @pytest.mark.parametrize(("key", "value"), [("provider", "P"), ("images", "i")])
    def test_a_wrong_shape_is_left_to_the_checks(self, key: str, value: object) -> None:
        """A provider or an image list of the wrong type is a ValidationError naming it."""
        record = {"title": "T", "publishedDateTime": "2020-01-01T00:00:00Z", "webUrl": "u"}

        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.from_dict({**record, key: value})

        assert caught.value.field == key
