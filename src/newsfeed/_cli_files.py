"""What the command line needs around files: finding them and naming their problems."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

import attrs

from newsfeed._errors import NewsfeedError, ParseError, ValidationError

__all__ = ["PATTERN", "Problem", "article_files", "problem_from"]

#: The files a folder holds, as ``load_dir`` finds them.
PATTERN: Final = "**/*.md"


@attrs.frozen
class Problem:
    """One file that failed, in the terms ``check`` reports: where, which field, why."""

    path: str
    line: int | None
    field: str | None
    message: str

    def render(self) -> str:
        """Return ``file:line: field: message``, leaving out what is unknown.

        A problem without a line (an unreadable or oversized file) reads
        ``file: field: message``; one that concerns no single field (a YAML
        syntax error, a missing fence) reads ``file:line: message``.
        """
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        field = "" if self.field is None else f" {self.field}:"
        return f"{where}:{field} {self.message}"

    def to_json(self) -> dict[str, object]:
        """Return the problem as a JSON-ready mapping."""
        return attrs.asdict(self)


def problem_from(error: NewsfeedError | OSError, path: str | os.PathLike[str]) -> Problem:
    """Describe why the file at *path* could not be read as an article."""
    shown = os.fspath(path)
    if isinstance(error, ParseError | ValidationError):
        return Problem(
            path=shown if error.source is None else error.source,
            line=error.line,
            field=error.field,
            message=error.reason,
        )
    if isinstance(error, OSError):
        return Problem(
            path=shown, line=None, field=None, message=f"cannot read: {error.strerror or error}"
        )
    return Problem(path=shown, line=None, field=None, message=str(error))


def article_files(paths: Iterable[Path]) -> list[Path]:
    """Return the files *paths* name: files as given, folders' ``**/*.md`` sorted.

    A file reached twice (named, and inside a named folder) is listed once,
    where it first appears.
    """
    seen: set[Path] = set()
    files: list[Path] = []
    for path in paths:
        found: Sequence[Path] = folder_files(path) if path.is_dir() else [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


def folder_files(folder: Path) -> list[Path]:
    """Return the article files under *folder*, sorted.

    A dangling symlink is kept, so that reading it fails loudly rather than
    the file going missing without a word.
    """
    return sorted(path for path in folder.glob(PATTERN) if path.is_file() or path.is_symlink())
