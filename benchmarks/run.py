"""Time newsfeed against the tools users would pick instead, on one corpus, in one run.

Usage::

    python benchmarks/run.py --count 10000     # the figures in docs/performance.md
    python benchmarks/run.py --quick           # a small corpus, for CI

The corpus (``benchmarks/corpus.py``) is generated once into a cache folder
and reused by later runs with the same count and seed. On those same files,
the run times:

- ``newsfeed.load_dir`` (1 worker, then 2), python-frontmatter's ``load`` of
  each file, and bare ``yaml.load(..., Loader=yaml.CSafeLoader)`` of each
  file's front matter;
- ``newsfeed.dumps`` against ``frontmatter.dumps``;
- ``newsfeed.iter_dir`` over a tenth of the files and over all of them, each
  in a fresh process, with its peak RSS: it should not grow with the folder;
- the peak RSS of loading a ``Feed`` of all the files, and what it keeps
  after, in a fresh process, against the files' size on disk.

It prints microseconds per file and the ratios, and whether each target of
the speed issue is met. It exits non-zero only when something fails, not
when a target is missed. Needs the extra ``newsfeed-articles[bench]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Final

import yaml

import newsfeed
from newsfeed._format.fast import fast_loads

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

#: Bump when corpus.py changes what it writes, so cached corpora are rebuilt.
CORPUS_VERSION: Final = 2
QUICK_COUNT: Final = 300
TARGET_COUNT: Final = 10_000
LOAD_TARGET: Final = 3.0
DUMPS_TARGET: Final = 3.0
MEMORY_TARGET: Final = 1.3


def _frontmatter() -> Any:  # noqa: ANN401 -- the module, when it is installed
    try:
        import frontmatter  # noqa: PLC0415 -- an optional extra, imported only here
    except ImportError:
        sys.exit("python-frontmatter is missing: pip install -e '.[bench]'")
    return frontmatter


def current_rss() -> int:
    """Return this process's resident set size in bytes (Linux), else its peak."""
    try:
        with Path("/proc/self/statm").open() as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # pragma: no cover -- not Linux: the peak is the best there is
        return peak_rss()


def peak_rss() -> int:
    """Return this process's peak resident set size in bytes, since :func:`reset_peak`."""
    try:
        with Path("/proc/self/status").open() as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover -- not Linux
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak if sys.platform == "darwin" else peak * 1024


def reset_peak() -> None:
    """Start the peak RSS afresh (Linux), so it measures what comes next, not start-up."""
    try:
        with Path("/proc/self/clear_refs").open("w") as clear_refs:
            clear_refs.write("5")
    except OSError:  # pragma: no cover -- not Linux: the peak includes start-up
        pass


# Measurements made in a fresh process, so that their memory figures do not
# depend on what this one has already allocated.


def _child_iter_dir(folder: str) -> dict[str, Any]:
    gc.collect()
    before = current_rss()
    start = time.perf_counter()
    articles = newsfeed.iter_dir(folder)  # lists the folder: the names are held
    listed = current_rss()
    reset_peak()
    count = sum(1 for _ in articles)
    elapsed = time.perf_counter() - start
    return {
        "count": count,
        "seconds": elapsed,
        "before": before,
        "listed": listed,
        "peak": peak_rss(),
    }


def _child_feed_memory(folder: str) -> dict[str, Any]:
    gc.collect()
    before = current_rss()
    reset_peak()
    feed = newsfeed.load_dir(folder)
    peak = peak_rss()
    gc.collect()
    after = current_rss()
    return {"count": len(feed), "delta": after - before, "peak": peak - before}


_CHILDREN: Final = {"iter_dir": _child_iter_dir, "feed_memory": _child_feed_memory}


def _in_child(task: str, folder: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", task, str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 -- our own script
    if done.returncode:
        raise RuntimeError(f"{task} child failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# The corpus.


def _corpus(cache: Path, count: int, seed: int) -> Path:
    """Return a folder of *count* canonical files, generating it unless cached."""
    folder = cache / f"corpus-v{CORPUS_VERSION}-seed{seed}-{count}"
    marker = folder / ".complete"
    if not marker.exists():
        if folder.exists():
            shutil.rmtree(folder)
        started = time.perf_counter()
        corpus.generate(folder, count=count, seed=seed)
        marker.touch()
        print(f"generated {count} files in {folder} ({time.perf_counter() - started:.1f} s)")
    return folder


def _read_all(paths: Sequence[Path]) -> int:
    """Read every file once, so that every tool meets a warm page cache."""
    return sum(len(path.read_bytes()) for path in paths)


# Timing.


def _best(function: Callable[[], object], repeat: int) -> float:
    """Return the best wall time of *repeat* calls: the least disturbed by other load."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def _without_gc(function: Callable[[], object]) -> object:
    """Call *function* with the cyclic garbage collector paused, as a user may."""
    gc.disable()
    try:
        return function()
    finally:
        gc.enable()


def _front_matter_of(text: str) -> str:
    return text.split("---\n", 2)[1]


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with Path("/proc/cpuinfo").open() as info:
            cpu = next(
                line.partition(":")[2].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):  # pragma: no cover -- not Linux
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'}), "
        f"python-frontmatter {_version('python-frontmatter')}, newsfeed {newsfeed.__version__}"
    )


class _Report:
    """Collects the figures and prints them as they come."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.targets: list[tuple[str, bool]] = []

    def time(self, label: str, seconds: float, count: int | None = None) -> float:
        per_file = seconds / (count or self.count) * 1e6
        print(f"  {label:<52} {per_file:9.1f} µs/file")
        return per_file

    def ratio(self, label: str, value: float, target: float, *, at_most: bool = False) -> None:
        met = value <= target if at_most else value >= target
        bound = f"<= {target}" if at_most else f">= {target}"
        print(f"  {label:<52} {value:8.2f}x  (target {bound}: {'met' if met else 'NOT met'})")
        self.targets.append((label, met))


def _time_loading(report: _Report, paths: list[Path], folder: Path, repeat: int) -> None:
    frontmatter = _frontmatter()
    feed = newsfeed.load_dir(folder)
    if len(feed) != len(paths):
        raise RuntimeError(f"load_dir read {len(feed)} of {len(paths)} files")
    fast = sum(fast_loads(path.read_text(encoding="utf-8")) is not None for path in paths)
    print(f"\nLoading ({fast} of {len(paths)} files take the fast path)")
    ours = report.time(
        "newsfeed.load_dir(workers=1)", _best(lambda: newsfeed.load_dir(folder), repeat)
    )
    paused = report.time(
        "newsfeed.load_dir(workers=1), gc paused",
        _best(lambda: _without_gc(lambda: newsfeed.load_dir(folder)), repeat),
    )
    two = report.time(
        "newsfeed.load_dir(workers=2)",
        _best(lambda: newsfeed.load_dir(folder, workers=2), repeat),
    )
    # What the parent process spends per file (listing, starting the pool,
    # receiving and unpickling the workers' articles): however many cores,
    # N workers cannot read files faster than the parent takes them in. One
    # more load, timed alone: the feed is freed after the clock stops.
    gc.collect()
    cpu = time.process_time()
    received = newsfeed.load_dir(folder, workers=2)
    receiving = (time.process_time() - cpu) / len(received) * 1e6
    del received
    theirs = report.time(
        "python-frontmatter: frontmatter.load(path) per file",
        _best(lambda: [frontmatter.load(path) for path in paths], repeat),
    )
    bare = report.time(
        "bare yaml.load(front matter, Loader=CSafeLoader)",
        _best(
            lambda: [
                yaml.load(
                    _front_matter_of(path.read_text(encoding="utf-8")), Loader=yaml.CSafeLoader
                )
                for path in paths
            ],
            repeat,
        ),
    )
    report.ratio("load_dir vs python-frontmatter (speed-up)", theirs / ours, LOAD_TARGET)
    print(f"  {'load_dir: collector paused vs running (speed-up)':<52} {ours / paused:8.2f}x")
    print(f"  {'load_dir vs bare CSafeLoader (speed-up)':<52} {bare / ours:8.2f}x")
    print(f"  {'load_dir: 2 workers vs 1 (speed-up)':<52} {ours / two:8.2f}x")
    print(f"  {'  parent CPU per file with 2 workers (receiving)':<52} {receiving:9.1f} µs/file")
    print(f"  {'  so, with enough cores, a speed-up of at most':<52} {ours / receiving:8.2f}x")


def _time_writing(report: _Report, paths: list[Path], repeat: int) -> None:
    frontmatter = _frontmatter()
    articles = [newsfeed.load(path) for path in paths]
    posts = [frontmatter.load(path) for path in paths]
    texts = [path.read_text(encoding="utf-8") for path in paths]
    if [newsfeed.dumps(article) for article in articles] != texts:
        raise RuntimeError("newsfeed.dumps did not reproduce the corpus byte for byte")
    print("\nWriting (text only, no disk)")
    ours = report.time(
        "newsfeed.dumps(article)", _best(lambda: list(map(newsfeed.dumps, articles)), repeat)
    )
    theirs = report.time(
        "frontmatter.dumps(post)", _best(lambda: list(map(frontmatter.dumps, posts)), repeat)
    )
    report.ratio("dumps vs frontmatter.dumps (speed-up)", theirs / ours, DUMPS_TARGET)


def _measure_iter_dir(report: _Report, small: Path, large: Path) -> None:
    print("\niter_dir, each in a fresh process")
    growths = []
    for folder in (small, large):
        result = _in_child("iter_dir", folder)
        growth = result["peak"] - result["listed"]
        growths.append(growth)
        report.time(f"iter_dir over {result['count']} files", result["seconds"], result["count"])
        print(
            f"      RSS {result['before'] / 2**20:.1f} MiB,"
            f" {(result['listed'] - result['before']) / 2**20:+.1f} MiB for the list of names,"
            f" then {growth / 2**20:+.1f} MiB at most while reading the files"
        )
    change = (growths[1] - growths[0]) / 2**20
    print(
        f"  {'growth while reading, all files vs a tenth':<52} {change:+8.1f} MiB  (flat: about 0)"
    )


def _measure_feed_memory(report: _Report, folder: Path, paths: list[Path]) -> None:
    result = _in_child("feed_memory", folder)
    size = sum(path.stat().st_size for path in paths)
    allocated = sum(path.stat().st_blocks * 512 for path in paths)
    delta = result["delta"]
    print(f"\nMemory of a loaded Feed of {result['count']} files (fresh process, RSS delta)")
    print(f"  {'files on disk (sum of sizes)':<52} {size / 2**20:9.1f} MiB")
    print(f"  {'files on disk (allocated blocks)':<52} {allocated / 2**20:9.1f} MiB")
    peak = result["peak"]
    print(f"  {'Feed in memory (RSS delta, after loading)':<52} {delta / 2**20:9.1f} MiB")
    print(f"  {'peak RSS while loading, over the start':<52} {peak / 2**20:9.1f} MiB")
    # The target is held against the peak: what loading the feed asks of the
    # machine, parsing included, not only what the feed keeps afterwards.
    report.ratio("Feed peak RSS vs sum of file sizes", peak / size, MEMORY_TARGET, at_most=True)
    print(f"  {'Feed RSS after loading vs sum of file sizes':<52} {delta / size:8.2f}x")
    print(f"  {'Feed peak RSS vs allocated blocks':<52} {peak / allocated:8.2f}x")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="files in the corpus (10000)")
    parser.add_argument("--quick", action="store_true", help=f"a {QUICK_COUNT}-file corpus")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes, best kept (3)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "newsfeed-benchmark",
        help="where generated corpora are kept between runs",
    )
    options = parser.parse_args(argv)
    count = QUICK_COUNT if options.quick else options.count
    repeat = options.repeat
    if count < 10 or repeat < 1:
        parser.error("--count must be at least 10 and --repeat at least 1")

    print(f"newsfeed benchmark: {count} files, seed {options.seed}, best of {repeat}")
    print(f"machine: {_machine()}")
    large = _corpus(options.cache, count, options.seed)
    small = _corpus(options.cache, count // 10, options.seed)
    paths = sorted(large.glob("*.md"))
    size = _read_all(paths)
    print(f"corpus: {len(paths)} files, {size / len(paths) / 1024:.1f} KiB on average, in {large}")

    report = _Report(len(paths))
    _time_loading(report, paths, large, repeat)
    _time_writing(report, paths, repeat)
    _measure_iter_dir(report, small, large)
    _measure_feed_memory(report, large, paths)

    met = sum(ok for _, ok in report.targets)
    print(f"\n{met} of {len(report.targets)} targets met")
    if len(paths) < TARGET_COUNT:
        print(f"  (the targets are set for {TARGET_COUNT} files; small runs are noisier)")
    for label, ok in report.targets:
        if not ok:
            print(f"  not met: {label}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        task, folder = sys.argv[2:4]
        print(json.dumps(_CHILDREN[task](folder)))
        sys.exit(0)
    sys.exit(main())
