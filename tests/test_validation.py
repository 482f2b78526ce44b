"""Required and optional fields, no coercion, and errors that say which field and line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import newsfeed
from newsfeed._format.convert import _failures, format_field_path

NASDAQ = Path(__file__).parent / "fixtures" / "amazon-moratorium-nasdaq.md"

ARTICLE = """\
---
category: news
title: "A title"
excerpt: "An excerpt."
publishedDateTime: 2020-06-11T12:02:00Z
webUrl: "https://example.com/a"
type: article
quality: 54
heat: -1
published: false

provider:
  name: Example
  domain: example.com

topics:
  - AI

related:
  - title: "First"
    publishedDateTime: 2020-06-11T14:12:00Z
    webUrl: "https://example.org/1"
  - title: "Second"
    publishedDateTime: 2020-06-11T14:13:00Z
    webUrl: "https://example.org/2"
    images:
      - url: "https://example.org/2.jpg"
        width: 1200
        isCached: false
  - title: "Third"
    publishedDateTime: 2020-06-11T14:14:00Z
    webUrl: "https://example.org/3"
    quality: 7

secured: "token"
---

"""


def _line_of(text: str, needle: str) -> int:
    """Return the 1-based line of *text* where *needle* first appears."""
    return text[: text.index(needle)].count("\n") + 1


def _validation_error(text: str) -> newsfeed.ValidationError:
    with pytest.raises(newsfeed.ValidationError) as caught:
        newsfeed.loads(text, source="article.md")
    return caught.value


class TestRequiredFields:
    """title, webUrl and publishedDateTime are required, on articles and related items."""

    def test_template_is_valid(self) -> None:
        """The file these tests edit loads, with the values it says."""
        article = newsfeed.loads(ARTICLE)

        assert article.published is False
        assert article.heat == -1
        assert [item.title for item in article.related] == ["First", "Second", "Third"]

    @pytest.mark.parametrize(
        "line",
        [
            'title: "A title"\n',
            "publishedDateTime: 2020-06-11T12:02:00Z\n",
        ],
    )
    def test_article_field_missing(self, line: str) -> None:
        """A missing top-level required field is a ValidationError pointing at the file's start."""
        key = line.partition(":")[0]
        error = _validation_error(ARTICLE.replace(line, ""))

        assert error.field == key
        assert error.line == 1
        assert error.reason == "required field is missing"
        assert str(error) == f"article.md:1: {key}: required field is missing"

    @pytest.mark.parametrize(
        ("old", "new", "key"),
        [
            ('  - title: "Third"\n    published', "  - published", "title"),
            ("    publishedDateTime: 2020-06-11T14:14:00Z\n", "", "publishedDateTime"),
            ('    webUrl: "https://example.org/3"\n', "", "webUrl"),
        ],
    )
    def test_related_field_missing(self, old: str, new: str, key: str) -> None:
        """A missing required field of related[2] names related[2].<key> and the item's line."""
        text = ARTICLE.replace(old, new)
        error = _validation_error(text)

        # Line 30 starts the third item ("  - ..."): the mapping that lacks the key.
        assert text.splitlines()[29].startswith("  - ")
        assert error.field == f"related[2].{key}"
        assert error.line == 30

    def test_image_url_missing(self) -> None:
        """An image without its url names related[1].images[0].url."""
        text = ARTICLE.replace(
            '      - url: "https://example.org/2.jpg"\n        width', "      - width"
        )
        error = _validation_error(text)

        assert error.field == "related[1].images[0].url"
        assert error.line == _line_of(text, "      - width")

    @pytest.mark.parametrize("value", ["", "webUrl: null\n", "webUrl: ~\n"])
    def test_article_without_any_link(self, value: str) -> None:
        """An article needs webUrl or originalUrl: without either, the error names both."""
        text = ARTICLE.replace('webUrl: "https://example.com/a"\n', value)
        error = _validation_error(text)

        assert error.field == "webUrl"
        assert error.reason == "needs webUrl or originalUrl"
        assert str(error) == "article.md:1: webUrl: needs webUrl or originalUrl"

    def test_missing_link_reported_with_other_problems(self) -> None:
        """A missing link is one of a file's problems: it is listed beside a wrong value."""
        text = ARTICLE.replace('webUrl: "https://example.com/a"\n', "").replace(
            'title: "A title"', "title: 5"
        )
        error = _validation_error(text)

        assert [(problem.field, problem.reason) for problem in error.errors] == [
            ("title", "expected a string, got int"),
            ("webUrl", "needs webUrl or originalUrl"),
        ]

    def test_a_dropped_null_item_moves_no_error(self) -> None:
        """After a null topic is left out, a bad topic is still named by its place in the file."""
        text = ARTICLE.replace("topics:\n  - AI\n", "topics:\n  - AI\n  -\n  - 5\n  - ok\n  - 6\n")

        error = _validation_error(text)

        assert [(problem.field, problem.line) for problem in error.errors] == [
            ("topics[2]", _line_of(text, "  - 5")),
            ("topics[4]", _line_of(text, "  - 6")),
        ]

    def test_original_url_instead_of_web_url(self) -> None:
        """A video entry has only originalUrl: it loads, and url gives that link."""
        text = ARTICLE.replace("webUrl:", "originalUrl:", 1)
        article = newsfeed.loads(text)

        assert article.web_url is None
        assert article.original_url == "https://example.com/a"
        assert article.url == "https://example.com/a"
        assert newsfeed.dumps(article) == text

    @pytest.mark.parametrize("key", ["title"])
    def test_required_string_null(self, key: str) -> None:
        """A required string that is null, or empty in YAML, is an error, never "None"."""
        for value in ("null", "~", ""):
            text = re.sub(
                rf"^{key}: .*$", f"{key}: {value}".rstrip(), ARTICLE, count=1, flags=re.MULTILINE
            )
            error = _validation_error(text)

            assert error.field == key
            assert error.reason == "expected a string, got null"
            assert error.line == _line_of(text, f"{key}:")


class TestOptionalFields:
    """Everything else may be absent: None, or an empty tuple for lists."""

    def test_only_required(self) -> None:
        """An article with only the required keys has every other field empty."""
        article = newsfeed.loads(
            '---\ntitle: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n---\n'
        )

        assert article.category is None
        assert article.excerpt is None
        assert article.amp_web_url is None
        assert article.cdn_amp_web_url is None
        assert article.type is None
        assert article.quality is None
        assert article.heat is None
        assert article.published is None
        assert article.provider is None
        assert article.topics == ()
        assert article.related == ()
        assert article.secured is None
        assert article.extra == {}
        assert article.body == ""

    def test_related_only_required(self) -> None:
        """A related item with only the required keys has every other field empty."""
        item = newsfeed.loads(ARTICLE).related[0]

        assert item.excerpt is None
        assert item.amp_web_url is None
        assert item.type is None
        assert item.provider is None
        assert item.quality is None
        assert item.images == ()
        assert item.extra == {}

    def test_image_and_provider_optional_keys(self) -> None:
        """An image without height and a provider without domain have None there."""
        text = ARTICLE.replace("  domain: example.com\n", "")
        article = newsfeed.loads(text)

        assert article.provider == newsfeed.Provider(name="Example")
        assert article.related[1].images == (
            newsfeed.Image(url="https://example.org/2.jpg", width=1200, is_cached=False),
        )

    def test_optional_null_is_absent(self) -> None:
        """`key: null` for an optional field reads as absent, not as the string "None"."""
        text = ARTICLE.replace("category: news", "category: null").replace(
            'excerpt: "An excerpt."', "excerpt: ~"
        )
        article = newsfeed.loads(text)

        assert article.category is None
        assert article.excerpt is None
        assert "None" not in newsfeed.dumps(article)
        assert "category" not in newsfeed.dumps(article)

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            ("topics:\n  - AI\n", "topics: null\n"),
            ("provider:\n  name: Example\n  domain: example.com\n", "provider: ~\n"),
            ("        isCached: false\n", "        isCached:\n"),
        ],
    )
    def test_null_is_absent_for_every_optional_field(self, old: str, new: str) -> None:
        """`key: null` reads as absent for lists and mappings too, and is not written back."""
        text = ARTICLE.replace(old, new)
        article = newsfeed.loads(text)

        assert newsfeed.dumps(article) == ARTICLE.replace(old, "").replace("\n\n\n", "\n\n")

    def test_null_lists_in_related(self) -> None:
        """`images: null` in a related item reads as no images."""
        text = ARTICLE.replace("    quality: 7\n", "    quality: 7\n    images: null\n")

        assert newsfeed.loads(text) == newsfeed.loads(ARTICLE)

    def test_unknown_null_kept(self) -> None:
        """An unknown key whose value is null keeps None and is written back as null."""
        text = ARTICLE.replace('secured: "token"\n', 'secured: "token"\nlocale: null\n')
        article = newsfeed.loads(text)

        assert article.extra == {"locale": None}
        assert newsfeed.dumps(article) == text


class TestNoCoercion:
    """A value of the wrong YAML type is an error, never silently converted."""

    @pytest.mark.parametrize(
        ("old", "new", "field", "reason"),
        [
            ("quality: 54", "quality: high", "quality", "expected an integer, got str"),
            ("quality: 54", "quality: true", "quality", "expected an integer, got bool"),
            ("quality: 54", 'quality: "54"', "quality", "expected an integer, got str"),
            ("quality: 54", "quality: 54.0", "quality", "expected an integer, got float"),
            (
                "published: false",
                'published: "false"',
                "published",
                "expected true or false, got str",
            ),
            ("published: false", "published: 0", "published", "expected true or false, got int"),
            ('title: "A title"', "title: 123", "title", "expected a string, got int"),
            ('title: "A title"', "title: true", "title", "expected a string, got bool"),
            ('title: "A title"', "title: 2020-01-01", "title", "expected a string, got date"),
            ('title: "A title"', "title: [a]", "title", "expected a string, got list"),
            ("category: news", "category: yes", "category", "expected a string, got bool"),
            ('secured: "token"', "secured: 12", "secured", "expected a string, got int"),
            ("  - AI", "  - 1", "topics[0]", "expected a string, got int"),
            ("topics:\n  - AI", "topics: AI", "topics", "expected a list, got str"),
            ("topics:\n  - AI", "topics: {AI: 1}", "topics", "expected a list, got dict"),
            (
                "provider:\n  name: Example",
                "provider: Example\nx:\n  name: Example",
                "provider",
                "expected a mapping, got str",
            ),
            ("  name: Example", "  name: 5", "provider.name", "expected a string, got int"),
            ("related:\n", "related: {}\nx:\n", "related", "expected a list, got dict"),
            (
                "        width: 1200",
                "        width: wide",
                "related[1].images[0].width",
                "expected an integer, got str",
            ),
            (
                "        isCached: false",
                "        isCached: 'no'",
                "related[1].images[0].isCached",
                "expected true or false, got str",
            ),
            (
                "    quality: 7",
                "    quality: '7'",
                "related[2].quality",
                "expected an integer, got str",
            ),
            (
                '    webUrl: "https://example.org/1"',
                "    webUrl: 1",
                "related[0].webUrl",
                "expected a string, got int",
            ),
        ],
    )
    def test_wrong_type(self, old: str, new: str, field: str, reason: str) -> None:
        """A mistyped value is a ValidationError naming its field, its line and the types."""
        assert old in ARTICLE
        text = ARTICLE.replace(old, new, 1)
        error = _validation_error(text)

        assert error.field == field
        assert error.reason == reason
        assert error.line == _line_of(text, new.split("\n", maxsplit=1)[0])
        assert str(error) == f"article.md:{error.line}: {field}: {reason}"

    def test_yaml_booleans_are_booleans(self) -> None:
        """YAML 1.1's `no` is false, as YAML means it, and is written back as `false`."""
        text = ARTICLE.replace("isCached: false", "isCached: no")
        article = newsfeed.loads(text)

        assert article.related[1].images[0].is_cached is False
        assert newsfeed.dumps(article) == ARTICLE

    def test_string_false_stays_a_string(self) -> None:
        """The string "false" in an unknown key stays a string, and is written back quoted."""
        text = ARTICLE.replace('secured: "token"\n', 'secured: "token"\nflag: "false"\n')
        article = newsfeed.loads(text)

        assert article.extra["flag"] == "false"
        assert newsfeed.dumps(article) == text

    def test_string_none_stays_a_string(self) -> None:
        """The string "None" stays "None", and null stays None: they never meet."""
        text = ARTICLE.replace("category: news", "category: None")
        article = newsfeed.loads(text)

        assert article.category == "None"
        assert newsfeed.dumps(article) == text


class TestFromDict:
    """from_dict checks a record as strictly as loads checks a file."""

    def _record(self, **changes: Any) -> dict[str, Any]:
        record = newsfeed.to_dict(newsfeed.load(NASDAQ))
        record.update(changes)
        return record

    def test_missing_required(self) -> None:
        """A record without webUrl is a ValidationError naming webUrl, with no file or line."""
        record = self._record()
        del record["webUrl"]

        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.from_dict(record)

        assert caught.value.field == "webUrl"
        assert caught.value.source is None
        assert caught.value.line is None

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"quality": "high"}, "quality"),
            ({"quality": True}, "quality"),
            ({"published": "false"}, "published"),
            ({"title": None}, "title"),
            ({"publishedDateTime": "yesterday"}, "publishedDateTime"),
            ({"topics": "AI"}, "topics"),
        ],
    )
    def test_wrong_type(self, changes: dict[str, Any], field: str) -> None:
        """A mistyped value in a record is a ValidationError naming the field."""
        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.from_dict(self._record(**changes))

        assert caught.value.field == field

    def test_nested_wrong_type(self) -> None:
        """A mistyped value deep in a record names its path."""
        record = self._record()
        record["related"][3]["images"][0]["height"] = "tall"

        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.from_dict(record)

        assert caught.value.field == "related[3].images[0].height"

    @pytest.mark.parametrize("record", [None, [], "text", 5])
    def test_not_a_mapping(self, record: Any) -> None:
        """A record that is not a mapping is a ValidationError, not a TypeError."""
        with pytest.raises(newsfeed.ValidationError, match="expected a mapping"):
            newsfeed.from_dict(record)


class TestFieldPaths:
    """How a cattrs failure becomes a field path."""

    def test_foreign_notes_ignored(self) -> None:
        """Notes other than cattrs' own (added by other code) do not enter the path."""
        error = ValueError("bad")
        error.add_note("a note from somewhere else")

        assert _failures(error, ("related", 2)) == [(("related", 2), error)]

    def test_format_field_path(self) -> None:
        """A key path is written with dots between keys and brackets around indexes."""
        assert format_field_path(("related", 2, "images", 0, "url")) == "related[2].images[0].url"
        assert format_field_path(()) == ""
