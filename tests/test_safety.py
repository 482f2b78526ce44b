"""Hostile input: each case a fast ParseError, and no input escapes as another exception."""

from __future__ import annotations

import contextlib
import gc
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings

import newsfeed
from newsfeed._format.reading import MAX_FILE_BYTES
from newsfeed._format.safe_yaml import MAX_DEPTH
from strategies import mutated_bytes, mutated_texts
from warnings_support import only_newsfeed_warnings

# Each class but TestMemory (which is about what newsfeed keeps, whatever parses)
# runs with both of PyYAML's loaders, libyaml's and the pure-Python one.
WITH_EACH_LOADER = pytest.mark.usefixtures("yaml_loader")

HEAD = 'title: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n'


def _file(front_matter: str) -> str:
    """Wrap *front_matter* (after the required keys) in fences."""
    return f"---\n{HEAD}{front_matter}---\n"


def _line_of_key(front_matter: str, key: str) -> int:
    """Return the file line of *key* in *front_matter* as _file wraps it."""
    return 5 + front_matter[: front_matter.index(key)].count("\n")


def _parse_error(text: str | bytes) -> newsfeed.ParseError:
    with pytest.raises(newsfeed.ParseError) as caught:
        newsfeed.loads(text, source="hostile.md")
    error = caught.value
    assert error.source == "hostile.md"
    assert str(error).startswith("hostile.md")
    # Nothing of yaml's internals is chained to the error a caller sees.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    return error


@WITH_EACH_LOADER
class TestTags:
    """Every explicit tag is refused: Python's, YAML's own, local ones."""

    @pytest.mark.parametrize(
        "value",
        [
            "!!python/object/apply:os.system ['echo pwned']",
            "!!python/object:__main__.Exploit {}",
            "!!python/name:os.system",
            "!!python/tuple [1, 2]",
            "!!python/bytes aGk=",
            "!!python/module:os",
        ],
    )
    def test_python_tags(self, value: str) -> None:
        """Python tags are refused, naming the tag and its line."""
        error = _parse_error(_file(f"locale: {value}\n"))

        assert "python/" in error.reason
        assert "not allowed" in error.reason
        assert error.line == 5

    @pytest.mark.parametrize(
        "value",
        [
            "!!binary aGk=",
            "!!set {a: null}",
            "!!omap [a: 1]",
            "!!pairs [a: 1]",
            "!custom value",
            "!<tag:example.com,2000:app/foo> bar",
            "!custom [a]",
            "!custom {a: 1}",
        ],
    )
    def test_non_core_tags(self, value: str) -> None:
        """Tags outside YAML's core types (binary, set, omap, local tags) are refused."""
        assert _parse_error(_file(f"locale: {value}\n")).line == 5

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            ("!!str 5", "!!str"),
            ("!!int '5'", "!!int"),
            ("!!bool 'true'", "!!bool"),
            ("!!null ''", "!!null"),
            ("!!float '1.5'", "!!float"),
            ("!!timestamp '2020-01-01'", "!!timestamp"),
            ("!!seq [a]", "!!seq"),
            ("!!map {a: 1}", "!!map"),
            ("! plain", "!"),
            ("!", "!"),
        ],
    )
    def test_core_tags_refused(self, value: str, shown: str) -> None:
        """Even YAML's core tags are refused: the format's values are plain, never coerced."""
        error = _parse_error(_file(f"locale: {value}\n"))

        assert error.reason == f"tags are not allowed ({shown}); values are plain"
        assert error.field == "locale"
        assert error.line == 5

    def test_tagged_key(self) -> None:
        """A tag on a key is checked like a tag on a value."""
        assert _parse_error(_file("!!python/name:os.system : x\n")).line == 5


@WITH_EACH_LOADER
class TestAnchorsAliasesMerges:
    """Anchors, aliases and merge keys are refused before anything is expanded."""

    def test_anchor(self) -> None:
        """An anchor alone is refused."""
        error = _parse_error(_file("locale: &lang en-us\n"))

        assert error.reason == "anchors are not allowed (&lang)"
        assert error.line == 5

    def test_alias(self) -> None:
        """An alias is refused (its anchor, first)."""
        error = _parse_error(_file("a: &x 1\nb: *x\n"))

        assert "anchors are not allowed" in error.reason

    def test_alias_without_anchor(self) -> None:
        """An alias to nothing is a ParseError too."""
        assert _parse_error(_file("b: *x\n")).line == 5

    def test_merge_key(self) -> None:
        """A merge key is refused, even without an alias."""
        error = _parse_error(_file("provider:\n  <<: {name: P}\n"))

        assert error.reason == "merge keys (<<) are not allowed"
        assert error.line == 6

    def test_quoted_merge_key_is_a_key(self) -> None:
        """A quoted "<<" is an ordinary key, not a merge."""
        assert newsfeed.loads(_file('"<<": 1\n')).extra == {"<<": 1}

    def test_billion_laughs(self) -> None:
        """The "billion laughs" alias bomb is refused at its first anchor."""
        bomb = "".join(
            f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]\n" for level in range(1, 10)
        )
        error = _parse_error(_file('l0: &l0 "lol"\n' + bomb))

        assert error.line == 5

    def test_merge_bomb(self) -> None:
        """A merge-key bomb is refused too."""
        text = _file("a: &a {x: 1}\nb: {<<: [*a, *a, *a]}\n")

        _parse_error(text)


@WITH_EACH_LOADER
class TestNesting:
    """Deep nesting is refused, without recursion, however deep."""

    @pytest.mark.parametrize(
        "value",
        [
            "[" * 100_000,
            "[" * 100_000 + "]" * 100_000,
            "{a: " * 100_000,
            "- " * 10_000,
        ],
        ids=["unclosed flow lists", "closed flow lists", "flow mappings", "block lists"],
    )
    def test_deep(self, value: str) -> None:
        """100k levels of nesting are a ParseError, not a crash of the C parser."""
        error = _parse_error(_file(f"deep: {value}\n"))

        assert f"deeper than {MAX_DEPTH}" in error.reason or "invalid YAML" in error.reason

    def test_deep_block_mappings(self) -> None:
        """Block mappings nested past the limit name the line where the limit is crossed."""
        nested = "".join("  " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 5))
        error = _parse_error(_file(nested + "  " * (MAX_DEPTH + 5) + "v\n"))

        # The top-level mapping is level 1, so the value of k63, which starts
        # on k64's line, is level 65: one past the limit.
        assert error.reason == f"nesting is deeper than {MAX_DEPTH} levels"
        assert error.line == _line_of_key(nested, f"k{MAX_DEPTH}:")

    def test_at_the_limit(self) -> None:
        """Nesting up to the limit is fine, and is written back."""
        depth = MAX_DEPTH - 1  # the front matter itself is the first level
        article = newsfeed.loads(_file("deep: " + "[" * depth + "]" * depth + "\n"))
        value = article.extra["deep"]
        for _ in range(depth - 1):
            value = value[0]

        assert value == []
        assert newsfeed.loads(newsfeed.dumps(article)) == article

    def test_one_past_the_limit(self) -> None:
        """One level more than the limit is refused."""
        depth = MAX_DEPTH
        error = _parse_error(_file("deep: " + "[" * depth + "]" * depth + "\n"))

        assert error.reason == f"nesting is deeper than {MAX_DEPTH} levels"


@WITH_EACH_LOADER
class TestKeys:
    """Keys are unique strings."""

    def test_duplicate_top_level(self) -> None:
        """A repeated top-level key is refused, naming it and the line of the repeat."""
        error = _parse_error(_file("quality: 1\nquality: 2\n"))

        assert error.reason == "duplicate key 'quality'"
        assert error.line == 6

    def test_duplicate_required(self) -> None:
        """A repeated title is refused, not silently replaced by the second one."""
        assert _parse_error(_file('title: "Other"\n')).line == 5

    def test_duplicate_nested(self) -> None:
        """A repeated key in a nested mapping is refused."""
        error = _parse_error(_file("provider:\n  name: A\n  domain: a\n  name: B\n"))

        assert error.reason == "duplicate key 'name'"
        assert error.line == 8

    def test_duplicate_in_flow_mapping(self) -> None:
        """A repeated key in a flow mapping is refused."""
        assert _parse_error(_file("provider: {name: A, name: B}\n")).line == 5

    def test_same_key_in_sibling_mappings(self) -> None:
        """The same key in two different mappings is not a duplicate."""
        text = _file(
            "related:\n  - {title: A, webUrl: a, publishedDateTime: 2020-01-01}\n"
            "  - {title: B, webUrl: b, publishedDateTime: 2020-01-02}\n"
        )

        assert [item.title for item in newsfeed.loads(text).related] == ["A", "B"]

    @pytest.mark.parametrize(
        ("key", "shown"),
        [
            ("5", "5"),
            ("1.5", "1.5"),
            ("true", "True"),
            ("null", "None"),
            ("~", "None"),
            ("2020-01-01", "datetime.date(2020, 1, 1)"),
        ],
    )
    def test_non_string_scalar_key(self, key: str, shown: str) -> None:
        """A key YAML reads as a number, bool, null or date is refused."""
        error = _parse_error(_file(f"{key}: x\n"))

        assert error.reason == f"mapping keys must be strings, not {shown}"
        assert error.line == 5

    @pytest.mark.parametrize("key", ["? [a, b]\n: x\n", "? {a: b}\n: x\n", "[a]: x\n"])
    def test_collection_key(self, key: str) -> None:
        """A list or mapping as a key is refused."""
        error = _parse_error(_file(key))

        assert "keys must be strings" in error.reason or "invalid YAML" in error.reason

    def test_quoted_scalar_keys_are_strings(self) -> None:
        """Quoted keys that look like other types are strings, and are kept."""
        article = newsfeed.loads(_file("'5': a\n\"true\": b\n"))

        assert article.extra == {"5": "a", "true": "b"}


@WITH_EACH_LOADER
class TestEncodingAndSize:
    """Only valid UTF-8 of a sane size is read."""

    @pytest.mark.parametrize(
        "bad",
        [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80"],
        ids=["invalid byte", "truncated sequence", "encoded surrogate", "overlong", "5 bytes"],
    )
    def test_invalid_utf8(self, bad: bytes) -> None:
        """Bytes that are not UTF-8 are a ParseError naming the offset and the line."""
        data = _file("locale: x\n").encode("utf-8").replace(b"x", bad, 1)
        error = _parse_error(data)

        assert error.reason.startswith("not valid UTF-8")
        assert error.line == 5

    def test_invalid_utf8_in_file(self, tmp_path: Path) -> None:
        """Loading from disk names the file in the UTF-8 error."""
        path = tmp_path / "latin1.md"
        path.write_bytes(_file("locale: é\n").encode("latin-1"))

        with pytest.raises(newsfeed.ParseError) as caught:
            newsfeed.load(path)

        assert caught.value.source == str(path)
        assert str(caught.value).startswith(f"{path}:5: not valid UTF-8")

    def test_utf16_is_refused(self) -> None:
        """A UTF-16 file is not silently misread."""
        _parse_error(_file("locale: x\n").encode("utf-16"))

    def test_large_text(self) -> None:
        """Text over MAX_FILE_BYTES is refused before it is parsed."""
        text = _file("locale: x\n") + "x" * MAX_FILE_BYTES
        error = _parse_error(text)

        assert str(MAX_FILE_BYTES) in error.reason
        assert error.line is None

    def test_large_bytes(self) -> None:
        """Bytes over MAX_FILE_BYTES are refused before they are decoded."""
        data = _file("locale: x\n").encode("utf-8") + b"\xff" * MAX_FILE_BYTES

        assert "larger" in _parse_error(data).reason or "longer" in _parse_error(data).reason

    def test_large_file(self, tmp_path: Path) -> None:
        """A file over MAX_FILE_BYTES on disk is refused, naming it."""
        path = tmp_path / "huge.md"
        path.write_bytes(_file("locale: x\n").encode("utf-8") + b"x" * MAX_FILE_BYTES)

        with pytest.raises(newsfeed.ParseError) as caught:
            newsfeed.load(path)

        assert caught.value.source == str(path)
        assert str(MAX_FILE_BYTES) in caught.value.reason

    def test_file_at_the_limit(self, tmp_path: Path) -> None:
        """A file of exactly MAX_FILE_BYTES is read."""
        head = _file("").encode("utf-8") + b"\n"
        path = tmp_path / "big.md"
        path.write_bytes(head + b"x" * (MAX_FILE_BYTES - len(head)))

        assert len(newsfeed.load(path).body) == MAX_FILE_BYTES - len(head)

    @pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\ufffe"])
    def test_control_characters_in_yaml(self, char: str) -> None:
        """Raw control characters YAML does not allow are a ParseError, not a crash."""
        assert _parse_error(_file(f"locale: a{char}b\n")).line == 5

    def test_lone_surrogate_in_text(self) -> None:
        """Text built in code with a lone surrogate in the front matter is a ParseError."""
        assert _parse_error(_file("locale: a\ud800b\n")).line == 5


@WITH_EACH_LOADER
class TestDocuments:
    """The front matter is one YAML mapping between two fences."""

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("", "the file must start with a '---' line"),
            ("title: T\n", "the file must start with a '---' line"),
            ("\n---\ntitle: T\n---\n", "the file must start with a '---' line"),
            ("--- \ntitle: T\n", "the front matter is not closed by a '---' line"),
            ("---\ntitle: T\n", "the front matter is not closed by a '---' line"),
            ("---\ntitle: T\n----\n", "the front matter is not closed by a '---' line"),
            ("----\ntitle: T\n---\n", "the file must start with a '---' line"),
            ("---", "the front matter is not closed by a '---' line"),
            ("--- \t", "the front matter is not closed by a '---' line"),
        ],
    )
    def test_fences(self, text: str, reason: str) -> None:
        """A missing or unclosed fence is a ParseError at line 1."""
        error = _parse_error(text)

        assert error.reason == reason
        assert error.line == 1

    @pytest.mark.parametrize(
        ("front_matter", "kind"),
        [
            ("- a\n- b\n", "list"),
            ("just text\n", "str"),
            ("42\n", "int"),
            ("null\n", "null"),
            ("'quoted'\n", "str"),
        ],
    )
    def test_not_a_mapping(self, front_matter: str, kind: str) -> None:
        """Front matter that is a list or a scalar is a ParseError naming what it is."""
        error = _parse_error(f"---\n{front_matter}---\n")

        assert error.reason == f"front matter must be a mapping, not {kind}"
        assert error.line == 2

    @pytest.mark.parametrize("front_matter", ["", "# only a comment\n", "\n\n"])
    def test_empty(self, front_matter: str) -> None:
        """Empty front matter is a ParseError."""
        error = _parse_error(f"---\n{front_matter}---\n")

        assert error.reason == "front matter is empty; expected a mapping"

    @pytest.mark.parametrize(
        "second",
        ["--- x: 1\n", "--- {x: 1}\n", "...\n--- [a]\n", "--- !!str\n"],
    )
    def test_multiple_documents(self, second: str) -> None:
        """A second YAML document inside the front matter is refused at its start."""
        error = _parse_error(_file(second))

        assert error.reason == "front matter holds more than one YAML document"
        assert error.line == _line_of_key(second, "--- ")

    def test_document_end_marker(self) -> None:
        """A lone document-end marker closes the one document, which is fine."""
        assert newsfeed.loads(_file("...\n")).title == "T"

    @pytest.mark.parametrize(
        ("front_matter", "line"),
        [
            ("a: [1, 2\n", 6),
            ("a: {b: 1\n", 6),
            ('a: "unclosed\n', 5),
            ("a: b: c\n", 5),
            ("a:\n  - 1\n  b: 2\n", 7),
            ("\ta: 1\n", 5),
            ("a: 'x\n", 5),  # where the quote opens
            ('a: "\\q"\n', 5),
            ("a: |\n  b\n c\n", 7),
        ],
    )
    def test_invalid_yaml(self, front_matter: str, line: int) -> None:
        """YAML that does not parse is a ParseError with the line of the problem."""
        error = _parse_error(_file(front_matter))

        assert error.reason.startswith("invalid YAML")
        assert error.line == line

    @pytest.mark.parametrize(
        ("value", "kind"),
        [
            ("2020-13-45", "timestamp"),
            ("2020-02-30T00:00:00Z", "timestamp"),
            ("2020-01-01T25:00:00Z", "timestamp"),
            ("2020-01-01T00:00:00+99:00", "timestamp"),
        ],
    )
    def test_invalid_scalar(self, value: str, kind: str) -> None:
        """A scalar YAML resolves to a type but cannot build is a ParseError, not a ValueError."""
        error = _parse_error(_file(f"locale: {value}\n"))

        assert error.reason.startswith(f"invalid {kind}")
        assert error.line == 5


@WITH_EACH_LOADER
class TestParseErrorFields:
    """A parse error about one value names its place in the data, like a validation error."""

    @pytest.mark.parametrize(
        ("front_matter", "field", "line"),
        [
            ("quality: 1\nquality: 2\n", "quality", 6),
            ("provider:\n  name: A\n  name: B\n", "provider.name", 7),
            ("locale: !!python/name:os.system\n", "locale", 5),
            ("tags: [a, !!binary aGk=]\n", "tags[1]", 5),
            ("tags:\n  - x: &a 1\n", "tags[0].x", 6),
            ("provider:\n  <<: {name: P}\n", "provider", 6),
            ("provider:\n  5: five\n", "provider", 6),
            ("locale: *nothing\n", "locale", 5),
            (
                "related:\n  - title: R\n    webUrl: r\n    publishedDateTime: 2020-13-45\n",
                "related[0].publishedDateTime",
                8,
            ),
        ],
    )
    def test_field_named(self, front_matter: str, field: str, line: int) -> None:
        """The error's field is the path of the refused value, key or mapping."""
        error = _parse_error(_file(front_matter))

        assert error.field == field
        assert error.line == line
        assert str(error) == f"hostile.md:{line}: {field}: {error.reason}"

    @pytest.mark.parametrize("quote", ['"', "'"])
    @pytest.mark.parametrize("where", ["end", "middle"])
    def test_an_unclosed_quote_is_named_where_it_opens(self, quote: str, where: str) -> None:
        """A quote never closed is reported on its own line, not where YAML gave up."""
        after = "" if where == "end" else "category: news\nlocale: en\n"
        error = _parse_error(_file(f"summary: {quote}never closed\n{after}"))

        assert error.line == 5
        assert error.reason.startswith("invalid YAML: a quoted value is never closed")

    def test_top_level_problem_has_no_field(self) -> None:
        """A problem with the top-level mapping itself (a non-string key) names no field."""
        error = _parse_error(_file("5: five\n"))

        assert error.field is None
        assert str(error) == f"hostile.md:5: {error.reason}"


@WITH_EACH_LOADER
class TestFuzz:
    """Any input, however mangled, loads or raises a NewsfeedError: nothing else escapes."""

    @staticmethod
    def _check(data: str | bytes) -> None:
        with only_newsfeed_warnings():
            try:
                article = newsfeed.loads(data)
            except newsfeed.NewsfeedError as error:
                failure: newsfeed.NewsfeedError | None = error
            else:
                failure = None
            if failure is not None:
                assert isinstance(failure, newsfeed.ParseError | newsfeed.ValidationError)
                assert failure.reason
                assert failure.line is None or failure.line >= 1
                return
            # What loads can be written, and reads back as the same data. The
            # comments of a file outside the fast reader's subset are dropped
            # only when asked.
            layout = article._layout
            drop_comments = layout is not None and layout.comments and layout.shape is None
            if drop_comments:
                with pytest.raises(newsfeed.ValidationError, match="comments"):
                    newsfeed.dumps(article)
            text = newsfeed.dumps(article, drop_comments=drop_comments)
            assert newsfeed.loads(text) == article
            assert newsfeed.dumps(newsfeed.loads(text)) == text

    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(mutated_texts())
    @example("---\nfoo: !!python/object/apply:os.system [ls]\n---\n")
    @example("---\n" + "[" * 30_000 + "\n---\n")
    @example("---\ntitle: T\n---")
    @example("---\n\ufeff\n---\n")
    # A BOM before a key, which only the pure-Python loader takes (into the
    # key), and a "#": the comment check once parsed it with libyaml, whose
    # ParserError escaped.
    @example(
        "---\ntitle: T\n\ufeffexcerpt: E\npublishedDateTime: 2020-01-01T00:00:00Z\n"
        'webUrl: "https://x/#a"\n---\n'
    )
    # A mutation that empties a list item: loaded with a NewsfeedWarning,
    # which the check once took for an escape.
    @example(
        '---\ntitle: T\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "https://x"\n'
        "topics:\n  -\n---\n"
    )
    def test_mutated_text(self, text: str) -> None:
        """A sample with characters inserted, deleted or replaced loads or raises NewsfeedError."""
        self._check(text)

    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(mutated_bytes())
    @example(b"\xef\xbb\xbf---\ntitle: T\n---\n")
    @example(b"---\ntitle: \xff\n---\n")
    def test_mutated_bytes(self, data: bytes) -> None:
        """A sample with bytes inserted, deleted or replaced loads or raises NewsfeedError."""
        self._check(data)

    def test_mutated_file(self, tmp_path: Path, sample_path: Path) -> None:
        """Loading a truncated sample from disk raises a ParseError naming the file."""
        path = tmp_path / sample_path.name
        path.write_bytes(sample_path.read_bytes()[:500])

        with pytest.raises(newsfeed.ParseError) as caught:
            newsfeed.load(path)

        assert caught.value.source == str(path)


class TestMemory:
    """Reading many files, good or bad, keeps nothing of them alive."""

    @pytest.mark.parametrize(
        "change",
        [
            pytest.param(lambda text: text, id="canonical"),
            pytest.param(lambda text: text.replace("\n", "\r\n"), id="CRLF"),
            pytest.param(lambda text: text.replace("quality: ", "quality:  "), id="extra spaces"),
            pytest.param(lambda text: text.replace("topics:", "# c\ntopics:"), id="comment"),
            pytest.param(lambda text: text.replace("heat: ", "heat: x"), id="validation error"),
            pytest.param(lambda text: text.replace("heat: ", "heat: ["), id="parse error"),
        ],
    )
    def test_repeated_loads(self, sample_text: str, change: Any) -> None:
        """A hundred loads of one text retain (almost) no memory: no cache or traceback grows."""
        text = change(sample_text)

        def load_many(count: int) -> None:
            for _ in range(count):
                with contextlib.suppress(newsfeed.NewsfeedError):
                    newsfeed.loads(text)

        load_many(10)  # fill the bounded caches first
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            load_many(100)
            gc.collect()
            retained = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()

        # A leak of one parse's data per load would keep megabytes here.
        assert retained < 512 * 1024
