"""Reading article files with Dask: a bag of articles, or a dask DataFrame, from any file system.

Needs the optional extra ``newsfeed-articles[dask]`` (dask's bag and dataframe,
``distributed`` and ``fsspec``). Paths are fsspec URLs, so the same call
reads a local folder, a glob, an archive or a bucket::

    import newsfeed.dask

    articles = newsfeed.dask.read_articles("s3://bucket/articles/**/*.md")
    frame = newsfeed.dask.to_dataframe(articles)

Files are read in partitions of *files_per_partition*, in the order
:func:`newsfeed.load_dir` reads a folder (sorted by path components), so a
computed bag holds the articles ``load_dir`` returns, in its order. A folder
is listed by ``load_dir``'s rules: hidden files and folders are skipped on
every file system, and a local link that leads out of the folder is a
failure. A path that exists is read as named, even with ``[`` in it.

Failures are kept per file, as in ``load_dir``: :func:`read_items` gives a
bag of :class:`~newsfeed.Article` and :class:`~newsfeed.LoadFailure` values,
one per file; :func:`read_articles` keeps the articles and either raises a
:class:`~newsfeed.FeedLoadError` listing a partition's bad files
(``errors="raise"``) or drops them (``errors="skip"``). To have both the
articles and the failures of one read, read the items once and split them::

    items = newsfeed.dask.read_items("data/").persist()
    articles = items.filter(newsfeed.dask.is_article)
    failures = items.remove(newsfeed.dask.is_article)

For a local file, ``path`` is the file's path as given (relative or not,
as ``load_dir`` keeps it) and errors name it; for any
other file system, errors name the full URL and ``path`` is the path within
that file system (``bucket/key.md``), since a :class:`~pathlib.Path` cannot
hold a URL.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, TypeAlias

from newsfeed._errors import FeedLoadError, LoadFailure, failure_from
from newsfeed._extras import require
from newsfeed._feed.collector import collector_paused
from newsfeed._feed.feed import Feed
from newsfeed._feed.frame import articles_to_frame
from newsfeed._feed.workers import NONE_REFUSED, load_one
from newsfeed._files.listing import walk
from newsfeed._files.reading import within_limit
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
#: What a folder stands for, as in load_dir.
_FOLDER_PATTERN: Final = "**/*.md"


def _import_dask() -> tuple[Any, Any]:
    bag = require("dask.bag", extra="dask", feature="newsfeed.dask")
    core = require("fsspec.core", extra="dask", feature="newsfeed.dask")
    return bag, core


def is_article(item: object) -> bool:
    """Return whether *item* (from :func:`read_items`) is an article rather than a failure."""
    return isinstance(item, Article)


class _Files(NamedTuple):
    """What the paths given to :func:`read_items` name."""

    fs: FileSystem
    #: In load_dir's order (sorted by path components).
    paths: list[str]
    #: Files listed but not to be read, each with why: local links out of a folder.
    refused: Mapping[str, str]
    local: bool


def _is_local(fs: FileSystem) -> bool:
    protocol = fs.protocol
    protocols = (protocol,) if isinstance(protocol, str) else tuple(protocol)
    return "file" in protocols or "local" in protocols


def _split_glob(pattern: str, separator: str) -> tuple[str, str]:
    """Return the folder before a glob's first wildcard, and the pattern from there.

    The folder is "" for a relative glob whose first part has a wildcard,
    and the root for an absolute one.
    """
    parts = pattern.split(separator)
    plain = next(index for index, part in enumerate(parts) if _GLOB_CHARACTERS & set(part))
    folder = separator.join(parts[:plain]) or (separator if plain else "")
    return folder, separator.join(parts[plain:])


def _list_local(name: str, *, alone: bool) -> tuple[list[str], Mapping[str, str]]:
    """List a local path as load_dir lists a folder: its rules, and paths as given.

    A path that exists is read as named, even with glob characters in it.
    """
    if Path(name).is_dir():
        listing = walk(name, _FOLDER_PATTERN)
        return listing.files, listing.refused
    if os.path.lexists(name) or not (_GLOB_CHARACTERS & set(name)):
        if alone and not os.path.lexists(name):
            # A plain path that matches nothing is a typo, not an empty
            # corpus. (In a list, a missing file is that file's failure,
            # as in load_dir.)
            raise FileNotFoundError(errno.ENOENT, "no such file or folder", name)
        return [name], NONE_REFUSED
    folder, pattern = _split_glob(name, os.sep)
    if folder and not Path(folder).is_dir():
        return [], NONE_REFUSED
    # The files the glob matches, and those of the folders it matches.
    files: list[str] = []
    refused: dict[str, str] = {}
    for each in (pattern, f"{pattern}/{_FOLDER_PATTERN}"):
        listing = walk(folder or os.curdir, each)
        files.extend(listing.files)
        refused.update(listing.refused)
    return files, refused


def _list_remote(fs: FileSystem, path: str, *, alone: bool) -> list[str]:
    """List a path of another file system, with load_dir's rule for hidden names."""
    if fs.isdir(path):
        folder = path.rstrip("/")
        found = _files_under(fs, folder)
    elif fs.exists(path) or not (_GLOB_CHARACTERS & set(path)):
        if alone and not fs.exists(path):
            raise FileNotFoundError(errno.ENOENT, "no such file or folder", path)
        return [path]
    else:
        folder = _split_glob(path, "/")[0].rstrip("/")
        found = {}
        # With details: the listing says what is a folder, rather than one
        # request per file to a bucket.
        for match, info in fs.glob(path, detail=True).items():
            found.update(_files_under(fs, match) if _is_folder(info) else {match: info})
    start = len(folder) + 1 if folder else 0
    return [
        file
        for file, info in found.items()
        if not _is_folder(info)
        and not any(part.startswith(".") for part in file[start:].split("/"))
    ]


def _files_under(fs: FileSystem, folder: str) -> dict[str, dict[str, Any]]:
    """Return what a folder of another file system holds, as load_dir would search it."""
    found: dict[str, dict[str, Any]] = fs.glob(
        f"{folder.rstrip('/')}/{_FOLDER_PATTERN}", detail=True
    )
    return found


def _is_folder(info: dict[str, Any]) -> bool:
    return info.get("type") == "directory"


def _expand(
    fsspec_core: Any,  # noqa: ANN401 -- the fsspec.core module
    urlpath: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    storage_options: dict[str, Any] | None,
) -> _Files:
    """Return the file system and the files of *urlpath*; a folder means its **/*.md."""
    given: list[str | os.PathLike[str]]
    alone = isinstance(urlpath, str | os.PathLike)
    given = [urlpath] if isinstance(urlpath, str | os.PathLike) else list(urlpath)
    if not given:
        raise ValueError("give at least one path, folder or glob")
    texts = [os.fspath(item) for item in given]
    found = [fsspec_core.url_to_fs(text, **(storage_options or {})) for text in texts]
    fs = found[0][0]
    if any(other != fs for other, _ in found):
        raise ValueError("the paths must all be on one file system")
    local = _is_local(fs)
    files: list[str] = []
    refused: dict[str, str] = {}
    for text, (_, path) in zip(texts, found, strict=True):
        if not local:
            files.extend(_list_remote(fs, path, alone=alone))
            continue
        # A plain local path is kept as given, relative or not, as
        # load_dir keeps it; fsspec would make it absolute.
        listed, links = _list_local(path if "://" in text else text, alone=alone)
        files.extend(listed)
        refused.update(links)
    separator = os.sep if local else "/"
    ordered = sorted(set(files), key=lambda file: file.split(separator))
    return _Files(fs, ordered, refused, local)


def _read_one(
    fs: FileSystem, path: str, *, local: bool, refused: Mapping[str, str]
) -> Article | LoadFailure:
    """Load one file as :func:`newsfeed.load_dir` does; a bad file becomes a LoadFailure."""
    if local:
        # The local file system's opener costs as much as parsing a file:
        # read local files as load_dir does.
        return load_one(path, refused)
    source = fs.unstrip_protocol(path)
    try:
        with fs.open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
        article = loads(within_limit(data, source), source=source)
    except Exception as error:  # noqa: BLE001 -- whatever one file raises is that file's failure
        # Named by its URL, kept under its path: a Path cannot hold a URL.
        return LoadFailure(Path(path), failure_from(source, error).error)
    # The loader named the URL as the source; the article keeps the path.
    return _with_path(article, Path(path))


def _with_path(article: Article, path: Path) -> Article:
    import attrs  # noqa: PLC0415 -- only remote files need it

    return attrs.evolve(article, path=path)


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
    a single plain path that does not exist (in a list, a missing file is
    that file's failure), :class:`ValueError` for paths on several file
    systems, and :class:`ImportError` naming the extra when dask or fsspec
    is missing.
    """
    bag_module, fsspec_core = _import_dask()
    if isinstance(files_per_partition, bool) or not isinstance(files_per_partition, int):
        raise TypeError(f"files_per_partition must be an integer, got {files_per_partition!r}")
    if files_per_partition < 1:
        raise ValueError(f"files_per_partition must be at least 1, got {files_per_partition}")
    files = _expand(fsspec_core, urlpath_or_paths, storage_options)
    runs = [
        files.paths[start : start + files_per_partition]
        for start in range(0, len(files.paths), files_per_partition)
    ]
    chunks = [
        _Chunk(run, {path: files.refused[path] for path in run if path in files.refused})
        for run in runs
    ] or [_Chunk((), NONE_REFUSED)]
    chunked = bag_module.from_sequence(chunks, npartitions=len(chunks))
    items: dask.bag.Bag = chunked.map_partitions(_read_chunks, files.fs, files.local)
    return items


class _Chunk(NamedTuple):
    """The files of one partition, and those of them not to be read, with why."""

    paths: Sequence[str]
    refused: Mapping[str, str]


def _read_chunks(
    chunks: Iterable[_Chunk], fs: FileSystem, local: bool
) -> list[Article | LoadFailure]:
    # Each partition holds one chunk from from_sequence. A worker keeps
    # earlier partitions' articles in memory: the collector is paused, as
    # load_dir pauses it, lest it walk them all again every few hundred
    # new objects.
    with collector_paused():
        return [
            _read_one(fs, path, local=local, refused=chunk.refused)
            for chunk in chunks
            for path in chunk.paths
        ]


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
    from dask.dataframe.utils import clear_known_categories  # noqa: PLC0415
    from dask.delayed import delayed  # noqa: PLC0415

    # Each partition has its own categories: unknown until computed.
    meta = clear_known_categories(articles_to_frame([]))
    bag: Any = articles
    with config.set({"dataframe.convert-string": False}):
        parts = [delayed(articles_to_frame)(part) for part in bag.to_delayed()]
        frame: dask.dataframe.DataFrame = dask.dataframe.from_delayed(
            parts, meta=meta, verify_meta=False
        )
    return frame
