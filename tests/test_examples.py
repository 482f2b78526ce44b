"""Run every script of examples/ as a user would, and check what each one produces.

Each script runs in a fresh interpreter from a scratch working directory, to
show it works from anywhere. Expected figures are computed here from the
files themselves, with :func:`newsfeed.load` one file at a time, not taken
from the scripts.
"""

import ast
import hashlib
import re
import shutil
import struct
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import attrs
import pytest

import newsfeed
from cli_support import run_program

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
DATA = EXAMPLES / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The reference samples, copied into the sample folder as they are.
SEEDS = ("amazon-moratorium-charlotte-observer.md", "amazon-moratorium-nasdaq.md")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: What an example may import besides the standard library: newsfeed, its own
#: dependency attrs, and the optional extras the examples name.
THIRD_PARTY = {"newsfeed", "attrs", "matplotlib", "dask", "distributed", "pandas"}
#: How outlets sign their headlines: "Headline | Outlet", with a bar, a hyphen or an en dash.
SIGNATURE = re.compile(r"^(?P<headline>.+) (?:\||-|\u2013) (?P<outlet>[^|\u2013]+)$")


def run_example(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python examples/SCRIPT ARGS`` in *cwd*."""
    return run_program([sys.executable, str(EXAMPLES / script)], *args, cwd=cwd)


def sample_articles() -> list[newsfeed.Article]:
    """Load the sample files one by one, independently of the feed code the scripts use."""
    return [newsfeed.load(path) for path in sorted(DATA.glob("*.md"))]


def folder_digest(folder: Path) -> dict[str, str]:
    """Return a hash of every file in *folder*, to show it was left alone."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.glob("*.md")
    }


def generated_samples() -> list[Path]:
    """Return the sample files make_sample_data.py generates: all but the reference samples."""
    return [path for path in sorted(DATA.glob("*.md")) if path.name not in SEEDS]


class TestSampleData:
    """The committed sample folder is what make_sample_data.py makes, and reads like news."""

    def test_regenerating_gives_the_committed_files(self, tmp_path: Path) -> None:
        """make_sample_data.py --check finds every committed file identical to a fresh one."""
        result = run_example("make_sample_data.py", "--check", cwd=tmp_path)

        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout == "the sample data is up to date\n"

    def test_check_reports_a_changed_file(self, tmp_path: Path) -> None:
        """--check names a file that differs and exits 1."""
        folder = tmp_path / "data"
        shutil.copytree(DATA, folder)
        changed = folder / generated_samples()[0].name
        changed.write_text(changed.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")

        result = run_example("make_sample_data.py", str(folder), "--check", cwd=tmp_path)

        assert result.returncode == 1
        assert f"{changed}: differs from a fresh generation" in result.stdout

    def test_the_reference_samples_are_copied_as_they_are(self) -> None:
        """The two seeds in the sample folder are the test fixtures, byte for byte."""
        for name in SEEDS:
            assert (DATA / name).read_bytes() == (FIXTURES / name).read_bytes()

    def test_regenerates_outside_the_checkout(self, tmp_path: Path) -> None:
        """A copy of examples/ alone (no benchmarks/, no tests/) checks and writes the samples."""
        copy = tmp_path / "elsewhere" / "examples"
        shutil.copytree(EXAMPLES, copy, ignore=shutil.ignore_patterns("out", "__pycache__"))
        script = [sys.executable, str(copy / "make_sample_data.py")]

        checked = run_program(script, "--check", cwd=tmp_path)
        written = run_program(script, str(tmp_path / "new"), cwd=tmp_path)

        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert checked.stdout == "the sample data is up to date\n"
        assert written.returncode == 0, written.stderr
        assert folder_digest(tmp_path / "new") == folder_digest(DATA)

    def test_the_sample_is_varied(self) -> None:
        """The samples span providers, topics, months, offsets, and the shapes of real files."""
        articles = sample_articles()
        raw = [path.read_bytes() for path in sorted(DATA.glob("*.md"))]

        assert len(articles) >= 36
        assert len({a.provider.name for a in articles if a.provider}) >= 20
        assert len({topic for a in articles for topic in a.topics}) >= 15
        assert len({a.published_at.strftime("%Y-%m") for a in articles}) == 3
        assert len({a.published_at.utcoffset() for a in articles}) >= 3
        assert any(a.extra for a in articles)
        # The shapes of files as the sites' pipeline published them.
        assert any(a.original_url and a.web_url for a in articles)
        videos = [a for a in articles if a.type == "video"]
        assert videos
        assert all(v.web_url is None and v.original_url and v.featured_content for v in videos)
        assert any(a.provider and a.provider.images for a in articles)
        assert any(a.images for a in articles)
        assert any(a.updated_at and a.images and a.images[0].title for a in articles)
        assert any(a.body.startswith("<div") for a in articles)
        assert any(a.body and not a.body.startswith("<") for a in articles)
        assert 0 < sum(b"\r\n" in data for data in raw) < len(raw) // 2

    def test_files_have_the_producers_names(self) -> None:
        """Each generated file is named YYYY-MM-DD-slug.md, by its day in its own offset."""
        for path in generated_samples():
            article = newsfeed.load(path)
            assert re.fullmatch(r"\d{4}-\d\d-\d\d-[a-z0-9]+(-[a-z0-9]+)*\.md", path.name)
            assert path.name.startswith(article.published_at.date().isoformat())

    def test_each_outlet_signs_and_links_as_itself(self) -> None:
        """Signed headlines name their own outlet; links are on its domain; coverage is others'.

        An article's related items come from other outlets than its own.
        """
        outlets = {
            item.provider.name
            for article in sample_articles()
            for item in _with_related(article)
            if item.provider
        }
        signed = 0
        for article in sample_articles():
            assert article.provider is not None
            assert all(
                item.provider and item.provider.name != article.provider.name
                for item in article.related
            ), article.path
            for item in _with_related(article):
                assert item.provider is not None
                signature = SIGNATURE.match(item.title)
                if signature and signature["outlet"] in outlets:
                    assert signature["outlet"] == item.provider.name, item.title
                    signed += 1
                if item.web_url is not None:
                    host = urlsplit(item.web_url).hostname or ""
                    assert f".{host}".endswith(f".{item.provider.domain}"), item.web_url
        assert signed >= 10


class TestQuickstart:
    """quickstart.py loads the sample folder and reports on it."""

    def test_reports_the_sample_folder(self, tmp_path: Path) -> None:
        """The counts, date range and filter it prints match the files."""
        articles = sample_articles()
        oldest = min(articles, key=lambda a: a.published_at).published_at
        newest = max(articles, key=lambda a: a.published_at).published_at
        june = [
            a
            for a in articles
            if datetime(2020, 6, 1, tzinfo=UTC) <= a.published_at < datetime(2020, 7, 1, tzinfo=UTC)
            and a.quality is not None
            and a.quality >= 50
        ]

        result = run_example("quickstart.py", cwd=tmp_path)

        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert f"Loaded {len(articles)} articles from {DATA}\n" in out
        assert f"Published from {oldest:%Y-%m-%d} to {newest:%Y-%m-%d}\n" in out
        assert f"\n{len(june)} articles from June 2020 with a quality of at least 50" in out
        listed = re.findall(r"^ +(\d+)  \d{4}-\d\d-\d\d  .+$", out, flags=re.MULTILINE)
        assert [int(quality) for quality in listed] == sorted(
            (a.quality for a in june if a.quality is not None), reverse=True
        )
        assert f"{len(articles)} of {len(articles)} files are written back byte for byte" in out

    def test_a_bad_file_stops_it_with_the_file_and_line(self, tmp_path: Path) -> None:
        """Given a folder with a bad file, it exits 1 and names the file and the line."""
        shutil.copy(DATA / "amazon-moratorium-nasdaq.md", tmp_path)
        bad = tmp_path / "bad.md"
        bad.write_text("---\ntitle: A\ntitle: B\n---\n", encoding="utf-8")

        result = run_example("quickstart.py", str(tmp_path), cwd=tmp_path)

        assert result.returncode == 1
        assert f"{bad}:3: title: duplicate key 'title'" in result.stderr


class TestWeeklyDigest:
    """weekly_digest.py writes the top stories per topic of one week as Markdown."""

    def test_writes_each_topic_of_the_week_with_its_best_stories(self, tmp_path: Path) -> None:
        """Every topic of the week is a section with its count, its best story first."""
        monday = date(2020, 6, 8)
        start = datetime(2020, 6, 8, tzinfo=UTC)
        week = [a for a in sample_articles() if start <= a.published_at < start + timedelta(7)]
        counts = Counter(topic for a in week for topic in a.topics)
        output = tmp_path / "out" / "digest.md"

        result = run_example("weekly_digest.py", "2020-W24", "--output", str(output), cwd=tmp_path)

        assert result.returncode == 0, result.stderr
        assert result.stdout == f"wrote {output}\n"
        text = output.read_text(encoding="utf-8")
        assert text.startswith(f"# News digest: 2020-W24 ({monday:%d %b} to 14 Jun 2020)\n")
        sections = dict(re.findall(r"^## (.+) \((\d+)\)$", text, flags=re.MULTILINE))
        untagged = sum(1 for a in week if not a.topics)
        expected = {topic: str(count) for topic, count in counts.items()}
        if untagged:
            expected["Other topics"] = str(untagged)
        assert sections == expected
        best_ai = max((a for a in week if "AI" in a.topics), key=lambda a: a.quality or -1)
        ai_section = text.split("## AI (", 1)[1]
        title = re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", best_ai.title)
        assert ai_section.split("\n1. ", 1)[1].startswith(f"[{title}]({best_ai.url})")

    def test_a_date_names_its_week(self, tmp_path: Path) -> None:
        """A date in the week gives the same digest as the ISO week."""
        by_week = run_example("weekly_digest.py", "2020-W24", "--top", "1", cwd=tmp_path)
        by_date = run_example("weekly_digest.py", "2020-06-14", "--top", "1", cwd=tmp_path)

        assert by_week.returncode == by_date.returncode == 0
        assert by_week.stdout == by_date.stdout
        assert "\n2. " not in by_week.stdout

    def test_a_week_without_articles(self, tmp_path: Path) -> None:
        """A week outside the data says there is nothing, rather than failing."""
        result = run_example("weekly_digest.py", "2021-W01", cwd=tmp_path)

        assert result.returncode == 0
        assert result.stdout.endswith("No articles were published this week.\n")

    def test_a_bad_week_is_a_usage_error(self, tmp_path: Path) -> None:
        """An unreadable week exits 2 with argparse's message."""
        result = run_example("weekly_digest.py", "2020-W60", cwd=tmp_path)

        assert result.returncode == 2
        assert "not an ISO week (2020-W24) or a date (2020-06-10): '2020-W60'" in result.stderr


class TestProviderReport:
    """provider_report.py prints a table and saves a PNG chart."""

    def test_saves_a_png_and_prints_the_top_outlets(self, tmp_path: Path) -> None:
        """The PNG is a real image, and the table counts match the files."""
        stories: Counter[str] = Counter()
        for article in sample_articles():
            if article.provider and article.provider.name:
                stories[article.provider.name] += 1
            stories.update(
                r.provider.name for r in article.related if r.provider and r.provider.name
            )
        output = tmp_path / "chart.png"

        result = run_example(
            "provider_report.py", "--top", "5", "--output", str(output), cwd=tmp_path
        )

        assert result.returncode == 0, result.stderr
        data = output.read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        assert data[12:16] == b"IHDR"
        width, height = struct.unpack(">II", data[16:24])
        assert width > 400
        assert height > 200
        rows = result.stdout.split("\n\n")[0].splitlines()[1:]
        assert len(rows) == 5
        printed = {
            re.split(r"  +", row.strip())[0]: int(re.split(r"  +", row.strip())[1]) for row in rows
        }
        top = sorted(stories.items(), key=lambda item: (-item[1], item[0]))[:5]
        assert printed == dict(top)
        assert result.stdout.endswith(f"wrote {output}\n")


class TestRetag:
    """retag.py edits topics in place, and only topic lines change."""

    def test_demo_on_a_copy_changes_only_topic_lines(self, tmp_path: Path) -> None:
        """On a scratch copy, every changed line is a topic line, and the samples are untouched."""
        before = folder_digest(DATA)

        result = run_example("retag.py", cwd=tmp_path)

        assert result.returncode == 0, result.stderr
        assert folder_digest(DATA) == before
        changed = [
            line
            for line in result.stdout.splitlines()
            if line.startswith(("+", "-")) and not line.startswith(("--- a/", "+++ b/"))
        ]
        assert changed
        assert all(re.fullmatch(r"[+-](  - .+|topics:|)", line) for line in changed)
        assert "+  - Artificial Intelligence" in changed
        assert "-  - AWS AI" in changed
        # A file as published, in its pipeline's layout, changes in one line too.
        real = "everyday-ai--2021-03-11-hugging-face-raises-40-million-for-its-natural-language-"
        assert (
            f"+++ b/{real}processing-library.md\n@@ -20 +20 @@\n-  - AI\n"
            "+  - Artificial Intelligence\n" in result.stdout
        )
        assert result.stdout.endswith(
            f"files retagged, {len(changed)} lines changed, all of them topic lines\n"
        )

    def test_in_place_edits_only_the_topics(self, tmp_path: Path) -> None:
        """--in-place rewrites the files: only the topics differ, and only on topic lines."""
        folder = tmp_path / "data"
        shutil.copytree(DATA, folder)
        originals = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}

        result = run_example(
            "retag.py", "--in-place", str(folder), "--rename", "privacy=Data Privacy", cwd=tmp_path
        )

        assert result.returncode == 0, result.stderr
        edited = 0
        for path in sorted(folder.glob("*.md")):
            # read_text turns CRLF into LF, in both versions alike.
            old_text, new_text = originals[path.name], path.read_text(encoding="utf-8")
            old, new = newsfeed.loads(old_text), newsfeed.loads(new_text)
            expected = tuple("Data Privacy" if t == "Privacy" else t for t in old.topics)
            assert new.topics == expected
            assert newsfeed.dumps(attrs.evolve(new, topics=old.topics)) == old_text
            old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
            assert len(old_lines) == len(new_lines)
            differing = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
            assert all(a == "  - Privacy" and b == "  - Data Privacy" for a, b in differing)
            edited += bool(differing)
        assert edited == sum(1 for text in originals.values() if "\n  - Privacy\n" in text)
        assert edited > 1
        assert f"{edited} files retagged, {2 * edited} lines changed" in result.stdout

    def test_a_non_canonical_file_fails_the_check(self, tmp_path: Path) -> None:
        """A file outside the subset, which the writer normalises, changes beyond its topics."""
        path = tmp_path / "handmade.md"
        path.write_text(
            "---\ntitle: >-\n  Hand made\npublishedDateTime: 2020-06-11T12:02:00Z\n"
            "webUrl: https://example.com/h\ntopics: [AI]\n---\n",
            encoding="utf-8",
        )

        result = run_example("retag.py", "--in-place", str(tmp_path), cwd=tmp_path)

        assert result.returncode == 1
        assert f"{path}: lines other than topics changed" in result.stderr
        assert result.stdout.endswith("some are not topic lines\n")

    def test_a_bad_rule_is_a_usage_error(self, tmp_path: Path) -> None:
        """--rename without '=' exits 2."""
        result = run_example("retag.py", "--rename", "AI", cwd=tmp_path)

        assert result.returncode == 2
        assert "expected OLD=NEW, got 'AI'" in result.stderr


class TestScaleOut:
    """scale_out.py loads a corpus on a dask LocalCluster of two worker processes."""

    def test_articles_and_errors_come_back_from_the_workers(self, tmp_path: Path) -> None:
        """Every good file is an article, every bad one a failure equal to load_dir's."""
        result = run_example("scale_out.py", "--count", "60", cwd=tmp_path)

        assert result.returncode == 0, result.stdout + result.stderr
        out = result.stdout
        assert "wrote 60 good and 3 bad files" in out
        assert re.search(r"load_dir, one process: 60 articles in [\d.]+ s", out)
        assert re.search(r"newsfeed.dask, 2 workers: 60 articles and 3 failures in [\d.]+ s", out)
        for expected in (
            r"ParseError: .+/bad-duplicate-key\.md:3: title: duplicate key 'title'",
            r"ParseError: .+/bad-encoding\.md:2: not valid UTF-8",
            r"ValidationError: .+/bad-missing-url\.md:1: webUrl: needs webUrl or originalUrl",
        ):
            assert re.search(expected, out), expected
        assert "articles equal to load_dir's, in order, with paths: True" in out
        assert "failures equal to load_dir's: True" in out
        assert re.search(r"counted by outlet on the workers in [\d.]+ s: \w", out)
        assert out.endswith("\nall checks passed\n")


class TestPipeline:
    """pipeline.py builds articles in code and writes them into a site folder with dump_dir."""

    def test_writes_one_file_per_story_under_the_site_names(self, tmp_path: Path) -> None:
        """Each story is a dated, slugged file that loads back; titles carry their outlet's name."""
        site = tmp_path / "site"

        result = run_example("pipeline.py", str(site), cwd=tmp_path)

        assert result.returncode == 0, result.stderr
        files = sorted(site.glob("*.md"))
        assert len(files) == 6
        assert result.stdout.endswith(f"6 articles in {site}: 6 new, 0 unchanged, 0 replaced\n")
        for path in files:
            article = newsfeed.load(path)
            assert re.fullmatch(r"\d{4}-\d\d-\d\d-[a-z0-9]+(-[a-z0-9]+)*\.md", path.name)
            assert path.name.startswith(article.published_at.date().isoformat())
            assert article.provider is not None
            assert article.title.endswith(f" | {article.provider.name}")
            assert article.web_url is not None
            assert article.web_url.startswith(f"https://www.{article.provider.domain}/")
            for item in article.related:
                assert item.provider is not None
                assert item.title.endswith(f" | {item.provider.name}")
                assert item.published_at > article.published_at
            assert f"  {path.name}  ({len(article.related)} related)" in result.stdout
        names = {path.name for path in files}
        # Two updates of one live story on one day: the second is numbered.
        assert "2023-11-02-live-storm-ciaran-makes-landfall-in-cornwall-bbc-news.md" in names
        assert "2023-11-02-live-storm-ciaran-makes-landfall-in-cornwall-bbc-news-2.md" in names

    def test_running_again_changes_nothing(self, tmp_path: Path) -> None:
        """A second run finds every file already holding its article and leaves it be."""
        site = tmp_path / "site"
        run_example("pipeline.py", str(site), cwd=tmp_path)
        before = folder_digest(site)

        result = run_example("pipeline.py", str(site), cwd=tmp_path)

        assert result.returncode == 0, result.stderr
        assert result.stdout.endswith(f"6 articles in {site}: 0 new, 6 unchanged, 0 replaced\n")
        assert folder_digest(site) == before

    def test_a_different_file_is_kept_unless_asked(self, tmp_path: Path) -> None:
        """A hand-written file under a name stops the run; --overwrite replaces it."""
        site = tmp_path / "site"
        site.mkdir()
        taken = site / (
            "2023-11-01-apple-s-m3-macbook-pro-review-faster-chips-same-familiar-design-the-verge.md"
        )
        taken.write_text("my own notes\n", encoding="utf-8")

        refused = run_example("pipeline.py", str(site), cwd=tmp_path)

        assert refused.returncode == 1
        assert f"{taken}: exists and holds something else" in refused.stderr
        assert [path.name for path in site.iterdir()] == [taken.name]

        replaced = run_example("pipeline.py", str(site), "--overwrite", cwd=tmp_path)

        assert replaced.returncode == 0, replaced.stderr
        assert replaced.stdout.endswith("5 new, 0 unchanged, 1 replaced\n")
        assert newsfeed.load(taken).provider == newsfeed.Provider("The Verge", "theverge.com")

    def test_needs_only_the_installed_package(self) -> None:
        """The script imports newsfeed and the standard library, nothing from the checkout."""
        source = (EXAMPLES / "pipeline.py").read_text(encoding="utf-8")
        imported = set(re.findall(r"^(?:from|import) (\w+)", source, flags=re.MULTILINE))

        assert imported == {
            "__future__",
            "argparse",
            "sys",
            "datetime",
            "pathlib",
            "typing",
            "newsfeed",
        }


SCRIPTS = sorted(path.name for path in EXAMPLES.glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_example_has_a_docstring_and_a_main_guard(script: str) -> None:
    """Each script says what it does and runs only as a script."""
    source = (EXAMPLES / script).read_text(encoding="utf-8")

    assert source.startswith('"""')
    assert '\nif __name__ == "__main__":\n' in source


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_example_needs_only_the_installed_package(script: str) -> None:
    """A script imports only the standard library, newsfeed's public API and its extras.

    It refers to nothing of the checkout either (benchmarks/, tests/).
    """
    source = (EXAMPLES / script).read_text(encoding="utf-8")
    tree = ast.parse(source)
    modules = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}

    assert {module.partition(".")[0] for module in modules} <= {
        *sys.stdlib_module_names,
        *THIRD_PARTY,
    }
    assert not any(module.startswith("newsfeed._") for module in modules)
    assert not re.search(r"\b(benchmarks|tests)/|spec_from_file_location", source)


def _with_related(
    article: newsfeed.Article,
) -> tuple[newsfeed.Article | newsfeed.RelatedArticle, ...]:
    """Return *article* followed by its related items."""
    return (article, *article.related)
