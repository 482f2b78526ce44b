"""The public :class:`Index`: a folder of articles mirrored into one SQLite file."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Final, Literal, Self

from newsfeed._errors import FeedLoadError, LoadFailure, NewsfeedError
from newsfeed._feed.collector import collector_paused
from newsfeed._feed.criteria import Criteria, Instant, Predicate, check_criteria
from newsfeed._feed.feed import Feed
from newsfeed._files.reading import issue_or_fail
from newsfeed._index.cache import default_db
from newsfeed._index.outcomes import failures_of, warnings_of
from newsfeed._index.paths import path_column
from newsfeed._index.queries import fetch, match_expression
from newsfeed._index.schema import (
    DAMAGE_ERRORS,
    Identity,
    is_damage,
    move_aside,
    open_index,
    problem,
    read_transaction,
    rebuild_if_foreign,
    write_transaction,
)
from newsfeed._index.update import IndexUpdate, update_index

__all__ = ["Index"]

_log: Final = logging.getLogger("newsfeed")

#: How many times a read tries again after finding that another Index
#: rebuilt the database for another folder in the meantime.
_READ_ATTEMPTS: Final = 3


def _check_limit(limit: object) -> None:
    if limit is None:
        return
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"limit must be a whole number of at least 0 or None, got {limit!r}")


class Index:
    """A folder of article files mirrored into one SQLite database, for fast reloads and queries.

    ``Index(folder)`` opens (or creates) the index of *folder*: the files
    matching *pattern* (as for :func:`newsfeed.load_dir`). The database is
    *db*, or by default one file per folder in the cache folder that
    ``load_dir(cache=True)`` uses. Call :meth:`update` to bring it up to
    date with the folder; :meth:`load`, :meth:`filter` and :meth:`search`
    answer from the index as of the last update, without reading the files.

    The database stores, per file, its path relative to the folder, its size,
    ``mtime_ns``, ``ctime_ns`` and a hash, the parsed article (as JSON, never pickle) or the
    error it failed with, typed columns for the criteria, its topics, and a
    full-text (FTS5) index of title, excerpt, body and related titles.

    Several processes may update and read one index at once: it is in WAL
    mode, an update is one transaction (a second updater waits for it), and
    a reader sees the index before or after an update, never halfway. A
    database that is stale (another schema version), of another folder or
    pattern, or damaged, is rebuilt with an
    :class:`~newsfeed.IndexRebuiltWarning`; another application's database
    is refused with :class:`~newsfeed.NotAnIndexError`.

    Use it as a context manager, or call :meth:`close`, to close the database.
    """

    __slots__ = ("_connection", "_identity", "db", "folder", "pattern")

    folder: Path
    db: Path
    pattern: str

    def __init__(
        self,
        folder: str | os.PathLike[str],
        *,
        db: str | os.PathLike[str] | None = None,
        pattern: str = "**/*.md",
    ) -> None:
        #: The folder, as given: articles' paths are under it, as load_dir gives them.
        self.folder = Path(folder)
        self.pattern = pattern
        #: The database file.
        self.db = default_db(folder, pattern) if db is None else Path(db)
        # Stored in the database's meta table: as text, or as the bytes of a
        # name that is not valid UTF-8, which SQLite's text cannot hold.
        self._identity: Identity = {
            "folder": path_column(str(self.folder.resolve())),
            "pattern": path_column(pattern),
        }
        self._connection = open_index(self.db, self._identity)

    def _rebuild_damaged(self, error: BaseException) -> None:
        self._connection.close()
        move_aside(self.db, error)
        self._connection = open_index(self.db, self._identity)

    def _answer(
        self,
        criteria: Criteria | None,
        *,
        search: str | None = None,
        limit: int | None = None,
        replay_warnings: bool = False,
    ) -> Feed:
        """Answer a query from one snapshot of the index, checked to be this folder's.

        Another Index on the same database file may have rebuilt it for
        another folder since this one opened it: then it is rebuilt for this
        folder (with a warning), and the answer is that of an empty index.
        With *replay_warnings*, the warnings the folder's files gave when
        they were parsed are issued again, as reading them would.
        """
        connection = self._connection
        for _ in range(_READ_ATTEMPTS):
            # Rows and articles are acyclic: the cyclic collector is paused
            # while they are built (and restored as it was after).
            with collector_paused(), read_transaction(connection):
                if problem(connection, self._identity) is None:
                    articles = fetch(connection, self.folder, criteria, search=search, limit=limit)
                    feed = Feed(articles, failures=failures_of(connection, self.folder))
                    warned = warnings_of(connection, self.folder) if replay_warnings else []
                    break
            with write_transaction(connection):
                rebuild_if_foreign(connection, self.db, self._identity)
        else:
            raise NewsfeedError(
                f"{self.db}: another Index keeps rebuilding this database for another folder;"
                " give each folder a database of its own"
            )
        failed: dict[str, LoadFailure] = {}
        for warning in warned:
            source = warning.source or ""
            if source in failed:
                continue
            failure = issue_or_fail(warning, source)
            if failure is not None:
                failed[source] = failure
        if failed:
            feed = Feed(
                [article for article in feed if os.fspath(article.path or "") not in failed],
                failures=sorted(
                    (*feed.failures, *failed.values()),
                    key=lambda failure: failure.path.relative_to(self.folder).parts,
                ),
            )
        return feed

    def update(self, *, progress: bool = False) -> IndexUpdate:
        """Bring the index up to date with the folder, parsing only new and changed files.

        Returns an :class:`~newsfeed.IndexUpdate` with the counts of added,
        changed, deleted and unchanged files, and every file that fails to
        load (recorded as :func:`newsfeed.load_dir` records it, as a
        :class:`~newsfeed.LoadFailure`; a file that could not be read is
        tried again on the next update). ``progress=True`` shows a tqdm bar
        (extra ``newsfeed-articles[progress]``). A file's
        :class:`~newsfeed.NewsfeedWarning` is recorded, not issued: :meth:`load`
        issues it on every load, as ``load_dir`` does each time it reads the
        file. Raises :class:`FileNotFoundError` or
        :class:`NotADirectoryError` when the folder is missing.

        If the database turns out to be damaged, it is moved aside and
        rebuilt, with an :class:`~newsfeed.IndexRebuiltWarning`.
        """
        try:
            return self._update(progress=progress)
        except DAMAGE_ERRORS as error:
            if not is_damage(error):
                raise
            self._rebuild_damaged(error)
        return self._update(progress=progress)

    def _update(self, *, progress: bool) -> IndexUpdate:
        return update_index(
            self._connection,
            self.folder,
            self.pattern,
            progress=progress,
            # Checked again in the update's transaction, as for a read (see _answer).
            check=lambda: rebuild_if_foreign(self._connection, self.db, self._identity),
        )

    def load(self, *, errors: Literal["raise", "skip"] = "raise") -> Feed:
        """Return every indexed article, as :func:`newsfeed.load_dir` would load the folder.

        Articles come in the same order, equal article for article, with the
        same ``path`` (the folder as given, joined with the file's relative
        path). *errors* works as in ``load_dir``: with ``"raise"`` a
        :class:`~newsfeed.FeedLoadError` lists the files that failed; with
        ``"skip"`` they are in the feed's ``failures`` and one warning is
        logged. The :class:`~newsfeed.NewsfeedWarning` of each file read
        with one is issued, as ``load_dir`` issues it. Reflects the last
        :meth:`update`.
        """
        if errors not in ("raise", "skip"):
            raise ValueError(f"errors must be 'raise' or 'skip', got {errors!r}")
        feed = self._answer(None, replay_warnings=True)
        failures = feed.failures
        if failures:
            total = len(feed) + len(failures)
            if errors == "raise":
                raise FeedLoadError(failures, feed, total)
            _log.warning(
                "%d of %d files under %s could not be loaded; each is listed with its reason"
                " in .failures",
                len(failures),
                total,
                os.fspath(self.folder),
            )
        return feed

    def filter(  # noqa: PLR0913 -- the criteria of Feed.filter, one keyword each
        self,
        *,
        since: Instant | None = None,
        until: Instant | None = None,
        min_quality: float | None = None,
        max_quality: float | None = None,
        provider: str | Iterable[str] | None = None,
        topic: str | Iterable[str] | None = None,
        published: bool | None = None,
        where: Predicate | None = None,
    ) -> Feed:
        """Return the indexed articles matching the criteria, in file order.

        The criteria and their meaning are those of :meth:`Feed.filter`, and
        the result equals ``index.load(errors="skip").filter(...)``, but it
        is answered in SQL and only the matching articles are rebuilt. A
        *where* function runs in Python on the articles the other criteria
        kept. The feed's ``failures`` are the files that failed to load.
        Unlike :meth:`load`, it issues no file's
        :class:`~newsfeed.NewsfeedWarning`: with a warnings filter that
        makes those errors, such a file is a failure of ``load()`` but is
        still answered here.
        Raises :class:`~newsfeed.QueryError` for an invalid criterion.
        """
        criteria = check_criteria(
            since=since,
            until=until,
            min_quality=min_quality,
            max_quality=max_quality,
            provider=provider,
            topic=topic,
            published=published,
            where=where,
        )
        return self._answer(criteria)

    def search(  # noqa: PLR0913 -- the criteria of Feed.filter, one keyword each
        self,
        text: str,
        *,
        limit: int | None = 20,
        syntax: Literal["words", "fts5"] = "words",
        since: Instant | None = None,
        until: Instant | None = None,
        min_quality: float | None = None,
        max_quality: float | None = None,
        provider: str | Iterable[str] | None = None,
        topic: str | Iterable[str] | None = None,
        published: bool | None = None,
        where: Predicate | None = None,
    ) -> Feed:
        """Return the articles matching *text*, best first (bm25), at most *limit* of them.

        The title, excerpt, body and related articles' titles are searched,
        ignoring case and accents; a match in the title weighs most. With
        ``syntax="words"`` (the default) every word of *text* must occur;
        ``syntax="fts5"`` takes SQLite's FTS5 query language (``OR``,
        ``NOT``, ``"a phrase"``, ``prefix*``). ``limit=None`` returns every
        match. The other criteria are those of :meth:`filter`. Raises
        :class:`~newsfeed.QueryError` for empty text, a malformed FTS5 query
        or an invalid criterion.
        """
        criteria = check_criteria(
            since=since,
            until=until,
            min_quality=min_quality,
            max_quality=max_quality,
            provider=provider,
            topic=topic,
            published=published,
            where=where,
        )
        expression = match_expression(text, syntax=syntax)
        _check_limit(limit)
        return self._answer(criteria, search=expression, limit=limit)

    def close(self) -> None:
        """Close the database; the index cannot be used afterwards."""
        self._connection.close()

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
        return f"<Index of {os.fspath(self.folder)!r} ({self.pattern}) in {os.fspath(self.db)!r}>"


def load_cached(
    folder: str | os.PathLike[str],
    *,
    pattern: str,
    errors: Literal["raise", "skip"],
    progress: bool,
) -> Feed:
    """Load *folder* through its index in the cache folder: what ``load_dir(cache=True)`` does."""
    with Index(folder, pattern=pattern) as index:
        index.update(progress=progress)
        try:
            return index.load(errors=errors)
        except DAMAGE_ERRORS as error:
            if not is_damage(error):
                raise
            index._rebuild_damaged(error)  # noqa: SLF001 -- the same module
            index.update(progress=progress)
            return index.load(errors=errors)
