"""`newsfeed stats`: counts by provider, topic and month, and the quality distribution."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli_support import lines, make_corpus, run, write_article
from newsfeed._cli.main import main
from newsfeed._cli.stats import quartiles

UNCLOSED = "the front matter is not closed by a '---' line"

#: What `stats` prints for the corpus of cli_support.make_corpus, computed by hand:
#: qualities 10, 35, 54, 55, 70, 90, 100 and one missing; late-march.md is March
#: in its own offset but April in UTC.
CORPUS_TEXT = """\
8 articles, 2020-04-01T06:00:00Z to 2020-06-20T00:00:00Z
published: 5, unpublished: 2, not said: 1

providers (6)
  Reuters                  3
  Charlotte Observer       1
  Nasdaq                   1
  PBS                      1
  ZDNet                    1
  (none)                   1

topics (6)
  AI                    4
  AWS AI                2
  Policy                2
  ai                    1
  Computer Vision       1
  Robots                1

months (UTC)
  2020-04       2
  2020-05       1
  2020-06       5

quality (7 with a quality, 1 without)
  min 10, q1 44.5, median 55, q3 80, max 100, mean 59.14
     0-9       0
   10-19       1  ####################
   20-29       0
   30-39       1  ####################
   40-49       0
   50-59       2  ########################################
   60-69       0
   70-79       1  ####################
   80-89       0
  90-100       2  ########################################
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Return a folder of eight articles with known dates, qualities, providers and topics."""
    return make_corpus(tmp_path / "corpus")


class TestStatsAsAUser:
    """`python -m newsfeed stats` run as a subprocess."""

    def test_text(self, corpus: Path) -> None:
        """The text report gives every count and the quality figures computed by hand."""
        result = run("stats", ".", cwd=corpus)

        assert result.returncode == 0
        assert result.stdout == CORPUS_TEXT
        assert result.stderr == ""

    def test_json(self, corpus: Path) -> None:
        """`--format json` carries the same figures, with None as null; --top cuts the lists."""
        result = run("stats", ".", "--format", "json", "--top", "2", cwd=corpus)

        assert result.returncode == 0
        report = json.loads(result.stdout)
        assert report["articles"] == 8
        published = (report["published"], report["unpublished"], report["published_unknown"])
        assert published == (5, 2, 1)
        assert (report["distinct_providers"], report["distinct_topics"]) == (6, 6)
        assert report["providers"] == [
            {"provider": "Reuters", "count": 3},
            {"provider": "Charlotte Observer", "count": 1},
        ]
        assert report["topics"] == [{"topic": "AI", "count": 4}, {"topic": "AWS AI", "count": 2}]
        assert report["months"] == [
            {"month": "2020-04", "count": 2},
            {"month": "2020-05", "count": 1},
            {"month": "2020-06", "count": 5},
        ]
        quality = report["quality"]
        assert {key: quality[key] for key in ("count", "missing", "min", "q1", "median")} == {
            "count": 7,
            "missing": 1,
            "min": 10,
            "q1": 44.5,
            "median": 55,
        }
        assert (quality["q3"], quality["max"]) == (80, 100)
        assert quality["mean"] == pytest.approx(414 / 7)
        assert quality["histogram"][-1] == {"from": 90, "to": 100, "count": 2}
        counts = [bucket["count"] for bucket in quality["histogram"]]
        assert counts == [0, 1, 0, 1, 0, 2, 0, 1, 0, 2]


class TestStatsInProcess:
    """Selections, limits and edge cases of `stats`, called in process."""

    def test_selection_applies(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The criteria of `ls` narrow what is counted."""
        assert main(["stats", str(corpus), "--topic", "policy", "--format", "json"]) == 0

        report = json.loads(capsys.readouterr().out)
        assert report["articles"] == 2
        assert report["providers"] == [
            {"provider": "Reuters", "count": 1},
            {"provider": "ZDNet", "count": 1},
        ]
        assert report["quality"]["median"] == 85

    def test_top_cuts_lists_and_says_so(
        self, corpus: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--top 1` shows the leader of each list and how many more there are."""
        assert main(["stats", str(corpus), "--top", "1"]) == 0

        out = lines(capsys.readouterr().out)
        start = out.index("providers (6)")
        assert out[start : start + 7] == [
            "providers (6)",
            "  Reuters       3",
            "  ... and 5 more",
            "",
            "topics (6)",
            "  AI       4",
            "  ... and 5 more",
        ]

    def test_nothing_selected(self, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An empty selection reports zero counts and no quality figures."""
        assert main(["stats", str(corpus), "--since", "2030-01-01"]) == 0

        assert capsys.readouterr().out == (
            "0 articles\n"
            "published: 0, unpublished: 0\n"
            "\nproviders (0)\n"
            "\ntopics (0)\n"
            "\nmonths (UTC)\n"
            "\nquality (0 with a quality, 0 without)\n"
        )

    def test_out_of_range_qualities_get_their_own_buckets(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Qualities below 0 or above 100 are counted in `<0` and `>100`, not dropped."""
        write_article(tmp_path / "low.md", quality=-5)
        write_article(tmp_path / "high.md", quality=120)
        write_article(tmp_path / "top.md", quality=100)

        assert main(["stats", str(tmp_path)]) == 0

        out = lines(capsys.readouterr().out)
        histogram = out[out.index("quality (3 with a quality, 0 without)") + 2 :]
        assert histogram[0] == "      <0       1  ########################################"
        assert histogram[-2] == "  90-100       1  ########################################"
        assert histogram[-1] == "    >100       1  ########################################"
        assert len(histogram) == 12

    def test_load_failure_is_reported(
        self, corpus: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bad file is named on stderr, the others still counted, and the exit code is 1."""
        (corpus / "bad.md").write_text("---\nquality: 1\n", encoding="utf-8")

        assert main(["stats", str(corpus), "--format", "json"]) == 1

        out, err = capsys.readouterr()
        assert json.loads(out)["articles"] == 8
        assert lines(err) == [
            f"error: cannot load {corpus / 'bad.md'}:1: {UNCLOSED}",
            "error: 1 file could not be loaded; the summary leaves it out",
        ]


class TestQuartiles:
    """The quartiles `stats` reports."""

    @given(st.lists(st.integers(-1000, 1000), min_size=2, max_size=50))
    def test_match_the_standard_library(self, values: list[int]) -> None:
        """They equal statistics.quantiles with the inclusive method."""
        expected = statistics.quantiles(values, n=4, method="inclusive")

        assert quartiles(sorted(values)) == pytest.approx(expected)

    def test_single_value(self) -> None:
        """One value is its own quartiles (where the standard library refuses)."""
        assert quartiles([42]) == (42, 42, 42)


class TestInstantsAtTheEdges:
    """Times whose UTC date falls outside the years 1 to 9999 are counted in their own offset."""

    @pytest.mark.parametrize(
        ("stamp", "month"),
        [("9999-12-31T23:30:00-01:00", "9999-12"), ("0001-01-01T00:00:00+01:00", "0001-01")],
    )
    def test_counted(
        self, tmp_path: Path, stamp: str, month: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The file is counted under its own month, its time shown as written."""
        (tmp_path / "edge.md").write_text(
            f"---\ntitle: x\npublishedDateTime: {stamp}\nwebUrl: u\n---\n", encoding="utf-8"
        )

        assert main(["stats", str(tmp_path), "--format", "json"]) == 0

        figures = json.loads(capsys.readouterr().out)
        assert figures["first"] == figures["last"] == stamp
        assert figures["months"] == [{"month": month, "count": 1}]
