"""Reading every article file of a folder, in a stable order, with every failure accounted for."""

from __future__ import annotations

import logging
import math
import os
import pickle
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import TracebackType
from typing import Final, Literal, Self, TypeAlias

from newsfeed._errors import FeedLoadError, LoadFailure, ParseError, failure_from
from newsfeed._extras import ProgressBar, progress_bar_factory
from newsfeed._feed.collector import collector_paused
from newsfeed._feed.feed import Feed
from newsfeed._files.listing import Listing, walk
from newsfeed._files.reading import load_reusing
from newsfeed._index.index import load_cached
from newsfeed._model import Article

__all__ = ["DirIterator", "collector_paused", "iter_dir", "load_dir"]

_log: Final = logging.getLogger("newsfeed")

ErrorMode: TypeAlias = Literal["raise", "skip"]
_ERROR_MODES: Final = ("raise", "skip")
#: Files per task sent to a worker process: large enough that pickling the
#: task is cheap next to parsing it, small enough that the work balances
#: across workers and a progress bar moves.
_MAX_CHUNK: Final = 512
_CHUNKS_PER_WORKER: Final = 4


def _check_errors(errors: str) -> None:
    if errors not in _ERROR_MODES:
        raise ValueError(f"errors must be 'raise' or 'skip', got {errors!r}")


#: No file refused.
_NONE_REFUSED: Final[Mapping[str, str]] = {}


def _load_one(path: str, refused: Mapping[str, str] = _NONE_REFUSED) -> Article | LoadFailure:
    if path in refused:
        # Not read: a link that leads out of the folder.
        return LoadFailure(Path(path), ParseError(refused[path], source=path))
    try:
        return load_reusing(path)
    except Exception as error:  # noqa: BLE001 -- whatever one file raises is that file's failure
        return failure_from(path, error)


def _load_chunk(paths: Sequence[str], refused: Mapping[str, str] = _NONE_REFUSED) -> bytes:
    """Load a run of files in a worker process; failures travel back as values.

    The result is pickled here, rather than by the pool, so that the parent
    unpickles it itself, with the collector paused: otherwise the pool does
    it in a thread of its own, and that costs the parent as much as parsing.
    """
    with collector_paused():
        loaded = [_load_one(path, refused) for path in paths]
        return pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle_chunk(data: bytes) -> list[Article | LoadFailure]:
    with collector_paused():
        loaded: list[Article | LoadFailure] = pickle.loads(data)  # noqa: S301 -- from our own worker
    return loaded


def _chunks(paths: Sequence[str], workers: int) -> list[Sequence[str]]:
    size = min(_MAX_CHUNK, max(1, math.ceil(len(paths) / (workers * _CHUNKS_PER_WORKER))))
    return [paths[start : start + size] for start in range(0, len(paths), size)]


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
    Only regular files are read: a FIFO, socket, device or folder named like
    an article file is a failure. Hidden files and folders (``.git``,
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
    paths = listing.files
    # The articles are acyclic: the collector's walks over them would be
    # wasted work that grows with the folder (see collector_paused).
    with collector_paused():
        feed = _load_listing(listing, workers, new_bar)
    _report(feed, errors=errors, total=len(paths), root=os.fspath(path))
    return feed


def _load_listing(
    listing: Listing, workers: int, new_bar: Callable[..., ProgressBar] | None
) -> Feed:
    """Load the files of *listing*, in this process or in *workers* processes."""
    paths = listing.files
    articles: list[Article] = []
    failures: list[LoadFailure] = []
    bar: ProgressBar | None = None
    try:
        if workers == 1 or not paths:
            if new_bar is not None:
                bar = new_bar(total=len(paths), desc="loading", unit="file")
            for name in paths:
                _collect(_load_one(name, listing.refused), articles, failures, bar)
        else:
            bars = _Bars(new_bar, total=len(paths), desc=f"loading ({workers} workers)")
            try:
                for item in _load_in_workers(listing, workers, bars):
                    _collect(item, articles, failures, None)
            finally:
                bars.close()
    finally:
        if bar is not None:
            bar.close()
    return Feed(articles, failures=failures)


#: How often a worker process checks that the process it works for is alive.
_PARENT_CHECK_SECONDS: Final = 0.5


def _exit_with_parent() -> None:
    """End this worker process as soon as the process it works for is gone.

    Runs in each worker as it starts. A worker waits for its next chunk on a
    pipe whose other end it inherited too, so it never sees the end of the
    pipe when its parent is killed: it would live on, idle or stuck, for
    ever. A daemon thread watches the parent (on POSIX, a process whose
    parent dies is handed to another) and exits at once when it changes.
    """
    watcher = threading.Thread(
        target=_watch_parent, args=(os.getppid(),), name="newsfeed-parent-watch", daemon=True
    )
    watcher.start()


def _watch_parent(parent: int) -> None:
    """Return only by ending the process, once its parent is no longer *parent*."""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(1)


class _Bars:
    """A progress bar created on first use, after the worker processes have started."""

    def __init__(
        self, new_bar: Callable[..., ProgressBar] | None, *, total: int, desc: str
    ) -> None:
        self._new_bar = new_bar
        self._total = total
        self._desc = desc
        self._bar: ProgressBar | None = None

    def start(self) -> None:
        # Created once the first pool's processes are forked: tqdm starts a
        # monitor thread, and forking a process that has threads is unsafe.
        if self._new_bar is not None and self._bar is None:
            self._bar = self._new_bar(total=self._total, desc=self._desc, unit="file")

    def update(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class _Chunks:
    """The chunks of a folder's files, and what each gave once loaded."""

    def __init__(self, listing: Listing, workers: int, bars: _Bars) -> None:
        self.chunks = _chunks(listing.files, workers)
        self.refused = listing.refused
        self.bars = bars
        self.results: list[list[Article | LoadFailure] | None] = [None] * len(self.chunks)

    def run(self, indexes: Sequence[int], workers: int) -> list[int]:
        """Load the chunks at *indexes* in a new pool of *workers*; return those lost.

        A chunk is lost when a worker process dies (the OOM killer, a
        signal): the pool is then broken, and every chunk not done by then
        is lost with it.
        """
        lost: list[int] = []
        size = min(workers, len(indexes))
        with ProcessPoolExecutor(max_workers=size, initializer=_exit_with_parent) as pool:
            # Every chunk is submitted now, so the worker processes start
            # before the progress bar does.
            futures = [(index, self._submit(pool, index)) for index in indexes]
            self.bars.start()
            for index, future in futures:
                try:
                    data = future.result()
                except BrokenProcessPool:
                    lost.append(index)
                    continue
                self.results[index] = _unpickle_chunk(data)
                self.bars.update(len(self.chunks[index]))
        return lost

    def _submit(self, pool: ProcessPoolExecutor, index: int) -> Future[bytes]:
        paths = self.chunks[index]
        return pool.submit(_load_chunk, paths, _refused_in(paths, self.refused))

    def fail(self, index: int) -> None:
        """Report the files of the chunk at *index* as failures: it killed its worker twice."""
        paths = self.chunks[index]
        self.results[index] = [
            LoadFailure(Path(path), ChildProcessError(_WORKER_DIED)) for path in paths
        ]
        self.bars.update(len(paths))


def _refused_in(paths: Sequence[str], refused: Mapping[str, str]) -> Mapping[str, str]:
    if not refused:
        return _NONE_REFUSED
    return {path: refused[path] for path in paths if path in refused}


def _listing(
    path: str | os.PathLike[str], pattern: str, include_hidden: bool, follow_outside_links: bool
) -> Listing:
    return walk(
        path, pattern, include_hidden=include_hidden, follow_outside_links=follow_outside_links
    )


def _load_in_workers(
    listing: Listing, workers: int, bars: _Bars
) -> Iterator[Article | LoadFailure]:
    """Load *paths* in *workers* processes, in order, surviving the death of a worker.

    The chunks a dead worker took down with its pool are tried once more,
    each in a process of its own, so that a chunk that kills its worker
    again loses only its own files: they are reported as failures, and the
    rest of the folder loads.
    """
    chunks = _Chunks(listing, workers, bars)
    for index in chunks.run(range(len(chunks.chunks)), workers):
        if chunks.run([index], 1):
            chunks.fail(index)
    for items in chunks.results:
        yield from items or ()


_WORKER_DIED: Final = (
    "the worker process reading it, or another file of its chunk, died twice"
    " (killed by a signal or by the system running out of memory)"
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
        refused: Mapping[str, str] = _NONE_REFUSED,
    ) -> None:
        self.root = root
        #: How many files matched, good and bad.
        self.total = len(paths)
        self._failures: list[LoadFailure] = []
        self._items = _read(paths, refused, self._failures, errors=errors, bar=bar, root=root)

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
    try:
        for path in paths:
            item = _load_one(path, refused)
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
    _report(Feed((), failures=failures), errors=errors, total=len(paths), root=root)


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
