"""What the command line needs around files: finding them, loading them, naming their problems."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final

import attrs

from newsfeed._errors import LoadFailure, ParseError, ValidationError, failure_from
from newsfeed._feed.feed import Feed
from newsfeed._feed.folder import load_dir
from newsfeed._files.listing import walk
from newsfeed._files.reading import load
from newsfeed._model import Article

__all__ = ["PATTERN", "Problem", "article_files", "article_listing", "load_feed", "problem_from"]

#: The files a folder holds, as ``load_dir`` finds them.
PATTERN: Final = "**/*.md"


@attrs.frozen
class Problem:
    """One file that failed, in the terms ``check`` reports: where, which field, why."""

    path: str
    line: int | None
    field: str | None
    message: str

    def render(self) -> str:
        """Return ``file:line: field: message``, leaving out what is unknown.

        A problem without a line (an unreadable or oversized file) reads
        ``file: field: message``; one that concerns no single field (a YAML
        syntax error, a missing fence) reads ``file:line: message``.
        """
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = "" if self.field is None else f" {self.field}:"
        return f"{where}:{field} {self.message}"

    def to_json(self) -> dict[str, object]:
        """Return the problem as a JSON-ready mapping."""
        return attrs.asdict(self)


def problem_from(error: Exception, path: str | os.PathLike[str]) -> Problem:
    """Describe why the file at *path* could not be read as an article."""
    shown = os.fspath(path)
    if isinstance(error, ParseError | ValidationError):
        return Problem(
            path=shown if error.source is None else error.source,
            line=error.line,
            field=error.field,
            message=error.reason,
        )
    if isinstance(error, OSError):
        return Problem(
            path=shown, line=None, field=None, message=f"cannot read: {error.strerror or error}"
        )
    return Problem(path=shown, line=None, field=None, message=f"{type(error).__name__}: {error}")


def article_files(paths: Iterable[Path]) -> list[Path]:
    """Return the files *paths* name that may be read: see :func:`article_listing`."""
    return article_listing(paths)[0]


def article_listing(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Return the files *paths* name, and the problem of each file found but not to be read.

    Files are taken as given, and each folder's ``**/*.md`` as
    :func:`newsfeed.load_dir` finds them: in its order, dangling links
    included (so that they are reported, not skipped), hidden names skipped.
    A link from a folder to a file outside it is not to be read: it comes
    back as a problem. A file reached twice (named, and inside a named
    folder) is listed once, where it first appears.
    """
    seen: set[Path] = set()
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        refused: Mapping[str, str] = {}
        found: Sequence[str | Path] = [path]
        if path.is_dir():
            listing = walk(path, PATTERN)
            found, refused = listing.files, listing.refused
        for name in found:
            file = Path(name)
            key = file.resolve()
            if key in seen:
                continue
            seen.add(key)
            if name in refused:
                problems.append(
                    Problem(path=str(name), line=None, field=None, message=refused[str(name)])
                )
            else:
                files.append(file)
    return files, problems


@contextlib.contextmanager
def _library_warnings_silenced() -> Iterator[None]:
    # load_dir(errors="skip") logs one warning pointing at `feed.errors`:
    # useful in a script, noise here, where every failure is reported by
    # name. A handler on the library's logger keeps Python's last-resort
    # handler from printing it; it goes away with the command.
    logger = logging.getLogger("newsfeed")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def load_feed(paths: Iterable[Path], *, workers: int = 1) -> tuple[Feed, list[Problem]]:
    """Load the articles *paths* name into one feed, and describe every file that failed.

    Folders are read with :func:`newsfeed.load_dir` (in *workers*
    processes), files with :func:`newsfeed.load`. A file reached twice is
    loaded once.
    """
    articles: list[Article] = []
    failures: list[LoadFailure] = []
    with _library_warnings_silenced():
        for path in paths:
            if path.is_dir():
                feed = load_dir(path, pattern=PATTERN, errors="skip", workers=workers)
                articles.extend(feed)
                failures.extend(feed.errors)
                continue
            try:
                articles.append(load(path))
            except Exception as error:  # noqa: BLE001 -- whatever one file raises is its failure
                failures.append(failure_from(path, error))
    seen: set[Path] = set()
    unique = [article for article in articles if _first_time(article.path, seen)]
    problems = [
        problem_from(failure.error, failure.path)
        for failure in failures
        if _first_time(failure.path, seen)
    ]
    return Feed(unique), problems


def _first_time(path: Path | None, seen: set[Path]) -> bool:
    if path is None:  # pragma: no cover -- loaded from a file, an article has a path
        return True
    key = path.resolve()
    if key in seen:
        return False
    seen.add(key)
    return True
