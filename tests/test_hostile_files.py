"""Hostile files and odd file systems: one file never aborts a folder, hangs, or pins memory."""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import tracemalloc
import types
from collections.abc import Callable
from pathlib import Path

import pytest

import corpus
import newsfeed
from newsfeed import Article, LoadFailure, ParseError
from newsfeed._cli import files as cli_files
from newsfeed._feed import workers as workers_module
from newsfeed._files import reading as reading_module
from newsfeed._format import reading as format_reading
from newsfeed._index import update as index_update

GOOD = corpus.make_articles(6, seed=11)
#: Tests that patch the reader in this process and expect worker processes
#: to see the patch: only forked workers do.
needs_fork = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="workers must be forked to be patched"
)

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

    def loads(data: bytes, *, source: str | os.PathLike[str] | None = None) -> Article:
        if BOOM in data:
            raise KeyError("tag:yaml.org,2002:bool")
        return real_loads(data, source=source)

    real_read_article = format_reading.read_article

    def read_article(
        data: bytes, *, source: str | os.PathLike[str] | None = None
    ) -> tuple[Article, list[newsfeed.NewsfeedWarning]]:
        if BOOM in data:
            raise KeyError("tag:yaml.org,2002:bool")
        return real_read_article(data, source=source)

    monkeypatch.setattr(reading_module, "loads", loads)
    # What load_dir and iter_dir read with, and the index.
    monkeypatch.setattr(reading_module, "read_article", read_article)
    monkeypatch.setattr(index_update, "read_article", read_article)


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

    @pytest.mark.parametrize("workers", [1, pytest.param(2, marks=needs_fork)])
    def test_load_dir_skip_keeps_the_rest(self, folder: Path, workers: int) -> None:
        """load_dir(errors="skip") returns every good article and the crash as a failure."""
        feed = newsfeed.load_dir(folder, errors="skip", workers=workers)
        assert list(feed) == GOOD
        self._check_failure(feed.failures, folder)

    def test_load_dir_raise_names_the_file(self, folder: Path) -> None:
        """load_dir(errors="raise") raises one FeedLoadError naming the file, not the KeyError."""
        with pytest.raises(newsfeed.FeedLoadError) as caught:
            newsfeed.load_dir(folder)
        self._check_failure(caught.value.failures, folder)

    def test_iter_dir_goes_on(self, folder: Path) -> None:
        """iter_dir yields every good article and records the crash in errors."""
        articles = newsfeed.iter_dir(folder, errors="skip")
        assert list(articles) == GOOD
        self._check_failure(articles.failures, folder)

    def test_index_update_goes_on(
        self, folder: Path, tmp_path_factory: pytest.TempPathFactory
    ) -> None:
        """Index.update() stores the crash as the file's failure, and load() gives load_dir's."""
        db = tmp_path_factory.mktemp("index") / "index.db"
        with newsfeed.Index(folder, db=db) as index:
            report = index.update()
            feed = index.load(errors="skip")
        assert report.added == len(GOOD) + 1
        self._check_failure(report.failures, folder)
        assert list(feed) == GOOD
        self._check_failure(feed.failures, folder)

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
        assert len(articles.failures) == 4
        for failure in articles.failures:
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
        assert len(articles.failures) == 40
        # Keeping the text would be 40 x 200 KB = 8 MB; the failures need a few KB.
        assert kept < self.PAYLOAD_BYTES


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="the platform has no FIFOs")


class TestRegularFilesOnly:
    """Issue 11, item 2: a FIFO, socket, device or folder named *.md is a failure, never a hang."""

    @needs_fifo
    def test_load_refuses_a_fifo(self, tmp_path: Path) -> None:
        """load() on a FIFO with no writer returns at once with "not a regular file"."""
        os.mkfifo(tmp_path / "x.md")
        with pytest.raises(ParseError, match=r"x\.md: not a regular file \(a FIFO\)$"):
            newsfeed.load(tmp_path / "x.md")

    @needs_fifo
    @pytest.mark.parametrize("workers", [1, 2])
    def test_folder_with_a_fifo(self, tmp_path: Path, workers: int) -> None:
        """load_dir and iter_dir report the FIFO as a failure and load the rest."""
        _write_good(tmp_path)
        os.mkfifo(tmp_path / "02a.md")
        feed = newsfeed.load_dir(tmp_path, errors="skip", workers=workers)
        assert list(feed) == GOOD
        assert [str(failure) for failure in feed.failures] == [
            f"{tmp_path / '02a.md'}: not a regular file (a FIFO)"
        ]
        articles = newsfeed.iter_dir(tmp_path, errors="skip")
        assert list(articles) == GOOD
        assert articles.failures == feed.failures

    @needs_fifo
    def test_cli_loader_with_a_fifo(self, tmp_path: Path) -> None:
        """The command line's loader names the FIFO as a problem."""
        os.mkfifo(tmp_path / "x.md")
        feed, problems = cli_files.load_feed([tmp_path / "x.md"])
        assert list(feed) == []
        assert [problem.render() for problem in problems] == [
            f"{tmp_path / 'x.md'}: not a regular file (a FIFO)"
        ]

    @pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
    def test_socket(self, tmp_path: Path) -> None:
        """A Unix socket named x.md is refused."""
        path = tmp_path / "x.md"
        if len(os.fsencode(path)) > 100:  # pragma: no cover -- a deep temporary folder
            pytest.skip("the path is too long for a socket")
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(os.fspath(path))
            with pytest.raises(ParseError, match=r"not a regular file \(a socket\)$"):
                newsfeed.load(path)

    @pytest.mark.skipif(not os.path.exists(os.devnull), reason="no null device")  # noqa: PTH110 -- a str path
    def test_device(self) -> None:
        """A character device (the null device) is refused, not read as an empty file."""
        with pytest.raises(ParseError, match=r"not a regular file \(a character device\)$"):
            newsfeed.load(os.devnull)

    def test_folder(self, tmp_path: Path) -> None:
        """load() on a folder named x.md says it is not a regular file."""
        (tmp_path / "x.md").mkdir()
        with pytest.raises(ParseError, match=r"not a regular file \(a folder\)$"):
            newsfeed.load(tmp_path / "x.md")

    @needs_fifo
    def test_swapped_after_the_first_look(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file swapped for a FIFO between the look and the open is caught once open."""
        path = tmp_path / "x.md"
        os.mkfifo(path)
        real_stat = os.stat

        def regular_at_first(target: Path) -> os.stat_result:
            info = real_stat(target)
            if target == path:
                return os.stat_result((stat.S_IFREG | 0o644, *tuple(info)[1:]))
            return info

        monkeypatch.setattr(os, "stat", regular_at_first)
        with pytest.raises(ParseError, match=r"not a regular file \(a FIFO\)$"):
            newsfeed.load(path)


class TestWorkersDoNotOutliveTheirParent:
    """Issue 11, item 2: worker processes end when the process that started them is killed."""

    SCRIPT = """
import os, sys, time
import newsfeed
from newsfeed._feed import workers

def stuck(path):
    # Announce this worker, then stay busy as a worker stuck on a file would.
    open(os.path.join(sys.argv[2], str(os.getpid())), "w").close()
    time.sleep(600)

workers.load_reusing = stuck
if __name__ == "__main__":
    newsfeed.load_dir(sys.argv[1], workers=2)
"""

    @pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc, forks")
    def test_killed_parent_takes_its_workers(self, tmp_path: Path) -> None:
        """SIGKILL to a load_dir(workers=2) process ends its two busy workers too."""
        folder = tmp_path / "articles"
        folder.mkdir()
        _write_good(folder)
        announced = tmp_path / "workers"
        announced.mkdir()
        script = tmp_path / "stuck.py"
        script.write_text(self.SCRIPT, encoding="utf-8")
        command = [sys.executable, str(script), str(folder), str(announced)]
        parent = subprocess.Popen(command)  # noqa: S603 -- our own script, run by this Python
        try:
            workers = _wait_for(lambda: len(list(announced.iterdir())) == 2, what="two workers")
            assert workers
            pids = [int(path.name) for path in announced.iterdir()]
            assert all(_alive(pid) for pid in pids)
        finally:
            parent.kill()
            parent.wait()
        assert _wait_for(lambda: not any(_alive(pid) for pid in pids), what="workers to end")


def _wait_for(condition: Callable[[], bool], *, what: str, seconds: float = 60) -> bool:
    """Wait until *condition* holds; fail after a generous time (a liveness check, not a timing)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:  # pragma: no cover -- the failure of a test
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)
    return True


def _alive(pid: int) -> bool:
    """Return whether process *pid* runs (a zombie, dead but not yet reaped, does not)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


@needs_fork
class TestKilledWorker:
    """Issue 11, item 16: a worker killed by SIGKILL loses no more than its own chunk."""

    @pytest.fixture
    def folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """Return a folder whose 'killer.md' kills the worker reading it while a marker exists."""
        folder = tmp_path / "articles"
        folder.mkdir()
        for index, article in enumerate(corpus.make_articles(30, seed=5)):
            newsfeed.dump(article, folder / f"{index:02d}.md")
        newsfeed.dump(GOOD[0], folder / "10a-killer.md")
        real_load = newsfeed.load

        def load(path: str) -> Article:
            marker = tmp_path / "marker"
            if path.endswith("killer.md") and marker.exists():
                if (tmp_path / "once").exists():
                    marker.unlink()
                os.kill(os.getpid(), signal.SIGKILL)
            return real_load(path)

        monkeypatch.setattr(workers_module, "load_reusing", load)
        return folder

    @pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL")
    def test_lost_chunk_is_retried(self, folder: Path) -> None:
        """A worker killed once: its chunk is read again and the whole feed loads."""
        expected = newsfeed.load_dir(folder)
        (folder.parent / "marker").touch()
        (folder.parent / "once").touch()
        assert newsfeed.load_dir(folder, workers=2) == expected
        assert not (folder.parent / "marker").exists()

    @pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL")
    def test_chunk_that_kills_again_is_reported(self, folder: Path) -> None:
        """A file that kills every worker reading it: its chunk's files fail, the rest loads."""
        (folder.parent / "marker").touch()
        feed = newsfeed.load_dir(folder, workers=2, errors="skip")
        failed = [failure.path.name for failure in feed.failures]
        assert "10a-killer.md" in failed
        assert len(failed) < 5
        assert len(feed) + len(failed) == 31
        assert all(isinstance(failure.error, ChildProcessError) for failure in feed.failures)
        assert "died twice" in str(feed.failures[0])
        loaded = {article.path.name for article in feed if article.path is not None}
        assert loaded | set(failed) == {path.name for path in folder.iterdir()}
        with pytest.raises(newsfeed.FeedLoadError, match="died twice"):
            newsfeed.load_dir(folder, workers=2)


class TestLoadFromFileObject:
    """Issue 12: load() takes a binary file object as well as a path."""

    def test_open_file(self, tmp_path: Path) -> None:
        """A file opened with "rb" loads, with its name as the article's path."""
        newsfeed.dump(GOOD[0], tmp_path / "a.md")
        with (tmp_path / "a.md").open("rb") as file:
            article = newsfeed.load(file)
        assert article == GOOD[0]
        assert article.path == tmp_path / "a.md"

    def test_bytes_io(self) -> None:
        """An in-memory file loads; with no name, the article has no path and errors no source."""
        article = newsfeed.load(io.BytesIO(newsfeed.dumps(GOOD[1]).encode()))
        assert article == GOOD[1]
        assert article.path is None
        with pytest.raises(ParseError, match=r"^<string>:1: the file must start"):
            newsfeed.load(io.BytesIO(b"no fence\n"))

    def test_too_large(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file object longer than the size limit is refused, reading one byte past it."""
        monkeypatch.setattr(reading_module, "MAX_FILE_BYTES", 100)
        stream = io.BytesIO(b"-" * 1000)
        with pytest.raises(ParseError, match="larger than 100 bytes"):
            newsfeed.load(stream)
        assert stream.tell() == 101

    def test_text_mode_is_refused(self) -> None:
        """A file opened in text mode is a TypeError saying to open it with "rb"."""
        text = io.StringIO("---\n")
        with pytest.raises(TypeError, match=r"binary mode \('rb'\), got StringIO"):
            newsfeed.load(text)  # type: ignore[arg-type]  # what is tested
        assert text.tell() == 0

    def test_reader_giving_text(self) -> None:
        """An object whose read gives str, though not a text file, is refused too."""

        class Reader:
            def read(self, _size: int) -> str:
                return "---\n"

        with pytest.raises(TypeError, match=r"binary mode \('rb'\), got Reader"):
            newsfeed.load(Reader())  # type: ignore[arg-type]  # what is tested

    def test_neither_path_nor_file(self) -> None:
        """Something else is a TypeError naming its type."""
        with pytest.raises(TypeError, match="path or a binary file object, not int"):
            newsfeed.load(3)  # type: ignore[arg-type]  # what is tested


class TestParentWatch:
    """The watch each worker runs: it ends the worker once the parent is gone."""

    def test_started_as_a_daemon_thread(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Each worker starts one daemon thread watching the parent it has now."""
        started: list[dict[str, object]] = []

        class FakeThread:
            def __init__(self, **kwargs: object) -> None:
                started.append(kwargs)

            def start(self) -> None:
                started.append({"started": True})

        monkeypatch.setattr("newsfeed._feed.workers.threading.Thread", FakeThread)
        workers_module._exit_with_parent()
        assert started == [
            {
                "target": workers_module._watch_parent,
                "args": (os.getppid(),),
                "name": "newsfeed-parent-watch",
                "daemon": True,
            },
            {"started": True},
        ]

    def test_exits_when_the_parent_changes(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The watch polls while the parent is the same and exits at once when it changes."""
        parents = iter([100, 100, 1])
        events: list[str] = []

        class ExitedError(Exception):
            """Stands for the end of the process."""

        def exit_now(status: int) -> None:
            events.append(f"exit {status}")
            raise ExitedError

        monkeypatch.setattr("newsfeed._feed.workers.os.getppid", lambda: next(parents))
        monkeypatch.setattr("newsfeed._feed.workers.time.sleep", lambda _: events.append("sleep"))
        monkeypatch.setattr("newsfeed._feed.workers.os._exit", exit_now)
        with pytest.raises(ExitedError):
            workers_module._watch_parent(100)
        assert events == ["sleep", "sleep", "exit 1"]
