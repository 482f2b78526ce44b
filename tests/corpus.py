"""A deterministic corpus of varied article files for the feed tests.

Seeded :mod:`random` rather than Hypothesis: the feed tests compare queries
against answers computed by hand over one fixed folder of a few hundred
files, with the awkward cases planted on purpose (the boundary instant in
several offsets, missing qualities, subdomains and case variants of
providers, topics that differ only in case or contain one another, repeated
URLs).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Final

import newsfeed
from newsfeed import Article, Provider, RelatedArticle

#: The instant the boundary tests cut at. Three articles sit exactly on it,
#: written in three different offsets; no other article is within a minute.
BOUNDARY: Final = datetime(2020, 3, 1, tzinfo=UTC)
BOUNDARY_OFFSETS: Final = (
    UTC,
    timezone(timedelta(hours=-7)),
    timezone(timedelta(hours=5, minutes=30)),
)
START: Final = datetime(2020, 1, 1, tzinfo=UTC)
SPAN: Final = timedelta(days=150)

OFFSETS: Final = (
    UTC,
    timezone(timedelta(hours=-7)),
    timezone(timedelta(hours=-3, minutes=-30)),
    timezone(timedelta(hours=1)),
    timezone(timedelta(hours=5, minutes=30)),
    timezone(timedelta(hours=14)),
)
PROVIDERS: Final = (
    Provider(name="Nasdaq", domain="nasdaq.com"),
    Provider(name="Nasdaq", domain="www.nasdaq.com"),
    Provider(name="NASDAQ Markets", domain="Markets.NASDAQ.com"),
    Provider(name="Not Nasdaq", domain="notnasdaq.com"),
    Provider(name="Reuters", domain="reuters.com"),
    Provider(name="reuters", domain="uk.reuters.com"),
    Provider(name="The Loop", domain="loopinsight.com"),
    Provider(name=None, domain="tech.co"),
    Provider(name="Mic", domain=None),
    None,
)
TOPICS: Final = (
    "AI",
    "ai",
    "AWS AI",
    "Computer Vision",
    "computer vision",
    "Policy",
    "Machine Learning",
    "Cloud",
)
#: Every this many articles, one repeats the previous article's URL.
REPEAT_EVERY: Final = 25
FILES_PER_FOLDER: Final = 50


def _published_at(rng: random.Random) -> datetime:
    while True:
        instant = START + timedelta(minutes=rng.randrange(int(SPAN.total_seconds()) // 60))
        if abs(instant - BOUNDARY) > timedelta(minutes=1):
            return instant.astimezone(rng.choice(OFFSETS))


def _quality(rng: random.Random) -> int | None:
    roll = rng.random()
    if roll < 0.15:
        return None
    if roll < 0.2:
        return rng.choice((0, 100))
    return rng.randint(0, 100)


def _related(rng: random.Random, index: int) -> tuple[RelatedArticle, ...]:
    return tuple(
        RelatedArticle(
            title=f"Coverage {index}.{number}",
            published_at=START + timedelta(hours=rng.randrange(24 * 150)),
            web_url=f"https://related.example/{index}/{number}",
            provider=rng.choice(PROVIDERS),
            quality=rng.choice((None, rng.randint(0, 100))),
        )
        for number in range(rng.randrange(4))
    )


def make_articles(count: int = 300, *, seed: int = 20200611) -> list[Article]:
    """Return *count* varied articles, the same ones for the same seed."""
    rng = random.Random(seed)  # noqa: S311 -- test data, not secrets
    articles: list[Article] = []
    for index in range(count):
        if index < len(BOUNDARY_OFFSETS):
            published_at = BOUNDARY.astimezone(BOUNDARY_OFFSETS[index])
        elif index == len(BOUNDARY_OFFSETS):
            published_at = BOUNDARY - timedelta(minutes=1)
        elif index == len(BOUNDARY_OFFSETS) + 1:
            published_at = BOUNDARY + timedelta(minutes=1)
        else:
            published_at = _published_at(rng)
        repeat = index % REPEAT_EVERY == REPEAT_EVERY - 1
        web_url = articles[-1].web_url if repeat else f"https://news.example/{index:04d}"
        articles.append(
            Article(
                category="news",
                title=f"Story {index}: {rng.choice(('markets', 'policy', 'tech', 'cloud'))}",
                published_at=published_at,
                web_url=web_url,
                type="article",
                quality=_quality(rng),
                heat=rng.choice((None, -1, rng.randint(0, 500))),
                published=rng.choice((True, False, None)),
                provider=rng.choice(PROVIDERS),
                topics=tuple(rng.sample(TOPICS, rng.randrange(4))),
                related=_related(rng, index),
            )
        )
    return articles


def relative_path(index: int) -> Path:
    """Where article *index* is written: sorted file order is the articles' order."""
    return Path(f"batch{index // FILES_PER_FOLDER:02d}", f"{index:04d}.md")


def write_corpus(root: Path, articles: list[Article]) -> list[Path]:
    """Write *articles* under *root* in shuffled order; return their paths in article order."""
    paths = [root / relative_path(index) for index in range(len(articles))]
    order = list(range(len(articles)))
    # Creation order must not leak into load order.
    random.Random(0).shuffle(order)  # noqa: S311 -- test data, not secrets
    for index in order:
        paths[index].parent.mkdir(parents=True, exist_ok=True)
        newsfeed.dump(articles[index], paths[index])
    return paths
