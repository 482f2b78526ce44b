"""dump_dir: a feed written into a folder under the producers' file names, never losing a file."""

from __future__ import annotations

import os
import pickle
import re
import sys
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest
from hypothesis import given

import newsfeed
from newsfeed import Article, Feed, FileConflictError, NewsfeedError
from newsfeed._files.folders import SLUG_MAX_LENGTH, file_name, slugify
from strategies import texts

FIXTURES = Path(__file__).parent / "fixtures"
PACIFIC = timezone(timedelta(hours=-7))


def article(
    title: str,
    *,
    when: datetime | None = None,
    excerpt: str | None = None,
    provider: newsfeed.Provider | None = None,
) -> Article:
    """Return an article with *title*, published at *when* (11 June 2020, noon UTC, by default)."""
    return Article(
        title=title,
        published_at=when or datetime(2020, 6, 11, 12, tzinfo=UTC),
        web_url=f"https://example.com/{slugify(title)}",
        excerpt=excerpt,
        provider=provider,
    )


def names(folder: Path) -> list[str]:
    """Return the names of the files under *folder*, relative and sorted."""
    return sorted(
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
    )


class TestFileNames:
    """Names follow YYYY-MM-DD-slug-of-the-title.md, the way published sites name them."""

    def test_date_and_slug(self) -> None:
        """The sample is named by its day and its title, lower case, words joined by dashes."""
        sample = newsfeed.load(FIXTURES / "amazon-moratorium-nasdaq.md")

        assert file_name(sample) == (
            "2020-06-11-amazon-bans-police-use-of-facial-recognition-technology-for-a-year.md"
        )

    def test_the_day_is_in_the_articles_own_offset(self) -> None:
        """11 June at 23:30 in Pacific time is the 11th, though it is the 12th in UTC."""
        late = article("Late news", when=datetime(2020, 6, 11, 23, 30, tzinfo=PACIFIC))

        assert file_name(late) == "2020-06-11-late-news.md"

    def test_unicode_titles_become_ascii(self) -> None:
        """Accents are dropped, punctuation and symbols become single dashes."""
        assert slugify("Café: 5G, à Paris! — Ça coûte 2 €") == "cafe-5g-a-paris-ca-coute-2"
        # Fullwidth "AI" (U+FF21 U+FF29) decomposes to plain letters.
        assert slugify("\uff21\uff29 news") == "ai-news"
        assert slugify("  --Hello__World--  ") == "hello-world"

    def test_a_title_without_ascii(self) -> None:
        """A title with no ASCII letter or digit gets a plain fallback slug."""
        assert slugify("东京奥运会推迟") == "article"
        assert file_name(article("🚀🚀")) == "2020-06-11-article.md"

    def test_long_titles_are_cut_at_a_word(self) -> None:
        """A long title is cut at the last dash that fits; one endless word is cut mid-word."""
        title = "Apple reports record revenue from electric trucks " * 4

        slug = slugify(title)

        assert len(slug) <= SLUG_MAX_LENGTH
        assert (
            slug == "apple-reports-record-revenue-from-electric-trucks-apple-reports-record-revenue"
        )
        assert slugify("x" * 200) == "x" * SLUG_MAX_LENGTH
        assert slugify("ab-cd-ef", max_length=5) == "ab-cd"

    @given(texts(max_size=200))
    def test_any_title_gives_a_safe_slug(self, title: str) -> None:
        """Any text gives a non-empty, bounded slug of a-z, 0-9 and single inner dashes."""
        slug = slugify(title)

        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
        assert len(slug) <= SLUG_MAX_LENGTH


class TestWriting:
    """Every article lands in its own file, which loads back as the same article."""

    def test_round_trip(self, tmp_path: Path) -> None:
        """The sample folder, written under new names, loads back article for article."""
        feed = Feed(newsfeed.load(path) for path in sorted(FIXTURES.glob("*.md")))
        feed = Feed(attrs.evolve(item, path=None) for item in feed)

        written = newsfeed.dump_dir(feed, tmp_path / "site")

        assert written == [tmp_path / "site" / file_name(item) for item in feed]
        assert [newsfeed.load(path) for path in written] == list(feed)
        for item, path in zip(feed, written, strict=True):
            assert path.read_text(encoding="utf-8") == newsfeed.dumps(item)

    def test_paths_are_the_folder_as_given(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A relative folder gives relative paths, and missing folders are created."""
        # The arguments are named as the issue spells the signature.
        monkeypatch.chdir(tmp_path)

        written = newsfeed.dump_dir(feed=[article("One")], folder="out/site")

        assert written == [Path("out/site/2020-06-11-one.md")]
        assert written[0].is_file()

    def test_empty_feed_makes_the_folder(self, tmp_path: Path) -> None:
        """Nothing to write still leaves the folder there, empty."""
        assert newsfeed.dump_dir(Feed(), tmp_path / "empty") == []
        assert (tmp_path / "empty").is_dir()


class TestCollisions:
    """Articles that would share a name get -2, -3... in feed order, the same every time."""

    def test_numbered_in_feed_order(self, tmp_path: Path) -> None:
        """Three articles with one title on one day: the first keeps the name."""
        same = [article("Same story", provider=newsfeed.Provider(name=name)) for name in "ABC"]

        written = newsfeed.dump_dir(same, tmp_path)

        assert [path.name for path in written] == [
            "2020-06-11-same-story.md",
            "2020-06-11-same-story-2.md",
            "2020-06-11-same-story-3.md",
        ]
        assert [newsfeed.load(path).provider for path in written] == [a.provider for a in same]

    def test_titles_that_slug_alike(self, tmp_path: Path) -> None:
        """Titles differing only in case and punctuation collide, and are numbered."""
        written = newsfeed.dump_dir([article("AI, now!"), article("ai now")], tmp_path)

        assert [path.name for path in written] == ["2020-06-11-ai-now.md", "2020-06-11-ai-now-2.md"]

    def test_a_number_already_taken(self, tmp_path: Path) -> None:
        """A title that slugs to an earlier article's numbered name does not take it."""
        feed = [article("X"), article("X"), article("X 2")]

        written = newsfeed.dump_dir(feed, tmp_path)

        assert [path.name for path in written] == [
            "2020-06-11-x.md",
            "2020-06-11-x-2.md",
            "2020-06-11-x-2-2.md",
        ]

    def test_different_days_do_not_collide(self, tmp_path: Path) -> None:
        """The same title on two days gives two plain names."""
        later = datetime(2020, 6, 12, 12, tzinfo=UTC)

        written = newsfeed.dump_dir([article("Story"), article("Story", when=later)], tmp_path)

        assert [path.name for path in written] == ["2020-06-11-story.md", "2020-06-12-story.md"]

    def test_writing_again_changes_nothing(self, tmp_path: Path) -> None:
        """The same feed written twice gives the same names, and leaves the files untouched."""
        feed = [article("Same"), article("Same", excerpt="other"), article("Else")]
        first = newsfeed.dump_dir(feed, tmp_path)
        before = {path: path.stat().st_mtime_ns for path in first}
        os.utime(first[0], ns=(1, 1))

        second = newsfeed.dump_dir(feed, tmp_path)

        assert second == first
        assert first[0].stat().st_mtime_ns == 1
        assert all(path.stat().st_mtime_ns == before[path] for path in first[1:])


class TestOwnPaths:
    """An article read from a file under the folder is written back to that file."""

    def test_keeps_its_path_and_its_subfolder(self, tmp_path: Path) -> None:
        """A loaded article keeps its file name, even in a subfolder; a new one gets a new name."""
        (tmp_path / "2020").mkdir()
        own = tmp_path / "2020" / "custom-name.md"
        own.write_text(newsfeed.dumps(article("Old title")), encoding="utf-8")
        loaded = newsfeed.load(own)

        written = newsfeed.dump_dir([loaded, article("Old title")], tmp_path)

        assert written == [own, tmp_path / "2020-06-11-old-title.md"]
        assert names(tmp_path) == ["2020-06-11-old-title.md", "2020/custom-name.md"]

    def test_own_file_is_updated_without_overwrite(self, tmp_path: Path) -> None:
        """Edited and written back, an article replaces its own file: it is not another file."""
        own = tmp_path / "mine.md"
        own.write_text(newsfeed.dumps(article("Title")), encoding="utf-8")
        edited = attrs.evolve(newsfeed.load(own), topics=("AI",))

        newsfeed.dump_dir([edited], tmp_path)

        assert newsfeed.load(own).topics == ("AI",)

    @pytest.mark.skipif(sys.platform == "win32", reason="makes symbolic links")
    def test_written_back_through_its_link(self, tmp_path: Path) -> None:
        """An article read through a link in the folder goes back through it, not beside it."""
        elsewhere = tmp_path / "elsewhere.md"
        elsewhere.write_text(newsfeed.dumps(article("Old title")), encoding="utf-8")
        site = tmp_path / "site"
        site.mkdir()
        (site / "link.md").symlink_to(elsewhere)
        (loaded,) = newsfeed.load_dir(site, follow_outside_links=True)

        written = newsfeed.dump_dir([attrs.evolve(loaded, title="New title")], site)

        assert written == [site / "link.md"]
        assert names(site) == ["link.md"]
        assert (site / "link.md").is_symlink()
        assert newsfeed.load(elsewhere).title == "New title"

    @pytest.mark.skipif(sys.platform == "win32", reason="makes symbolic links")
    def test_two_names_of_one_file_do_not_overwrite_an_edit(self, tmp_path: Path) -> None:
        """A link in the folder to another of its files: an edit through one name is not lost."""
        site = tmp_path / "site"
        site.mkdir()
        (site / "00.md").write_text(newsfeed.dumps(article("Old title")), encoding="utf-8")
        (site / "zz-link.md").symlink_to("00.md")
        original, through_link = newsfeed.load_dir(site)
        edited = attrs.evolve(original, title="New title")

        with pytest.raises(FileConflictError, match="two articles"):
            newsfeed.dump_dir([edited, through_link], site)
        assert newsfeed.load(site / "00.md").title == "Old title"
        newsfeed.dump_dir([edited], site)
        assert newsfeed.load(site / "zz-link.md").title == "New title"

    def test_a_path_elsewhere_is_not_kept(self, tmp_path: Path) -> None:
        """An article read from another folder is written under the producers' name."""
        sample = newsfeed.load(FIXTURES / "amazon-moratorium-nasdaq.md")

        (written,) = newsfeed.dump_dir([sample], tmp_path / "site")

        assert written == tmp_path / "site" / file_name(sample)

    def test_relative_paths_are_recognised(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A path relative to the working folder is under a folder given absolute, and back."""
        monkeypatch.chdir(tmp_path)
        Path("site").mkdir()
        Path("site/a.md").write_text(newsfeed.dumps(article("A")), encoding="utf-8")
        loaded = newsfeed.load("site/a.md")

        assert newsfeed.dump_dir([loaded], tmp_path / "site") == [tmp_path / "site" / "a.md"]
        assert names(tmp_path) == ["site/a.md"]

    def test_a_name_is_never_given_to_a_kept_path(self, tmp_path: Path) -> None:
        """A new article whose name is another article's own file is numbered instead."""
        own = tmp_path / "2020-06-11-story.md"
        own.write_text(newsfeed.dumps(article("Story", excerpt="first")), encoding="utf-8")
        loaded = newsfeed.load(own)

        written = newsfeed.dump_dir([article("Story"), loaded], tmp_path)

        assert written == [tmp_path / "2020-06-11-story-2.md", own]


class TestNeverLosesAFile:
    """A different file is replaced only with overwrite=True, and a refusal writes nothing."""

    def test_refuses_a_different_file(self, tmp_path: Path) -> None:
        """An existing file holding something else stops the run before any file is written."""
        taken = tmp_path / "2020-06-11-second.md"
        taken.write_text("my notes\n", encoding="utf-8")

        with pytest.raises(FileConflictError) as caught:
            newsfeed.dump_dir([article("First"), article("Second")], tmp_path)

        error = caught.value
        assert error.filename == str(taken)
        assert (
            str(error)
            == f"{taken}: exists and holds something else; pass overwrite=True to replace it"
        )
        assert isinstance(error, FileExistsError)
        assert isinstance(error, NewsfeedError)
        assert names(tmp_path) == ["2020-06-11-second.md"]
        assert taken.read_text(encoding="utf-8") == "my notes\n"

    def test_overwrite_replaces_it(self, tmp_path: Path) -> None:
        """With overwrite=True the different file is replaced by the article."""
        taken = tmp_path / "2020-06-11-second.md"
        taken.write_text("my notes\n", encoding="utf-8")

        newsfeed.dump_dir([article("Second")], tmp_path, overwrite=True)

        assert newsfeed.load(taken) == article("Second")

    def test_identical_content_is_not_an_error(self, tmp_path: Path) -> None:
        """A file that already holds the article is fine, and is not rewritten."""
        item = article("Same")
        existing = tmp_path / file_name(item)
        existing.write_text(newsfeed.dumps(item), encoding="utf-8")
        os.utime(existing, ns=(1, 1))

        assert newsfeed.dump_dir([item], tmp_path) == [existing]
        assert existing.stat().st_mtime_ns == 1

    def test_a_folder_in_the_way(self, tmp_path: Path) -> None:
        """A folder with the file's name is refused, even with overwrite=True."""
        (tmp_path / "2020-06-11-story.md").mkdir()

        with pytest.raises(FileConflictError, match="is a folder"):
            newsfeed.dump_dir([article("Story")], tmp_path, overwrite=True)

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
    def test_a_fifo_in_the_way(self, tmp_path: Path) -> None:
        """A FIFO with the file's name is refused, never opened: reading it would wait for ever."""
        fifo = tmp_path / "2020-06-11-story.md"
        os.mkfifo(fifo)
        outcomes: list[str] = []

        def run() -> None:
            for overwrite in (False, True):
                try:
                    newsfeed.dump_dir([article("Story")], tmp_path, overwrite=overwrite)
                except FileConflictError as error:
                    outcomes.append(str(error))

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(timeout=10)
        if thread.is_alive():
            # Let the reader blocked on the FIFO go before failing.
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            pytest.fail("dump_dir opened the FIFO and waited on it")
        assert outcomes == [f"{fifo}: is not a regular file"] * 2

    @pytest.mark.parametrize("obstacle", ["read-only", "hard-linked"])
    def test_what_dump_would_refuse_stops_the_run_first(
        self, tmp_path: Path, obstacle: str
    ) -> None:
        """A file dump would not replace by default stops the run before any file is written.

        Otherwise the feed would be half written, with no list of what was.
        """
        items = [article("First"), article("Second"), article("Third")]
        newsfeed.dump_dir(items, tmp_path)
        second = tmp_path / file_name(items[1])
        if obstacle == "read-only":
            second.chmod(0o444)  # no write bit for anyone: read-only even for root
        else:
            os.link(second, tmp_path / "elsewhere.txt")
        before = {name: (tmp_path / name).read_bytes() for name in names(tmp_path)}
        edited = [attrs.evolve(item, quality=99) for item in items]

        with pytest.raises(FileConflictError, match="dump_dir does not replace it") as caught:
            newsfeed.dump_dir(edited, tmp_path, overwrite=True)

        assert caught.value.filename == str(second)
        assert "overwrite_readonly" in str(caught.value)
        assert {name: (tmp_path / name).read_bytes() for name in names(tmp_path)} == before

    def test_two_articles_claiming_one_file(self, tmp_path: Path) -> None:
        """Two different articles with the same own path are refused; the same one twice is not."""
        own = tmp_path / "a.md"
        own.write_text(newsfeed.dumps(article("A")), encoding="utf-8")
        loaded = newsfeed.load(own)
        other = attrs.evolve(loaded, title="B")

        with pytest.raises(FileConflictError, match="two articles of the feed have this file"):
            newsfeed.dump_dir([loaded, other], tmp_path, overwrite=True)
        assert newsfeed.dump_dir([other, other], tmp_path) == [own, own]
        assert newsfeed.load(own).title == "B"

    def test_error_pickles(self, tmp_path: Path) -> None:
        """The error crosses process boundaries with its file and reason."""
        error = FileConflictError(tmp_path / "x.md", "is a folder")

        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own data

        assert type(copy) is FileConflictError
        assert copy.filename == str(tmp_path / "x.md")
        assert str(copy) == str(error)
