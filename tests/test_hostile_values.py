"""Hostile values in the front matter: refused by name, quickly, and never changed.

Each class is one defect found by an adversarial run: a tag that crashed or
coerced, a number that cost minutes or could not be written back, a timestamp
cut short, a line number that was off, a loader that disagreed with the other.
Every test runs with both of PyYAML's loaders (libyaml's and the pure-Python one).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

import newsfeed
from newsfeed._format import line_scalars, safe_yaml, scalars
from newsfeed._format.yaml_scalars import MAX_INT_DIGITS

pytestmark = pytest.mark.usefixtures("yaml_loader")

HEAD = 'title: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n'
#: The line of the first key after HEAD, as _file wraps it.
FIRST_LINE = 5


def _file(front_matter: str) -> str:
    """Wrap *front_matter* (after the required keys) in fences."""
    return f"---\n{HEAD}{front_matter}---\n"


def _parse_error(text: str) -> newsfeed.ParseError:
    """Load *text* as hostile.md and return the ParseError, checking it names the file."""
    with pytest.raises(newsfeed.ParseError) as caught:
        newsfeed.loads(text, source="hostile.md")
    error = caught.value
    assert error.source == "hostile.md"
    assert str(error).startswith(f"hostile.md:{error.line}: ")
    return error


def _validation_error(text: str) -> newsfeed.ValidationError:
    """Load *text* as hostile.md and return the ValidationError."""
    with pytest.raises(newsfeed.ValidationError) as caught:
        newsfeed.loads(text, source="hostile.md")
    assert caught.value.source == "hostile.md"
    return caught.value


class TestCoreTagsWithBadValues:
    """Issue 11, item 1: a core tag on a value it cannot build was a raw KeyError or IndexError."""

    @pytest.mark.parametrize(
        "value",
        ["!!bool maybe", "!!timestamp x", '!!int ""', '!!float ""', '!!int "-"'],
    )
    def test_core_tag_with_bad_value_is_a_parse_error(self, value: str) -> None:
        """The file, the field and the line are named; no KeyError or IndexError escapes."""
        error = _parse_error(_file(f"x: {value}\n"))

        assert error.field == "x"
        assert error.line == FIRST_LINE
        assert "tags are not allowed" in error.reason

    def test_core_tag_with_bad_value_in_a_folder_fails_that_file_only(self, tmp_path: Path) -> None:
        """load_dir(errors="skip") reports the file and loads the others."""
        (tmp_path / "bad.md").write_text(_file("x: !!bool maybe\n"), encoding="utf-8")
        (tmp_path / "good.md").write_text(_file(""), encoding="utf-8")

        feed = newsfeed.load_dir(tmp_path, errors="skip")

        assert len(feed) == 1
        [failure] = feed.failures
        assert isinstance(failure.error, newsfeed.ParseError)
        assert failure.error.field == "x"


class TestShortMessages:
    """A megabyte-long value, name or key is never copied whole into an error message."""

    @pytest.mark.parametrize(
        "front",
        [
            '? "{big}"\n: 1\n? "{big}"\n: 2\n',
            "x: &{big} 1\n",
            "x: *{big}\n",
            "x: !{big} 1\n",
        ],
        ids=["duplicate-key", "anchor", "alias", "tag"],
    )
    def test_refusals_cut_what_they_show(self, front: str) -> None:
        """Anchors, aliases, tags and duplicate keys: the message shows their start only."""
        big = "a" * 1_000_000
        error = _parse_error(_file(front.replace("{big}", big)))

        assert len(str(error)) < 400

    def test_a_timestamp_that_is_not_one(self) -> None:
        """A megabyte of text where a timestamp belongs: the message shows its start only."""
        text = '---\ntitle: T\nwebUrl: u\npublishedDateTime: "' + "x" * 1_000_000 + '"\n---\n'

        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.loads(text)

        assert len(str(caught.value)) < 200
        assert caught.value.field == "publishedDateTime"


class TestCachesStaySmall:
    """What the readers and the writer remember for speed never holds a long text."""

    def test_long_plain_values_are_not_remembered(self) -> None:
        """A megabyte plain value and list item, once read, are in no cache of the reader.

        The caches live as long as the process: bounded by entries alone,
        forty such files kept 300 MB after their articles were gone.
        """
        long = "y" * 1_000_000
        text = _file(f"category: a{long}\ntopics:\n  - b{long}\n")

        article = newsfeed.loads(text)

        assert article.category == f"a{long}"
        for cache in (
            line_scalars.PLAIN_VALUES,
            line_scalars.PLAIN_LINES,
            line_scalars.PLAIN_ITEMS,
        ):
            assert max(map(len, cache), default=0) < len(long)

    def test_long_keys_are_not_remembered(self) -> None:
        """A long key (YAML allows 1,024 characters), read, is in no cache of keys or heads."""
        key = "k" * 1000

        article = newsfeed.loads(_file(f"{key}: 1\n"))

        assert article.extra[key] == 1
        for cache in (line_scalars.KEYS, line_scalars.HEADS):
            assert max(map(len, cache), default=0) < len(key)

    def test_long_texts_are_not_remembered_by_the_writer(self) -> None:
        """The writer's check of a plain text keeps no reference to a long one."""
        long = "z" * 1_000_000 + " unique to this test"
        references = sys.getrefcount(long)

        assert scalars.is_plain_safe(long)

        assert sys.getrefcount(long) == references


class TestZeroPaddedNumbers:
    """YAML 1.1 reads a zero-padded integer as octal: a slip that must not pass silently."""

    @pytest.mark.parametrize(
        ("value", "octal"), [("054", 44), ("010", 8), ("-07", -7), ("0_12", 10)]
    )
    def test_zero_padded_integer_is_refused(self, value: str, octal: int) -> None:
        """quality: 054 is a ParseError naming the field, not 44 written back as 44."""
        error = _parse_error(_file(f"quality: {value}\n"))

        assert error.reason.startswith(f"zero-padded number {value!r} is not allowed")
        assert f"octal, {octal})" in error.reason
        assert (error.field, error.line) == ("quality", FIRST_LINE)

    @pytest.mark.parametrize("value", ["0", "'054'", "0x10", "054.5", "08"])
    def test_other_spellings_are_read_as_before(self, value: str) -> None:
        """Zero, a quoted text, hex, a float and 08 (no octal) are what they always were."""
        article = newsfeed.loads(_file(f"x: {value}\n"))

        assert article.extra["x"] == {"0": 0, "'054'": "054", "0x10": 16, "054.5": 54.5}.get(
            value, "08"
        )


class TestSexagesimalNumbers:
    """Issue 11, item 3: YAML 1.1 base-60 numbers cost quadratic time in PyYAML; refused."""

    @pytest.mark.parametrize("value", ["1:30", "-1:30", "190:20:30", "1:30.5", "+1:1:1:1.5"])
    def test_sexagesimal_number_is_refused(self, value: str) -> None:
        """A base-60 integer or float is a ParseError naming the field: 1:30 is not silently 90."""
        error = _parse_error(_file(f"duration: {value}\n"))

        assert error.reason.startswith(f"base-60 number {value!r} is not allowed")
        assert error.field == "duration"
        assert error.line == FIRST_LINE

    def test_sexagesimal_publish_time_is_refused(self) -> None:
        """publishedDateTime: 12:02 (a base-60 integer to YAML 1.1) is refused, not read as 722."""
        text = "---\ntitle: T\npublishedDateTime: 12:02\nwebUrl: u\n---\n"

        error = _parse_error(text)

        assert error.field == "publishedDateTime"
        assert error.line == 3

    @pytest.mark.parametrize("value", ["'1:30'", '"1:30"', "1:30 min", "1:3a"])
    def test_sexagesimal_text_is_kept(self, value: str) -> None:
        """Quoted, or not a number at all, the text is kept as it is."""
        article = newsfeed.loads(_file(f"duration: {value}\n"))

        assert article.extra["duration"] == value.strip("'\"")

    def test_megabyte_of_sexagesimal_is_refused_quickly(self, yaml_loader: str) -> None:
        """A 1 MB base-60 number (43 s before the fix) is refused within a generous guard.

        Run in a child process so that the guard can stop it: a timeout, not a
        timed assertion, so a busy machine cannot make it flaky.
        """
        script = textwrap.dedent(
            f"""
            import newsfeed
            from newsfeed._format import line_scalars, safe_yaml, scalars
            safe_yaml._force_pure_python = {yaml_loader == "pure"}
            text = {HEAD!r}
            text = "---\\n" + text + "x: 1" + ":1" * 500_000 + "\\n---\\n"
            try:
                newsfeed.loads(text)
            except newsfeed.ParseError as error:
                print(error.field, error.reason[:14])
            """
        )

        done = subprocess.run(  # noqa: S603 -- this interpreter, running the script above
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True
        )

        assert done.stdout == "x base-60 number\n"


class TestHugeIntegers:
    """Issue 11, item 5: integers too long to write back are refused when read."""

    @pytest.mark.parametrize(
        "value",
        [
            "0x" + "f" * 4000,
            "0" + "7" * 5000,
            "0b" + "1" * 15_000,
            "-0x" + "f" * 4000,
            "1" * (MAX_INT_DIGITS + 1),
            "1_" * 10_000,
        ],
        ids=["hex", "octal", "binary", "negative hex", "decimal", "underscores"],
    )
    def test_integer_over_python_digit_limit_is_refused(self, value: str) -> None:
        """Hex, octal, binary or decimal, the error names the field and the line."""
        error = _parse_error(_file(f"big: {value}\n"))

        # A zero-padded one is refused as such before its size counts.
        assert error.reason.startswith(("integer ", "zero-padded number "))
        assert error.field == "big"
        assert error.line == FIRST_LINE
        # A megabyte of digits is not repeated in the message.
        assert len(str(error)) < 200

    @pytest.mark.parametrize(
        "value",
        ["9" * MAX_INT_DIGITS, "-" + "9" * MAX_INT_DIGITS, "0x" + "f" * 3000],
        ids=["decimal", "negative", "hex"],
    )
    def test_integer_at_the_limit_is_written_back(self, value: str) -> None:
        """An integer of MAX_INT_DIGITS digits loads, and dumps and loads unchanged."""
        article = newsfeed.loads(_file(f"big: {value}\n"))

        assert article.extra["big"] == int(value, 0)
        assert newsfeed.loads(newsfeed.dumps(article)) == article


class TestFractionsOfASecond:
    """Issue 11, item 6: fractions past six digits were cut to microseconds; now refused."""

    @pytest.mark.parametrize(
        ("front_matter", "field", "line"),
        [
            (
                "---\ntitle: T\npublishedDateTime: 2020-01-01T00:00:00.1234567Z\nwebUrl: u\n---\n",
                "publishedDateTime",
                3,
            ),
            (_file("updatedDateTime: 2020-01-01T00:00:00.1234567Z\n"), "updatedDateTime", 5),
            (
                _file(
                    "related:\n  - title: R\n    webUrl: r\n"
                    "    publishedDateTime: 2020-01-01 00:00:00.1234567890 +01:00\n"
                ),
                "related[0].publishedDateTime",
                8,
            ),
        ],
        ids=["publishedDateTime", "extra", "related"],
    )
    def test_fraction_past_microseconds_is_refused(
        self, front_matter: str, field: str, line: int
    ) -> None:
        """A timestamp with seven or more digits of fractions is a ParseError naming the field."""
        error = _parse_error(front_matter)

        assert "more than 6 digits of fractions of a second" in error.reason
        assert error.field == field
        assert error.line == line

    def test_quoted_fraction_past_microseconds_in_extra_is_kept_as_text(self) -> None:
        """Quoted in an unknown key, the timestamp is text, kept whole and written back."""
        article = newsfeed.loads(_file('lastSeen: "2020-01-01T00:00:00.1234567Z"\n'))

        assert article.extra["lastSeen"] == "2020-01-01T00:00:00.1234567Z"
        assert "2020-01-01T00:00:00.1234567Z" in newsfeed.dumps(article)

    def test_quoted_fraction_past_microseconds_in_publish_time_is_refused(self) -> None:
        """Quoted in publishedDateTime, it is a ValidationError, not a cut datetime."""
        text = '---\ntitle: T\npublishedDateTime: "2020-01-01T00:00:00.1234567Z"\nwebUrl: u\n---\n'

        error = _validation_error(text)

        assert "more than 6 digits of fractions of a second" in error.reason
        assert error.field == "publishedDateTime"
        assert error.line == 3

    def test_six_digits_are_kept(self) -> None:
        """Microseconds, the most a datetime holds, are read and written back unchanged."""
        article = newsfeed.loads(_file("lastSeen: 2020-01-01T00:00:00.123456Z\n"))

        assert article.extra["lastSeen"] == datetime(2020, 1, 1, 0, 0, 0, 123456, tzinfo=UTC)
        assert newsfeed.loads(newsfeed.dumps(article)) == article


class TestLinesAsAnEditorCountsThem:
    """Issue 11, item 9: YAML's extra line breaks (CR, NEL, U+2028, U+2029) shifted error lines."""

    BREAKS = pytest.mark.parametrize(
        "char", ["\r", "\x85", "\u2028", "\u2029"], ids=["CR", "NEL", "LS", "PS"]
    )

    @BREAKS
    def test_parse_error_line_counts_only_newlines(self, char: str) -> None:
        """A duplicate key after a value holding YAML line breaks is on the editor's line."""
        front_matter = f'note: "a{char}b{char}c"\nquality: 1\nquality: 2\n'

        error = _parse_error(_file(front_matter))

        assert error.reason == "duplicate key 'quality'"
        assert error.line == FIRST_LINE + 2

    @BREAKS
    def test_yaml_syntax_error_line_counts_only_newlines(self, char: str) -> None:
        """A syntax error's line (from libyaml's mark) is the editor's line too."""
        error = _parse_error(_file(f'note: "a{char}{char}b"\nother: [1, 2\n'))

        assert error.reason.startswith("invalid YAML")
        assert error.line == FIRST_LINE + 2

    @BREAKS
    def test_validation_error_line_counts_only_newlines(self, char: str) -> None:
        """A validation error's line (found by key path) is the editor's line too."""
        error = _validation_error(_file(f'note: "a{char}b"\n\nquality: "54"\n'))

        assert error.field == "quality"
        assert error.line == FIRST_LINE + 2

    def test_crlf_is_one_line_end(self) -> None:
        """In a CRLF file, CR LF ends one line, as an editor counts it."""
        text = _file("quality: 1\nquality: 2\n").replace("\n", "\r\n")

        assert _parse_error(text).line == FIRST_LINE + 1


class TestBothLoaders:
    """Issue 11, item 10: without libyaml, some errors escaped and some values differed."""

    @pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9f", "\ufffe"])
    def test_control_character_is_a_parse_error(self, char: str) -> None:
        """A raw control character is a ParseError (was yaml.reader.ReaderError without libyaml)."""
        error = _parse_error(_file(f"locale: a{char}b\n"))

        assert error.reason == (
            f"invalid YAML: character U+{ord(char):04X} is not allowed (a control character)"
        )
        assert error.line == FIRST_LINE

    @pytest.mark.parametrize(
        ("lines", "at"), [("\ufefftitle: x\n", 1), ("topics:\n\ufeff  - x\n", 2)]
    )
    def test_byte_order_mark_starting_a_line(self, lines: str, at: int) -> None:
        """A U+FEFF that starts a line: libyaml skipped it and the pure scanner read it."""
        error = _parse_error(_file(f"locale: a\n{lines}"))

        assert error.reason == (
            "invalid YAML: a byte-order mark (U+FEFF) is allowed only at the start of the file"
        )
        assert error.line == FIRST_LINE + at

    @pytest.mark.parametrize("escape", ["\\U00110000", "\\UFFFFFFFF", "\\ud800", "\\udfff"])
    def test_escape_outside_unicode_is_a_parse_error(self, escape: str) -> None:
        """An escape past U+10FFFF (was a bare ValueError) or of a surrogate is a ParseError."""
        error = _parse_error(_file(f'locale: "a{escape}"\n'))

        assert error.reason == "invalid YAML: found invalid Unicode character escape code"
        assert error.line == FIRST_LINE

    def test_empty_tag_is_refused(self) -> None:
        """`title: !` was '' with libyaml and null without: now refused by both."""
        error = _parse_error("---\ntitle: !\npublishedDateTime: 2020-01-01\nwebUrl: u\n---\n")

        assert error.field == "title"
        assert error.line == 2

    @pytest.mark.parametrize("front_matter", ["x: a\tb\n", "x\ty: a\n", "x:\ta\n"])
    def test_tab_outside_quotes_needs_libyaml(self, yaml_loader: str, front_matter: str) -> None:
        """The one known difference left: a tab between tokens or in a plain scalar.

        YAML allows it and libyaml reads it; PyYAML's pure-Python scanner
        refuses it. newsfeed does not patch the scanner: without libyaml, such
        a file is a ParseError on the tab's line (quote the value to keep it).
        """
        if yaml_loader == "libyaml":
            assert newsfeed.loads(_file(front_matter)).extra
        else:
            error = _parse_error(_file(front_matter))
            assert error.reason == "invalid YAML: found character '\\t' that cannot start any token"
            assert error.line == FIRST_LINE

    @pytest.mark.parametrize(
        "front_matter",
        [
            "x: [1, 2\n",
            "x: {a: 1\n",
            'x: "unclosed\n',
            "x: 'x\n",
            'x: "\\q"\n',
            'x: "\\x4"\n',
            "x: |\n  b\n c\n",
            "x:\n  - 1\n  y: 2\n",
            "\tx: 1\n",
            "x: b: c\n",
            "x: @at\n",
            "x: `tick\n",
            "? [k]\n: v\n",
            "x: &a 1\n",
            "x: *a\n",
            "x: !!python/name:os.system\n",
            "...\n--- [a]\n",
            "x: 1:30\n",
            "x: 0x" + "f" * 4000 + "\n",
            "x: 2020-01-01T00:00:00.1234567\n",
            "x: 2020-02-30\n",
        ],
    )
    def test_both_loaders_give_the_same_error(self, front_matter: str) -> None:
        """Each loader raises a ParseError with the same line and field.

        The reason is the same too, except for YAML syntax errors, worded by
        each parser in its own way.
        """
        text = _file(front_matter)
        errors = []
        for pure in (False, True):
            safe_yaml._force_pure_python = pure
            errors.append(_parse_error(text))
        [with_libyaml, pure_python] = errors

        assert (with_libyaml.line, with_libyaml.field) == (pure_python.line, pure_python.field)
        if not with_libyaml.reason.startswith("invalid YAML: "):
            assert with_libyaml.reason == pure_python.reason


class TestExplicitTags:
    """Issue 11, item 11: explicit tags coerced values (`!!int "54"`, `!!null text`)."""

    @pytest.mark.parametrize(
        ("front_matter", "field", "line"),
        [
            ('quality: !!int "54"\n', "quality", 5),
            ('published: !!bool "false"\n', "published", 5),
            ('x: !!null "important text"\n', "x", 5),
            ("x: !!str 5\n", "x", 5),
            ("x: ! text\n", "x", 5),
            ("x: !local text\n", "x", 5),
            ("x: !!seq [a]\n", "x", 5),
            ("provider:\n  name: !!str P\n", "provider.name", 6),
            ("topics:\n  - a\n  - !!str b\n", "topics[1]", 7),
        ],
    )
    def test_explicit_tag_is_refused(self, front_matter: str, field: str, line: int) -> None:
        """Every explicit tag, core or local, is a ParseError naming the field and the line."""
        error = _parse_error(_file(front_matter))

        assert error.reason.startswith("tags are not allowed (!")
        assert error.field == field
        assert error.line == line

    def test_safe_dump_quoted_style_is_refused(self) -> None:
        """yaml.safe_dump(default_style='"') tags its numbers (`!!int "54"`): refused, by name."""
        text = "---\n" + yaml.safe_dump({"title": "T", "quality": 54}, default_style='"') + "---\n"

        error = _parse_error(text)

        assert error.reason == "tags are not allowed (!!int); values are plain"
        assert error.field == "quality"


_NOT_THE_FORMAT = "not a timestamp of the format (such as 2020-06-11T12:02:00Z): "


class TestQuotedTimestamps:
    """Issue 11, item 11: a quoted publishedDateTime must spell the format's own timestamp."""

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ('"2020-W24-4"', _NOT_THE_FORMAT),
            ('" 20200611T1202 "', _NOT_THE_FORMAT),
            ('"20200611"', _NOT_THE_FORMAT),
            ('"2020-06-11T12:02"', _NOT_THE_FORMAT),
            ('" 2020-06-11T12:02:00Z "', _NOT_THE_FORMAT),
            ('"2020-06-11T12:02:00+0530"', _NOT_THE_FORMAT),
            ('"\uff12\uff10\uff12\uff10-06-11"', "not an ISO-8601 timestamp"),
        ],
    )
    def test_quoted_timestamp_outside_the_format_is_refused(self, value: str, reason: str) -> None:
        """Week dates, the basic form, padding, a missing second, non-ASCII digits are refused."""
        error = _validation_error(f"---\ntitle: T\npublishedDateTime: {value}\nwebUrl: u\n---\n")

        assert error.reason.startswith(reason)
        assert error.field == "publishedDateTime"
        assert error.line == 3

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ('"2020-06-11T12:02:00Z"', datetime(2020, 6, 11, 12, 2, tzinfo=UTC)),
            ("'2020-06-11T12:02:00.5-07:00'", datetime(2020, 6, 11, 19, 2, 0, 500_000, tzinfo=UTC)),
            ('"2020-06-11 12:02:00"', datetime(2020, 6, 11, 12, 2, tzinfo=UTC)),
            ('"2020-06-11"', datetime(2020, 6, 11, tzinfo=UTC)),
        ],
    )
    def test_quoted_timestamp_in_the_format_is_read(self, value: str, expected: datetime) -> None:
        """The format's timestamp, quoted, reads as it would unquoted (as from_dict takes it)."""
        text = f"---\ntitle: T\npublishedDateTime: {value}\nwebUrl: u\n---\n"

        assert newsfeed.loads(text).published_at == expected
