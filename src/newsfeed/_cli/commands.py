"""What each ``newsfeed`` command does, once its arguments are parsed.

Each command takes typed keyword arguments, writes its results to stdout
and its diagnostics and summary to stderr, and returns the exit code.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import json
import os
import shutil
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
    problem_from,
    problems_from,
)
from newsfeed._cli.render import DEFAULT_COLUMNS, write_feed
from newsfeed._cli.stats import FeedStats, render_text, to_json
from newsfeed._cli.terminal import printable, terminal_width
from newsfeed._errors import NewsfeedError, NewsfeedWarning
from newsfeed._feed.feed import Feed
from newsfeed._files.reading import read_file
from newsfeed._files.writing import dump
from newsfeed._format.reading import MAX_FILE_BYTES, loads
from newsfeed._format.writing import dumps
from newsfeed._index.schema import IndexRebuiltWarning
from newsfeed._model import Article

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "STDIN",
    "STDIN_NAME",
    "Query",
    "check",
    "fmt",
    "fmt_stdin",
    "formatted_text",
    "ls",
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


def _plural(count: int, noun: str) -> str:
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


def _files_or_warn(paths: Sequence[Path], selection: Selection) -> tuple[list[Path], list[Problem]]:
    """Return the files to read and the problems of those found but not to be read."""
    if list(paths) == [STDIN]:
        return [STDIN], []
    files, problems = article_listing(paths, selection)
    if not files and not problems:
        warn_no_files(selection)
    return files, problems


def _read(path: Path) -> bytes:
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
    files, problems = _files_or_warn(paths, selection)
    if output_format == "text":
        for problem in problems:
            print(problem.render())
    for path in files:
        # What is read but left out (a null topic) is a warning, no problem:
        # warnings_reported names it.
        try:
            loads(_read(path), source=_name(path))
        except Exception as error:  # noqa: BLE001 -- whatever one file raises is its problem
            found = problems_from(error, _name(path))
            problems.extend(found)
            if output_format == "text":
                for problem in found:
                    print(problem.render())
    if output_format == "json":
        print(json.dumps([problem.to_json() for problem in problems], indent=2))
    if problems:
        summary = f"{_plural(len(problems), 'problem')} in {_plural(len(files), 'file')} checked"
    else:
        summary = f"{_plural(len(files), 'file')} checked, no problems"
    print(summary, file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def fmt(
    paths: Sequence[Path],
    *,
    check_only: bool = False,
    diff: bool = False,
    drop_comments: bool = False,
    selection: Selection = DEFAULT_SELECTION,
) -> int:
    """Rewrite every file in the canonical layout, or (*check_only*) list those that differ.

    With *diff*, print a unified diff of each file that would change and
    write nothing. A file that fails to load is never written; it is reported
    and counted. Neither is a file with comments, which the canonical layout
    cannot keep, unless *drop_comments*. A file already canonical is not
    written either, so its mtime stays.
    """
    files, refused = _files_or_warn(paths, selection)
    changed = unchanged = 0
    failed = len(refused)
    for problem in refused:
        print(f"error: cannot format {problem.render()}", file=sys.stderr)
    for path in files:
        try:
            original = _read(path)
            article, formatted = formatted_text(original, source=path, drop_comments=drop_comments)
        except Exception as error:  # noqa: BLE001 -- whatever one file raises is its problem
            failed += 1
            print(f"error: cannot format {problem_from(error, path).render()}", file=sys.stderr)
            continue
        if formatted == original:
            unchanged += 1
            continue
        if diff:
            changed += 1
            _print_diff(path, original, formatted)
            continue
        if check_only:
            changed += 1
            print(f"would reformat {printable(str(path))}")
            continue
        try:
            dump(article, path, canonical=True, drop_comments=drop_comments)
        except OSError as error:
            failed += 1
            print(
                f"error: cannot write {printable(str(path))}: {_why_not_written(error)}",
                file=sys.stderr,
            )
            continue
        changed += 1
        print(f"reformatted {printable(str(path))}")
    preview = check_only or diff
    _fmt_summary(changed=changed, unchanged=unchanged, failed=failed, check_only=preview)
    return EXIT_PROBLEMS if failed or (check_only and changed) else EXIT_OK


#: What dump refuses to replace, by errno, said for the command line: dump's
#: own words, for Python callers, name the keyword argument that lifts the
#: refusal, and fmt has no option for either.
_REFUSALS: Final = {
    errno.EACCES: "the file is read-only",
    errno.EMLINK: "the file has other hard links, which would keep the old text",
}


def _why_not_written(error: OSError) -> str:
    reason = error.strerror or str(error)
    # The system's errors come in its own words (a folder we may not write
    # in is EACCES too); dump's refusals in others.
    if error.errno in _REFUSALS and reason != os.strerror(error.errno):
        return _REFUSALS[error.errno]
    return reason


def formatted_text(
    original: bytes, *, source: str | Path, drop_comments: bool = False
) -> tuple[Article, bytes]:
    """Return the article *original* holds and its text in the canonical layout.

    What ``fmt`` writes for a file, and to stdout for ``fmt -``. Raises
    :class:`~newsfeed.NewsfeedError` when *original* is not an article, or
    has comments and not *drop_comments*.
    """
    article = loads(original, source=source)
    return article, dumps(article, canonical=True, drop_comments=drop_comments).encode("utf-8")


def fmt_stdin(*, check_only: bool = False, diff: bool = False, drop_comments: bool = False) -> int:
    """Format the article on stdin to stdout, or (*check_only*, *diff*) say what would change.

    Input that fails to load goes to stdout unchanged (unless *check_only*
    or *diff*), so that an editor filtering its buffer through
    ``newsfeed fmt -`` never loses it; the error goes to stderr and the exit
    code is 1.
    """
    original = _read(STDIN)
    preview = check_only or diff
    try:
        _, formatted = formatted_text(original, source=STDIN_NAME, drop_comments=drop_comments)
    except NewsfeedError as error:
        print(f"error: cannot format {problem_from(error, STDIN_NAME).render()}", file=sys.stderr)
        if not preview:
            _write_bytes(original)
            # Past the size limit, loads stopped reading: pass the rest on too.
            shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)
        _fmt_summary(changed=0, unchanged=0, failed=1, check_only=preview)
        return EXIT_PROBLEMS
    changed = formatted != original
    if diff:
        if changed:
            _print_diff(Path(STDIN_NAME), original, formatted)
    elif check_only:
        if changed:
            print(f"would reformat {STDIN_NAME}")
    else:
        _write_bytes(formatted)
    _fmt_summary(changed=int(changed), unchanged=int(not changed), failed=0, check_only=preview)
    return EXIT_PROBLEMS if check_only and changed else EXIT_OK


def _write_bytes(data: bytes) -> None:
    # The bytes as they are: the text layer would turn "\n" into the
    # platform's line end, and the canonical layout ends lines with "\n".
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _print_diff(path: Path, original: bytes, formatted: bytes) -> None:
    """Print what fmt would change in *path*, as a unified diff."""
    # The original is shown as read; undecodable files never get here.
    before = original.decode("utf-8").splitlines(keepends=True)
    after = formatted.decode("utf-8").splitlines(keepends=True)
    # The header names the file for people: a name can hold ESC, as a title can.
    name = printable(str(path))
    sys.stdout.writelines(
        difflib.unified_diff(before, after, fromfile=name, tofile=f"{name} (formatted)")
    )


def _fmt_summary(*, changed: int, unchanged: int, failed: int, check_only: bool) -> None:
    would = "would be " if check_only else ""
    parts = []
    if changed:
        parts.append(f"{_plural(changed, 'file')} {would}reformatted")
    if unchanged:
        parts.append(f"{_plural(unchanged, 'file')} {would}left unchanged")
    if failed:
        # Whether it failed to load or to be written, the file is as it was.
        parts.append(f"{_plural(failed, 'file')} could not be formatted (left untouched)")
    if parts:
        print(", ".join(parts), file=sys.stderr)


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
            f"error: {_plural(len(problems), 'file')} could not be loaded; {what} leaves "
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
        print(f"{len(selected)} of {_plural(len(feed), 'article')}", file=sys.stderr)
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
