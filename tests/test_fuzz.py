"""Fuzzing the whole reading surface: loads, load_dir and ``newsfeed check``.

Random bytes and mutated sample files (tests/fixtures/), with the hostile
values of issue 11 spliced in, go through each entry point. Nothing but a
NewsfeedError, or a per-file failure, may come out, and each case must finish
well within a generous per-example deadline (not a timed assertion: Hypothesis
reports a case that is consistently that slow).
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import warnings
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import newsfeed
from newsfeed._cli.main import main
from newsfeed._format import safe_yaml
from strategies import hostile_files
from warnings_support import only_newsfeed_warnings

#: Per example; real cases take milliseconds. Generous for a shared, busy machine.
DEADLINE = timedelta(seconds=2)
#: A folder case writes, lists and reads several files.
FOLDER_DEADLINE = timedelta(seconds=5)
SLOW_TO_GENERATE = [HealthCheck.too_slow, HealthCheck.data_too_large]


def _write_folder(folder: Path, files: list[bytes]) -> list[Path]:
    paths = [folder / f"article-{index}.md" for index in range(len(files))]
    for path, data in zip(paths, files, strict=True):
        path.write_bytes(data)
    return paths


class TestLoads:
    """loads() raises only ParseError or ValidationError, whatever the bytes."""

    @settings(max_examples=150, deadline=DEADLINE, suppress_health_check=SLOW_TO_GENERATE)
    @given(hostile_files())
    @example(b"---\nx: 1" + b":1" * 20_000 + b"\n---\n")
    @example(b"---\nx: !!bool maybe\n---\n")
    # A mutation that empties a list item: loaded with a NewsfeedWarning,
    # which the test once took for an escape.
    @example(
        b'---\ntitle: T\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "https://x"\n'
        b"topics:\n  -\n---\n"
    )
    def test_any_bytes_load_or_fail_with_a_newsfeed_error(self, data: bytes) -> None:
        """A file loads, or fails with a NewsfeedError that says why and, if known, where.

        It may also warn, with newsfeed's own warnings only.
        """
        with only_newsfeed_warnings():
            failure: newsfeed.ParseError | newsfeed.ValidationError | None = None
            try:
                article = newsfeed.loads(data, source="fuzz.md")
            except (newsfeed.ParseError, newsfeed.ValidationError) as error:
                failure = error
            if failure is not None:
                assert failure.source == "fuzz.md"
                assert failure.reason
                assert failure.line is None or failure.line >= 1
                return
            # What loads is written back, and reads back the same. Comments the
            # layout cannot keep (outside the fast reader's subset) are dropped
            # only when asked: dumps refuses, saying so.
            try:
                text = newsfeed.dumps(article)
            except newsfeed.ValidationError as error:
                refusal = error.reason
                text = newsfeed.dumps(article, drop_comments=True)
                assert "comments" in refusal
            assert newsfeed.loads(text) == article


class TestFolders:
    """load_dir(errors="skip") and `newsfeed check` report each bad file and keep going."""

    @settings(max_examples=25, deadline=FOLDER_DEADLINE, suppress_health_check=SLOW_TO_GENERATE)
    @given(st.lists(hostile_files(), min_size=1, max_size=4))
    def test_load_dir_skip_accounts_for_every_file(self, files: list[bytes]) -> None:
        """Each file is either an article of the feed or one of its failures; nothing escapes."""
        with tempfile.TemporaryDirectory() as name:
            paths = _write_folder(Path(name), files)

            feed = newsfeed.load_dir(name, errors="skip")

        loaded = {article.path for article in feed}
        failed = {failure.path for failure in feed.failures}
        assert loaded | failed == set(paths)
        assert not loaded & failed
        for failure in feed.failures:
            assert isinstance(failure.error, newsfeed.NewsfeedError)

    @settings(max_examples=25, deadline=FOLDER_DEADLINE, suppress_health_check=SLOW_TO_GENERATE)
    @given(st.lists(hostile_files(), min_size=1, max_size=4))
    def test_check_reports_every_bad_file(self, files: list[bytes]) -> None:
        """`newsfeed check` exits 0 or 1 and names each file that fails, without a traceback."""
        out, err = io.StringIO(), io.StringIO()
        with tempfile.TemporaryDirectory() as name:
            paths = _write_folder(Path(name), files)
            failing = set()
            for path in paths:
                try:
                    newsfeed.load(path)
                except newsfeed.NewsfeedError:
                    failing.add(path)

            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["check", name])

        assert code == (1 if failing else 0)
        report = out.getvalue() + err.getvalue()
        assert "Traceback" not in report
        for path in failing:
            assert str(path) in report


def _outcome(data: bytes, *, pure: bool) -> object:
    """Load *data* with one of the loaders: the article and its warnings, or the error.

    An error is given as its class, line and field.
    """
    before = safe_yaml._force_pure_python
    safe_yaml._force_pure_python = pure
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            article = newsfeed.loads(data)
        return article, [str(warning.message) for warning in caught]
    except (newsfeed.ParseError, newsfeed.ValidationError) as error:
        # YAML syntax errors are worded by each parser its own way.
        reason = "invalid YAML" if error.reason.startswith("invalid YAML: ") else error.reason
        return (type(error), error.line, error.field, reason)
    finally:
        safe_yaml._force_pure_python = before


class TestBothLoaders:
    """libyaml's loader and PyYAML's pure-Python one read every file alike."""

    @settings(max_examples=100, deadline=DEADLINE, suppress_health_check=SLOW_TO_GENERATE)
    @given(hostile_files())
    @example(b"---\ntitle: !\n---\n")
    @example(b'---\ntitle: "\\U00110000"\n---\n')
    # A surrogate escape where a key could start: libyaml refuses it on its
    # line, the pure-Python scanner once refused the line after it instead.
    @example(b'---\ntitle: T\ntopics:\n  - AI\n"\\ud800"\nrelated: x\n---\n')
    # A mutation that empties a list item: loaded with a NewsfeedWarning,
    # which the test once took for an escape.
    @example(
        b'---\ntitle: T\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "https://x"\n'
        b"topics:\n  -\n---\n"
    )
    # A byte-order mark starting a line: libyaml skipped it, the pure-Python
    # scanner read it as part of the key.
    @example(b"---\ncategory: news\n\xef\xbb\xbftitle: T\n---\n")
    def test_both_loaders_give_the_same_article_or_error(self, data: bytes) -> None:
        """The same article, or an error of the same class, line, field and reason.

        Tabs are left out: PyYAML's pure-Python scanner refuses a tab between
        tokens or inside a plain scalar, which libyaml (and YAML) allow; see
        test_hostile_values.TestBothLoaders.test_tab_outside_quotes_needs_libyaml.
        """
        assume(b"\t" not in data)
        assert _outcome(data, pure=False) == _outcome(data, pure=True)
