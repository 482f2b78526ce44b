"""What each ``newsfeed`` command does, once its arguments are parsed.

Each command takes typed keyword arguments, writes its results to stdout
and its diagnostics and summary to stderr, and returns the exit code.
"""

from __future__ import annotations

import contextlib
import json
import sys
import warnings
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Final, TextIO

import attrs

from newsfeed._cli.files import (
    DEFAULT_SELECTION,
    Problem,
    Selection,
    article_listing,
    load_feed,
    problems_from,
)
from newsfeed._cli.render import DEFAULT_COLUMNS, write_feed
from newsfeed._cli.stats import FeedStats, render_text, to_json
from newsfeed._cli.terminal import printable, terminal_width
from newsfeed._errors import NewsfeedWarning
from newsfeed._feed.feed import Feed
from newsfeed._files.reading import read_file
from newsfeed._format.reading import MAX_FILE_BYTES, loads
from newsfeed._index.schema import IndexRebuiltWarning

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "STDIN",
    "STDIN_NAME",
    "Query",
    "check",
    "files_or_warn",
    "ls",
    "plural",
    "read_input",
    "stats",
    "warn_no_files",
    "warnings_reported",
]

#: Every file was fine.
EXIT_OK = 0
#: Some file had a problem, or (``fmt --check``) would change.
EXIT_PROBLEMS = 1
#: The path ``-``: one article read from stdin (``check -``, ``fmt -``).
STDIN: Final = Path("-")
#: How messages name the article read from stdin.
STDIN_NAME: Final = "<stdin>"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _warn(message: str) -> None:
    print(f"newsfeed: {message}", file=sys.stderr)


#: The warnings newsfeed issues about files and indexes, printed for people.
_OURS: Final = (NewsfeedWarning, IndexRebuiltWarning)


@contextlib.contextmanager
def warnings_reported() -> Iterator[None]:
    """Print each of newsfeed's warnings as one ``warning: ...`` line on stderr.

    While the body runs, every :class:`~newsfeed.NewsfeedWarning` and
    :class:`~newsfeed.IndexRebuiltWarning` is shown, each time it comes,
    escaped like every message for people; other warnings are shown as
    Python shows them. Python's own form names a line of the program, takes
    two lines and prints a file name's control characters as they are.
    """
    with warnings.catch_warnings():
        for category in _OURS:
            warnings.simplefilter("always", category)
        python_shows = warnings.showwarning

        def show(  # noqa: PLR0913, PLR0917 -- the signature of warnings.showwarning
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            if issubclass(category, _OURS):
                print(f"warning: {printable(str(message))}", file=sys.stderr)
            else:
                python_shows(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


def warn_no_files(selection: Selection) -> None:
    """Say on stderr that the paths given hold no file *selection* reads."""
    _warn(f"no article files found (a folder is searched for {selection.describe()})")


def files_or_warn(paths: Sequence[Path], selection: Selection) -> tuple[list[Path], list[Problem]]:
    """Return the files to read and the problems of those found but not to be read."""
    if list(paths) == [STDIN]:
        return [STDIN], []
    files, problems = article_listing(paths, selection)
    if not files and not problems:
        warn_no_files(selection)
    return files, problems


def read_input(path: Path) -> bytes:
    # One byte past the limit, so that loads refuses an oversized file
    # without this reading all of it.
    if path == STDIN:
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    # Regular files only: a FIFO named x.md would block for ever.
    return read_file(path)


def _name(path: Path) -> str | Path:
    """Return how messages name the file at *path*."""
    return STDIN_NAME if path == STDIN else path


def check(
    paths: Sequence[Path],
    *,
    output_format: str = "text",
    selection: Selection = DEFAULT_SELECTION,
) -> int:
    """Validate every file; print one line per problem (or a JSON list)."""
    files, problems = files_or_warn(paths, selection)
    if output_format == "text":
        for problem in problems:
            print(problem.render())
    for path in files:
        # What is read but left out (a null topic) is a warning, no problem:
        # warnings_reported names it.
        try:
            loads(read_input(path), source=_name(path))
        except Exception as error:  # noqa: BLE001 -- whatever one file raises is its problem
            found = problems_from(error, _name(path))
            problems.extend(found)
            if output_format == "text":
                for problem in found:
                    print(problem.render())
    if output_format == "json":
        print(json.dumps([problem.to_json() for problem in problems], indent=2))
    if problems:
        summary = f"{plural(len(problems), 'problem')} in {plural(len(files), 'file')} checked"
    else:
        summary = f"{plural(len(files), 'file')} checked, no problems"
    print(summary, file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


@attrs.frozen(kw_only=True)
class Query:
    """What ``ls`` and ``stats`` select, and how ``ls`` orders and cuts it."""

    since: datetime | None = None
    until: datetime | None = None
    min_quality: int | None = None
    max_quality: int | None = None
    provider: tuple[str, ...] | None = None
    topic: tuple[str, ...] | None = None
    published: bool | None = None
    unique: bool = False
    sort: str | None = None
    reverse: bool = False
    limit: int | None = None

    def validate(self) -> None:
        """Raise :class:`~newsfeed.QueryError` for an invalid criterion, before any loading."""
        self.apply(Feed())

    def apply(self, feed: Feed) -> Feed:
        """Filter, deduplicate, sort, reverse and cut *feed*, in that order."""
        feed = feed.filter(
            since=self.since,
            until=self.until,
            min_quality=self.min_quality,
            max_quality=self.max_quality,
            provider=self.provider,
            topic=self.topic,
            published=self.published,
        )
        if self.unique:
            feed = feed.unique()
        if self.sort is not None:
            feed = feed.sort(self.sort, reverse=self.reverse)
        elif self.reverse:
            feed = feed[::-1]
        return feed if self.limit is None else feed[: self.limit]


def _load(
    paths: Sequence[Path], *, selection: Selection, workers: int
) -> tuple[Feed, list[Problem]]:
    feed, problems = load_feed(paths, selection=selection, workers=workers)
    if not feed and not problems:
        warn_no_files(selection)
    return feed, problems


def report_failures(problems: Sequence[Problem], *, what: str) -> int:
    """Name every file that failed, after the output; return the exit code."""
    for problem in problems:
        print(f"error: cannot load {problem.render()}", file=sys.stderr)
    if problems:
        print(
            f"error: {plural(len(problems), 'file')} could not be loaded; {what} leaves "
            f"{'it' if len(problems) == 1 else 'them'} out",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def ls(  # noqa: PLR0913 -- keyword-only, one per option of the command
    paths: Sequence[Path],
    *,
    query: Query,
    output_format: str = "table",
    columns: Sequence[str] = DEFAULT_COLUMNS,
    selection: Selection = DEFAULT_SELECTION,
    workers: int = 1,
) -> int:
    """List the articles *query* selects, in *output_format*.

    Files that fail to load are named on stderr after the listing, which
    holds every good article; the exit code is then 1.
    """
    feed, problems = _load(paths, selection=selection, workers=workers)
    selected = query.apply(feed)
    write_feed(
        selected,
        sys.stdout,
        output_format=output_format,
        columns=columns,
        width=terminal_width(),
    )
    if output_format == "table":
        print(f"{len(selected)} of {plural(len(feed), 'article')}", file=sys.stderr)
    return report_failures(problems, what="the listing")


def stats(  # noqa: PLR0913 -- keyword-only, one per option of the command
    paths: Sequence[Path],
    *,
    query: Query,
    output_format: str = "text",
    top: int | None = None,
    selection: Selection = DEFAULT_SELECTION,
    workers: int = 1,
) -> int:
    """Print counts by provider, topic and month, and the quality distribution.

    Files that fail to load are named on stderr; the exit code is then 1.
    """
    feed, problems = _load(paths, selection=selection, workers=workers)
    figures = FeedStats.of(query.apply(feed))
    if output_format == "json":
        print(json.dumps(to_json(figures, top=top), indent=2, ensure_ascii=False))
    else:
        render_text(figures, sys.stdout, top=top)
    return report_failures(problems, what="the summary")
