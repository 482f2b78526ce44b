"""Loading a folder: order, every failure accounted for, worker processes, progress, laziness."""

from __future__ import annotations

import gc
import logging
import os
import pickle
import sys
import warnings
import weakref
from pathlib import Path

import attrs
import pytest

import corpus
import newsfeed
from listing_support import refuse_to_list
from newsfeed import Article, Feed, FeedLoadError, LoadFailure, ParseError, ValidationError
from newsfeed._feed import folder as dir_module
from newsfeed._feed import workers as workers_module

ARTICLES = corpus.make_articles(300)
GOOD = corpus.make_articles(12, seed=3)

#: Bad files planted among the good ones (batch00/0000.md ... 0011.md), by
#: name, with what they hold and the error class and text each must report.
BAD_FILES: dict[str, tuple[bytes, type[Exception], str]] = {
    "batch00/0001a.md": (b"title: no fences\n", ParseError, ":1: the file must start"),
    "batch00/0004a.md": (b"---\ntitle: [unclosed\n---\n", ParseError, ":"),
    "batch00/0006a.md": (
        b'---\ntitle: "t"\npublishedDateTime: 2020-06-11T12:02:00Z\nwebUrl: "u"\nquality: high\n---\n',  # noqa: E501 -- one file, one line
        ValidationError,
        ":5: quality: expected an integer, got str",
    ),
    "batch00/0008a.md": (b"---\ntitle: \xff\n---\n", ParseError, ":2: not valid UTF-8"),
    "batch00/0010a.md": (
        b"---\ntitle: &a x\nexcerpt: *a\n---\n",
        ParseError,
        ":2:",
    ),
}
BROKEN_LINK = "batch00/0011a.md"


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the 300-file corpus once for the module."""
    root = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(root, ARTICLES)
    return root


@pytest.fixture
def mixed_dir(tmp_path: Path) -> Path:
    """Return a folder of twelve good files with six bad ones among them, and a stray .txt."""
    corpus.write_corpus(tmp_path, GOOD)
    for name, (data, _, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / BROKEN_LINK).symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "batch00" / "notes.txt").write_text("not an article")
    return tmp_path


def bad_paths(root: Path) -> list[Path]:
    """Return the bad files of the mixed folder, in sorted order."""
    return sorted([root / name for name in BAD_FILES] + [root / BROKEN_LINK])


def newsfeed_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Return the warnings logged on the newsfeed logger."""
    return [r for r in caplog.records if r.name == "newsfeed" and r.levelno == logging.WARNING]


class TestLoadDir:
    """load_dir reads every matching file, in a stable sorted order."""

    def test_loads_the_whole_corpus_in_order(self, corpus_dir: Path) -> None:
        """Files written in shuffled order come back in sorted path order."""
        feed = newsfeed.load_dir(corpus_dir)
        assert isinstance(feed, Feed)
        assert list(feed) == ARTICLES
        assert [a.path for a in feed] == [
            corpus_dir / corpus.relative_path(i) for i in range(len(ARTICLES))
        ]
        assert feed.failures == ()

    def test_order_sorts_path_components(self, tmp_path: Path) -> None:
        """A folder's files stay together: a/z.md, a-b/x.md, a.md (not plain string order)."""
        names = ["a.md", "a-b/x.md", "a/z.md"]
        for index, name in enumerate(names):
            (tmp_path / name).parent.mkdir(exist_ok=True)
            newsfeed.dump(GOOD[index], tmp_path / name)
        feed = newsfeed.load_dir(tmp_path)
        assert [a.path.relative_to(tmp_path).as_posix() for a in feed if a.path] == [
            "a/z.md",
            "a-b/x.md",
            "a.md",
        ]

    def test_pattern(self, corpus_dir: Path) -> None:
        """The glob pattern selects the files: one folder, or none at all."""
        first = newsfeed.load_dir(corpus_dir, pattern="batch01/*.md")
        assert list(first) == ARTICLES[50:100]
        assert len(newsfeed.load_dir(corpus_dir, pattern="*.md")) == 0
        assert len(newsfeed.load_dir(corpus_dir, pattern="**/*.txt")) == 0

    @pytest.mark.parametrize("pattern", ["", "/etc/*.md"])
    def test_bad_pattern(self, tmp_path: Path, pattern: str) -> None:
        """An empty or absolute pattern is refused with a ValueError."""
        with pytest.raises(ValueError, match="pattern must be a glob relative to the folder"):
            newsfeed.load_dir(tmp_path, pattern=pattern)

    def test_folders_matching_the_pattern_are_not_files(self, tmp_path: Path) -> None:
        """A folder whose name ends in .md is walked into, not loaded."""
        (tmp_path / "odd.md").mkdir()
        newsfeed.dump(GOOD[0], tmp_path / "odd.md" / "inner.md")
        assert list(newsfeed.load_dir(tmp_path)) == [GOOD[0]]

    def test_empty_folder(self, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
        """An empty folder is an empty feed, without a warning."""
        assert newsfeed.load_dir(tmp_path, errors="skip") == Feed()
        assert newsfeed_warnings(caplog) == []

    def test_not_a_folder(self, tmp_path: Path) -> None:
        """A missing path or a file is refused at once."""
        with pytest.raises(FileNotFoundError, match="no such folder"):
            newsfeed.load_dir(tmp_path / "missing")
        (tmp_path / "file.md").write_text("x")
        with pytest.raises(NotADirectoryError, match="not a folder"):
            newsfeed.load_dir(tmp_path / "file.md")
        with pytest.raises(NotADirectoryError):
            newsfeed.iter_dir(tmp_path / "file.md")

    @pytest.mark.parametrize("errors", ["ignore", "Skip", None])
    def test_bad_errors_value(self, tmp_path: Path, errors: object) -> None:
        """errors= must be "raise" or "skip"."""
        with pytest.raises(ValueError, match="errors must be 'raise' or 'skip'"):
            newsfeed.load_dir(tmp_path, errors=errors)  # type: ignore[arg-type]  # the case under test
        with pytest.raises(ValueError, match="errors must be 'raise' or 'skip'"):
            newsfeed.iter_dir(tmp_path, errors=errors)  # type: ignore[arg-type]  # the case under test

    @pytest.mark.parametrize(
        ("workers", "error"),
        [(0, ValueError), (-2, ValueError), (1.5, TypeError), (True, TypeError)],
    )
    def test_bad_workers(self, tmp_path: Path, workers: object, error: type[Exception]) -> None:
        """workers= must be a positive integer."""
        with pytest.raises(error, match="workers must be"):
            newsfeed.load_dir(tmp_path, workers=workers)  # type: ignore[arg-type]  # the case under test


class TestMixedFolder:
    """Good and bad files together: every good one returned, every bad one reported."""

    def test_skip_returns_good_and_reports_bad(
        self, mixed_dir: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """errors="skip" keeps every good article and one LoadFailure per bad file."""
        with caplog.at_level(logging.WARNING, logger="newsfeed"):
            feed = newsfeed.load_dir(mixed_dir, errors="skip")
        assert list(feed) == GOOD
        assert [failure.path for failure in feed.failures] == bad_paths(mixed_dir)
        for failure in feed.failures:
            name = failure.path.relative_to(mixed_dir).as_posix()
            if name == BROKEN_LINK:
                assert isinstance(failure.error, FileNotFoundError)
                assert str(failure) == f"{failure.path}: cannot read: No such file or directory"
            else:
                _, kind, text = BAD_FILES[name]
                assert type(failure.error) is kind
                assert str(failure).startswith(str(failure.path) + text)
        (record,) = newsfeed_warnings(caplog)
        assert record.getMessage().startswith(
            f"6 of 18 files under {mixed_dir} could not be loaded"
        )

    def test_raise_names_every_bad_file(self, mixed_dir: Path) -> None:
        """errors="raise" tries every file, then raises one error holding all the bad ones."""
        with pytest.raises(FeedLoadError) as caught:
            newsfeed.load_dir(mixed_dir)
        error = caught.value
        assert isinstance(error, newsfeed.NewsfeedError)
        assert [failure.path for failure in error.failures] == bad_paths(mixed_dir)
        assert error.total == 18
        assert f"{mixed_dir / 'batch00/0006a.md'}:5: quality: expected an integer" in str(error)

    def test_message_names_the_first_few_and_counts_the_rest(self, mixed_dir: Path) -> None:
        """The message stays short for thousands of failures: the first few, then a count."""
        with pytest.raises(FeedLoadError) as caught:
            newsfeed.load_dir(mixed_dir)
        error = caught.value
        lines = str(error).splitlines()
        shown = FeedLoadError.SHOWN
        assert lines[0] == "6 of 18 files could not be loaded:"
        assert lines[1 : 1 + shown] == [f"  {failure}" for failure in error.failures[:shown]]
        assert lines[1 + shown :] == [f"  ... and {6 - shown} more (see .failures)"]

    def test_error_keeps_what_did_load(self, mixed_dir: Path) -> None:
        """Nothing read is thrown away: the error's feed holds every good article."""
        with pytest.raises(FeedLoadError) as caught:
            newsfeed.load_dir(mixed_dir)
        skipped = newsfeed.load_dir(mixed_dir, errors="skip")
        assert list(caught.value.feed) == list(skipped)
        assert caught.value.feed.failures == caught.value.failures
        assert len(caught.value.feed) == 12

    def test_error_is_an_exception_group_of_the_files_errors(self, mixed_dir: Path) -> None:
        """except* picks the files' errors by class, as for any ExceptionGroup."""
        with pytest.raises(FeedLoadError) as caught:
            newsfeed.load_dir(mixed_dir)
        assert isinstance(caught.value, ExceptionGroup)
        assert list(caught.value.exceptions) == [f.error for f in caught.value.failures]
        handled: list[BaseException] = []
        try:
            newsfeed.load_dir(mixed_dir)
        except* newsfeed.ValidationError as group:
            handled.extend(group.exceptions)
        except* Exception:  # noqa: BLE001, S110 -- the other files' errors, not counted here
            pass
        expected = [f.error for f in caught.value.failures]
        wanted = [e for e in expected if isinstance(e, newsfeed.ValidationError)]
        assert [str(e) for e in handled] == [str(e) for e in wanted]
        assert handled

    def test_raise_error_pickles(self, mixed_dir: Path) -> None:
        """The collected error crosses process boundaries intact."""
        with pytest.raises(FeedLoadError) as caught:
            newsfeed.load_dir(mixed_dir)
        copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 -- our own data
        assert type(copy) is FeedLoadError
        assert copy.failures == caught.value.failures
        assert list(copy.feed) == list(caught.value.feed)
        assert str(copy) == str(caught.value)

    def test_single_failure_message(self, tmp_path: Path) -> None:
        """One bad file among one is reported in the singular."""
        (tmp_path / "bad.md").write_text("nope\n")
        with pytest.raises(FeedLoadError, match=r"^1 of 1 file could not be loaded:\n  "):
            newsfeed.load_dir(tmp_path)

    def test_interrupts_are_not_swallowed(
        self, mixed_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Ctrl-C while a file is read stops the load rather than being recorded as a bad file."""

        def interrupted(path: str) -> Article:
            raise KeyboardInterrupt(path)

        monkeypatch.setattr(workers_module, "load_reusing", interrupted)
        with pytest.raises(KeyboardInterrupt):
            newsfeed.load_dir(mixed_dir, errors="skip")


class TestUnusualEntries:
    """A loop of links or a folder that cannot be listed is one failure; the rest loads."""

    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        """Return a folder of two good files around a loop of two links."""
        corpus.write_corpus(tmp_path, GOOD[:2])
        return tmp_path

    @pytest.mark.skipif(sys.platform == "win32", reason="makes symbolic links")
    def test_loop_of_links(self, folder: Path, tmp_path: Path) -> None:
        """Each link of a loop fails as unreadable, in load_dir, iter_dir and the cache."""
        (folder / "loop1.md").symlink_to("loop2.md")
        (folder / "loop2.md").symlink_to("loop1.md")
        feed = newsfeed.load_dir(folder, errors="skip")
        assert len(feed) == 2
        assert [failure.path.name for failure in feed.failures] == ["loop1.md", "loop2.md"]
        assert all(isinstance(failure.error, OSError) for failure in feed.failures)
        with newsfeed.iter_dir(folder, errors="skip") as articles:
            assert list(articles) == list(feed)
        with newsfeed.Index(folder, db=tmp_path / "i.sqlite3") as index:
            assert index.update().failures == feed.failures

    @pytest.mark.skipif(sys.platform == "win32", reason="makes symbolic links")
    def test_link_to_a_name_too_long(self, folder: Path, tmp_path: Path) -> None:
        """A broken link the system cannot even look up is one failure, everywhere."""
        (folder / "long.md").symlink_to("x" * 300)
        feed = newsfeed.load_dir(folder, errors="skip")
        assert len(feed) == 2
        (failure,) = feed.failures
        assert failure.path == folder / "long.md"
        assert isinstance(failure.error, OSError)
        with newsfeed.iter_dir(folder, errors="skip") as articles:
            assert list(articles) == list(feed)
            assert articles.failures == feed.failures
        with newsfeed.Index(folder, db=tmp_path / "i.sqlite3") as index:
            assert index.update().failures == feed.failures

    def test_folder_that_cannot_be_listed(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An unreadable folder is a failure in its place; the files around it still load."""
        locked = folder / "batch00" / "locked"
        locked.mkdir()
        (locked / "hidden-from-us.md").write_bytes(b"")
        refuse_to_list(monkeypatch, locked)
        feed = newsfeed.load_dir(folder, errors="skip")
        assert len(feed) == 2
        (failure,) = feed.failures
        assert failure.path == locked
        assert str(failure) == f"{locked}: cannot list this folder: Permission denied"
        with pytest.raises(FeedLoadError):
            newsfeed.load_dir(folder)


class TestWorkers:
    """workers=N parses in N processes and gives exactly the feed one process gives."""

    def test_same_feed_as_one_worker(self, corpus_dir: Path) -> None:
        """Two workers give the same articles, paths and order as one."""
        one = newsfeed.load_dir(corpus_dir)
        two = newsfeed.load_dir(corpus_dir, workers=2)
        assert two == one
        assert [a.path for a in two] == [a.path for a in one]

    def test_same_failures_as_one_worker(self, mixed_dir: Path) -> None:
        """Failures travel back from the workers, in order, with their classes."""
        one = newsfeed.load_dir(mixed_dir, errors="skip")
        three = newsfeed.load_dir(mixed_dir, errors="skip", workers=3)
        assert three == one
        assert [type(f.error) for f in three.failures] == [type(f.error) for f in one.failures]
        with pytest.raises(FeedLoadError) as caught:
            newsfeed.load_dir(mixed_dir, workers=2)
        assert caught.value.failures == one.failures

    def test_more_workers_than_files(self, tmp_path: Path) -> None:
        """Eight workers on one file, or none, still work."""
        assert newsfeed.load_dir(tmp_path, workers=8) == Feed()
        newsfeed.dump(GOOD[0], tmp_path / "one.md")
        assert list(newsfeed.load_dir(tmp_path, workers=8)) == [GOOD[0]]

    def test_chunks_cover_every_file_in_order(self) -> None:
        """Chunks split the sorted list into bounded runs, several per worker."""
        paths = [f"{index}.md" for index in range(10_000)]
        chunks = workers_module._chunks(paths, 2)
        assert [path for chunk in chunks for path in chunk] == paths
        assert max(len(chunk) for chunk in chunks) == workers_module._MAX_CHUNK
        small = workers_module._chunks(paths[:300], 2)
        assert len(small) == 8
        assert workers_module._chunks(paths[:3], 4) == [["0.md"], ["1.md"], ["2.md"]]

    def test_collector_paused_and_restarted(self) -> None:
        """The collector is paused while a chunk is built and restarted after, even on error."""
        seen: list[bool] = []

        def build() -> None:
            with dir_module.collector_paused():
                seen.append(gc.isenabled())
                raise KeyError

        assert gc.isenabled()
        with pytest.raises(KeyError):
            build()
        assert seen == [False]
        assert gc.isenabled()

    def test_collector_left_off_when_it_was(self) -> None:
        """A collector the caller had turned off stays off."""
        gc.disable()
        try:
            with dir_module.collector_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        finally:
            gc.enable()

    def test_chunk_loader(self, mixed_dir: Path) -> None:
        """What a worker runs sends back articles and failures as values, in order."""
        names = [str(mixed_dir / "batch00/0001.md"), str(mixed_dir / "batch00/0001a.md")]
        (article, failure), warned = workers_module._unpickle_chunk(
            workers_module._load_chunk(names)
        )
        assert warned == []
        assert article == GOOD[1]
        assert isinstance(failure, LoadFailure)
        assert isinstance(failure.error, ParseError)


class TestCollectorDuringLoad:
    """load_dir pauses the cyclic collector for the whole load and leaves it as it found it."""

    @staticmethod
    def watch(monkeypatch: pytest.MonkeyPatch, *, fail: bool = False) -> list[bool]:
        """Record the collector's state as each file is loaded; with *fail*, raise instead."""
        seen: list[bool] = []
        real = workers_module.load_one

        def load_one(path: str, refused: dict[str, str]) -> Article | LoadFailure:
            seen.append(gc.isenabled())
            if fail:
                raise KeyboardInterrupt
            return real(path, refused)

        monkeypatch.setattr(dir_module, "load_one", load_one)
        return seen

    def test_paused_then_restored(self, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """With one worker the collector is off for every file and on again afterwards."""
        seen = self.watch(monkeypatch)
        assert gc.isenabled()
        assert len(newsfeed.load_dir(corpus_dir)) == len(ARTICLES)
        assert seen == [False] * len(ARTICLES)
        assert gc.isenabled()

    def test_restored_after_an_exception(
        self, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An exception escaping the load (here an interrupt) still restarts the collector."""
        seen = self.watch(monkeypatch, fail=True)
        with pytest.raises(KeyboardInterrupt):
            newsfeed.load_dir(corpus_dir)
        assert seen == [False]
        assert gc.isenabled()

    def test_restored_after_failed_files(self, mixed_dir: Path) -> None:
        """A FeedLoadError for bad files leaves the collector running."""
        with pytest.raises(FeedLoadError):
            newsfeed.load_dir(mixed_dir)
        assert gc.isenabled()

    @pytest.mark.parametrize("workers", [1, 2])
    def test_left_off_when_it_was(self, corpus_dir: Path, workers: int) -> None:
        """A collector the application had turned off stays off, with one worker or several."""
        gc.disable()
        try:
            assert len(newsfeed.load_dir(corpus_dir, workers=workers)) == len(ARTICLES)
            assert not gc.isenabled()
        finally:
            gc.enable()

    def test_parent_restored_with_workers(self, corpus_dir: Path) -> None:
        """With workers the parent's collector is running again once the feed is back."""
        assert len(newsfeed.load_dir(corpus_dir, workers=2)) == len(ARTICLES)
        assert gc.isenabled()


class TestProgress:
    """progress=True shows a tqdm bar; without tqdm the error names the extra."""

    @pytest.mark.parametrize("workers", [1, 2])
    def test_bar(self, corpus_dir: Path, capsys: pytest.CaptureFixture[str], workers: int) -> None:
        """The bar counts every file, with one worker or several."""
        feed = newsfeed.load_dir(corpus_dir, progress=True, workers=workers)
        assert len(feed) == 300
        err = capsys.readouterr().err
        assert "300/300" in err
        assert "file" in err

    def test_iter_dir_bar(self, corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """iter_dir moves its bar as it reads."""
        assert sum(1 for _ in newsfeed.iter_dir(corpus_dir, progress=True)) == 300
        assert "300/300" in capsys.readouterr().err

    def test_without_tqdm(self, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without tqdm, progress=True fails before reading, naming the extra."""
        monkeypatch.setitem(sys.modules, "tqdm", None)
        monkeypatch.setitem(sys.modules, "tqdm.auto", None)
        calls: list[str] = []

        def spy(path: str) -> Article:
            calls.append(path)
            return newsfeed.load(path)

        monkeypatch.setattr(workers_module, "load_reusing", spy)
        for function in (newsfeed.load_dir, newsfeed.iter_dir):
            with pytest.raises(ImportError, match=r"pip install 'newsfeed-articles\[progress\]'"):
                function(corpus_dir, progress=True)
        assert calls == []
        # The spy does see reads, and loading without a bar still works.
        assert len(newsfeed.load_dir(corpus_dir, pattern="batch00/*.md")) == 50
        assert len(calls) == 50


class TestIterDir:
    """iter_dir reads lazily, one file at a time, and accounts for every failure."""

    def test_same_articles_as_load_dir(self, corpus_dir: Path) -> None:
        """It yields the articles load_dir returns, in the same order."""
        articles = newsfeed.iter_dir(corpus_dir)
        assert articles.total == 300
        assert list(articles) == list(newsfeed.load_dir(corpus_dir))
        assert articles.failures == ()

    def test_reads_one_file_per_article(
        self, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Nothing is read until asked for, then one file per next()."""
        read: list[str] = []

        def spy(path: str) -> Article:
            read.append(path)
            return newsfeed.load(path)

        monkeypatch.setattr(workers_module, "load_reusing", spy)
        articles = newsfeed.iter_dir(corpus_dir)
        assert read == []
        assert next(articles) == ARTICLES[0]
        assert len(read) == 1
        assert next(articles) == ARTICLES[1]
        assert read == [str(corpus_dir / corpus.relative_path(i)) for i in range(2)]

    def test_lets_go_of_each_article(self, corpus_dir: Path) -> None:
        """The iterator keeps no reference to an article once the next one is read."""
        articles = newsfeed.iter_dir(corpus_dir)
        first = next(articles)
        gone = weakref.ref(first)
        del first
        next(articles)
        gc.collect()
        assert gone() is None

    def test_reads_files_when_their_turn_comes(self, tmp_path: Path) -> None:
        """A file changed after the iterator was made is read as it is then."""
        corpus.write_corpus(tmp_path, GOOD[:3])
        articles = newsfeed.iter_dir(tmp_path)
        newsfeed.dump(GOOD[5], tmp_path / corpus.relative_path(2))
        assert list(articles) == [GOOD[0], GOOD[1], GOOD[5]]

    def test_skip_reports_failures_as_it_goes(
        self, mixed_dir: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """The errors list grows as bad files are met; one warning comes at the end."""
        articles = newsfeed.iter_dir(mixed_dir, errors="skip")
        with caplog.at_level(logging.WARNING, logger="newsfeed"):
            assert next(articles) == GOOD[0]
            assert not articles.failures
            assert next(articles) == GOOD[1]
            assert next(articles) == GOOD[2]
            assert [f.path.name for f in articles.failures] == ["0001a.md"]
            assert newsfeed_warnings(caplog) == []
            rest = list(articles)
        assert rest == GOOD[3:]
        assert [f.path for f in articles.failures] == bad_paths(mixed_dir)
        (record,) = newsfeed_warnings(caplog)
        assert record.getMessage().startswith("6 of 18 files under")

    def test_raise_yields_good_then_raises_once(self, mixed_dir: Path) -> None:
        """errors="raise" yields every good article, then raises one error naming all bad ones."""
        articles = newsfeed.iter_dir(mixed_dir)
        seen: list[Article] = []
        with pytest.raises(FeedLoadError) as caught:
            seen.extend(articles)
        assert seen == GOOD
        assert [f.path for f in caught.value.failures] == bad_paths(mixed_dir)
        assert caught.value.failures == articles.failures

    def test_stopping_early_reports_nothing_more(
        self, mixed_dir: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Closing midway neither raises nor warns; errors holds what was met."""
        with (
            caplog.at_level(logging.WARNING, logger="newsfeed"),
            newsfeed.iter_dir(mixed_dir) as articles,
        ):
            for _ in range(3):
                next(articles)
        assert len(articles.failures) == 1
        with pytest.raises(StopIteration):
            next(articles)
        assert newsfeed_warnings(caplog) == []

    def test_repr(self, corpus_dir: Path) -> None:
        """The repr names the folder and the file count."""
        assert (
            repr(newsfeed.iter_dir(corpus_dir))
            == f"<DirIterator over 300 files under {str(corpus_dir)!r}>"
        )


class TestReloading:
    """A folder loaded again while its last feed is alive shares the articles of unchanged files."""

    def test_unchanged_files_give_the_same_articles(self, corpus_dir: Path) -> None:
        """The second feed is equal, and made of the very same objects: no second copy in memory."""
        first = newsfeed.load_dir(corpus_dir)
        second = newsfeed.load_dir(corpus_dir)
        assert second == first
        assert all(new is old for new, old in zip(second, first, strict=True))

    def test_a_changed_file_is_read_again(self, tmp_path: Path) -> None:
        """Same size, same modification time, other bytes: the new article, not the old one."""
        path = tmp_path / "a.md"
        path.write_text(newsfeed.dumps(GOOD[0]), encoding="utf-8")
        first = newsfeed.load_dir(tmp_path)
        info = path.stat()
        edited = attrs.evolve(GOOD[0], title=GOOD[0].title[:-1] + "?")
        path.write_text(newsfeed.dumps(edited), encoding="utf-8")
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        assert path.stat().st_size == info.st_size
        second = newsfeed.load_dir(tmp_path)
        assert second[0].title == edited.title
        assert first[0].title == GOOD[0].title

    def test_same_bytes_at_another_path_is_another_article(self, tmp_path: Path) -> None:
        """Each article keeps its own path, even when two files hold the same bytes."""
        text = newsfeed.dumps(GOOD[0])
        (tmp_path / "a.md").write_text(text, encoding="utf-8")
        (tmp_path / "b.md").write_text(text, encoding="utf-8")
        feed = newsfeed.load_dir(tmp_path)
        assert [article.path for article in feed] == [tmp_path / "a.md", tmp_path / "b.md"]

    def test_a_file_with_a_warning_warns_each_time(self, tmp_path: Path) -> None:
        """A null topic item is reported on every load, so its article is read anew each time."""
        text = newsfeed.dumps(attrs.evolve(GOOD[0], topics=("AI",)))
        (tmp_path / "a.md").write_text(text.replace("  - AI\n", "  - AI\n  -\n"), encoding="utf-8")
        for _ in range(2):
            with pytest.warns(newsfeed.NewsfeedWarning, match="null list item"):
                feed = newsfeed.load_dir(tmp_path)
            assert feed[0].topics == ("AI",)

    @pytest.mark.parametrize("workers", [1, 2])
    def test_warnings_reach_the_caller_with_workers(self, tmp_path: Path, workers: int) -> None:
        """A file's warning comes to the caller from a worker process too, once, in file order."""
        text = newsfeed.dumps(attrs.evolve(GOOD[0], topics=("AI",)))
        nulled = text.replace("  - AI\n", "  - AI\n  -\n")
        for name in ("a.md", "b.md"):
            (tmp_path / name).write_text(nulled, encoding="utf-8")
        (tmp_path / "c.md").write_text(text, encoding="utf-8")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            feed = newsfeed.load_dir(tmp_path, workers=workers)
        assert len(feed) == 3
        assert [type(warning.message) for warning in caught] == [newsfeed.NewsfeedWarning] * 2
        assert [Path(str(warning.message).split(":")[0]).name for warning in caught] == [
            "a.md",
            "b.md",
        ]

    def test_articles_are_not_kept_alive(self, corpus_dir: Path) -> None:
        """What the loader remembers goes with the articles: it holds none of them itself."""
        feed = newsfeed.load_dir(corpus_dir)
        alive = weakref.ref(feed[0])
        del feed
        gc.collect()
        assert alive() is None
