"""Where newsfeed's warnings point: at the line of the caller's code, whichever way it loads."""

from __future__ import annotations

import multiprocessing
import sqlite3
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import newsfeed
from index_support import make_folder

#: A file that loads with a NewsfeedWarning: a null item in topics.
NULL_TOPIC = (
    '---\ntitle: "T"\npublishedDateTime: 2020-06-11T12:02:00Z\n'
    'webUrl: "https://example.com/"\ntopics:\n  -\n  - AI\n---\n'
)


def _origins(call: Callable[[], object]) -> list[tuple[str, type[Warning]]]:
    """Return the file each warning of *call* points at, with its category."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [(item.filename, item.category) for item in caught]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a folder of one file that warns, with the cache under tmp_path."""
    monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "warns.md").write_text(NULL_TOPIC, encoding="utf-8")
    return folder


def _index_load(folder: Path) -> newsfeed.Feed:
    with newsfeed.Index(folder, db=folder.parent / "i.sqlite3") as index:
        index.update()
        return index.load()


LOADS: dict[str, Callable[[Path], object]] = {
    "loads": lambda folder: newsfeed.loads((folder / "warns.md").read_text(encoding="utf-8")),
    "load": lambda folder: newsfeed.load(folder / "warns.md"),
    "load_dir": newsfeed.load_dir,
    "load_dir, cache": lambda folder: newsfeed.load_dir(folder, cache=True),
    "iter_dir": lambda folder: list(newsfeed.iter_dir(folder)),
    "Index.load": _index_load,
}
if multiprocessing.get_start_method() == "fork":
    LOADS["load_dir, 2 workers"] = lambda folder: newsfeed.load_dir(folder, workers=2)


class TestNewsfeedWarnings:
    """A file's NewsfeedWarning points at this file, the caller's, every time."""

    @pytest.mark.parametrize("way", LOADS)
    def test_points_at_the_caller(self, folder: Path, way: str) -> None:
        """Loaded twice each way, the warning comes twice, and points here."""
        load = LOADS[way]
        origins = _origins(lambda: load(folder)) + _origins(lambda: load(folder))
        assert origins == [(__file__, newsfeed.NewsfeedWarning)] * 2


class TestIndexRebuiltWarnings:
    """A rebuilt index's warning points at the caller's line too."""

    def test_foreign_database(self, tmp_path: Path) -> None:
        """An index opened on another folder's database warns at the caller."""
        db = tmp_path / "i.sqlite3"
        with newsfeed.Index(make_folder(tmp_path / "one"), db=db) as index:
            index.update()
        other = make_folder(tmp_path / "two")
        assert _origins(lambda: newsfeed.Index(other, db=db).close()) == [
            (__file__, newsfeed.IndexRebuiltWarning)
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
        assert _origins(lambda: newsfeed.load_dir(folder, cache=True)) == [
            (__file__, newsfeed.IndexRebuiltWarning)
        ]
