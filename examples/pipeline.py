"""Pipeline: build articles in code, as a news pipeline does, and write them into a site's folder.

Usage::

    python examples/pipeline.py [FOLDER] [--overwrite]

FOLDER defaults to ``examples/out/site/``. A pipeline that feeds a static site
(a Jekyll ``_news/`` folder, say) receives stories from outlets, scores them,
attaches the coverage other outlets gave the same story, and writes one
Markdown file per article. Here the incoming stories are a fixed list, so the
run is reproducible; each one becomes a :class:`newsfeed.Article` with its
:class:`newsfeed.Provider` and :class:`newsfeed.RelatedArticle` items, and
:func:`newsfeed.dump_dir` writes them all under the sites' naming convention,
``YYYY-MM-DD-slug-of-the-title.md``.

Running it again changes nothing: a file that already holds its article is
left alone. If a file under one of the names holds something else, nothing is
written and the script exits 1 naming it; ``--overwrite`` replaces it.
It needs only the installed ``newsfeed`` package.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

import newsfeed
from newsfeed import Article, Provider, RelatedArticle

SITE = Path(__file__).resolve().parent / "out" / "site"

#: The outlets the pipeline follows: a name, a domain and the zone they publish in.
OUTLETS = {
    "reuters": ("Reuters", "reuters.com", UTC),
    "bbc": ("BBC News", "bbc.co.uk", UTC),
    "ap": ("AP News", "apnews.com", timezone(timedelta(hours=-5))),
    "verge": ("The Verge", "theverge.com", timezone(timedelta(hours=-5))),
    "ft": ("Financial Times", "ft.com", UTC),
    "hindu": ("The Hindu", "thehindu.com", timezone(timedelta(hours=5, minutes=30))),
    "wired": ("Wired", "wired.com", timezone(timedelta(hours=-8))),
    "lemonde": ("Le Monde", "lemonde.fr", timezone(timedelta(hours=1))),
}


class Story(NamedTuple):
    """One story as the pipeline receives it from an outlet."""

    outlet: str
    local_time: str
    headline: str
    summary: str
    topics: tuple[str, ...]
    #: The same story elsewhere: (outlet, minutes later, headline).
    coverage: tuple[tuple[str, int, str], ...] = ()


#: What the pipeline received today, in the order it arrived.
INCOMING = [
    Story(
        outlet="reuters",
        local_time="2023-11-02 06:40",
        headline="EU lawmakers agree on landmark rules for artificial intelligence",
        summary=(
            "Negotiators from the European Parliament and member states reached a provisional"
            " deal on Thursday after talks that ran through the night, setting obligations "
            "for general-purpose AI models."
        ),
        topics=("AI", "Regulation", "Europe"),
        coverage=(
            ("ft", 35, "Brussels strikes deal on AI rulebook after marathon talks"),
            ("lemonde", 80, "L'Union européenne s'accorde sur l'encadrement de l'IA"),
            ("verge", 190, "The EU's AI Act is finally happening"),
        ),
    ),
    Story(
        outlet="bbc",
        local_time="2023-11-02 07:15",
        headline="Live: Storm Ciarán makes landfall in Cornwall",
        summary=(
            "Gusts of more than 90mph were recorded on the coast as the Met Office issued "
            "amber warnings for the south of England."
        ),
        topics=("Weather", "UK"),
        coverage=(
            ("reuters", 50, "Storm Ciaran batters northern Europe, cutting power to thousands"),
        ),
    ),
    Story(
        outlet="bbc",
        local_time="2023-11-02 15:05",
        headline="Live: Storm Ciarán makes landfall in Cornwall",
        summary=(
            "The storm moves east towards the Channel; rail operators tell passengers not to "
            "travel in the south-west until Friday."
        ),
        topics=("Weather", "UK"),
    ),
    Story(
        outlet="ap",
        local_time="2023-11-01 14:30",
        headline="Federal Reserve leaves rates unchanged for a second straight meeting",
        summary=(
            "Chair Jerome Powell said officials were 'not thinking about rate cuts at all' "
            "and would proceed carefully as inflation cools."
        ),
        topics=("Economy", "Interest Rates"),
        coverage=(
            ("reuters", 5, "Fed holds rates steady, keeps door open to another hike"),
            ("ft", 12, "Federal Reserve holds rates at 22-year high"),
        ),
    ),
    Story(
        outlet="verge",
        local_time="2023-11-01 09:00",
        headline="Apple's M3 MacBook Pro review: faster chips, same familiar design",
        summary=(
            "The new laptops bring a 3-nanometre chip and a space black finish, and battery "
            "life that stretches past a working day."
        ),
        topics=("Apple", "Laptops", "Reviews"),
        coverage=(("wired", 240, "Review: Apple MacBook Pro (M3 Max)"),),
    ),
    Story(
        outlet="hindu",
        local_time="2023-11-02 10:45",
        headline="ISRO prepares for Gaganyaan's second test flight early next year",
        summary=(
            "The space agency said the crew escape system performed as planned in October's "
            "flight and that more abort tests would follow."
        ),
        topics=("Space", "India"),
        coverage=(("reuters", 300, "India to run more tests before first crewed space mission"),),
    ),
]


def _outlet(key: str) -> tuple[Provider, timezone]:
    name, domain, zone = OUTLETS[key]
    return Provider(name=name, domain=domain), zone


def _url(provider: Provider, when: datetime, headline: str) -> str:
    slug = "-".join(headline.lower().replace("'", "").split())
    return f"https://www.{provider.domain}/{when:%Y/%m/%d}/{slug[:60]}"


def build_article(story: Story) -> Article:
    """Turn one incoming story into an Article, with the coverage as related items.

    The title carries the outlet's name, as the sites show it; the quality
    rises with the number of outlets that covered the story.
    """
    provider, zone = _outlet(story.outlet)
    published = datetime.fromisoformat(story.local_time).replace(tzinfo=zone)
    related = []
    for other, minutes, other_headline in story.coverage:
        other_provider, other_zone = _outlet(other)
        when = (published + timedelta(minutes=minutes)).astimezone(other_zone)
        related.append(
            RelatedArticle(
                title=f"{other_headline} | {other_provider.name}",
                published_at=when,
                web_url=_url(other_provider, when, other_headline),
                type="article",
                provider=other_provider,
            )
        )
    return Article(
        category="news",
        title=f"{story.headline} | {provider.name}",
        excerpt=story.summary,
        published_at=published,
        web_url=_url(provider, published, story.headline),
        type="article",
        quality=min(100, 40 + 15 * len(related)),
        published=True,
        provider=provider,
        topics=story.topics,
        related=related,
    )


def main(argv: list[str] | None = None) -> int:
    """Build the articles and write them into the folder."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=SITE, help="(examples/out/site)")
    parser.add_argument("--overwrite", action="store_true", help="replace files that differ")
    options = parser.parse_args(argv)
    folder: Path = options.folder

    feed = newsfeed.Feed(build_article(story) for story in INCOMING)
    before = {path.name: path.read_bytes() for path in folder.glob("*.md")}
    try:
        written = newsfeed.dump_dir(feed, folder, overwrite=options.overwrite)
    except newsfeed.FileConflictError as error:
        print(f"{error}\nnothing was written", file=sys.stderr)
        return 1
    states = []
    for article, path in zip(feed, written, strict=True):
        old = before.get(path.name)
        state = "new" if old is None else "unchanged" if old == path.read_bytes() else "replaced"
        states.append(state)
        print(f"{state:<9}  {path.name}  ({len(article.related)} related)")
    counts = ", ".join(
        f"{states.count(state)} {state}" for state in ("new", "unchanged", "replaced")
    )
    print(f"{len(written)} articles in {folder}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
