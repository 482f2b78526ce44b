"""Quick start: load a folder of articles and ask it a few questions.

Usage::

    python examples/quickstart.py [FOLDER]

FOLDER defaults to the sample articles in ``examples/data/``. The script loads
every file (any bad one stops it, with the file, line and field of each
problem), prints a few facts about the feed, filters it, looks at one
article's coverage by other outlets, and checks that every file is written
back byte for byte.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import newsfeed

DATA = Path(__file__).resolve().parent / "data"


def main(argv: list[str] | None = None) -> int:
    """Load the folder, print what it holds, and filter it."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DATA, help="(examples/data)")
    folder: Path = parser.parse_args(argv).folder

    try:
        feed = newsfeed.load_dir(folder)
    except newsfeed.FeedLoadError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Loaded {len(feed)} articles from {folder}")
    if not feed:
        return 0
    oldest, newest = feed.sort()[0], feed.sort(reverse=True)[0]
    print(f"Published from {oldest.published_at:%Y-%m-%d} to {newest.published_at:%Y-%m-%d}")
    providers = ", ".join(f"{name} ({count})" for name, count in feed.providers().most_common(3))
    print(f"Most frequent providers: {providers}")
    topics = ", ".join(f"{name} ({count})" for name, count in feed.topics().most_common(5))
    print(f"Most frequent topics: {topics}")

    # Criteria combine: every one given must hold. `since` is inclusive, `until` exclusive.
    june = feed.filter(since="2020-06-01", until="2020-07-01", min_quality=50)
    print(f"\n{len(june)} articles from June 2020 with a quality of at least 50, best first:")
    for article in june.sort("quality", reverse=True):
        provider = article.provider.name if article.provider else "?"
        print(
            f"  {article.quality:3d}  {article.published_at:%Y-%m-%d}  {provider}: {article.title}"
        )

    # The story with the widest coverage: the article and its related items.
    widest = max(feed, key=lambda article: len(article.related))
    outlets = sorted(
        {item.provider.name for item in widest.related if item.provider and item.provider.name}
    )
    print(f"\nWidest coverage: {widest.title!r}")
    print(f"  {len(widest.related)} related stories from {len(outlets)} other outlets,")
    print(f"  among them {', '.join(outlets[:5])}")

    # Every file is written back exactly as it was read, in its own layout. Compare
    # bytes: read_text() would turn CRLF line ends into LF.
    same = sum(
        newsfeed.dumps(article).encode("utf-8") == article.path.read_bytes()
        for article in feed
        if article.path is not None
    )
    print(f"\n{same} of {len(feed)} files are written back byte for byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
