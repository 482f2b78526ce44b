"""Time newsfeed against the tools users would pick instead, on two corpora, in one run.

Usage::

    python benchmarks/run.py --count 10000               # the figures in docs/performance.md
    python benchmarks/run.py --count 10000 --scaling     # plus 1k and 10k files, fresh processes
    python benchmarks/run.py --scaling 1000 10000 100000 # plus 100k (a manual run: minutes)
    python benchmarks/run.py --quick                     # a small run, for CI

Two corpora are generated once into a cache folder and reused by later runs
with the same count and seed: the *canonical* one (``corpus.py``, what
newsfeed writes) and the *real-layout* one (``real_layout.py``, shaped like
the files the news pipeline published). On each, the run prints side by
side, with the ratio against each target of issues 10 and 13:

- ``load_dir`` (1 worker, 2 workers, collector paused) against
  python-frontmatter's ``load`` of each file and bare ``CSafeLoader``, with
  how many files each tool loaded and why newsfeed refused the others;
- ``dumps`` against ``frontmatter.dumps``;
- ``dumps(loads(text))`` against ruamel.yaml's round-trip mode, on a sample;
- Feed queries against the same queries in pandas;
- the SQLite index: its first ``update()`` against ``load_dir``, an update
  of the unchanged folder, ``Index.load()`` against ``load_dir`` (checked to
  give the same feed), ``Index.filter`` against ``Feed.filter`` and
  ``Index.search`` for a common and a rare word (checked against a scan);
- the peak RSS of a loaded Feed against python-frontmatter's, and of a
  second load in the same process, each in a fresh process;
- ``iter_dir``'s memory over a tenth of the files and over all of them;
- with ``--scaling``, the cost per file and peak RSS at each size.

Files that load with a ``NewsfeedWarning`` (the real-layout corpus has null
topic items) are counted once, in the loading section, not printed by each
step that reads them. It exits non-zero only when something fails (a check
of the answers, or a step), not when a target is missed.
Needs the extra ``newsfeed-articles[bench]``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

import newsfeed

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_layout
from harness import Corpus, Report, machine, quiet_newsfeed_logging, tally_newsfeed_warnings
from index_db import measure_index
from memory import measure_feed_memory, measure_iter_dir, measure_scaling, measure_second_load
from peers import time_loading, time_round_trip, time_writing
from queries import compare_queries

import corpus

#: Bump when a generator changes what it writes, so cached corpora are rebuilt.
CORPUS_VERSIONS: Final = {"canonical": 2, "real-layout": 2}
GENERATORS: Final[dict[str, Callable[..., list[Path]]]] = {
    "canonical": corpus.generate,
    "real-layout": real_layout.generate,
}
QUICK_COUNT: Final = 300
QUICK_SAMPLE: Final = 30
TARGET_COUNT: Final = 10_000
DEFAULT_SCALING: Final = (1_000, 10_000)


def _corpus(kind: str, cache: Path, count: int, seed: int) -> Corpus:
    """Return a folder of *count* files of *kind*, generating it unless cached."""
    folder = cache / f"{kind}-v{CORPUS_VERSIONS[kind]}-seed{seed}-{count}"
    marker = folder / ".complete"
    if not marker.exists():
        if folder.exists():
            shutil.rmtree(folder)
        started = time.perf_counter()
        GENERATORS[kind](folder, count=count, seed=seed)
        marker.touch()
        print(f"generated {count} {kind} files in {folder} ({time.perf_counter() - started:.1f} s)")
    paths = sorted(folder.glob("*.md"))
    # Read every file once, so that every tool meets a warm page cache.
    for path in paths:
        path.read_bytes()
    return Corpus(kind, folder, paths)


def _describe(corpus: Corpus) -> None:
    crlf = sum(b"\r\n" in path.read_bytes()[:200] for path in corpus.paths)
    average = corpus.size / len(corpus.paths) / 1024
    print(
        f"{corpus.name} corpus: {len(corpus.paths)} files, {average:.1f} KiB on average,"
        f" {crlf} with CRLF line ends, in {corpus.folder}"
    )


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--count", type=int, default=TARGET_COUNT, help="files per corpus (10000)")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_COUNT} files, small samples (CI)"
    )
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes, best kept (3)")
    parser.add_argument(
        "--corpus",
        choices=("both", *GENERATORS),
        default="both",
        help="which corpus to measure (both)",
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=500,
        help="files in the ruamel.yaml round-trip comparison (500): it takes ms a file",
    )
    parser.add_argument(
        "--scaling",
        type=int,
        nargs="*",
        metavar="N",
        help="also load folders of N files, each in a fresh process (no N: 1000 10000)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "newsfeed-benchmark",
        help="where generated corpora are kept between runs",
    )
    options = parser.parse_args(argv)
    if options.quick:
        options.count, options.sample = QUICK_COUNT, QUICK_SAMPLE
        # CI runs the scaling code too, on the two corpora it has anyway.
        options.scaling = options.scaling or [QUICK_COUNT // 10, QUICK_COUNT]
    elif options.scaling == []:
        options.scaling = list(DEFAULT_SCALING)
    if options.count < 10 or options.repeat < 1 or options.sample < 1:
        parser.error("--count must be at least 10, --repeat and --sample at least 1")
    if options.scaling and min(options.scaling) < 10:
        parser.error("--scaling sizes must be at least 10")
    return options


def _measure(report: Report, kind: str, options: argparse.Namespace) -> None:
    large = _corpus(kind, options.cache, options.count, options.seed)
    small = _corpus(kind, options.cache, options.count // 10, options.seed)
    _describe(large)
    time_loading(report, large, options.repeat)
    time_writing(report, large, options.repeat)
    time_round_trip(report, large, options.sample, options.repeat)
    compare_queries(report, newsfeed.load_dir(large.folder, errors="skip"), kind, options.repeat)
    measure_index(report, large, options.repeat)
    measure_feed_memory(report, large)
    measure_second_load(report, large)
    measure_iter_dir(report, small, large)
    if options.scaling:
        sizes = sorted(set(options.scaling))
        corpora = [_corpus(kind, options.cache, size, options.seed) for size in sizes]
        measure_scaling(report, corpora, options.repeat)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    options = _parse(argv)
    quiet_newsfeed_logging()
    kinds = list(GENERATORS) if options.corpus == "both" else [options.corpus]
    print(
        f"newsfeed benchmark: {options.count} files per corpus, seed {options.seed},"
        f" best of {options.repeat}"
    )
    print(f"machine: {machine()}")
    report = Report()
    for kind in kinds:
        print(f"\n=== {kind} corpus")
        # Counted by the loading section; every step would print them again.
        with tally_newsfeed_warnings():
            _measure(report, kind, options)
    report.summary()
    if options.count < TARGET_COUNT:
        print(f"  (the targets are set for {TARGET_COUNT} files or more; small runs are noisier)")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
