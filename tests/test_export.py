"""Exports that lose nothing: JSON Lines, Arrow, Parquet (read by DuckDB) and polars."""

from __future__ import annotations

import codecs
import io
import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import IO, Any, Literal, get_type_hints

import attrs
import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, given, settings

import newsfeed
from model_support import unchecked
from newsfeed import Article, Feed, ParseError, RelatedArticle, ValidationError
from newsfeed._feed.arrow import _ArrowCodec, arrow_schema
from newsfeed._feed.shape import Codec, DecodeError, record_shape
from newsfeed._format.safe_yaml import MAX_DEPTH
from strategies import located_articles

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
SAMPLES = newsfeed.load_dir(DATA)
PACIFIC = timezone(timedelta(hours=-7))
#: The start of a JSON line with the required fields, for the error tests.
REQUIRED = '{"title": "T", "published_at": "2020-06-11T12:00:00Z", "web_url": "u", '
#: How deep an export's extra may nest: twice a file's limit (a tag's look-alike takes two levels).
EXTRA_DEPTH = 2 * MAX_DEPTH
#: The units an Arrow timestamp may have.
Unit = Literal["s", "ms", "us", "ns"]


def exact(value: object) -> object:
    """Return *value* as nested tuples that also tell offsets, types and order apart.

    Article equality compares instants, so ``12:00Z`` equals ``05:00-07:00``;
    an export must keep the offset too.
    """
    cls = type(value)
    if attrs.has(cls):
        fields = attrs.fields(cls)
        # Private state (the file's layout) is formatting, not data: no export keeps it.
        return (
            type(value).__name__,
            tuple(
                (f.name, exact(getattr(value, f.name)))
                for f in fields
                if not f.name.startswith("_")
            ),
        )
    if isinstance(value, datetime):
        return ("datetime", value.replace(tzinfo=None), value.utcoffset())
    if isinstance(value, Mapping):
        return ("mapping", tuple((key, exact(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(exact(item) for item in value))
    return (type(value).__name__, value)


def assert_same_articles(got: Feed, expected: Feed) -> None:
    """Check the feeds are equal, article for article, offsets, paths and key order included."""
    assert got == expected
    assert [exact(article) for article in got] == [exact(article) for article in expected]


def model_fields(cls: type = Article) -> list[str]:
    """Return the names of *cls*'s data fields: its attrs fields without the private ones."""
    return [field.name for field in attrs.fields(cls) if not field.name.startswith("_")]


def model_integers(value: object, where: str = "") -> Iterator[tuple[str, int]]:
    """Yield each integer of a model object's known fields (not extra), with where it is."""
    if attrs.has(type(value)):
        for name in model_fields(type(value)):
            if name != "extra":
                yield from model_integers(getattr(value, name), f"{where}.{name}".lstrip("."))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from model_integers(item, f"{where}[{index}]")
    elif isinstance(value, int) and not isinstance(value, bool):
        yield where, value


def in_int64(article: Article) -> bool:
    """Whether every integer of *article*'s known fields fits in 64 bits."""
    return all(-(2**63) <= value < 2**63 for _, value in model_integers(article))


def timestamp_fields(cls: type) -> set[str]:
    """Return the names of *cls*'s fields that hold a datetime (optional or not)."""
    hints = get_type_hints(cls)
    return {name for name in model_fields(cls) if hints[name] in (datetime, datetime | None)}


class TestJsonLines:
    """to_jsonl and load_jsonl: one JSON object per article, read back as the same feed."""

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(feed=located_articles().map(lambda article: Feed([article, article])))
    def test_any_article_round_trips(self, feed: Feed) -> None:
        """Every field, extra (timestamps and dates included), body and path come back."""
        buffer = io.StringIO()

        feed.to_jsonl(buffer)
        back = newsfeed.load_jsonl(io.StringIO(buffer.getvalue()))

        assert_same_articles(back, feed)
        assert [article.path for article in back] == [article.path for article in feed]

    def test_samples_through_a_file(self, tmp_path: Path) -> None:
        """The sample folder written to a path reads back from the path and as bytes."""
        target = tmp_path / "feed.jsonl"

        SAMPLES.to_jsonl(target)

        assert_same_articles(newsfeed.load_jsonl(target), SAMPLES)
        assert_same_articles(newsfeed.load_jsonl(str(target)), SAMPLES)
        with target.open("rb") as file:
            assert_same_articles(newsfeed.load_jsonl(file), SAMPLES)
        assert len(target.read_text(encoding="utf-8").splitlines()) == len(SAMPLES)

    def test_binary_file(self) -> None:
        """A binary file object receives UTF-8 bytes."""
        buffer = io.BytesIO()

        SAMPLES[:3].to_jsonl(buffer)

        assert_same_articles(newsfeed.load_jsonl(io.BytesIO(buffer.getvalue())), SAMPLES[:3])

    @pytest.mark.parametrize(
        "opened",
        [
            partial(tempfile.SpooledTemporaryFile, mode="w+", encoding="utf-8"),
            partial(tempfile.SpooledTemporaryFile, mode="w+", encoding="utf-8", max_size=1),
            partial(tempfile.SpooledTemporaryFile, mode="w+b"),
            lambda: codecs.StreamReaderWriter(
                io.BytesIO(), codecs.getreader("utf-8"), codecs.getwriter("utf-8")
            ),
        ],
        ids=["spooled-text", "spooled-text-rolled-over", "spooled-binary", "codecs-stream"],
    )
    def test_files_that_are_not_io_base_classes(self, opened: Callable[[], IO[Any]]) -> None:
        """A text file that is no io.TextIOBase gets text, a binary one bytes; both read back."""
        with opened() as file:
            SAMPLES[:3].to_jsonl(file)
            file.seek(0)
            back = newsfeed.load_jsonl(file)

        assert_same_articles(back, SAMPLES[:3])

    def test_lines_are_standard_json_with_model_names(self) -> None:
        """Each line parses as strict JSON; keys are the model's attribute names, in order."""
        buffer = io.StringIO()
        article = attrs.evolve(
            SAMPLES[0], extra={"score": math.inf, "when": date(2020, 6, 1), "x": {"$date": "no"}}
        )

        Feed([article]).to_jsonl(buffer)

        def refuse(constant: str) -> object:
            raise AssertionError(constant)

        data = json.loads(buffer.getvalue(), parse_constant=refuse)
        assert list(data) == model_fields(Article)
        assert data["published_at"] == article.published_at.isoformat()
        assert data["extra"] == {
            "score": {"$float": "inf"},
            "when": {"$date": "2020-06-01"},
            "x": {"$mapping": {"$date": "no"}},
        }
        assert article.provider is not None
        assert data["provider"]["name"] == article.provider.name
        assert data["path"] == str(article.path)

    def test_empty_feed_and_blank_lines(self) -> None:
        """An empty feed writes nothing; blank lines are skipped on reading."""
        buffer = io.StringIO()
        Feed().to_jsonl(buffer)
        assert buffer.getvalue() == ""

        line = io.StringIO()
        SAMPLES[:1].to_jsonl(line)
        text = "\n" + line.getvalue() + "  \n\n"
        assert_same_articles(newsfeed.load_jsonl(io.StringIO(text)), SAMPLES[:1])

    def test_absent_keys_take_the_defaults(self) -> None:
        """A line with only the required fields builds an article with the defaults."""
        line = '{"title": "T", "published_at": "2020-06-11T12:00:00-07:00", "web_url": "u"}\n'

        (article,) = newsfeed.load_jsonl(io.StringIO(line))

        assert article == Article(
            title="T", published_at=datetime(2020, 6, 11, 12, tzinfo=PACIFIC), web_url="u"
        )
        assert article.published_at.utcoffset() == timedelta(hours=-7)


class TestJsonLinesErrors:
    """A bad line is refused with the file, the line and the field; nothing is half-written."""

    @pytest.mark.parametrize(
        ("line", "error", "field", "message"),
        [
            ("{not json", ParseError, None, "not JSON: Expecting property name"),
            ('{"title": "a", "title": "b"}', ParseError, None, "repeated key 'title'"),
            ("[1, 2]", ValidationError, None, "expected an object, got list"),
            (
                '{"title": "T", "colour": "red"}',
                ValidationError,
                "colour",
                "not a field of Article",
            ),
            (
                REQUIRED + '"quality": "5"}',
                ValidationError,
                "quality",
                "expected int, got str",
            ),
            (
                REQUIRED + '"published": 1}',
                ValidationError,
                "published",
                "expected bool, got int",
            ),
            (
                '{"title": "T", "published_at": "June", "web_url": "u"}',
                ValidationError,
                "published_at",
                "not an ISO-8601 timestamp: 'June'",
            ),
            (
                '{"title": "T", "published_at": 5, "web_url": "u"}',
                ValidationError,
                "published_at",
                "expected an ISO-8601 string, got int",
            ),
            (
                '{"title": null, "published_at": "2020-06-11T12:00:00Z", "web_url": "u"}',
                ValidationError,
                "title",
                "required field is null",
            ),
            (
                REQUIRED + '"related": [{"title": "R", "web_url": "u", '
                '"published_at": "2020-06-11T12:00:00Z", "images": [{"url": 3}]}]}',
                ValidationError,
                "related[0].images[0].url",
                "expected str, got int",
            ),
            (
                REQUIRED + '"topics": "AI"}',
                ValidationError,
                "topics",
                "expected a list, got str",
            ),
            (
                REQUIRED + '"path": 3}',
                ValidationError,
                "path",
                "expected a path string, got int",
            ),
            (
                REQUIRED + '"extra": []}',
                ValidationError,
                "extra",
                "expected an object, got list",
            ),
            (
                REQUIRED + '"extra": {"a": {"$date": "June"}}}',
                ValidationError,
                "extra.a",
                "not a valid $date value: 'June'",
            ),
            (
                REQUIRED + '"provider": "Nasdaq"}',
                ValidationError,
                "provider",
                "expected an object, got str",
            ),
            pytest.param(
                REQUIRED + '"quality": ' + "9" * 5000 + "}",
                ParseError,
                None,
                "not readable JSON: Exceeds the limit (4300 digits)",
                id="integer-beyond-4300-digits",
            ),
            pytest.param(
                REQUIRED + '"extra": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}",
                ParseError,
                None,
                "objects and lists nest too deeply to read",
                id="nesting-beyond-the-parser",
            ),
            pytest.param(
                REQUIRED + '"extra": {"x": ' + "[" * 600 + "]" * 600 + "}}",
                ValidationError,
                "extra",
                f"objects and lists nest more than {EXTRA_DEPTH} deep",
                id="nesting-beyond-the-limit",
            ),
            pytest.param(
                REQUIRED + '"excerpt": "x\\ud800"}',
                ValidationError,
                "excerpt",
                r"lone surrogate '\ud800' is not valid Unicode",
                id="lone-surrogate-in-text",
            ),
            pytest.param(
                REQUIRED + '"topics": ["AI", "\\udce9"]}',
                ValidationError,
                "topics[1]",
                r"lone surrogate '\udce9' is not valid Unicode",
                id="file-name-byte-outside-the-path",
            ),
            pytest.param(
                REQUIRED + '"path": "a\\ud800.md"}',
                ValidationError,
                "path",
                r"lone surrogate '\ud800' is not valid Unicode",
                id="lone-surrogate-no-file-name-has",
            ),
        ],
    )
    def test_bad_line(
        self,
        tmp_path: Path,
        line: str,
        error: type[ParseError | ValidationError],
        field: str | None,
        message: str,
    ) -> None:
        """The error names the file, the line (after a good one) and the field."""
        path = tmp_path / "feed.jsonl"
        good = io.StringIO()
        SAMPLES[:1].to_jsonl(good)
        path.write_text(good.getvalue() + line + "\n", encoding="utf-8")

        with pytest.raises(error) as caught:
            newsfeed.load_jsonl(path)

        assert caught.value.source == str(path)
        assert caught.value.line == 2
        assert caught.value.field == field
        assert message in str(caught.value)

    def test_missing_required_field(self) -> None:
        """A line without a required field is a ValidationError on that line."""
        with pytest.raises(ValidationError) as caught:
            newsfeed.load_jsonl(io.StringIO('{"title": "T"}\n'))

        assert caught.value.line == 1
        assert caught.value.source is None

    def test_the_deepest_extra_a_file_holds(self) -> None:
        """Unknown keys as deep as a file allows, each level a tag's look-alike, read back.

        In a file they sit in the top mapping, under MAX_DEPTH; here each
        level takes two ({"$mapping": {"$date": ...}}), under EXTRA_DEPTH.
        """
        deepest: object = "leaf"
        for _ in range(MAX_DEPTH - 1):
            deepest = {"$date": deepest}
        feed = Feed([attrs.evolve(SAMPLES[0], extra={"x": deepest})])
        buffer = io.StringIO()

        feed.to_jsonl(buffer)

        assert_same_articles(newsfeed.load_jsonl(io.StringIO(buffer.getvalue())), feed)
        assert_same_articles(Feed.from_arrow(feed.to_arrow()), feed)

    def test_invalid_utf8(self) -> None:
        """Bytes that are not UTF-8 are a ParseError naming the line."""
        with pytest.raises(ParseError, match="<string>:1: not valid UTF-8"):
            newsfeed.load_jsonl(io.BytesIO(b'{"title": "\xff"}\n'))

    def test_unwritable_extra_writes_nothing(self, tmp_path: Path) -> None:
        """A set or a non-string key in extra raises TypeError naming it, and no file is made."""
        target = tmp_path / "feed.jsonl"
        odd = attrs.evolve(SAMPLES[1], extra={"tags": {"a", "b"}})
        keyed = attrs.evolve(SAMPLES[1], extra={"m": {1: "one"}})

        with pytest.raises(TypeError, match=r"extra\.tags: cannot write a set as JSON"):
            Feed([SAMPLES[0], odd]).to_jsonl(target)
        with pytest.raises(TypeError, match=r"extra\.m: a key must be a string"):
            Feed([keyed]).to_jsonl(target)
        assert not target.exists()


#: A file name that is not UTF-8 (Latin-1 "café.md"), as Python reads it from a folder.
LATIN1_NAME = Path(b"folder/caf\xe9.md".decode("utf-8", "surrogateescape"))


class TestShortMessages:
    """A megabyte value or key in a JSON Lines file is shown by its start, never copied whole."""

    @pytest.mark.parametrize(
        "line",
        [
            '{"title": "T", "published_at": "' + "x" * 1_000_000 + '", "web_url": "u"}',
            '{"' + "k" * 1_000_000 + '": 1, "' + "k" * 1_000_000 + '": 2}',
            REQUIRED + '"extra": {"x": {"$timestamp": "' + "y" * 1_000_000 + '"}}}',
        ],
        ids=["timestamp", "repeated-key", "tagged-extra"],
    )
    def test_messages_stay_short(self, line: str) -> None:
        """The error names file, line and field, in a message of a few hundred characters."""
        with pytest.raises(newsfeed.NewsfeedError) as caught:
            newsfeed.load_jsonl(io.StringIO(line + "\n"))

        assert len(str(caught.value)) < 300


class TestFileNamesThatAreNotUtf8:
    """A path Python keeps with surrogates: JSON Lines keep it, UTF-8-only formats name it."""

    def test_json_lines_keep_it(self, tmp_path: Path) -> None:
        """Written to a UTF-8 file as JSON escapes, the path reads back as the same bytes."""
        feed = Feed([attrs.evolve(SAMPLES[0], path=LATIN1_NAME), SAMPLES[1]])
        target = tmp_path / "feed.jsonl"

        feed.to_jsonl(target)

        text = target.read_text(encoding="utf-8")
        assert "caf\\udce9.md" in text
        back = newsfeed.load_jsonl(target)
        assert_same_articles(back, feed)
        assert back[0].path is not None
        assert bytes(back[0].path) == b"folder/caf\xe9.md"

    def test_it_is_read_from_a_folder_and_written(self, tmp_path: Path) -> None:
        """The review's case: a folder's non-UTF-8 file loads, and JSON Lines round-trips it."""
        folder = bytes(tmp_path) + b"/latin1"
        Path(os.fsdecode(folder)).mkdir()
        sample = SAMPLES[0].path
        assert sample is not None
        Path(os.fsdecode(folder + b"/caf\xe9.md")).write_bytes(sample.read_bytes())
        feed = newsfeed.load_dir(os.fsdecode(folder))
        target = tmp_path / "feed.jsonl"

        feed.to_jsonl(target)

        assert_same_articles(newsfeed.load_jsonl(target), feed)

    @pytest.mark.parametrize(
        ("export", "holder"),
        [
            (Feed.to_arrow, "an Arrow string"),
            (Feed.to_polars, "an Arrow string"),
            (Feed.to_dataframe, "a pandas string column"),
        ],
        ids=["arrow", "polars", "pandas"],
    )
    def test_utf8_only_formats_name_it(self, export: Callable[[Feed], object], holder: str) -> None:
        """Arrow, polars and pandas refuse it with a ValueError naming the article, printably."""
        feed = Feed([SAMPLES[1], attrs.evolve(SAMPLES[0], path=LATIN1_NAME)])

        with pytest.raises(ValidationError) as caught:
            export(feed)

        assert isinstance(caught.value, ValueError)
        assert caught.value.source == r"folder/caf\xe9.md"
        assert caught.value.field == "path"
        assert str(caught.value) == (
            rf"folder/caf\xe9.md: path: the file name has the byte \xe9, which is not UTF-8, "
            f"and {holder} cannot hold it"
        )


class TestLoneSurrogates:
    """Text that is not Unicode: no export writes it, and JSON Lines do not read it."""

    @pytest.mark.parametrize(
        "export",
        [
            lambda feed: feed.to_jsonl(io.StringIO()),
            Feed.to_arrow,
            Feed.to_polars,
            Feed.to_dataframe,
        ],
        ids=["jsonl", "arrow", "polars", "pandas"],
    )
    def test_no_export_writes_it(self, export: Callable[[Feed], object]) -> None:
        """A lone surrogate in text, as dumps refuses it, is a ValidationError naming the field."""
        feed = Feed([SAMPLES[1], attrs.evolve(SAMPLES[0], title="T\ud800")])

        with pytest.raises(
            ValidationError, match=r"lone surrogate '\\ud800' is not valid"
        ) as caught:
            export(feed)

        assert (caught.value.source, caught.value.field) == (str(SAMPLES[0].path), "title")

    @pytest.mark.parametrize(
        "export", [lambda feed: feed.to_jsonl(io.StringIO()), Feed.to_arrow], ids=["jsonl", "arrow"]
    )
    def test_nested_text_is_named_by_its_place(self, export: Callable[[Feed], object]) -> None:
        """In a related item, the field is named down to the item, in the file's printable name."""
        item = RelatedArticle(
            title="R\ud800", published_at=datetime(2020, 1, 1, tzinfo=UTC), web_url="u"
        )
        feed = Feed([attrs.evolve(SAMPLES[0], related=[item], path=LATIN1_NAME)])

        with pytest.raises(ValidationError) as caught:
            export(feed)

        assert (caught.value.source, caught.value.field) == (
            r"folder/caf\xe9.md",
            "related[0].title",
        )

    def test_an_escaped_backslash_is_not_one(self) -> None:
        """A backslash followed by "ud800" is plain text, read as it is."""
        line = REQUIRED + '"excerpt": "C:\\\\ud800"}\n'

        (article,) = newsfeed.load_jsonl(io.StringIO(line))

        assert article.excerpt == "C:\\ud800"

    def test_a_text_file_with_one_unescaped(self) -> None:
        """A text stream can hold a raw surrogate, which JSON cannot escape away: refused too."""
        line = REQUIRED + '"title": "x\ud800"}\n'
        line = line.replace('"title": "T", ', "")

        with pytest.raises(ValidationError, match="lone surrogate") as caught:
            newsfeed.load_jsonl(io.StringIO(line))

        assert (caught.value.line, caught.value.field) == (1, "title")


class TestArrowSchema:
    """The Arrow schema is derived from the model's fields, with typed columns."""

    def test_one_column_per_attribute_and_an_offset_per_timestamp(self) -> None:
        """The columns are the attributes in order, each timestamp followed by its offset."""
        timestamps = timestamp_fields(Article)
        expected = []
        for name in model_fields(Article):
            expected.append(name)
            if name in timestamps:
                expected.append(f"{name}_offset")

        assert arrow_schema().names == expected
        assert {"published_at", "updated_at"} <= timestamps

    def test_types(self) -> None:
        """Timestamps are UTC, topics a list of strings, nested items structs, extra text."""
        schema = arrow_schema()

        assert schema.field("published_at").type == pa.timestamp("us", tz="UTC")
        assert schema.field("published_at_offset").type == pa.int32()
        assert schema.field("topics").type == pa.list_(pa.string())
        assert schema.field("quality").type == pa.int64()
        assert schema.field("published").type == pa.bool_()
        assert schema.field("extra").type == pa.string()
        assert schema.field("updated_at").type == pa.timestamp("us", tz="UTC")
        assert schema.field("updated_at_offset").type == pa.int32()
        provider = schema.field("provider").type
        assert pa.types.is_struct(provider)
        assert [provider.field(i).name for i in range(provider.num_fields)] == model_fields(
            newsfeed.Provider
        )
        image = provider.field("images").type.value_type
        assert [field.name for field in image] == model_fields(newsfeed.Image)
        assert image.field("title").type == pa.string()
        assert schema.field("images").type == pa.list_(image)
        related = schema.field("related").type
        assert pa.types.is_list(related)
        item = related.value_type
        assert item.field("published_at").type == pa.timestamp("us", tz="UTC")
        assert item.field("published_at_offset").type == pa.int32()
        images = item.field("images").type
        assert [images.value_type.field(i).name for i in range(images.value_type.num_fields)] == (
            model_fields(newsfeed.Image)
        )

    def test_nullable_where_the_model_allows_none(self) -> None:
        """Required attributes are non-null columns; optional ones and extra are nullable."""
        schema = arrow_schema()

        assert not schema.field("title").nullable
        assert not schema.field("published_at").nullable
        assert not schema.field("topics").nullable
        assert schema.field("quality").nullable
        assert schema.field("provider").nullable
        assert schema.field("extra").nullable
        assert schema.field("path").nullable

    @pytest.mark.parametrize(
        "annotation", [frozenset[str], int | str, tuple[datetime, ...], float, dict]
    )
    def test_a_type_no_export_knows_fails_loudly(self, annotation: Any) -> None:
        """A model field of a type the exports do not know is an error, not a dropped column."""
        odd = attrs.make_class("Odd", {"tags": attrs.field(type=annotation)})

        with pytest.raises(TypeError, match=r"Odd\.tags: no export knows the type"):
            record_shape(odd)


class TestCodecs:
    """The field codecs read null timestamps and refuse what their formats cannot hold."""

    def test_null_timestamps(self) -> None:
        """An optional timestamp written as null reads back as None, in JSON and in Arrow."""
        assert Codec().decode_timestamp("at", {"at": None}, "at") is None
        assert _ArrowCodec().decode_timestamp("at", {"at": None, "at_offset": None}, "at") is None

    def test_arrow_timestamp_without_offset(self) -> None:
        """An Arrow timestamp without its offset cannot be placed in its zone."""
        with pytest.raises(DecodeError, match="at_offset: a timestamp needs its offset"):
            _ArrowCodec().decode_timestamp("at", {"at": 0, "at_offset": None}, "at")

    def test_arrow_extra_must_be_text(self) -> None:
        """Arrow's extra column holds JSON text and nothing else."""
        with pytest.raises(DecodeError, match="extra: expected JSON text, got int"):
            _ArrowCodec().decode_extra(5, "extra")


class TestArrowRoundTrip:
    """to_arrow / from_arrow and to_parquet / load_parquet give back the same articles."""

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(article=located_articles())
    def test_any_article_through_arrow(self, article: Article) -> None:
        """Every field, offset, extra, body and path survives an Arrow table."""
        assume(in_int64(article))
        feed = Feed([article, article])

        assert_same_articles(Feed.from_arrow(feed.to_arrow()), feed)

    @settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
    @given(article=located_articles())
    def test_any_article_through_parquet(self, article: Article) -> None:
        """Every field survives a Parquet file too."""
        assume(in_int64(article))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "feed.parquet"
            Feed([article]).to_parquet(path)
            assert_same_articles(newsfeed.load_parquet(path), Feed([article]))

    def test_samples_through_parquet(self, tmp_path: Path) -> None:
        """The sample folder survives a Parquet file, article for article."""
        path = tmp_path / "feed.parquet"

        SAMPLES.to_parquet(path)

        assert_same_articles(newsfeed.load_parquet(path), SAMPLES)
        assert pq.read_schema(path).names == arrow_schema().names

    def test_offsets_are_kept_beside_utc(self) -> None:
        """A -07:00 timestamp is stored as its UTC instant and -25200 seconds."""
        article = Article(
            title="T", published_at=datetime(2020, 6, 11, 5, tzinfo=PACIFIC), web_url="u"
        )

        table = Feed([article]).to_arrow()

        assert table.column("published_at").to_pylist() == [datetime(2020, 6, 11, 12, tzinfo=UTC)]
        assert table.column("published_at_offset").to_pylist() == [-25200]

    def test_extreme_dates(self) -> None:
        """Year 1 at +14:00 and year 9999 at -12:00 do not overflow on the way to UTC and back."""
        early = datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=14)))
        late = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-12)))
        feed = Feed(Article(title="T", published_at=when, web_url="u") for when in (early, late))

        assert_same_articles(Feed.from_arrow(feed.to_arrow()), feed)

    def test_extra_is_json_text(self) -> None:
        """Unknown keys are a JSON object in a string column, null when there are none."""
        article = attrs.evolve(
            SAMPLES[0], extra={"updatedDateTime": datetime(2020, 6, 12, tzinfo=UTC), "n": 1}
        )
        bare = attrs.evolve(article, extra={})

        table = Feed([article, bare]).to_arrow()

        first, second = table.column("extra").to_pylist()
        assert isinstance(first, str)
        assert json.loads(first) == {
            "updatedDateTime": {"$timestamp": "2020-06-12T00:00:00+00:00"},
            "n": 1,
        }
        assert second is None

    def test_empty_feed(self) -> None:
        """An empty feed is an empty table with the schema, and reads back empty."""
        table = Feed().to_arrow()

        assert table.num_rows == 0
        assert table.schema == arrow_schema()
        assert Feed.from_arrow(table) == Feed()

    def test_integer_beyond_64_bits(self) -> None:
        """An integer Arrow cannot hold raises OverflowError naming the field."""
        item = RelatedArticle(
            title="R", published_at=datetime(2020, 1, 1, tzinfo=UTC), web_url="u", quality=2**70
        )
        article = attrs.evolve(SAMPLES[0], related=[item])

        with pytest.raises(
            OverflowError, match=r"related\[0\]\.quality: 1180591620717411303424 does not fit"
        ):
            Feed([article]).to_arrow()

    @pytest.mark.parametrize(
        ("where", "change"),
        [
            ("heat", lambda article, big: attrs.evolve(article, heat=big)),
            (
                "images[0].height",
                lambda article, big: attrs.evolve(article, images=[newsfeed.Image("i", 1, big)]),
            ),
            (
                "provider.images[0].width",
                lambda article, big: attrs.evolve(
                    article, provider=newsfeed.Provider("P", images=[newsfeed.Image("i", big)])
                ),
            ),
        ],
    )
    def test_integer_beyond_64_bits_in_new_fields(
        self, tmp_path: Path, where: str, change: Callable[[Article, int], Article]
    ) -> None:
        """The article's own images and the provider's logos are checked as related items are."""
        article = change(SAMPLES[0], -(2**63) - 1)

        assert [place for place, value in model_integers(article) if value == -(2**63) - 1] == [
            where
        ]
        with pytest.raises(OverflowError, match=rf"^{re.escape(where)}: -9223372036854775809 "):
            Feed([article]).to_arrow()
        with pytest.raises(OverflowError, match=re.escape(where)):
            Feed([article]).to_parquet(tmp_path / "feed.parquet")
        assert not list(tmp_path.iterdir())

    def test_a_failed_write_leaves_the_old_file(self, tmp_path: Path) -> None:
        """Parquet and JSON Lines files are replaced whole or not at all, leaving no temp file."""
        item = RelatedArticle(
            title="R", published_at=datetime(2020, 1, 1, tzinfo=UTC), web_url="u", quality=2**70
        )
        too_big = Feed([attrs.evolve(SAMPLES[0], related=[item])])
        unwritable = Feed([attrs.evolve(SAMPLES[0], extra={"tags": {"a"}})])
        parquet, lines = tmp_path / "feed.parquet", tmp_path / "feed.jsonl"
        SAMPLES.to_parquet(parquet)
        SAMPLES.to_jsonl(lines)
        before = parquet.read_bytes(), lines.read_bytes()

        with pytest.raises(OverflowError):
            too_big.to_parquet(parquet)
        with pytest.raises(TypeError):
            unwritable.to_jsonl(lines)

        assert (parquet.read_bytes(), lines.read_bytes()) == before

        def disk_full(_descriptor: int) -> None:
            raise OSError(28, "No space left on device")

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("os.fsync", disk_full)
            with pytest.raises(OSError, match="No space left"):
                SAMPLES[:2].to_parquet(parquet)
            with pytest.raises(OSError, match="No space left"):
                SAMPLES[:2].to_jsonl(lines)

        assert (parquet.read_bytes(), lines.read_bytes()) == before
        assert sorted(path.name for path in tmp_path.iterdir()) == ["feed.jsonl", "feed.parquet"]
        SAMPLES[:2].to_parquet(parquet)
        assert newsfeed.load_parquet(parquet) == SAMPLES[:2]

    def test_a_table_that_is_not_articles(self) -> None:
        """Missing columns, a null in a required column or bad JSON in extra is a ValueError."""
        table = SAMPLES[:2].to_arrow()

        def replaced(name: str, values: list[object]) -> pa.Table:
            column = table.schema.field(name)
            array = pa.array(values, type=column.type)
            return table.set_column(table.schema.get_field_index(name), name, array)

        with pytest.raises(newsfeed.ValidationError, match=r"^not a table of articles: .*title"):
            Feed.from_arrow(table.drop_columns(["title"]))
        with pytest.raises(
            newsfeed.ValidationError,
            match=r"^published_at_offset: a timestamp needs its offset.*\(row 1\)$",
        ):
            Feed.from_arrow(replaced("published_at_offset", [0, None]))
        with pytest.raises(
            newsfeed.ValidationError, match=r"^title: required field is null.*\(row 1\)$"
        ):
            Feed.from_arrow(replaced("title", ["T", None]))
        with pytest.raises(newsfeed.ValidationError, match=r"^extra: not JSON.*\(row 1\)$"):
            Feed.from_arrow(replaced("extra", [None, "{"]))

    def test_parquet_not_of_articles_names_the_file(self, tmp_path: Path) -> None:
        """A Parquet file of something else is a ValidationError naming the file, as JSONL's is."""
        path = tmp_path / "other.parquet"
        pq.write_table(pa.table({"n": [1, 2]}), path)

        with pytest.raises(newsfeed.NewsfeedError) as caught:
            newsfeed.load_parquet(path)

        assert isinstance(caught.value, ValidationError)
        assert caught.value.source == str(path)
        assert str(caught.value).startswith(f"{path}: not a table of articles: ")

    def test_naive_or_odd_offsets_are_refused(self) -> None:
        """A naive timestamp, or an offset with a fraction of a second, cannot be stored."""
        with unchecked():  # Article() itself refuses a naive timestamp
            naive = Article(title="T", published_at=datetime(2020, 1, 1), web_url="u")  # noqa: DTZ001 -- the case under test
        odd = attrs.evolve(
            naive, published_at=datetime(2020, 1, 1, tzinfo=timezone(timedelta(microseconds=5)))
        )

        with pytest.raises(ValueError, match="must be timezone-aware"):
            Feed([naive]).to_arrow()
        with pytest.raises(ValueError, match="whole seconds"):
            Feed([odd]).to_arrow()


def timestamps_in(unit: Unit, kind: pa.DataType) -> pa.DataType:
    """Return *kind* with every timestamp inside it, nested ones too, in *unit* and UTC."""
    if isinstance(kind, pa.TimestampType):
        return pa.timestamp(unit, tz="UTC")
    if isinstance(kind, pa.ListType):
        return pa.list_(timestamps_in(unit, kind.value_type))
    if isinstance(kind, pa.StructType):
        return pa.struct([field.with_type(timestamps_in(unit, field.type)) for field in kind])
    return kind


def replaced(table: pa.Table, name: str, values: pa.Array[Any]) -> pa.Table:
    """Return *table* with the column *name* holding *values*, of their own type."""
    index = table.schema.get_field_index(name)
    return table.set_column(index, pa.field(name, values.type), values)


def in_unit(table: pa.Table, unit: Unit) -> pa.Table:
    """Return *table* with its timestamps in *unit*, as another tool might write it."""
    schema = pa.schema([field.with_type(timestamps_in(unit, field.type)) for field in table.schema])
    return table.cast(schema)


class TestArrowFromOtherTools:
    """A table another tool wrote reads as the instants it holds, or fails naming row and field."""

    @pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
    def test_any_timestamp_unit(self, unit: Unit) -> None:
        """Seconds, milliseconds and nanoseconds are scaled, nested timestamps and offsets too."""
        table = in_unit(SAMPLES.to_arrow(), unit)

        assert table.schema.field("published_at").type == pa.timestamp(unit, tz="UTC")
        assert_same_articles(Feed.from_arrow(table), SAMPLES)

    def test_nanoseconds_a_datetime_cannot_hold(self) -> None:
        """A fraction of a microsecond is refused naming row and field, not truncated."""
        table = in_unit(SAMPLES[:2].to_arrow(), "ns")
        ticks = table.column("published_at").cast(pa.int64()).to_pylist()
        assert ticks[1] is not None
        ticks[1] += 1
        stamps = pa.array(ticks, pa.int64()).cast(pa.timestamp("ns", tz="UTC"))

        with pytest.raises(
            newsfeed.ValidationError,
            match=rf"^published_at: {ticks[1]} ns has a fraction of a micro.*\(row 1\)$",
        ):
            Feed.from_arrow(replaced(table, "published_at", stamps))

    def test_instants_a_datetime_cannot_hold(self) -> None:
        """Seconds beyond year 9999 are refused naming row and field, not a bare OverflowError."""
        table = in_unit(SAMPLES[:2].to_arrow(), "s")
        stamps = pa.array([0, 10**15], pa.int64()).cast(pa.timestamp("s", tz="UTC"))

        with pytest.raises(
            newsfeed.ValidationError, match=r"^published_at: 1000000000000000 s after.*\(row 1\)$"
        ):
            Feed.from_arrow(replaced(table, "published_at", stamps))

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ('{"n": ' + "9" * 5000 + "}", "not readable JSON: Exceeds the limit (4300 digits)"),
            ('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nest too deeply to read"),
            ('{"x": ' + "[" * 600 + "]" * 600 + "}", f"nest more than {EXTRA_DEPTH} deep"),
        ],
        ids=["integer-beyond-4300-digits", "nesting-beyond-the-parser", "nesting-beyond-the-limit"],
    )
    def test_extra_python_cannot_read(self, text: str, message: str) -> None:
        """JSON in extra that Python cannot read is refused naming row and field."""
        table = SAMPLES[:2].to_arrow()

        with pytest.raises(
            newsfeed.ValidationError, match=rf"^extra: .*{re.escape(message)}.*\(row 1\)$"
        ):
            Feed.from_arrow(replaced(table, "extra", pa.array([None, text], pa.string())))

    def test_lone_surrogate_in_extra(self) -> None:
        """A lone surrogate escaped in extra's JSON is refused, as load_jsonl refuses it."""
        table = SAMPLES[:2].to_arrow()
        text = '{"x": ["ok", "caf\\udce9"]}'

        with pytest.raises(
            newsfeed.ValidationError, match=r"^extra\.x\[1\]: lone surrogate.*\(row 1\)$"
        ):
            Feed.from_arrow(replaced(table, "extra", pa.array([None, text], pa.string())))

    @pytest.mark.parametrize("seconds", [86_400, -86_400, 2**31 - 1])
    def test_offsets_of_a_day_or_more(self, seconds: int) -> None:
        """An offset no timezone can have is refused naming row and field."""
        table = SAMPLES[:2].to_arrow()
        offsets = pa.array([0, seconds], pa.int32())

        with pytest.raises(
            newsfeed.ValidationError,
            match=rf"^published_at_offset: {seconds} seconds is not a UTC offset.*\(row 1\)$",
        ):
            Feed.from_arrow(replaced(table, "published_at_offset", offsets))


class TestQueryEngines:
    """DuckDB queries the Parquet file directly; polars gets typed columns."""

    def test_duckdb_reads_nested_columns(self, tmp_path: Path) -> None:
        """Provider structs, topic lists, related lists and UTC timestamps query in SQL."""
        path = tmp_path / "feed.parquet"
        SAMPLES.to_parquet(path)

        rows = duckdb.execute(
            "SELECT provider.name, len(related), list_contains(topics, 'AI'), published_at "
            "FROM read_parquet(?) ORDER BY published_at LIMIT 1",
            [str(path)],
        ).fetchall()

        first = min(SAMPLES, key=lambda article: article.published_at)
        ((name, related, has_ai, published_at),) = rows
        assert first.provider is not None
        assert name == first.provider.name
        assert related == len(first.related)
        assert has_ai == ("AI" in first.topics)
        assert published_at == first.published_at

    def test_polars_types(self) -> None:
        """to_polars gives UTC datetimes, string lists and structs."""
        frame = SAMPLES.to_polars()

        assert frame.height == len(SAMPLES)
        assert frame.schema["published_at"] == pl.Datetime("us", "UTC")
        assert frame.schema["topics"] == pl.List(pl.String)
        assert isinstance(frame.schema["provider"], pl.Struct)
        assert frame["title"].to_list() == [article.title for article in SAMPLES]
        assert frame.schema["updated_at"] == pl.Datetime("us", "UTC")
        assert frame.columns == arrow_schema().names

    def test_article_without_provider_through_polars(self) -> None:
        """A polars frame nulls the children of a null provider struct; that still reads back."""
        feed = Feed([attrs.evolve(SAMPLES[0], provider=None), SAMPLES[1]])

        assert_same_articles(Feed.from_arrow(feed.to_polars().to_arrow()), feed)

    @settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
    @given(article=located_articles())
    def test_any_article_through_polars(self, article: Article) -> None:
        """A polars frame holds every field: its Arrow table reads back as the same articles."""
        assume(in_int64(article))
        feed = Feed([article, article])

        assert_same_articles(Feed.from_arrow(feed.to_polars().to_arrow()), feed)


class TestMissingExtras:
    """Without the optional packages the ImportError names the extra to install."""

    @pytest.mark.parametrize(
        ("module", "call", "extra"),
        [
            ("pyarrow", SAMPLES.to_arrow, "pyarrow"),
            # None for a table, on purpose: the missing extra is reported before it is looked at.
            ("pyarrow", lambda: Feed.from_arrow(None), "pyarrow"),  # type: ignore[arg-type]
            ("pyarrow.parquet", lambda: SAMPLES.to_parquet("x.parquet"), "pyarrow"),
            ("pyarrow.parquet", lambda: newsfeed.load_parquet("x.parquet"), "pyarrow"),
            ("polars", SAMPLES.to_polars, "polars"),
        ],
    )
    def test_names_the_extra(
        self, monkeypatch: pytest.MonkeyPatch, module: str, call: Callable[[], object], extra: str
    ) -> None:
        """The message says which call needs what, and the pip command for the extra."""
        monkeypatch.setitem(sys.modules, module, None)

        with pytest.raises(
            ImportError, match=rf"pip install 'newsfeed-articles\[{extra}\]'"
        ) as caught:
            call()

        assert caught.value.name == module
