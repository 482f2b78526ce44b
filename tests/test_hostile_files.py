"""Hostile files and odd file systems: one file never aborts a folder, hangs, or pins memory."""

from __future__ import annotations

import gc
import tracemalloc
import types
from pathlib import Path

import pytest

import corpus
import newsfeed
from newsfeed import Article, LoadFailure, ParseError
from newsfeed._cli import files as cli_files
from newsfeed._files import reading as reading_module

GOOD = corpus.make_articles(6, seed=11)
#: What the patched parser chokes on, as a core tag with a bad value once did.
BOOM = b"boom"


def _write_good(folder: Path) -> list[Path]:
    paths = []
    for index, article in enumerate(GOOD):
        path = folder / f"{index:02d}.md"
        newsfeed.dump(article, path)
        paths.append(path)
    return paths


def crash_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the parser raise a raw KeyError on any text holding BOOM, as a reader bug would."""
    real_loads = newsfeed.loads

    def loads(data: bytes, *, source: object = None) -> Article:
        if BOOM in data:
            raise KeyError("tag:yaml.org,2002:bool")
        return real_loads(data, source=source)  # type: ignore[arg-type]  # the patched signature is looser

    monkeypatch.setattr(reading_module, "loads", loads)


class TestUnexpectedErrorIsOneFilesFailure:
    """Issue 11, item 1: an unexpected exception reading one file is that file's failure."""

    @pytest.fixture
    def folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """Return six good files and one the parser crashes on, in the middle."""
        crash_parser(monkeypatch)
        _write_good(tmp_path)
        (tmp_path / "03a.md").write_bytes(b"---\nx: " + BOOM + b"\n---\n")
        return tmp_path

    def _check_failure(self, failures: tuple[LoadFailure, ...], folder: Path) -> None:
        assert len(failures) == 1
        (failure,) = failures
        assert failure.path == folder / "03a.md"
        assert isinstance(failure.error, ParseError)
        assert "unexpected KeyError" in str(failure)
        assert "tag:yaml.org,2002:bool" in str(failure)
        assert failure.error.source == str(folder / "03a.md")

    @pytest.mark.parametrize("workers", [1, 2])
    def test_load_dir_skip_keeps_the_rest(self, folder: Path, workers: int) -> None:
        """load_dir(errors="skip") returns every good article and the crash as a failure."""
        feed = newsfeed.load_dir(folder, errors="skip", workers=workers)
        assert list(feed) == GOOD
        self._check_failure(feed.errors, folder)

    def test_load_dir_raise_names_the_file(self, folder: Path) -> None:
        """load_dir(errors="raise") raises one FeedLoadError naming the file, not the KeyError."""
        with pytest.raises(newsfeed.FeedLoadError) as caught:
            newsfeed.load_dir(folder)
        self._check_failure(caught.value.failures, folder)

    def test_iter_dir_goes_on(self, folder: Path) -> None:
        """iter_dir yields every good article and records the crash in errors."""
        articles = newsfeed.iter_dir(folder, errors="skip")
        assert list(articles) == GOOD
        self._check_failure(articles.errors, folder)

    def test_cli_loop_goes_on(self, folder: Path) -> None:
        """The command line's loader reports the file as a problem and loads the others."""
        named = [*sorted(folder.glob("0[0-2].md")), folder / "03a.md"]
        feed, problems = cli_files.load_feed(named)
        assert list(feed) == GOOD[:3]
        assert [problem.path for problem in problems] == [str(folder / "03a.md")]
        assert problems[0].message.startswith("unexpected KeyError while reading the file")

    def test_long_message_is_cut(self, tmp_path: Path) -> None:
        """An unexpected exception's message is kept to a few hundred characters."""
        failure = newsfeed._errors.failure_from(tmp_path / "a.md", RuntimeError("x" * 10_000))
        assert isinstance(failure.error, ParseError)
        assert len(failure.error.reason) < 400
        assert str(failure).endswith("x...")


def _reachable(root: object, limit: int = 100_000) -> list[object]:
    """Return every object reachable from *root* through gc referents (bounded)."""
    seen: dict[int, object] = {}
    stack = [root]
    while stack and len(seen) < limit:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type | types.ModuleType):
            continue
        seen[id(item)] = item
        stack.extend(gc.get_referents(item))
    return list(seen.values())


class TestFailuresDoNotPinFiles:
    """Issue 11, item 4: a failure keeps message, source and line, not frames or the file's text."""

    PAYLOAD_BYTES = 200_000

    def _failing(self, folder: Path, count: int) -> None:
        for index in range(count):
            # No closing fence: a ParseError raised after the whole text was read.
            text = (
                b"---\ntitle: x\nfiller: " + bytes([97 + index % 26]) * self.PAYLOAD_BYTES + b"\n"
            )
            (folder / f"{index:03d}.md").write_bytes(text)

    def test_no_traceback_chain_or_text_is_kept(self, tmp_path: Path) -> None:
        """Each failure's error has no traceback or chained error, and reaches no large text."""
        self._failing(tmp_path, 3)
        (tmp_path / "bad-utf8.md").write_bytes(b"---\ntitle: \xff" + b"a" * self.PAYLOAD_BYTES)
        articles = newsfeed.iter_dir(tmp_path, errors="skip")
        assert list(articles) == []
        assert len(articles.errors) == 4
        for failure in articles.errors:
            error = failure.error
            assert error.__traceback__ is None
            assert error.__cause__ is None
            assert error.__context__ is None
            assert isinstance(error, ParseError)
            assert error.line is not None
            reached = _reachable(failure)
            assert not [o for o in reached if isinstance(o, types.FrameType | types.TracebackType)]
            large = [o for o in reached if isinstance(o, str | bytes) and len(o) > 10_000]
            assert large == []

    def test_memory_stays_flat_however_many_fail(self, tmp_path: Path) -> None:
        """Reading 40 failing 200 KB files keeps well under one file's worth of memory."""
        self._failing(tmp_path, 40)
        articles = newsfeed.iter_dir(tmp_path, errors="skip")
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            assert list(articles) == []
            gc.collect()
            kept = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert len(articles.errors) == 40
        # Keeping the text would be 40 x 200 KB = 8 MB; the failures need a few KB.
        assert kept < self.PAYLOAD_BYTES
