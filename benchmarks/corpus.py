"""Generate a corpus of canonical article files with realistic variety.

The files look like the samples in ``tests/fixtures``: 8-12 KB on average,
providers from a pool of real-looking outlets (with subdomains in their
links), topics from a pool, 0-8 related stories with or without images,
optional keys sometimes absent, UTC offsets other than ``Z``, curly quotes
and some non-ASCII text, and now and then a key the model does not know.

Everything comes from one seeded :class:`random.Random`, so a seed and a count
always give the same files, byte for byte. Each record is built as a
:class:`newsfeed.Article` and written with :func:`newsfeed.dump`, so the files
are in the canonical layout by construction.

Usage::

    python benchmarks/corpus.py OUT_DIR --count 10000 --seed 0
    python benchmarks/corpus.py OUT_DIR --count 10000 --layout real

or, from Python, ``generate(out_dir, count=10_000, seed=0)``. ``--layout
real`` writes the real-layout corpus of ``real_layout.py`` instead, shaped
like the files the news pipeline published.
"""

from __future__ import annotations

import argparse
import base64
import random
import re
import sys
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import newsfeed

__all__ = ["articles", "generate"]

#: (name, domain, host of its links). The host carries the subdomain a
#: real outlet serves articles from.
PROVIDERS = (
    ("Reuters", "reuters.com", "www.reuters.com"),
    ("Nasdaq", "nasdaq.com", "www.nasdaq.com"),
    ("Charlotte Observer", "charlotteobserver.com", "www.charlotteobserver.com"),
    ("VentureBeat", "venturebeat.com", "venturebeat.com"),
    ("PC Magazine", "pcmag.com", "www.pcmag.com"),
    ("PBS", "pbs.org", "www.pbs.org"),
    ("ZDNet", "zdnet.com", "www.zdnet.com"),
    ("UPI.com", "upi.com", "www.upi.com"),
    ("SC Media", "scmagazine.com", "www.scmagazine.com"),
    ("The Boston Globe", "bostonglobe.com", "www.bostonglobe.com"),
    ("Washington Post", "washingtonpost.com", "www.washingtonpost.com"),
    ("HotNewHipHop", "hotnewhiphop.com", "www.hotnewhiphop.com"),
    ("Mic", "mic.com", "www.mic.com"),
    ("Tech.co", "tech.co", "tech.co"),
    ("MSPoweruser", "mspoweruser.com", "mspoweruser.com"),
    ("The Loop", "loopinsight.com", "www.loopinsight.com"),
    ("WRCB", "wrcbtv.com", "www.wrcbtv.com"),
    ("Reason", "reason.com", "reason.com"),
    ("Yahoo Finance", "finance.yahoo.com", "finance.yahoo.com"),
    ("Yahoo News", "news.yahoo.com", "news.yahoo.com"),
    ("BBC News", "bbc.co.uk", "www.bbc.co.uk"),
    ("The Guardian", "theguardian.com", "www.theguardian.com"),
    ("The Verge", "theverge.com", "www.theverge.com"),
    ("Ars Technica", "arstechnica.com", "arstechnica.com"),
    ("TechCrunch", "techcrunch.com", "techcrunch.com"),
    ("Engadget", "engadget.com", "www.engadget.com"),
    ("Wired", "wired.com", "www.wired.com"),
    ("CNBC", "cnbc.com", "www.cnbc.com"),
    ("Bloomberg", "bloomberg.com", "www.bloomberg.com"),
    ("Forbes", "forbes.com", "www.forbes.com"),
    ("Business Insider", "businessinsider.com", "www.businessinsider.com"),
    ("The New York Times", "nytimes.com", "www.nytimes.com"),
    ("Los Angeles Times", "latimes.com", "www.latimes.com"),
    ("Seattle Times", "seattletimes.com", "www.seattletimes.com"),
    ("GeekWire", "geekwire.com", "www.geekwire.com"),
    ("9to5Mac", "9to5mac.com", "9to5mac.com"),
    ("Android Central", "androidcentral.com", "www.androidcentral.com"),
    ("The Times of India", "indiatimes.com", "timesofindia.indiatimes.com"),
    ("The Economic Times", "indiatimes.com", "economictimes.indiatimes.com"),
    ("NDTV", "ndtv.com", "www.ndtv.com"),
    ("Hindustan Times", "hindustantimes.com", "www.hindustantimes.com"),
    ("Nikkei Asia", "nikkei.com", "asia.nikkei.com"),
    ("The Japan Times", "japantimes.co.jp", "www.japantimes.co.jp"),
    ("South China Morning Post", "scmp.com", "www.scmp.com"),
    ("Le Monde", "lemonde.fr", "www.lemonde.fr"),
    ("Süddeutsche Zeitung", "sueddeutsche.de", "www.sueddeutsche.de"),
    ("Der Spiegel", "spiegel.de", "www.spiegel.de"),
    ("El País", "elpais.com", "elpais.com"),
    ("Folha de S.Paulo", "folha.uol.com.br", "www1.folha.uol.com.br"),
    ("ABC News", "go.com", "abcnews.go.com"),
    ("CBS News", "cbsnews.com", "www.cbsnews.com"),
    ("NPR", "npr.org", "www.npr.org"),
    ("Associated Press", "apnews.com", "apnews.com"),
    ("Fox Business", "foxbusiness.com", "www.foxbusiness.com"),
    ("MarketWatch", "marketwatch.com", "www.marketwatch.com"),
    ("Motley Fool", "fool.com", "www.fool.com"),
    ("Seeking Alpha", "seekingalpha.com", "seekingalpha.com"),
    ("RTTNews", "rttnews.com", "www.rttnews.com"),
    ("KIRO 7", "kiro7.com", "www.kiro7.com"),
    ("WIRED UK", "wired.co.uk", "www.wired.co.uk"),
    ("The Register", "theregister.com", "www.theregister.com"),
    ("Neowin", "neowin.net", "www.neowin.net"),
)

TOPICS = (
    "AI",
    "AWS AI",
    "Computer Vision",
    "Machine Learning",
    "Cloud Computing",
    "Cybersecurity",
    "Privacy",
    "Facial Recognition",
    "Electric Vehicles",
    "Climate Change",
    "Stock Market",
    "Cryptocurrency",
    "Semiconductors",
    "Space",
    "Healthcare",
    "COVID-19",
    "Elections",
    "Smartphones",
    "Video Games",
    "Startups",
    "5G",
    "Quantum Computing",
    "Robotics",
    "Social Media",
    "E-commerce",
    "Microsoft Azure",
    "Google Cloud",
    "Data Science",
)

CATEGORIES = ("news",) * 12 + ("business", "technology", "sports", "entertainment")
TYPES = ("article",) * 20 + ("video", "slideshow")

SUBJECTS = (
    "Amazon",
    "Microsoft",
    "IBM",
    "Google",
    "Apple",
    "Meta",
    "Nvidia",
    "Tesla",
    "The EU",
    "Congress",
    "Sony",
    "Samsung",
    "TSMC",
    "Researchers at MIT",
    "Toyota",
    "Renault",
    "Nokia",
    "A Boston startup",
    "Baidu",
    "Infosys",
    "The FTC",
    "Citizens' groups",
)
VERBS = (
    "bans",
    "pauses",
    "launches",
    "expands",
    "rethinks",
    "sues over",
    "invests $2 billion in",
    "delays",
    "cuts prices of",
    "opens a lab for",
    "reports record revenue from",
    "faces criticism over",
    "partners with Smith & Co. on",
    "backs away from",
)
OBJECTS = (
    "facial recognition technology",
    "its cloud business",
    "police use of AI tools",
    "self-driving cars",
    "chip production",
    "data centers in Europe",
    '"responsible AI" rules',
    "a new smartphone",
    "quantum computers",
    "its voice assistant",
    "electric trucks",
    "a one-year moratorium",
    "employee surveillance software",
    "satellite internet",
    "the 5G rollout",
)
CLAUSES = (
    " as regulators step up scrutiny",
    " to give Congress time to write rules",
    " after a wave of employee protests",
    " in a bid to win back investors",
    " while rivals race to catch up",
    " despite warnings from civil rights groups",
    ", the company's biggest bet in years",
)
TAILS = (
    "",
    "",
    "",
    " for a year",
    " amid protests",
    " after months of criticism",
    ": what it means for you",
    " | Charlotte Observer",
    " - report",
    ", sources say",
    " (update)",
    " #tech",
    ' as "deadline" nears',
    " in Q3",
    ": analysts react",
)
SENTENCES = (
    (
        "As cities and municipalities across the country start to rethink how law"
        " enforcement should operate, companies are also beginning to reconsider their"
        " relationships with police."
    ),
    (
        "The company said on Thursday it would not sell the technology until there is a"
        " federal law regulating it."
    ),
    "Critics say the move doesn't go far enough, and privacy advocates want a permanent ban.",
    (
        "Analysts expect the decision to cost the company little, since the business is"
        " a small part of its revenue."
    ),
    (
        '"We\'re implementing a one-year moratorium," the company wrote in a short blog'
        " post on Wednesday."
    ),
    "Shares rose 2.4% in early trading in New York, while the Nasdaq was flat.",
    "The announcement follows weeks of protests over police brutality and racial injustice.",
    "Lawmakers in Brussels have proposed rules that would classify such systems as high-risk.",
    (
        "Researchers found error rates were far higher for darker-skinned women than"
        " for lighter-skinned men."
    ),
    "The firm declined to say how many police departments use the product today.",
    (
        "Over the past year, investment in the sector has more than doubled, according"
        " to PitchBook data."
    ),
    "Its chief executive told employees the company would 'listen and learn' from the criticism.",
    "Regulators in Ottawa and Canberra are weighing similar measures, officials said.",
    "The new chips are built on a 5-nanometre process and ship later this year.",
    "Customers will not see any change to their bills until next quarter.",
    "The report cites people familiar with the matter who asked not to be named.",
)
#: Non-ASCII text, drawn now and then: in the samples, about one title or
#: excerpt in ten holds a curly quote or an accent.
ACCENTED_SUBJECTS = (
    "Police in São Paulo",
    "Regulators in Zürich",
    "A Montréal startup",
    "東京の研究者",
    "Citizens’ groups",
    "Müller & Söhne",
)
ACCENTED_TAILS = (" — report", " 🚀", " – analysts react", " (‘update’)")
CURLY_SENTENCES = (
    "Critics say the move doesn’t go far enough, and privacy advocates want a permanent ban.",
    "“We’re implementing a one-year moratorium,” the company wrote in a short blog post.",
    "Its chief executive told employees the company would “listen and learn” from the criticism.",
    "Regulators in Zürich and São Paulo are weighing similar measures, officials said.",
    "The deal values the company at ¥1.2 trillion (€9.8 billion).",
)
#: Offsets from real feeds of this family; UTC ("Z") dominates.
OFFSETS = (timedelta(0),) * 10 + (
    timedelta(hours=-7),
    timedelta(hours=-4),
    timedelta(hours=-5),
    timedelta(hours=5, minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=9),
    timedelta(hours=-3),
    timedelta(hours=10),
    timedelta(hours=5, minutes=45),
)
#: How many related stories an article has: skewed high, as in the samples.
RELATED_WEIGHTS = (2, 2, 3, 4, 6, 9, 13, 20, 41)
SECTIONS = (
    "news",
    "article",
    "articles",
    "tech/news",
    "news/business/national-business",
    "business/technology",
    "2020/06/11",
    "en/world/asia-pacific",
    "story/money/tech",
)
IMAGE_SIZES = ((1200, 800), (1200, 630), (1920, 1080), (1920, 960), (817, 545), (520, 208))
_EPOCH = datetime(2019, 1, 1, tzinfo=UTC)
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_JUNK.sub("-", ascii_text.lower()).strip("-")[:80] or "story"


class _Story:
    """Draws the pieces of one record from a shared random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def title(self) -> str:
        rng = self.rng
        clause = rng.choice(CLAUSES) if self.chance(0.5) else ""
        subject = rng.choice(ACCENTED_SUBJECTS if self.chance(0.06) else SUBJECTS)
        tail = rng.choice(ACCENTED_TAILS if self.chance(0.04) else TAILS)
        return f"{subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{clause}{tail}"

    def excerpt(self) -> str:
        sentences = self.rng.sample(SENTENCES, self.rng.choice((2, 3, 3, 3, 4)))
        if self.chance(0.08):
            sentences[0] = self.rng.choice(CURLY_SENTENCES)
        return " ".join(sentences)

    def moment(self) -> datetime:
        instant = _EPOCH + timedelta(minutes=self.rng.randrange(4 * 365 * 24 * 60))
        return instant.astimezone(timezone(self.rng.choice(OFFSETS)))

    def links(self, host: str, title: str) -> dict[str, Any]:
        section = self.rng.choice(SECTIONS)
        path = f"{section}/{_slug(title)}-{self.rng.randrange(10**5, 10**9)}"
        path += self.rng.choice(("", "", ".html", "/"))
        links: dict[str, Any] = {"web_url": f"https://{host}/{path}"}
        if self.chance(0.8):
            amp_host = f"amp.{host.removeprefix('www.')}" if self.chance(0.4) else host
            amp_path = f"{path}/amp" if self.chance(0.5) else f"{path}?amp"
            links["amp_web_url"] = f"https://{amp_host}/{amp_path}"
            cdn = amp_host.replace("-", "--").replace(".", "-")
            links["cdn_amp_web_url"] = f"https://{cdn}.cdn.ampproject.org/c/s/{amp_host}/{amp_path}"
        return links

    def provider(self) -> tuple[newsfeed.Provider, str]:
        name, domain, host = self.rng.choice(PROVIDERS)
        return newsfeed.Provider(name, domain), host

    def images(self, host: str) -> tuple[newsfeed.Image, ...]:
        if not self.chance(0.85):
            return ()
        images = []
        for _ in range(self.rng.choice((1, 1, 1, 1, 2))):
            width, height = self.rng.choice(IMAGE_SIZES)
            digest = self.rng.randbytes(16).hex()
            subdomain = self.rng.choice(("images", "cdn", "static"))
            url = f"https://{subdomain}.{host.removeprefix('www.')}"
            url += f"/uploads/{self.rng.randrange(2018, 2024)}/{digest}.jpg"
            if self.chance(0.3):
                url += f"?w={width}&h={height}&q=70&fit=crop&fm=jpg"
            if self.chance(0.1):
                images.append(newsfeed.Image(url))
            else:
                images.append(newsfeed.Image(url, width, height, is_cached=self.chance(0.9)))
        return tuple(images)

    def quality(self) -> int | None:
        return self.rng.randint(0, 100) if self.chance(0.9) else None

    def related(self) -> newsfeed.RelatedArticle:
        title = self.title()
        provider, host = self.provider()
        extra = {"isPaywalled": self.chance(0.5)} if self.chance(0.02) else {}
        return newsfeed.RelatedArticle(
            title=title,
            excerpt=self.excerpt() if self.chance(0.95) else None,
            published_at=self.moment(),
            **self.links(host, title),
            type=self.rng.choice(TYPES) if self.chance(0.98) else None,
            provider=provider,
            quality=self.quality(),
            images=self.images(host),
            extra=extra,
        )

    def secured(self) -> str:
        head = base64.b64encode(self.rng.randbytes(self.rng.randrange(480, 540))).decode()
        tail = base64.b64encode(self.rng.randbytes(16)).decode()
        return f"{head};{tail}"

    def extra(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if self.chance(0.04):
            extra["locale"] = self.rng.choice(("en-us", "en-gb", "fr-fr", "de-de", "en-in"))
        if self.chance(0.02):
            extra["tags"] = self.rng.sample(("breaking", "exclusive", "opinion", "analysis"), 2)
        if self.chance(0.02):
            extra["updatedDateTime"] = self.moment()
        return extra

    def extra_and_update(self) -> dict[str, Any]:
        """Return the unknown keys, and ``updatedDateTime``: a field of the model since issue 10."""
        extra = self.extra()
        return {"extra": extra, "updated_at": extra.pop("updatedDateTime", None)}

    def article(self) -> newsfeed.Article:
        title = self.title()
        provider, host = self.provider()
        count = self.rng.choices(range(len(RELATED_WEIGHTS)), RELATED_WEIGHTS)[0]
        topics = self.rng.sample(TOPICS, self.rng.choice((0, 1, 2, 2, 2, 3, 4)))
        return newsfeed.Article(
            category=self.rng.choice(CATEGORIES) if self.chance(0.97) else None,
            title=title,
            excerpt=self.excerpt() if self.chance(0.97) else None,
            published_at=self.moment(),
            **self.links(host, title),
            type=self.rng.choice(TYPES) if self.chance(0.98) else None,
            quality=self.quality(),
            heat=-1 if self.chance(0.5) else self.rng.randint(1, 500),
            published=self.chance(0.8) if self.chance(0.97) else None,
            provider=provider if self.chance(0.99) else None,
            topics=tuple(topics),
            related=tuple(self.related() for _ in range(count)),
            secured=self.secured() if self.chance(0.97) else None,
            **self.extra_and_update(),
        )


def articles(*, count: int, seed: int) -> Iterator[newsfeed.Article]:
    """Yield *count* articles, the same ones for the same *seed*."""
    story = _Story(random.Random(seed))
    for _ in range(count):
        yield story.article()


def generate(out_dir: str | Path, *, count: int, seed: int = 0) -> list[Path]:
    """Write *count* canonical article files into *out_dir*; return their paths.

    The folder is created if needed. File names are ``NNNNNN-<slug>.md``,
    numbered so that a listing sorts in generation order.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    width = max(6, len(str(count - 1)))
    paths = []
    for index, article in enumerate(articles(count=count, seed=seed)):
        path = folder / f"{index:0{width}d}-{_slug(article.title)[:60]}.md"
        newsfeed.dump(article, path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Run the command line: ``corpus.py OUT_DIR --count N --seed S``."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write the files into")
    parser.add_argument("--count", type=int, default=1000, help="number of files (1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument(
        "--layout",
        choices=("canonical", "real"),
        default="canonical",
        help="newsfeed's canonical layout, or the published files' (canonical)",
    )
    options = parser.parse_args(argv)
    if options.count < 0:
        parser.error("--count must not be negative")
    if options.layout == "real":
        import real_layout  # noqa: PLC0415 -- it imports this module's vocabularies

        paths = real_layout.generate(options.out_dir, count=options.count, seed=options.seed)
    else:
        paths = generate(options.out_dir, count=options.count, seed=options.seed)
    size = sum(path.stat().st_size for path in paths)
    average = size / len(paths) / 1024 if paths else 0.0
    print(f"wrote {len(paths)} files, {size / 1024**2:.1f} MiB, {average:.1f} KiB on average")
    return 0


if __name__ == "__main__":
    sys.exit(main())
