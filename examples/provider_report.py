"""Provider report: which outlets cover the stories of a feed, and how well, as a PNG chart.

Usage::

    python examples/provider_report.py [--data FOLDER] [--top N] [--output PNG]

An outlet covers a story when it published the article itself or one of its
``related`` items. For the N outlets that cover the most stories, the report
prints a table and draws a chart: stories covered (as the article, as related
coverage) beside the mean quality score of that coverage. The chart needs
matplotlib, the optional extra ``newsfeed-articles[plot]``; it is drawn with the Agg
backend, so no display is needed. The PNG goes to ``examples/out/providers.png``
unless ``--output`` says otherwise.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import newsfeed

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
OUTPUT = HERE / "out" / "providers.png"


class Coverage(NamedTuple):
    """What one outlet contributed to a feed."""

    outlet: str
    articles: int
    related: int
    qualities: tuple[int, ...]

    @property
    def stories(self) -> int:
        """Stories the outlet covered, as the article or as related coverage."""
        return self.articles + self.related

    @property
    def mean_quality(self) -> float | None:
        """The mean quality of the outlet's scored coverage, or None if none is scored."""
        return statistics.fmean(self.qualities) if self.qualities else None


def coverage(feed: Iterable[newsfeed.Article]) -> list[Coverage]:
    """Return the coverage of every named outlet, most stories first (then by name)."""
    articles: defaultdict[str, int] = defaultdict(int)
    related: defaultdict[str, int] = defaultdict(int)
    qualities: defaultdict[str, list[int]] = defaultdict(list)
    for article in feed:
        if article.provider and article.provider.name:
            articles[article.provider.name] += 1
            if article.quality is not None:
                qualities[article.provider.name].append(article.quality)
        for item in article.related:
            if item.provider and item.provider.name:
                related[item.provider.name] += 1
                if item.quality is not None:
                    qualities[item.provider.name].append(item.quality)
    rows = [
        Coverage(name, articles[name], related[name], tuple(qualities[name]))
        for name in articles.keys() | related.keys()
    ]
    return sorted(rows, key=lambda row: (-row.stories, row.outlet))


def table(rows: list[Coverage]) -> str:
    """Return *rows* as a plain-text table."""
    width = max((len(row.outlet) for row in rows), default=6)
    lines = [f"{'outlet':<{width}}  stories  articles  related  mean quality"]
    for row in rows:
        mean = "-" if row.mean_quality is None else f"{row.mean_quality:.1f}"
        lines.append(
            f"{row.outlet:<{width}}  {row.stories:7d}  {row.articles:8d}  {row.related:7d}"
            f"  {mean:>12}"
        )
    return "\n".join(lines)


def chart(rows: list[Coverage], output: Path, *, title: str) -> None:
    """Draw *rows* as a two-panel horizontal bar chart into the PNG file *output*."""
    try:
        import matplotlib as mpl  # noqa: PLC0415 -- an optional extra, imported when needed
    except ImportError:
        raise SystemExit(
            "provider_report.py draws with matplotlib: pip install 'newsfeed-articles[plot]'"
        ) from None
    # No display is needed (CI, servers): choose the file-only backend before pyplot loads.
    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415 -- after the backend is chosen

    names = [row.outlet for row in reversed(rows)]
    positions = range(len(names))
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(11, 0.35 * len(names) + 1.6), sharey=True, layout="constrained"
    )
    articles = [row.articles for row in reversed(rows)]
    left.barh(positions, articles, label="the article", color="#1f77b4")
    left.barh(
        positions,
        [row.related for row in reversed(rows)],
        left=articles,
        label="related coverage",
        color="#aec7e8",
    )
    left.set_yticks(list(positions), names)
    left.set_xlabel("stories covered")
    left.legend(loc="lower right")
    right.barh(positions, [row.mean_quality or 0 for row in reversed(rows)], color="#ff7f0e")
    right.set_xlim(0, 100)
    right.set_xlabel("mean quality score")
    figure.suptitle(title)
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output, dpi=100)
    plt.close(figure)


def main(argv: list[str] | None = None) -> int:
    """Print the table and save the chart for the folder given on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument(
        "--data", type=Path, default=DATA, help="folder of articles (examples/data)"
    )
    parser.add_argument("--top", type=int, default=15, help="outlets to show (15)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="PNG file to write")
    options = parser.parse_args(argv)
    if options.top < 1:
        parser.error("--top must be at least 1")

    feed = newsfeed.load_dir(options.data)
    rows = coverage(feed)[: options.top]
    if not rows:
        print(f"no outlet is named in {options.data}")
        return 1
    print(table(rows))
    chart(rows, options.output, title=f"Top {len(rows)} outlets in {len(feed)} articles")
    print(f"\nwrote {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
