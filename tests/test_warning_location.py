"""Where newsfeed's warnings point: at the line of the caller's code, whichever way it loads."""

from __future__ import annotations

import multiprocessing
import sqlite3
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import newsfeed
from index_support import make_folder

#: A file that loads with a NewsfeedWarning: a null item in topics.
NULL_TOPIC = (
    '---\ntitle: "T"\npublishedDateTime: 2020-06-11T12:02:00Z\n'
    'webUrl: "https://example.com/"\ntopics:\n  -\n  - AI\n---\n'
)


def _origins(call: Callable[[], object]) -> list[tuple[str, int, type[Warning]]]:
    """Return the file and line each warning of *call* points at, with its category."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [(item.filename, item.lineno, item.category) for item in caught]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a folder of one file that warns, with the cache under tmp_path."""
    monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "warns.md").write_text(NULL_TOPIC, encoding="utf-8")
    return folder


#: Indexes the Index way opened, closed after each test.
_OPENED: list[newsfeed.Index] = []


def _updated_index(folder: Path) -> newsfeed.Index:
    """Return the index of *folder*, up to date (update() records warnings, load() gives them)."""
    index = newsfeed.Index(folder, db=folder.parent / "i.sqlite3")
    _OPENED.append(index)
    index.update()
    return index


# Each way is one line calling newsfeed: the line its warning must point at.
LOADS: dict[str, Callable[[Path], object]] = {
    "loads": lambda folder: newsfeed.loads((folder / "warns.md").read_text(encoding="utf-8")),
    "load": lambda folder: newsfeed.load(folder / "warns.md"),
    "load_dir": lambda folder: newsfeed.load_dir(folder),  # noqa: PLW0108 -- its line is the point
    "load_dir, cache": lambda folder: newsfeed.load_dir(folder, cache=True),
    "iter_dir": lambda folder: list(newsfeed.iter_dir(folder)),
    "Index.load": lambda folder: _updated_index(folder).load(),
}
if multiprocessing.get_start_method() == "fork":
    LOADS["load_dir, 2 workers"] = lambda folder: newsfeed.load_dir(folder, workers=2)


class TestNewsfeedWarnings:
    """A file's NewsfeedWarning points at the caller's line, every time."""

    @pytest.fixture(autouse=True)
    def _close_indexes(self) -> Iterator[None]:
        yield
        while _OPENED:
            _OPENED.pop().close()

    @pytest.mark.parametrize("way", LOADS)
    def test_points_at_the_caller(self, folder: Path, way: str) -> None:
        """Loaded twice each way, the warning comes twice, pointing at the line that loaded."""
        load = LOADS[way]
        expected = (__file__, load.__code__.co_firstlineno, newsfeed.NewsfeedWarning)
        assert _origins(lambda: load(folder)) + _origins(lambda: load(folder)) == [expected] * 2


class TestIndexRebuiltWarnings:
    """A rebuilt index's warning points at the caller's line too."""

    def test_foreign_database(self, tmp_path: Path) -> None:
        """An index opened on another folder's database warns at the caller."""
        db = tmp_path / "i.sqlite3"
        with newsfeed.Index(make_folder(tmp_path / "one"), db=db) as index:
            index.update()
        other = make_folder(tmp_path / "two")
        call = lambda: newsfeed.Index(other, db=db).close()  # noqa: E731 -- its line is the point
        assert _origins(call) == [
            (__file__, call.__code__.co_firstlineno, newsfeed.IndexRebuiltWarning)
        ]

    def test_damaged_database(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """load_dir(cache=True) on a damaged cache warns at the caller."""
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
        folder = make_folder(tmp_path)
        newsfeed.load_dir(folder, cache=True)
        (db,) = (tmp_path / "cache").rglob("*.sqlite3")
        db.write_bytes(b"not a database" * 100)
        with pytest.raises(sqlite3.DatabaseError):
            sqlite3.connect(db).execute("SELECT 1 FROM sqlite_master").fetchall()
        call = lambda: newsfeed.load_dir(folder, cache=True)  # noqa: E731 -- its line is the point
        assert _origins(call) == [
            (__file__, call.__code__.co_firstlineno, newsfeed.IndexRebuiltWarning)
        ]
