"""Errors: one hierarchy, context as attributes, `source:line: field: reason`, and pickling."""

from __future__ import annotations

import builtins
import os
import pickle
import re
from pathlib import Path
from typing import TypedDict

import pytest

import newsfeed
import newsfeed._errors

GOOD = '---\ntitle: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n---\n'
BAD_QUALITY = GOOD.replace("---\n", "---\nquality: high\n", 1)  # line 2
BAD_YAML = GOOD.replace("---\n", "---\nlocale: a: b\n", 1)  # line 2


class Context(TypedDict, total=False):
    """The keyword arguments that say where a ParseError or ValidationError happened."""

    source: str | os.PathLike[str] | None
    field: str | None
    line: int | None


class TestHierarchy:
    """One base class; the data errors are also ValueErrors."""

    @pytest.mark.parametrize("cls", [newsfeed.ParseError, newsfeed.ValidationError])
    def test_data_errors(self, cls: type[Exception]) -> None:
        """ParseError and ValidationError are NewsfeedErrors and ValueErrors."""
        assert issubclass(cls, newsfeed.NewsfeedError)
        assert issubclass(cls, ValueError)

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param(newsfeed._errors.__doc__ or "", id="errors-module"),
            pytest.param(
                (Path(__file__).parents[1] / "docs" / "loading.md").read_text(encoding="utf-8"),
                id="loading-page",
            ),
        ],
    )
    def test_drawn_tree_is_the_real_one(self, text: str) -> None:
        """The tree drawn in the docs names every public error, each with its real bases."""
        drawn = dict(re.findall(r"[├└]── (\w+)(?:\((\w+)\))?", text))
        public = {
            name: value
            for name in newsfeed.__all__
            if isinstance(value := getattr(newsfeed, name), type)
            and issubclass(value, newsfeed.NewsfeedError)
            and value is not newsfeed.NewsfeedError
        }

        assert sorted(drawn) == sorted(public)
        for name, base in drawn.items():
            stdlib = {
                cls.__name__
                for cls in public[name].__mro__
                if cls.__module__ == "builtins" and cls not in {Exception, BaseException, object}
            }
            # The stdlib class drawn, and those it derives from itself.
            expected = (
                set()
                if not base
                else {
                    cls.__name__
                    for cls in getattr(builtins, base).__mro__
                    if cls not in {Exception, BaseException, object}
                }
            )
            assert stdlib == expected, name

    def test_base(self) -> None:
        """NewsfeedError is an Exception and not itself a ValueError."""
        assert issubclass(newsfeed.NewsfeedError, Exception)
        assert not issubclass(newsfeed.NewsfeedError, ValueError)

    def test_distinct(self) -> None:
        """A ParseError is not a ValidationError, nor the other way round."""
        assert not issubclass(newsfeed.ParseError, newsfeed.ValidationError)
        assert not issubclass(newsfeed.ValidationError, newsfeed.ParseError)

    def test_caught_as_value_error(self) -> None:
        """Code that catches ValueError catches newsfeed's data errors."""
        with pytest.raises(ValueError, match="quality"):
            newsfeed.loads(BAD_QUALITY)


class TestAttributes:
    """Each error carries reason, source, field and line."""

    def test_validation_error(self) -> None:
        """A validation error in a named source has all four."""
        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.loads(BAD_QUALITY, source="news/a.md")
        error = caught.value

        assert error.reason == "expected an integer, got str"
        assert error.source == "news/a.md"
        assert error.field == "quality"
        assert error.line == 2
        assert str(error) == "news/a.md:2: quality: expected an integer, got str"
        assert error.args == (str(error),)

    def test_parse_error(self) -> None:
        """A parse error has no field, but a source and a line."""
        with pytest.raises(newsfeed.ParseError) as caught:
            newsfeed.loads(BAD_YAML, source="news/a.md")
        error = caught.value

        assert error.source == "news/a.md"
        assert error.field is None
        assert error.reason == "invalid YAML: mapping values are not allowed in this context"
        assert error.line == 2
        assert str(error) == f"news/a.md:2: {error.reason}"

    def test_without_source(self) -> None:
        """Without a source the message says <string>, and source is None."""
        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.loads(BAD_QUALITY)

        assert caught.value.source is None
        assert str(caught.value) == "<string>:2: quality: expected an integer, got str"

    def test_path_source(self, tmp_path: Path) -> None:
        """A Path source is kept as its str, and names the file in the message."""
        path = tmp_path / "a.md"
        path.write_text(BAD_QUALITY, encoding="utf-8")

        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.load(path)

        assert caught.value.source == str(path)
        assert str(caught.value).startswith(f"{path}:2: quality: ")

    def test_source_becomes_path(self, tmp_path: Path) -> None:
        """A good article read with a source (or from a file) has that path, outside equality."""
        path = tmp_path / "a.md"
        path.write_text(GOOD, encoding="utf-8")

        from_file = newsfeed.load(path)
        from_text = newsfeed.loads(GOOD, source="elsewhere.md")

        assert from_file.path == path
        assert from_text.path == Path("elsewhere.md")
        assert newsfeed.loads(GOOD).path is None
        assert from_file == from_text

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({}, "bad"),
            ({"source": "f.md"}, "f.md: bad"),
            ({"source": Path("f.md")}, "f.md: bad"),
            ({"line": 3}, "<string>:3: bad"),
            ({"field": "related[2].title"}, "related[2].title: bad"),
            ({"source": "f.md", "line": 3, "field": "title"}, "f.md:3: title: bad"),
        ],
    )
    def test_message_format(self, kwargs: Context, message: str) -> None:
        """The message is `source:line: field: reason`, leaving out what is unknown."""
        for cls in (newsfeed.ParseError, newsfeed.ValidationError):
            error = cls("bad", **kwargs)

            assert str(error) == message
            assert error.reason == "bad"

    def test_line_zero_is_shown(self) -> None:
        """A line number is shown whenever it is known."""
        assert str(newsfeed.ParseError("bad", line=0)) == "<string>:0: bad"

    def test_keyword_only(self) -> None:
        """Context is passed by keyword only."""
        with pytest.raises(TypeError):
            newsfeed.ParseError("bad", "f.md")  # type: ignore[call-arg]  # the wrong call under test


class TestPickling:
    """Errors survive pickling (process pools, dask), context and all."""

    @pytest.mark.parametrize("cls", [newsfeed.ParseError, newsfeed.ValidationError])
    @pytest.mark.parametrize(
        "kwargs",
        [{}, {"source": "f.md", "line": 7, "field": "related[2].publishedDateTime"}],
    )
    def test_constructed(self, cls: type[newsfeed.ParseError], kwargs: Context) -> None:
        """A pickled error comes back of the same class with the same attributes and message."""
        error = cls("bad value", **kwargs)

        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own data

        assert type(copy) is cls
        assert (copy.reason, copy.source, copy.field, copy.line) == (
            error.reason,
            error.source,
            error.field,
            error.line,
        )
        assert str(copy) == str(error)
        assert copy.args == error.args

    @pytest.mark.parametrize("text", [BAD_QUALITY, BAD_YAML])
    def test_raised(self, text: str) -> None:
        """An error as loads raised it, with the file and line filled in later, pickles whole."""
        with pytest.raises((newsfeed.ParseError, newsfeed.ValidationError)) as caught:
            newsfeed.loads(text, source="a.md")

        copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 -- our own data

        assert str(copy) == str(caught.value)
        assert copy.source == "a.md"
        assert copy.line == caught.value.line


class TestNothingElseEscapes:
    """Bad data never surfaces as a yaml, cattrs, KeyError, TypeError or UnicodeDecodeError."""

    @pytest.mark.parametrize(
        "text",
        [
            b"---\ntitle: \xe9\n---\n",
            "---\ntitle: [\n---\n",
            "---\n: x\n---\n",
            "---\n? \n---\n",
            '---\ntitle: "T"\n---\n',
            "---\nrelated: [1]\n---\n",
            "---\nrelated: [{}]\n---\n",
            "---\nprovider: [a]\n---\n",
            "---\ntopics: {a: 1}\n---\n",
            "---\nrelated:\n  - images: 5\n---\n",
            "---\npublishedDateTime: {}\n---\n",
        ],
    )
    def test_bad_data(self, text: str | bytes) -> None:
        """Each bad input raises a NewsfeedError, with no library exception chained to it."""
        with pytest.raises(newsfeed.NewsfeedError) as caught:
            newsfeed.loads(text)

        assert caught.value.__cause__ is None
        assert caught.value.__context__ is None or caught.value.__suppress_context__

    @pytest.mark.parametrize("value", [None, 5, bytearray(b"---\n"), Path("a.md")])
    def test_wrong_argument_type(self, value: object) -> None:
        """Passing loads something other than str or bytes is a caller's TypeError, said plainly."""
        with pytest.raises(TypeError, match=r"loads\(\) takes str or bytes, not "):
            newsfeed.loads(value)  # type: ignore[arg-type]  # the case under test
