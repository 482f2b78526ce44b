"""Reading every article file of a folder, in a stable order, with every failure accounted for."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Generator, Iterator, Mapping
from types import TracebackType
from typing import Final, Literal, Self, TypeAlias

from newsfeed._errors import FeedLoadError, LoadFailure
from newsfeed._extras import ProgressBar, progress_bar_factory
from newsfeed._feed.collector import collector_paused
from newsfeed._feed.feed import Feed
from newsfeed._feed.workers import NONE_REFUSED, Bars, load_in_workers, load_one
from newsfeed._files.listing import Listing, drain, walk
from newsfeed._index.index import load_cached
from newsfeed._model import Article

__all__ = ["DirIterator", "collector_paused", "iter_dir", "load_dir"]

_log: Final = logging.getLogger("newsfeed")

ErrorMode: TypeAlias = Literal["raise", "skip"]
_ERROR_MODES: Final = ("raise", "skip")


def _check_errors(errors: str) -> None:
    if errors not in _ERROR_MODES:
        raise ValueError(f"errors must be 'raise' or 'skip', got {errors!r}")


def _report(feed: Feed, *, errors: ErrorMode, total: int, root: str) -> None:
    """Raise or log the failures of a folder once every file has been tried."""
    failures = feed.failures
    if not failures:
        return
    if errors == "raise":
        raise FeedLoadError(failures, feed, total)
    _log.warning(
        "%d of %d files under %s could not be loaded; each is listed with its reason in .failures",
        len(failures),
        total,
        root,
    )


def _check_workers(workers: int) -> None:
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise TypeError(f"workers must be an integer, got {workers!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")


def load_dir(  # noqa: PLR0913 -- the options of a public function, all keyword-only
    path: str | os.PathLike[str],
    *,
    pattern: str = "**/*.md",
    errors: ErrorMode = "raise",
    progress: bool = False,
    workers: int = 1,
    include_hidden: bool = False,
    follow_outside_links: bool = False,
    cache: bool = False,
) -> Feed:
    """Load every article file under the folder *path* into a :class:`Feed`.

    Files matching the glob *pattern* are read in sorted order (by path
    components, so a folder's files stay together whatever the file system),
    each with :func:`newsfeed.load`. Every file is tried:

    - with ``errors="raise"`` (the default), if any file failed, one
      :class:`~newsfeed.FeedLoadError` is raised at the end, listing every bad
      file with its reason in its message and in ``failures``;
    - with ``errors="skip"``, the feed holds the good articles and its
      ``failures`` holds a :class:`~newsfeed.LoadFailure` (the path and its
      error) per bad file; one warning with the count is logged on the
      ``newsfeed`` logger.

    A file that cannot be read (an :class:`OSError`) is a failure like a
    file that does not parse, and so is anything else one file raises.
    Only regular files are read: a FIFO, socket or device named like an
    article file is a failure; a folder is searched, whatever its name, and
    one that cannot be listed is a failure. Hidden files and folders (``.git``,
    ``.venv``) are skipped unless ``include_hidden=True``; a link to a file
    outside the folder is a failure unless ``follow_outside_links=True``;
    the temporary files of :func:`newsfeed.dump` are never listed.
    ``progress=True`` shows a tqdm progress bar and
    needs the extra ``newsfeed-articles[progress]``. ``workers=N`` with N > 1 parses in
    N processes, in chunks of files; the feed is the same as with one worker.
    It pays little on two cores (1.2 to 1.3 times as fast when both are
    idle) and loses on a machine whose cores are busy: the parent must still
    take in every article the workers send back, which costs it a large share
    of what parsing would, so there it is slower than one worker (the
    default). It pays only with several idle cores; the
    documentation's performance page has the measured figures. The chunks
    of a worker killed by the system are read again, each in a process of
    its own; a chunk that kills its worker again is reported as failures.
    Workers end with the process that started them, even when it is killed.

    The cyclic garbage collector is paused while the feed is built (in this
    process; workers pause their own), since walking the new, acyclic
    articles is wasted work that grows with the folder; in a ``finally``, it
    is turned on again only if it was on before.

    ``cache=True`` goes through a :class:`~newsfeed.Index` kept in the user's
    cache folder (``$NEWSFEED_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsfeed``,
    else ``~/.cache/newsfeed``; one database per folder): only files added
    or changed since the last call are parsed, in this process (*workers*
    is then unused), and the feed is the same.
    """
    _check_errors(errors)
    if cache:
        if include_hidden or follow_outside_links:
            raise ValueError(
                "cache=True reads folders by the default rules: it cannot be combined with"
                " include_hidden or follow_outside_links"
            )
        return load_cached(path, pattern=pattern, errors=errors, progress=progress)
    _check_workers(workers)
    new_bar = progress_bar_factory(progress)
    listing = _listing(path, pattern, include_hidden, follow_outside_links)
    total = len(listing.files)
    # The articles are acyclic: the collector's walks over them would be
    # wasted work that grows with the folder (see collector_paused).
    with collector_paused():
        feed = _load_listing(listing, workers, new_bar)
    _report(feed, errors=errors, total=total, root=os.fspath(path))
    return feed


def _load_listing(
    listing: Listing, workers: int, new_bar: Callable[..., ProgressBar] | None
) -> Feed:
    """Load the files of *listing*, in this process or in *workers* processes.

    In this process, the listing is drained: each name goes once its file is read.
    """
    paths = listing.files
    articles: list[Article] = []
    failures: list[LoadFailure] = []
    bar: ProgressBar | None = None
    try:
        if workers == 1 or not paths:
            if new_bar is not None:
                bar = new_bar(total=len(paths), desc="loading", unit="file")
            for name in drain(paths):
                _collect(load_one(name, listing.refused), articles, failures, bar)
        else:
            bars = Bars(new_bar, total=len(paths), desc=f"loading ({workers} workers)")
            try:
                for item in load_in_workers(listing, workers, bars):
                    _collect(item, articles, failures, None)
            finally:
                bars.close()
    finally:
        if bar is not None:
            bar.close()
    return Feed(articles, failures=failures)


def _listing(
    path: str | os.PathLike[str], pattern: str, include_hidden: bool, follow_outside_links: bool
) -> Listing:
    return walk(
        path, pattern, include_hidden=include_hidden, follow_outside_links=follow_outside_links
    )


def _collect(
    item: Article | LoadFailure,
    articles: list[Article],
    failures: list[LoadFailure],
    bar: ProgressBar | None,
) -> None:
    if isinstance(item, LoadFailure):
        failures.append(item)
    else:
        articles.append(item)
    if bar is not None:
        bar.update()


class DirIterator(Iterator[Article]):
    """The articles of a folder, read one file at a time: what :func:`iter_dir` returns.

    Only the sorted list of file names is held, and the article being
    yielded: the folder is listed when the iterator is created and each
    file is read when its turn comes.

    Failures are reported as they are met: ``failures`` grows with one
    :class:`~newsfeed.LoadFailure` per bad file. When the last file has been
    tried, the iterator either raises one :class:`~newsfeed.FeedLoadError`
    listing them all (``errors="raise"``, after yielding every good article)
    or logs one warning with the count (``errors="skip"``). Stopping early
    reports nothing beyond what ``failures`` already holds.

    It is also a context manager that closes the progress bar, if any, on exit.
    """

    __slots__ = ("_failures", "_items", "root", "total")

    root: str
    total: int

    def __init__(
        self,
        root: str,
        paths: list[str],
        *,
        errors: ErrorMode,
        bar: ProgressBar | None,
        refused: Mapping[str, str] = NONE_REFUSED,
    ) -> None:
        self.root = root
        #: How many files matched, good and bad.
        self.total = len(paths)
        self._failures: list[LoadFailure] = []
        # A copy, drained as files are read: the caller's list stays whole.
        self._items = _read(list(paths), refused, self._failures, errors=errors, bar=bar, root=root)

    @property
    def failures(self) -> tuple[LoadFailure, ...]:
        """The files that failed so far, in the order they were read."""
        return tuple(self._failures)

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> Article:
        return next(self._items)

    def close(self) -> None:
        """Stop reading; the progress bar, if any, is closed."""
        self._items.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<DirIterator over {self.total} files under {self.root!r}>"


def _read(  # noqa: PLR0913 -- the iterator's state, passed once
    paths: list[str],
    refused: Mapping[str, str],
    failures: list[LoadFailure],
    *,
    errors: ErrorMode,
    bar: ProgressBar | None,
    root: str,
) -> Generator[Article, None, None]:
    # A plain function rather than a method, so the generator does not keep
    # its DirIterator alive through a reference cycle.
    total = len(paths)
    try:
        for path in drain(paths):
            item = load_one(path, refused)
            if bar is not None:
                bar.update()
            if isinstance(item, LoadFailure):
                failures.append(item)
            else:
                yield item
                # Let go of the article before reading the next file.
                del item
    finally:
        if bar is not None:
            bar.close()
    # The articles were handed out one by one: the error's feed has none.
    _report(Feed((), failures=failures), errors=errors, total=total, root=root)


def iter_dir(  # noqa: PLR0913 -- the options of a public function, all keyword-only
    path: str | os.PathLike[str],
    *,
    pattern: str = "**/*.md",
    errors: ErrorMode = "raise",
    progress: bool = False,
    include_hidden: bool = False,
    follow_outside_links: bool = False,
) -> DirIterator:
    """Iterate over the articles under the folder *path*, reading one file at a time.

    For corpora larger than memory: the same files, order, options and
    *errors* semantics as :func:`load_dir`, but only one article is held at
    a time, and failures keep no traceback, so memory stays flat however
    many files fail.
    Failures collect in the iterator's ``failures`` as they happen; see
    :class:`DirIterator` for when they are raised or logged.
    ``progress=True`` shows a tqdm bar (extra ``newsfeed-articles[progress]``).
    """
    _check_errors(errors)
    new_bar = progress_bar_factory(progress)
    listing = _listing(path, pattern, include_hidden, follow_outside_links)
    total = len(listing.files)
    bar = None if new_bar is None else new_bar(total=total, desc="reading", unit="file")
    return DirIterator(
        os.fspath(path), listing.files, errors=errors, bar=bar, refused=listing.refused
    )
