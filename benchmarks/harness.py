"""What every part of the benchmark shares: clocks, memory gauges, the report, the peers.

Nothing here knows what is measured; ``peers.py``, ``queries.py`` and
``memory.py`` do, and ``run.py`` runs them.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import platform
import resource
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Final, TextIO, TypeVar

import yaml

import newsfeed
from newsfeed._format.compiled import compiled_modules

__all__ = [
    "Corpus",
    "Report",
    "Target",
    "WarningTally",
    "best",
    "collector_time",
    "current_rss",
    "machine",
    "peak_rss",
    "quiet_newsfeed_logging",
    "refusals",
    "require",
    "reset_peak",
    "split_front_matter",
    "spread",
    "tally_newsfeed_warnings",
    "without_gc",
]

MIB: Final = 2**20
_T = TypeVar("_T")
#: The distributions the peers come from, for the error message when one is missing.
_DISTRIBUTIONS: Final = {
    "frontmatter": "python-frontmatter",
    "ruamel.yaml": "ruamel.yaml",
    "pandas": "pandas",
}


def require(module: str) -> ModuleType:
    """Import a peer the benchmark measures against, or exit naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError:
        sys.exit(f"{_DISTRIBUTIONS.get(module, module)} is missing: pip install -e '.[bench]'")


def quiet_newsfeed_logging() -> None:
    """Keep load_dir's warning about skipped files off the output.

    The benchmark loads folders with ``errors="skip"`` many times and prints
    how many files each tool refused, with the reasons, once per corpus.
    """
    logging.getLogger("newsfeed").setLevel(logging.ERROR)


# Memory.


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


# Time.


def _best_each(functions: Sequence[Callable[[], object]], repeat: int) -> list[float]:
    """Return the best wall time of each function over *repeat* rounds, one call each a round."""
    fastest = [float("inf")] * len(functions)
    for _ in range(repeat):
        for which, function in enumerate(functions):
            gc.collect()
            started = time.perf_counter()
            function()
            fastest[which] = min(fastest[which], time.perf_counter() - started)
    return fastest


def spread(items: Sequence[_T], count: int) -> list[_T]:
    """Return at most *count* of *items*, evenly spread over them (every one if fewer)."""
    step = max(1, len(items) // count)
    return list(items[::step])[:count]


def best(function: Callable[[], object], repeat: int) -> float:
    """Return the best wall time of *repeat* calls: the least disturbed by other load."""
    return _best_each([function], repeat)[0]


def best_pair(
    ours: Callable[[], object], theirs: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Return the best wall times of *ours* and *theirs*, their passes taken in turn.

    On a shared machine, speed drifts over minutes: timing all of one tool's
    passes, then all of the other's, would put that drift into their ratio.
    """
    ours_time, theirs_time = _best_each([ours, theirs], repeat)
    return ours_time, theirs_time


def collector_time(function: Callable[[], object]) -> tuple[float, int]:
    """Return the seconds the cyclic collector ran during one call of *function*, and its runs.

    Taken from ``gc.callbacks``, which the collector calls as it starts and
    ends each collection: what the collector cost inside the call, whichever
    code triggered it.
    """
    spent = 0.0
    runs = 0
    started = 0.0

    def record(phase: str, _info: dict[str, int]) -> None:
        nonlocal spent, runs, started
        if phase == "start":
            started = time.perf_counter()
        else:
            spent += time.perf_counter() - started
            runs += 1

    gc.collect()
    gc.callbacks.append(record)
    try:
        function()
    finally:
        gc.callbacks.remove(record)
    return spent, runs


def without_gc(function: Callable[[], object]) -> object:
    """Call *function* with the cyclic garbage collector paused, as a user may."""
    gc.disable()
    try:
        return function()
    finally:
        gc.enable()


# Files.


def split_front_matter(text: str) -> tuple[str, str] | None:
    """Return (front matter, body) of a fenced file, LF or CRLF; None if it has no fences."""
    newline = "\r\n" if text.startswith("---\r\n") else "\n"
    fence = f"---{newline}"
    if not text.startswith(fence):
        return None
    closing = text.find(f"{newline}{fence}", len(fence) - len(newline))
    if closing < 0:
        return None
    front = text[len(fence) : closing + len(newline)]
    return front, text[closing + len(newline) + len(fence) :]


def refusals(errors: Iterable[object]) -> Counter[str]:
    """Count refused files by reason: the error's message without its file and line."""
    reasons: Counter[str] = Counter()
    for failure in errors:
        error = getattr(failure, "error", failure)
        message = str(error).rsplit(".md:", 1)[-1]
        # "12: topics[3]: expected ..." -> "topics[i]: expected ...": one reason, any line.
        message = message.partition(": ")[2] if message[:1].isdigit() else message
        reasons[f"{type(error).__name__}: {_without_indices(message)}"] += 1
    return reasons


@dataclass
class WarningTally:
    """The files newsfeed warned about, and the reasons, each file counted once."""

    reasons_by_file: dict[str, set[str]] = field(default_factory=dict)

    def add(self, warning: Warning) -> None:
        """Count one warning, under its file (its ``source``) and its reason."""
        field_path = getattr(warning, "field", None)
        reason = getattr(warning, "reason", None) or str(warning)
        where = f"{_without_indices(field_path)}: " if field_path else ""
        source = getattr(warning, "source", None)
        self.reasons_by_file.setdefault(str(source), set()).add(
            f"{type(warning).__name__}: {where}{reason}"
        )

    def reasons(self) -> Counter[str]:
        """Count files by reason."""
        return Counter(reason for found in self.reasons_by_file.values() for reason in found)


@contextmanager
def tally_newsfeed_warnings() -> Iterator[WarningTally]:
    """Count newsfeed's warnings (a null topic item left out, ...) instead of printing them.

    A folder with such files would print two lines per file and per step
    that reads it. Every warning is counted, not only the first from each
    line of code; other warnings are shown as usual. Worker processes forked
    inside inherit the hook, so they do not print either.
    """
    tally = WarningTally()
    with warnings.catch_warnings():
        shown = warnings.showwarning
        warnings.simplefilter("always", newsfeed.NewsfeedWarning)

        def show(  # noqa: PLR0913, PLR0917 -- the signature of warnings.showwarning
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            if isinstance(message, newsfeed.NewsfeedWarning):
                tally.add(message)
            else:
                shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield tally


def _without_indices(message: str) -> str:
    out, skipping = [], False
    for character in message:
        if character == "[":
            skipping = True
            out.append("[i]")
        elif character == "]":
            skipping = False
        elif not skipping:
            out.append(character)
    return "".join(out)


@dataclass(frozen=True)
class Corpus:
    """One generated folder, under a name the report uses."""

    name: str
    folder: Path
    paths: Sequence[Path]

    @property
    def size(self) -> int:
        """Return the files' total size in bytes."""
        return sum(path.stat().st_size for path in self.paths)

    @property
    def allocated(self) -> int:
        """Return the disk blocks the files take, in bytes (what ``du`` reports)."""
        return sum(path.stat().st_blocks * 512 for path in self.paths)


# The report.


@dataclass(frozen=True)
class Target:
    """A bound a figure should meet, and where it comes from (an issue)."""

    bound: float
    source: str
    at_most: bool = False

    def met_by(self, value: float) -> bool:
        """Return whether *value* meets the bound."""
        return value <= self.bound if self.at_most else value >= self.bound

    def describe(self, value: float) -> str:
        """Return ``<= 0.5 (issue 10): met`` or the like."""
        sign = "<=" if self.at_most else ">="
        verdict = "met" if self.met_by(value) else "MISSED"
        return f"{sign} {self.bound:g} ({self.source}): {verdict}"


@dataclass
class Report:
    """Prints the figures as they come, and remembers the targets for the summary."""

    results: list[tuple[str, Target, bool]] = field(default_factory=list)
    #: The checks that failed: what makes the run exit non-zero.
    failed: list[str] = field(default_factory=list)
    section_name: str = ""

    def section(self, title: str, corpus: str = "") -> None:
        """Start a section; its targets are listed under *corpus* in the summary."""
        self.section_name = corpus
        print(f"\n{title}" + (f" [{corpus}]" if corpus else ""))

    @staticmethod
    def line(label: str, figure: str) -> None:
        """Print one figure that has no target."""
        print(f"  {label:<56} {figure}")

    def per_file(self, label: str, seconds: float, count: int) -> float:
        """Print a time per file in µs; return it."""
        micros = seconds / max(count, 1) * 1e6
        self.line(label, f"{micros:9.1f} µs/file")
        return micros

    def ratio(self, label: str, value: float, *targets: Target) -> None:
        """Print a ratio with its targets, each met or missed."""
        verdicts = "; ".join(target.describe(value) for target in targets)
        self.line(label, f"{value:8.2f}x" + (f"  (target {verdicts})" if verdicts else ""))
        named = self._in_section(label)
        self.results.extend((named, target, target.met_by(value)) for target in targets)

    def check(self, label: str, ok: bool, problem: str = "") -> bool:
        """Print a check that must hold (answers agree, ...); a failed one fails the run."""
        self.line(label, "ok" if ok else f"FAILED: {problem}" if problem else "FAILED")
        if not ok:
            self.failed.append(self._in_section(label) + (f": {problem}" if problem else ""))
        return ok

    def _in_section(self, label: str) -> str:
        """Return *label* as the summary lists it: under its section's corpus, if any."""
        return f"[{self.section_name}] {label}" if self.section_name else label

    def summary(self) -> None:
        """Print how many targets were met, and which were not; then any failed check."""
        met = sum(ok for *_, ok in self.results)
        print(f"\n{met} of {len(self.results)} targets met")
        for label, target, ok in self.results:
            if not ok:
                sign = "<=" if target.at_most else ">="
                print(f"  missed: {label} ({sign} {target.bound:g}, {target.source})")
        for failure in self.failed:
            print(f"  FAILED: {failure}")


def version(distribution: str) -> str:
    """Return an installed distribution's version, or ``?``."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def machine() -> str:
    """Describe the machine and the versions measured, for the report's header."""
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
        f"python-frontmatter {version('python-frontmatter')}, "
        f"ruamel.yaml {version('ruamel.yaml')}, pandas {version('pandas')}, "
        f"newsfeed {newsfeed.__version__} ({_build()})"
    )


def _build() -> str:
    """Say whether the fast reader runs compiled by mypyc or as pure Python."""
    compiled = compiled_modules()
    return f"{len(compiled)} modules compiled with mypyc" if compiled else "pure Python"
