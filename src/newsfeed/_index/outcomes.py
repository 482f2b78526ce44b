"""What the index keeps of how a file read, besides its article: its failure and its warnings.

A failure is stored as JSON text in its row's ``failure`` column, the
warnings of a file read with some as JSON text in its ``warnings`` column:
the pairs of functions here are the only place that knows either encoding.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from newsfeed._errors import LoadFailure, NewsfeedWarning, ParseError, ValidationError
from newsfeed._index.paths import path_from_column, sort_by_parts

__all__ = ["decode_failure", "encode_failure", "encode_warnings", "failures_of", "warnings_of"]


def encode_failure(error: Exception) -> str:
    """Return the error a file failed with as JSON text, for :func:`decode_failure`.

    Only what :func:`newsfeed.load` raises is stored: a ParseError or a
    ValidationError with its reason, field and line (and, for the latter,
    the file's other problems), or an OSError with its number and message.
    The file's name is not stored: it is the row's path.
    """
    if isinstance(error, ParseError | ValidationError):
        data: dict[str, object] = {
            "class": type(error).__name__,
            "reason": error.reason,
            "field": error.field,
            "line": error.line,
        }
        if isinstance(error, ValidationError):
            # Every problem of the file, as load_dir reports them: the first
            # is the error's own, the others follow it.
            data["others"] = [[other.reason, other.field, other.line] for other in error.errors[1:]]
    elif isinstance(error, OSError):
        data = {"class": "OSError", "errno": error.errno, "strerror": error.strerror}
    else:
        raise TypeError(f"cannot store a {type(error).__name__} as a load failure")
    # Escaped to ASCII: a reason can name a file whose name is not UTF-8
    # (a lone surrogate in Python), which SQLite's text cannot hold.
    return json.dumps(data)


def decode_failure(text: str, path: Path) -> LoadFailure:
    """Rebuild the :class:`LoadFailure` of the file at *path* from :func:`encode_failure`'s text."""
    data = json.loads(text)
    source = os.fspath(path)
    error: Exception
    if data["class"] == "OSError":
        # OSError(errno, ...) builds the subclass for the number, such as
        # FileNotFoundError, as open() does.
        error = OSError(data["errno"], data["strerror"], source)
    elif data["class"] == "ParseError":
        error = ParseError(data["reason"], source=source, field=data["field"], line=data["line"])
    else:
        others = [
            ValidationError(reason, source=source, field=field, line=line)
            for reason, field, line in data.get("others", ())
        ]
        error = ValidationError(
            data["reason"], source=source, field=data["field"], line=data["line"], others=others
        )
    return LoadFailure(path, error)


def _in_file_order(connection: sqlite3.Connection, column: str) -> list[tuple[str, str]]:
    """Return (relative path, text) of each file whose *column* is set, in file order."""
    rows = {
        path_from_column(path): text
        for path, text in connection.execute(
            # One of this module's own column names, not input.
            f"SELECT path, {column} FROM files WHERE {column} IS NOT NULL"  # noqa: S608
        )
    }
    return [(relative, rows[relative]) for relative in sort_by_parts(list(rows))]


def failures_of(connection: sqlite3.Connection, root: Path) -> tuple[LoadFailure, ...]:
    """Return the stored failures, in file order (call inside a transaction)."""
    return tuple(
        decode_failure(text, root / relative)
        for relative, text in _in_file_order(connection, "failure")
    )


def encode_warnings(warned: Sequence[NewsfeedWarning]) -> str | None:
    if not warned:
        return None
    return json.dumps([[warning.reason, warning.field, warning.line] for warning in warned])


def warnings_of(connection: sqlite3.Connection, root: Path) -> list[NewsfeedWarning]:
    """Return the warnings the indexed articles gave when read, in file order.

    Call inside a transaction. Failed files have none: their error is all
    that is kept of them, as in load_dir.
    """
    return [
        NewsfeedWarning(reason, source=root / relative, field=field, line=line)
        for relative, text in _in_file_order(connection, "warnings")
        for reason, field, line in json.loads(text)
    ]
