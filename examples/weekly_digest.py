"""Weekly digest: the top stories per topic for one week, written as Markdown.

Usage::

    python examples/weekly_digest.py WEEK [--data FOLDER] [--top N] [--output FILE]

WEEK is an ISO week (``2020-W24``) or any date in it (``2020-06-10``); weeks
run Monday to Sunday, in UTC. For each topic of the week, most frequent first,
the digest lists the best stories (highest quality, then most heat), each with
its outlet, date and how many other outlets covered it. Stories without a
topic go under "Other topics". The Markdown goes to FILE, or to stdout.

Example::

    python examples/weekly_digest.py 2020-W24 --top 2
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import newsfeed

DATA = Path(__file__).resolve().parent / "data"
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
# Characters that would turn a title into Markdown markup.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def week_start(text: str) -> date:
    """Return the Monday of the week *text* names: ``2020-W24`` or a date in it."""
    match = _WEEK.fullmatch(text)
    try:
        if match:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO week (2020-W24) or a date (2020-06-10): {text!r}"
        ) from None
    return day - timedelta(days=day.weekday())


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _rank(article: newsfeed.Article) -> tuple[int, int]:
    """Best first: quality, then heat; a missing score ranks below any score."""
    return (-(article.quality if article.quality is not None else -1), -(article.heat or -1))


def _item(article: newsfeed.Article) -> str:
    outlet = article.provider.name if article.provider and article.provider.name else "unknown"
    others = {
        item.provider.name
        for item in article.related
        if item.provider and item.provider.name and item.provider.name != outlet
    }
    quality = "unscored" if article.quality is None else f"quality {article.quality}"
    coverage = f", also covered by {len(others)} other outlets" if others else ""
    return (
        f"[{_escape(article.title)}]({article.url}) — *{_escape(outlet)}*, "
        f"{article.published_at:%a %d %b}, {quality}{coverage}"
    )


def digest(feed: newsfeed.Feed, monday: date, *, top: int = 3) -> str:
    """Return the Markdown digest of *feed*'s articles in the week starting *monday*."""
    sunday = monday + timedelta(days=6)
    week = feed.filter(since=monday, until=monday + timedelta(days=7)).unique()
    year, number, _ = monday.isocalendar()
    lines = [f"# News digest: {year}-W{number:02d} ({monday:%d %b} to {sunday:%d %b %Y})", ""]
    if not week:
        lines.append("No articles were published this week.")
        return "\n".join(lines) + "\n"
    outlets = {
        article.provider.name for article in week if article.provider and article.provider.name
    }
    topics = week.topics()
    lines += [f"{len(week)} articles from {len(outlets)} outlets, on {len(topics)} topics.", ""]

    by_topic: defaultdict[str, list[newsfeed.Article]] = defaultdict(list)
    for article in week:
        for topic in article.topics or ("Other topics",):
            by_topic[topic].append(article)
    # Most covered topics first, then alphabetically; the catch-all goes last.
    order = sorted(
        by_topic, key=lambda topic: (topic == "Other topics", -len(by_topic[topic]), topic)
    )
    for topic in order:
        stories = sorted(by_topic[topic], key=_rank)
        lines += [f"## {_escape(topic)} ({len(stories)})", ""]
        lines += [f"{rank}. {_item(article)}" for rank, article in enumerate(stories[:top], 1)]
        if len(stories) > top:
            lines.append(f"\n*and {len(stories) - top} more*")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write the digest of the week given on the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__.partition("\n")[0],
        epilog="example: python examples/weekly_digest.py 2020-W24 --top 2",
    )
    parser.add_argument("week", type=week_start, help="ISO week (2020-W24) or a date in it")
    parser.add_argument(
        "--data", type=Path, default=DATA, help="folder of articles (examples/data)"
    )
    parser.add_argument("--top", type=int, default=3, help="stories per topic (3)")
    parser.add_argument("--output", type=Path, help="Markdown file to write (stdout)")
    options = parser.parse_args(argv)
    if options.top < 1:
        parser.error("--top must be at least 1")

    text = digest(newsfeed.load_dir(options.data), options.week, top=options.top)
    if options.output is None:
        sys.stdout.write(text)
    else:
        options.output.parent.mkdir(parents=True, exist_ok=True)
        options.output.write_text(text, encoding="utf-8")
        print(f"wrote {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
