"""Listing a folder: glob semantics, sorted order, hidden folders, links out of the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

import corpus
import newsfeed
from newsfeed import ParseError
from newsfeed._cli import files as cli_files
from newsfeed._files.listing import drain, list_files, walk

GOOD = corpus.make_articles(4, seed=17)

#: A tree with files at several depths, folders named like files, and odd names.
TREE = [
    "a.md",
    "b.txt",
    "a/x.md",
    "a/b/y.md",
    "a/b/c/z.md",
    "a.md.d/w.md",
    "b/a.md",
    "b/bb.md",
    "odd[1].md",
    "c/d/e/f.md",
    "c/x.MD",
]


def _plant(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def _as_glob_lists(root: Path, pattern: str) -> list[str]:
    found = [path for path in root.glob(pattern) if not path.is_dir()]
    found.sort(key=lambda path: path.parts)
    return [str(path) for path in found]


class TestGlobSemantics:
    """The scandir walk lists what pathlib's glob lists, in the same sorted order."""

    @pytest.mark.parametrize(
        "pattern",
        [
            "**/*.md",
            "*.md",
            "a/*.md",
            "a/**/*.md",
            "**/b/*.md",
            "**/[ab]*.md",
            "?.md",
            "*/*/*.md",
            "**",
            "**/**/*.md",
            "c/**/f.md",
            "./*.md",
            "**/*",
        ],
    )
    def test_same_as_pathlib(self, tmp_path: Path, pattern: str) -> None:
        """For a tree without hidden names or links, walk and Path.glob agree exactly."""
        _plant(tmp_path, TREE)
        assert list_files(tmp_path, pattern) == _as_glob_lists(tmp_path, pattern)

    def test_relative_root(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Paths are spelled as pathlib spells them: "." gives "a.md", "sub/" gives "sub/a.md"."""
        _plant(tmp_path, ["sub/a.md"])
        monkeypatch.chdir(tmp_path)
        assert list_files(".", "**/*.md") == [str(Path("sub", "a.md"))]
        assert list_files("sub/", "*.md") == [str(Path("sub", "a.md"))]

    @pytest.mark.parametrize("pattern", ["a**/*.md", "**.md"])
    def test_partial_double_star(self, tmp_path: Path, pattern: str) -> None:
        """'**' inside a component is refused, as pathlib refuses it."""
        with pytest.raises(ValueError, match="whole path component"):
            list_files(tmp_path, pattern)

    def test_exclude(self, tmp_path: Path) -> None:
        """Exclude skips what it returns true for; an excluded folder is not entered."""
        _plant(tmp_path, TREE)
        seen: list[str] = []

        def exclude(relative: str) -> bool:
            seen.append(relative)
            return relative in {"a/b", "b/bb.md"}

        found = list_files(tmp_path, "**/*.md", exclude=exclude)
        assert [Path(name).relative_to(tmp_path).as_posix() for name in found] == [
            "a/x.md",
            "a.md",
            "a.md.d/w.md",
            "b/a.md",
            "c/d/e/f.md",
            "odd[1].md",
        ]
        assert "a/b/y.md" not in seen


class TestHiddenNamesSkipped:
    """Issue 11, item 17: hidden folders and files are skipped unless asked for."""

    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        """Return one article, plus articles inside .git, .venv and a hidden file."""
        newsfeed.dump(GOOD[0], tmp_path / "a.md")
        for name in [".git/x.md", ".venv/lib/site/README.md", "sub/.draft.md"]:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            newsfeed.dump(GOOD[1], tmp_path / name)
        return tmp_path

    def test_skipped_by_default(self, folder: Path) -> None:
        """load_dir and iter_dir read neither .git nor .venv nor .draft.md."""
        assert [a.path for a in newsfeed.load_dir(folder)] == [folder / "a.md"]
        assert [a.path for a in newsfeed.iter_dir(folder)] == [folder / "a.md"]

    def test_included_when_asked(self, folder: Path) -> None:
        """include_hidden=True reads them, in sorted order."""
        feed = newsfeed.load_dir(folder, include_hidden=True)
        assert [a.path.relative_to(folder).as_posix() for a in feed if a.path] == [
            ".git/x.md",
            ".venv/lib/site/README.md",
            "a.md",
            "sub/.draft.md",
        ]
        assert len(list(newsfeed.iter_dir(folder, include_hidden=True))) == 4

    def test_hidden_root_is_read(self, folder: Path) -> None:
        """Only names below the folder count: a folder that is itself hidden is read."""
        assert [a.path for a in newsfeed.load_dir(folder / ".git")] == [folder / ".git" / "x.md"]


class TestTemporaryFilesSkipped:
    """Issue 11, item 13: dump's temporary files are never listed, nor reported as failures."""

    def test_never_listed(self, tmp_path: Path) -> None:
        """Even with include_hidden and a pattern matching everything, .~nf-*.tmp is left out."""
        newsfeed.dump(GOOD[0], tmp_path / "a.md")
        (tmp_path / ".~nf-a1b2c3.tmp").write_bytes(b"half a file")
        (tmp_path / ".~nf-a1b2c3.tmp.md").write_bytes(b"not ours")
        found = list_files(tmp_path, "**/*", include_hidden=True)
        assert [Path(name).name for name in found] == [".~nf-a1b2c3.tmp.md", "a.md"]
        feed = newsfeed.load_dir(tmp_path, pattern="**/*", include_hidden=True, errors="skip")
        assert [f.path.name for f in feed.failures] == [".~nf-a1b2c3.tmp.md"]


class TestLinksOutOfTheFolder:
    """Issue 11, item 17: a link to a file outside the folder is not read unless asked for."""

    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        """Return a folder with one article, a link out, a link in, and a link to a folder."""
        outside = tmp_path / "outside.md"
        newsfeed.dump(GOOD[2], outside)
        folder = tmp_path / "articles"
        (folder / "sub").mkdir(parents=True)
        newsfeed.dump(GOOD[0], folder / "a.md")
        (folder / "b-out.md").symlink_to(outside)
        (folder / "c-in.md").symlink_to(folder / "a.md")
        (folder / "d-dir.md").symlink_to(folder / "sub")
        (folder / "e-loop").symlink_to(folder)
        return folder

    @pytest.mark.parametrize("workers", [1, 2])
    def test_refused_by_default(self, folder: Path, workers: int) -> None:
        """The link out fails, naming its target; a link inside reads; folders are not followed."""
        feed = newsfeed.load_dir(folder, errors="skip", workers=workers)
        assert [a.path for a in feed] == [folder / "a.md", folder / "c-in.md"]
        (failure,) = feed.failures
        assert failure.path == folder / "b-out.md"
        assert isinstance(failure.error, ParseError)
        assert str(failure) == (
            f"{folder / 'b-out.md'}: a link to a file outside the folder"
            f" ({folder.parent.resolve() / 'outside.md'});"
            " pass follow_outside_links=True to read it"
        )
        articles = newsfeed.iter_dir(folder, errors="skip")
        assert list(articles) == list(feed)
        assert articles.failures == feed.failures
        assert walk(folder, "**/*.md").refused == {str(folder / "b-out.md"): failure.error.reason}

    def test_followed_when_asked(self, folder: Path) -> None:
        """follow_outside_links=True reads the link out like any file."""
        feed = newsfeed.load_dir(folder, follow_outside_links=True)
        assert list(feed) == [GOOD[0], GOOD[2], GOOD[0]]
        assert len(list(newsfeed.iter_dir(folder, follow_outside_links=True))) == 3

    def test_broken_link_inside_is_reported(self, folder: Path) -> None:
        """A broken link is still a failure, not skipped."""
        (folder / "z-broken.md").symlink_to(folder / "nowhere.md")
        feed = newsfeed.load_dir(folder, errors="skip")
        assert [f.path.name for f in feed.failures] == ["b-out.md", "z-broken.md"]
        assert isinstance(feed.failures[1].error, FileNotFoundError)

    def test_command_line_listing(self, folder: Path) -> None:
        """The command line's listing leaves the link out of the files, as a problem."""
        files, problems = cli_files.article_listing([folder])
        # c-in.md is a.md again: the command line checks each file once.
        assert files == [folder / "a.md"]
        # In the command line's terms: naming the link reads it.
        outside = folder.parent.resolve() / "outside.md"
        expected = (
            f"{folder / 'b-out.md'}: a link to a file outside the folder ({outside});"
            " name it on the command line to read it"
        )
        assert [problem.render() for problem in problems] == [expected]
        assert cli_files.article_files([folder]) == files


class TestDrained:
    """Loaders let go of each listed name once its file is read, and leave callers' lists whole."""

    def test_drain_yields_in_order_and_empties(self) -> None:
        """`drain` gives the names in order, taking each out of the list as it goes."""
        names = ["a.md", "b.md", "c.md"]
        seen = []
        for name in drain(names):
            seen.append(name)
            assert len(names) == 3 - len(seen)
        assert seen == ["a.md", "b.md", "c.md"]
        assert names == []

    def test_dir_iterator_leaves_the_given_list_whole(self, tmp_path: Path) -> None:
        """A DirIterator built on a list reads from a copy of it."""
        corpus.write_corpus(tmp_path, corpus.make_articles(3))
        paths = list_files(tmp_path, "**/*.md")
        given = list(paths)
        iterator = newsfeed.DirIterator(str(tmp_path), paths, errors="raise", bar=None)
        assert [article.path for article in iterator] == [Path(path) for path in given]
        assert paths == given
        assert iterator.total == 3
