"""The SQLite index against parsing the folder again: build, reload, filter, search.

On one corpus, with a database of its own in a temporary folder beside the
corpora (removed afterwards):

- *cold*: ``load_dir`` parsing every file, against the first
  ``Index(folder, db=...).update()``, which parses them and builds the
  database (one pass: it costs a few loads), and the database's size;
- *warm*: ``update()`` on the unchanged folder (checked to parse nothing),
  and ``index.load()`` against ``load_dir`` (issue 13: at least 4 times as
  fast on 100k unchanged files), and its peak RSS against ``load_dir``'s,
  each in a fresh process. The reloaded feed is checked to be the one
  ``load_dir`` gives: articles, order, paths, failures, and ``dumps`` of a
  sample, which shows the files' layouts came back too;
- ``index.filter`` against ``Feed.filter`` on the loaded feed, for the
  criteria of the Feed-vs-pandas queries, checked to give the same articles;
- ``index.search`` for a common word and a rare one of the corpus, and one
  with a provider as well, its matches checked against a scan of the feed's
  text in Python (what the scan costs is printed beside).

A check that fails fails the run; a missed target does not.
"""

from __future__ import annotations

import gc
import random
import re
import shutil
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, Final

from harness import MIB, Corpus, Report, Target, best, spread
from memory import in_child
from queries import QueryCriteria

import newsfeed

__all__ = ["measure_index"]

INDEX_LOAD_TARGET: Final = Target(4.0, "issue 13")
#: How many results each timed search returns, as ``Index.search`` does by default.
SEARCH_LIMIT: Final = 20
#: Articles whose ``dumps`` is compared, and whose words make the vocabulary.
SAMPLE: Final = 1000
#: The run of characters SQLite's unicode61 tokenizer takes as one word
#: (letters and digits); anything else separates words.
_WORD: Final = re.compile(r"[^\W_]+")


def measure_index(report: Report, corpus: Corpus, repeat: int) -> None:
    """Time the index on *corpus* against parsing and against a Feed in memory; check answers."""
    workspace = Path(tempfile.mkdtemp(prefix="index-", dir=corpus.folder.parent))
    try:
        db = workspace / "articles.sqlite3"
        feed = _build_and_reload(report, corpus, db, repeat)
        if not feed:
            print("  no article loads: no queries to time")
            return
        with newsfeed.Index(corpus.folder, db=db) as index:
            _time_filters(report, corpus.name, index, feed, repeat)
            _time_searches(report, corpus.name, index, feed, repeat)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def _db_size(db: Path) -> int:
    """Return the bytes the database takes, its write-ahead log included if any is left."""
    files = (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
    return sum(path.stat().st_size for path in files if path.exists())


def _build_and_reload(report: Report, corpus: Corpus, db: Path, repeat: int) -> newsfeed.Feed:
    """Print the cold and warm figures and check them; return ``load_dir``'s feed.

    Every time is taken with no feed alive but the one being built.
    """
    folder, count = corpus.folder, len(corpus.paths)

    def parse() -> newsfeed.Feed:
        return newsfeed.load_dir(folder, errors="skip")

    report.section(f"Index: cold build, warm reload, on {count} files", corpus.name)
    parsing = best(parse, repeat)
    report.per_file("newsfeed.load_dir(folder), parsing every file", parsing, count)
    gc.collect()
    started = time.perf_counter()
    with newsfeed.Index(folder, db=db) as index:
        built = index.update()
    building = time.perf_counter() - started
    report.per_file("first Index(folder, db=...).update(), one pass", building, count)
    size = _db_size(db)
    report.line(
        "  database size", f"{size / count / 1024:9.1f} KiB/file ({size / MIB:.1f} MiB in all)"
    )
    report.line("  database size vs the files' size", f"{size / corpus.size:8.2f}x")
    with newsfeed.Index(folder, db=db) as index:
        updates: list[newsfeed.IndexUpdate] = []
        updating = best(lambda: updates.append(index.update()), repeat)
        report.per_file("update() on the unchanged folder", updating, count)
        report.line("  it found", str(updates[-1]))
        loading = best(lambda: index.load(errors="skip"), repeat)
        report.per_file("index.load()", loading, count)
        report.ratio("index.load() vs load_dir (speed-up)", parsing / loading, INDEX_LOAD_TARGET)
        report.line(
            "update() + load(), as load_dir(cache=True), vs load_dir",
            f"{parsing / (updating + loading):8.2f}x",
        )
        report.line("first update() vs load_dir (cost, once)", f"{building / parsing:8.2f}x")
        reference = parse()
        problem = _difference(index.load(errors="skip"), reference)
    # Peaks in fresh processes, so that neither holds the other's memory.
    loaded_peak = in_child("index_load", folder, 1, str(db))["peak"]
    parsed_peak = in_child("feed", folder)["peak"]
    report.line("index.load() peak RSS (fresh process)", f"{loaded_peak / MIB:9.1f} MiB")
    report.line("  vs load_dir's (fresh process)", f"{loaded_peak / max(parsed_peak, 1):8.2f}x")
    report.check(
        "first update(): every file added, load_dir's failures",
        built.added == count and built.failures == reference.failures,
        f"{built}, where load_dir has {len(reference.failures)} failures",
    )
    report.check(
        "update() of the unchanged folder parsed nothing",
        all(u.added == u.changed == u.deleted == 0 and u.unchanged == count for u in updates),
        "; ".join(str(update) for update in updates),
    )
    report.check(
        "index.load() is load_dir's feed, paths and layouts too", problem is None, problem or ""
    )
    return reference


def _difference(ours: newsfeed.Feed, theirs: newsfeed.Feed, *, dumps: bool = True) -> str | None:
    """Say how *ours* differs from *theirs* (articles, order, paths, failures), or None."""
    if len(ours) != len(theirs):
        return f"{len(ours)} articles against {len(theirs)}"
    for position, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
        if mine.path != other.path:
            return f"article {position} is {mine.path}, not {other.path}"
        if mine != other:
            return f"{mine.path} differs"
    if ours.failures != theirs.failures:
        return f"failures differ: {len(ours.failures)} against {len(theirs.failures)}"
    if dumps:
        for mine, other in zip(spread(ours, SAMPLE), spread(theirs, SAMPLE), strict=True):
            if newsfeed.dumps(mine) != newsfeed.dumps(other):
                return f"{mine.path} is written back otherwise (its layout differs)"
    return None


def _time_filters(
    report: Report, corpus: str, index: newsfeed.Index, feed: newsfeed.Feed, repeat: int
) -> None:
    repeat = max(repeat, 5)  # single queries are short: more passes, less noise
    report.section(
        f"Index queries on {len(feed)} articles: index.filter vs Feed.filter (ms)", corpus
    )
    problems = []
    for label, criteria in QueryCriteria.of(feed).filters():
        found = index.filter(**criteria)
        problem = _difference(found, feed.filter(**criteria), dumps=False)
        if problem is not None:
            problems.append(f"{label}: {problem}")
        ours = best(partial(index.filter, **criteria), repeat) * 1e3
        theirs = best(partial(feed.filter, **criteria), repeat) * 1e3
        report.line(
            f"index.{label}", f"{ours:8.2f} ms vs Feed {theirs:8.2f} ms, {len(found):6d} articles"
        )
    report.check(
        "index.filter gives Feed.filter's articles, in order", not problems, "; ".join(problems)
    )


# Search.


def _folded(text: str) -> str:
    """Return *text* as the tokenizer compares it: lower case, accents removed."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return text.lower()


def _searched(article: newsfeed.Article) -> Iterable[str]:
    """Yield the texts ``Index.search`` searches: title, excerpt, body, related titles."""
    yield article.title
    if article.excerpt:
        yield article.excerpt
    yield article.body
    yield from (item.title for item in article.related)


def _common_and_rare(feed: newsfeed.Feed) -> tuple[str, str]:
    """Return a word most articles hold, and one only a few do, from a sample of *feed*."""
    articles = random.Random(0).sample(list(feed), min(SAMPLE, len(feed)))
    held: Counter[str] = Counter()
    for article in articles:
        words = {word for text in _searched(article) for word in _WORD.findall(_folded(text))}
        held.update(word for word in words if len(word) >= 4 and word.isascii() and word.isalpha())
    common = min(held, key=lambda word: (-held[word], word))
    rare = min(held, key=lambda word: (held[word] < 2, held[word], word))
    return common, rare


def _scan(feed: newsfeed.Feed, word: str) -> list[Path | None]:
    """Return the paths of the articles holding *word* as a whole word, as FTS5 finds it."""
    pattern = re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])")
    return [
        article.path
        for article in feed
        if any(pattern.search(_folded(text)) for text in _searched(article))
    ]


def _time_searches(
    report: Report, corpus: str, index: newsfeed.Index, feed: newsfeed.Feed, repeat: int
) -> None:
    repeat = max(repeat, 5)
    common, rare = _common_and_rare(feed)
    provider = QueryCriteria.of(feed).provider
    report.section(
        f"Index search on {len(feed)} articles: index.search(text, limit={SEARCH_LIMIT}) (ms)",
        corpus,
    )
    searches: list[tuple[str, str, dict[str, Any]]] = [
        (f"search({common!r}), a common word", common, {}),
        (f"search({rare!r}), a rare word", rare, {}),
        (f"search({common!r}, provider={provider!r})", common, {"provider": provider}),
    ]
    problems = []
    for label, word, criteria in searches:
        search: Callable[..., newsfeed.Feed] = partial(index.search, word, **criteria)
        top, every = search(limit=SEARCH_LIMIT), search(limit=None)
        started = time.perf_counter()
        expected = _scan(feed.filter(**criteria), word)
        scanning = (time.perf_counter() - started) * 1e3
        if sorted(map(str, (a.path for a in every))) != sorted(map(str, expected)):
            problems.append(f"{label}: {len(every)} matches, the scan finds {len(expected)}")
        if [a.path for a in top] != [a.path for a in every][:SEARCH_LIMIT]:
            problems.append(f"{label}: the first {SEARCH_LIMIT} are not the best of all matches")
        ours = best(partial(search, limit=SEARCH_LIMIT), repeat) * 1e3
        report.line(
            label,
            f"{ours:8.2f} ms, {len(top):3d} of {len(every):6d} matches"
            f" (a scan of the Feed: {scanning:.0f} ms)",
        )
    report.check(
        "index.search finds what a scan of the Feed finds",
        not problems,
        "; ".join(problems),
    )
