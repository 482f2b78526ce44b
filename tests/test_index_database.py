"""The index's database file: WAL, concurrent processes, and stale, foreign or damaged files."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest

import newsfeed
import newsfeed._index.index
import newsfeed._index.update
from index_support import make_folder
from newsfeed import Index, IndexRebuiltWarning, NotAnIndexError
from newsfeed._index.schema import APPLICATION_ID, SCHEMA_VERSION

#: Bound on each child process of the concurrency tests, in seconds.
CHILD_TIMEOUT = 120


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a folder of two good article files."""
    return make_folder(tmp_path)


def build(folder: Path, db: Path) -> None:
    """Create and fill the index of *folder* in *db*."""
    with Index(folder, db=db) as index:
        index.update()


def damage(tmp_path: Path) -> sqlite3.DatabaseError:
    """Return the error SQLite itself raises on a file that is not a database."""
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all\n" * 100)
    connection = sqlite3.connect(garbage)
    try:
        connection.execute("PRAGMA schema_version")
    except sqlite3.DatabaseError as error:
        return error
    finally:
        connection.close()
    raise AssertionError("SQLite read garbage as a database")


def pragma(db: Path, name: str) -> object:
    """Return the value of ``PRAGMA name`` in *db*."""
    connection = sqlite3.connect(db)
    try:
        return connection.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        connection.close()


class TestFile:
    """A new index is a WAL-mode SQLite file marked as newsfeed's."""

    def test_marks(self, folder: Path, tmp_path: Path) -> None:
        """WAL journal, newsfeed's application id, the schema version, in a new folder."""
        db = tmp_path / "deep" / "er" / "index.sqlite3"
        build(folder, db)
        assert pragma(db, "journal_mode") == "wal"
        assert pragma(db, "application_id") == APPLICATION_ID
        assert pragma(db, "user_version") == SCHEMA_VERSION

    def test_large_columns_last(self, folder: Path, tmp_path: Path) -> None:
        """The encoded article and body are the last columns, so queries on the others skip them."""
        db = tmp_path / "index.sqlite3"
        build(folder, db)
        connection = sqlite3.connect(db)
        try:
            columns = [row[1] for row in connection.execute("PRAGMA table_info(files)")]
        finally:
            connection.close()
        assert columns[-2:] == ["article", "body"]

    def test_reopen_keeps_data(self, folder: Path, tmp_path: Path) -> None:
        """Opening an index again reads what was stored, with no warning and no parsing."""
        db = tmp_path / "i.sqlite3"
        build(folder, db)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with Index(folder, db=db) as index:
                assert index.load() == newsfeed.load_dir(folder)


class TestRebuilt:
    """A stale, foreign-folder or damaged index is rebuilt with a warning, never misread."""

    def test_other_schema_version(self, folder: Path, tmp_path: Path) -> None:
        """An index of another schema version is emptied and rebuilt."""
        db = tmp_path / "i.sqlite3"
        build(folder, db)
        with sqlite3.connect(db) as connection:
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
            # What an older schema might have stored: must not be read as articles.
            connection.execute("UPDATE files SET article = '{\"front\": {}}'")
        with pytest.warns(IndexRebuiltWarning, match="schema"):
            index = Index(folder, db=db)
        with index:
            assert index.load() == newsfeed.Feed()
            assert index.update().added == 2
            assert index.load() == newsfeed.load_dir(folder)
        assert pragma(db, "user_version") == SCHEMA_VERSION

    def test_other_folder(self, folder: Path, tmp_path: Path) -> None:
        """An index of another folder, given as db=, is rebuilt for this one."""
        db = tmp_path / "i.sqlite3"
        other = tmp_path / "other"
        other.mkdir()
        build(other, db)
        with pytest.warns(IndexRebuiltWarning, match="folder"):
            index = Index(folder, db=db)
        with index:
            assert index.update().added == 2
            assert index.load() == newsfeed.load_dir(folder)

    def test_other_pattern(self, folder: Path, tmp_path: Path) -> None:
        """The pattern is part of what an index indexes."""
        db = tmp_path / "i.sqlite3"
        build(folder, db)
        with pytest.warns(IndexRebuiltWarning, match="pattern"):
            Index(folder, db=db, pattern="*.md").close()

    def test_not_a_database(self, folder: Path, tmp_path: Path) -> None:
        """A file that is not SQLite is moved aside (not lost) and a new index is built."""
        db = tmp_path / "i.sqlite3"
        db.write_bytes(b"these are someone's notes, not a database\n" * 100)
        with pytest.warns(IndexRebuiltWarning, match="damaged"):
            index = Index(folder, db=db)
        with index:
            index.update()
            assert index.load() == newsfeed.load_dir(folder)
        kept = tmp_path / "i.sqlite3.corrupt"
        assert kept.read_bytes().startswith(b"these are someone's notes")

    def test_damaged_pages(self, folder: Path, tmp_path: Path) -> None:
        """A database whose pages were overwritten is detected on opening and rebuilt."""
        db = tmp_path / "i.sqlite3"
        build(folder, db)
        with sqlite3.connect(db) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = bytearray(db.read_bytes())
        page = 4096
        # Keep the header page, so the file still opens; garble every other page.
        data[page:] = b"\xa5" * (len(data) - page)
        db.write_bytes(bytes(data))
        with pytest.warns(IndexRebuiltWarning, match="malformed"):
            index = Index(folder, db=db)
        with index:
            index.update()
            assert index.load() == newsfeed.load_dir(folder)

    def test_damage_found_by_update(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Damage that shows only once an update reads the rows also leads to a rebuild."""
        db = tmp_path / "i.sqlite3"
        build(folder, db)
        real = newsfeed._index.update.update_index
        calls = []
        error = damage(tmp_path)

        def damaged_once(*args: Any, **kwargs: Any) -> newsfeed.IndexUpdate:
            calls.append(1)
            if len(calls) == 1:
                raise error
            return real(*args, **kwargs)

        monkeypatch.setattr(newsfeed._index.index, "update_index", damaged_once)
        with Index(folder, db=db) as index:
            with pytest.warns(IndexRebuiltWarning, match="not a database"):
                update = index.update()
            assert update.added == 2
        assert (tmp_path / "i.sqlite3.corrupt").exists()

    def test_busy_is_not_damage(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A locked database is reported as it is, not rebuilt."""
        db = tmp_path / "i.sqlite3"
        build(folder, db)

        def locked(*_args: Any, **_kwargs: Any) -> newsfeed.IndexUpdate:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(newsfeed._index.index, "update_index", locked)
        with Index(folder, db=db) as index, pytest.raises(sqlite3.OperationalError):
            index.update()
        assert not (tmp_path / "i.sqlite3.corrupt").exists()

    def test_load_dir_cache_survives_damage(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """load_dir(cache=True) rebuilds a damaged cache and still returns the folder."""
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
        expected = newsfeed.load_dir(folder, cache=True)
        (db,) = (tmp_path / "cache").glob("*.sqlite3")
        db.write_bytes(b"garbage" * 1000)
        for suffix in ("-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        with pytest.warns(IndexRebuiltWarning):
            assert newsfeed.load_dir(folder, cache=True) == expected

    def test_load_dir_cache_damage_found_by_load(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Damage met while reading the articles back also leads to a rebuild, once."""
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
        expected = newsfeed.load_dir(folder, cache=True)
        real = Index.load
        calls = []
        error = damage(tmp_path)

        def damaged_once(self: Index, **kwargs: Any) -> newsfeed.Feed:
            calls.append(1)
            if len(calls) == 1:
                raise error
            return real(self, **kwargs)

        monkeypatch.setattr(Index, "load", damaged_once)
        with pytest.warns(IndexRebuiltWarning, match="not a database"):
            assert newsfeed.load_dir(folder, cache=True) == expected
        assert len(calls) == 2

    @pytest.mark.parametrize(
        "stored",
        [
            pytest.param("CAST(X'5B22FF225D' AS TEXT)", id="not UTF-8"),
            pytest.param('\'["news", "Pinebrook\'', id="not JSON"),
        ],
    )
    def test_load_dir_cache_damaged_cell(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stored: str
    ) -> None:
        """An article's stored text damaged (SQLite cannot tell) is rebuilt too, once."""
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
        expected = newsfeed.load_dir(folder, cache=True)
        (db,) = (tmp_path / "cache").glob("*.sqlite3")
        with sqlite3.connect(db) as connection:
            # A SQL text literal of the test's own, not input.
            connection.execute(f"UPDATE files SET article = {stored} WHERE id = 1")  # noqa: S608
        with pytest.warns(IndexRebuiltWarning, match="damaged"):
            assert newsfeed.load_dir(folder, cache=True) == expected
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert newsfeed.load_dir(folder, cache=True) == expected

    def test_load_dir_cache_locked(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A locked cache database is an error to see, not damage to rebuild."""
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
        newsfeed.load_dir(folder, cache=True)

        def locked(_self: Index, **_kwargs: Any) -> newsfeed.Feed:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(Index, "load", locked)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            newsfeed.load_dir(folder, cache=True)


class TestNotDamage:
    """Only SQLite's own word for a damaged file moves it aside: other errors reach the caller."""

    @pytest.mark.parametrize(
        ("message", "code"),
        [
            ("database or disk is full", sqlite3.SQLITE_FULL),
            ("disk I/O error", sqlite3.SQLITE_IOERR),
            ("database is locked", sqlite3.SQLITE_BUSY),
        ],
    )
    def test_errors_of_an_intact_file(
        self,
        folder: Path,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        message: str,
        code: int,
    ) -> None:
        """A full disk, an I/O error or a busy database is raised, and the index kept."""
        db = tmp_path / "i.sqlite3"
        build(folder, db)
        error = sqlite3.OperationalError(message)
        error.sqlite_errorcode = code

        def failing(*_args: Any, **_kwargs: Any) -> newsfeed.IndexUpdate:
            raise error

        monkeypatch.setattr(newsfeed._index.index, "update_index", failing)
        with Index(folder, db=db) as index, pytest.raises(sqlite3.OperationalError) as raised:
            index.update()
        assert raised.value is error
        assert list(tmp_path.glob("*.corrupt*")) == []
        monkeypatch.undo()
        with Index(folder, db=db) as index:
            assert index.load() == newsfeed.load_dir(folder)

    def test_folder_given_as_db(self, folder: Path) -> None:
        """A folder given as db (the articles' own, by mistake) is refused and left where it is."""
        names = sorted(path.name for path in folder.iterdir())
        with pytest.raises(NotAnIndexError, match="not a database file") as raised:
            Index(folder, db=folder)
        assert raised.value.db == folder
        assert sorted(path.name for path in folder.iterdir()) == names
        assert not folder.with_name(folder.name + ".corrupt").exists()

    def test_earlier_damaged_file_kept(self, folder: Path, tmp_path: Path) -> None:
        """A second damaged file is moved beside the first, not over it."""
        db = tmp_path / "i.sqlite3"
        for round_ in (1, 2):
            db.write_bytes(f"damaged file {round_}\n".encode() * 100)
            with pytest.warns(IndexRebuiltWarning, match="damaged"):
                Index(folder, db=db).close()
        assert (tmp_path / "i.sqlite3.corrupt").read_bytes().startswith(b"damaged file 1")
        assert (tmp_path / "i.sqlite3.corrupt-2").read_bytes().startswith(b"damaged file 2")

    def test_damaged_schema_text(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A byte of the schema's text damaged (SQLite quotes it, not as UTF-8): rebuilt too."""
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
        expected = newsfeed.load_dir(folder, cache=True)
        (db,) = (tmp_path / "cache").glob("*.sqlite3")
        with sqlite3.connect(db) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = bytearray(db.read_bytes())
        at = data.index(b"CREATE INDEX files_quality ON files")
        data[at + len("CREATE INDEX files_quality ON f")] = 0x97
        db.write_bytes(bytes(data))
        with pytest.warns(IndexRebuiltWarning, match="damaged"):
            assert newsfeed.load_dir(folder, cache=True) == expected
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert newsfeed.load_dir(folder, cache=True) == expected


class TestShared:
    """Two Index objects of two folders on one database file never mix their articles."""

    def test_rebuilt_under_an_open_index(self, tmp_path: Path) -> None:
        """Each sees the other's rebuild, rebuilds for its own folder, and reads only its own."""
        first = make_folder(tmp_path / "one")
        second = make_folder(tmp_path / "two")
        (second / "nasdaq.md").unlink()
        db = tmp_path / "shared.sqlite3"
        with Index(first, db=db) as one:
            one.update()
            with pytest.warns(IndexRebuiltWarning, match="folder"):
                two = Index(second, db=db)
            with two:
                with pytest.warns(IndexRebuiltWarning, match="folder"):
                    assert one.update().added == 2
                with pytest.warns(IndexRebuiltWarning, match="folder"):
                    assert two.load() == newsfeed.Feed()
                assert two.update().added == 1
                assert two.load() == newsfeed.load_dir(second)
                with pytest.warns(IndexRebuiltWarning, match="folder") as rebuilt:
                    assert one.filter() == newsfeed.Feed()
                # It points at the line that read, as the other warnings do.
                assert [warning.filename for warning in rebuilt] == [__file__]
                with pytest.warns(IndexRebuiltWarning, match="folder"):
                    assert two.search("Nasdaq", limit=None) == newsfeed.Feed()


class TestForeign:
    """Another application's SQLite database is refused and left untouched."""

    def test_other_application(self, folder: Path, tmp_path: Path) -> None:
        """A database with tables of its own raises NotAnIndexError and keeps its data."""
        db = tmp_path / "app.sqlite3"
        with sqlite3.connect(db) as connection:
            connection.execute("CREATE TABLE customers (name TEXT)")
            connection.execute("INSERT INTO customers VALUES ('Ada')")
        before = db.read_bytes()
        with pytest.raises(NotAnIndexError) as raised:
            Index(folder, db=db)
        assert raised.value.db == db
        assert "another application" in str(raised.value)
        assert isinstance(raised.value, newsfeed.NewsfeedError)
        with sqlite3.connect(db) as connection:
            assert connection.execute("SELECT name FROM customers").fetchall() == [("Ada",)]
        assert db.read_bytes()[:100] == before[:100]

    def test_other_application_id(self, folder: Path, tmp_path: Path) -> None:
        """An empty database marked by another application is refused too."""
        db = tmp_path / "app.sqlite3"
        with sqlite3.connect(db) as connection:
            connection.execute("PRAGMA application_id = 1234")
        with pytest.raises(NotAnIndexError):
            Index(folder, db=db)


def update_in_child(folder: str, db: str) -> tuple[int, int]:
    """Update the index in a child process; return (articles, failures) it then holds."""
    with Index(folder, db=db) as index:
        index.update()
        loaded = index.load(errors="skip")
    return len(loaded), len(loaded.failures)


def load_in_child(folder: str, db: str, rounds: int) -> list[int]:
    """Read the index again and again while others write; return each read's size."""
    with Index(folder, db=db) as index:
        return [len(index.load(errors="skip")) for _ in range(rounds)]


class TestConcurrent:
    """Two processes updating, and one reading, one index at once all succeed."""

    def test_switch_to_wal_waits_for_a_reader(self, folder: Path, tmp_path: Path) -> None:
        """Opening a database not yet in WAL while another connection writes it waits, not fails."""
        db = tmp_path / "i.sqlite3"
        build(folder, db)
        blocker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        try:
            blocker.execute("PRAGMA journal_mode = DELETE")
            # A write transaction begun (a reserved lock): SQLite refuses the
            # switch at once rather than wait, as it may for a process doing
            # the same (several processes opening a new index together).
            blocker.execute("BEGIN IMMEDIATE")
            release = threading.Timer(0.3, lambda: blocker.execute("COMMIT"))
            release.start()
            try:
                with Index(folder, db=db) as index:
                    assert index.load() == newsfeed.load_dir(folder)
            finally:
                release.join()
        finally:
            blocker.close()
        assert pragma(db, "journal_mode") == "wal"

    def test_updaters_and_reader(self, tmp_path: Path) -> None:
        """Two updaters of a new index and a reader run together; every read is whole."""
        folder = make_folder(tmp_path)
        source = (folder / "nasdaq.md").read_text(encoding="utf-8")
        for number in range(60):
            (folder / f"copy-{number:02d}.md").write_text(source, encoding="utf-8")
        db = tmp_path / "shared.sqlite3"
        context = multiprocessing.get_context("spawn")
        with context.Pool(3) as pool:
            updaters = [pool.apply_async(update_in_child, (str(folder), str(db))) for _ in range(2)]
            reader = pool.apply_async(load_in_child, (str(folder), str(db), 20))
            results = [job.get(timeout=CHILD_TIMEOUT) for job in updaters]
            sizes = reader.get(timeout=CHILD_TIMEOUT)
        assert results == [(62, 0), (62, 0)]
        # A read sees the index before the first update or after it, never halfway.
        assert set(sizes) <= {0, 62}
        with Index(folder, db=db) as index:
            assert index.load() == newsfeed.load_dir(folder)
            assert index.update().unchanged == 62
