"""Which files the commands read in a folder: the defaults, --include and --exclude."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pytest

from cli_support import FIXTURES, NASDAQ, OBSERVER, lines, non_canonical_text, run
from newsfeed._cli.files import Selection
from newsfeed._cli.main import main

#: Markdown a content repository holds beside its articles, none of it an article.
NOT_ARTICLES = (
    "README.md",
    "CONTRIBUTING.md",
    "docs/Changelog.md",
    ".venv/lib/python3.11/site-packages/pkg/README.md",
    ".venv/lib/python3.11/site-packages/pkg/notes.md",
    "venv/share/doc.md",
    "node_modules/left-pad/readme.md",
    "node_modules/left-pad/HISTORY.md",
    ".git/description.md",
    "articles/.drafts/idea.md",
)
ARTICLES = ("articles/2020/amazon.md", "articles/observer.md")


def make_repository(root: Path) -> Path:
    """Write two articles and, around them, Markdown that is not articles; return *root*."""
    for name in NOT_ARTICLES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("# Not an article\n", encoding="utf-8")
    for name, fixture in zip(ARTICLES, (NASDAQ, OBSERVER), strict=True):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / fixture, root / name)
    return root


def paths_listed(root: Path, *options: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run `ls ROOT OPTIONS --format paths` in process; return the files, relative to ROOT."""
    assert main(["ls", str(root), *options, "--format", "paths"]) == 0
    return [Path(line).relative_to(root).as_posix() for line in lines(capsys.readouterr().out)]


class TestDefaults:
    """In a folder, hidden folders, tools' folders and repository documents are skipped."""

    def test_check_in_a_repository_reads_only_articles(self, tmp_path: Path) -> None:
        """`newsfeed check .` at a repository's root no longer reports README.md or .venv/."""
        make_repository(tmp_path)

        result = run("check", ".", cwd=tmp_path)

        assert result.returncode == 0
        assert result.stdout == ""
        assert lines(result.stderr) == ["2 files checked, no problems"]

    @pytest.mark.parametrize("workers", ["1", "2"])
    def test_ls_and_stats_read_the_same_files(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], workers: str
    ) -> None:
        """`ls` and `stats` leave out the same files, read in one process or several."""
        make_repository(tmp_path)

        assert paths_listed(tmp_path, "-j", workers, capsys=capsys) == list(ARTICLES)
        assert main(["stats", str(tmp_path), "-j", workers]) == 0
        assert capsys.readouterr().out.startswith("2 articles,")

    def test_fmt_leaves_them_alone(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`fmt` neither reports nor touches what is not an article."""
        make_repository(tmp_path)

        assert main(["fmt", str(tmp_path)]) == 0

        assert capsys.readouterr() == ("", "2 files left unchanged\n")
        assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# Not an article\n"

    def test_named_folder_and_file_are_read(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A hidden folder or a README named on the command line is read, as asked."""
        make_repository(tmp_path)
        drafts = tmp_path / "articles" / ".drafts"

        assert main(["check", str(drafts), str(tmp_path / "README.md")]) == 1

        out = lines(capsys.readouterr().out)
        assert out == [
            f"{drafts / 'idea.md'}:1: the file must start with a '---' line",
            f"{tmp_path / 'README.md'}:1: the file must start with a '---' line",
        ]

    def test_hidden_files_are_skipped_like_load_dir(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A hidden file in a folder (an editor's lock or backup) is skipped, as load_dir does."""
        shutil.copy(FIXTURES / NASDAQ, tmp_path / ".pinned.md")
        shutil.copy(FIXTURES / NASDAQ, tmp_path / "shown.md")

        assert paths_listed(tmp_path, capsys=capsys) == ["shown.md"]


class TestExcludeAndInclude:
    """--exclude and --include, on the files of the folders given."""

    @pytest.fixture
    def folder(self, tmp_path: Path) -> Path:
        """Return a folder of articles under several names, with a non-article .txt."""
        for name in (
            "2019/a.md",
            "2020/b.md",
            "2020/b-draft.md",
            "drafts/c.md",
            "archive/2019/d.md",
            "news/e.markdown",
        ):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(FIXTURES / NASDAQ, tmp_path / name)
        (tmp_path / "notes.txt").write_text("not an article\n", encoding="utf-8")
        return tmp_path

    @pytest.mark.parametrize(
        ("options", "expected"),
        [
            pytest.param(
                (),
                ["2019/a.md", "2020/b-draft.md", "2020/b.md", "archive/2019/d.md", "drafts/c.md"],
                id="default: every .md",
            ),
            pytest.param(
                ("--exclude", "drafts"),
                ["2019/a.md", "2020/b-draft.md", "2020/b.md", "archive/2019/d.md"],
                id="a folder's name",
            ),
            pytest.param(
                ("--exclude", "2019"),
                ["2020/b-draft.md", "2020/b.md", "drafts/c.md"],
                id="a name anywhere on the path",
            ),
            pytest.param(
                ("--exclude", "archive/2019"),
                ["2019/a.md", "2020/b-draft.md", "2020/b.md", "drafts/c.md"],
                id="a path from the folder",
            ),
            pytest.param(
                ("--exclude", "*-draft.md", "--exclude", "/drafts/"),
                ["2019/a.md", "2020/b.md", "archive/2019/d.md"],
                id="several, and slashes at the ends",
            ),
            pytest.param(
                ("--include", "*.markdown"),
                ["news/e.markdown"],
                id="include replaces *.md",
            ),
            pytest.param(
                ("--include", "*.markdown", "--include", "b*.md"),
                ["2020/b-draft.md", "2020/b.md", "news/e.markdown"],
                id="several includes: any",
            ),
            pytest.param(
                ("--include", "20*/*.md"),
                ["2019/a.md", "2020/b-draft.md", "2020/b.md"],
                id="include with a slash matches the path",
            ),
            pytest.param(
                ("--include", "*.md", "--exclude", "b*"),
                ["2019/a.md", "archive/2019/d.md", "drafts/c.md"],
                id="exclude wins",
            ),
        ],
    )
    def test_selection(
        self,
        folder: Path,
        capsys: pytest.CaptureFixture[str],
        options: tuple[str, ...],
        expected: list[str],
    ) -> None:
        """The files listed are those the globs select, in the folder's order."""
        assert paths_listed(folder, *options, capsys=capsys) == expected

    def test_workers_apply_the_same_globs(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Read in two processes, the same files are left out and the order is kept."""
        options = ("--exclude", "drafts", "--include", "*.md", "--include", "*.markdown")

        assert paths_listed(folder, *options, "-j", "2", capsys=capsys) == paths_listed(
            folder, *options, capsys=capsys
        )

    def test_workers_with_files_and_folders(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With processes, a named file comes where it is named and is read once."""
        named = str(folder / "drafts" / "c.md")

        assert main(["ls", named, str(folder), "-j", "2", "--format", "paths"]) == 0

        assert lines(capsys.readouterr().out) == [
            named,
            *(str(folder / name) for name in ("2019/a.md", "2020/b-draft.md", "2020/b.md")),
            str(folder / "archive" / "2019" / "d.md"),
        ]

    def test_named_file_is_read_whatever_the_globs(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file named on the command line is read even if a glob would leave it out."""
        named = folder / "drafts" / "c.md"

        assert main(["check", "--exclude", "drafts", str(named)]) == 0

        assert capsys.readouterr().err == "1 file checked, no problems\n"

    def test_fmt_does_not_touch_excluded_files(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An excluded file is not reformatted, however it is laid out."""
        messy = folder / "drafts" / "messy.md"
        messy.write_text(non_canonical_text(), encoding="utf-8")

        assert main(["fmt", "--exclude", "drafts", str(folder)]) == 0

        assert capsys.readouterr().out == ""
        assert messy.read_text(encoding="utf-8") == non_canonical_text()

    def test_nothing_selected_says_what_was_searched(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The warning names the include globs when nothing matches them."""
        assert main(["check", "--include", "*.rst", str(folder)]) == 0

        assert capsys.readouterr().err.splitlines()[0] == (
            "newsfeed: no article files found (a folder is searched for *.rst)"
        )

    @pytest.mark.parametrize("option", ["--include", "--exclude"])
    def test_empty_glob_is_a_usage_error(
        self, folder: Path, capsys: pytest.CaptureFixture[str], option: str
    ) -> None:
        """An empty glob (or only slashes) is refused before anything is read."""
        assert main(["ls", option, "/", str(folder)]) == 2

        assert f"argument {option}: not a file name pattern: '/'" in capsys.readouterr().err


class TestSelectionRules:
    """`Selection.wants` on paths relative to the folder given."""

    @pytest.mark.parametrize(
        ("path", "wanted"),
        [
            ("a.md", True),
            ("a.MD", False),
            ("sub/readme.md", False),
            ("README.markdown", False),
            ("readme-2020.md", True),
            (".hidden/a.md", False),
            ("a/.b/c/d.md", False),
            ("node_modules/x/a.md", False),
            ("my_venv/a.md", True),
            (".a.md", True),
        ],
    )
    def test_defaults(self, path: str, *, wanted: bool) -> None:
        """Hidden and tools' folders and repository documents are left out, nothing else."""
        assert Selection().wants(PurePosixPath(path)) is wanted


class TestOddLinks:
    """A loop of links is one problem; a link and its target read alike with -j 1 and -j 2."""

    @pytest.mark.parametrize("command", ["check", "ls", "stats"])
    def test_loop_of_links_is_one_problem(
        self, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The loop is reported on one line, exit 1, and the good file is still read."""
        shutil.copy(FIXTURES / NASDAQ, tmp_path / "good.md")
        (tmp_path / "loop.md").symlink_to("loop.md")

        assert main([command, str(tmp_path)]) == 1

        out, err = capsys.readouterr()
        problems = [line for line in lines(out + err) if "loop.md" in line]
        assert len(problems) == 1
        assert "symbolic links" in problems[0]
        if command == "ls":
            assert "Amazon" in out

    def test_workers_report_the_path_of_the_first_name(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file and a link to it are one file, listed under its first name, with -j 1 or 2."""
        shutil.copy(FIXTURES / NASDAQ, tmp_path / "real.md")
        (tmp_path / "link.md").symlink_to("real.md")
        listed = []
        for workers in ("1", "2"):
            assert main(["ls", str(tmp_path), "--format", "paths", "-j", workers]) == 0
            listed.append(lines(capsys.readouterr().out))
        assert listed == [[str(tmp_path / "link.md")]] * 2
