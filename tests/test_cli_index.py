"""`newsfeed index`, `newsfeed search`, and `ls`/`stats --db`: the index from the command line."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

import newsfeed
from cli_support import GENERATED, lines, make_corpus, write_article
from index_support import BAD_TEXT
from newsfeed._cli.main import main


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a folder of eight articles; the default index goes to tmp_path/cache."""
    monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "cache"))
    return make_corpus(tmp_path / "corpus")


class TestIndexCommand:
    """`newsfeed index DIR` builds or updates an index and says what changed."""

    def test_build_then_update(
        self, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The first run adds every file, the second finds them unchanged."""
        db = tmp_path / "corpus.sqlite3"
        assert main(["index", str(corpus), "--db", str(db)]) == 0
        assert capsys.readouterr().out == f"{db}: 8 added, 0 changed, 0 deleted, 0 unchanged\n"
        assert main(["index", str(corpus), "--db", str(db)]) == 0
        assert "0 added" in capsys.readouterr().out

    def test_default_database_in_the_cache(
        self, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without --db the index lives in the cache folder."""
        assert main(["index", str(corpus), "--progress"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(str(tmp_path / "cache"))
        assert len(list((tmp_path / "cache").glob("*.sqlite3"))) == 1

    def test_bad_file(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that fails to load is named on stderr, and the exit status is 1."""
        (corpus / "bad.md").write_text(BAD_TEXT, encoding="utf-8")
        assert main(["index", str(corpus)]) == 1
        err = capsys.readouterr().err
        assert f"error: cannot load {corpus / 'bad.md'}" in err
        assert "1 file could not be loaded; the index leaves it out" in err

    def test_not_a_folder(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """DIR must be a folder: a usage error otherwise."""
        assert main(["index", str(corpus / "missing")]) == 2
        assert "not a folder" in capsys.readouterr().err

    def test_foreign_database(
        self, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Another application's database is refused with a usage error and left alone."""
        db = tmp_path / "app.sqlite3"
        with sqlite3.connect(db) as connection:
            connection.execute("CREATE TABLE customers (name TEXT)")
        assert main(["index", str(corpus), "--db", str(db)]) == 2
        assert "not a newsfeed index" in capsys.readouterr().err


class TestSearchCommand:
    """`newsfeed search DIR QUERY` lists the best matches, with ls's filters."""

    def test_table(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The table lists the matches and stderr counts them."""
        assert main(["search", str(corpus), "police"]) == 0
        captured = capsys.readouterr()
        assert "Amazon" in captured.out
        assert captured.err.endswith(" found\n")

    def test_jsonl_and_json(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Jsonl writes one record per line; json one list; both parse."""
        assert main(["search", str(corpus), "police", "--format", "jsonl", "--limit", "1"]) == 0
        (line,) = lines(capsys.readouterr().out)
        assert "police" in json.loads(line)["title"].lower()
        assert main(["search", str(corpus), "police", "--format", "json"]) == 0
        records = json.loads(capsys.readouterr().out)
        assert records
        assert all(isinstance(record, dict) for record in records)

    def test_filters(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Selection options narrow the search; --unique keeps one article per URL."""
        assert main(["search", str(corpus), "amazon", "--format", "jsonl", "--limit", "50"]) == 0
        everything = [json.loads(line) for line in lines(capsys.readouterr().out)]
        arguments = ["search", str(corpus), "amazon", "--format", "jsonl", "--limit", "50"]
        assert main([*arguments, "--provider", "nasdaq.com", "--unique"]) == 0
        nasdaq = [json.loads(line) for line in lines(capsys.readouterr().out)]
        assert nasdaq
        assert len(nasdaq) < len(everything)
        assert {record["provider_domain"] for record in nasdaq} <= {"nasdaq.com", "www.nasdaq.com"}

    def test_bad_query(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A malformed fts5 query is a usage error naming the problem."""
        assert main(["search", str(corpus), '"open', "--syntax", "fts5"]) == 2
        assert "search: unterminated string" in capsys.readouterr().err

    def test_bad_file_reported(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A bad file of the folder is named after the results; the status is 1."""
        (corpus / "bad.md").write_text(BAD_TEXT, encoding="utf-8")
        assert main(["search", str(corpus), "amazon"]) == 1
        assert "the search leaves it out" in capsys.readouterr().err


class TestSearchLimit:
    """`search --limit N` counts what is shown: with --unique, N distinct articles if there are."""

    def test_unique_fills_the_limit(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Two copies of the best match count once, and the next best fills the limit."""
        url = "https://example.org/zeppelin"
        title = "Zeppelin zeppelin zeppelin"
        write_article(tmp_path / "d" / "copy-1.md", title=title, web_url=url)
        write_article(tmp_path / "d" / "copy-2.md", title=title, web_url=url)
        write_article(tmp_path / "d" / "other.md", title="Zeppelin", web_url=f"{url}/other")
        arguments = ["search", str(tmp_path / "d"), "zeppelin", "--format", "jsonl"]
        db = ["--db", str(tmp_path / "i.sqlite3")]
        assert main([*arguments, *db, "--limit", "2"]) == 0
        best = [json.loads(line)["web_url"] for line in lines(capsys.readouterr().out)]
        assert best == [url, url]
        assert main([*arguments, *db, "--limit", "2", "--unique"]) == 0
        unique = [json.loads(line)["web_url"] for line in lines(capsys.readouterr().out)]
        assert unique == [url, f"{url}/other"]
        assert main([*arguments, *db, "--limit", "5", "--unique"]) == 0
        assert len(lines(capsys.readouterr().out)) == 2


class TestDbOption:
    """`ls --db` and `stats --db` answer from the index what they answer from the files."""

    @pytest.mark.parametrize(
        "options",
        [
            (),
            ("--topic", "ai", "--sort", "quality", "--reverse"),
            ("--provider", "nasdaq.com", "--min-quality", "10"),
            ("--since", "2020-06-01", "--limit", "2"),
        ],
    )
    def test_ls(
        self,
        corpus: Path,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        options: tuple[str, ...],
    ) -> None:
        """The listing is the same, in every format."""
        for output_format in ("json", "paths"):
            arguments = ["ls", str(corpus), *options, "--format", output_format]
            assert main(arguments) == 0
            from_files = capsys.readouterr().out
            assert main([*arguments, "--db", str(tmp_path / "i.sqlite3")]) == 0
            assert capsys.readouterr().out == from_files

    def test_ls_table_count(
        self, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The table's count on stderr says the answer came from the index."""
        assert main(["ls", str(corpus), "--db", str(tmp_path / "i.sqlite3")]) == 0
        assert capsys.readouterr().err == "8 selected from the index\n"

    @pytest.mark.parametrize("output_format", ["text", "json"])
    def test_stats(
        self, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], output_format: str
    ) -> None:
        """The summary is the same."""
        arguments = ["stats", str(corpus), "--topic", "ai", "--format", output_format]
        assert main(arguments) == 0
        from_files = capsys.readouterr().out
        assert main([*arguments, "--db", str(tmp_path / "i.sqlite3")]) == 0
        assert capsys.readouterr().out == from_files

    def test_one_folder_only(
        self, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--db takes one folder: two paths, or a file, are a usage error."""
        db = str(tmp_path / "i.sqlite3")
        assert main(["ls", str(corpus), str(corpus), "--db", db]) == 2
        assert "--db takes one folder" in capsys.readouterr().err
        file = next(corpus.rglob("*.md"))
        assert main(["stats", str(file), "--db", db]) == 2

    def test_bad_file(
        self, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bad file is named on stderr after the output, as without --db."""
        (corpus / "bad.md").write_text(BAD_TEXT, encoding="utf-8")
        assert main(["ls", str(corpus), "--db", str(tmp_path / "i.sqlite3")]) == 1
        assert "the listing leaves it out" in capsys.readouterr().err
        assert main(["stats", str(corpus), "--db", str(tmp_path / "i.sqlite3")]) == 1
        assert "the summary leaves it out" in capsys.readouterr().err


class TestUnusableDatabase:
    """A database that cannot be opened or used is one line naming it, and exit 2, never a trace."""

    def test_db_under_a_file(
        self, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A --db whose folder is a file names the database and the file in the way."""
        (tmp_path / "file").write_text("x\n", encoding="utf-8")
        db = tmp_path / "file" / "i.sqlite3"
        for command in (["index", str(corpus)], ["search", str(corpus), "x"], ["ls", str(corpus)]):
            assert main([*command, "--db", str(db)]) == 2
            (line,) = lines(capsys.readouterr().err)
            # The reason is the system's own ("File exists" on Linux).
            assert line.startswith(f"error: cannot use the index {db}: {tmp_path / 'file'}: ")

    def test_cache_folder_is_a_file(
        self,
        corpus: Path,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """Without --db, a cache folder that is a file is named the same way."""
        (tmp_path / "file").write_text("x\n", encoding="utf-8")
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path / "file"))
        assert main(["search", str(corpus), "x"]) == 2
        (line,) = lines(capsys.readouterr().err)
        assert line.startswith(f"error: cannot use the index {tmp_path / 'file'}{os.sep}index-")

    @pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs Linux's /proc")
    def test_sqlite_cannot_open(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file SQLite cannot open (one of /proc) gives SQLite's reason."""
        assert main(["search", str(corpus), "x", "--db", "/proc/version"]) == 2
        assert capsys.readouterr().err == (
            "error: cannot use the index /proc/version: unable to open database file\n"
        )

    def test_failure_while_updating(
        self,
        corpus: Path,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """SQLite failing after the database opened (a full disk) is reported the same way."""

        def full(*_args: object, **_kwargs: object) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(newsfeed.Index, "update", full)
        db = tmp_path / "i.sqlite3"
        for command in (
            ["index", str(corpus)],
            ["search", str(corpus), "x"],
            ["stats", str(corpus)],
        ):
            assert main([*command, "--db", str(db)]) == 2
            assert capsys.readouterr().err == (
                f"error: cannot use the index {db}: database or disk is full\n"
            )


class TestDbSelection:
    """`ls --db`, `stats --db` and `search` answer over the files `ls` reads, not all indexed.

    The index holds every *.md file of the folder; the command line leaves
    out README and CHANGELOG files, venv/ and node_modules/, and what
    --include and --exclude say.
    """

    @pytest.fixture
    def folder(self, corpus: Path) -> Path:
        """Return the corpus with Markdown files that are not to be read, and one .markdown."""
        (corpus / "README.md").write_text("# notes\n", encoding="utf-8")
        write_article(corpus / "CHANGELOG.md", title="Story changelog")
        write_article(corpus / "venv" / "lib" / "copy.md", title="Story venv")
        write_article(corpus / "node_modules" / "p" / "copy.md", title="Story node")
        write_article(corpus / "2020" / "extra.markdown", title="Story markdown")
        return corpus

    @pytest.mark.parametrize(
        "options",
        [
            (),
            ("--exclude", "2020"),
            ("--exclude", "2020/06/*", "--topic", "ai"),
            ("--include", "*.markdown"),
            ("--include", "*.md", "--include", "*.markdown", "--exclude", "zdnet.md"),
        ],
    )
    def test_ls_and_stats(
        self,
        folder: Path,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        options: tuple[str, ...],
    ) -> None:
        """--db gives what the files give, exit 0, a .markdown file the index lacks too."""
        db = ["--db", str(tmp_path / "i.sqlite3")]
        for arguments in (
            ["ls", str(folder), *options, "--format", "paths"],
            ["stats", str(folder), *options, "--format", "json"],
        ):
            assert main(arguments) == 0
            from_files = capsys.readouterr()
            assert main([*arguments, *db]) == 0
            assert capsys.readouterr() == from_files

    def test_nothing_selected(
        self, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A selection that finds no file warns as it does without --db."""
        arguments = ["ls", str(folder), "--include", "*.txt", "--format", "paths"]
        assert main([*arguments, "--db", str(tmp_path / "i.sqlite3")]) == 0
        assert capsys.readouterr().err == (
            "newsfeed: no article files found (a folder is searched for *.txt)\n"
        )

    def test_search(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Search finds no file ls leaves out, and reports no failure of one."""
        assert main(["search", str(folder), "story", "--limit", "50", "--format", "jsonl"]) == 0
        captured = capsys.readouterr()
        titles = {json.loads(line)["title"] for line in lines(captured.out)}
        assert titles == {f"Story {Path(name).stem}" for name in GENERATED}
        assert captured.err == ""

    def test_search_limit_after_selection(
        self, corpus: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Best matches left out by the selection do not take the places --limit gives."""
        for number in range(3):
            write_article(corpus / "venv" / f"{number}.md", title="Zeppelin zeppelin zeppelin")
        write_article(corpus / "zeppelin.md", title="Zeppelin")
        assert main(["search", str(corpus), "zeppelin", "--limit", "1", "--format", "jsonl"]) == 0
        (line,) = lines(capsys.readouterr().out)
        assert json.loads(line)["title"] == "Zeppelin"


class TestSearchOptions:
    """The search's own options are checked by argparse."""

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (("--limit", "many"), "not a whole number: 'many'"),
            (("--limit", "-1"), "must be at least 0, got -1"),
            (("--syntax", "regex"), "invalid choice: 'regex'"),
        ],
    )
    def test_usage_errors(
        self,
        corpus: Path,
        capsys: pytest.CaptureFixture[str],
        options: tuple[str, ...],
        message: str,
    ) -> None:
        """A bad --limit or --syntax exits 2 with the reason."""
        assert main(["search", str(corpus), "amazon", *options]) == 2
        assert message in capsys.readouterr().err
