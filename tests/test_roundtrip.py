"""Round trips: canonical files byte for byte, other files and articles built in code as data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given

import newsfeed
from strategies import articles, canonical_texts

NASDAQ = Path(__file__).parent / "fixtures" / "amazon-moratorium-nasdaq.md"

# A canonical file with every optional key present, for the explicit cases to edit.
FULL = """\
---
category: news
title: "A title"
excerpt: "An excerpt."
publishedDateTime: 2020-06-11T12:02:00Z
webUrl: "https://example.com/a"
ampWebUrl: "https://example.com/a?amp"
cdnAmpWebUrl: "https://example-com.cdn.ampproject.org/c/s/example.com/a?amp"
type: article
quality: 54
heat: 124
published: true

provider:
  name: Example
  domain: example.com

topics:
  - AWS AI
  - AI

related:
  - title: "Another title"
    excerpt: "Another excerpt."
    publishedDateTime: 2020-06-11T14:12:00Z
    webUrl: "https://example.org/b"
    ampWebUrl: "https://example.org/b?amp"
    cdnAmpWebUrl: "https://example-org.cdn.ampproject.org/c/s/example.org/b?amp"
    type: article
    provider:
      name: Other
      domain: example.org
    quality: 42
    images:
      - url: "https://example.org/b.jpg"
        width: 1200
        height: 800
        isCached: true

secured: "abc/DEF+123=;tail=="
---

"""

# Only the required keys: still one empty line after the head block.
MINIMAL = """\
---
title: "T"
publishedDateTime: 2020-01-01T00:00:00Z
webUrl: "https://example.com/t"

---

"""


def _roundtrips(text: str) -> bool:
    return newsfeed.dumps(newsfeed.loads(text)) == text


class TestSamplesByteForByte:
    """The reference samples are written back exactly as they are."""

    def test_sample_text(self, sample_text: str) -> None:
        """dumps(loads(text)) is the sample's text."""
        assert _roundtrips(sample_text)

    def test_sample_bytes(self, sample_path: Path) -> None:
        """Loading the sample's bytes and writing them with dump gives the same bytes."""
        article = newsfeed.load(sample_path)

        assert newsfeed.dumps(article).encode("utf-8") == sample_path.read_bytes()

    def test_dump_reproduces_sample(self, sample_path: Path, tmp_path: Path) -> None:
        """dump(load(path)) writes a file identical to the sample."""
        target = tmp_path / sample_path.name

        newsfeed.dump(newsfeed.load(sample_path), target)

        assert target.read_bytes() == sample_path.read_bytes()


class TestCanonicalByteForByte:
    """Any file in the canonical layout comes back byte for byte."""

    @given(canonical_texts())
    def test_generated_canonical_text(self, text: str) -> None:
        """dumps(loads(t)) == t for canonical text generated from any article."""
        assert _roundtrips(text)

    def test_full_and_minimal_templates(self) -> None:
        """The hand-written templates these cases edit are themselves canonical."""
        assert _roundtrips(FULL)
        assert _roundtrips(MINIMAL)

    @pytest.mark.parametrize(
        "title",
        [
            'He said \\"no\\"',
            "C:\\\\Windows\\\\path",
            "Ratio: 3:1, and a colon at the end:",
            "Issue #42 # not a comment",
            "It's Amazon's",
            "\u201cCurly\u201d and \u2018single\u2019 quotes",
            "Emoji \U0001f600\U0001f468\u200d\U0001f469\u200d\U0001f467 here",
            "亚马逊禁止警方使用人脸识别技术",
            "Tab\\tnewline\\nbell\\a nul\\0 escape\\e",
            "",
            " leading and trailing ",
        ],
    )
    def test_title_with_special_characters(self, title: str) -> None:
        """A quoted title with quotes, backslashes, colons, hashes, emoji or CJK comes back."""
        text = FULL.replace('title: "A title"', f'title: "{title}"')

        assert _roundtrips(text)

    def test_escapes_read_as_characters(self) -> None:
        """The escapes in a title are read as the characters they stand for."""
        text = FULL.replace('title: "A title"', 'title: "\\"q\\" \\\\ \\t\\n\\0\\x7f\\u2028"')

        assert newsfeed.loads(text).title == '"q" \\ \t\n\x00\x7f\u2028'

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("category", "it's news"),
            ("category", "C#"),
            ("category", "a:b"),
            ("category", "\u201cquoted\u201d"),
            ("category", "新闻"),
            ("category", "\U0001f4f0"),
            ("category", '"yes"'),
            ("category", '"123"'),
            ("category", '"null"'),
            ("category", '"2020-01-01"'),
            ("category", '"a: b"'),
            ("category", '"a #b"'),
            ("category", '"- a"'),
            ("category", '"#a"'),
            ("category", "\"'a'\""),
            ("category", '""'),
            ("type", '"1:20"'),
            ("type", '"<<"'),
        ],
    )
    def test_plain_or_quoted_value(self, key: str, value: str) -> None:
        """A plain-field value is plain when YAML reads it back alike, quoted otherwise."""
        default = {"category": "news", "type": "article"}[key]
        text = FULL.replace(f"{key}: {default}\n", f"{key}: {value}\n", 1)

        assert text != FULL
        assert _roundtrips(text)

    @pytest.mark.parametrize(
        "removed",
        [
            "category: news\n",
            'excerpt: "An excerpt."\n',
            'ampWebUrl: "https://example.com/a?amp"\n',
            'cdnAmpWebUrl: "https://example-com.cdn.ampproject.org/c/s/example.com/a?amp"\n',
            "type: article\n",
            "quality: 54\n",
            "heat: 124\n",
            "published: true\n",
            'secured: "abc/DEF+123=;tail=="\n',
            "  name: Example\n",
            "  domain: example.com\n",
            '    excerpt: "Another excerpt."\n',
            '    ampWebUrl: "https://example.org/b?amp"\n',
            "    type: article\n",
            "    quality: 42\n",
            "        width: 1200\n",
            "        isCached: true\n",
        ],
    )
    def test_absent_optional_key(self, removed: str) -> None:
        """A file without one optional key comes back without it."""
        text = FULL.replace(removed, "", 1)

        assert text != FULL
        assert _roundtrips(text)

    def test_sample_without_secured(self, sample_text: str) -> None:
        """A sample without its secured line keeps the empty line after the related block."""
        start = sample_text.index("secured: ")
        text = sample_text[:start] + sample_text[sample_text.index("---\n", start) :]

        assert text.endswith("\n\n---\n\n")
        assert newsfeed.loads(text).secured is None
        assert _roundtrips(text)

    def test_sample_without_published(self, sample_text: str) -> None:
        """A sample without its published line keeps the empty line after the head block."""
        text = sample_text.replace("published: true\n", "").replace("published: false\n", "")

        assert text != sample_text
        assert _roundtrips(text)

    def test_no_topics(self) -> None:
        """A file without topics comes back without a topics block."""
        text = FULL.replace("topics:\n  - AWS AI\n  - AI\n\n", "")

        assert newsfeed.loads(text).topics == ()
        assert _roundtrips(text)

    def test_no_related(self) -> None:
        """A file without related articles comes back without a related block."""
        start = FULL.index("related:")
        text = FULL[:start] + FULL[FULL.index("secured:") :]

        assert newsfeed.loads(text).related == ()
        assert _roundtrips(text)

    def test_related_without_images(self) -> None:
        """A related item without images comes back without an images key."""
        start = FULL.index("    images:")
        text = FULL[:start] + FULL[FULL.index("\nsecured:") :]

        assert newsfeed.loads(text).related[0].images == ()
        assert _roundtrips(text)

    def test_related_without_provider(self) -> None:
        """A related item without a provider comes back without one."""
        text = FULL.replace("    provider:\n      name: Other\n      domain: example.org\n", "")

        assert newsfeed.loads(text).related[0].provider is None
        assert _roundtrips(text)

    def test_only_required_keys(self) -> None:
        """A file with only the required keys comes back as it was."""
        article = newsfeed.loads(MINIMAL)

        assert article.provider is None
        assert article.secured is None
        assert newsfeed.dumps(article) == MINIMAL

    @pytest.mark.parametrize(
        ("stamp", "offset"),
        [
            ("2020-03-19T11:26:00-07:00", timedelta(hours=-7)),
            ("2020-03-19T11:26:00+05:30", timedelta(hours=5, minutes=30)),
            ("2020-03-19T11:26:00Z", timedelta(0)),
            ("2020-03-19T11:26:00.250000+01:00", timedelta(hours=1)),
        ],
    )
    def test_timestamp_offsets(self, stamp: str, offset: timedelta) -> None:
        """Timestamps with -07:00, +05:30 or Z keep their offset and come back as written."""
        text = FULL.replace("2020-06-11T14:12:00Z", stamp).replace("2020-06-11T12:02:00Z", stamp)
        article = newsfeed.loads(text)

        assert article.published_at.utcoffset() == offset
        assert article.related[0].published_at.utcoffset() == offset
        assert _roundtrips(text)

    def test_unknown_keys_in_canonical_places(self) -> None:
        """Unknown keys, written after the known keys of their mapping, come back in order."""
        text = (
            FULL.replace("  domain: example.com\n", "  domain: example.com\n  logos: []\n")
            .replace("        isCached: true\n", "        isCached: true\n        alt: a photo\n")
            .replace(
                'secured: "abc/DEF+123=;tail=="\n',
                'secured: "abc/DEF+123=;tail=="\n'
                "locale: en-us\n"
                "tags:\n"
                "  - name: x\n"
                "    weight: 0.5\n"
                "  - - nested\n"
                "    - list\n"
                "updated: 2020-06-12T00:00:00Z\n"
                "empty: {}\n",
            )
        )
        article = newsfeed.loads(text)

        assert list(article.extra) == ["locale", "tags", "updated", "empty"]
        assert article.provider is not None
        assert article.provider.extra == {"logos": []}
        assert article.related[0].images[0].extra == {"alt": "a photo"}
        assert _roundtrips(text)

    def test_body(self) -> None:
        """A Markdown body after the empty line comes back unchanged, fences and all."""
        text = FULL + "# Heading\n\n---\n\nText.\n"

        assert newsfeed.loads(text).body == "# Heading\n\n---\n\nText.\n"
        assert _roundtrips(text)


def _data_roundtrips(text: str | bytes) -> newsfeed.Article:
    """Check the data round trip of *text*, and return what it loads as."""
    article = newsfeed.loads(text)
    canonical = newsfeed.dumps(article)
    again = newsfeed.loads(canonical)

    assert again == article
    assert again.published_at.utcoffset() == article.published_at.utcoffset()
    assert newsfeed.dumps(again) == canonical
    return article


def _front_matter(record: dict[str, Any], **options: Any) -> str:
    # The record's body is not front matter.
    front = {key: value for key, value in record.items() if key != "body"}
    text = yaml.safe_dump(front, **options)
    # Without a stream, safe_dump returns the text.
    assert isinstance(text, str)
    return "---\n" + text + "---\n"


class TestOtherLayouts:
    """Files written another way load to the same data and are rewritten canonically."""

    @pytest.fixture
    def record(self) -> dict[str, Any]:
        """Return the nasdaq sample as plain data."""
        return newsfeed.to_dict(newsfeed.load(NASDAQ))

    @pytest.fixture
    def expected(self) -> newsfeed.Article:
        """Return the nasdaq sample as an article."""
        return newsfeed.load(NASDAQ)

    @pytest.mark.parametrize(
        "options",
        [
            pytest.param({}, id="safe_dump defaults: sorted keys, plain, wrapped at 80"),
            pytest.param({"width": 20}, id="wrapped hard"),
            pytest.param({"sort_keys": False, "allow_unicode": True}, id="file order"),
            pytest.param({"default_flow_style": True}, id="flow collections"),
            pytest.param({"indent": 4}, id="four-space indent"),
        ],
    )
    def test_safe_dump_output(
        self, record: dict[str, Any], expected: newsfeed.Article, options: dict[str, Any]
    ) -> None:
        """Whatever yaml.safe_dump writes loads as the sample, and dumps it canonically."""
        text = _front_matter(record, **options)

        assert _data_roundtrips(text) == expected
        canonical = newsfeed.dumps(newsfeed.loads(text), canonical=True)
        assert canonical == NASDAQ.read_text(encoding="utf-8")

    def test_flow_lists(self) -> None:
        """Flow lists (topics, images) read as block lists do."""
        text = MINIMAL.replace(
            "---\n\n",
            "topics: [AWS AI, 'AI']\nrelated: [{title: R, webUrl: u, "
            "publishedDateTime: 2020-01-01, images: [{url: i, width: 1}]}]\n---\n\n",
        )
        article = _data_roundtrips(text)

        assert article.topics == ("AWS AI", "AI")
        assert article.related[0].images == (newsfeed.Image("i", 1),)

    def test_single_quotes(self) -> None:
        """Single-quoted values, with their doubled quote, read as the same strings."""
        text = FULL.replace('title: "A title"', "title: 'It''s \"a\" title: #1'")

        assert _data_roundtrips(text).title == 'It\'s "a" title: #1'

    def test_plain_title(self) -> None:
        """A plain title reads as the string; kept plain, it is quoted in the canonical layout."""
        text = FULL.replace('title: "A title"', "title: A plain title")

        assert _data_roundtrips(text).title == "A plain title"
        assert newsfeed.dumps(newsfeed.loads(text)) == text
        canonical = newsfeed.dumps(newsfeed.loads(text), canonical=True)
        assert 'title: "A plain title"\n' in canonical

    def test_block_scalars(self) -> None:
        """Literal and folded block scalars read as their strings."""
        text = FULL.replace('title: "A title"', "title: |-\n  two\n  lines").replace(
            'excerpt: "An excerpt."', "excerpt: >\n  folded\n  text\n"
        )
        article = _data_roundtrips(text)

        assert article.title == "two\nlines"
        assert article.excerpt == "folded text\n"

    def test_crlf_line_ends(self, sample_text: str) -> None:
        """A sample with CRLF line ends loads as the sample."""
        assert _data_roundtrips(sample_text.replace("\n", "\r\n")) == newsfeed.loads(sample_text)

    def test_byte_order_mark(self, sample_path: Path) -> None:
        """A sample starting with a UTF-8 BOM loads as the sample, as text or as bytes."""
        expected = newsfeed.load(sample_path)
        data = sample_path.read_bytes()

        assert _data_roundtrips(b"\xef\xbb\xbf" + data) == expected
        assert _data_roundtrips("\ufeff" + data.decode("utf-8")) == expected

    def test_comments(self, sample_text: str) -> None:
        """Comment lines and trailing comments are ignored."""
        text = (
            sample_text.replace("---\n", "---\n# a comment\n", 1)
            .replace("quality: 54\n", "quality: 54  # a trailing comment\n")
            .replace("quality: 35\n", "quality: 35  # a trailing comment\n")
            .replace("\ntopics:\n", "\n  # indented comment\ntopics:\n")
        )

        assert text != sample_text
        assert _data_roundtrips(text) == newsfeed.loads(sample_text)

    def test_other_key_order(self, sample_text: str) -> None:
        """Top-level keys in reverse order load as the sample."""
        record = newsfeed.to_dict(newsfeed.loads(sample_text))
        reversed_record = dict(reversed(record.items()))

        article = _data_roundtrips(_front_matter(reversed_record, sort_keys=False))

        assert article == newsfeed.loads(sample_text)

    def test_unknown_keys_anywhere(self) -> None:
        """Unknown keys at the top and nested, before known keys, are kept and moved after them."""
        text = (
            "---\n"
            "locale: en-us\n"
            "tags: [a, b]\n"
            "updatedDateTime: 2020-06-12T01:00:00-07:00\n"
            "images:\n"
            "  - {url: 'https://example.com/i.jpg', width: 10}\n"
            'title: "T"\n'
            "provider: {logos: [{url: p.png}], name: P}\n"
            "publishedDateTime: 2020-01-01T00:00:00Z\n"
            "webUrl: u\n"
            "related:\n"
            "  - score: 0.5\n"
            "    title: R\n"
            "    webUrl: r\n"
            "    publishedDateTime: 2020-01-01T00:00:00Z\n"
            "    images: [{isCached: false, url: i, alt: null}]\n"
            "---\n"
        )
        article = _data_roundtrips(text)

        assert list(article.extra) == ["locale", "tags"]
        assert article.updated_at == datetime(2020, 6, 12, 1, tzinfo=timezone(timedelta(hours=-7)))
        assert article.images == (newsfeed.Image("https://example.com/i.jpg", 10),)
        assert article.provider == newsfeed.Provider(name="P", extra={"logos": [{"url": "p.png"}]})
        assert article.related[0].extra == {"score": 0.5}
        assert article.related[0].images[0].extra == {"alt": None}

    def test_body_without_empty_line(self) -> None:
        """A body right after the closing fence is kept so; the canonical layout adds the line."""
        text = MINIMAL.removesuffix("\n") + "Body.\n"

        assert _data_roundtrips(text).body == "Body.\n"
        assert newsfeed.dumps(newsfeed.loads(text)) == text
        assert newsfeed.dumps(newsfeed.loads(text), canonical=True) == MINIMAL + "Body.\n"

    def test_no_newline_after_closing_fence(self) -> None:
        """A file ending right after its closing fence loads with an empty body."""
        assert _data_roundtrips(MINIMAL.removesuffix("\n\n")).body == ""

    def test_date_only_and_quoted_timestamps(self) -> None:
        """A date alone and a quoted ISO string are timestamps, written back canonically."""
        text = MINIMAL.replace("2020-01-01T00:00:00Z", "'2020-01-01T05:30:00+05:30'")

        assert _data_roundtrips(text).published_at == datetime(2020, 1, 1, tzinfo=UTC)
        assert "publishedDateTime: 2020-01-01T05:30:00+05:30\n" in newsfeed.dumps(
            newsfeed.loads(text)
        )

    def test_second_dumps_changes_nothing(self, sample_text: str) -> None:
        """Writing, reading and writing again gives the same text as the first write."""
        text = _front_matter(newsfeed.to_dict(newsfeed.loads(sample_text)), width=30)
        first = newsfeed.dumps(newsfeed.loads(text))

        assert newsfeed.dumps(newsfeed.loads(first)) == first


class TestArticlesBuiltInCode:
    """Articles built in code survive writing and reading, offsets included."""

    @given(articles())
    def test_loads_dumps(self, article: newsfeed.Article) -> None:
        """loads(dumps(a)) == a, and every timestamp keeps its UTC offset."""
        again = newsfeed.loads(newsfeed.dumps(article))

        assert again == article
        assert again.published_at.utcoffset() == article.published_at.utcoffset()
        for read, built in zip(again.related, article.related, strict=True):
            assert read.published_at.utcoffset() == built.published_at.utcoffset()

    def test_evolve_changes_one_line(self, sample_text: str) -> None:
        """Changing one field with attrs.evolve changes only that line of the file."""
        article = newsfeed.loads(sample_text)
        changed = attrs.evolve(article, quality=99)

        before = sample_text.splitlines()
        after = newsfeed.dumps(changed).splitlines()
        assert len(before) == len(after)
        assert [(b, a) for b, a in zip(before, after, strict=True) if b != a] == [
            (f"quality: {article.quality}", "quality: 99")
        ]


class TestPlainData:
    """to_dict and from_dict: JSON-ready records in the file's own key names."""

    @given(articles())
    def test_from_dict_to_dict_through_json(self, article: newsfeed.Article) -> None:
        """from_dict(to_dict(a)) is a, body included, also after a trip through JSON."""
        record = newsfeed.to_dict(article)
        text = json.dumps(record, ensure_ascii=False)

        assert newsfeed.from_dict(record) == article
        assert json.loads(text) == record
        assert newsfeed.from_dict(json.loads(text)) == article

    def test_sample_record(self, sample_path: Path) -> None:
        """A sample's record has camelCase keys, ISO timestamps and the body, not the path."""
        record = newsfeed.to_dict(newsfeed.load(sample_path))

        assert record["publishedDateTime"].endswith("Z")
        assert isinstance(record["webUrl"], str)
        assert record["body"] == newsfeed.load(sample_path).body
        assert "path" not in record
        assert all(isinstance(item["publishedDateTime"], str) for item in record["related"])
        assert newsfeed.from_dict(record) == newsfeed.load(sample_path)

    def test_absent_keys_left_out(self) -> None:
        """Absent optional fields and empty lists are not in the record; the body always is."""
        record = newsfeed.to_dict(newsfeed.loads(MINIMAL))

        assert record == {
            "title": "T",
            "publishedDateTime": "2020-01-01T00:00:00Z",
            "webUrl": "https://example.com/t",
            "body": "",
        }

    def test_offset_kept(self) -> None:
        """A timestamp's offset is kept in the record's ISO string."""
        article = newsfeed.loads(MINIMAL.replace("00:00:00Z", "00:00:00-07:00"))

        assert newsfeed.to_dict(article)["publishedDateTime"] == "2020-01-01T00:00:00-07:00"

    def test_unknown_timestamps_are_tagged(self) -> None:
        """Timestamps and dates among unknown keys are tagged ISO strings, as in JSON Lines."""
        text = MINIMAL.replace(
            "---\n\n", "updated: 2020-01-02T03:04:05+05:30\nday: 2020-01-02\n---\n\n"
        )
        article = newsfeed.loads(text)
        record = newsfeed.to_dict(article)

        assert record["updated"] == {"$timestamp": "2020-01-02T03:04:05+05:30"}
        assert record["day"] == {"$date": "2020-01-02"}
        assert newsfeed.from_dict(json.loads(json.dumps(record))).extra == article.extra

    def test_from_dict_accepts_datetimes(self) -> None:
        """from_dict takes datetime objects as well as ISO strings for timestamps."""
        stamp = datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30)))
        article = newsfeed.from_dict({"title": "T", "webUrl": "u", "publishedDateTime": stamp})

        assert article.published_at == stamp
        assert article.published_at.utcoffset() == stamp.utcoffset()
