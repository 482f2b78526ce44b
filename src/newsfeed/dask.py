"""Reading article files with Dask: a bag of articles, or a dask DataFrame, from any file system.

Needs the optional extra ``newsfeed-articles[dask]`` (dask's bag and dataframe,
``distributed`` and ``fsspec``). Paths are fsspec URLs, so the same call
reads a local folder, a glob, an archive or a bucket::

    import newsfeed.dask

    articles = newsfeed.dask.read_articles("s3://bucket/articles/**/*.md")
    frame = newsfeed.dask.to_dataframe(articles)

Files are read in partitions of *files_per_partition*, in the order
:func:`newsfeed.load_dir` reads a folder (sorted by path components), so a
computed bag holds the articles ``load_dir`` returns, in its order.

Failures are kept per file, as in ``load_dir``: :func:`read_items` gives a
bag of :class:`~newsfeed.Article` and :class:`~newsfeed.LoadFailure` values,
one per file; :func:`read_articles` keeps the articles and either raises a
:class:`~newsfeed.FeedLoadError` listing a partition's bad files
(``errors="raise"``) or drops them (``errors="skip"``). To have both the
articles and the failures of one read, read the items once and split them::

    items = newsfeed.dask.read_items("data/").persist()
    articles = items.filter(newsfeed.dask.is_article)
    failures = items.remove(newsfeed.dask.is_article)

For a local file, ``path`` is the file's path and errors name it; for any
other file system, errors name the full URL and ``path`` is the path within
that file system (``bucket/key.md``), since a :class:`~pathlib.Path` cannot
hold a URL.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

from newsfeed._errors import FeedLoadError, LoadFailure, NewsfeedError, ParseError
from newsfeed._extras import require
from newsfeed._feed.feed import Feed
from newsfeed._feed.frame import articles_to_frame
from newsfeed._files.reading import load
from newsfeed._format.reading import MAX_FILE_BYTES, loads
from newsfeed._model import Article

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe

#: An fsspec file system (fsspec ships no type information).
FileSystem: TypeAlias = Any

__all__ = ["is_article", "read_articles", "read_items", "to_dataframe"]

#: Files read by one task: enough that scheduling a task is cheap next to
#: parsing its files (about 10 ms of parsing for 100), few enough that a
#: folder of thousands of files spreads over every worker.
DEFAULT_FILES_PER_PARTITION: Final = 100
_GLOB_CHARACTERS: Final = frozenset("*?[")


def _import_dask() -> tuple[Any, Any]:
    bag = require("dask.bag", extra="dask", feature="newsfeed.dask")
    core = require("fsspec.core", extra="dask", feature="newsfeed.dask")
    return bag, core


def is_article(item: object) -> bool:
    """Return whether *item* (from :func:`read_items`) is an article rather than a failure."""
    return isinstance(item, Article)


def _expand(
    fsspec_core: Any,  # noqa: ANN401 -- the fsspec.core module
    urlpath: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    storage_options: dict[str, Any] | None,
) -> tuple[FileSystem, list[str]]:
    """Return the file system and the sorted files of *urlpath*; a folder means its **/*.md."""
    given = [os.fspath(urlpath)] if isinstance(urlpath, str | os.PathLike) else list(urlpath)
    if not given:
        raise ValueError("give at least one path, folder or glob")
    texts = [os.fspath(item) for item in given]
    fs, _, paths = fsspec_core.get_fs_token_paths(texts, mode="rb", storage_options=storage_options)
    files: list[str] = []
    for path in paths:
        if fs.isdir(path):
            files.extend(
                found for found in fs.glob(f"{path.rstrip('/')}/**/*.md") if not fs.isdir(found)
            )
        else:
            files.append(path)
    if len(texts) == 1 and not _GLOB_CHARACTERS & set(texts[0]) and not fs.exists(paths[0]):
        # A plain path that matches nothing is a typo, not an empty corpus.
        # (In a list, a missing file is that file's failure, as in load_dir.)
        raise FileNotFoundError(f"no such file or folder: {texts[0]!r}")
    return fs, sorted(set(files), key=lambda path: path.split("/"))


def _is_local(fs: FileSystem) -> bool:
    protocol = fs.protocol
    protocols = (protocol,) if isinstance(protocol, str) else tuple(protocol)
    return "file" in protocols or "local" in protocols


def _read_one(fs: FileSystem, path: str, *, local: bool) -> Article | LoadFailure:
    """Load one file as :func:`newsfeed.load` does; a bad file becomes a LoadFailure."""
    if local:
        # The local file system's opener costs as much as parsing a file:
        # read local files as load_dir does.
        try:
            return load(path)
        except (NewsfeedError, OSError) as error:
            return LoadFailure(Path(path), error)
    source = fs.unstrip_protocol(path)
    try:
        with fs.open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ParseError(f"file is larger than {MAX_FILE_BYTES} bytes", source=source)
        article = loads(data, source=source)
    except (NewsfeedError, OSError) as error:
        return LoadFailure(Path(path), error)
    # The loader named the URL as the source; the article keeps the path.
    return _with_path(article, Path(path))


def _with_path(article: Article, path: Path) -> Article:
    import attrs  # noqa: PLC0415 -- only remote files need it

    return attrs.evolve(article, path=path)


def _read_partition(
    paths: Iterable[str], fs: FileSystem, local: bool
) -> list[Article | LoadFailure]:
    return [_read_one(fs, path, local=local) for path in paths]


def read_items(
    urlpath_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    files_per_partition: int = DEFAULT_FILES_PER_PARTITION,
    storage_options: dict[str, Any] | None = None,
) -> dask.bag.Bag:
    """Return a bag with one :class:`~newsfeed.Article` or :class:`~newsfeed.LoadFailure` per file.

    *urlpath_or_paths* is a folder (its ``**/*.md`` files), a file, a glob
    (``"data/2020-*.md"``, ``"s3://bucket/**/*.md"``, ``"zip://*.md::corpus.zip"``)
    or a list of them, as fsspec reads them; *storage_options* go to the
    file system (credentials, for example). The files are listed now; they
    are read when the bag is computed. Raises :class:`FileNotFoundError` for
    a single plain path that does not exist, and :class:`ImportError` naming
    the extra when dask or fsspec is missing.
    """
    bag_module, fsspec_core = _import_dask()
    if isinstance(files_per_partition, bool) or not isinstance(files_per_partition, int):
        raise TypeError(f"files_per_partition must be an integer, got {files_per_partition!r}")
    if files_per_partition < 1:
        raise ValueError(f"files_per_partition must be at least 1, got {files_per_partition}")
    fs, paths = _expand(fsspec_core, urlpath_or_paths, storage_options)
    chunks = [
        paths[start : start + files_per_partition]
        for start in range(0, len(paths), files_per_partition)
    ]
    local = _is_local(fs)
    chunked = bag_module.from_sequence(chunks or [[]], npartitions=max(1, len(chunks)))
    items: dask.bag.Bag = chunked.map_partitions(_read_chunks, fs, local)
    return items


def _read_chunks(
    chunks: Iterable[Sequence[str]], fs: FileSystem, local: bool
) -> list[Article | LoadFailure]:
    # Each partition holds one chunk (a list of paths) from from_sequence.
    # A worker keeps earlier partitions' articles in memory: with the cyclic
    # collector running, every few hundred new objects it would walk them
    # all again, and reading slows down as the worker fills. The articles
    # form no cycles; the collector runs once after, if it was running.
    running = gc.isenabled()
    gc.disable()
    try:
        return [item for chunk in chunks for item in _read_partition(chunk, fs, local)]
    finally:
        if running:
            gc.enable()


def _articles_or_raise(items: Iterable[Article | LoadFailure]) -> list[Article]:
    items = list(items)
    failures = [item for item in items if isinstance(item, LoadFailure)]
    articles = [item for item in items if isinstance(item, Article)]
    if failures:
        raise FeedLoadError(failures, Feed(articles, failures=failures), len(items))
    return articles


def read_articles(
    urlpath_or_paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    errors: Literal["raise", "skip"] = "raise",
    files_per_partition: int = DEFAULT_FILES_PER_PARTITION,
    storage_options: dict[str, Any] | None = None,
) -> dask.bag.Bag:
    """Return a bag of the :class:`~newsfeed.Article` objects of the files, in load_dir's order.

    The paths are those of :func:`read_items`. With ``errors="raise"`` (the
    default) computing a partition that holds a bad file raises one
    :class:`~newsfeed.FeedLoadError` listing that partition's bad files;
    with ``errors="skip"`` bad files are left out (use :func:`read_items` to
    see them).
    """
    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', got {errors!r}")
    # dask's bags carry no type information: Any, then the declared type.
    items: Any = read_items(
        urlpath_or_paths, files_per_partition=files_per_partition, storage_options=storage_options
    )
    articles: dask.bag.Bag = (
        items.filter(is_article) if errors == "skip" else items.map_partitions(_articles_or_raise)
    )
    return articles


def to_dataframe(articles: dask.bag.Bag) -> dask.dataframe.DataFrame:
    """Return a dask DataFrame of a bag of articles, one partition per bag partition.

    It has the columns and dtypes of :meth:`Feed.to_dataframe
    <newsfeed.Feed.to_dataframe>`, built by the same code; categorical
    columns have categories known per partition only, as dask's are until
    ``.cat.as_known()``. dask's conversion of text columns to its own string
    type is turned off for these frames, so that the dtypes stay those of
    ``Feed.to_dataframe`` and ``topics`` keeps its lists.
    """
    _import_dask()
    import dask.dataframe  # noqa: PLC0415 -- an optional extra, checked above
    from dask import config  # noqa: PLC0415
    from dask.delayed import delayed  # noqa: PLC0415

    meta = articles_to_frame([])
    bag: Any = articles
    with config.set({"dataframe.convert-string": False}):
        parts = [delayed(articles_to_frame)(part) for part in bag.to_delayed()]
        frame: dask.dataframe.DataFrame = dask.dataframe.from_delayed(
            parts, meta=meta, verify_meta=False
        )
    return frame
