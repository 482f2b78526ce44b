"""Output for people at a terminal: the `ls` table's width and columns, escaped control characters.

The exact formats for programs (JSON, JSON Lines, CSV, paths) are checked here
too, against the same hostile articles, to show that they are not escaped.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from cli_support import lines, make_corpus, non_utf8_path, provider, run, write_article
from newsfeed._cli.main import main
from newsfeed._cli.render import COLUMNS, DEFAULT_COLUMNS
from newsfeed._cli.terminal import display_width, printable, truncate

LONG_TITLE = "A long title about facial recognition, police and a one-year moratorium in 2020"
#: A title that tries to set the window title (OSC ... BEL), return to the start
#: of the line, reverse the text that follows and clear the screen (C1 CSI).
HOSTILE_TITLE = "Evil\x1b]0;pwned\x07 title\r\u202eabc\x9b2J\u2066x\u2069"
HOSTILE_PROVIDER = "Bad\x1b[31mCo"
HOSTILE_TOPIC = "AI\x1b[2J"


def _controls(text: str) -> list[str]:
    """Return the characters of *text* that could drive a terminal (line ends aside)."""
    return [
        char
        for char in text
        if char != "\n" and (unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"})
    ]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Return a folder of eight articles with known dates, qualities, providers and topics."""
    return make_corpus(tmp_path / "corpus")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Return a folder with one article whose title, provider and topic hold escape sequences."""
    folder = tmp_path / "hostile"
    write_article(
        folder / "evil.md",
        title=HOSTILE_TITLE,
        provider=provider(HOSTILE_PROVIDER, "bad.example"),
        topics=(HOSTILE_TOPIC,),
    )
    return folder


def table(folder: Path, *options: str, width: int, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run `ls FOLDER OPTIONS` as a table in a terminal *width* wide; return its lines."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        assert main(["ls", str(folder), *options]) == 0
    return lines(capsys.readouterr().out)


class TestTableWidth:
    """The table fits the terminal by cutting the title, with an ellipsis."""

    def test_title_is_cut_to_fit(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """In 70 columns every line fits, and the long title ends with an ellipsis."""
        write_article(tmp_path / "a.md", title=LONG_TITLE)

        out = table(tmp_path, width=70, capsys=capsys)

        assert max(display_width(line) for line in out) == 70
        assert out[1].endswith("  Nasdaq    A long title about facial re…")

    def test_wide_terminal_shows_whole_titles(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """When there is room, nothing is cut."""
        write_article(tmp_path / "a.md", title=LONG_TITLE)

        out = table(tmp_path, width=200, capsys=capsys)

        assert out[1].endswith(f"  {LONG_TITLE}")

    def test_wide_characters_count_twice(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A title in Chinese is cut by terminal cells, two per character, not by characters."""
        write_article(tmp_path / "a.md", title="亚马逊禁止警方使用面部识别技术一年" * 2)

        out = table(tmp_path, width=60, capsys=capsys)

        assert [display_width(line) <= 60 for line in out] == [True, True]
        assert out[1].endswith("…")

    def test_narrow_terminal_keeps_some_title(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """However narrow the terminal, the title keeps ten cells (the row then overflows)."""
        write_article(tmp_path / "a.md", title=LONG_TITLE)

        out = table(tmp_path, width=5, capsys=capsys)

        assert out[1].endswith("  A long ti…")

    def test_not_a_terminal(self, tmp_path: Path) -> None:
        """Into a pipe and without COLUMNS, the table is 80 columns wide."""
        write_article(tmp_path / "a.md", title=LONG_TITLE * 2)
        env = {name: value for name, value in os.environ.items() if name != "COLUMNS"}

        result = subprocess.run(
            [sys.executable, "-m", "newsfeed", "ls", "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**env, "PYTHONUTF8": "1"},
            check=False,
        )

        assert result.returncode == 0
        assert [display_width(line) for line in lines(result.stdout)][1] == 80


class TestColumns:
    """`--columns` picks the table's columns."""

    def test_picked_columns_in_order(
        self, corpus: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The columns come in the order given; numbers align right, `-` marks a missing value."""
        options = ("--provider", "reuters", "--columns", "related_count,provider_domain,quality")

        assert table(corpus, *options, width=100, capsys=capsys) == [
            "RELATED  PROVIDER DOMAIN     QUALITY",
            "      7  reuters.com              90",
            "      7  mobile.reuters.com        -",
            "      7  reuters.com              70",
        ]

    def test_excerpt_is_cut_before_the_title(
        self, corpus: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With both, the excerpt gives up its room first, and the title keeps its own."""
        options = ("--limit", "1", "--columns", "title,excerpt")

        out = table(corpus, *options, width=60, capsys=capsys)

        assert out[1].startswith("Story late-march  (RTTNews) - Amazon announced")
        assert out[1].endswith("…")
        assert display_width(out[1]) == 60

    @pytest.mark.parametrize("name", list(COLUMNS))
    def test_every_column_shows(
        self, corpus: Path, capsys: pytest.CaptureFixture[str], name: str
    ) -> None:
        """Each column named in the help has its header and one cell per article."""
        out = table(corpus, "--columns", name, width=400, capsys=capsys)

        assert out[0].strip() == COLUMNS[name].header
        assert len(out) == 9
        assert all(line.strip() for line in out)

    def test_default_columns(self) -> None:
        """Without --columns the table shows published, quality, provider and title."""
        assert DEFAULT_COLUMNS == ("published_at", "quality", "provider", "title")

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (
                ("--columns", "title,popularity"),
                "argument --columns: unknown column 'popularity'; choose from: published_at, ",
            ),
            (("--columns", "title,title"), "argument --columns: column 'title' is given twice"),
            (("--columns", ""), "argument --columns: unknown column ''"),
            (
                ("--columns", "title", "--format", "json"),
                "argument --columns: only the table has columns to pick",
            ),
        ],
    )
    def test_bad_columns_are_usage_errors(
        self,
        corpus: Path,
        capsys: pytest.CaptureFixture[str],
        options: tuple[str, ...],
        message: str,
    ) -> None:
        """A bad --columns exits 2 and names the flag, before anything is read."""
        assert main(["ls", str(corpus), *options]) == 2

        out, err = capsys.readouterr()
        assert out == ""
        assert f"newsfeed ls: error: {message}" in err


class TestTerminalInjection:
    """Issue 11, item 15: control characters are escaped for people, never in exact formats."""

    def test_terminal_injection_escaped_in_ls_table(
        self, hostile: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The table shows ESC, BEL, CR, C1 and bidi controls as escapes, on one line per row."""
        out = table(hostile, width=300, capsys=capsys)

        assert len(out) == 2
        assert _controls("\n".join(out)) == []
        assert out[1].endswith(
            "Bad\\x1b[31mCo  Evil\\x1b]0;pwned\\x07 title\\r\\u202eabc\\x9b2J\\u2066x\\u2069"
        )

    def test_terminal_injection_escaped_in_stats_text(
        self, hostile: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`stats` escapes provider names and topics."""
        assert main(["stats", str(hostile)]) == 0

        out = capsys.readouterr().out
        assert _controls(out) == []
        assert "  Bad\\x1b[31mCo       1\n" in out
        assert "  AI\\x1b[2J       1\n" in out

    def test_terminal_injection_escaped_in_check_messages(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file name or key holding escape sequences is escaped in `check`'s lines."""
        bad = tmp_path / "evil\x1b[2J.md"
        bad.write_text('---\ntitle: x\n"k\\e[5m": [\n---\n', encoding="utf-8")

        assert main(["check", str(tmp_path)]) == 1

        out = capsys.readouterr().out
        assert _controls(out) == []
        assert out.startswith(f"{tmp_path}/evil\\x1b[2J.md:")

    def test_terminal_injection_escaped_in_load_errors(
        self, hostile: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`ls` and `stats` escape the failures they name on stderr."""
        (hostile / "bad\x07.md").write_text("nope\n", encoding="utf-8")

        assert main(["ls", str(hostile), "--format", "paths"]) == 1

        err = capsys.readouterr().err
        assert _controls(err) == []
        assert f"error: cannot load {hostile}/bad\\x07.md:1:" in err

    @pytest.mark.parametrize("output_format", ["json", "jsonl"])
    def test_json_stays_exact(
        self, hostile: Path, capsys: pytest.CaptureFixture[str], output_format: str
    ) -> None:
        """JSON and JSON Lines give the title, provider and topic exactly as in the file."""
        assert main(["ls", str(hostile), "--format", output_format]) == 0

        out = capsys.readouterr().out
        record = json.loads(out)[0] if output_format == "json" else json.loads(out)
        assert record["title"] == HOSTILE_TITLE
        assert record["provider_name"] == HOSTILE_PROVIDER
        assert record["topics"] == [HOSTILE_TOPIC]


#: A file name that sets the window title, and a null topic for a warning to name it.
WARNING_NAME = "x\x1b]0;PWNED\x07.md"
NULL_TOPIC = (
    "---\ntitle: x\npublishedDateTime: 2020-06-01T12:00:00Z\nwebUrl: u\ntopics: [AI, null]\n---\n"
)


def null_topic_warning(folder: Path) -> str:
    """Write WARNING_NAME in *folder*; return the warning line every command gives for it."""
    (folder / WARNING_NAME).write_text(NULL_TOPIC, encoding="utf-8")
    return (
        f"warning: {folder}/x\\x1b]0;PWNED\\x07.md:5: topics[1]: "
        "a null list item is left out (an empty '-' line)"
    )


class TestWarningsForPeople:
    """Every command names what a file had that was left out as `check` does: one escaped line."""

    @pytest.mark.parametrize(
        "command",
        [
            pytest.param(["check"], id="check"),
            pytest.param(["fmt", "--check"], id="fmt --check"),
            pytest.param(["fmt", "--diff"], id="fmt --diff"),
            pytest.param(["fmt"], id="fmt"),
            pytest.param(["ls"], id="ls"),
            pytest.param(["ls", "--format", "json"], id="ls json"),
            pytest.param(["ls", "--workers", "2"], id="ls in processes"),
            pytest.param(["stats"], id="stats"),
        ],
    )
    def test_one_escaped_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
    ) -> None:
        """The warning is `warning: file:line: field: message`, its ESC and BEL escaped."""
        warning = null_topic_warning(tmp_path)

        main([*command, str(tmp_path)])

        err = capsys.readouterr().err
        assert lines(err)[0] == warning
        assert _controls(err) == []

    def test_as_a_user(self, tmp_path: Path) -> None:
        """Run as a program, `ls` prints no Python warning lines (`file:6: NewsfeedWarning`)."""
        warning = null_topic_warning(tmp_path)

        result = run("ls", tmp_path, "--format", "paths", cwd=tmp_path)

        assert result.returncode == 0
        assert lines(result.stderr) == [warning]


@pytest.fixture
def odd_name(tmp_path: Path) -> Path:
    """Return an article file whose name has the byte 0xFF, not UTF-8, beside a plain one."""
    folder = tmp_path / "odd"
    path = non_utf8_path(folder)
    write_article(path)
    write_article(folder / "b.md")
    return path


class TestNonUtf8Names:
    """A file name that is not UTF-8 never crashes a strict UTF-8 stdout (capsysbinary's is)."""

    def test_table_shows_the_byte_escaped(
        self, odd_name: Path, capsysbinary: pytest.CaptureFixture[bytes]
    ) -> None:
        r"""The table, for people, shows the byte 0xFF as \xff."""
        assert main(["ls", str(odd_name.parent), "--columns", "path"]) == 0

        out = capsysbinary.readouterr().out.decode("utf-8")
        assert lines(out)[1] == printable(str(odd_name.parent)) + "/a\\xff.md"

    def test_paths_are_the_bytes_of_the_name(
        self, odd_name: Path, capsysbinary: pytest.CaptureFixture[bytes]
    ) -> None:
        """`paths` writes each name as its bytes, so xargs gets the very file."""
        assert main(["ls", str(odd_name.parent), "--format", "paths"]) == 0

        out = capsysbinary.readouterr().out
        assert out == os.fsencode(odd_name) + b"\n" + os.fsencode(odd_name.parent / "b.md") + b"\n"

    def test_csv_holds_the_bytes_of_the_name(
        self, odd_name: Path, capsysbinary: pytest.CaptureFixture[bytes]
    ) -> None:
        """CSV writes the name as its bytes: read back as Python reads names, it is the path."""
        assert main(["ls", str(odd_name.parent), "--format", "csv"]) == 0

        out = capsysbinary.readouterr().out
        # As Python reads file names: the bytes that are not UTF-8 as surrogates.
        text = io.TextIOWrapper(
            io.BytesIO(out), encoding="utf-8", errors="surrogateescape", newline=""
        )
        rows = list(csv.DictReader(text))
        assert [row["path"] for row in rows] == [str(odd_name), str(odd_name.parent / "b.md")]

    @pytest.mark.parametrize("output_format", ["json", "jsonl"])
    def test_json_escapes_the_byte(
        self, odd_name: Path, capsysbinary: pytest.CaptureFixture[bytes], output_format: str
    ) -> None:
        r"""JSON stays UTF-8 and writes the byte as \udcff, which json reads back as the name."""
        assert main(["ls", str(odd_name), "--format", output_format]) == 0

        out = capsysbinary.readouterr().out.decode("utf-8")
        assert "a\\udcff.md" in out
        record = json.loads(out)[0] if output_format == "json" else json.loads(out)
        assert record["path"] == str(odd_name)

    def test_check_names_the_file_escaped(
        self, odd_name: Path, capsysbinary: pytest.CaptureFixture[bytes]
    ) -> None:
        """A bad file's line in `check` shows the byte escaped, as every message for people."""
        odd_name.write_text("nope\n", encoding="utf-8")

        assert main(["check", str(odd_name)]) == 1

        out = capsysbinary.readouterr().out.decode("utf-8")
        assert out.startswith(f"{printable(str(odd_name.parent))}/a\\xff.md:1: ")


class TestJsonLines:
    """`ls --format jsonl`: one JSON object per line, the objects of `--format json`."""

    def test_same_records_as_json(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Each line parses to the record at its place in the JSON list."""
        selection = ["--sort", "quality", "--reverse", "--limit", "5"]
        assert main(["ls", str(corpus), *selection, "--format", "json"]) == 0
        listed = json.loads(capsys.readouterr().out)

        assert main(["ls", str(corpus), *selection, "--format", "jsonl"]) == 0

        out = capsys.readouterr().out
        assert [json.loads(line) for line in lines(out)] == listed
        assert len(lines(out)) == 5
        assert out.endswith("}\n")

    def test_nothing_selected_is_no_line(
        self, corpus: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An empty selection prints nothing at all."""
        assert main(["ls", str(corpus), "--limit", "0", "--format", "jsonl"]) == 0

        assert capsys.readouterr().out == ""


class TestEscapingRules:
    """`printable`, `display_width` and `truncate` themselves."""

    @pytest.mark.parametrize(
        ("text", "shown"),
        [
            ("plain ascii", "plain ascii"),
            ("Ünïcödé \u2013 \u201cquotes\u201d 日本", "Ünïcödé \u2013 \u201cquotes\u201d 日本"),
            ("tab\there", "tab\\there"),
            ("line\nbreak\r", "line\\nbreak\\r"),
            ("\x00\x1b\x7f", "\\x00\\x1b\\x7f"),
            ("\x85\x9b", "\\x85\\x9b"),
            ("\u202a\u202e\u2066\u2069\u200f\u061c", "\\u202a\\u202e\\u2066\\u2069\\u200f\\u061c"),
            ("\u2028\u2029", "\\u2028\\u2029"),
            ("a\\x1b", "a\\x1b"),
            ("a\udcff.md", "a\\xff.md"),
            ("\ud800\udfff", "\\ud800\\udfff"),
            ("👩\u200d💻", "👩\u200d💻"),
        ],
    )
    def test_printable(self, text: str, shown: str) -> None:
        """Controls, C1, bidi and lone surrogates become escapes; letters, emoji, backslash stay."""
        assert printable(text) == shown

    @pytest.mark.parametrize(
        ("text", "width"),
        [("abc", 3), ("日本", 4), ("e\u0301", 1), ("", 0), ("a\u200bb", 2)],
    )
    def test_display_width(self, text: str, width: int) -> None:
        """Wide characters take two cells, combining and format characters none."""
        assert display_width(text) == width

    @pytest.mark.parametrize(
        ("text", "width", "cut"),
        [
            ("abcdef", 6, "abcdef"),
            ("abcdef", 5, "abcd…"),
            ("日本語です", 6, "日本…"),
            ("日本語です", 5, "日本…"),
        ],
    )
    def test_truncate(self, text: str, width: int, cut: str) -> None:
        """A cut text fits the width with its ellipsis; an uncut one is kept whole."""
        assert truncate(text, width) == cut
        assert display_width(cut) <= width


class TestIndexMessagesForPeople:
    """The index commands' own lines are escaped like every message for people."""

    def test_rebuilt_warning_is_one_escaped_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A database rebuilt for another folder is named in one `warning:` line, escaped."""
        db = tmp_path / "i\x1b[2J.sqlite3"
        for name in ("one", "two"):
            make_corpus(tmp_path / name)
            assert main(["index", str(tmp_path / name), "--db", str(db)]) == 0
        err = capsys.readouterr().err
        (warning,) = [line for line in lines(err) if "rebuilding" in line]
        assert warning.startswith("warning: ")
        assert "IndexRebuiltWarning" not in err
        assert _controls(err) == []

    def test_index_summary_is_escaped(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`newsfeed index` names its database with control characters escaped."""
        make_corpus(tmp_path / "articles")

        assert main(["index", str(tmp_path / "articles"), "--db", str(tmp_path / "i\x07.db")]) == 0

        out = capsys.readouterr().out
        assert _controls(out) == []
        assert "i\\x07.db" in out
