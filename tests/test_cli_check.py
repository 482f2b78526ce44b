"""`newsfeed check`: every bad file reported as `file:line: field: message`, exit 1."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cli_support import FIXTURES, NASDAQ, copy_fixtures, lines, run, run_with_stdin
from listing_support import refuse_to_list
from newsfeed._cli.files import Problem, problem_from
from newsfeed._cli.main import main

QUALITY_LINE = 10


def make_broken(folder: Path, *, shown: Path | None = None) -> list[str]:
    """Write four bad files under *folder*; return the lines `check` must print, in order.

    The lines name the files under *shown* (default: *folder*), the path the
    command was given.
    """
    nested = folder / "nested"
    nested.mkdir(parents=True)
    fixture = (FIXTURES / NASDAQ).read_text(encoding="utf-8")
    (folder / "bad-quality.md").write_text(
        fixture.replace("quality: 54", "quality: high"), encoding="utf-8"
    )
    (folder / "no-date.md").write_text(
        fixture.replace("publishedDateTime: 2020-06-11T12:02:00Z\n", ""), encoding="utf-8"
    )
    (nested / "bad-yaml.md").write_text('---\ntitle: "x"\ntopics: [\n---\n', encoding="utf-8")
    (nested / "unclosed.md").write_text('---\ntitle: "x"\n', encoding="utf-8")
    folder = folder if shown is None else shown
    nested = folder / "nested"
    return [
        f"{folder / 'bad-quality.md'}:{QUALITY_LINE}: quality: expected an integer, got str",
        f"{nested / 'bad-yaml.md'}:4: invalid YAML: did not find expected node content",
        f"{nested / 'unclosed.md'}:1: the front matter is not closed by a '---' line",
        f"{folder / 'no-date.md'}:1: publishedDateTime: required field is missing",
    ]


class TestCheckAsAUser:
    """`python -m newsfeed check` run as a subprocess, on folders of files."""

    def test_clean_folder_passes(self, tmp_path: Path) -> None:
        """A folder of good files prints no problem, a summary on stderr, and exits 0."""
        copy_fixtures(tmp_path / "articles")

        result = run("check", "articles", cwd=tmp_path)

        assert result.returncode == 0
        assert result.stdout == ""
        assert lines(result.stderr) == ["2 files checked, no problems"]

    def test_every_bad_file_is_reported(self, tmp_path: Path) -> None:
        """Each bad file gets one `file:line: field: message` line, in sorted order; exit 1."""
        copy_fixtures(tmp_path / "articles")
        expected = make_broken(tmp_path / "articles", shown=Path("articles"))

        result = run("check", "articles", cwd=tmp_path)

        assert result.returncode == 1
        assert lines(result.stdout) == expected
        assert lines(result.stderr) == ["4 problems in 6 files checked"]

    def test_json_lists_the_parts(self, tmp_path: Path) -> None:
        """`--format json` gives path, line, field and message of every problem."""
        make_broken(tmp_path / "articles")

        result = run("check", "--format", "json", "articles", cwd=tmp_path)

        assert result.returncode == 1
        problems = json.loads(result.stdout)
        assert problems[0] == {
            "path": str(Path("articles", "bad-quality.md")),
            "line": QUALITY_LINE,
            "field": "quality",
            "message": "expected an integer, got str",
        }
        assert [problem["field"] for problem in problems] == [
            "quality",
            None,
            None,
            "publishedDateTime",
        ]


class TestCheckArguments:
    """Which files `check` looks at, called in process."""

    def test_named_file_is_checked_whatever_its_name(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file named on the command line is read even without the .md suffix."""
        bad = tmp_path / "draft.txt"
        bad.write_text("no front matter\n", encoding="utf-8")

        assert main(["check", str(bad)]) == 1

        out, err = capsys.readouterr()
        assert out == f"{bad}:1: the file must start with a '---' line\n"
        assert err == "1 problem in 1 file checked\n"

    def test_folder_ignores_other_suffixes(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A folder is searched for *.md only: a bad .txt beside good files is not read."""
        copy_fixtures(tmp_path)
        (tmp_path / "notes.txt").write_text("not an article\n", encoding="utf-8")

        assert main(["check", str(tmp_path)]) == 0

        assert capsys.readouterr().err == "2 files checked, no problems\n"

    def test_a_file_reached_twice_is_checked_once(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Naming a file and its folder reports its problem once."""
        bad = tmp_path / "bad.md"
        bad.write_text("nope\n", encoding="utf-8")

        assert main(["check", str(bad), str(tmp_path), str(bad)]) == 1

        out, err = capsys.readouterr()
        assert lines(out) == [f"{bad}:1: the file must start with a '---' line"]
        assert err == "1 problem in 1 file checked\n"

    def test_dangling_symlink_is_a_problem(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A link to nowhere is reported as unreadable, not skipped."""
        link = tmp_path / "gone.md"
        link.symlink_to(tmp_path / "missing.md")

        assert main(["check", str(tmp_path)]) == 1

        assert capsys.readouterr().out == f"{link}: cannot read: No such file or directory\n"

    def test_link_out_of_the_folder_says_how_to_read_it(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A link out of the folder is a problem that says to name it, as no keyword applies."""
        target = copy_fixtures(tmp_path / "out")[0]
        link = tmp_path / "folder" / "link.md"
        link.parent.mkdir()
        link.symlink_to(target)

        assert main(["check", str(link.parent)]) == 1
        assert main(["check", str(link)]) == 0

        out = capsys.readouterr().out
        assert out == (
            f"{link}: a link to a file outside the folder ({target});"
            " name it on the command line to read it\n"
        )

    def test_folder_that_cannot_be_listed_is_a_problem(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A folder whose files cannot be listed is reported, not passed over."""
        copy_fixtures(tmp_path)
        locked = tmp_path / "locked"
        locked.mkdir()
        refuse_to_list(monkeypatch, locked)
        assert main(["check", str(tmp_path)]) == 1
        assert f"{locked}: cannot list this folder: Permission denied\n" in capsys.readouterr().out

    def test_oversized_file_has_no_line(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A file over the size limit is refused unread; its line reads `file: message`."""
        monkeypatch.setattr("newsfeed._cli.commands.MAX_FILE_BYTES", 100)
        monkeypatch.setattr("newsfeed._format.reading.MAX_FILE_BYTES", 100)
        copy_fixtures(tmp_path)

        assert main(["check", str(tmp_path / NASDAQ)]) == 1

        assert capsys.readouterr().out == f"{tmp_path / NASDAQ}: text is longer than 100 bytes\n"

    def test_empty_folder_warns(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A folder without articles passes, with a warning that nothing was found."""
        assert main(["check", str(tmp_path)]) == 0

        assert capsys.readouterr().err == (
            "newsfeed: no article files found (a folder is searched for **/*.md)\n"
            "0 files checked, no problems\n"
        )

    def test_missing_path_is_a_usage_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A path that does not exist is a bad argument: exit 2, nothing checked."""
        assert main(["check", str(tmp_path / "nope")]) == 2

        err = capsys.readouterr().err
        assert err.startswith("usage: newsfeed check")
        assert f"error: argument PATH: no such file or folder: '{tmp_path / 'nope'}'" in err


class TestCheckStdin:
    """`newsfeed check -` checks the one article piped in."""

    def test_bad_article_on_stdin(self, tmp_path: Path) -> None:
        """Its problem is reported against `<stdin>`, with line and field; exit 1."""
        text = (FIXTURES / NASDAQ).read_bytes().replace(b"quality: 54", b"quality: high")

        result = run_with_stdin("check", "-", stdin=text, cwd=tmp_path)

        assert result.returncode == 1
        assert result.stdout == b"<stdin>:10: quality: expected an integer, got str\n"
        assert result.stderr == b"1 problem in 1 file checked\n"

    def test_good_article_on_stdin(self, tmp_path: Path) -> None:
        """A good article passes: nothing on stdout, exit 0."""
        result = run_with_stdin("check", "-", stdin=(FIXTURES / NASDAQ).read_bytes(), cwd=tmp_path)

        assert (result.returncode, result.stdout) == (0, b"")
        assert result.stderr == b"1 file checked, no problems\n"

    def test_json_from_stdin(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`--format json` names stdin as `<stdin>` too."""
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"no fence\n")))

        assert main(["check", "--format", "json", "-"]) == 1

        assert json.loads(capsys.readouterr().out) == [
            {
                "path": "<stdin>",
                "line": 1,
                "field": None,
                "message": "the file must start with a '---' line",
            }
        ]

    def test_stdin_must_be_alone(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """`-` beside another path is a usage error: exit 2, nothing read."""
        copy_fixtures(tmp_path)

        assert main(["check", "-", str(tmp_path)]) == 2

        assert "newsfeed check: error: '-' (stdin) must be the only path" in capsys.readouterr().err


class TestCheckJson:
    """`check --format json`, called in process."""

    def test_json_list(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Every problem is a JSON object, no text line is printed, the summary stays on stderr."""
        expected = make_broken(tmp_path)
        copy_fixtures(tmp_path)

        assert main(["check", "--format", "json", str(tmp_path)]) == 1

        out, err = capsys.readouterr()
        problems = [Problem(**item) for item in json.loads(out)]
        assert [problem.render() for problem in problems] == expected
        assert err == "4 problems in 6 files checked\n"

    def test_clean_json_is_an_empty_list(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With no problem the JSON is an empty list and the exit code 0."""
        copy_fixtures(tmp_path)

        assert main(["check", "--format", "json", str(tmp_path)]) == 0

        assert json.loads(capsys.readouterr().out) == []


class TestProblemRendering:
    """How a problem reads when its line or field is unknown."""

    @pytest.mark.parametrize(
        ("line", "field", "expected"),
        [
            (3, "quality", "a.md:3: quality: bad"),
            (3, None, "a.md:3: bad"),
            (None, "quality", "a.md: quality: bad"),
            (None, None, "a.md: bad"),
        ],
    )
    def test_unknown_parts_are_left_out(
        self, line: int | None, field: str | None, expected: str
    ) -> None:
        """`file:line: field: message` drops the line or the field, with its colon, when unknown."""
        assert Problem(path="a.md", line=line, field=field, message="bad").render() == expected

    def test_unexpected_error_names_its_type(self) -> None:
        """An error that is neither a parse, validation nor OS error still names the file."""
        problem = problem_from(RuntimeError("boom"), Path("a.md"))

        assert problem.render() == "a.md: RuntimeError: boom"


class TestCheckWarnings:
    """check names what a file had that the model leaves out, without counting it a problem."""

    def test_null_topic_is_named_with_its_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bare '-' in topics is a warning, file:line, and the file passes."""
        path = tmp_path / "a.md"
        path.write_text(
            '---\ntitle: "T"\npublishedDateTime: 2020-06-11T12:02:00Z\nwebUrl: "u"\n'
            "topics:\n  - AI\n  - \n---\n",
            encoding="utf-8",
        )

        assert main(["check", str(path)]) == 0

        out, err = capsys.readouterr()
        assert out == ""
        assert err.splitlines() == [
            f"warning: {path}:7: topics[1]: a null list item is left out (an empty '-' line)",
            "1 file checked, no problems",
        ]


class TestEveryProblemOfAFile:
    """A front matter that reads but does not validate gets one line per problem."""

    TEXT = (
        "---\ntitle: x\npublishedDateTime: bad\nwebUrl: u\n"
        'updatedDateTime: bad\nquality: "high"\n---\n'
    )

    def test_text(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Each problem is a line naming its line and field; the summary counts them."""
        bad = tmp_path / "bad.md"
        bad.write_text(self.TEXT, encoding="utf-8")

        assert main(["check", str(bad)]) == 1

        out, err = capsys.readouterr()
        assert [line.split(": ", 2)[:2] for line in lines(out)] == [
            [f"{bad}:3", "publishedDateTime"],
            [f"{bad}:5", "updatedDateTime"],
            [f"{bad}:6", "quality"],
        ]
        assert err == "3 problems in 1 file checked\n"

    def test_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The JSON list holds one object per problem."""
        (tmp_path / "bad.md").write_text(self.TEXT, encoding="utf-8")

        assert main(["check", "--format", "json", str(tmp_path)]) == 1

        fields = [item["field"] for item in json.loads(capsys.readouterr().out)]
        assert fields == ["publishedDateTime", "updatedDateTime", "quality"]
