"""`newsfeed fmt`: rewrite to the canonical layout like black; never touch a broken file."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from cli_support import (
    FIXTURES,
    NASDAQ,
    OBSERVER,
    copy_fixtures,
    lines,
    non_canonical_text,
    non_utf8_path,
    run,
    run_with_stdin,
)
from newsfeed._cli.main import main

#: A modification time far in the past: a file written by the test run cannot have it.
OLD = 1_000_000_000_000_000_000
NOT_UTF8 = "not valid UTF-8: byte 0xff at offset 28"


def age(*paths: Path) -> None:
    """Give *paths* an old mtime, so that any rewrite shows."""
    for path in paths:
        os.utime(path, ns=(OLD, OLD))


def snapshot(folder: Path) -> dict[Path, tuple[bytes, int]]:
    """Return every file's bytes and mtime under *folder*."""
    return {
        path: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def make_folder(folder: Path) -> Path:
    """Write the two canonical fixtures (aged) and one non-canonical file; return the latter."""
    age(*copy_fixtures(folder))
    messy = folder / "messy.md"
    messy.write_text(non_canonical_text(), encoding="utf-8")
    age(messy)
    return messy


class TestFmtAsAUser:
    """`python -m newsfeed fmt` run as a subprocess."""

    def test_rewrites_only_what_differs(self, tmp_path: Path) -> None:
        """The messy file becomes the canonical bytes; canonical files keep their mtime."""
        messy = make_folder(tmp_path / "articles")

        result = run("fmt", "articles", cwd=tmp_path)

        assert result.returncode == 0
        assert lines(result.stdout) == [f"reformatted {Path('articles', 'messy.md')}"]
        assert lines(result.stderr) == ["1 file reformatted, 2 files left unchanged"]
        assert messy.read_bytes() == (FIXTURES / NASDAQ).read_bytes()
        for name in (NASDAQ, OBSERVER):
            assert (tmp_path / "articles" / name).stat().st_mtime_ns == OLD

    def test_check_lists_and_writes_nothing(self, tmp_path: Path) -> None:
        """`--check` names the file that would change, exits 1, and leaves every byte and mtime."""
        make_folder(tmp_path / "articles")
        before = snapshot(tmp_path)

        result = run("fmt", "--check", "articles", cwd=tmp_path)

        assert result.returncode == 1
        assert lines(result.stdout) == [f"would reformat {Path('articles', 'messy.md')}"]
        assert lines(result.stderr) == [
            "1 file would be reformatted, 2 files would be left unchanged"
        ]
        assert snapshot(tmp_path) == before

    def test_broken_file_is_left_byte_identical(self, tmp_path: Path) -> None:
        """A file that fails to load is reported and untouched; the others are still formatted."""
        messy = make_folder(tmp_path / "articles")
        broken = tmp_path / "articles" / "broken.md"
        broken.write_bytes(b"---\r\ntitle: 'unclosed\r\n---\r\n\xff")
        age(broken)

        result = run("fmt", "articles", cwd=tmp_path)

        assert result.returncode == 1
        assert lines(result.stderr) == [
            f"error: cannot format {Path('articles', 'broken.md')}:4: {NOT_UTF8}",
            (
                "1 file reformatted, 2 files left unchanged,"
                " 1 file could not be formatted (left untouched)"
            ),
        ]
        assert broken.read_bytes() == b"---\r\ntitle: 'unclosed\r\n---\r\n\xff"
        assert broken.stat().st_mtime_ns == OLD
        assert messy.read_bytes() == (FIXTURES / NASDAQ).read_bytes()


class TestFmtInProcess:
    """The finer points of `fmt`, called in process."""

    def test_canonical_folder_passes_check(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--check` on canonical files prints nothing on stdout and exits 0."""
        copy_fixtures(tmp_path)

        assert main(["fmt", "--check", str(tmp_path)]) == 0

        out, err = capsys.readouterr()
        assert out == ""
        assert err == "2 files would be left unchanged\n"

    def test_second_run_changes_nothing(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Formatting is idempotent: a second run finds nothing to do."""
        make_folder(tmp_path)
        assert main(["fmt", str(tmp_path)]) == 0
        capsys.readouterr()

        assert main(["fmt", "--check", str(tmp_path)]) == 0

        assert capsys.readouterr().err == "3 files would be left unchanged\n"

    def test_body_and_unknown_keys_survive(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Reformatting keeps the Markdown body and keys the model does not know."""
        path = tmp_path / "a.md"
        text = non_canonical_text().replace("---\n\n", "locale: en-us\n---\n\n# Heading\n\nText.\n")
        path.write_text(text, encoding="utf-8")

        assert main(["fmt", str(path)]) == 0

        assert capsys.readouterr().out == f"reformatted {path}\n"
        expected = (FIXTURES / NASDAQ).read_text(encoding="utf-8")
        expected = expected.replace("---\n\n", "locale: en-us\n---\n\n# Heading\n\nText.\n")
        assert path.read_text(encoding="utf-8") == expected

    def test_crlf_file_is_normalised(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Windows line ends are not the canonical layout: fmt rewrites them as LF."""
        path = tmp_path / "a.md"
        path.write_bytes((FIXTURES / NASDAQ).read_bytes().replace(b"\n", b"\r\n"))

        assert main(["fmt", "--check", str(path)]) == 1
        assert main(["fmt", str(path)]) == 0

        assert path.read_bytes() == (FIXTURES / NASDAQ).read_bytes()
        assert capsys.readouterr().out == f"would reformat {path}\nreformatted {path}\n"

    def test_invalid_article_is_not_touched(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file whose front matter is not an article is named with its field and left as is."""
        path = tmp_path / "a.md"
        text = non_canonical_text().replace("quality: 54", "quality: [54]")
        path.write_text(text, encoding="utf-8")
        age(path)

        assert main(["fmt", str(path)]) == 1

        out, err = capsys.readouterr()
        assert out == ""
        assert lines(err) == [
            f"error: cannot format {path}:10: quality: expected an integer, got list",
            "1 file could not be formatted (left untouched)",
        ]
        assert path.read_text(encoding="utf-8") == text
        assert path.stat().st_mtime_ns == OLD

    def test_no_files(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An empty folder warns that nothing was found, and prints no summary."""
        assert main(["fmt", str(tmp_path)]) == 0

        assert capsys.readouterr() == (
            "",
            "newsfeed: no article files found (a folder is searched for **/*.md)\n",
        )

    def test_write_failure_is_reported(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """A file that cannot be written is named on stderr and the command exits 1."""

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise PermissionError(13, "Permission denied")

        messy = make_folder(tmp_path)
        monkeypatch.setattr("newsfeed._cli.fmt_command.dump", refuse)

        assert main(["fmt", str(tmp_path)]) == 1

        out, err = capsys.readouterr()
        assert out == ""
        assert lines(err) == [
            f"error: cannot write {messy}: Permission denied",
            "2 files left unchanged, 1 file could not be formatted (left untouched)",
        ]


class TestFmtMessages:
    """What fmt prints for people names every file escaped, and never stops it part-way."""

    def test_non_utf8_name_is_shown_escaped(
        self, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
    ) -> None:
        r"""A name with the byte 0xFF shows it as \xff; the files after it are formatted too."""
        odd = non_utf8_path(tmp_path)
        odd.write_text(non_canonical_text(), encoding="utf-8")
        plain = tmp_path / "b.md"
        plain.write_text(non_canonical_text(), encoding="utf-8")

        assert main(["fmt", str(tmp_path)]) == 0

        out, err = capsysbinary.readouterr()
        assert lines(out.decode("utf-8")) == [
            f"reformatted {tmp_path}/a\\xff.md",
            f"reformatted {plain}",
        ]
        assert err == b"2 files reformatted\n"
        assert plain.read_bytes() == (FIXTURES / NASDAQ).read_bytes()

    def test_diff_headers_escape_the_name(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The ---/+++ lines of `--diff` show a name's ESC and BEL escaped, as every message."""
        path = tmp_path / "x\x1b]0;PWNED\x07.md"
        path.write_text(non_canonical_text(), encoding="utf-8")

        assert main(["fmt", "--diff", str(path)]) == 0

        shown = f"{tmp_path}/x\\x1b]0;PWNED\\x07.md"
        assert lines(capsys.readouterr().out)[:2] == [f"--- {shown}", f"+++ {shown} (formatted)"]

    def test_diff_marks_a_last_line_without_its_end(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A line without its line end is marked as diff marks it, so patch takes the diff."""
        path = tmp_path / "a.md"
        path.write_text(
            '---\ntitle: T\npublishedDateTime: 2021-03-02T08:00:00Z\nwebUrl: "u"\n---',
            encoding="utf-8",
        )

        assert main(["fmt", "--diff", str(path)]) == 0

        assert capsys.readouterr().out.splitlines(keepends=True)[2:] == [
            "@@ -1,5 +1,7 @@\n",
            " ---\n",
            "-title: T\n",
            '+title: "T"\n',
            " publishedDateTime: 2021-03-02T08:00:00Z\n",
            ' webUrl: "u"\n',
            "----\n",
            "\\ No newline at end of file\n",
            "+\n",
            "+---\n",
            "+\n",
        ]

    def test_diff_lines_end_at_line_feeds_only(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A U+2028 or a form feed in the body is within its line, as diff and patch see lines."""
        path = tmp_path / "a.md"
        path.write_text(
            '---\ntitle: T\npublishedDateTime: 2021-03-02T08:00:00Z\nwebUrl: "u"\n---\n\n'
            "one\u2028line\x0cstill\n",
            encoding="utf-8",
        )

        assert main(["fmt", "--diff", str(path)]) == 0

        body = [line for line in capsys.readouterr().out.split("\n") if "one" in line]
        assert body == [" one\u2028line\x0cstill"]


class TestFmtRefusals:
    """A file fmt will not replace is named in the command line's terms, and left untouched."""

    def test_read_only_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A read-only file is said to be one, with no keyword argument to pass."""
        path = tmp_path / "a.md"
        path.write_text(non_canonical_text(), encoding="utf-8")
        path.chmod(0o444)

        assert main(["fmt", str(path)]) == 1

        assert lines(capsys.readouterr().err) == [
            f"error: cannot write {path}: the file is read-only",
            "1 file could not be formatted (left untouched)",
        ]
        assert path.read_text(encoding="utf-8") == non_canonical_text()

    def test_hard_linked_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file with another hard link is said to have one; neither name changes."""
        path = tmp_path / "a.md"
        path.write_text(non_canonical_text(), encoding="utf-8")
        other = tmp_path / "elsewhere.txt"
        os.link(path, other)

        assert main(["fmt", str(path)]) == 1

        reason = "the file has other hard links, which would keep the old text"
        assert lines(capsys.readouterr().err) == [
            f"error: cannot write {path}: {reason}",
            "1 file could not be formatted (left untouched)",
        ]
        assert path.read_text(encoding="utf-8") == non_canonical_text()
        assert path.samefile(other)

    def test_link_out_of_the_folder(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A link out of the folder is to be named to be read, as the command line takes it."""
        target = tmp_path / "out" / "o.md"
        target.parent.mkdir()
        target.write_text(non_canonical_text(), encoding="utf-8")
        link = tmp_path / "folder" / "link.md"
        link.parent.mkdir()
        link.symlink_to(target)

        assert main(["fmt", str(link.parent)]) == 1

        outside = f"a link to a file outside the folder ({target})"
        reason = f"{outside}; name it on the command line to read it"
        assert lines(capsys.readouterr().err) == [
            f"error: cannot format {link}: {reason}",
            "1 file could not be formatted (left untouched)",
        ]
        assert target.read_text(encoding="utf-8") == non_canonical_text()

    def test_summary_counts_every_file_left_untouched(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file that fails to load and one that loads but is not written: none said to load."""
        (tmp_path / "broken.md").write_text("nope\n", encoding="utf-8")
        read_only = tmp_path / "read-only.md"
        read_only.write_text(non_canonical_text(), encoding="utf-8")
        read_only.chmod(0o444)

        assert main(["fmt", str(tmp_path)]) == 1

        err = lines(capsys.readouterr().err)
        assert err[-1] == "2 files could not be formatted (left untouched)"


class TestFmtStdin:
    """`newsfeed fmt -` formats stdin to stdout, like black."""

    def test_messy_text_comes_out_canonical(self, tmp_path: Path) -> None:
        """The canonical bytes go to stdout, the summary to stderr; no file is written."""
        result = run_with_stdin("fmt", "-", stdin=non_canonical_text().encode(), cwd=tmp_path)

        assert result.returncode == 0
        assert result.stdout == (FIXTURES / NASDAQ).read_bytes()
        assert result.stderr == b"1 file reformatted\n"
        assert list(tmp_path.iterdir()) == []

    def test_in_process(
        self, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Called in process, `fmt -` writes the canonical bytes to stdout as well."""
        monkeypatch.setattr(
            "sys.stdin", io.TextIOWrapper(io.BytesIO(non_canonical_text().encode()))
        )

        assert main(["fmt", "-"]) == 0

        assert capsysbinary.readouterr() == (
            (FIXTURES / NASDAQ).read_bytes(),
            b"1 file reformatted\n",
        )

    def test_crlf_becomes_lf(self, tmp_path: Path) -> None:
        """Stdout gets the canonical bytes exactly: LF line ends, whatever came in."""
        crlf = (FIXTURES / NASDAQ).read_bytes().replace(b"\n", b"\r\n")

        result = run_with_stdin("fmt", "-", stdin=crlf, cwd=tmp_path)

        assert result.returncode == 0
        assert result.stdout == (FIXTURES / NASDAQ).read_bytes()

    def test_canonical_text_passes_through(self, tmp_path: Path) -> None:
        """Canonical input comes out unchanged, and says so."""
        text = (FIXTURES / OBSERVER).read_bytes()

        result = run_with_stdin("fmt", "-", stdin=text, cwd=tmp_path)

        assert (result.returncode, result.stdout) == (0, text)
        assert result.stderr == b"1 file left unchanged\n"

    def test_broken_input_comes_out_unchanged(self, tmp_path: Path) -> None:
        """Input that fails to load goes to stdout as it came, the error to stderr; exit 1."""
        broken = b"---\r\ntitle: 'unclosed\r\n---\r\n\xff"

        result = run_with_stdin("fmt", "-", stdin=broken, cwd=tmp_path)

        assert result.returncode == 1
        assert result.stdout == broken
        assert result.stderr.decode().splitlines() == [
            f"error: cannot format <stdin>:4: {NOT_UTF8}",
            "1 file could not be formatted (left untouched)",
        ]

    def test_oversized_input_comes_out_whole(
        self, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Input past the size limit is refused, and every byte of it still passed on."""
        monkeypatch.setattr("newsfeed._cli.commands.MAX_FILE_BYTES", 100)
        monkeypatch.setattr("newsfeed._format.reading.MAX_FILE_BYTES", 100)
        text = (FIXTURES / NASDAQ).read_bytes()
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text)))

        assert main(["fmt", "-"]) == 1

        out, err = capsysbinary.readouterr()
        assert out == text
        assert err.splitlines()[0] == b"error: cannot format <stdin>: text is longer than 100 bytes"

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param(
                non_canonical_text(),
                (1, "would reformat <stdin>\n", "1 file would be reformatted\n"),
                id="would change",
            ),
            pytest.param(
                (FIXTURES / NASDAQ).read_text(encoding="utf-8"),
                (0, "", "1 file would be left unchanged\n"),
                id="canonical",
            ),
            pytest.param(
                "nope\n",
                (
                    1,
                    "",
                    (
                        "error: cannot format <stdin>:1: the file must start with a '---' line\n"
                        "1 file could not be formatted (left untouched)\n"
                    ),
                ),
                id="broken",
            ),
        ],
    )
    def test_check_writes_no_text(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        text: str,
        expected: tuple[int, str, str],
    ) -> None:
        """`fmt --check -` says whether the input would change, and writes none of it."""
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        code, out, err = expected

        assert main(["fmt", "--check", "-"]) == code

        assert capsys.readouterr() == (out, err)


COMMENTED = (
    '---\n# checked by hand\ntitle: "T"  # the outlet\'s own\n'
    'publishedDateTime: 2020-06-11T12:02:00Z\nwebUrl: "https://example.com/a"\n---\n'
)


class TestFmtComments:
    """fmt never drops a comment silently (issue 11, item 12)."""

    def test_issue_11_item_12_fmt_refuses_a_file_with_comments(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file with comments is reported and left byte for byte, exit 1."""
        path = tmp_path / "a.md"
        path.write_text(COMMENTED, encoding="utf-8")
        age(path)

        assert main(["fmt", str(path)]) == 1

        out, err = capsys.readouterr()
        assert out == ""
        assert lines(err)[0].startswith(f"error: cannot format {path}: the file has comments")
        assert path.read_text(encoding="utf-8") == COMMENTED
        assert path.stat().st_mtime_ns == OLD

    def test_drop_comments_formats_it(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With --drop-comments, the file is formatted and its comments are gone."""
        path = tmp_path / "a.md"
        path.write_text(COMMENTED, encoding="utf-8")

        assert main(["fmt", "--drop-comments", str(path)]) == 0

        assert capsys.readouterr().out == f"reformatted {path}\n"
        assert path.read_text(encoding="utf-8") == (
            '---\ntitle: "T"\npublishedDateTime: 2020-06-11T12:02:00Z\n'
            'webUrl: "https://example.com/a"\n\n---\n\n'
        )


class TestFmtDiff:
    """fmt --diff shows what would change, as a unified diff, and writes nothing."""

    def test_diff_of_a_real_layout_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A real file's CRLF and missing empty line show in the diff; the file is untouched."""
        source = next((FIXTURES / "real").glob("coronavirus-stats*.md"))
        path = tmp_path / "stats.md"
        path.write_bytes(source.read_bytes())
        age(path)

        assert main(["fmt", "--diff", str(path)]) == 0

        out, err = capsys.readouterr()
        assert out.startswith(f"--- {path}\n+++ {path} (formatted)\n")
        assert "\n ---\n+\n <div" in out
        assert err == "1 file would be reformatted\n"
        assert path.read_bytes() == source.read_bytes()
        assert path.stat().st_mtime_ns == OLD

    def test_diff_of_canonical_files_is_empty(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Canonical files give no diff."""
        copy_fixtures(tmp_path)

        assert main(["fmt", "--diff", str(tmp_path)]) == 0

        assert capsys.readouterr() == ("", "2 files would be left unchanged\n")
