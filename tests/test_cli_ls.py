"""`newsfeed ls`: select, sort, cut and print articles; bad criteria are usage errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import newsfeed
from cli_support import CORPUS_ORDER, NASDAQ, OBSERVER, lines, make_corpus, run, write_article
from newsfeed._cli.main import main
from newsfeed._cli.options import in_flag_names

OBSERVER_TITLE = "Amazon bans police use of its face recognition for a year | Charlotte Observer"
BAD_DATE = "not an ISO-8601 timestamp: 'next tuesday'"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Return a folder of eight articles with known dates, qualities, providers and topics."""
    return make_corpus(tmp_path / "corpus")


def listed(corpus: Path, *options: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run `ls CORPUS OPTIONS --format paths` in process; return the files, relative to CORPUS."""
    assert main(["ls", str(corpus), *options, "--format", "paths"]) == 0
    return [Path(line).relative_to(corpus).as_posix() for line in lines(capsys.readouterr().out)]


class TestSelection:
    """Each criterion, and their combinations, keep exactly the articles they should."""

    @pytest.mark.parametrize(
        ("options", "expected"),
        [
            pytest.param((), CORPUS_ORDER, id="everything, in file order"),
            pytest.param(
                ("--since", "2020-04-01T06:30:00Z"),
                [name for name in CORPUS_ORDER if name != "2020/04/april.md"],
                id="since is inclusive, across offsets",
            ),
            pytest.param(
                ("--until", "2020-04-01T06:30:00"),
                ["2020/04/april.md"],
                id="until is exclusive; a naive time is UTC",
            ),
            pytest.param(
                ("--since", "2020-06-01", "--until", "2020-06-11"),
                ["2020/06/no-quality.md", OBSERVER],
                id="dates are midnight UTC",
            ),
            pytest.param(
                ("--topic", "ai"),
                ["2020/03/late-march.md", "2020/04/april.md", "2020/06/zdnet.md", OBSERVER, NASDAQ],
                id="topic: case-insensitive, whole topics",
            ),
            pytest.param(
                ("--topic", "ROBOTS", "--topic", "policy"),
                ["2020/04/april.md", "2020/06/reuters-copy.md", "2020/06/zdnet.md"],
                id="several topics: any of them",
            ),
            pytest.param(
                ("--provider", "reuters.com"),
                ["2020/03/late-march.md", "2020/06/no-quality.md", "2020/06/reuters-copy.md"],
                id="provider domain matches subdomains",
            ),
            pytest.param(
                ("--provider", "pbs", "--provider", "Nasdaq"),
                ["2020/04/april.md", NASDAQ],
                id="provider names, case-insensitive, any of them",
            ),
            pytest.param(
                ("--min-quality", "55", "--max-quality", "90"),
                ["2020/03/late-march.md", "2020/06/reuters-copy.md", "no-provider.md"],
                id="quality bounds are inclusive",
            ),
            pytest.param(
                ("--max-quality", "100"),
                [name for name in CORPUS_ORDER if name != "2020/06/no-quality.md"],
                id="no quality never passes a bound",
            ),
            pytest.param(
                ("--published",),
                [
                    "2020/03/late-march.md",
                    "2020/06/no-quality.md",
                    "2020/06/reuters-copy.md",
                    NASDAQ,
                    "no-provider.md",
                ],
                id="published",
            ),
            pytest.param(("--unpublished",), ["2020/04/april.md", OBSERVER], id="unpublished"),
            pytest.param(
                ("--unique",),
                [name for name in CORPUS_ORDER if name != "2020/06/reuters-copy.md"],
                id="unique keeps the first of each web URL",
            ),
            pytest.param(
                ("--topic", "AI", "--published", "--min-quality", "50"),
                ["2020/03/late-march.md", NASDAQ],
                id="criteria combine with and",
            ),
        ],
    )
    def test_criteria(
        self,
        corpus: Path,
        capsys: pytest.CaptureFixture[str],
        options: tuple[str, ...],
        expected: list[str],
    ) -> None:
        """The listed files are those matching every criterion, in file order."""
        assert listed(corpus, *options, capsys=capsys) == list(expected)


class TestOrdering:
    """--sort, --reverse and --limit, applied after the selection."""

    @pytest.mark.parametrize(
        ("options", "expected"),
        [
            pytest.param(
                ("--sort", "quality"),
                [
                    "2020/04/april.md",
                    OBSERVER,
                    NASDAQ,
                    "no-provider.md",
                    "2020/06/reuters-copy.md",
                    "2020/03/late-march.md",
                    "2020/06/zdnet.md",
                    "2020/06/no-quality.md",
                ],
                id="missing values last",
            ),
            pytest.param(
                ("--sort", "quality", "--reverse", "--limit", "3"),
                ["2020/06/zdnet.md", "2020/03/late-march.md", "2020/06/reuters-copy.md"],
                id="reverse then limit",
            ),
            pytest.param(
                ("--sort", "published_at", "--limit", "2"),
                ["2020/04/april.md", "2020/03/late-march.md"],
                id="by instant, whatever the offset",
            ),
            pytest.param(
                ("--sort", "provider_name", "--provider", "reuters", "--provider", "zdnet"),
                [
                    "2020/03/late-march.md",
                    "2020/06/no-quality.md",
                    "2020/06/reuters-copy.md",
                    "2020/06/zdnet.md",
                ],
                id="sort is stable",
            ),
            pytest.param(("--reverse",), CORPUS_ORDER[::-1], id="reverse without sort"),
            pytest.param(("--limit", "0"), [], id="limit 0"),
        ],
    )
    def test_order(
        self,
        corpus: Path,
        capsys: pytest.CaptureFixture[str],
        options: tuple[str, ...],
        expected: list[str],
    ) -> None:
        """The files come in the asked order, cut to the limit."""
        assert listed(corpus, *options, capsys=capsys) == list(expected)

    def test_workers_read_the_same(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Reading the folder in two processes lists the same files in the same order."""
        assert listed(corpus, "-j", "2", capsys=capsys) == list(CORPUS_ORDER)

    def test_files_and_folders_mix_without_repeats(
        self, corpus: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file named before its folder comes first, and only once."""
        assert main(["ls", str(corpus / NASDAQ), str(corpus), "--format", "paths"]) == 0

        out = lines(capsys.readouterr().out)
        assert [Path(line).relative_to(corpus).as_posix() for line in out] == [
            NASDAQ,
            *(name for name in CORPUS_ORDER if name != NASDAQ),
        ]


class TestBadCriteria:
    """An invalid criterion is a usage error, found before any file is read."""

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (("--since", "yesterday"), "argument --since: not an ISO-8601 date or time"),
            (("--min-quality", "high"), "argument --min-quality: invalid int value: 'high'"),
            (
                ("--since", "2020-07-01", "--until", "2020-06-01"),
                "--until (2020-06-01T00:00:00+00:00) is earlier than --since (2020-07-01",
            ),
            (
                ("--min-quality", "50", "--max-quality", "10"),
                "--max-quality (10) is lower than --min-quality (50)",
            ),
            (("--sort", "popularity"), "argument --sort: invalid choice: 'popularity' (choose"),
            (("--limit", "-1"), "argument --limit: must be at least 0, got -1"),
            (("--limit", "many"), "argument --limit: not a whole number: 'many'"),
            (("--topic", " "), "--topic must not be empty"),
            (("--provider", "a", "--provider", ""), "--provider must not be empty"),
            (
                ("--published", "--unpublished"),
                "argument --unpublished: not allowed with argument --published",
            ),
            (("--format", "xml"), "argument --format: invalid choice: 'xml'"),
            (("-j", "0"), "argument -j/--workers: must be at least 1, got 0"),
        ],
    )
    def test_usage_error(
        self,
        corpus: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        options: tuple[str, ...],
        message: str,
    ) -> None:
        """Exit 2 with `newsfeed ls: error: ...` and the usage, and no file loaded."""

        def must_not_load(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("files were read before the criteria were checked")

        monkeypatch.setattr("newsfeed._cli.commands.load_feed", must_not_load)

        assert main(["ls", str(corpus), *options]) == 2

        out, err = capsys.readouterr()
        assert out == ""
        assert err.startswith("usage: newsfeed ls ")
        assert f"newsfeed ls: error: {message}" in err

    def test_bad_date_as_a_user(self, corpus: Path) -> None:
        """Run as a subprocess, a bad date exits 2 with an argparse-style message."""
        result = run("ls", corpus, "--since", "yesterday", cwd=corpus)

        assert result.returncode == 2
        assert result.stdout == ""
        assert lines(result.stderr)[-1] == (
            "newsfeed ls: error: argument --since: not an ISO-8601 date or time: "
            "'yesterday' (try 2020-06-11 or 2020-06-11T12:00:00Z)"
        )


class TestFlagNames:
    """Messages about criteria name the flags the user typed, not Feed.filter's keywords."""

    @pytest.mark.parametrize(
        ("message", "expected"),
        [
            (
                "max_quality (10) is lower than min_quality (50)",
                "--max-quality (10) is lower than --min-quality (50)",
            ),
            (
                "until (2020) is earlier than since (2021)",
                "--until (2020) is earlier than --since (2021)",
            ),
            ("topic must not be empty", "--topic must not be empty"),
            ("provider: give at least one value", "--provider: give at least one value"),
        ],
    )
    def test_api_names_become_flags(self, message: str, expected: str) -> None:
        """Each criterion's keyword is rewritten as its flag."""
        assert in_flag_names(message) == expected

    def test_values_and_longer_names_are_kept(self) -> None:
        """Quoted values and names that merely contain a keyword are left alone."""
        message = "topic must be a string, got 'since topic' or \"until\" in provider_name --since"

        assert in_flag_names(message) == (
            "--topic must be a string, got 'since topic' or \"until\" in provider_name --since"
        )


class TestFormats:
    """The four output formats, run as a user would."""

    def test_table(self, corpus: Path) -> None:
        """The table aligns published, quality, provider and title, and counts on stderr."""
        result = run("ls", ".", "--provider", "reuters", "--sort", "published_at", cwd=corpus)

        assert result.returncode == 0
        assert lines(result.stdout) == [
            "PUBLISHED                  QUALITY  PROVIDER  TITLE",
            "2020-03-31T23:30:00-07:00       90  Reuters   Story late-march",
            "2020-06-01T00:00:00Z             -  Reuters   Story no-quality",
            "2020-06-20T00:00:00Z            70  Reuters   Story reuters-copy",
        ]
        assert lines(result.stderr) == ["3 of 8 articles"]

    def test_json(self, corpus: Path) -> None:
        """`--format json` is a JSON list of the feed's records, in the listed order."""
        result = run("ls", ".", "--sort", "quality", "--limit", "2", "--format", "json", cwd=corpus)

        assert result.returncode == 0
        records = json.loads(result.stdout)
        assert [record["path"] for record in records] == [
            str(Path("2020", "04", "april.md")),
            OBSERVER,
        ]
        assert records[1] == {
            "published_at": "2020-06-10T23:05:00Z",
            "title": OBSERVER_TITLE,
            "provider_name": "Charlotte Observer",
            "provider_domain": "charlotteobserver.com",
            "quality": 35,
            "heat": -1,
            "published": False,
            "topics": ["Computer Vision", "AI"],
            "related_count": 10,
            "category": "news",
            "type": "article",
            "excerpt": records[1]["excerpt"],
            "web_url": "https://www.charlotteobserver.com/news/business/national-business/article243441421.html",
            "amp_web_url": "https://amp.charlotteobserver.com/news/business/national-business/article243441421.html",
            "cdn_amp_web_url": "https://amp-charlotteobserver-com.cdn.ampproject.org/c/s/amp.charlotteobserver.com/news/business/national-business/article243441421.html",
            "original_url": None,
            "url": "https://www.charlotteobserver.com/news/business/national-business/article243441421.html",
            "path": OBSERVER,
        }
        assert records[1]["excerpt"].startswith("Amazon says it will pause police use")

    def test_csv(self, corpus: Path) -> None:
        """`--format csv` parses back: a header, one row per article, topics joined by '; '."""
        result = run("ls", ".", "--topic", "aws ai", "--format", "csv", cwd=corpus)

        assert result.returncode == 0
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [row["path"] for row in rows] == [str(Path("2020", "06", "no-quality.md")), NASDAQ]
        assert rows[0]["quality"] == ""
        assert rows[0]["published"] == "true"
        assert rows[1]["topics"] == "AWS AI; AI"
        assert rows[1]["excerpt"].startswith("(RTTNews) - Amazon announced")
        assert rows[1]["quality"] == "54"


class TestFormatsInProcess:
    """The JSON and CSV of other selections, called in process."""

    def test_json_is_the_feed_records(
        self, corpus: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The JSON equals Feed.to_records of the same selection, made through the API."""
        assert main(["ls", str(corpus), "--unique", "--published", "--format", "json"]) == 0

        expected = (
            newsfeed.load_dir(corpus).filter(published=True).unique().to_records(json_ready=True)
        )
        assert json.loads(capsys.readouterr().out) == expected

    def test_csv_cells_of_missing_values(
        self, corpus: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """No provider and no topics give empty cells; false is written as in the files."""
        selection = ["--sort", "provider_name", "--reverse", "--limit", "1"]
        assert main(["ls", str(corpus / "no-provider.md"), *selection, "--format", "csv"]) == 0

        (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
        assert (row["provider_name"], row["provider_domain"], row["topics"]) == ("", "", "")
        assert (row["quality"], row["published"], row["heat"]) == ("55", "true", "124")

    def test_csv_values_round_trip(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every value, bare CR included, reads back whole; rows still end in a bare LF."""
        title, excerpt, topics = "cr\rx", "two\r\nlines\nand one", ("a, b", 'say "hi"')
        write_article(tmp_path / "a.md", title=title, excerpt=excerpt, topics=topics)

        assert main(["ls", str(tmp_path), "--format", "csv"]) == 0

        out = capsys.readouterr().out
        (row,) = csv.DictReader(io.StringIO(out, newline=""))
        assert (row["title"], row["excerpt"], row["topics"]) == (title, excerpt, 'a, b; say "hi"')
        assert out.split("\n")[0].endswith(",path")
        assert out.endswith(f",{tmp_path / 'a.md'}\n")

    def test_table_marks_missing_values(
        self, corpus: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A missing quality or provider shows as `-`."""
        assert main(["ls", str(corpus), "--since", "2020-05-20", "--until", "2020-06-02"]) == 0

        assert lines(capsys.readouterr().out) == [
            "PUBLISHED             QUALITY  PROVIDER  TITLE",
            "2020-06-01T00:00:00Z        -  Reuters   Story no-quality",
            "2020-05-20T08:00:00Z       55  -         Story no-provider",
        ]


class TestLoadFailures:
    """A bad file never silently disappears from a listing."""

    def test_good_files_listed_bad_ones_reported(self, corpus: Path) -> None:
        """The listing holds every good article; stderr names each bad file; exit 1."""
        (corpus / "broken.md").write_text("no front matter\n", encoding="utf-8")
        (corpus / "2020" / "bad-date.md").write_text(
            (corpus / NASDAQ)
            .read_text(encoding="utf-8")
            .replace("2020-06-11T12:02:00Z", "next tuesday"),
            encoding="utf-8",
        )

        result = run("ls", ".", "--format", "paths", cwd=corpus)

        assert result.returncode == 1
        assert [Path(line).as_posix() for line in lines(result.stdout)] == list(CORPUS_ORDER)
        assert lines(result.stderr) == [
            f"error: cannot load {Path('2020', 'bad-date.md')}:5: publishedDateTime: {BAD_DATE}",
            "error: cannot load broken.md:1: the file must start with a '---' line",
            "error: 2 files could not be loaded; the listing leaves them out",
        ]

    def test_bad_named_file(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A bad file named on the command line is reported the same way."""
        bad = corpus / "notes.txt"
        bad.write_text("---\n- a list\n---\n", encoding="utf-8")

        assert main(["ls", str(bad), str(corpus / NASDAQ), "--format", "paths"]) == 1

        out, err = capsys.readouterr()
        assert out == f"{corpus / NASDAQ}\n"
        assert lines(err)[-1] == "error: 1 file could not be loaded; the listing leaves it out"

    def test_empty_folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An empty folder lists nothing, warns, and is not an error."""
        assert main(["ls", str(tmp_path)]) == 0

        out, err = capsys.readouterr()
        assert out == "PUBLISHED  QUALITY  PROVIDER  TITLE\n"
        assert lines(err) == [
            "newsfeed: no article files found (a folder is searched for **/*.md)",
            "0 of 0 articles",
        ]
