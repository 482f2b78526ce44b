"""What the command line needs around files: finding them, loading them, naming their problems."""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from fnmatch import fnmatchcase
from pathlib import Path, PurePath
from typing import Final

import attrs

from newsfeed._cli.terminal import printable
from newsfeed._errors import LoadFailure, ParseError, ValidationError, failure_from
from newsfeed._feed.feed import Feed
from newsfeed._feed.folder import load_dir
from newsfeed._files.listing import walk
from newsfeed._files.reading import load
from newsfeed._model import Article

__all__ = [
    "DEFAULT_SELECTION",
    "PATTERN",
    "SKIPPED_FOLDERS",
    "Problem",
    "Selection",
    "article_files",
    "article_listing",
    "load_feed",
    "load_one",
    "problem_from",
    "problems_from",
]

#: The files a folder holds, as ``load_dir`` finds them.
PATTERN: Final = "**/*.md"
#: Folders of tools and packages, never searched unless named: their Markdown
#: (a virtual environment's READMEs) is not articles. Hidden folders
#: (``.git``, ``.venv``) are skipped too.
SKIPPED_FOLDERS: Final = frozenset({".venv", "venv", "node_modules"})
#: Markdown files of a repository that are not articles, skipped in folders in
#: any case, as the pre-commit hooks leave them out.
_NOT_ARTICLES: Final = re.compile(r"(readme|changelog|contributing)\.md", re.IGNORECASE)


def _matches(pattern: str, relative: PurePath, *, whole_path_only: bool) -> bool:
    """Say whether the glob *pattern* matches the file at *relative* (to its folder).

    A pattern without a slash matches a name: the file's, or (unless
    *whole_path_only*) any folder's on the way. One with a slash matches the
    path from the folder given (or, unless *whole_path_only*, a folder on
    it), and its ``*`` also spans slashes.
    """
    if "/" not in pattern:
        names = relative.parts[-1:] if whole_path_only else relative.parts
        return any(fnmatchcase(name, pattern) for name in names)
    pattern = pattern.strip("/")
    paths = [relative, *([] if whole_path_only else relative.parents[:-1])]
    return any(fnmatchcase(path.as_posix(), pattern) for path in paths)


@attrs.frozen(kw_only=True)
class Selection:
    """Which files of a folder the commands read (``--include``, ``--exclude`` and the defaults).

    A file is read when its name (or, for a pattern with a slash, its path
    from the folder given) matches an *include* glob, nothing on its path
    matches an *exclude* glob, and it is in no hidden folder nor one of
    :data:`SKIPPED_FOLDERS` below the folder given. README, CHANGELOG and
    CONTRIBUTING files are left out. Files named on the command line are
    always read.
    """

    include: tuple[str, ...] = ("*.md",)
    exclude: tuple[str, ...] = ()

    @property
    def pattern(self) -> str:
        """The glob that lists a folder's candidates, before :meth:`wants` picks among them."""
        return PATTERN if self.include == ("*.md",) else "**/*"

    def describe(self) -> str:
        """Say what a folder is searched for, for a warning that nothing was found."""
        if self.include == ("*.md",):
            return PATTERN
        return " or ".join(self.include)

    def wants(self, relative: PurePath) -> bool:
        """Say whether to read the file at *relative*, its path from the folder given."""
        folders = relative.parts[:-1]
        if any(name.startswith(".") or name in SKIPPED_FOLDERS for name in folders):
            return False
        if _NOT_ARTICLES.fullmatch(relative.name):
            return False
        if any(_matches(glob, relative, whole_path_only=False) for glob in self.exclude):
            return False
        return any(_matches(glob, relative, whole_path_only=True) for glob in self.include)


#: What a folder gives without ``--include`` or ``--exclude``.
DEFAULT_SELECTION: Final = Selection()


@attrs.frozen
class Problem:
    """One file that failed, in the terms ``check`` reports: where, which field, why."""

    path: str
    line: int | None
    field: str | None
    message: str

    def render(self) -> str:
        """Return ``file:line: field: message``, leaving out what is unknown, escaped for people.

        A problem without a line (an unreadable or oversized file) reads
        ``file: field: message``; one that concerns no single field (a YAML
        syntax error, a missing fence) reads ``file:line: message``.
        """
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = "" if self.field is None else f" {self.field}:"
        # For people: a file name, key or message cannot drive the terminal.
        return printable(f"{where}:{field} {self.message}")

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


def problems_from(error: Exception, path: str | os.PathLike[str]) -> list[Problem]:
    """Describe every problem of the file at *path*: each of a ValidationError's, else one."""
    if isinstance(error, ValidationError):
        return [problem_from(each, path) for each in error.errors]
    return [problem_from(error, path)]


def article_files(paths: Iterable[Path], selection: Selection = DEFAULT_SELECTION) -> list[Path]:
    """Return the files *paths* name that may be read: see :func:`article_listing`."""
    return article_listing(paths, selection)[0]


def article_listing(
    paths: Iterable[Path], selection: Selection = DEFAULT_SELECTION
) -> tuple[list[Path], list[Problem]]:
    """Return the files *paths* name, and the problem of each file found but not to be read.

    Files are taken as given, and each folder's files as *selection* wants
    them, in the order :func:`newsfeed.load_dir` reads them, dangling links
    included (so that they are reported, not skipped). A link from a folder
    to a file outside it is not to be read: it comes back as a problem. A
    file reached twice (named, and inside a named folder) is listed once,
    where it first appears.
    """
    seen: set[Path] = set()
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        refused: Mapping[str, str] = {}
        found: Sequence[str | Path] = [path]
        if path.is_dir():
            # Tools' folders are not entered at all: node_modules can be huge.
            listing = walk(
                path,
                selection.pattern,
                exclude=_in_skipped_folder,
                # Here a file named on the command line is always read.
                remedy="name it on the command line to read it",
            )
            refused = listing.refused
            found = [
                name
                for name in listing.files
                # A folder that could not be listed: its files are unknown,
                # so it is a problem whatever the selection wants.
                if selection.wants(Path(name).relative_to(path))
                or (name in refused and Path(name).is_dir())
            ]
        for name in found:
            file = Path(name)
            key = _identity(file)
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


def _in_skipped_folder(relative: str) -> bool:
    return relative.rsplit("/", 1)[-1] in SKIPPED_FOLDERS


@contextlib.contextmanager
def _library_warnings_silenced() -> Iterator[None]:
    # load_dir(errors="skip") logs one warning pointing at `feed.failures`:
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


def load_feed(
    paths: Iterable[Path], *, selection: Selection = DEFAULT_SELECTION, workers: int = 1
) -> tuple[Feed, list[Problem]]:
    """Load the articles of the files :func:`article_files` lists, and describe every failure.

    Files are read in that order, each once. With several *workers*, each
    folder is read with :func:`newsfeed.load_dir` in that many processes
    and what *selection* leaves out is dropped; otherwise each file is read
    with :func:`newsfeed.load`.
    """
    paths = list(paths)
    files, problems = article_listing(paths, selection)
    loaded: dict[Path, Article | LoadFailure] = {}
    if workers > 1:
        with _library_warnings_silenced():
            for path in paths:
                if path.is_dir():
                    feed = load_dir(path, pattern=selection.pattern, errors="skip", workers=workers)
                    for key, item in _by_path([*feed, *feed.failures]):
                        # A file reached twice is listed under its first name.
                        loaded.setdefault(key, item)
    articles: list[Article] = []
    for file in files:
        result = loaded.get(_identity(file))
        if result is None:
            result = load_one(file)
        if isinstance(result, LoadFailure):
            problems.extend(problems_from(result.error, result.path))
        else:
            articles.append(result)
    return Feed(articles), problems


def _by_path(
    items: Iterable[Article | LoadFailure],
) -> Iterator[tuple[Path, Article | LoadFailure]]:
    for item in items:
        if item.path is not None:  # pragma: no branch -- loaded from a file, it has a path
            yield _identity(item.path), item


def _identity(file: Path) -> Path:
    """Return the file *file* leads to, to read it once; a loop of links leads to itself."""
    try:
        return file.resolve()
    except (RuntimeError, OSError):
        # Read under its own name, it fails with the system's error.
        return file.absolute()


def load_one(path: Path) -> Article | LoadFailure:
    """Read the article at *path*, or return why it could not be read."""
    try:
        return load(path)
    except Exception as error:  # noqa: BLE001 -- whatever one file raises is its failure
        return failure_from(path, error)
