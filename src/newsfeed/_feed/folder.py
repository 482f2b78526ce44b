"""Reading every article file of a folder, in a stable order, with every failure accounted for."""

from __future__ import annotations

import contextlib
import gc
import logging
import math
import os
import pickle
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Final, Literal, Protocol, Self, TypeAlias

from newsfeed._errors import FeedLoadError, LoadFailure, NewsfeedError
from newsfeed._feed.feed import Feed
from newsfeed._files.listing import list_files
from newsfeed._files.reading import load
from newsfeed._index.index import load_cached
from newsfeed._model import Article

__all__ = ["DirIterator", "iter_dir", "load_dir"]

_log: Final = logging.getLogger("newsfeed")

ErrorMode: TypeAlias = Literal["raise", "skip"]
_ERROR_MODES: Final = ("raise", "skip")
#: Files per task sent to a worker process: large enough that pickling the
#: task is cheap next to parsing it, small enough that the work balances
#: across workers and a progress bar moves.
_MAX_CHUNK: Final = 512
_CHUNKS_PER_WORKER: Final = 4


class _Bar(Protocol):
    def update(self, n: int = 1) -> object: ...
    def close(self) -> None: ...


def _check_errors(errors: str) -> None:
    if errors not in _ERROR_MODES:
        raise ValueError(f"errors must be 'raise' or 'skip', got {errors!r}")


def _bar_factory(progress: bool) -> Callable[..., _Bar] | None:
    """Return tqdm when a bar is wanted, failing before anything is read if it is missing."""
    if not progress:
        return None
    try:
        from tqdm.auto import tqdm  # noqa: PLC0415 -- an optional extra, imported only when asked for
    except ImportError as error:
        raise ImportError(
            "progress=True needs tqdm; install it with: pip install 'newsfeed[progress]'",
            name="tqdm",
        ) from error
    factory: Callable[..., _Bar] = tqdm
    return factory


def _load_one(path: str) -> Article | LoadFailure:
    try:
        return load(path)
    except (NewsfeedError, OSError) as error:
        return LoadFailure(Path(path), error)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large acyclic structure is built.

    The collector runs every few hundred new container objects and, as the
    structure grows, walks all of it again and again; the articles form no
    cycles, so that work finds nothing. It doubles the cost of unpickling a
    chunk of articles. As in Mercurial's ``util.nogc``, the pause is bounded
    (one chunk) and the collector is restarted only if it was running. The
    collector's switch is process-wide and has no owner: should another
    thread turn it off during the pause, it is on again after.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _load_chunk(paths: Sequence[str]) -> bytes:
    """Load a run of files in a worker process; failures travel back as values.

    The result is pickled here, rather than by the pool, so that the parent
    unpickles it itself, with the collector paused: otherwise the pool does
    it in a thread of its own, and that costs the parent as much as parsing.
    """
    with collector_paused():
        loaded = [_load_one(path) for path in paths]
        return pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle_chunk(data: bytes) -> list[Article | LoadFailure]:
    with collector_paused():
        loaded: list[Article | LoadFailure] = pickle.loads(data)  # noqa: S301 -- from our own worker
    return loaded


def _chunks(paths: Sequence[str], workers: int) -> list[Sequence[str]]:
    size = min(_MAX_CHUNK, max(1, math.ceil(len(paths) / (workers * _CHUNKS_PER_WORKER))))
    return [paths[start : start + size] for start in range(0, len(paths), size)]


def _report(failures: list[LoadFailure], *, errors: ErrorMode, total: int, root: str) -> None:
    """Raise or log the failures of a folder once every file has been tried."""
    if not failures:
        return
    if errors == "raise":
        raise FeedLoadError(failures, total)
    _log.warning(
        "%d of %d files under %s could not be loaded; each is listed with its reason in .errors",
        len(failures),
        total,
        root,
    )


def _check_workers(workers: int) -> None:
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise TypeError(f"workers must be an integer, got {workers!r}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")


def load_dir(  # noqa: PLR0913 -- keyword-only options, each documented
    path: str | os.PathLike[str],
    *,
    pattern: str = "**/*.md",
    errors: ErrorMode = "raise",
    progress: bool = False,
    workers: int = 1,
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
      ``errors`` holds a :class:`~newsfeed.LoadFailure` (the path and its
      error) per bad file; one warning with the count is logged on the
      ``newsfeed`` logger.

    A file that cannot be read (an :class:`OSError`) is a failure like a
    file that does not parse. ``progress=True`` shows a tqdm progress bar and
    needs the extra ``newsfeed[progress]``. ``workers=N`` with N > 1 parses in
    N processes, in chunks of files; the feed is the same as with one worker.
    While it unpickles each chunk a worker sends back, the parent pauses the
    cyclic garbage collector (restarting it only if it was running), since
    walking the new, acyclic articles would double that time.

    ``cache=True`` goes through a :class:`~newsfeed.Index` kept in the user's
    cache folder (``$NEWSFEED_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsfeed``,
    else ``~/.cache/newsfeed``; one database per folder): only files added
    or changed since the last call are parsed, in this process (*workers*
    is then unused), and the feed is the same.
    """
    _check_errors(errors)
    if cache:
        return load_cached(path, pattern=pattern, errors=errors, progress=progress)
    _check_workers(workers)
    new_bar = _bar_factory(progress)
    paths = list_files(path, pattern)
    articles: list[Article] = []
    failures: list[LoadFailure] = []
    bar: _Bar | None = None
    try:
        if workers == 1 or not paths:
            if new_bar is not None:
                bar = new_bar(total=len(paths), desc="loading", unit="file")
            for item in map(_load_one, paths):
                _collect(item, articles, failures, bar)
        else:
            chunks = _chunks(paths, workers)
            with ProcessPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
                # map submits every chunk now, so the worker processes start
                # before tqdm starts its monitor thread: forking a process
                # that has threads is unsafe.
                results = pool.map(_load_chunk, chunks)
                if new_bar is not None:
                    description = f"loading ({workers} workers)"
                    bar = new_bar(total=len(paths), desc=description, unit="file")
                for data in results:
                    for item in _unpickle_chunk(data):
                        _collect(item, articles, failures, bar)
    finally:
        if bar is not None:
            bar.close()
    _report(failures, errors=errors, total=len(paths), root=os.fspath(path))
    return Feed(articles, errors=failures)


def _collect(
    item: Article | LoadFailure,
    articles: list[Article],
    failures: list[LoadFailure],
    bar: _Bar | None,
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

    Failures are reported as they are met: ``errors`` grows with one
    :class:`~newsfeed.LoadFailure` per bad file. When the last file has been
    tried, the iterator either raises one :class:`~newsfeed.FeedLoadError`
    listing them all (``errors="raise"``, after yielding every good article)
    or logs one warning with the count (``errors="skip"``). Stopping early
    reports nothing beyond what ``errors`` already holds.

    It is also a context manager that closes the progress bar, if any, on exit.
    """

    __slots__ = ("_failures", "_items", "root", "total")

    root: str
    total: int

    def __init__(self, root: str, paths: list[str], *, errors: ErrorMode, bar: _Bar | None) -> None:
        self.root = root
        #: How many files matched, good and bad.
        self.total = len(paths)
        self._failures: list[LoadFailure] = []
        self._items = _read(paths, self._failures, errors=errors, bar=bar, root=root)

    @property
    def errors(self) -> tuple[LoadFailure, ...]:
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


def _read(
    paths: list[str],
    failures: list[LoadFailure],
    *,
    errors: ErrorMode,
    bar: _Bar | None,
    root: str,
) -> Generator[Article, None, None]:
    # A plain function rather than a method, so the generator does not keep
    # its DirIterator alive through a reference cycle.
    try:
        for path in paths:
            item = _load_one(path)
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
    _report(failures, errors=errors, total=len(paths), root=root)


def iter_dir(
    path: str | os.PathLike[str],
    *,
    pattern: str = "**/*.md",
    errors: ErrorMode = "raise",
    progress: bool = False,
) -> DirIterator:
    """Iterate over the articles under the folder *path*, reading one file at a time.

    For corpora larger than memory: the same files, order and *errors*
    semantics as :func:`load_dir`, but only one article is held at a time.
    Failures collect in the iterator's ``errors`` as they happen; see
    :class:`DirIterator` for when they are raised or logged.
    ``progress=True`` shows a tqdm bar (extra ``newsfeed[progress]``).
    """
    _check_errors(errors)
    new_bar = _bar_factory(progress)
    paths = list_files(path, pattern)
    bar = None if new_bar is None else new_bar(total=len(paths), desc="reading", unit="file")
    return DirIterator(os.fspath(path), paths, errors=errors, bar=bar)
