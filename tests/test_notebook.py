"""A Jupyter notebook that loads, displays, filters, exports to Parquet and queries it with DuckDB.

The notebook is built with nbformat and executed in a real IPython kernel with
nbclient, as a user's notebook would be; the test then reads the outputs the
kernel sent back. Expected values are computed here, in the test process.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

import newsfeed

DATA = Path(__file__).resolve().parent.parent / "examples" / "data"


def build_notebook(data: Path, parquet: Path) -> Any:
    """Return a notebook of five cells working on *data* and writing *parquet*."""
    cells = [
        f"import duckdb\nimport newsfeed\nfeed = newsfeed.load_dir({str(data)!r})\nfeed",
        'best = feed.sort("quality", reverse=True)[0]\nbest',
        'ai = feed.filter(topic="AI", min_quality=50)\nlen(ai)',
        (
            f"ai.to_parquet({str(parquet)!r})\n"
            "duckdb.sql(\n"
            '    "SELECT count(*), min(quality), max(len(related)) "\n'
            f"    \"FROM read_parquet('{parquet}')\"\n"
            ").fetchall()"
        ),
        f"newsfeed.load_parquet({str(parquet)!r}) == ai",
    ]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return notebook


def when(feed: newsfeed.Feed, pick: Callable[..., datetime]) -> datetime:
    """Return the earliest or latest (*pick* is min or max) publication time of *feed*."""
    return pick(article.published_at for article in feed)


def result(cell: Any, mime: str = "text/plain") -> str:
    """Return the *mime* data of the cell's execute_result, failing on an error output."""
    errors = [output for output in cell.outputs if output.output_type == "error"]
    assert not errors, "\n".join(errors[0].traceback)
    (output,) = [output for output in cell.outputs if output.output_type == "execute_result"]
    text: str = output.data[mime]
    return text


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Run the notebook once in a fresh kernel and return it with its outputs."""
    folder = tmp_path_factory.mktemp("notebook")
    notebook = build_notebook(DATA, folder / "ai.parquet")
    client = NotebookClient(
        notebook,
        timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return notebook


class TestNotebook:
    """A notebook user sees HTML tables and cards, filters, and queries the Parquet export."""

    def test_the_feed_displays_as_a_table(self, executed: Any) -> None:
        """The feed's HTML repr is a table captioned with the count and the span."""
        page = result(executed.cells[0], "text/html")

        feed = newsfeed.load_dir(DATA)
        first, last = (when(feed, key).astimezone(UTC).date().isoformat() for key in (min, max))
        assert page.startswith(f"<table><caption>Feed: {len(feed)} articles, {first} to {last}")
        assert page.count("<tr>") == 1 + 20 + 1
        assert result(executed.cells[0]) == repr(feed)

    def test_an_article_displays_as_a_card(self, executed: Any) -> None:
        """The best article shows as an HTML card with its escaped, linked title."""
        page = result(executed.cells[1], "text/html")

        best = newsfeed.load_dir(DATA).sort("quality", reverse=True)[0]
        assert best.web_url is not None
        assert page.startswith('<div class="newsfeed-article"')
        assert f'<a href="{html.escape(best.web_url)}">{html.escape(best.title)}</a>' in page
        assert f"quality {best.quality}" in page

    def test_filters_and_queries_the_parquet_export(self, executed: Any) -> None:
        """The filter's count, DuckDB's answer and the Parquet round trip match the files."""
        ai = newsfeed.load_dir(DATA).filter(topic="AI", min_quality=50)
        assert len(ai) > 1

        assert result(executed.cells[2]) == str(len(ai))
        qualities = [article.quality for article in ai if article.quality is not None]
        widest = max(len(article.related) for article in ai)
        assert result(executed.cells[3]) == f"[({len(ai)}, {min(qualities)}, {widest})]"
        assert result(executed.cells[4]) == "True"
