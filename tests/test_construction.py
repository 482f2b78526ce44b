"""Model objects built in code check their values at once, by the schema's kinds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import newsfeed
from newsfeed import _model
from newsfeed._format.schema import SCHEMAS, Kind
from strategies import articles

STAMP = datetime(2020, 6, 11, 12, 2, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures"


def article(**changes: Any) -> newsfeed.Article:
    """Build an article from good values, with *changes*."""
    values: dict[str, Any] = {"title": "Hello", "published_at": STAMP, "web_url": "u"}
    return newsfeed.Article(**{**values, **changes})


def refusal(build: Any, **changes: Any) -> newsfeed.ValidationError:
    """Return the error *build* raises with *changes*."""
    with pytest.raises(newsfeed.ValidationError) as caught:
        build(**changes)
    return caught.value


class TestWrongTypes:
    """A value of the wrong type is refused at construction, naming the field."""

    def test_issue_example(self) -> None:
        """The issue's example: a string date and a string quality, both named in one error."""
        error = refusal(
            newsfeed.Article, title="Hello", published_at="2024-01-02", web_url="u", quality="5"
        )

        assert [(e.field, e.source) for e in error.errors] == [
            ("publishedDateTime", "Article()"),
            ("quality", "Article()"),
        ]
        assert "published_at" in str(error)
        assert "got str '5'" in str(error)
        assert isinstance(error, ValueError)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("title", 5),
            ("quality", "5"),
            ("quality", 5.0),
            ("quality", True),
            ("published", 1),
            ("heat", None.__class__),
            ("published_at", date(2020, 6, 11)),
            ("published_at", 1591876920),
            ("updated_at", "2020-06-11T12:02:00Z"),
            ("provider", {"name": "Reuters"}),
            ("topics", ["AI", 3]),
            ("topics", "AI"),
            ("images", ["https://example.com/a.png"]),
            ("related", "x"),
        ],
    )
    def test_refused(self, field: str, value: object) -> None:
        """Each wrong value is refused, and the error names the field's key."""
        error = refusal(article, **{field: value})

        assert error.field == SCHEMAS[newsfeed.Article].by_attr[field].key

    def test_bool_is_not_an_int(self) -> None:
        """`quality=True` is refused although Python counts a bool as an int."""
        assert "expected int, got bool True" in str(refusal(article, quality=True))

    def test_every_problem_is_reported(self) -> None:
        """Three wrong fields give one error with three problems."""
        error = refusal(article, title=1, quality="1", published="yes")

        assert len(error.errors) == 3


class TestTimestamps:
    """Timestamps must be timezone-aware datetimes."""

    def test_naive_datetime(self) -> None:
        """A naive datetime is refused, saying it has no offset."""
        error = refusal(article, published_at=datetime(2020, 6, 11, 12, 2))  # noqa: DTZ001 -- naive on purpose

        assert error.field == "publishedDateTime"
        assert "naive" in error.reason

    def test_naive_in_related(self) -> None:
        """A related article refuses a naive datetime too."""
        error = refusal(
            newsfeed.RelatedArticle,
            title="T",
            web_url="u",
            published_at=datetime(2020, 1, 1),  # noqa: DTZ001 -- naive on purpose
        )

        assert error.source == "RelatedArticle()"

    def test_any_offset_is_accepted(self) -> None:
        """An aware datetime of any offset is kept as given."""
        when = datetime(2020, 6, 11, 8, 2, tzinfo=timezone(timedelta(hours=-4)))

        assert article(published_at=when).published_at is when


class TestRequired:
    """None in a required field, or neither link, is refused."""

    @pytest.mark.parametrize("field", ["title", "published_at"])
    def test_none_in_required(self, field: str) -> None:
        """None is 'absent', which a required field refuses."""
        error = refusal(article, **{field: None})

        assert error.reason == ("is required" if field == "title" else "(published_at) is required")

    def test_neither_link(self) -> None:
        """An article needs web_url or original_url; original_url alone is enough."""
        error = refusal(article, web_url=None)

        assert error.reason == "needs web_url or original_url"
        assert article(web_url=None, original_url="o").url == "o"

    def test_image_needs_url(self) -> None:
        """An image without its url is refused."""
        assert refusal(newsfeed.Image, url=None).field == "url"

    def test_optional_none_is_fine(self) -> None:
        """None in an optional field means absent."""
        assert article(quality=None, provider=None).quality is None


class TestLists:
    """List fields take any iterable but a string, bytes or mapping, and store a tuple."""

    @pytest.mark.parametrize(
        "topics", [["AI", "Robots"], ("AI", "Robots"), iter(["AI", "Robots"])], ids=repr
    )
    def test_iterables_become_tuples(self, topics: Any) -> None:
        """A list, a tuple or an iterator gives the same tuple."""
        assert article(topics=topics).topics == ("AI", "Robots")

    @pytest.mark.parametrize("value", ["AI", b"AI", {"AI": 1}], ids=repr)
    def test_string_like_refused(self, value: object) -> None:
        """A string is iterable but is not a list of topics: refused, not split into letters."""
        assert refusal(article, topics=value).field == "topics"

    def test_item_of_wrong_class(self) -> None:
        """A related item that is a dict (not a RelatedArticle) is refused, naming its index."""
        error = refusal(article, related=[{"title": "T"}])

        assert error.field == "related"
        assert "item 0: expected RelatedArticle, got dict" in error.reason


class TestNested:
    """Nested objects are checked when built, and must be of their class."""

    def test_provider_images(self) -> None:
        """A provider's images must be Images."""
        assert refusal(newsfeed.Provider, images=[{"url": "u"}]).source == "Provider()"

    def test_nested_good(self) -> None:
        """A fully nested article built from checked parts is accepted."""
        related = newsfeed.RelatedArticle(
            title="R",
            published_at=STAMP,
            web_url="r",
            provider=newsfeed.Provider(name="P", images=[newsfeed.Image(url="i", width=1)]),
        )

        assert article(related=[related]).related == (related,)

    def test_image_width(self) -> None:
        """An image's width must be an int."""
        assert refusal(newsfeed.Image, url="u", width="100").field == "width"


class TestDerivedFromSchema:
    """The checks come from the schema: every class has one, every kind is tested."""

    def test_every_class_has_a_check(self) -> None:
        """Each class of the schema has its installed check."""
        assert set(_model.CHECKS) == set(SCHEMAS)

    @pytest.mark.parametrize("schema", SCHEMAS.values(), ids=lambda s: s.cls.__name__)
    def test_every_field_is_checked(self, schema: Any) -> None:
        """A wrong value in any field of any class is refused (an object where none fits)."""
        wrong = object()
        for field in schema.fields:
            error = refusal(lambda **v: _model.CHECKS[schema.cls](_Fake(v)), **{field.attr: wrong})
            reasons = {problem.field: problem.reason for problem in error.errors}
            assert field.key in reasons
            # Lists: the value kept as given is not a tuple.
            assert field.kind is not Kind.STRS or "tuple" in reasons[field.key]


class _Fake:
    """An object with a schema's attributes, as a check sees an instance."""

    def __init__(self, values: dict[str, object]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> object:
        return self._values.get(name)


class TestReaders:
    """What the readers and the rest of newsfeed build passes the checks."""

    @given(articles())
    def test_generated_articles(self, generated: newsfeed.Article) -> None:
        """Every article of the strategies rebuilds through the constructor (evolve)."""
        import attrs  # noqa: PLC0415 -- only here

        assert attrs.evolve(generated) == generated

    def test_loaded_files_rebuild(self) -> None:
        """Articles read from the fixtures pass the constructor's check when rebuilt."""
        import attrs  # noqa: PLC0415 -- only here

        for path in sorted(FIXTURES.glob("**/*.md")):
            loaded = newsfeed.load(path)
            assert attrs.evolve(loaded) == loaded

    def test_reading_flag_is_reset(self) -> None:
        """After a load, construction in code is checked again, also after a failed load."""
        newsfeed.loads("---\ntitle: x\npublishedDateTime: 2020-01-01\nwebUrl: u\n---\n")
        with pytest.raises(newsfeed.ValidationError):
            newsfeed.loads("---\ntitle: x\n---\n")

        assert _model.READING.get() is False
        assert refusal(article, quality="5").field == "quality"
