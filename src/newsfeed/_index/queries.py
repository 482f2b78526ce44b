"""Answering from the index: criteria as SQL, full-text search, and rebuilding articles.

Criteria are checked by the same code as :meth:`Feed.filter`
(:func:`~newsfeed._feed.criteria.check_criteria`) and translated to a WHERE
clause over the typed columns; only the rows that match are decoded. Two
things SQL cannot answer exactly are finished in Python, with the same
compiled predicate as :meth:`Feed.filter`: a ``where`` function, and a
quality bound on an article whose quality is too large for a SQLite integer.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final

from newsfeed._errors import QueryError
from newsfeed._feed.criteria import Criteria, compile_predicate, epoch_us
from newsfeed._feed.text import SURROGATE
from newsfeed._format.layout import Layout
from newsfeed._index.encoding import LayoutDecoder, decode
from newsfeed._index.paths import path_from_column, sort_by_parts
from newsfeed._model import READING, Article

__all__ = ["BM25_WEIGHTS", "fetch", "match_expression", "where_clause"]

#: The weight of a match in each full-text column (title, excerpt, body,
#: related titles) in the bm25 rank: a word in the title counts most.
BM25_WEIGHTS: Final = (10.0, 4.0, 1.0, 2.0)

#: The columns every query reads to rebuild articles.
_COLUMNS: Final = (
    "files.path, files.article, files.body, files.layout_id,"
    " files.published_us, files.quality_too_large"
)

#: path (text, or bytes for a name that is not UTF-8), front, body, layout, time, flag.
_Row = tuple[str | bytes, str, str, int | None, int, int]


def _placeholders(count: int) -> str:
    return ", ".join("?" * count)


def _sql_number(bound: float) -> float:
    """Return a quality bound as SQLite takes it, comparing the same with every stored quality.

    A whole number stays whole (SQLite compares integers with integers
    exactly); one past SQLite's integers, which it cannot take, becomes an
    infinity of its sign, beyond every stored quality all the same (a
    quality past them is stored as NULL, and checked in Python).
    """
    if isinstance(bound, int) and not -(2**63) <= bound < 2**63:
        # Even float() cannot take some: past every stored quality, either way.
        return math.inf if bound > 0 else -math.inf
    return bound


def where_clause(criteria: Criteria) -> tuple[str, list[object]]:
    """Return the SQL condition on ``files`` for *criteria*, and its parameters.

    Values only ever travel as parameters; the text holds placeholders.
    """
    clauses = ["files.article IS NOT NULL"]
    parameters: list[object] = []
    if criteria.since is not None:
        clauses.append("files.published_us >= ?")
        parameters.append(epoch_us(criteria.since))
    if criteria.until is not None:
        clauses.append("files.published_us < ?")
        parameters.append(epoch_us(criteria.until))
    bounds = []
    if criteria.min_quality is not None:
        bounds.append("files.quality >= ?")
        parameters.append(_sql_number(criteria.min_quality))
    if criteria.max_quality is not None:
        bounds.append("files.quality <= ?")
        parameters.append(_sql_number(criteria.max_quality))
    if bounds:
        # A NULL quality fails the comparison, as in Feed.filter. A quality
        # too large to store is let through and checked in Python.
        clauses.append(f"(files.quality_too_large OR ({' AND '.join(bounds)}))")
    if criteria.providers is not None:
        # kind 0: names, 2: whole domains, 1: the suffixes of subdomains.
        wanted = [
            (kind, values)
            for kind, values in (
                (0, sorted(criteria.providers)),
                (2, sorted(criteria.domains)),
                (1, criteria.domain_suffixes),
            )
            if values
        ]
        keys = " OR ".join(
            f"(kind = {kind:d} AND key IN ({_placeholders(len(values))}))"
            for kind, values in wanted
        )
        # Only placeholders and kinds are formatted into the text (here and below).
        clauses.append(f"files.id IN (SELECT file_id FROM provider_keys WHERE {keys})")  # noqa: S608
        for _, values in wanted:
            parameters.extend(values)
    if criteria.topics is not None:
        topics = sorted(criteria.topics)
        clauses.append(
            "files.id IN (SELECT file_id FROM topics"  # noqa: S608 -- placeholders only
            f" WHERE folded IN ({_placeholders(len(topics))}))"
        )
        parameters.extend(topics)
    if criteria.published is not None:
        clauses.append("files.published = ?")
        parameters.append(criteria.published)
    return " AND ".join(clauses), parameters


def match_expression(text: str, *, syntax: str) -> str:
    """Return the FTS5 query for *text*.

    With ``syntax="words"`` every word must occur (in any column, in any
    order): each is quoted, so no character of it is taken as an operator.
    With ``syntax="fts5"`` the text is SQLite's own query language (``OR``,
    ``NOT``, ``"a phrase"``, ``prefix*``, ``title: word``), as it is.
    """
    if syntax not in ("words", "fts5"):
        raise QueryError(f"syntax must be 'words' or 'fts5', got {syntax!r}")
    given: object = text  # from callers without type checks, None too
    if not isinstance(given, str) or not given.strip():
        raise QueryError(f"search text must be a non-empty string, got {text!r}")
    # FTS5 stops reading its query at a NUL, and SQLite cannot take a lone
    # surrogate: either would answer another question, or none.
    if "\x00" in text or SURROGATE.search(text):
        raise QueryError(f"search text must not hold NUL or a lone surrogate, got {text!r}")
    if syntax == "fts5":
        return text
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


_SQL_MAX_LIMIT: Final = 2**63 - 1

#: Up to this many layouts, their shapes' parts are read one by one as they
#: are needed; past it, all at once. A search or a narrow filter needs a few
#: layouts, and reading every part (a hundred thousand of them in a large,
#: varied folder) would cost it more than its own rows.
_FEW_LAYOUTS: Final = 256


def _stored_node(connection: sqlite3.Connection) -> Callable[[str], str]:
    """Return a function reading one shape node's JSON from the index, by its key."""

    def node_text(key: str) -> str:
        row = connection.execute("SELECT data FROM shape_nodes WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        text: str = row[0]
        return text

    return node_text


def _layouts(
    connection: sqlite3.Connection, wanted: Iterable[int | None]
) -> dict[int | None, Layout]:
    """Return the layouts of the ids *wanted*: each read and decoded once, in one query.

    The parts of their shapes are shared by most layouts: each is decoded
    once, when a layout first needs it.
    """
    ids = sorted({layout_id for layout_id in wanted if layout_id is not None})
    layouts: dict[int | None, Layout] = {}
    if ids:
        decoder = LayoutDecoder(
            _stored_node(connection)
            if len(ids) <= _FEW_LAYOUTS
            else dict(connection.execute("SELECT key, data FROM shape_nodes")).__getitem__
        )
        # The ids travel as one JSON parameter, however many there are.
        for layout_id, data in connection.execute(
            "SELECT id, data FROM layouts WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        ):
            layouts[layout_id] = decoder.layout(data)
    return layouts


def _articles(
    rows: Iterable[_Row],
    layouts: dict[int | None, Layout],
    root: Path,
    criteria: Criteria | None,
) -> dict[str, Article]:
    """Decode *rows* (by relative path, in their order), finishing what SQL could not check."""
    predicate = None if criteria is None else compile_predicate(criteria)
    exact = criteria is None or criteria.where is None
    layout_of = layouts.get
    found: dict[str, Article] = {}
    for column, front, body, layout_id, stamp, quality_too_large in rows:
        relative = path_from_column(column)
        # What the index holds was checked when its file was read: rebuilding
        # it skips the model's construction checks, as the readers do. Only
        # while decoding: a `where` function runs with them, as on a Feed.
        reading = READING.set(True)
        try:
            article = decode(front, body, layout_of(layout_id), root / relative)
        finally:
            READING.reset(reading)
        checked = predicate is None or (exact and not quality_too_large)
        if checked or predicate(article, stamp):  # type: ignore[misc]
            found[relative] = article
    return found


def _sql_limit(connection: sqlite3.Connection, criteria: Criteria | None, limit: int | None) -> int:
    """Return the LIMIT of a search's query (-1 for none), so that *limit* answers survive Python.

    A `where` function is applied in Python, so the cap is applied after it.
    A quality bound lets through, to be checked in Python, the rows whose
    quality is too large for SQLite: each may be dropped, so as many more
    rows are asked for.
    """
    if limit is None:
        return -1
    # SQLite's integers stop at 2**63 - 1; no index holds that many rows.
    limit = min(limit, _SQL_MAX_LIMIT)
    if criteria is None:
        return limit
    if criteria.where is not None:
        return -1
    if criteria.min_quality is None and criteria.max_quality is None:
        return limit
    (unchecked,) = connection.execute(
        # quality IS NULL first: the quality index finds those rows.
        "SELECT count(*) FROM files WHERE quality IS NULL AND quality_too_large"
    ).fetchone()
    return min(limit + int(unchecked), _SQL_MAX_LIMIT)


def fetch(
    connection: sqlite3.Connection,
    root: Path,
    criteria: Criteria | None,
    *,
    search: str | None = None,
    limit: int | None = None,
) -> list[Article]:
    """Return the matching articles: in file order, or by rank for a *search*.

    Call inside a read transaction. *search* is an FTS5 expression (see
    :func:`match_expression`); *limit* caps a search's results.
    """
    condition, parameters = where_clause(criteria or Criteria())
    if search is None:
        # The layouts first, from the small columns; then the rows are
        # decoded as they come, so that the encoded text of every article
        # is never held at once (a gigabyte at 100,000 files).
        layouts = _layouts(
            connection,
            (
                layout_id
                for (layout_id,) in connection.execute(
                    # The condition holds placeholders; its values are parameters.
                    f"SELECT DISTINCT layout_id FROM files WHERE {condition}",  # noqa: S608
                    parameters,
                )
            ),
        )
        rows = connection.execute(
            f"SELECT {_COLUMNS} FROM files WHERE {condition}",  # noqa: S608
            parameters,
        )
        try:
            found = _articles(rows, layouts, root, criteria)
        finally:
            # Should a `where` function raise, a statement left open would
            # hold the connection's snapshot (and the write lock away) for as
            # long as the traceback lives, past the transaction's end.
            rows.close()
        return [found[relative] for relative in sort_by_parts(list(found))]
    sql_limit = _sql_limit(connection, criteria, limit)
    query = (
        f"SELECT {_COLUMNS} FROM"  # noqa: S608 -- the condition holds placeholders only
        " (SELECT rowid, bm25(search, ?, ?, ?, ?) AS score"
        " FROM search WHERE search MATCH ?) AS hits"
        f" JOIN files ON files.id = hits.rowid WHERE {condition}"
        " ORDER BY hits.score, files.path LIMIT ?"
    )
    try:
        hits: list[_Row] = connection.execute(
            query, [*BM25_WEIGHTS, search, *parameters, sql_limit]
        ).fetchall()
    except sqlite3.OperationalError as error:
        # A busy database is the caller's to see; anything else here is the
        # query's text, which FTS5 refused ("unterminated string", "fts5:
        # syntax error near ...", "no such column").
        if "locked" in str(error):
            raise
        raise QueryError(f"search: {error} in {search!r}") from None
    layouts = _layouts(connection, [hit[3] for hit in hits])
    # Paths are unique: the mapping keeps the rank order.
    ranked = list(_articles(hits, layouts, root, criteria).values())
    return ranked if limit is None else ranked[:limit]
