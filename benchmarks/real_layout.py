"""Generate a corpus shaped like the files the news pipeline really published.

The canonical corpus (``corpus.py``) is what newsfeed itself writes. Real
folders (Jekyll ``_news/`` folders filled in 2019-2023) differ, and this
module writes files the way they do, as text, without going through
newsfeed (whose model does not know every key yet):

- four site layouts, drawn per file: a *classic* one (``webUrl``, sometimes
  ``ampWebUrl``/``cdnAmpWebUrl``, ``heat: -1``, long ``related`` lists), a
  *sourced* one (``originalUrl`` before ``webUrl``, ``provider.images``,
  top-level ``images`` with ``isCached``, ``quality`` equal to ``heat``;
  a fifth of its entries are videos with only ``originalUrl`` and a
  ``featuredContent`` iframe), a *minimal* one (no ``quality``, ``heat``
  nor ``published``), and rare ``stats`` pages (``updatedDateTime``, an
  image ``title``, an empty line before the closing fence and none after
  it, an HTML body);
- CRLF line ends in about half of the sourced files (a fifth of all files);
- ``related`` lists of 0 to 39 items, and now and then (about one file in
  3,000) a huge one of hundreds, as in real corpora;
- quality from 30 to 189, or absent; about one file in 250 with a null item
  (``  - `` alone) in ``topics``;
- a Markdown body in about a quarter of the files;
- names ``YYYY-MM-DD-slug.md`` (stats pages: ``region-slug.md``).

Everything comes from one seeded :class:`random.Random`: a seed and a count
give the same files, byte for byte. The text is generated from the
vocabularies of ``corpus.py``, not copied from real files.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from corpus import PROVIDERS, SENTENCES, TOPICS, _slug, _Story

__all__ = ["generate", "texts"]

#: The site layouts, and the share of each in the corpus.
LAYOUTS: Final = ("classic", "sourced", "minimal", "stats")
LAYOUT_WEIGHTS: Final = (35, 50, 13, 2)
#: How many related stories a classic or sourced file has, and the weights.
RELATED_COUNTS: Final = (0, 1, 2, 3, 5, 8, 12, 20, 30, 39)
RELATED_WEIGHTS: Final = (40, 10, 10, 8, 8, 7, 6, 5, 4, 2)
REGIONS: Final = (
    "North Shore",
    "Lakeside County",
    "Bay Region",
    "Upper Valley",
    "Central Plains",
    "Harbor District",
    "Eastern Highlands",
    "Southern Coast",
    "Capital Territory",
    "River Delta",
)
IMAGE_SIZES: Final = ((1280, 720), (1200, 630), (1600, 1600), (1024, 714), (900, 564), (400, 400))
_VIDEO_ID_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _quoted(text: str) -> str:
    """Return *text* as a YAML double-quoted scalar, escaping what YAML requires."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _RealStory(_Story):
    """Draws one real-layout file, as a list of lines and a name."""

    def when(self) -> datetime:
        seconds = timedelta(seconds=self.rng.randrange(60))
        return self.moment().astimezone(UTC) + seconds

    def site_image(self, domain: str) -> list[str]:
        return [
            f'    - url: "https://assets.news-sites.example/organizations/{domain}-50x50.jpg"',
            "      width: 50",
            "      height: 50",
        ]

    def provider_block(self, name: str, domain: str, *, with_images: bool) -> list[str]:
        lines = ["provider:", f"  name: {name}", f"  domain: {domain}"]
        if with_images:
            lines += ["  images:", *self.site_image(domain)]
        return lines

    def topics_block(self) -> list[str]:
        topics = self.rng.sample(TOPICS, self.rng.choice((1, 1, 2, 2, 3)))
        lines = ["topics:", *(f"  - {topic}" for topic in topics)]
        if self.chance(0.004):
            lines.insert(self.rng.randrange(1, len(lines) + 1), "  - ")
        return lines

    def image_block(self, url: str, *, title: str | None, indent: str) -> list[str]:
        width, height = self.rng.choice(IMAGE_SIZES)
        lines = [
            f'{indent}- url: "{url}"',
            f"{indent}  width: {width}",
            f"{indent}  height: {height}",
        ]
        if title is not None:
            lines.append(f"{indent}  title: {_quoted(title)}")
        else:
            lines.append(f"{indent}  isCached: true")
        return lines

    def related_items(self, count: int) -> list[str]:
        lines = []
        for _ in range(count):
            title = self.title()
            name, domain, host = self.rng.choice(PROVIDERS)
            links = self.links(host, title)
            lines += [
                f"  - title: {_quoted(title)}",
                f"    excerpt: {_quoted(self.excerpt())}",
                f"    publishedDateTime: {_stamp(self.when())}",
                f"    webUrl: {_quoted(links['web_url'])}",
            ]
            if "amp_web_url" in links and self.chance(0.3):
                lines.append(f"    ampWebUrl: {_quoted(links['amp_web_url'])}")
            lines += [
                "    type: article",
                "    provider:",
                f"      name: {name}",
                f"      domain: {domain}",
                f"    quality: {self.rng.randint(30, 100)}",
            ]
            if self.chance(0.7):
                digest = self.rng.randbytes(8).hex()
                url = f"https://{host}/media/{self.rng.randrange(2019, 2024)}/{digest}.jpg"
                lines += ["    images:", *self.image_block(url, title=None, indent="      ")[:-1]]
        return lines

    def related_count(self) -> int:
        if self.chance(0.0004):
            return self.rng.randrange(200, 400)
        return self.rng.choices(RELATED_COUNTS, RELATED_WEIGHTS)[0]

    def body(self) -> str:
        if not self.chance(0.25):
            return ""
        paragraphs = []
        for _ in range(self.rng.randrange(1, 6)):
            sentences = self.rng.sample(SENTENCES, self.rng.randrange(2, 6))
            paragraphs.append(" ".join(sentences))
        return "\n\n".join(paragraphs) + "\n"

    def video(self) -> tuple[str, str]:
        """Return a video's link and its embedding HTML (double quotes escaped when written)."""
        video_id = "".join(self.rng.choices(_VIDEO_ID_ALPHABET, k=11))
        html = (
            f'<iframe src="https://www.youtube.com/embed/{video_id}" width="800" height="450"'
            ' frameborder="0" allow="autoplay; encrypted-media; picture-in-picture"'
            " allowfullscreen></iframe>"
        )
        return f"https://youtube.com/watch?v={video_id}", html

    def stats_page(self) -> tuple[str, list[str], str]:
        region = self.rng.choice(REGIONS)
        name, domain, host = self.rng.choice(PROVIDERS)
        cases, deaths = self.rng.randrange(100, 90_000), self.rng.randrange(0, 3_000)
        title = f"{region} Coronavirus (COVID-19) Live Stats"
        when = self.when()
        lines = [
            "category: stats",
            f"title: {_quoted(title)}",
            f"excerpt: {_quoted(f'Live stats of COVID-19 in {region}. Total Cases: {cases}.')}",
            f"publishedDateTime: {_stamp(when)}",
            f"updatedDateTime: {_stamp(when + timedelta(hours=self.rng.randrange(48)))}",
            f"webUrl: {_quoted(f'https://{host}/apps/coronavirus/stats/{_slug(region)}/')}",
            "type: article",
            f"heat: {self.rng.randint(50, 150)}",
            "",
            *self.provider_block(name, domain, with_images=True),
            "",
            *self.topics_block(),
            "",
            "images:",
            *self.image_block(
                f"https://{host}/coronavirus/{_slug(region)}.jpg", title=title, indent="  "
            ),
            "",
        ]
        body = (
            '<div class="total-stats">\n'
            f"  <h3>Total confirmed cases: {cases}</h3>\n"
            f"  <h3>Total deaths: {deaths}</h3>\n"
            "</div>\n"
        )
        return _slug(region), lines, body

    def link_lines(self, layout: str, links: dict[str, str], video: str | None) -> list[str]:
        """Return the link lines and ``type``: a video has only its ``originalUrl``."""
        if video is not None:
            return [f"originalUrl: {_quoted(video)}", "type: video"]
        lines = [] if layout == "classic" else [f"originalUrl: {_quoted(links['web_url'])}"]
        lines.append(f"webUrl: {_quoted(links['web_url'])}")
        if layout == "classic" and "amp_web_url" in links and self.chance(0.4):
            lines.append(f"ampWebUrl: {_quoted(links['amp_web_url'])}")
            lines.append(f"cdnAmpWebUrl: {_quoted(links['cdn_amp_web_url'])}")
        return [*lines, "type: article"]

    def score_lines(self, layout: str, *, is_video: bool) -> list[str]:
        """Return ``quality``, ``heat`` and ``published``, as each layout has them, or none."""
        published = f"published: {'true' if self.chance(0.6) else 'false'}"
        if layout == "classic":
            return [f"quality: {self.rng.randint(30, 100)}", "heat: -1", published]
        if layout == "sourced" and self.chance(0.9):
            score = self.rng.randint(120, 189) if is_video else self.rng.randint(30, 100)
            return [f"quality: {score}", f"heat: {score}", published]
        return []

    def news_page(self, layout: str) -> tuple[str, list[str], str]:
        title = self.title()
        name, domain, host = self.rng.choice(PROVIDERS)
        when = self.when()
        video, featured = self.video() if layout == "sourced" and self.chance(0.2) else (None, None)
        lines = [
            "category: news",
            f"title: {_quoted(title)}",
            f"excerpt: {_quoted(self.excerpt())}",
            f"publishedDateTime: {_stamp(when)}",
            *self.link_lines(layout, self.links(host, title), video),
            *self.score_lines(layout, is_video=video is not None),
            "",
        ]
        if featured is not None:
            lines += [f"featuredContent: {_quoted(featured)}", ""]
        lines += [*self.provider_block(name, domain, with_images=layout != "classic"), ""]
        lines += [*self.topics_block(), ""]
        if layout == "sourced":
            if video is not None:
                image = f"https://i.ytimg.com/vi/{self.rng.randbytes(6).hex()}/maxresdefault.jpg"
            else:
                image = f"https://{host}/images/social/{self.rng.randbytes(6).hex()}.png"
            lines += ["images:", *self.image_block(image, title=None, indent="  "), ""]
        count = 0 if layout == "minimal" else self.related_count()
        if count:
            lines += ["related:", *self.related_items(count), ""]
        lines.append(f"secured: {_quoted(self.secured())}")
        return f"{when:%Y-%m-%d}-{_slug(title)[:80]}", lines, self.body()

    def file(self) -> tuple[str, str]:
        """Return one file's name stem and its text, with its line ends."""
        layout = self.rng.choices(LAYOUTS, LAYOUT_WEIGHTS)[0]
        if layout == "stats":
            stem, lines, body = self.stats_page()
            text = "\n".join(["---", *lines, "---", ""]) + body
        else:
            stem, lines, body = self.news_page(layout)
            text = "\n".join(["---", *lines, "---", "", ""]) + body
        if layout == "sourced" and self.chance(0.45):
            text = text.replace("\n", "\r\n")
        return stem, text


def texts(*, count: int, seed: int) -> Iterator[tuple[str, str]]:
    """Yield *count* (name stem, text) pairs, the same ones for the same *seed*."""
    story = _RealStory(random.Random(seed))
    for _ in range(count):
        yield story.file()


def generate(out_dir: str | Path, *, count: int, seed: int = 0) -> list[Path]:
    """Write *count* real-layout article files into *out_dir*; return their paths.

    The folder is created if needed. Two files whose names would clash get
    ``-2``, ``-3``, ... appended, as a site would.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    paths = []
    for stem, text in texts(count=count, seed=seed):
        name, clashes = f"{stem}.md", 1
        while name in taken:
            clashes += 1
            name = f"{stem}-{clashes}.md"
        taken.add(name)
        path = folder / name
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths
