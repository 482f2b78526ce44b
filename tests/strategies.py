"""Hypothesis strategies for newsfeed's tests: articles built in code, their text, and mutants.

Import them as ``from strategies import articles`` (pytest puts ``tests/`` on the
path). Every article these strategies build can be written by
:func:`newsfeed.dumps`: strings hold no lone surrogates, offsets are whole
minutes, integers are small enough to print, and unknown keys never repeat a
key the model knows.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs
from hypothesis import strategies as st

import newsfeed
from newsfeed._format import scalars
from newsfeed._format.schema import ARTICLE, IMAGE, PROVIDER, RELATED, Schema

__all__ = [
    "SAMPLE_PATHS",
    "YAML_SNIPPETS",
    "articles",
    "aware_datetimes",
    "beyond_json_values",
    "bodies",
    "canonical_texts",
    "extras",
    "filter_criteria",
    "images",
    "json_values",
    "located_articles",
    "mutated_bytes",
    "mutated_texts",
    "near_canonical_texts",
    "offsets",
    "plain_texts",
    "providers",
    "related_articles",
    "texts",
    "titles",
    "urls",
]

#: The reference files every byte-for-byte test starts from: the seeds.
SAMPLE_PATHS: Final = tuple(sorted((Path(__file__).parent / "fixtures").glob("*.md")))
#: Files as published, copied byte for byte (CRLF kept).
REAL_PATHS: Final = tuple(sorted((Path(__file__).parent / "fixtures" / "real").glob("*.md")))

#: Characters a writer most easily gets wrong: YAML indicators, quotes and the
#: backslash, curly quotes, emoji, CJK, and characters YAML must escape.
TRICKY_CHARACTERS: Final = (
    '"',
    "\\",
    ":",
    "#",
    "'",
    "-",
    "?",
    ",",
    "[",
    "]",
    "{",
    "}",
    "&",
    "*",
    "!",
    "|",
    ">",
    "%",
    "@",
    "`",
    " ",
    "\u2018",  # curly quotes: left and right, single and double
    "\u2019",
    "\u201c",
    "\u201d",
    "\U0001f600",  # an emoji outside the Basic Multilingual Plane
    "\u200d",  # the zero-width joiner of composed emoji
    "中",
    "文",
    "語",
    "é",
    "\t",
    "\n",
    "\r",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",  # NEL, a line break in YAML 1.1
    "\xa0",
    "\u2028",  # LS
    "\u2029",  # PS
    "\ufeff",  # a byte-order mark inside a value
)

#: Pieces of text to combine: words, and what is hard in one character or several.
TRICKY_FRAGMENTS: Final = (
    *TRICKY_CHARACTERS,
    "Amazon",
    " bans ",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # a family: emoji joined by ZWJ
    "亚马逊",
    "日本語",
    ": ",
    " #",
    "\\n",
    '\\"',
)

#: Whole strings YAML reads as something other than that string when unquoted.
YAML_LOOKALIKES: Final = (
    "",
    " ",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "0",
    "-1",
    "+1",
    "1_000",
    "0x1F",
    "0o17",
    "017",
    "1.5",
    "1e3",
    "1.0e+3",
    ".inf",
    "-.Inf",
    ".nan",
    "1:20",  # a sexagesimal integer in YAML 1.1
    "1:20.5",
    "2020-06-11",
    "2020-06-11T12:02:00Z",
    "2020-06-11 12:02:00 -07:00",
    "<<",
    "=",
    "-",
    "- a",
    "? a",
    "a: b",
    "a:",
    "a #b",
    "#a",
    "a#b",
    "C#",
    "'quoted'",
    '"quoted"',
    "[a, b]",
    "{a: b}",
    "&anchor",
    "*alias",
    "!tag",
    "!!python/object:os.system",
    "|",
    ">",
    "%YAML",
    "@at",
    "`tick`",
    "---",
    "...",
    "... x",  # a document end marker, if it starts a line
    " leading",
    "trailing ",
    "two  spaces",
    "it's",
    "AWS AI",
    "Tech.co",
)

#: Fragments of YAML spliced into sample files by the fuzz tests.
YAML_SNIPPETS: Final = (
    *YAML_LOOKALIKES,
    "&a ",
    "*a",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGk=",
    "!!set {a}",
    "!custom ",
    "<<: {a: 1}",
    "<<: *a",
    "[" * 80,
    "{a: " * 70,
    ": ",
    "- ",
    "\n- ",
    "\n  ",
    "\n    x: 1\n",
    "\nx: 1\n",
    "\ntitle: again\n",
    "\n---\n",
    "\n...\n",
    "\n--- x\n",
    "\n%YAML 1.1\n",
    "? [a]\n: b\n",
    "5: five\n",
    "|\n  block\n",
    ">-\n  folded\n",
    '"\\x',
    '"\\u12',
    "\\",
    "\t",
    "\r\n",
    "\r",
    "\x00",
    "\x85",
    "\ufeff",
    "9" * 5000,
    "2020-13-45T99:99:99Z",
    "2020-06-11T12:02:00+99:00",
)

_TEXT_ALPHABET: Final = st.one_of(
    st.characters(codec="utf-8"),
    # Unicode digits and spaces: what str.isdigit() and YAML's own notion of
    # a digit or a space disagree about.
    st.characters(categories=["Nd", "Zs"]),
    st.sampled_from(TRICKY_CHARACTERS),
)


def texts(*, min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Generate any valid Unicode text, weighted towards what YAML and the writer find hard."""
    return st.one_of(
        st.text(_TEXT_ALPHABET, min_size=min_size, max_size=max_size),
        st.sampled_from([s for s in YAML_LOOKALIKES if min_size <= len(s) <= max_size]),
        st.lists(st.sampled_from(TRICKY_FRAGMENTS), min_size=1, max_size=4)
        .map("".join)
        .filter(lambda text: min_size <= len(text) <= max_size),
    )


def titles() -> st.SearchStrategy[str]:
    """Titles and excerpts (always double-quoted in the file)."""
    return st.one_of(
        texts(max_size=80),
        st.lists(st.sampled_from(TRICKY_FRAGMENTS), max_size=12).map(" ".join),
    )


def plain_texts() -> st.SearchStrategy[str]:
    """Values the layout writes plain when it can (category, type, names, topics)."""
    return st.one_of(
        st.sampled_from(("news", "article", "AI", "AWS AI", "Computer Vision", "nasdaq.com")),
        texts(max_size=24),
    )


def urls() -> st.SearchStrategy[str]:
    """Links: realistic ones, and any text, since the format does not check them."""
    path = st.text(st.sampled_from("abcxyz0123456789-_/?=&%#:.~"), max_size=30)
    host = st.sampled_from(("www.nasdaq.com", "tech.co", "例え.jp", "a-b.cdn.ampproject.org"))
    realistic = st.builds("https://{}/{}".format, host, path)
    return st.one_of(realistic, texts(max_size=30))


def offsets() -> st.SearchStrategy[timezone]:
    """UTC offsets a file can write: whole minutes, with the usual ones often."""
    return st.one_of(
        st.sampled_from(
            (UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5, minutes=30)))
        ),
        st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
            lambda minutes: timezone(timedelta(minutes=minutes))
        ),
    )


def aware_datetimes() -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes with a whole-minute offset, sometimes with microseconds."""
    whole_seconds = st.datetimes(timezones=offsets()).map(
        lambda value: value.replace(microsecond=0)
    )
    return st.one_of(whole_seconds, st.datetimes(timezones=offsets()))


_SCALARS: Final = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),  # NaN is the one value not equal to itself
    texts(max_size=20),
)


def json_values() -> st.SearchStrategy[Any]:
    """JSON-like data of unknown keys: scalars, lists and string-keyed mappings, nested."""
    return st.recursive(
        _SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(texts(max_size=10), children, max_size=3),
        ),
        max_leaves=8,
    )


def extras(*, known: Schema) -> st.SearchStrategy[dict[str, Any]]:
    """Unknown keys for a mapping whose known keys are those of *known*."""
    taken = frozenset(known.by_key)
    names = st.one_of(
        st.sampled_from(("locale", "tags", "updated", "logo", "id", "score")),
        texts(max_size=12),
        # YAML's limit on an implicit key is 1024 characters.
        st.integers(min_value=1020, max_value=1030).map(lambda size: "k" * size),
    ).filter(lambda name: name not in taken)
    return st.dictionaries(names, json_values(), max_size=3)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _small_ints() -> st.SearchStrategy[int]:
    return st.one_of(st.integers(min_value=-1, max_value=100), st.integers())


def providers() -> st.SearchStrategy[newsfeed.Provider]:
    """Generate a ``provider``: name and domain each present or absent, maybe unknown keys."""
    return st.builds(
        newsfeed.Provider,
        name=_optional(plain_texts()),
        domain=_optional(plain_texts()),
        images=st.lists(images(), max_size=1).map(tuple),
        extra=extras(known=PROVIDER),
    )


def images() -> st.SearchStrategy[newsfeed.Image]:
    """Generate an image; only ``url`` is required."""
    return st.builds(
        newsfeed.Image,
        url=urls(),
        width=_optional(_small_ints()),
        height=_optional(_small_ints()),
        title=_optional(titles()),
        is_cached=_optional(st.booleans()),
        extra=extras(known=IMAGE),
    )


def related_articles() -> st.SearchStrategy[newsfeed.RelatedArticle]:
    """Generate a ``related`` item, often without images or optional keys."""
    return st.builds(
        newsfeed.RelatedArticle,
        title=titles(),
        excerpt=_optional(titles()),
        published_at=aware_datetimes(),
        web_url=urls(),
        amp_web_url=_optional(urls()),
        cdn_amp_web_url=_optional(urls()),
        type=_optional(plain_texts()),
        provider=_optional(providers()),
        quality=_optional(_small_ints()),
        images=st.lists(images(), max_size=2).map(tuple),
        extra=extras(known=RELATED),
    ).flatmap(_often_cached)


_Linked = TypeVar("_Linked", newsfeed.Article, newsfeed.RelatedArticle)


def amp_cache_url(amp_web_url: str) -> str:
    """Return the link under which Google's AMP cache serves *amp_web_url*, as files have it."""
    scheme, _, rest = amp_web_url.partition("://")
    host, slash, path = rest.partition("/")
    cache_host = host.replace("-", "--").replace(".", "-")
    secure = "s/" if scheme == "https" else ""
    return f"https://{cache_host}.cdn.ampproject.org/c/{secure}{host}{slash}{path}"


def _often_cached(value: _Linked) -> st.SearchStrategy[_Linked]:
    """Keep *value*, or, half the time, give it an AMP link and the derived cache link."""
    amp_links = st.builds(
        "https://{}/{}".format,
        st.sampled_from(("amp.nasdaq.com", "www.tech-co.uk", "例え.jp", "amp.x.org:8080")),
        st.text(st.sampled_from("abcxyz0123456789-_/?=&%#:.~"), max_size=30),
    )
    cached = amp_links.map(
        lambda amp: attrs.evolve(value, amp_web_url=amp, cdn_amp_web_url=amp_cache_url(amp))
    )
    return st.one_of(st.just(value), cached)


def bodies() -> st.SearchStrategy[str]:
    """Markdown bodies: empty (as in the samples), prose, or any text, fences included."""
    return st.one_of(
        st.just(""),
        st.sampled_from(("Body.\n", "# Heading\n\nText with `code`.\n", "---\nnot a fence\n")),
        st.text(_TEXT_ALPHABET, max_size=60),
    )


def articles() -> st.SearchStrategy[newsfeed.Article]:
    """Generate an article as built in code: optional keys absent or present, lists maybe empty."""
    return st.builds(
        _article_with_a_link,
        fallback_url=urls(),
        category=_optional(plain_texts()),
        title=titles(),
        excerpt=_optional(titles()),
        published_at=aware_datetimes(),
        updated_at=_optional(aware_datetimes()),
        original_url=_optional(urls()),
        web_url=_optional(urls()),
        amp_web_url=_optional(urls()),
        cdn_amp_web_url=_optional(urls()),
        type=_optional(plain_texts()),
        quality=_optional(_small_ints()),
        heat=_optional(_small_ints()),
        published=_optional(st.booleans()),
        featured_content=_optional(titles()),
        provider=_optional(providers()),
        topics=st.lists(plain_texts(), max_size=3).map(tuple),
        images=st.lists(images(), max_size=1).map(tuple),
        related=st.lists(related_articles(), max_size=3).map(tuple),
        secured=_optional(texts(max_size=60)),
        extra=extras(known=ARTICLE),
        body=bodies(),
    ).flatmap(_often_cached)


def _article_with_a_link(*, fallback_url: str, **values: Any) -> newsfeed.Article:
    """Build an article, with *fallback_url* as web_url when it has no link: it needs one."""
    if values["web_url"] is None and values["original_url"] is None:
        values["web_url"] = fallback_url
    return newsfeed.Article(**values)


def beyond_json_values() -> st.SearchStrategy[Any]:
    """Values of unknown keys that JSON has no type for: timestamps, dates, infinities.

    Also mappings that look like the tags an export uses for those
    (``{"$date": ...}``), and lists and mappings holding any of them.
    """
    leaves = st.one_of(
        st.datetimes(timezones=st.one_of(st.none(), offsets())),
        st.dates(),
        st.sampled_from((float("inf"), float("-inf"))),
        st.dictionaries(
            st.sampled_from(("$timestamp", "$date", "$float", "$mapping", "$other")),
            json_values(),
            min_size=1,
            max_size=2,
        ),
        json_values(),
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(texts(max_size=10), children, max_size=3),
        ),
        max_leaves=6,
    )


@st.composite
def located_articles(draw: st.DrawFn) -> newsfeed.Article:
    """Articles with a ``path`` (or none) and, among their unknown keys, values beyond JSON."""
    article = draw(_ARTICLES)
    more = draw(_BEYOND_JSON_EXTRAS)
    return attrs.evolve(article, path=draw(_PATHS), extra={**article.extra, **more})


def canonical_texts() -> st.SearchStrategy[str]:
    """File text in the canonical layout: what :func:`newsfeed.dumps` writes."""
    return articles().map(newsfeed.dumps)


def _sample_texts() -> st.SearchStrategy[str]:
    return st.sampled_from([path.read_text(encoding="utf-8") for path in SAMPLE_PATHS])


_STRUCTURE: Final = re.compile(r"\n|: ")
_STRUCTURE_BYTES: Final = re.compile(rb"\n|: ")


def _positions(text: str | bytes) -> st.SearchStrategy[int]:
    """Anywhere, but often where YAML's structure is: a line's start, or a value's."""
    matches = (
        _STRUCTURE.finditer(text) if isinstance(text, str) else _STRUCTURE_BYTES.finditer(text)
    )
    structural = [0, len(text), *(match.end() for match in matches)]
    return st.one_of(st.integers(min_value=0, max_value=len(text)), st.sampled_from(structural))


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """Mutate a sample file: insert, delete or replace a few characters, or splice in YAML."""
    text = draw(_sample_texts())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        start = draw(_positions(text))
        end = draw(st.integers(min_value=start, max_value=min(len(text), start + 40)))
        new = draw(st.one_of(st.just(""), st.sampled_from(YAML_SNIPPETS), texts(max_size=4)))
        text = text[:start] + new + text[end:]
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    """Mutate a sample file's bytes: insert, delete or replace a few (often breaking UTF-8)."""
    data = draw(_sample_texts()).encode("utf-8")
    snippets = st.sampled_from([snippet.encode("utf-8") for snippet in YAML_SNIPPETS])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        start = draw(_positions(data))
        end = draw(st.integers(min_value=start, max_value=min(len(data), start + 8)))
        new = draw(st.one_of(st.binary(max_size=4), snippets))
        data = data[:start] + new + data[end:]
    return data


def _indent(draw: st.DrawFn, lines: list[str], index: int) -> None:
    lines[index] = " " * draw(st.integers(1, 2)) + lines[index]


def _dedent(draw: st.DrawFn, lines: list[str], index: int) -> None:
    lines[index] = lines[index].removeprefix(" " * draw(st.integers(1, 2)))


def _drop(_draw: st.DrawFn, lines: list[str], index: int) -> None:
    del lines[index]


def _duplicate(_draw: st.DrawFn, lines: list[str], index: int) -> None:
    lines.insert(index, lines[index])


def _swap(draw: st.DrawFn, lines: list[str], index: int) -> None:
    other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    lines[index], lines[other] = lines[other], lines[index]


def _splice(draw: st.DrawFn, lines: list[str], index: int) -> None:
    lines.insert(index, draw(st.sampled_from(YAML_SNIPPETS)).strip("\n"))


def _new_value(draw: st.DrawFn, lines: list[str], index: int) -> None:
    head, _, _ = lines[index].partition(": ")
    lines[index] = f"{head}: {draw(_NEW_VALUES)}"


def _new_character(draw: st.DrawFn, lines: list[str], index: int) -> None:
    line = lines[index]
    position = draw(st.integers(min_value=0, max_value=len(line)))
    new = draw(st.one_of(st.sampled_from(TRICKY_CHARACTERS), st.just("")))
    lines[index] = line[:position] + new + line[position + 1 :]


def _comment(draw: st.DrawFn, lines: list[str], index: int) -> None:
    lines[index] += draw(st.sampled_from((" # note", "#x", "  ", "\t", "\r")))


def _blank(draw: st.DrawFn, lines: list[str], index: int) -> None:
    lines.insert(index, draw(st.sampled_from(("", " ", "  "))))


# Built once: building a strategy as big as articles() on every draw costs
# a tenth of a second of Hypothesis' validation each time.
_ARTICLES: Final = articles()
_BEYOND_JSON_EXTRAS: Final = st.dictionaries(
    st.sampled_from(("reviewedDateTime", "date", "score", "nested")),
    beyond_json_values(),
    max_size=3,
)
_PATHS: Final = st.one_of(
    st.none(),
    st.builds(Path, st.sampled_from(("a.md", "news/2020/x.md", "/srv/site/_news/é.md"))),
)
_NEW_VALUES: Final = st.one_of(st.sampled_from(YAML_SNIPPETS), texts(max_size=8))
_NEAR_CANONICAL_SOURCES: Final = st.one_of(canonical_texts(), _sample_texts())

#: Small edits of one line that keep a file almost canonical: what a hand
#: edit, another tool or a fuzzer does to it.
_LINE_EDITS: Final = (
    _indent,
    _dedent,
    _drop,
    _duplicate,
    _swap,
    _splice,
    _new_value,
    _new_character,
    _comment,
    _blank,
)


@st.composite
def near_canonical_texts(draw: st.DrawFn) -> str:
    """Mutate a canonical file line by line: re-indent, drop, repeat, swap or edit a few lines.

    The edits stay close to the layout (a space more or less, a line moved, a
    value swapped for a YAML lookalike), which is where a reader of that
    layout is most easily fooled.
    """
    lines = draw(_NEAR_CANONICAL_SOURCES).split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        draw(st.sampled_from(_LINE_EDITS))(draw, lines, index)
        if not lines:
            lines.append("")
    return "\n".join(lines)


#: Values an adversarial run found to crash, hang or change on the YAML path.
HOSTILE_VALUES: Final = (
    "!!bool maybe",
    "!!timestamp x",
    '!!int ""',
    '!!float "-"',
    '!!null "important text"',
    "!",
    "1" + ":1" * 2000,
    "0x" + "f" * 4000,
    "0" + "7" * 5000,
    "9" * 4301,
    "2020-01-01T00:00:00.1234567Z",
    '"\\U00110000"',
    '"\\ud800"',
    "a\x07b",
    "a\rb\x85c\u2028d\u2029e",
)


@st.composite
def hostile_files(draw: st.DrawFn) -> bytes:
    """Random bytes, fenced or not, or a sample file with hostile values or mutations."""
    choice = draw(st.integers(min_value=0, max_value=3))
    if choice == 0:
        noise = draw(st.binary(max_size=300))
        return draw(st.sampled_from([noise, b"---\n" + noise + b"\n---\n"]))
    if choice == 1:
        return draw(mutated_bytes())
    text = draw(mutated_texts()) if choice == 2 else draw(_sample_texts())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        start = draw(_positions(text))
        text = text[:start] + draw(st.sampled_from(HOSTILE_VALUES)) + text[start:]
    return text.encode("utf-8", "surrogatepass")


def _case_variants(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from((text, text.upper(), text.lower(), text.swapcase()))


def _provider_queries(articles: list[newsfeed.Article]) -> st.SearchStrategy[str]:
    """Names, domains and parent domains of the articles' providers, in any case, or any text."""
    known: list[str] = []
    for article in articles:
        if article.provider is None:
            continue
        if article.provider.name:
            known.append(article.provider.name)
        if article.provider.domain:
            labels = article.provider.domain.split(".")
            known.extend(".".join(labels[start:]) for start in range(len(labels)))
    found = [text for text in known if text.strip()]
    anything = plain_texts().filter(lambda text: bool(text.strip()))
    if not found:
        return anything
    return st.one_of(st.sampled_from(found).flatmap(_case_variants), anything)


def _topic_queries(articles: list[newsfeed.Article]) -> st.SearchStrategy[str]:
    found = [topic for article in articles for topic in article.topics if topic.strip()]
    anything = plain_texts().filter(lambda text: bool(text.strip()))
    if not found:
        return anything
    return st.one_of(st.sampled_from(found).flatmap(_case_variants), anything)


def _one_or_several(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, st.lists(strategy, min_size=1, max_size=3))


def _even_title(article: newsfeed.Article) -> bool:
    return len(article.title) % 2 == 0


@st.composite
def filter_criteria(draw: st.DrawFn, articles: list[newsfeed.Article]) -> dict[str, Any]:
    """Keyword arguments for ``Feed.filter``, drawn to hit the values *articles* hold.

    Instants are often the articles' own (the inclusive and exclusive
    edges), quality bounds often their qualities (ints, floats, infinities),
    providers their names, domains and parent domains, and topics their
    topics, in changed case. Any criterion may be absent; ``until`` may come
    before ``since``, which is a QueryError.
    """
    stamps = [article.published_at for article in articles]
    instants = (
        st.one_of(aware_datetimes(), st.sampled_from(stamps)) if stamps else aware_datetimes()
    )
    qualities = [article.quality for article in articles if article.quality is not None]
    bounds = st.one_of(
        st.integers(min_value=-5, max_value=105),
        st.floats(allow_nan=False),
        *([st.sampled_from(qualities)] if qualities else []),
    )
    options: dict[str, st.SearchStrategy[Any]] = {
        "since": instants,
        "until": instants,
        "min_quality": bounds,
        "max_quality": bounds,
        "provider": _one_or_several(_provider_queries(articles)),
        "topic": _one_or_several(_topic_queries(articles)),
        "published": st.booleans(),
        "where": st.just(_even_title),
    }
    criteria = {}
    for name, strategy in options.items():
        if draw(st.booleans()):
            criteria[name] = draw(strategy)
    return criteria


# ---------------------------------------------------------------------------
# Files in the subset of YAML the fast reader reads, in random layouts.

#: What the subset's generator writes: front matter in block style with one-line
#: scalars, in any key order, with unknown keys, comments and blank lines, two-
#: or four-space indentation, list items indented or not, every quoting style,
#: CRLF or LF, a BOM or not, and each way of closing the front matter.
_COMMENTS: Final = st.one_of(
    st.sampled_from(("# a note", "#", "# ---", "# key: value", '# "quoted"', "# 中文")),
    # Letters, digits, punctuation and symbols are printable; Unicode spaces
    # other than " " are not, and YAML may read some of them as line breaks.
    st.text(st.one_of(st.characters(categories=["L", "N", "P", "S"]), st.just(" ")), max_size=12)
    .filter(str.isprintable)
    .map("# {}".format),
)
_UNKNOWN_KEYS: Final = st.from_regex(r"[a-z][A-Za-z0-9_-]{0,8}", fullmatch=True)
_SHARED_TEXTS: Final = st.sampled_from(("AI", "AWS AI", "Power Apps", "news", "video", "x.com"))


def _one_line_texts() -> st.SearchStrategy[str]:
    return st.one_of(_SHARED_TEXTS, texts(max_size=30))


class _Emitter:
    """Writes plain data as block YAML, each choice of layout drawn at random."""

    def __init__(self, draw: st.DrawFn, *, step: int, offset: int) -> None:
        self.draw = draw
        self.step = step
        self.offset = offset
        self.lines: list[str] = []

    def trivia(self, indent: int) -> None:
        for _ in range(self.draw(st.integers(0, 2))):
            if self.draw(st.integers(0, 3)) == 0:
                pad = " " * self.draw(st.sampled_from((0, indent)))
                self.lines.append(pad + self.draw(_COMMENTS))
            elif self.draw(st.integers(0, 3)) == 0:
                self.lines.append("")

    def comment(self) -> str:
        if self.draw(st.integers(0, 5)):
            return ""
        return " " * self.draw(st.integers(1, 3)) + self.draw(_COMMENTS)

    def scalar(self, value: object, *, in_flow: bool = False) -> str:
        if value is True or value is False:
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, datetime):
            return scalars.write_timestamp(value)
        assert isinstance(value, str)
        styles = ["double"]
        if scalars.is_plain_safe(value):
            styles.append("plain")
        if scalars.single_allows(value):
            styles.append("single")
        if in_flow:
            # Escapes in flow lists are left to the safe path: not in the subset.
            styles = [style for style in styles if style != "double"] or styles
        return scalars.write_str(value, self.draw(st.sampled_from(styles)))

    def mapping(self, data: dict[str, Any], indent: int, *, first_prefix: str = "") -> None:
        """Write *data*'s entries at *indent*; the first one after *first_prefix* (a dash)."""
        keys = self.draw(st.permutations(list(data)))
        for index, key in enumerate(keys):
            value = data[key]
            if index or not first_prefix:
                self.trivia(indent)
                head = " " * indent + key + ":"
            else:
                head = first_prefix + key + ":"
            if isinstance(value, dict):
                self.lines.append(head + self.comment())
                self.mapping(value, indent + self.step)
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                self.lines.append(head + self.comment())
                self.sequence(value, indent + self.offset)
            elif isinstance(value, list):
                if self.draw(st.booleans()) and all(
                    "\\" not in self.scalar(item, in_flow=True) for item in value
                ):
                    items = ", ".join(self.scalar(item, in_flow=True) for item in value)
                    self.lines.append(f"{head} [{items}]{self.comment()}")
                else:
                    self.lines.append(head + self.comment())
                    self.sequence(value, indent + self.offset)
            else:
                separator = self.draw(st.sampled_from((" ", " ", " ", "  ")))
                self.lines.append(f"{head}{separator}{self.scalar(value)}{self.comment()}")

    def sequence(self, items: list[Any], dash: int) -> None:
        for item in items:
            self.trivia(dash)
            if isinstance(item, dict):
                self.mapping(item, dash + 2, first_prefix=" " * dash + "- ")
            else:
                self.lines.append(f"{' ' * dash}- {self.scalar(item)}{self.comment()}")


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(strategy) if draw(st.booleans()) else None


#: Integers of up to 18 digits: longer ones are the safe path's to read.
_SUBSET_INTS: Final = st.integers(-(10**18) + 1, 10**18 - 1)


def _subset_image(draw: st.DrawFn) -> dict[str, Any]:
    image: dict[str, Any] = {"url": draw(urls())}
    for key, strategy in (
        ("width", _SUBSET_INTS),
        ("height", _SUBSET_INTS),
        ("title", titles()),
        ("isCached", st.booleans()),
    ):
        value = _maybe(draw, strategy)
        if value is not None:
            image[key] = value
    return image


def _subset_provider(draw: st.DrawFn) -> dict[str, Any]:
    provider: dict[str, Any] = {"name": draw(_one_line_texts())}
    if draw(st.booleans()):
        provider["domain"] = draw(_one_line_texts())
    if draw(st.integers(0, 3)) == 0:
        provider["images"] = [_subset_image(draw)]
    return provider


def _subset_extras(draw: st.DrawFn, known: Schema) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for _ in range(draw(st.integers(0, 2))):
        key = draw(_UNKNOWN_KEYS)
        if key in known.by_key or key in extra or not scalars.is_plain_safe(key):
            continue
        extra[key] = draw(
            st.one_of(
                _one_line_texts(),
                _SUBSET_INTS,
                st.booleans(),
                aware_datetimes().map(lambda value: value.replace(microsecond=0)),
                st.lists(_one_line_texts(), min_size=1, max_size=3),
                st.dictionaries(
                    st.sampled_from(("a", "b", "c")), _one_line_texts(), min_size=1, max_size=2
                ),
            )
        )
    return extra


def _subset_related(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {
        "title": draw(titles()),
        "publishedDateTime": draw(aware_datetimes()),
        "webUrl": draw(urls()),
    }
    for key, strategy in (
        ("excerpt", titles()),
        ("ampWebUrl", urls()),
        ("type", _one_line_texts()),
        ("quality", _SUBSET_INTS),
    ):
        value = _maybe(draw, strategy)
        if value is not None:
            item[key] = value
    if draw(st.booleans()):
        item["provider"] = _subset_provider(draw)
    if draw(st.booleans()):
        item["images"] = [_subset_image(draw) for _ in range(draw(st.integers(1, 2)))]
    item.update(_subset_extras(draw, RELATED))
    return item


def _subset_data(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": draw(titles()),
        "publishedDateTime": draw(aware_datetimes()),
    }
    links = draw(st.sampled_from((("webUrl",), ("originalUrl",), ("originalUrl", "webUrl"))))
    data.update((key, draw(urls())) for key in links)
    for key, strategy in (
        ("category", _one_line_texts()),
        ("excerpt", titles()),
        ("updatedDateTime", aware_datetimes()),
        ("ampWebUrl", urls()),
        ("type", _one_line_texts()),
        ("quality", _SUBSET_INTS),
        ("heat", _SUBSET_INTS),
        ("published", st.booleans()),
        ("featuredContent", titles()),
        ("secured", texts(max_size=40)),
    ):
        value = _maybe(draw, strategy)
        if value is not None:
            data[key] = value
    if draw(st.booleans()):
        data["provider"] = _subset_provider(draw)
    if draw(st.booleans()):
        data["topics"] = draw(st.lists(_one_line_texts(), min_size=1, max_size=4))
    if draw(st.integers(0, 2)) == 0:
        data["images"] = [_subset_image(draw)]
    if draw(st.booleans()):
        data["related"] = [_subset_related(draw) for _ in range(draw(st.integers(1, 3)))]
    data.update(_subset_extras(draw, ARTICLE))
    return data


@st.composite
def subset_texts(draw: st.DrawFn) -> str:
    """Generate a valid article file in the subset the fast reader reads, in a random layout."""
    step = draw(st.sampled_from((2, 4)))
    emitter = _Emitter(draw, step=step, offset=draw(st.sampled_from((0, step))))
    emitter.mapping(_subset_data(draw), 0)
    emitter.trivia(0)
    newline = draw(st.sampled_from(("\n", "\r\n")))
    bom = "\ufeff" if draw(st.integers(0, 4)) == 0 else ""
    body = draw(st.sampled_from(("", "", "Body.\n", "# Heading\n\ntext\n")))
    if body:
        ending = draw(st.sampled_from(("---\n\n", "---\n"))) + body
    else:
        ending = draw(st.sampled_from(("---\n\n", "---\n", "---")))
    front = "".join(line + "\n" for line in emitter.lines)
    return bom + ("---\n" + front + ending).replace("\n", newline)
