"""newsfeed against the tools a user would pick instead: reading, writing, round trips.

Each function times one operation on one corpus, prints newsfeed's figure
next to its peers' and the ratio against the issue's target. A file newsfeed
refuses is counted and its reason printed, never fatal: the real-layout
corpus holds files the current reader refuses.
"""

from __future__ import annotations

import contextlib
import gc
import io
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import yaml
from harness import (
    Corpus,
    Report,
    Target,
    best,
    best_pair,
    collector_time,
    refusals,
    require,
    split_front_matter,
    spread,
    tally_newsfeed_warnings,
    without_gc,
)

import newsfeed

__all__ = ["time_loading", "time_round_trip", "time_writing"]

LOAD_TARGETS: Final = (Target(4.0, "issue 10"), Target(5.0, "issue 13"))
DUMPS_TARGET: Final = Target(4.0, "issue 10")
ROUND_TRIP_TARGET: Final = Target(50.0, "issue 10")


def _text(path: Path) -> str:
    """Return a file's text exactly, CRLF included (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def _fast_path_share(paths: Sequence[Path]) -> str:
    """Say how many files the current fast reader takes, if this version has one."""
    try:
        from newsfeed._format.fast import (  # noqa: PLC0415 -- private, and may be gone after a rewrite
            fast_loads,
        )
    except ImportError:
        return "fast-path share: not measurable in this version"
    fast = sum(fast_loads(_text(path)) is not None for path in paths)
    return f"{fast} of {len(paths)} files take the fast path"


def _frontmatter_load_all(frontmatter: Any, paths: Sequence[Path]) -> list[Any]:  # noqa: ANN401 -- the python-frontmatter module
    """Load each file with python-frontmatter; a file it refuses is left out, not fatal."""
    posts = []
    for path in paths:
        # It raises whatever its YAML loader raises.
        with contextlib.suppress(Exception):
            posts.append(frontmatter.load(path))
    return posts


def _bare_yaml(paths: Sequence[Path]) -> None:
    for path in paths:
        parts = split_front_matter(_text(path))
        if parts is not None:
            with contextlib.suppress(yaml.YAMLError):  # a refused file is not fatal
                yaml.load(parts[0], Loader=yaml.CSafeLoader)


def time_loading(report: Report, corpus: Corpus, repeat: int) -> None:
    """Time ``load_dir`` (1 and 2 workers, collector paused) against python-frontmatter."""
    frontmatter: Any = require("frontmatter")
    folder, paths = corpus.folder, corpus.paths

    def load() -> newsfeed.Feed:
        return newsfeed.load_dir(folder, errors="skip")

    with tally_newsfeed_warnings() as warned:
        feed = load()
    report.section(f"Loading ({_fast_path_share(paths)})", corpus.name)
    theirs_count = len(_frontmatter_load_all(frontmatter, paths))
    report.line("files: python-frontmatter loads", f"{theirs_count:9d}")
    report.line("files: newsfeed.load_dir loads", f"{len(feed):9d}")
    for reason, count in refusals(feed.failures).most_common(4):
        print(f"    {count:6d} refused: {reason}")
    # Each such file warns in every step that reads it: counted here, once,
    # and kept off the output everywhere (run.py).
    for reason, count in warned.reasons().most_common(4):
        print(f"    {count:6d} loaded with a warning (counted, not printed): {reason}")
    del feed
    # The ratio's two sides are timed in turn (best_pair), so that the
    # machine's drift does not enter it.
    ours_time, theirs_time = best_pair(
        load, lambda: _frontmatter_load_all(frontmatter, paths), repeat
    )
    ours = report.per_file("newsfeed.load_dir(workers=1)", ours_time, len(paths))
    paused = report.per_file(
        "newsfeed.load_dir(workers=1), gc paused",
        best(lambda: without_gc(load), repeat),
        len(paths),
    )
    two = report.per_file(
        "newsfeed.load_dir(workers=2)",
        best(lambda: newsfeed.load_dir(folder, errors="skip", workers=2), repeat),
        len(paths),
    )
    # What the parent process spends per file with workers (listing, starting
    # the pool, unpickling): N workers cannot go faster than the parent takes
    # their files in, however many cores. Timed alone, then freed.
    gc.collect()
    cpu = time.process_time()
    received = newsfeed.load_dir(folder, errors="skip", workers=2)
    receiving = (time.process_time() - cpu) / len(paths) * 1e6
    del received
    theirs = report.per_file(
        "python-frontmatter: frontmatter.load(path) per file", theirs_time, len(paths)
    )
    bare = report.per_file(
        "bare yaml.load(front matter, Loader=CSafeLoader)",
        best(lambda: _bare_yaml(paths), repeat),
        len(paths),
    )
    report.ratio("load_dir vs python-frontmatter (speed-up)", theirs / ours, *LOAD_TARGETS)
    parsing = _time_parsing(frontmatter, paths, repeat)
    report.line("  parsing alone, text in memory (speed-up)", f"{parsing:8.2f}x")
    report.line("load_dir: collector paused vs running (speed-up)", f"{ours / paused:8.2f}x")
    # load_dir pauses the collector itself; what it still costs is the first
    # collection after the pause, which walks every object the load built.
    spent, runs = collector_time(load)
    report.line(
        f"  the collector within load_dir ({runs} run{'s' * (runs != 1)})",
        f"{spent / len(paths) * 1e6:9.1f} µs/file",
    )
    report.line("load_dir vs bare CSafeLoader (speed-up)", f"{bare / ours:8.2f}x")
    report.line("load_dir: 2 workers vs 1 (speed-up)", f"{ours / two:8.2f}x")
    report.line("  parent CPU per file with 2 workers", f"{receiving:9.1f} µs/file")
    report.line("  so, with enough cores, a speed-up of at most", f"{ours / receiving:8.2f}x")


#: Files whose text is held in memory to time the parsers alone.
PARSING_SAMPLE: Final = 2000


def _time_parsing(frontmatter: Any, paths: Sequence[Path], repeat: int) -> float:  # noqa: ANN401 -- the python-frontmatter module
    """Return how many times as fast ``newsfeed.loads`` parses as ``frontmatter.loads``.

    On an evenly spread sample, from text in memory: no listing, no reading,
    no paths, so what is left is each one's parser and the objects it builds.
    Files either refuses are left out of both.
    """
    texts = []
    for path in spread(paths, PARSING_SAMPLE):
        text = _text(path)
        with contextlib.suppress(Exception):  # a refused file is not fatal
            newsfeed.loads(text)
            frontmatter.loads(text)
            texts.append(text)

    def ours() -> None:
        for text in texts:
            newsfeed.loads(text)

    def theirs() -> None:
        for text in texts:
            frontmatter.loads(text)

    ours_time, theirs_time = best_pair(ours, theirs, repeat)
    return theirs_time / ours_time


def _load_each(
    paths: Sequence[Path],
) -> tuple[list[newsfeed.Article], list[Path], list[Exception]]:
    """Load every file with newsfeed; return the articles, their paths and the refusals."""
    articles: list[newsfeed.Article] = []
    loaded: list[Path] = []
    refused: list[Exception] = []
    for path in paths:
        try:
            articles.append(newsfeed.load(path))
        except (newsfeed.NewsfeedError, ValueError) as error:
            refused.append(error)
        else:
            loaded.append(path)
    return articles, loaded, refused


def time_writing(report: Report, corpus: Corpus, repeat: int) -> None:
    """Time ``dumps`` against ``frontmatter.dumps`` on the articles newsfeed loads."""
    frontmatter: Any = require("frontmatter")
    articles, loaded, _ = _load_each(corpus.paths)
    posts = _frontmatter_load_all(frontmatter, loaded)
    faithful = sum(
        newsfeed.dumps(article) == _text(path)
        for article, path in zip(articles, loaded, strict=True)
    )
    report.section("Writing (text only, no disk)", corpus.name)
    report.line("articles written (those newsfeed loads)", f"{len(articles):9d}")
    report.line("  of which newsfeed.dumps gives the file byte for byte", f"{faithful:9d}")
    if not articles:
        return
    ours_time, theirs_time = best_pair(
        lambda: list(map(newsfeed.dumps, articles)),
        lambda: list(map(frontmatter.dumps, posts)),
        repeat,
    )
    ours = report.per_file("newsfeed.dumps(article)", ours_time, len(articles))
    theirs = report.per_file("frontmatter.dumps(post)", theirs_time, len(posts))
    report.ratio("dumps vs frontmatter.dumps (speed-up)", theirs / ours, DUMPS_TARGET)


def _ruamel_round_trip() -> Callable[[str], str | None]:
    """Return ruamel.yaml's round trip of a file, set up as a user keeping the layout would."""
    ruamel_yaml: Any = require("ruamel.yaml")
    rt = ruamel_yaml.YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 2**31  # never wrap a line
    rt.indent(mapping=2, sequence=4, offset=2)  # "key:" then "  - item"

    def round_trip(text: str) -> str | None:
        parts = split_front_matter(text)
        if parts is None:
            return None
        front, body = parts
        out = io.StringIO()
        try:
            rt.dump(rt.load(front), out)
        except Exception:  # noqa: BLE001 -- a refused file is counted, whatever ruamel raises
            return None
        return f"---\n{out.getvalue()}---\n{body}"

    return round_trip


def _newsfeed_round_trip(text: str) -> str | None:
    try:
        return newsfeed.dumps(newsfeed.loads(text))
    except (newsfeed.NewsfeedError, ValueError):
        return None


def time_round_trip(report: Report, corpus: Corpus, sample: int, repeat: int) -> None:
    """Time ``dumps(loads(text))`` against ruamel.yaml's round-trip mode, on a sample.

    ruamel.yaml takes milliseconds a file, so both run on the same evenly
    spread sample of the corpus, from text in memory.
    """
    round_trip = _ruamel_round_trip()
    paths = spread(corpus.paths, sample)
    # newsfeed gets the exact text; ruamel.yaml what open() gives (LF), as
    # its users read files, and it writes LF.
    exact = [_text(path) for path in paths]
    universal = [path.read_text(encoding="utf-8") for path in paths]
    ours_out = [_newsfeed_round_trip(text) for text in exact]
    theirs_out = [round_trip(text) for text in universal]
    report.section(f"Round trip: loads + dumps, on {len(paths)} files", corpus.name)
    report.line("files newsfeed loads", f"{sum(out is not None for out in ours_out):9d}")
    report.line("files ruamel.yaml loads", f"{sum(out is not None for out in theirs_out):9d}")
    same = sum(out == text for out, text in zip(ours_out, exact, strict=True))
    report.line("  newsfeed gives back byte for byte", f"{same:9d}")
    same = sum(out == text for out, text in zip(theirs_out, universal, strict=True))
    report.line("  ruamel.yaml gives back byte for byte (LF read)", f"{same:9d}")
    ours_time, theirs_time = best_pair(
        lambda: [_newsfeed_round_trip(text) for text in exact],
        lambda: [round_trip(text) for text in universal],
        repeat,
    )
    ours = report.per_file("newsfeed.dumps(newsfeed.loads(text))", ours_time, len(paths))
    theirs = report.per_file('ruamel.yaml YAML(typ="rt") load + dump', theirs_time, len(paths))
    report.ratio(
        "loads + dumps vs ruamel.yaml round trip (speed-up)", theirs / ours, ROUND_TRIP_TARGET
    )
