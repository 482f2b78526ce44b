"""The index's SQLite file: its schema, and opening it safely.

A database is used only when it is recognizably this index, of this schema
version, for this folder and pattern. Anything else is never read as data:

- a newsfeed index of another schema version, folder or pattern is emptied
  and rebuilt, with an :class:`IndexRebuiltWarning`;
- a file that is not a SQLite database, or that SQLite finds damaged
  (:func:`is_damage`), is moved aside to ``<db>.corrupt`` (or
  ``<db>.corrupt-2`` and so on, never over an earlier one) and a new index
  is built, with the same warning. Any other error (a full disk, a file
  that cannot be opened, a busy database) is raised as it is: the file may
  be intact;
- a SQLite database that belongs to another application (a different
  ``PRAGMA application_id``, or tables of its own), or a db path that is not
  a file, is left alone, and :class:`NotAnIndexError` is raised.

The folder and pattern are checked again at the start of every update and
every read (:func:`rebuild_if_foreign`, :func:`problem`), in the same
transaction: another :class:`~newsfeed.Index` may have rebuilt the same
database for another folder since this one opened it.
"""

from __future__ import annotations

import json
import sqlite3
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final, TypeAlias

from newsfeed._errors import NewsfeedError
from newsfeed._stacklevel import outside_newsfeed

__all__ = [
    "APPLICATION_ID",
    "DAMAGE_ERRORS",
    "SCHEMA_VERSION",
    "IndexRebuiltWarning",
    "NotAnIndexError",
    "is_damage",
    "move_aside",
    "open_index",
    "problem",
    "read_transaction",
    "rebuild_if_foreign",
    "write_transaction",
]

#: ``PRAGMA application_id`` of every newsfeed index: "NwsF" in ASCII.
APPLICATION_ID: Final = 0x4E777346
#: ``PRAGMA user_version``: bumped whenever the tables or the encoding change,
#: so that an index written by another version is rebuilt, not misread.
SCHEMA_VERSION: Final = 6
#: How long a writer waits for another process's write to finish, in seconds.
#: An update holds the write lock while it parses; a first build of a very
#: large folder takes minutes.
BUSY_TIMEOUT_SECONDS: Final = 600.0

_SCHEMA: Final = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    # Each distinct part of the layouts' shapes, once, under the hash of its
    # JSON (a part refers to its own parts by their keys): see encoding.py.
    "CREATE TABLE shape_nodes (key TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID",
    # Each distinct file layout, once (most files of a folder share one),
    # under a hash of its encoded text. Rows of files refer to it.
    """CREATE TABLE layouts (
        id INTEGER PRIMARY KEY,
        hash BLOB NOT NULL UNIQUE,
        data TEXT NOT NULL
    )""",
    # One row per file that matched the pattern, good or bad. `article`,
    # `body` and `layout_id` hold the encoded article (see encoding.py),
    # `failure` the error of a file that did not load, `warnings` (JSON,
    # [reason, field, line] each) what reading it warned about. The other columns
    # are what queries use, typed for SQL. The two large columns come last:
    # SQLite reads a column by walking past those before it, through their
    # overflow pages, so a query on the typed columns reads only them.
    """CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        ctime_ns INTEGER NOT NULL,
        hash BLOB NOT NULL,
        warnings TEXT,
        layout_id INTEGER REFERENCES layouts (id),
        failure TEXT,
        published_us INTEGER,
        utc_offset_s INTEGER,
        quality INTEGER,
        quality_too_large INTEGER NOT NULL DEFAULT 0,
        heat INTEGER,
        published INTEGER,
        provider_name TEXT,
        provider_domain TEXT,
        type TEXT,
        category TEXT,
        article TEXT,
        body TEXT,
        CHECK ((article IS NULL) <> (failure IS NULL))
    )""",
    "CREATE INDEX files_published_us ON files (published_us)",
    "CREATE INDEX files_quality ON files (quality)",
    # Topics as written and folded (criteria.fold), for whole-topic matching in any case.
    """CREATE TABLE topics (
        file_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        topic TEXT NOT NULL,
        folded TEXT NOT NULL,
        PRIMARY KEY (file_id, position)
    ) WITHOUT ROWID""",
    "CREATE INDEX topics_folded ON topics (folded, file_id)",
    # The keys a provider query is matched against (folded as criteria.fold
    # and fold_domain do): kind 0 for the name, 2 for the whole domain, 1 for
    # each dot-suffix of the domain (".nasdaq.com" and ".com" for
    # www.nasdaq.com), so that a domain query matches its subdomains by
    # plain equality.
    """CREATE TABLE provider_keys (
        file_id INTEGER NOT NULL,
        kind INTEGER NOT NULL,
        key TEXT NOT NULL,
        PRIMARY KEY (file_id, kind, key)
    ) WITHOUT ROWID""",
    "CREATE INDEX provider_keys_key ON provider_keys (key, kind, file_id)",
    # Full text; its rowid is files.id.
    """CREATE VIRTUAL TABLE search USING fts5 (
        title, excerpt, body, related, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    # Removing a file's row removes what hangs off it.
    """CREATE TRIGGER files_deleted AFTER DELETE ON files BEGIN
        DELETE FROM topics WHERE file_id = old.id;
        DELETE FROM provider_keys WHERE file_id = old.id;
        DELETE FROM search WHERE rowid = old.id;
    END""",
)


class IndexRebuiltWarning(UserWarning):
    """An index database was stale, damaged or of another folder, and is being rebuilt.

    The message says why. Nothing was read from the old database; a damaged
    file is kept next to it as ``<db>.corrupt``.
    """


class NotAnIndexError(NewsfeedError):
    """The database file given to :class:`~newsfeed.Index` belongs to another application.

    ``db`` is its path. newsfeed does not touch it: pass another path.
    """

    db: Path

    def __init__(self, db: Path, reason: str) -> None:
        self.db = db
        super().__init__(f"{db}: {reason}; not a newsfeed index, and left as it is")


#: SQLite's primary result codes that mean the file itself is damaged (or is
#: not a database): SQLITE_CORRUPT and SQLITE_NOTADB.
_DAMAGE_CODES: Final = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


#: What reading a damaged index can raise; :func:`is_damage` tells which mean damage.
DAMAGE_ERRORS: Final = (sqlite3.DatabaseError, UnicodeDecodeError, json.JSONDecodeError)


def is_damage(error: BaseException) -> bool:
    """Tell whether *error*, raised while reading the index, means its file is damaged.

    SQLite's own codes for a damaged file count, and so do bytes no intact
    index holds: text that is not UTF-8 (in a cell, which Python's sqlite3
    reports by message only, or quoted in SQLite's message from the damaged
    schema) and a stored encoding that is not JSON. A full disk, an I/O
    error, a file that cannot be opened or a busy database leave the file as
    it was, and must reach the caller rather than have an intact index moved
    aside.
    """
    if isinstance(error, UnicodeDecodeError | json.JSONDecodeError):
        return True
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = _primary_code(error)
    if code is None:
        return str(error).startswith("Could not decode to UTF-8")
    return code in _DAMAGE_CODES


def _primary_code(error: sqlite3.Error) -> int | None:
    """Return SQLite's primary result code of *error*, or None when Python's sqlite3 gave none."""
    code: int | None = getattr(error, "sqlite_errorcode", None)
    # The extended codes keep the primary one in their low byte.
    return None if code is None else code & 0xFF


def _connect(db: Path) -> sqlite3.Connection:
    # isolation_level=None: transactions are begun explicitly, below.
    return sqlite3.connect(db, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)


#: How long to wait between two tries of switching a new database to WAL, in seconds.
_WAL_RETRY_SECONDS: Final = 0.01


def _use_wal(connection: sqlite3.Connection) -> None:
    # WAL lets readers go on while one process writes, and a writer not wait
    # for readers. It is a property of the file, kept once set; set only
    # once the file is known to be ours (or new), never on someone else's.
    # Switching needs the file to itself, and SQLite reports another
    # process's open transaction at once ("database is locked") rather than
    # through the busy timeout: as when several processes open a new index
    # together, it is tried again for as long as that timeout.
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            break
        except sqlite3.OperationalError as error:
            if _primary_code(error) != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(_WAL_RETRY_SECONDS)
    connection.execute("PRAGMA synchronous = NORMAL")


@contextmanager
def read_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Read in one snapshot: a concurrent update shows entirely or not at all."""
    connection.execute("BEGIN")
    try:
        yield connection
    finally:
        connection.execute("COMMIT")


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Write under the database's write lock, taken at once (waiting for another writer)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


#: What identifies an index: its folder and pattern. The folder is text, or
#: the bytes of its path when that is not valid UTF-8.
Identity: TypeAlias = dict[str, str | bytes]


def problem(connection: sqlite3.Connection, identity: Identity) -> str | None:
    """Return why the database cannot be used as it is ("" for a new, empty one), or None.

    Raises NotAnIndexError for another application's database.
    """
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = connection.execute(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
    ).fetchone()[0]
    if application_id != APPLICATION_ID:
        if application_id == 0 and tables == 0:
            return ""
        raise NotAnIndexError(
            Path(connection.execute("PRAGMA database_list").fetchone()[2]),
            "this SQLite database belongs to another application",
        )
    if version != SCHEMA_VERSION:
        return f"it was written with index schema {version}, this version reads {SCHEMA_VERSION}"
    stored = dict(connection.execute("SELECT key, value FROM meta"))
    for key, value in identity.items():
        if stored.get(key) != value:
            return f"it indexes {key} {stored.get(key)!r}, not {value!r}"
    return None


def _reset(connection: sqlite3.Connection, identity: Identity) -> None:
    """Drop every table and create the schema, inside the caller's write transaction."""
    names = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for name in names:
        # Identifiers cannot be parameters; these come from the schema itself
        # and are quoted. IF EXISTS: dropping a full-text table drops its
        # shadow tables, which are also listed.
        quoted = '"' + name.replace('"', '""') + '"'
        connection.execute(f"DROP TABLE IF EXISTS {quoted}")
    for statement in _SCHEMA:
        connection.execute(statement)
    connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", identity.items())
    # PRAGMA values cannot be parameters either; these are our own integers.
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")


def rebuild_if_foreign(connection: sqlite3.Connection, db: Path, identity: Identity) -> None:
    """Empty the index for *identity* if it is stale or of another folder, with a warning.

    Call inside a write transaction. Raises NotAnIndexError for another
    application's database.
    """
    found = problem(connection, identity)
    if found is None:
        return
    _reset(connection, identity)
    if found:
        warnings.warn(
            f"{db}: rebuilding the index, because {found}",
            IndexRebuiltWarning,
            stacklevel=outside_newsfeed(),
        )


def move_aside(db: Path, error: BaseException) -> None:
    """Move the damaged database *db* aside, never over an earlier one, with a warning."""
    corrupt = db.with_name(db.name + ".corrupt")
    number = 1
    while corrupt.exists():
        number += 1
        corrupt = db.with_name(f"{db.name}.corrupt-{number}")
    db.replace(corrupt)
    for suffix in ("-wal", "-shm"):
        # The journal files of the damaged database must not be applied to the new one.
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    warnings.warn(
        f"{db}: the index database is damaged ({error}); moved it to {corrupt.name}"
        " and rebuilding the index",
        IndexRebuiltWarning,
        stacklevel=outside_newsfeed(),
    )


def open_index(db: Path, identity: Identity) -> sqlite3.Connection:
    """Open (creating or rebuilding as needed) the index database *db* for *identity*.

    *identity* (the folder and pattern) is stored in the meta table; an index
    of another identity is rebuilt. See the module's docstring for what is
    rebuilt and what is refused.
    """
    if db.exists() and not db.is_file():
        # SQLite would say only "unable to open database file".
        raise NotAnIndexError(db, "this is a folder or a special file, not a database file")
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = _connect(db)
        try:
            return _prepare(connection, db, identity)
        except BaseException:
            connection.close()
            raise
    except DAMAGE_ERRORS as error:
        if not is_damage(error):
            raise
        move_aside(db, error)
    connection = _connect(db)
    try:
        return _prepare(connection, db, identity)
    except BaseException:
        connection.close()
        raise


def _prepare(connection: sqlite3.Connection, db: Path, identity: Identity) -> sqlite3.Connection:
    with read_transaction(connection):
        found = problem(connection, identity)
    _use_wal(connection)
    if found is not None:
        with write_transaction(connection):
            # Checked again under the write lock: another process may have built it meanwhile.
            rebuild_if_foreign(connection, db, identity)
    return connection
