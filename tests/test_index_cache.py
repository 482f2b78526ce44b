"""load_dir(cache=True): one index per folder in the user's cache folder, chosen by environment."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TypedDict

import pytest

import newsfeed
from index_support import NASDAQ, make_folder
from newsfeed._index.cache import cache_dir, default_db


class ListingOptions(TypedDict, total=False):
    """The load_dir options that widen which files are listed."""

    include_hidden: bool
    follow_outside_links: bool


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Unset the cache variables and point HOME at tmp_path/home."""
    monkeypatch.delenv("NEWSFEED_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    return home


class TestCacheDir:
    """NEWSFEED_CACHE_DIR wins, then XDG_CACHE_HOME, then ~/.cache."""

    def test_home(self, clean_environment: Path) -> None:
        """Without variables, the cache is ~/.cache/newsfeed."""
        assert cache_dir() == clean_environment / ".cache" / "newsfeed"

    @pytest.mark.usefixtures("clean_environment")
    def test_xdg(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        """XDG_CACHE_HOME/newsfeed, when it is an absolute path."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert cache_dir() == tmp_path / "xdg" / "newsfeed"

    def test_relative_or_empty_xdg_is_ignored(
        self, clean_environment: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """As the XDG specification says, a relative or empty XDG_CACHE_HOME is ignored."""
        for value in ("relative/cache", ""):
            monkeypatch.setenv("XDG_CACHE_HOME", value)
            assert cache_dir() == clean_environment / ".cache" / "newsfeed"

    def test_own_variable_wins(
        self, clean_environment: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """NEWSFEED_CACHE_DIR overrides XDG_CACHE_HOME, with ~ expanded."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", "~/mine")
        assert cache_dir() == clean_environment / "mine"

    @pytest.mark.usefixtures("clean_environment")
    def test_one_database_per_folder_and_pattern(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Two folders, or two patterns, get two databases; one folder however named gets one."""
        first = default_db(tmp_path / "a", "**/*.md")
        assert first.parent == cache_dir()
        assert default_db(tmp_path / "b", "**/*.md") != first
        assert default_db(tmp_path / "a", "*.md") != first
        monkeypatch.chdir(tmp_path)
        assert default_db("a", "**/*.md") == first
        assert default_db(tmp_path / "a" / ".." / "a", "**/*.md") == first


class TestLoadDirCache:
    """load_dir(cache=True) returns load_dir's feed and keeps its index between calls."""

    def test_same_feed_and_reuse(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The feed equals load_dir's; a change shows on the next call; the index stays."""
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
        folder = make_folder(tmp_path)
        assert newsfeed.load_dir(folder, cache=True) == newsfeed.load_dir(folder)
        (db,) = (tmp_path / "cache").glob("index-*.sqlite3")
        shutil.copy(NASDAQ, folder / "again.md")
        cached = newsfeed.load_dir(folder, cache=True)
        assert len(cached) == 3
        assert cached == newsfeed.load_dir(folder)
        assert list((tmp_path / "cache").glob("index-*.sqlite3")) == [db]

    def test_errors_as_without_cache(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Bad files raise, or are skipped into .failures, as without the cache."""
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
        folder = make_folder(tmp_path, bad=True)
        with pytest.raises(newsfeed.FeedLoadError):
            newsfeed.load_dir(folder, cache=True)
        skipped = newsfeed.load_dir(folder, cache=True, errors="skip")
        assert skipped == newsfeed.load_dir(folder, errors="skip")
        with pytest.raises(ValueError, match="errors must be"):
            newsfeed.load_dir(folder, cache=True, errors="ignore")  # type: ignore[arg-type]  # the case under test

    @pytest.mark.parametrize(
        "options",
        [{"include_hidden": True}, {"follow_outside_links": True}],
        ids=["include_hidden", "follow_outside_links"],
    )
    def test_listing_options_are_refused_with_cache(
        self, tmp_path: Path, options: ListingOptions
    ) -> None:
        """The cache reads by the default listing rules, so it refuses to widen them silently."""
        folder = make_folder(tmp_path)
        (option,) = options
        with pytest.raises(ValueError, match=option):
            newsfeed.load_dir(folder, cache=True, **options)
