"""Regenerate the sample articles in ``examples/data/`` from a small news vocabulary of its own.

The examples and the documentation run against these files. They are made
here, with a fixed seed, from made-up companies and real outlets, so that they
read like a news feed: each story (a company, an event, its figures) is
covered by several outlets, each with its own headline, link, time zone and
score. An article's ``related`` items are the other outlets' coverage of its
story, and an outlet that signs its headlines (``... | Charlotte Observer``)
signs them with its own name. The stories happen in twelve weeks of summer
2020 (Monday 1 June on), so that a weekly digest or topics per month have
something to show.

Most articles have the layout of the two reference samples, which are kept in
the folder as they are (``amazon-moratorium-*.md``): links with their AMP
pages, a ``related`` list, ``heat: -1``. The others have the shapes of the
files a news pipeline published on public sites: ``originalUrl`` before
``webUrl``, the outlet's logo under ``provider.images``, the article's own
``images``, videos with only an ``originalUrl`` and a ``featuredContent``
player, a stats page updated over the summer whose HTML starts right after
the closing fence, Markdown bodies, keys the model does not know, and CRLF
line ends (a pipeline running on Windows). :func:`newsfeed.dump_dir` writes
each one under the producers' name, ``YYYY-MM-DD-slug-of-the-title.md``, and
newsfeed writes every file back byte for byte.

The script needs only the installed ``newsfeed`` package. Usage::

    python examples/make_sample_data.py             # rewrite examples/data/
    python examples/make_sample_data.py NEW_FOLDER  # write the samples elsewhere
    python examples/make_sample_data.py --check     # exit 1 if examples/data/ is stale
"""

from __future__ import annotations

import argparse
import base64
import filecmp
import random
import re
import shutil
import sys
import tempfile
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

import newsfeed
from newsfeed import Article, Image, Provider, RelatedArticle

DATA = Path(__file__).resolve().parent / "data"
#: The reference samples: files as published, kept in the folder as they are.
SEEDS = ("amazon-moratorium-charlotte-observer.md", "amazon-moratorium-nasdaq.md")
SEED = 2020
#: The articles made from stories, by layout: the samples', the sites' pipeline's, videos.
LAYOUTS = {"classic": 28, "sourced": 13, "video": 4}
#: How many of the pipeline's files (sourced and videos) were written on Windows, with CRLF.
CRLF_FILES = 6
#: Outlets that break more stories than the others, and how many times more.
BUSY = {"Reuters": 3, "Bloomberg": 2, "Nasdaq": 2, "The Verge": 2, "TechCrunch": 2, "CNBC": 2}
#: The twelve weeks the sample articles are published in (Monday 1 June 2020 on).
WINDOW_START = datetime(2020, 6, 1, tzinfo=UTC)
WINDOW = timedelta(weeks=12)
#: Where the pipeline that publishes the sites keeps the outlets' logos.
LOGOS = "https://sites.example.org/tech/assets/images/organizations"


class Outlet(NamedTuple):
    """A news outlet: its name, its domain, the host of its links, and how it writes them."""

    name: str
    domain: str
    host: str
    hours: float  # its UTC offset in summer
    path: str  # of an article's link, with {slug}, {y}, {m}, {d}, {n}, {code}
    amp: str = ""  # its AMP page's link, with {url} and the same fields; none if empty
    suffix: str = ""  # what comes between a headline and its name, if it signs them
    title_case: bool = False
    paywall: bool = False
    dateline: str = ""  # what its excerpts start with, with {CITY}


OUTLETS = (
    Outlet("Reuters", "reuters.com", "www.reuters.com", 0, "/article/us-{slug}-idUSKBN{code}",
           "https://mobile.reuters.com/article/amp/idUSKBN{code}", dateline="{CITY} (Reuters) - "),
    Outlet("Nasdaq", "nasdaq.com", "www.nasdaq.com", 0, "/articles/{slug}-{y}-{m}-{d}",
           "{url}?amp", title_case=True, dateline="(RTTNews) - "),
    Outlet("Charlotte Observer", "charlotteobserver.com", "www.charlotteobserver.com", 0,
           "/news/business/national-business/article{n}.html",
           "https://amp.charlotteobserver.com/news/business/national-business/article{n}.html",
           suffix=" | "),
    Outlet("VentureBeat", "venturebeat.com", "venturebeat.com", 0, "/{y}/{m}/{d}/{slug}/",
           "{url}amp/"),
    Outlet("ZDNet", "zdnet.com", "www.zdnet.com", 0, "/article/{slug}/",
           "https://www.zdnet.com/google-amp/article/{slug}/"),
    Outlet("The Verge", "theverge.com", "www.theverge.com", -4, "/{y}/{m}/{d}/{n}/{slug}",
           "https://www.theverge.com/platform/amp/{y}/{m}/{d}/{n}/{slug}", suffix=" - "),
    Outlet("TechCrunch", "techcrunch.com", "techcrunch.com", 0, "/{y}/{m}/{d}/{slug}/",
           "{url}amp/"),
    Outlet("Wired", "wired.com", "www.wired.com", -4, "/story/{slug}/"),
    Outlet("BBC News", "bbc.co.uk", "www.bbc.co.uk", 1, "/news/business-{n}",
           "https://www.bbc.co.uk/news/amp/business-{n}", suffix=" - "),
    Outlet("The Guardian", "theguardian.com", "www.theguardian.com", 1,
           "/technology/{y}/{m}/{d}/{slug}",
           "https://amp.theguardian.com/technology/{y}/{m}/{d}/{slug}", suffix=" | "),
    Outlet("The Times of India", "indiatimes.com", "timesofindia.indiatimes.com", 5.5,
           "/business/international-business/{slug}/articleshow/{n}.cms",
           "https://m.timesofindia.com/business/international-business/{slug}/amp_articleshow/"
           "{n}.cms", suffix=" - "),
    Outlet("The Economic Times", "indiatimes.com", "economictimes.indiatimes.com", 5.5,
           "/tech/technology/{slug}/articleshow/{n}.cms",
           "https://m.economictimes.com/tech/technology/{slug}/amp_articleshow/{n}.cms",
           paywall=True),
    Outlet("Yahoo Finance", "finance.yahoo.com", "finance.yahoo.com", 0, "/news/{slug}-{n}.html",
           "https://finance.yahoo.com/amphtml/news/{slug}-{n}.html"),
    Outlet("Yahoo News", "news.yahoo.com", "news.yahoo.com", 0, "/{slug}-{n}.html",
           "https://news.yahoo.com/amphtml/{slug}-{n}.html", suffix=" - "),
    Outlet("Engadget", "engadget.com", "www.engadget.com", 0, "/{slug}-{n}.html", suffix=" | "),
    Outlet("CNBC", "cnbc.com", "www.cnbc.com", -4, "/{y}/{m}/{d}/{slug}.html",
           "https://www.cnbc.com/amp/{y}/{m}/{d}/{slug}.html"),
    Outlet("GeekWire", "geekwire.com", "www.geekwire.com", -7, "/{y}/{slug}/", "{url}amp/"),
    Outlet("The Japan Times", "japantimes.co.jp", "www.japantimes.co.jp", 9,
           "/news/{y}/{m}/{d}/business/{slug}/", suffix=" | "),
    Outlet("Nikkei Asia", "nikkei.com", "asia.nikkei.com", 9, "/Business/{slug}", paywall=True),
    Outlet("Le Monde", "lemonde.fr", "www.lemonde.fr", 2,
           "/en/economy/article/{y}/{m}/{d}/{slug}_{n}_19.html"),
    Outlet("Folha de S.Paulo", "folha.uol.com.br", "www1.folha.uol.com.br", -3,
           "/internacional/en/business/{y}/{m}/{slug}.shtml"),
    Outlet("SC Media", "scmagazine.com", "www.scmagazine.com", 0, "/home/security-news/{slug}/"),
    Outlet("The Register", "theregister.com", "www.theregister.com", 1, "/{y}/{m}/{d}/{slug}/"),
    Outlet("Ars Technica", "arstechnica.com", "arstechnica.com", 0,
           "/tech-policy/{y}/{m}/{slug}/"),
    Outlet("MarketWatch", "marketwatch.com", "www.marketwatch.com", -4,
           "/story/{slug}-{y}-{m}-{d}", "https://www.marketwatch.com/amp/story/{slug}-{y}-{m}-{d}"),
    Outlet("Seattle Times", "seattletimes.com", "www.seattletimes.com", -7,
           "/business/technology/{slug}/"),
    Outlet("UPI.com", "upi.com", "www.upi.com", 0, "/Top_News/World-News/{y}/{m}/{d}/{slug}/{n}/",
           "https://www.upi.com/amp/Top_News/World-News/{y}/{m}/{d}/{slug}/{n}/"),
    Outlet("RTTNews", "rttnews.com", "www.rttnews.com", 0, "/{n}/{slug}.aspx", title_case=True,
           dateline="(RTTNews) - "),
    Outlet("Süddeutsche Zeitung", "sueddeutsche.de", "www.sueddeutsche.de", 2,
           "/wirtschaft/{slug}-1.{n}"),
    Outlet("KIRO 7", "kiro7.com", "www.kiro7.com", -7, "/news/business/{slug}/{code}/",
           suffix=" – "),  # noqa: RUF001 -- it signs with an en dash
    Outlet("Bloomberg", "bloomberg.com", "www.bloomberg.com", -4,
           "/news/articles/{y}-{m}-{d}/{slug}", paywall=True),
)  # fmt: skip


class Company(NamedTuple):
    """A made-up company, and what its news is about."""

    name: str
    topic: str
    product: str
    products: str  # what it recalls, if it makes things
    model: str
    city: str
    ceo: str
    practice: str  # what it is investigated, fined or sued over
    events: str  # the kinds of events that happen to it, separated by spaces


COMPANIES = (
    Company("Kestrel Cloud", "Cloud Computing", "cloud storage service", "", "Kestrel Vault",
            "Seattle", "Dana Whitfield", "bundling its software with cloud contracts",
            "earnings layoffs deal probe outage face remote"),
    Company("Helix Semiconductor", "Semiconductors", "AI accelerator chip", "", "Helix H7",
            "Austin", "Wei-Lin Chen", "paying customers to shun rival chips",
            "earnings deal launch probe ipo"),
    Company("Northwind Motors", "Electric Vehicles", "electric pickup", "pickups",
            "Northwind Ridge", "Detroit", "Marcus Bell", "overstating the range of its trucks",
            "launch recall funding lawsuit layoffs shortage"),
    Company("Lumen Mobile", "Smartphones", "foldable phone", "phones", "Lumen Fold", "Seoul",
            "Ji-ho Park", "slowing down older phones", "launch recall earnings lawsuit shortage"),
    Company("Pinebrook Health", "Healthcare", "telehealth app", "", "Pinebrook Now", "Boston",
            "Ngozi Okafor", "sharing patient data with advertisers", "breach ipo fine remote"),
    Company("Orbit Retail", "E-commerce", "same-day delivery service", "", "Orbit Express",
            "Bengaluru", "Priya Raman", "favouring its own brands in search results",
            "earnings funding probe layoffs deal"),
    Company("Vantage Social", "Social Media", "short-video app", "", "Vantage Clips",
            "Menlo Park", "Tyler Brooks", "collecting children's data",
            "fine lawsuit breach face remote outage"),
    Company("Quill AI", "AI", "writing assistant", "", "Quill 3", "London", "Amara Osei",
            "training its models on copyrighted books", "funding launch face lawsuit deal"),
    Company("Tidewater Bank", "Fintech", "mobile banking app", "", "Tidewater Go", "Edinburgh",
            "Fiona Grant", "sharing customer data without consent", "breach outage fine earnings"),
    Company("Arcadia Games", "Video Games", "game-streaming service", "", "Arcadia Play",
            "Montréal", "Élodie Gagnon", "loot boxes sold to children",
            "launch layoffs deal remote lawsuit"),
    Company("Solano Energy", "Energy", "home battery", "batteries", "Solano Cell", "Munich",
            "Lena Müller", "misleading claims about battery life", "funding recall launch lawsuit"),
    Company("Kaito Robotics", "Robotics", "warehouse robot", "robots", "Kaito K2", "Osaka",
            "Kenji Watanabe", "unsafe working conditions around its robots",
            "funding deal launch recall"),
)  # fmt: skip


class Event(NamedTuple):
    """A kind of event: its topics, the headlines outlets give it, its lead and what follows."""

    topics: tuple[str, ...]
    headlines: tuple[str, ...]
    lead: str
    then: str


EVENTS = {
    "earnings": Event(
        ("Earnings", "Stock Market"),
        ("{co} shares jump as quarterly revenue beats estimates",
         "{co} tops forecasts as demand for its {product} holds up",
         "{co} revenue rises {pct}% in the second quarter",
         "{co} beats Wall Street expectations and raises its outlook"),
        "{co} reported second-quarter revenue of ${rev} billion on {weekday}, up {pct}% from a "
        "year earlier, as demand for its {product} held up through the pandemic.",
        "The company also raised its forecast for the year, ahead of analysts' estimates.",
    ),
    "layoffs": Event(
        ("Jobs",),
        ("{co} to cut {jobs} jobs as it reorganises",
         "{co} lays off {jobs} workers amid pandemic slowdown",
         "{co} announces {jobs} job cuts, mostly in {city}"),
        "{co} will cut {jobs} jobs, about {pct}% of its workforce, chief executive {ceo} told "
        "staff in a memo on {weekday}.",
        "The {city}-based company said the cuts would fall mostly on sales and marketing teams.",
    ),
    "deal": Event(
        ("Mergers and Acquisitions",),
        ("{co} agrees to buy {target} for ${amount} billion",
         "{co} to acquire {target} in ${amount} billion deal",
         "{target} shares soar on {co} takeover deal",
         "Why {co} is paying ${amount} billion for {target}"),
        "{co} has agreed to buy {target} for about ${amount} billion in cash, its largest "
        "acquisition yet, the companies said on {weekday}.",
        "The deal still needs the approval of regulators in the US and Europe.",
    ),
    "probe": Event(
        ("Antitrust", "Regulation"),
        ("EU opens antitrust investigation into {co}",
         "{co} faces EU probe over {practice}",
         "Brussels targets {co} in competition inquiry",
         "{co} says it will cooperate with EU antitrust investigators"),
        "The European Commission opened a formal investigation on {weekday} into whether {co} "
        "broke competition rules by {practice}.",
        "{co} said it would cooperate with the Commission.",
    ),
    "breach": Event(
        ("Cybersecurity", "Privacy"),
        ("{co} says hackers stole data of {users} million customers",
         "{co} discloses data breach affecting {users} million users",
         "{co} data breach: what customers need to know",
         "{co} breach exposed names, emails and phone numbers"),
        "{co} said on {weekday} that attackers had accessed the names, email addresses and phone "
        "numbers of about {users} million customers.",
        "No passwords or card numbers were taken, and the breach has been reported to regulators.",
    ),
    "launch": Event(
        ("Product Launches",),
        ("{co} unveils the {model}, its first {product}",
         "{co} launches the {model} to take on rivals",
         "Hands-on with the {model}, {co_s} new {product}",
         "{co_s} {model} goes on sale next month"),
        "{co} introduced the {model} on {weekday}, a {product} it hopes will win customers from "
        "bigger rivals.",
        "The {model} goes on sale next month; {co} did not say how many it expects to sell.",
    ),
    "recall": Event(
        ("Recalls", "Consumer Safety"),
        ("{co} recalls {items} {products} over fire risk",
         "{co} issues recall of {items} {products} after battery fires",
         "Regulators push {co} to recall {items} {products}"),
        "{co} is recalling {items} {products} after reports of batteries overheating, the company "
        "said on {weekday}.",
        "Owners will get a free repair; no injuries have been reported.",
    ),
    "funding": Event(
        ("Startups", "Venture Capital"),
        ("{co} raises ${small} million to expand its {product}",
         "{co} lands ${small} million in funding led by {investor}",
         "{investor} leads ${small} million round in {co}"),
        "{co}, the {city}-based maker of a {product}, said on {weekday} it had raised ${small} "
        "million in a round led by {investor}.",
        "The new money values {co} at more than ${amount} billion, people familiar with the "
        "matter said.",
    ),
    "face": Event(
        ("Facial Recognition", "AI"),
        ("{co} halts police use of its facial recognition software",
         "{co} pauses sales of face recognition to police for a year",
         "{co} joins Amazon and IBM in stepping back from police facial recognition",
         "{co_s} face recognition moratorium: what it means"),
        "{co} said on {weekday} it would stop selling its facial recognition software to police "
        "departments for a year, to give lawmakers time to write rules.",
        "Civil rights groups welcomed the pause but asked {co} to make it permanent.",
    ),
    "remote": Event(
        ("Remote Work", "COVID-19"),
        ("{co} tells employees to work from home until 2021",
         "{co} extends its work-from-home policy into next year",
         "{co} staff can work remotely until July 2021, memo says"),
        "{co} employees can keep working from home until at least July 2021, chief executive "
        "{ceo} wrote in a memo on {weekday}.",
        "The {city} offices will reopen in September for those who want to come back.",
    ),
    "outage": Event(
        ("Outages",),
        ("{co} outage takes thousands of websites offline",
         "{co} restores service after {hours}-hour outage",
         "{co} blames a configuration error for its outage"),
        "Customers of {co} could not reach its {product} for about {hours} hours on {weekday}.",
        "{co} said a faulty configuration change caused the outage and that no data was lost.",
    ),
    "fine": Event(
        ("Privacy", "GDPR"),
        ("{co} fined €{eur} million under Europe's privacy law",
         "Irish regulator fines {co} €{eur} million over data handling",
         "{co} to appeal €{eur} million GDPR fine"),
        "Ireland's Data Protection Commission fined {co} €{eur} million on {weekday} for "
        "{practice}.",
        "{co} said it disagreed with the decision and would appeal.",
    ),
    "ipo": Event(
        ("IPOs", "Stock Market"),
        ("{co} files to go public on the Nasdaq",
         "{co} shares soar {pct}% in Nasdaq debut",
         "{co} IPO values the company at ${amount} billion"),
        "{co} priced its initial public offering on {weekday}, valuing the company at about "
        "${amount} billion.",
        "The shares rose {pct}% in their first day of trading on the Nasdaq.",
    ),
    "lawsuit": Event(
        ("Lawsuits",),
        ("{co} sued over {practice}",
         "Class action accuses {co} of {practice}",
         "{co} hit with lawsuit over {practice}"),
        "A class action filed in federal court on {weekday} accuses {co} of {practice}.",
        "{co} said the claims were without merit and that it would fight them.",
    ),
    "shortage": Event(
        ("Supply Chain", "Semiconductors"),
        ("{co} warns chip shortage will slow production of the {model}",
         "{co} cuts {model} output as chip supplies run short",
         "Chip shortage hits {co_s} {model}"),
        "{co} expects to build fewer units of the {model} this quarter because it cannot get "
        "enough chips, it said on {weekday}.",
        "Suppliers have quoted lead times of more than {hours} months for some parts.",
    ),
}  # fmt: skip

#: A quote that closes a story's body, or follows a lead.
QUOTE = "“We are confident in the road ahead,” chief executive {ceo} said in a statement."
#: Sentences that may follow a lead, in any story.
CONTEXT = (
    "Shares of {co} rose {move}% in early trading in New York.",
    "Shares of {co} fell {move}% in extended trading.",
    QUOTE,
    "{co}, based in {city}, did not respond to a request for comment.",
    "The company employs about {staff} people worldwide.",
    "Analysts said the move had been widely expected.",
    "The announcement comes as the pandemic reshapes demand across the industry.",
    "The company’s {product} has drawn scrutiny from regulators in Europe and the US.",  # noqa: RUF001
)
#: Companies that get bought, each once.
TARGETS = (
    "Brightline Analytics", "Cobalt Labs", "Mosaic Data", "Ferrous Robotics", "Juniper Maps",
    "Larkspur Security", "Tessellate", "Bluefin Payments",
)  # fmt: skip
INVESTORS = ("Redwood Ventures", "Granite Peak Capital", "Harbor Lane Partners")
IMAGE_SIZES = ((1200, 800), (1200, 630), (1920, 1080), (1024, 683), (817, 545), (1600, 900))
VIDEO_ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def slug(text: str) -> str:
    """Return *text* as lower-case ASCII words joined by dashes, as outlets' links have them."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:70].rstrip("-")


class Story(NamedTuple):
    """One event and its figures, and every outlet's coverage of it, first one first."""

    company: Company
    event: Event
    facts: dict[str, str]
    outlets: tuple[Outlet, ...]
    coverage: tuple[RelatedArticle, ...] = ()

    @property
    def topics(self) -> tuple[str, ...]:
        """The event's topics, then the company's: the most specific first."""
        topics = self.event.topics
        return topics if self.company.topic in topics else (*topics, self.company.topic)


class Sampler:
    """Draws every story and article from one seeded random source: a seed gives one folder."""

    def __init__(self, seed: int) -> None:
        """Start from *seed*."""
        self.rng = random.Random(seed)  # noqa: S311 -- reproducible samples, not secrets
        self.targets = list(TARGETS)
        self.rng.shuffle(self.targets)
        self.leads: list[Outlet] = []

    def deal(self, cards: list[str]) -> list[str]:
        """Return *cards* shuffled: drawn one by one, they come in the counts given."""
        self.rng.shuffle(cards)
        return cards

    def lead_outlet(self) -> Outlet:
        """Return the outlet that breaks the next story: each in turn, busy ones more often."""
        if not self.leads:
            self.leads = [outlet for outlet in OUTLETS for _ in range(BUSY.get(outlet.name, 1))]
            self.rng.shuffle(self.leads)
        return self.leads.pop()

    def chance(self, probability: float) -> bool:
        """Return True with the *probability*."""
        return self.rng.random() < probability

    def facts(self, company: Company, kind: str, moment: datetime) -> dict[str, str]:
        """Return the figures of one story, shared by every outlet that covers it."""
        number = self.rng.randrange
        return {
            "co": company.name, "co_s": company.name + ("'" if company.name[-1] == "s" else "'s"),
            "product": company.product, "products": company.products,
            "model": company.model, "city": company.city, "ceo": company.ceo,
            "practice": company.practice, "weekday": f"{moment:%A}",
            "pct": str(number(4, 39)), "rev": f"{number(12, 95) / 10:.1f}",
            "jobs": f"{number(3, 40) * 100:,}", "amount": f"{number(11, 99) / 10:.1f}",
            "small": str(number(5, 80) * 5), "users": f"{number(12, 480) / 10:.1f}",
            "items": f"{number(8, 140) * 1000:,}", "eur": str(number(3, 90)),
            "hours": str(number(3, 9)), "move": f"{number(5, 95) / 10:.1f}",
            "staff": f"{number(8, 300) * 100:,}", "investor": self.rng.choice(INVESTORS),
            # A company is bought once: each deal takes the next one.
            "target": self.targets.pop() if kind == "deal" else "",
        }  # fmt: skip

    def story(self, company: Company, kind: str, moment: datetime, size: int) -> Story:
        """Return a story first covered at *moment*, then by *size* - 1 other outlets."""
        lead = self.lead_outlet()
        others = self.rng.sample([outlet for outlet in OUTLETS if outlet != lead], size - 1)
        outlets = (lead, *others)
        story = Story(company, EVENTS[kind], self.facts(company, kind, moment), outlets)
        first = self.rng.randrange(len(story.event.headlines))
        coverage = [self.coverage(story, 0, first, moment)]
        for index in range(1, size):
            # The other outlets follow, within three days.
            when = moment + timedelta(minutes=self.rng.randrange(5, 3 * 24 * 60))
            coverage.append(self.coverage(story, index, first + index, when))
        return story._replace(coverage=tuple(coverage))

    def coverage(self, story: Story, index: int, variant: int, when: datetime) -> RelatedArticle:
        """Return the *index*-th outlet's article on *story*, as a related item."""
        outlet = story.outlets[index]
        when = when.astimezone(timezone(timedelta(hours=outlet.hours)))
        headline = story.event.headlines[variant % len(story.event.headlines)]
        headline = headline.format(**story.facts)
        if outlet.title_case:
            headline = " ".join(word[:1].upper() + word[1:] for word in headline.split(" "))
        follow = story.event.then if self.chance(0.5) else self.rng.choice(CONTEXT)
        dateline = outlet.dateline.format(CITY=story.company.city.upper())
        web_url, amp_url = self.links(outlet, headline, when)
        return RelatedArticle(
            # An outlet that signs its headlines signs them with its own name.
            title=f"{headline}{outlet.suffix}{outlet.name}" if outlet.suffix else headline,
            excerpt=f"{dateline}{story.event.lead} {follow}".format(**story.facts),
            published_at=when,
            web_url=web_url,
            amp_web_url=amp_url,
            cdn_amp_web_url=amp_cache(amp_url),
            type="article",
            provider=Provider(outlet.name, outlet.domain),
            quality=self.rng.randrange(101) if self.chance(0.95) else None,
            images=(self.image(outlet, when),) if self.chance(0.85) else (),
            extra={"isPaywalled": True} if outlet.paywall else {},
        )

    def links(self, outlet: Outlet, headline: str, when: datetime) -> tuple[str, str | None]:
        """Return the link of an article of *outlet*, and of its AMP page if it has them."""
        fields = {
            "slug": slug(headline), "y": f"{when:%Y}", "m": f"{when:%m}", "d": f"{when:%d}",
            "n": str(self.rng.randrange(10**8, 10**9)),
            "code": "".join(self.rng.choices("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", k=6)),
        }  # fmt: skip
        url = f"https://{outlet.host}{outlet.path.format(**fields)}"
        return url, outlet.amp.format(url=url, **fields) if outlet.amp else None

    def image(self, outlet: Outlet, when: datetime) -> Image:
        """Return a picture on the outlet's media host, which the aggregator keeps a copy of."""
        width, height = self.rng.choice(IMAGE_SIZES)
        name = f"{when:%Y/%m}/{self.rng.randbytes(8).hex()}.jpg"
        return Image(f"https://media.{outlet.domain}/images/{name}", width, height, is_cached=True)

    def secured(self) -> str:
        """Return an opaque token like the aggregator's: two base64 parts."""
        head = base64.b64encode(self.rng.randbytes(self.rng.randrange(300, 420))).decode()
        return f"{head};{base64.b64encode(self.rng.randbytes(16)).decode()}"

    def body(self, story: Story, item: RelatedArticle) -> str:
        """Return a Markdown body: the lead, what follows, a quote, maybe the other coverage."""
        context = self.rng.choice([sentence for sentence in CONTEXT if sentence != QUOTE])
        text = f"{story.event.lead}\n\n{story.event.then} {context}\n\n> {QUOTE}\n"
        text = text.format(**story.facts)
        others = [other for other in story.coverage if other is not item][:3]
        if others and self.chance(0.6):
            links = "".join(f"- [{other.title}]({other.web_url})\n" for other in others)
            return f"{text}\n## Elsewhere\n\n{links}"
        return text

    def classic(self, story: Story, index: int) -> Article:
        """Return the *index*-th coverage of *story* in the layout of the reference samples."""
        item = story.coverage[index]
        # As in the samples: the other outlets' coverage, best first.
        others = sorted(
            (other for other in story.coverage if other is not item),
            key=lambda other: -1 if other.quality is None else other.quality,
            reverse=True,
        )
        return Article(
            category="news", title=item.title, excerpt=item.excerpt,
            published_at=item.published_at, web_url=item.web_url, amp_web_url=item.amp_web_url,
            cdn_amp_web_url=item.cdn_amp_web_url, type="article", quality=item.quality,
            heat=-1 if self.chance(0.6) else self.rng.randrange(1, 300),
            published=self.chance(0.7), provider=item.provider, topics=story.topics,
            related=others, secured=self.secured(),
            body=self.body(story, item) if self.chance(0.2) else "",
        )  # fmt: skip

    def sourced(self, story: Story, index: int) -> Article:
        """Return the *index*-th coverage of *story* as the sites' pipeline published it."""
        item, outlet = story.coverage[index], story.outlets[index]
        # The pipeline's clock: UTC, to the second.
        when = item.published_at.astimezone(UTC) + timedelta(seconds=self.rng.randrange(60))
        excerpt = item.excerpt or ""
        if len(excerpt) > 180 and self.chance(0.5):
            excerpt = excerpt[: excerpt.rfind(" ", 0, 160)] + " ..."
        others = [other for other in story.coverage if other is not item]
        related = [without_amp(other) for other in others[: self.rng.choice((0, 0, 1, 2))]]
        score = self.rng.randrange(37, 190)
        return Article(
            category="news", title=item.title, excerpt=excerpt, published_at=when,
            original_url=item.web_url, web_url=item.web_url, type="article", quality=score,
            heat=score, published=self.chance(0.6), provider=with_logo(outlet),
            topics=story.topics, images=(self.image(outlet, when),), related=related,
            secured=self.secured(), body=self.body(story, item) if self.chance(0.3) else "",
            extra={"locale": "en-us"} if self.chance(0.3) else {},
        )  # fmt: skip

    def video(self, story: Story, index: int) -> Article:
        """Return the *index*-th outlet's video of *story*: a link, and a player to embed."""
        item, outlet = story.coverage[index], story.outlets[index]
        when = item.published_at.astimezone(UTC) + timedelta(seconds=self.rng.randrange(60))
        video = "".join(self.rng.choices(VIDEO_ID_CHARACTERS, k=11))
        player = (
            '<iframe width="800" height="500" frameborder="0" src="https://www.youtube.com/embed/'
            f'{video}" allow="accelerometer; autoplay; encrypted-media; gyroscope; '
            'picture-in-picture" allowfullscreen></iframe>'
        )
        still = Image(
            f"https://i.ytimg.com/vi/{video}/maxresdefault.jpg", 1280, 720, is_cached=True
        )
        score = self.rng.randrange(37, 190)
        return Article(
            category="news", title=item.title, excerpt=item.excerpt, published_at=when,
            original_url=f"https://youtube.com/watch?v={video}", type="video", quality=score,
            heat=score, published=True, featured_content=player, provider=with_logo(outlet),
            topics=story.topics, images=(still,), secured=self.secured(),
        )  # fmt: skip


def amp_cache(amp_url: str | None) -> str | None:
    """Return the address of *amp_url* in the AMP cache, as outlets' files give it."""
    if amp_url is None:
        return None
    host, _, path = amp_url.removeprefix("https://").partition("/")
    cache = host.replace("-", "--").replace(".", "-")
    return f"https://{cache}.cdn.ampproject.org/c/s/{host}/{path}"


def without_amp(item: RelatedArticle) -> RelatedArticle:
    """Return *item* as the sites' pipeline lists it: no AMP links, no cache flags."""
    images = tuple(Image(image.url, image.width, image.height) for image in item.images)
    return RelatedArticle(
        title=item.title, excerpt=item.excerpt, published_at=item.published_at,
        web_url=item.web_url, type=item.type, provider=item.provider, quality=item.quality,
        images=images,
    )  # fmt: skip


def with_logo(outlet: Outlet) -> Provider:
    """Return *outlet* as the sites' pipeline names it, with its logo."""
    logo = Image(f"{LOGOS}/{outlet.domain}-50x50.jpg", 50, 50)
    return Provider(outlet.name, outlet.domain, images=(logo,))


def stats_page() -> Article:
    """Return a page the pipeline updated over the summer, with an HTML body."""
    rows = (
        ("Microcontrollers", "17.8", "+1.1"),
        ("Memory", "9.6", "-0.2"),
        ("Power", "15.1", "+0.6"),
    )
    cells = "".join(
        f"  <tr><td>{part}</td><td>{weeks}</td>"
        f"<td class='{'red' if change.startswith('+') else 'green'}'>{change}</td></tr>\n"
        for part, weeks, change in rows
    )
    body = (
        '<div class="total-stats" style="text-align: center;">\n'
        "    <h3>Average lead time: 14.2 weeks (<span class='red'>+0.4</span>)</h3>\n"
        "</div>\n\n"
        '<table class="lead-times">\n'
        "  <tr><th>Parts</th><th>Weeks</th><th>Change</th></tr>\n"
        f"{cells}</table>\n"
    )
    title = "Semiconductor Lead Times (Weeks) Live Stats"
    page = Article(
        category="stats", title=title,
        excerpt="Live stats of chip lead times. Average: 14.2 weeks (+0.4), Microcontrollers: "
        "17.8 (+1.1), Memory: 9.6 (-0.2).",
        published_at=datetime(2020, 6, 1, 9, 30, 12, tzinfo=UTC),
        updated_at=datetime(2020, 8, 22, 18, 0, 41, tzinfo=UTC),
        web_url="https://smartable.ai/apps/chips/stats/lead-times/", type="article", heat=100,
        provider=Provider("Smartable AI", "smartable.ai", images=(
            Image("https://smartable.azureedge.net/media/2020/02/logo.png", 50, 50),)),
        topics=("Semiconductors", "Supply Chain"),
        images=(Image("https://smartable.azureedge.net/chips/2020/lead-times.jpg", 900, 564,
                      title=title),),
        body=body,
    )  # fmt: skip
    # As published: the page starts right after the closing fence, with no empty line.
    return newsfeed.loads(newsfeed.dumps(page).replace("\n---\n\n<div", "\n---\n<div", 1))


def articles(seed: int = SEED) -> list[Article]:
    """Return the sample articles: the stats page, then the stories' coverage."""
    sampler = Sampler(seed)
    rng = sampler.rng
    events = [(company, kind) for company in COMPANIES for kind in company.events.split()]
    rng.shuffle(events)
    # First, in the week of the reference samples, a company steps back from face recognition.
    events.remove((COMPANIES[0], "face"))
    events.insert(0, (COMPANIES[0], "face"))
    layouts = sampler.deal([name for name, count in LAYOUTS.items() for _ in range(count)])
    pipeline = LAYOUTS["sourced"] + LAYOUTS["video"]
    crlf = sampler.deal(["crlf"] * CRLF_FILES + ["lf"] * (pipeline - CRLF_FILES))
    # Three days of margin after a story's start: its coverage stays within the weeks.
    span = (WINDOW - timedelta(days=3)) // timedelta(minutes=1)
    result = [stats_page()]
    for number, (company, kind) in enumerate(events):
        if not layouts:
            break
        # Golden-ratio steps spread the stories evenly over the weeks, whatever their number.
        share = (number * 0.618034 + rng.random() / 20) % 1
        moment = WINDOW_START + timedelta(minutes=int(share * span))
        if number == 0:
            moment = datetime(2020, 6, 12, 14, 5, tzinfo=UTC)
        # Companies announce on working days: Saturday and Sunday become Monday.
        if moment.weekday() > 4:
            moment += timedelta(days=7 - moment.weekday())
        size = rng.choice((1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 11, 13))
        story = sampler.story(company, kind, moment, size)
        # Most stories are in the feed once; some through two or three outlets.
        in_feed = rng.choice((1, 1, 1, 1, 1, 1, 2, 2, 3))
        for index in range(min(size, in_feed, len(layouts))):
            layout = layouts.pop()
            if layout == "classic":
                result.append(sampler.classic(story, index))
                continue
            article = (
                sampler.video(story, index) if layout == "video" else sampler.sourced(story, index)
            )
            if crlf.pop() == "crlf":
                # A pipeline on Windows: the same text with CRLF line ends, kept by newsfeed.
                article = newsfeed.loads(newsfeed.dumps(article).replace("\n", "\r\n"))
            result.append(article)
    return result


def generate(folder: Path) -> list[Path]:
    """Write the sample articles into *folder*, with the reference samples; return the files."""
    paths = newsfeed.dump_dir(articles(), folder)
    for name in SEEDS:
        if folder.resolve() != DATA:
            shutil.copyfile(DATA / name, folder / name)
        paths.append(folder / name)
    return paths


def stale_files(folder: Path) -> list[str]:
    """Return the names of the files in *folder* that differ from a fresh generation."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch)
        generate(fresh)
        names = {path.name for path in fresh.glob("*.md")} | {p.name for p in folder.glob("*.md")}
        _, mismatch, errors = filecmp.cmpfiles(fresh, folder, sorted(names), shallow=False)
    return sorted(mismatch + errors)


def main(argv: list[str] | None = None) -> int:
    """Regenerate the samples, or with ``--check`` report whether they are stale."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DATA, help="(examples/data)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    options = parser.parse_args(argv)
    if options.check:
        stale = stale_files(options.folder)
        for name in stale:
            print(f"{options.folder / name}: differs from a fresh generation")
        if stale:
            print(f"{len(stale)} stale files; run: python examples/make_sample_data.py")
        else:
            print("the sample data is up to date")
        return 1 if stale else 0
    folder: Path = options.folder
    if folder.resolve() == DATA:
        for old in DATA.glob("*.md"):
            if old.name not in SEEDS:
                old.unlink()
    elif folder.exists() and any(folder.iterdir()):
        parser.error(f"{folder} is not empty; give a new folder (or none, for examples/data)")
    paths = generate(folder)
    print(f"wrote {len(paths)} files to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
