"""Bringing the index up to date with its folder: parse only what changed.

A file is unchanged when its size, ``mtime_ns`` and ``ctime_ns`` are those
stored, unless they are too recent to trust. The change time counts because
a modification time can be set back (``cp -p``, ``rsync -t``, ``tar`` and
``os.utime`` all do), while the change time is the system's own, moved by
any write. A time is too recent to trust when it is within the previous
update's clock tick (file systems keep times in ticks of up to two seconds):
the file can change again without its times moving. Such a file, and any
file whose size or times moved, is read and hashed; only when its content
differs from what is stored is it parsed again. A touched file is therefore
recognized as unchanged, and an edit that keeps size and mtime is still seen.
What moves no time at all (later writes through a dirty memory mapping) is
not seen: the docs say so.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import Final, NamedTuple

import attrs

from newsfeed._errors import LoadFailure, NewsfeedWarning, ParseError, failure_from
from newsfeed._extras import progress_bar_factory
from newsfeed._feed.criteria import epoch_us, fold, fold_domain
from newsfeed._files.listing import walk
from newsfeed._files.reading import read_file, within_limit
from newsfeed._format.reading import read_article
from newsfeed._index.encoding import EncodedLayout, encode
from newsfeed._index.outcomes import encode_failure, encode_warnings, failures_of
from newsfeed._index.paths import path_column, path_from_column
from newsfeed._index.schema import write_transaction
from newsfeed._model import Article

__all__ = ["IndexUpdate", "provider_keys", "update_index"]

#: How far before the previous scan an mtime must be to be trusted: the
#: coarsest mtime resolution in common use (FAT's two seconds).
RACY_WINDOW_NS: Final = 2_000_000_000
_INT64: Final = range(-(2**63), 2**63)


@attrs.frozen
class IndexUpdate:
    """What :meth:`Index.update() <newsfeed.Index.update>` found, file by file.

    ``added``, ``changed``, ``deleted`` and ``unchanged`` count files (a
    renamed file is one deleted and one added). ``failures`` holds a
    :class:`~newsfeed.LoadFailure` for every file of the folder that does
    not load now, in file order, whether it changed or not: the same as
    ``load_dir(folder, errors="skip").failures``.
    """

    added: int
    changed: int
    deleted: int
    unchanged: int
    failures: tuple[LoadFailure, ...] = ()

    def __str__(self) -> str:
        text = (
            f"{self.added} added, {self.changed} changed, {self.deleted} deleted,"
            f" {self.unchanged} unchanged"
        )
        if self.failures:
            text += f"; {len(self.failures)} failed to load"
        return text


class _Stored(NamedTuple):
    size: int
    mtime_ns: int
    ctime_ns: int
    digest: bytes
    #: The stored failure's text, or None for an article.
    failure: str | None

    @property
    def unreadable(self) -> bool:
        """The file was not read (stored with size -1): it is always tried again.

        A read error, a link out of the folder or a special file is about the
        file system, not the content, which was never seen.
        """
        return self.size < 0


def _parse(data: bytes, path: str) -> tuple[Article | Exception, list[NewsfeedWarning]]:
    """Read a file's bytes as load does: the article or error, and the warnings, kept to store.

    They are not issued here: Index.load issues them, each time, as
    load_dir does each time it reads the file.
    """
    try:
        return read_article(within_limit(data, path), source=path)
    except Exception as error:  # noqa: BLE001 -- whatever one file raises is that file's failure
        # As load_dir records it: a reader defect becomes a ParseError
        # naming it, rather than aborting the whole update.
        return failure_from(path, error).error, []


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class _Seen(NamedTuple):
    """A file as this update found it."""

    relative: str
    size: int
    mtime_ns: int
    ctime_ns: int
    digest: bytes


def _insert(
    connection: sqlite3.Connection,
    seen: _Seen,
    loaded: Article | Exception,
    warned: Sequence[NewsfeedWarning] = (),
) -> None:
    """Store one file's row (after removing any old one), its warnings, topics, keys and text."""
    relative, size, mtime_ns, ctime_ns, digest = seen
    stored_path = path_column(relative)
    connection.execute("DELETE FROM files WHERE path = ?", (stored_path,))
    if not isinstance(loaded, Article):
        connection.execute(
            "INSERT INTO files (path, size, mtime_ns, ctime_ns, hash, failure)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (stored_path, size, mtime_ns, ctime_ns, digest, encode_failure(loaded)),
        )
        return
    article = loaded
    provider = article.provider
    offset = article.published_at.utcoffset()
    quality = article.quality
    quality_fits = quality is None or quality in _INT64
    encoded = encode(article)
    cursor = connection.execute(
        """INSERT INTO files (
            path, size, mtime_ns, ctime_ns, hash, warnings, article, body, layout_id,
            published_us, utc_offset_s, quality, quality_too_large, heat, published,
            provider_name, provider_domain, type, category
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            stored_path,
            size,
            mtime_ns,
            ctime_ns,
            digest,
            encode_warnings(warned),
            encoded.front,
            encoded.body,
            _layout_id(connection, encoded.layout),
            epoch_us(article.published_at),
            None if offset is None else int(offset.total_seconds()),
            quality if quality_fits else None,
            not quality_fits,
            article.heat if article.heat is None or article.heat in _INT64 else None,
            article.published,
            None if provider is None else provider.name,
            None if provider is None else provider.domain,
            article.type,
            article.category,
        ),
    )
    file_id = cursor.lastrowid
    connection.executemany(
        "INSERT INTO topics (file_id, position, topic, folded) VALUES (?, ?, ?, ?)",
        [(file_id, position, topic, fold(topic)) for position, topic in enumerate(article.topics)],
    )
    connection.executemany(
        "INSERT OR IGNORE INTO provider_keys (file_id, kind, key) VALUES (?, ?, ?)",
        [(file_id, kind, key) for kind, key in provider_keys(article)],
    )
    connection.execute(
        "INSERT INTO search (rowid, title, excerpt, body, related) VALUES (?, ?, ?, ?, ?)",
        (
            file_id,
            article.title,
            article.excerpt,
            article.body,
            "\n".join(item.title for item in article.related),
        ),
    )


def _layout_id(connection: sqlite3.Connection, layout: EncodedLayout | None) -> int | None:
    """Return the row of the encoded *layout* in the layouts table, adding it if new."""
    if layout is None:
        return None
    key = _digest(layout.text.encode("utf-8"))
    added = connection.execute(
        "INSERT OR IGNORE INTO layouts (hash, data) VALUES (?, ?)", (key, layout.text)
    ).rowcount
    if added:
        # Most of its shape's parts are usually there already, from other layouts.
        connection.executemany(
            "INSERT OR IGNORE INTO shape_nodes (key, data) VALUES (?, ?)", layout.nodes
        )
    found: int = connection.execute("SELECT id FROM layouts WHERE hash = ?", (key,)).fetchone()[0]
    return found


def provider_keys(article: Article) -> list[tuple[int, str]]:
    """Return the (kind, key) pairs a provider query matches *article* by.

    The same rules as :meth:`Feed.filter`: kind 0 is the folded name, kind 2
    the folded domain without a final dot, and kind 1 every suffix of that
    domain that starts at a dot, which a domain query's ``"." + query`` must
    equal.
    """
    provider = article.provider
    if provider is None:
        return []
    keys: list[tuple[int, str]] = []
    if provider.name is not None:
        keys.append((0, fold(provider.name)))
    if provider.domain is not None:
        domain = fold_domain(provider.domain)
        keys.append((2, domain))
        keys.extend((1, domain[at:]) for at, character in enumerate(domain) if character == ".")
    return keys


def _relative(path: str, root: Path) -> str:
    return PurePosixPath(*Path(path).relative_to(root).parts).as_posix()


def update_index(
    connection: sqlite3.Connection,
    root: Path,
    pattern: str,
    *,
    check: Callable[[], None],
    progress: bool = False,
) -> IndexUpdate:
    """Bring the index up to date with the files under *root* matching *pattern*.

    Runs in one write transaction: another process's update waits, and
    readers see the index before or after, never halfway. *check* runs first
    in it, to make sure the database is still this folder's index.
    """
    new_bar = progress_bar_factory(progress)
    counts = {"added": 0, "changed": 0, "deleted": 0, "unchanged": 0}
    with write_transaction(connection):
        check()
        # Listed under the write lock, so that two updaters never interleave.
        listing = walk(root, pattern)
        paths, refused = listing.files, listing.refused
        started_ns = time.time_ns()
        stored = {
            path_from_column(relative): _Stored(size, mtime_ns, ctime_ns, digest, failure)
            for relative, size, mtime_ns, ctime_ns, digest, failure in connection.execute(
                "SELECT path, size, mtime_ns, ctime_ns, hash, failure FROM files"
            )
        }
        previous = connection.execute("SELECT value FROM meta WHERE key = 'scanned_ns'").fetchone()
        trusted_before = (0 if previous is None else int(previous[0])) - RACY_WINDOW_NS
        bar = None if new_bar is None else new_bar(total=len(paths), desc="indexing", unit="file")
        try:
            seen: set[str] = set()
            for path in paths:
                relative = _relative(path, root)
                seen.add(relative)
                if path in refused:
                    # A link out of the folder: never read, a failure as in
                    # load_dir, and looked at again on every update.
                    reason = ParseError(refused[path], source=path)
                    outcome = _unread(connection, relative, stored.get(relative), reason)
                else:
                    outcome = _update_file(
                        connection, path, relative, stored.get(relative), trusted_before
                    )
                counts[outcome] += 1
                if bar is not None:
                    bar.update()
        finally:
            if bar is not None:
                bar.close()
        for relative in stored.keys() - seen:
            connection.execute("DELETE FROM files WHERE path = ?", (path_column(relative),))
            counts["deleted"] += 1
        if counts["changed"] or counts["deleted"]:
            _prune_layouts(connection)
        connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('scanned_ns', ?)", (str(started_ns),)
        )
        failures = failures_of(connection, root)
    return IndexUpdate(failures=failures, **counts)


def _prune_layouts(connection: sqlite3.Connection) -> None:
    """Remove the layouts no file uses any more, and the shape parts only they used."""
    removed = connection.execute(
        "DELETE FROM layouts WHERE id NOT IN"
        " (SELECT layout_id FROM files WHERE layout_id IS NOT NULL)"
    ).rowcount
    if removed:
        # The parts reachable from the layouts left: a part refers to its
        # own parts as one-item lists holding their keys (see encoding.py).
        connection.execute(
            """WITH RECURSIVE reachable (key) AS (
                SELECT json_extract(data, '$.shape') FROM layouts
                UNION
                SELECT json_extract(item.value, '$[0]')
                FROM reachable
                JOIN shape_nodes ON shape_nodes.key = reachable.key,
                json_each(shape_nodes.data) AS item
                WHERE item.type = 'array'
            )
            DELETE FROM shape_nodes WHERE key NOT IN
                (SELECT key FROM reachable WHERE key IS NOT NULL)"""
        )


def _unread(
    connection: sqlite3.Connection, relative: str, stored: _Stored | None, error: Exception
) -> str:
    """Store the failure of a file that was not read; return "added", "changed" or "unchanged"."""
    failure = encode_failure(error)
    if stored is not None and stored.unreadable and stored.failure == failure:
        return "unchanged"
    _insert(connection, _Seen(relative, -1, -1, -1, b""), error)
    return "added" if stored is None else "changed"


def _update_file(
    connection: sqlite3.Connection,
    path: str,
    relative: str,
    stored: _Stored | None,
    trusted_before: int,
) -> str:
    """Bring one file's row up to date; return "added", "changed" or "unchanged"."""
    new = "added" if stored is None else "changed"
    try:
        # An os-level stat: a Path object per file costs more than the call.
        status = os.stat(path)  # noqa: PTH116
    except OSError as error:
        return _unread(connection, relative, stored, error)
    size, mtime_ns, ctime_ns = status.st_size, status.st_mtime_ns, status.st_ctime_ns
    if (
        stored is not None
        and not stored.unreadable
        and (stored.size, stored.mtime_ns, stored.ctime_ns) == (size, mtime_ns, ctime_ns)
        and max(mtime_ns, ctime_ns) < trusted_before
    ):
        return "unchanged"
    try:
        # As load_dir reads it: a FIFO, socket or device is refused, unopened
        # or without waiting for a writer, with a ParseError.
        data = read_file(path)
    except (OSError, ParseError) as error:
        return _unread(connection, relative, stored, error)
    digest = _digest(data)
    if stored is not None and not stored.unreadable and stored.digest == digest:
        connection.execute(
            "UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ? WHERE path = ?",
            (size, mtime_ns, ctime_ns, path_column(relative)),
        )
        return "unchanged"
    _insert(connection, _Seen(relative, size, mtime_ns, ctime_ns, digest), *_parse(data, path))
    return new
