"""Memory and scaling, each measured in a fresh process so that the peaks do not mix.

The parent runs ``python benchmarks/memory.py TASK FOLDER [REPEAT]``; the child
imports what it needs, takes its baseline RSS, resets the peak, does its one
job and prints its figures as JSON. The tasks:

- ``feed``: ``load_dir`` a folder into a Feed (peak, and what it keeps);
- ``frontmatter``: python-frontmatter's ``load`` of the same files, kept in a list;
- ``iter_dir``: stream the folder, one article at a time;
- ``second_load``: load the folder twice in one process, rebinding the same
  name as a notebook does (the first Feed lives until the second is built);
- ``scaling``: ``load_dir`` the folder REPEAT times, freeing the Feed between
  loads: the best time and the first load's peak;
- ``index_load``: ``Index(folder, db=DB).load()`` of an index already up to
  date (DB is a fourth argument), its peak.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from harness import (
    MIB,
    Corpus,
    Report,
    Target,
    current_rss,
    peak_rss,
    quiet_newsfeed_logging,
    require,
    reset_peak,
)

__all__ = [
    "in_child",
    "measure_feed_memory",
    "measure_iter_dir",
    "measure_scaling",
    "measure_second_load",
]

MEMORY_TARGET: Final = Target(0.5, "issue 10", at_most=True)
#: A second load must not double the peak (issue 13). With the first Feed
#: alive, two Feeds that share nothing make 2x, so "not double" is taken as
#: clearly below that.
SECOND_LOAD_TARGET: Final = Target(1.5, "issue 13: not double, taken as <= 1.5x", at_most=True)
#: "Flat" cost per file from the smallest to the largest folder, taken as within 10%.
FLAT_TARGET: Final = Target(1.1, "issue 13: flat, taken as within 10%", at_most=True)


# The children.


def _load(folder: str) -> Any:  # noqa: ANN401 -- a Feed; newsfeed is imported here only
    import newsfeed  # noqa: PLC0415 -- imported in the child, after the baseline is taken

    return newsfeed.load_dir(folder, errors="skip")


def _child_feed(folder: str, _repeat: int) -> dict[str, Any]:
    import newsfeed  # noqa: F401, PLC0415 -- imported before the baseline, as start-up cost

    gc.collect()
    before = current_rss()
    reset_peak()
    feed = _load(folder)
    peak = peak_rss()
    gc.collect()
    return {
        "count": len(feed),
        "refused": len(feed.failures),
        "kept": current_rss() - before,
        "peak": peak - before,
    }


def _child_frontmatter(folder: str, _repeat: int) -> dict[str, Any]:
    frontmatter: Any = require("frontmatter")
    gc.collect()
    before = current_rss()
    reset_peak()
    # Listing included, as load_dir lists the folder within its figures.
    posts = [frontmatter.load(path) for path in sorted(Path(folder).glob("**/*.md"))]
    peak = peak_rss()
    gc.collect()
    return {"count": len(posts), "kept": current_rss() - before, "peak": peak - before}


def _child_iter_dir(folder: str, _repeat: int) -> dict[str, Any]:
    import newsfeed  # noqa: PLC0415 -- imported before the baseline, as start-up cost

    gc.collect()
    before = current_rss()
    started = time.perf_counter()
    articles = newsfeed.iter_dir(folder, errors="skip")  # lists the folder: the names are held
    listed = current_rss()
    reset_peak()
    count = sum(1 for _ in articles)
    return {
        "count": count,
        "seconds": time.perf_counter() - started,
        "before": before,
        "listed": listed,
        "peak": peak_rss(),
    }


def _child_second_load(folder: str, _repeat: int) -> dict[str, Any]:
    import newsfeed  # noqa: F401, PLC0415 -- imported before the baseline, as start-up cost

    gc.collect()
    before = current_rss()
    reset_peak()
    started = time.perf_counter()
    feed = _load(folder)
    first = time.perf_counter() - started
    first_peak = peak_rss() - before
    started = time.perf_counter()
    feed = _load(folder)  # as a notebook cell run again: the old Feed lives until then
    second = time.perf_counter() - started
    second_peak = peak_rss() - before
    return {
        "count": len(feed),
        "first": first,
        "second": second,
        "first_peak": first_peak,
        "second_peak": second_peak,
    }


def _child_scaling(folder: str, repeat: int) -> dict[str, Any]:
    import newsfeed  # noqa: F401, PLC0415 -- imported before the baseline, as start-up cost

    gc.collect()
    before = current_rss()
    reset_peak()
    fastest, peak, count = float("inf"), 0, 0
    for attempt in range(repeat):
        started = time.perf_counter()
        feed = _load(folder)
        fastest = min(fastest, time.perf_counter() - started)
        if attempt == 0:
            peak, count = peak_rss() - before, len(feed) + len(feed.failures)
        del feed
        gc.collect()
    return {"count": count, "seconds": fastest, "peak": peak}


def _child_index_load(folder: str, _repeat: int, db: str) -> dict[str, Any]:
    import newsfeed  # noqa: PLC0415 -- imported before the baseline, as start-up cost

    with newsfeed.Index(folder, db=db) as index:
        gc.collect()
        before = current_rss()
        reset_peak()
        feed = index.load(errors="skip")
        peak = peak_rss()
    return {"count": len(feed), "peak": peak - before}


_CHILDREN: Final[dict[str, Callable[..., dict[str, Any]]]] = {
    "feed": _child_feed,
    "frontmatter": _child_frontmatter,
    "iter_dir": _child_iter_dir,
    "second_load": _child_second_load,
    "scaling": _child_scaling,
    "index_load": _child_index_load,
}


def in_child(task: str, folder: Path, repeat: int = 1, *more: str) -> dict[str, Any]:
    """Run one task (with its *more* arguments) in a fresh process; return its figures."""
    command = [sys.executable, __file__, task, str(folder), str(repeat), *more]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 -- our own script
    if done.returncode:
        raise RuntimeError(f"{task} child failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# What the parent prints.


def _mib(size: float) -> str:
    return f"{size / MIB:9.1f} MiB"


def measure_feed_memory(report: Report, corpus: Corpus) -> None:
    """Compare the peak RSS of a loaded Feed with python-frontmatter's, for the same files."""
    ours = in_child("feed", corpus.folder)
    theirs = in_child("frontmatter", corpus.folder)
    size = corpus.size
    report.section("Memory of loading every file (each in a fresh process, RSS)", corpus.name)
    report.line("files on disk (sum of sizes)", _mib(size))
    report.line("files on disk (allocated blocks, as du counts)", _mib(corpus.allocated))
    report.line(f"newsfeed Feed: peak while loading ({ours['count']} files)", _mib(ours["peak"]))
    report.line("newsfeed Feed: kept after loading", _mib(ours["kept"]))
    report.line(f"python-frontmatter: peak ({theirs['count']} files)", _mib(theirs["peak"]))
    report.line("python-frontmatter: kept after loading", _mib(theirs["kept"]))
    if ours["refused"]:
        report.line("  (newsfeed refused files, so it held fewer)", f"{ours['refused']:9d}")
    ratio = ours["peak"] / max(theirs["peak"], 1)
    report.ratio("Feed peak RSS vs python-frontmatter's", ratio, MEMORY_TARGET)
    report.line("Feed peak RSS vs sum of file sizes", f"{ours['peak'] / size:8.2f}x")
    report.line(
        "python-frontmatter peak RSS vs sum of file sizes", f"{theirs['peak'] / size:8.2f}x"
    )


def measure_iter_dir(report: Report, small: Corpus, large: Corpus) -> None:
    """Show that streaming a folder holds one article at a time, whatever its size."""
    report.section("iter_dir, each in a fresh process", large.name)
    growths = []
    for corpus in (small, large):
        result = in_child("iter_dir", corpus.folder)
        growth = result["peak"] - result["listed"]
        growths.append(growth)
        report.per_file(
            f"iter_dir over {result['count']} files", result["seconds"], len(corpus.paths)
        )
        listing = (result["listed"] - result["before"]) / MIB
        report.line(
            f"  {listing:+.1f} MiB for the names, then at most", f"{growth / MIB:+9.1f} MiB"
        )
    report.line(
        "growth while reading, all files vs a tenth (flat: 0)", _mib(growths[1] - growths[0])
    )


def measure_second_load(report: Report, corpus: Corpus) -> None:
    """Load the folder twice in one process, as a notebook cell run again."""
    result = in_child("second_load", corpus.folder)
    count = len(corpus.paths)
    report.section("A second load_dir in the same process (fresh process)", corpus.name)
    report.per_file("first load_dir", result["first"], count)
    report.per_file("second load_dir, the first Feed still alive", result["second"], count)
    report.line("peak RSS after the first load", _mib(result["first_peak"]))
    report.line("peak RSS during the second load", _mib(result["second_peak"]))
    report.line(
        "second load vs first: time", f"{result['second'] / max(result['first'], 1e-9):8.2f}x"
    )
    ratio = result["second_peak"] / max(result["first_peak"], 1)
    report.ratio("second load vs first: peak RSS", ratio, SECOND_LOAD_TARGET)


def measure_scaling(report: Report, corpora: Sequence[Corpus], repeat: int) -> None:
    """Print cost per file and peak RSS of load_dir at growing folder sizes."""
    report.section("Scaling: load_dir(workers=1), each size in a fresh process", corpora[0].name)
    costs = []
    for corpus in corpora:
        # Small folders load in a fraction of a second, where other load on
        # the machine weighs most: give them more passes.
        passes = max(repeat, min(10, 10_000 // len(corpus.paths)))
        result = in_child("scaling", corpus.folder, passes)
        count = result["count"]
        cost = result["seconds"] / count * 1e6
        costs.append(cost)
        peak = result["peak"]
        report.line(
            f"{count:>7} files: time per file, peak RSS, peak per file",
            f"{cost:7.1f} µs {peak / MIB:8.1f} MiB {peak / count / 1024:6.1f} KiB",
        )
    report.ratio(
        f"cost per file, {len(corpora[-1].paths)} vs {len(corpora[0].paths)} files",
        costs[-1] / costs[0],
        FLAT_TARGET,
    )


if __name__ == "__main__":
    quiet_newsfeed_logging()
    task, folder_name, repeat_text, *more = sys.argv[1:]
    print(json.dumps(_CHILDREN[task](folder_name, int(repeat_text), *more)))
