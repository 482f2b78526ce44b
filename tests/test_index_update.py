"""Index.update: only what changed is parsed, every change is seen, failures kept as in load_dir."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import sqlite3
import stat
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import newsfeed
import newsfeed._index.update
from index_support import BAD_TEXT, NASDAQ, make_folder, retitle, set_mtime
from newsfeed import Index, IndexUpdate


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a folder of two good article files."""
    return make_folder(tmp_path)


@pytest.fixture
def index(folder: Path, tmp_path: Path) -> Index:
    """Return an index of *folder* in tmp_path, updated once."""
    opened = Index(folder, db=tmp_path / "index.sqlite3")
    opened.update()
    return opened


def counts(update: IndexUpdate) -> tuple[int, int, int, int]:
    """Return (added, changed, deleted, unchanged)."""
    return update.added, update.changed, update.deleted, update.unchanged


def age(path: Path, seconds: int = 60) -> None:
    """Move the times of *path* back, as for a file written long before the last update."""
    set_mtime(path, time.time_ns() - seconds * 1_000_000_000)


def stored_titles(index: Index) -> list[str]:
    """Return the titles the index holds, in file order."""
    return [article.title for article in index.load()]


class TestIncremental:
    """Each kind of change is counted and shows in the index; nothing else is parsed."""

    def test_first_update_adds_everything(self, folder: Path, tmp_path: Path) -> None:
        """A new index adds every file and then holds what load_dir loads."""
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            update = index.update()
            assert counts(update) == (2, 0, 0, 0)
            assert update.failures == ()
            assert index.load() == newsfeed.load_dir(folder)

    def test_nothing_changed(self, index: Index, folder: Path) -> None:
        """A second update finds every file unchanged."""
        for path in folder.rglob("*.md"):
            age(path)
        assert counts(index.update()) == (0, 0, 0, 2)
        assert counts(index.update()) == (0, 0, 0, 2)

    def test_add(self, index: Index, folder: Path) -> None:
        """A new file is added, and only it."""
        shutil.copy(NASDAQ, folder / "2020" / "copy.md")
        assert counts(index.update()) == (1, 0, 0, 2)
        assert index.load() == newsfeed.load_dir(folder)

    def test_change(self, index: Index, folder: Path) -> None:
        """An edited file is parsed again."""
        retitle(folder / "nasdaq.md", "A new title")
        update = index.update()
        assert (update.added, update.changed, update.deleted) == (0, 1, 0)
        assert "A new title" in stored_titles(index)
        assert index.load() == newsfeed.load_dir(folder)

    def test_delete(self, index: Index, folder: Path) -> None:
        """A removed file leaves the index, with its topics and its text."""
        (folder / "nasdaq.md").unlink()
        update = index.update()
        assert (update.added, update.changed, update.deleted) == (0, 0, 1)
        assert index.load() == newsfeed.load_dir(folder)
        assert len(index.filter(topic="AWS AI")) == 0
        assert len(index.search("Nasdaq", limit=None).filter(provider="nasdaq.com")) == 0

    def test_rename(self, index: Index, folder: Path) -> None:
        """A renamed file is one deleted and one added, with its new path."""
        (folder / "nasdaq.md").rename(folder / "2020" / "renamed.md")
        update = index.update()
        assert (update.added, update.changed, update.deleted) == (1, 0, 1)
        loaded = index.load()
        assert loaded == newsfeed.load_dir(folder)
        assert [article.path for article in loaded] == [
            folder / "2020" / "observer.md",
            folder / "2020" / "renamed.md",
        ]

    def test_touch_without_change(self, index: Index, folder: Path) -> None:
        """A file whose mtime moved but whose content did not is unchanged (its hash says so)."""
        path = folder / "nasdaq.md"
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
        assert counts(index.update()) == (0, 0, 0, 2)

    def test_change_within_the_same_mtime(self, index: Index, folder: Path) -> None:
        """An edit that keeps size and mtime, in the tick of the last update, is still seen."""
        path = folder / "nasdaq.md"
        before = path.stat()
        text = path.read_text(encoding="utf-8")
        # Same length, other content, and the mtime put back as it was.
        edited = text.replace("Amazon Bans", "Amazon Buns", 1)
        assert len(edited) == len(text)
        assert edited != text
        path.write_text(edited, encoding="utf-8")
        set_mtime(path, before.st_mtime_ns)
        assert path.stat().st_size == before.st_size
        update = index.update()
        assert update.changed == 1
        assert index.load() == newsfeed.load_dir(folder)

    def test_mtime_set_back_is_seen(self, index: Index, folder: Path) -> None:
        """An edit that keeps the size and sets an old mtime back is seen, by the change time.

        As ``cp -p``, ``rsync -t`` or ``tar`` leave a file: the modification
        time is the old one, the change time (which only the system sets) is new.
        """
        path = folder / "nasdaq.md"
        age(path)
        index.update()
        stamp = path.stat().st_mtime_ns
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Amazon Bans", "Amazon Buns", 1), encoding="utf-8")
        set_mtime(path, stamp)
        assert counts(index.update()) == (0, 1, 0, 1)
        assert index.load() == newsfeed.load_dir(folder)

    def test_old_times_are_trusted(self, index: Index, monkeypatch: pytest.MonkeyPatch) -> None:
        """Once a file's times are before the last update, it is not even read.

        This is what makes an update of an unchanged folder cheap. (The
        window of two seconds is taken away here, so that the test need
        not wait for it.)
        """
        monkeypatch.setattr(newsfeed._index.update, "RACY_WINDOW_NS", 0)
        index.update()

        def unread(path: str) -> bytes:
            raise AssertionError(f"{path} was read")

        monkeypatch.setattr(newsfeed._index.update, "read_file", unread)
        assert counts(index.update()) == (0, 0, 0, 2)

    def test_update_report_text(self, index: Index, folder: Path) -> None:
        """The report reads as a sentence with every count."""
        (folder / "bad.md").write_text(BAD_TEXT, encoding="utf-8")
        text = str(index.update())
        assert text.startswith("1 added, 0 changed, 0 deleted, ")
        assert text.endswith("; 1 failed to load")


class TestFailures:
    """Bad files are recorded as load_dir records them, and read files are tried again."""

    def test_same_failures_as_load_dir(self, tmp_path: Path) -> None:
        """Failures (parse, validation, unreadable) equal load_dir's, path and message."""
        folder = make_folder(tmp_path, bad=True)
        (folder / "invalid.md").write_text(
            "---\ntitle: t\npublishedDateTime: 2020-06-11T12:02:00Z\n---\n", encoding="utf-8"
        )
        (folder / "dangling.md").symlink_to(folder / "missing-target.md")
        expected = newsfeed.load_dir(folder, errors="skip")
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            update = index.update()
            assert update.failures == expected.failures
            assert [str(failure) for failure in update.failures] == [
                str(failure) for failure in expected.failures
            ]
            assert index.load(errors="skip") == expected
            # Stored and read back, not only kept in memory.
            assert index.update().failures == expected.failures
            classes = [type(failure.error) for failure in index.update().failures]
        assert classes == [newsfeed.ParseError, FileNotFoundError, newsfeed.ValidationError]

    def test_too_large_file(self, tmp_path: Path) -> None:
        """A file over the size limit fails as newsfeed.load fails on it."""
        folder = make_folder(tmp_path)
        big = folder / "big.md"
        big.write_bytes(b"---\ntitle: x\n---\n" + b"x" * (8 * 1024 * 1024))
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            (failure,) = index.update().failures
        (expected,) = newsfeed.load_dir(folder, errors="skip").failures
        assert failure == expected

    def test_link_out_of_the_folder_is_a_failure_as_in_load_dir(self, tmp_path: Path) -> None:
        """A link to a file outside the folder is not read: the same failure as load_dir's."""
        folder = make_folder(tmp_path)
        outside = tmp_path / "outside.md"
        shutil.copy(NASDAQ, outside)
        (folder / "out.md").symlink_to(outside)
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            (failure,) = index.update().failures
            assert index.update().failures == (failure,)
        (expected,) = newsfeed.load_dir(folder, errors="skip").failures
        assert failure == expected

    @pytest.mark.skipif(sys.platform != "linux", reason="names a file with bytes not UTF-8")
    def test_link_out_to_a_name_not_utf8(self, tmp_path: Path) -> None:
        """A failure whose text holds a name that is not UTF-8 is stored, as load_dir reports it."""
        folder = make_folder(tmp_path)
        outside = os.fsencode(tmp_path) + b"/caf\xe9.md"
        shutil.copy(NASDAQ, os.fsdecode(outside))
        (folder / "out.md").symlink_to(os.fsdecode(outside))
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            (failure,) = index.update().failures
            loaded = index.load(errors="skip")
        (expected,) = newsfeed.load_dir(folder, errors="skip").failures
        assert failure == expected
        assert loaded.failures == (expected,)
        assert str(loaded.failures[0]) == str(expected)

    @pytest.mark.skipif(sys.platform != "linux", reason="makes a FIFO, a socket and a device")
    def test_special_files_refused_without_blocking(self, tmp_path: Path) -> None:
        """A FIFO, socket or device named like an article fails as in load_dir, without blocking."""
        folder = make_folder(tmp_path)
        os.mkfifo(folder / "pipe.md")
        kinds = {"a FIFO", "a socket"}
        try:
            os.mknod(folder / "null.md", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
            kinds.add("a character device")
        except PermissionError:  # not root: the FIFO and the socket show it
            pass
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(folder / "sock.md"))
            expected = newsfeed.load_dir(folder, errors="skip").failures
            with Index(folder, db=tmp_path / "i.sqlite3") as index:
                update = index.update()
                assert update.failures == expected
                assert {str(failure.error).split("(")[-1] for failure in update.failures} == {
                    f"{kind})" for kind in kinds
                }
                # Looked at again, and found as they were.
                assert counts(index.update()) == (0, 0, 0, 2 + len(kinds))

    def test_failures_that_stay_are_unchanged(self, tmp_path: Path) -> None:
        """A dangling link and a link out of the folder, as before, count as unchanged."""
        folder = make_folder(tmp_path)
        (folder / "dangling.md").symlink_to(folder / "missing-target.md")
        outside = tmp_path / "outside.md"
        shutil.copy(NASDAQ, outside)
        (folder / "out.md").symlink_to(outside)
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            assert counts(index.update()) == (4, 0, 0, 0)
            assert counts(index.update()) == (0, 0, 0, 4)
            assert len(index.update().failures) == 2

    def test_unreadable_file_is_tried_again(self, tmp_path: Path) -> None:
        """A file that could not be read is read on the next update, once it can be."""
        folder = make_folder(tmp_path)
        link = folder / "later.md"
        # Inside the folder (a link out of it is never read), and not itself
        # an article file: only the link is listed.
        target = folder / "target.txt"
        link.symlink_to(target)
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            assert len(index.update().failures) == 1
            shutil.copy(NASDAQ, target)
            update = index.update()
            assert update.failures == ()
            assert update.changed == 1
            assert index.load() == newsfeed.load_dir(folder)

    def test_fixed_file(self, tmp_path: Path) -> None:
        """A bad file that is fixed becomes an article."""
        folder = make_folder(tmp_path, bad=True)
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            assert len(index.update().failures) == 1
            shutil.copy(NASDAQ, folder / "bad.md")
            assert index.update().failures == ()
            assert len(index.load()) == 3

    def test_load_raises_like_load_dir(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """load() raises FeedLoadError by default, and logs one warning with errors='skip'."""
        folder = make_folder(tmp_path, bad=True)
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            index.update()
            with pytest.raises(newsfeed.FeedLoadError) as raised:
                index.load()
            with pytest.raises(newsfeed.FeedLoadError) as expected:
                newsfeed.load_dir(folder)
            assert raised.value.failures == expected.value.failures
            assert str(raised.value) == str(expected.value)
            with caplog.at_level(logging.WARNING, logger="newsfeed"):
                feed = index.load(errors="skip")
            assert len(feed.failures) == 1
            assert "1 of 3 files" in caplog.text
            with pytest.raises(ValueError, match="errors must be"):
                index.load(errors="ignore")  # type: ignore[arg-type]  # the case under test


def warned(action: Callable[[], object]) -> list[str]:
    """Return the messages of the NewsfeedWarnings *action* issues, every one."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action()
    assert all(warning.category is newsfeed.NewsfeedWarning for warning in caught)
    return [str(warning.message) for warning in caught]


class TestWarnings:
    """A file read with a warning warns on every load from the index, as load_dir does."""

    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        """Return the two fixtures, one with a null item in its topics."""
        folder = make_folder(tmp_path)
        path = folder / "nasdaq.md"
        path.write_text(
            path.read_text(encoding="utf-8").replace("topics:\n", "topics:\n  -\n", 1),
            encoding="utf-8",
        )
        return folder

    def test_each_load(self, folder: Path, tmp_path: Path) -> None:
        """update() keeps the warning, and each load() gives it as load_dir gives it."""
        expected = warned(lambda: newsfeed.load_dir(folder))
        assert len(expected) == 1
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            assert warned(index.update) == []
            assert warned(index.load) == expected
            assert warned(index.load) == expected
            assert warned(lambda: counts(index.update())) == []
            assert warned(index.load) == expected
            # Queries are not reads of the files, as Feed.filter is not.
            assert warned(index.filter) == []

    def test_load_dir_cache(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """load_dir(cache=True) warns once per load, first and later, as load_dir."""
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
        expected = warned(lambda: newsfeed.load_dir(folder))
        assert warned(lambda: newsfeed.load_dir(folder, cache=True)) == expected
        assert warned(lambda: newsfeed.load_dir(folder, cache=True)) == expected


class TestWarningsAsErrors:
    """With a filter that makes a file's warning an error, the file is a failure, as in load_dir."""

    def test_every_way_of_loading_agrees(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """load_dir with one or two workers, Index.load and the cache give the same feed."""
        folder = make_folder(tmp_path)
        path = folder / "nasdaq.md"
        path.write_text(
            path.read_text(encoding="utf-8").replace("topics:\n", "topics:\n  -\n", 1),
            encoding="utf-8",
        )
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
        with Index(folder, db=tmp_path / "i.sqlite3") as index, warnings.catch_warnings():
            warnings.simplefilter("error", newsfeed.NewsfeedWarning)
            index.update()
            expected = newsfeed.load_dir(folder, errors="skip")
            assert len(expected) == 1
            assert [failure.path for failure in expected.failures] == [path]
            feeds = {
                "two workers": newsfeed.load_dir(folder, errors="skip", workers=2),
                "index": index.load(errors="skip"),
                "cache": newsfeed.load_dir(folder, errors="skip", cache=True),
            }
        for name, feed in feeds.items():
            assert feed == expected, name
            assert [str(failure) for failure in feed.failures] == [
                str(failure) for failure in expected.failures
            ], name


class TestPruning:
    """What no file uses any more is removed, so the database does not grow with edits."""

    def test_layouts_and_their_parts(self, index: Index, folder: Path) -> None:
        """Once every file is gone, no layout and no part of a layout's shape is left."""
        tables = ("files", "layouts", "shape_nodes")
        connection = sqlite3.connect(index.db)
        try:
            assert connection.execute("SELECT count(*) FROM shape_nodes").fetchone()[0] > 0
            for path in folder.rglob("*.md"):
                path.unlink()
            assert index.update().deleted == 2
            left = {
                # Our own table names, not input.
                table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                for table in tables
            }
        finally:
            connection.close()
        assert left == dict.fromkeys(tables, 0)

    def test_parts_still_used_are_kept(self, index: Index, folder: Path) -> None:
        """Deleting one file keeps every part the other file's layout needs."""
        (folder / "nasdaq.md").unlink()
        assert index.update().deleted == 1
        (kept,) = index.load()
        assert kept == newsfeed.load(folder / "2020" / "observer.md")
        assert newsfeed.dumps(kept) == (folder / "2020" / "observer.md").read_text(encoding="utf-8")


class TestFolders:
    """Paths: stored relative to the folder, given back in the form the folder was given."""

    def test_paths_stored_relative(self, index: Index) -> None:
        """The database holds POSIX paths relative to the folder."""
        with sqlite3.connect(index.db) as connection:
            paths = sorted(row[0] for row in connection.execute("SELECT path FROM files"))
        assert paths == ["2020/observer.md", "nasdaq.md"]

    def test_relative_folder(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A folder given relative to the working directory gives the paths load_dir gives."""
        monkeypatch.chdir(folder.parent)
        with Index("articles", db=tmp_path / "i.sqlite3") as index:
            index.update()
            loaded = index.load()
        expected = newsfeed.load_dir("articles")
        assert [article.path for article in loaded] == [article.path for article in expected]
        assert loaded[0].path == Path("articles/2020/observer.md")

    def test_current_folder(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The folder "." gives bare relative paths, as load_dir does."""
        monkeypatch.chdir(folder)
        with Index(".", db=tmp_path / "i.sqlite3") as index:
            index.update()
            loaded = index.load()
        assert [article.path for article in loaded] == [
            article.path for article in newsfeed.load_dir(".")
        ]

    @pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that allows any bytes")
    def test_names_that_are_not_utf8(self, folder: Path, tmp_path: Path) -> None:
        """A file name that is not UTF-8 is indexed, found again, and deleted like any other."""
        odd = Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9.md"))
        shutil.copy(NASDAQ, odd)
        bad = Path(os.fsdecode(os.fsencode(folder) + b"/bad-\xff.md"))
        bad.write_text(BAD_TEXT, encoding="utf-8")
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            update = index.update()
            assert update.added == 4
            assert [failure.path for failure in update.failures] == [bad]
            loaded = index.load(errors="skip")
            expected = newsfeed.load_dir(folder, errors="skip")
            assert loaded == expected
            assert [article.path for article in loaded] == [article.path for article in expected]
            assert counts(index.update()) == (0, 0, 0, 4)
            odd.unlink()
            assert index.update().deleted == 1

    @pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that allows any bytes")
    def test_folder_name_that_is_not_utf8(self, tmp_path: Path) -> None:
        """A folder whose own name is not UTF-8 is indexed, and told apart from a similar one."""
        parent = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9"))
        parent.mkdir()
        folder = make_folder(parent)
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            assert index.update().added == 2
            assert index.load() == newsfeed.load_dir(folder)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with Index(folder, db=tmp_path / "i.sqlite3") as index:
                assert counts(index.update()) == (0, 0, 0, 2)

    def test_pattern(self, folder: Path, tmp_path: Path) -> None:
        """Only the files matching the pattern are indexed."""
        with Index(folder, db=tmp_path / "i.sqlite3", pattern="*.md") as index:
            assert counts(index.update()) == (1, 0, 0, 0)
            assert index.load() == newsfeed.load_dir(folder, pattern="*.md")

    def test_missing_folder(self, tmp_path: Path) -> None:
        """Updating the index of a folder that does not exist fails as load_dir does."""
        with (
            Index(tmp_path / "nowhere", db=tmp_path / "i.sqlite3") as index,
            pytest.raises(FileNotFoundError),
        ):
            index.update()

    def test_repr(self, index: Index, folder: Path) -> None:
        """The repr names the folder, the pattern and the database."""
        assert repr(index) == f"<Index of {str(folder)!r} (**/*.md) in {str(index.db)!r}>"


class TestProgress:
    """progress=True shows a tqdm bar; without tqdm the error names the extra."""

    def test_bar(self, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The bar counts the files."""
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            index.update(progress=True)
        assert "2/2" in capsys.readouterr().err

    def test_without_tqdm(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without tqdm, the ImportError says which extra to install."""
        monkeypatch.setitem(sys.modules, "tqdm.auto", None)
        with (
            Index(folder, db=tmp_path / "i.sqlite3") as index,
            pytest.raises(ImportError, match=r"newsfeed-articles\[progress\]"),
        ):
            index.update(progress=True)


class TestReading:
    """Files are read whole, as newsfeed.load reads them, whatever their reported size."""

    def test_wrong_reported_size(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file that reports a size of 0 (as special files do) is still read to its end."""
        real_fstat = os.fstat

        def tiny(descriptor: int) -> os.stat_result:
            status = real_fstat(descriptor)
            return os.stat_result((*status[:6], 0, *status[7:]))

        monkeypatch.setattr(os, "fstat", tiny)
        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            index.update()
            assert index.load() == newsfeed.load_dir(folder)

    def test_read_error_after_listing(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file that cannot be read once listed is a failure, and is read again next time."""

        def refuse(path: str) -> bytes:
            raise PermissionError(13, "Permission denied", path)

        with Index(folder, db=tmp_path / "i.sqlite3") as index:
            with monkeypatch.context() as patch:
                patch.setattr(newsfeed._index.update, "read_file", refuse)
                failures = index.update().failures
            assert [type(failure.error) for failure in failures] == [PermissionError] * 2
            assert str(failures[1]) == f"{folder / 'nasdaq.md'}: cannot read: Permission denied"
            assert index.update().failures == ()
            assert index.load() == newsfeed.load_dir(folder)
