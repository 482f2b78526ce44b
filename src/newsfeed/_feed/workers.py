"""Loading the files of a folder: each in this process, or in chunks in worker processes.

A file gives an article or a :class:`~newsfeed.LoadFailure`, never an
exception (:func:`load_one`). With workers, each loads a chunk of files and
pickles it; the parent unpickles it, and survives the death of a worker.
"""

from __future__ import annotations

import math
import os
import pickle
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from newsfeed._errors import LoadFailure, NewsfeedWarning, ParseError, failure_from
from newsfeed._extras import ProgressBar
from newsfeed._feed.collector import collector_paused
from newsfeed._files.listing import Listing
from newsfeed._files.reading import issue_or_fail, load_reusing
from newsfeed._model import Article

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["NONE_REFUSED", "Bars", "load_in_workers", "load_one"]

#: Files per task sent to a worker process: large enough that pickling the
#: task is cheap next to parsing it, small enough that the work balances
#: across workers and a progress bar moves.
_MAX_CHUNK: Final = 512
_CHUNKS_PER_WORKER: Final = 4


#: No file refused.
NONE_REFUSED: Final[Mapping[str, str]] = {}


def load_one(path: str, refused: Mapping[str, str] = NONE_REFUSED) -> Article | LoadFailure:
    if path in refused:
        # Not read: a link that leads out of the folder.
        return LoadFailure(Path(path), ParseError(refused[path], source=path))
    try:
        return load_reusing(path)
    except Exception as error:  # noqa: BLE001 -- whatever one file raises is that file's failure
        return failure_from(path, error)


#: What a chunk gives: an article or a failure per file, and the files'
#: warnings, each with the position of its file in the chunk.
_Loaded = tuple[list[Article | LoadFailure], list[tuple[int, NewsfeedWarning]]]


def _load_chunk(paths: Sequence[str], refused: Mapping[str, str] = NONE_REFUSED) -> bytes:
    """Load a run of files in a worker process; failures and warnings travel back as values.

    The result is pickled here, rather than by the pool, so that the parent
    unpickles it itself, with the collector paused: otherwise the pool does
    it in a thread of its own, and that costs the parent as much as parsing.
    A file's warnings go back to the parent, to be issued there, under the
    caller's filters, as with one worker; other warnings stay here.
    """
    loaded: list[Article | LoadFailure] = []
    warned: list[tuple[int, NewsfeedWarning]] = []
    others: list[warnings.WarningMessage] = []
    with collector_paused(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NewsfeedWarning)
        for position, path in enumerate(paths):
            loaded.append(load_one(path, refused))
            for warning in caught:
                if isinstance(warning.message, NewsfeedWarning):
                    warned.append((position, warning.message))
                else:
                    others.append(warning)
            caught.clear()
    for warning in others:
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    with collector_paused():
        return pickle.dumps((loaded, warned), protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle_chunk(data: bytes) -> _Loaded:
    with collector_paused():
        loaded: _Loaded = pickle.loads(data)  # noqa: S301 -- from our own worker
    return loaded


def _chunks(paths: Sequence[str], workers: int) -> list[Sequence[str]]:
    size = min(_MAX_CHUNK, max(1, math.ceil(len(paths) / (workers * _CHUNKS_PER_WORKER))))
    return [paths[start : start + size] for start in range(0, len(paths), size)]


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


class Bars:
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

    def __init__(self, listing: Listing, workers: int, bars: Bars) -> None:
        self.chunks = _chunks(listing.files, workers)
        self.refused = listing.refused
        self.bars = bars
        self.results: list[_Loaded | None] = [None] * len(self.chunks)

    def run(self, indexes: Sequence[int], workers: int) -> list[int]:
        """Load the chunks at *indexes* in a new pool of *workers*; return those lost.

        A chunk is lost when a worker process dies (the OOM killer, a
        signal): the pool is then broken, and every chunk not done by then
        is lost with it.
        """
        # Imported here: the process pool's modules take more than a megabyte
        # of every process, and most never start workers.
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

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
        self.results[index] = (
            [LoadFailure(Path(path), ChildProcessError(_WORKER_DIED)) for path in paths],
            [],
        )
        self.bars.update(len(paths))


def _refused_in(paths: Sequence[str], refused: Mapping[str, str]) -> Mapping[str, str]:
    if not refused:
        return NONE_REFUSED
    return {path: refused[path] for path in paths if path in refused}


def load_in_workers(listing: Listing, workers: int, bars: Bars) -> Iterator[Article | LoadFailure]:
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
    for result in chunks.results:
        items, warned = result or ([], [])
        failed: dict[int, LoadFailure] = {}
        for position, warning in warned:
            if position in failed:
                continue
            failure = issue_or_fail(warning, _path_of(items[position]))
            if failure is not None:
                failed[position] = failure
        for position, item in enumerate(items):
            yield failed.get(position, item)


def _path_of(item: Article | LoadFailure) -> Path:
    path = item.path
    if path is None:  # pragma: no cover -- every article read from a file has its path
        raise ValueError("an article of a folder has no path")
    return path


_WORKER_DIED: Final = (
    "the worker process reading it, or another file of its chunk, died twice"
    " (killed by a signal or by the system running out of memory)"
)
