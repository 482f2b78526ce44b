"""Reading article text: fences, encoding, and errors that say where."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final

import attrs

from newsfeed._errors import ParseError, ValidationError
from newsfeed._format.convert import structure_article
from newsfeed._format.fast import fast_loads
from newsfeed._format.safe_yaml import KeyPath, load_mapping
from newsfeed._model import Article

__all__ = ["MAX_FILE_BYTES", "loads", "split_front_matter"]

#: Files larger than this are refused unread. Real articles are about 10 KiB;
#: this leaves room for long bodies while bounding what a hostile file costs.
MAX_FILE_BYTES: Final = 8 * 1024 * 1024

# The front matter starts on the file's second line.
_FIRST_LINE: Final = 2
_OPENING_FENCE: Final = re.compile(r"---[ \t]*\r?\n")
_CLOSING_FENCE: Final = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str]:
    """Split a file's text into its YAML front matter and its body.

    The body is everything after the closing fence and the one empty line
    the canonical layout puts there. Raises :class:`ParseError` when a fence
    is missing.
    """
    text = text.removeprefix("\ufeff")
    opening = _OPENING_FENCE.match(text)
    if opening is None:
        raise ParseError("the file must start with a '---' line", line=1)
    closing = _CLOSING_FENCE.search(text, opening.end())
    if closing is None:
        raise ParseError("the front matter is not closed by a '---' line", line=1)
    body_start = closing.end()
    if text.startswith("\n", body_start):
        body_start += 1
    elif text.startswith("\r\n", body_start):
        body_start += 2
    return text[opening.end() : closing.start()], text[body_start:]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError(
            f"not valid UTF-8: byte {data[error.start]:#04x} at offset {error.start}", line=line
        ) from None


def _checked_text(text: str | bytes) -> str:
    if not isinstance(text, str | bytes):
        # A caller's mistake, not bad data: say so before len() or decode() does, obscurely.
        raise TypeError(f"loads() takes str or bytes, not {type(text).__name__}")
    if len(text) > MAX_FILE_BYTES:
        unit = "bytes" if isinstance(text, bytes) else "characters"
        raise ParseError(f"text is longer than {MAX_FILE_BYTES} {unit}")
    return _decode(text) if isinstance(text, bytes) else text


def _line_of(front_matter: str, path: KeyPath) -> int:
    """Find the line a validation error points at: the field, or what lacks it."""
    lines: dict[KeyPath, int] = {}
    load_mapping(front_matter, first_line=_FIRST_LINE, lines=lines)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    # A top-level field is missing: point at the opening fence.
    return 1


def _parse(text: str) -> Article:
    # Files in the canonical layout take the fast reader; anything it does
    # not fully recognize, errors included, takes the safe YAML path below.
    article = fast_loads(text)
    if article is not None:
        return article
    return _parse_reference(text)


def _parse_reference(text: str) -> Article:
    front_matter, body = split_front_matter(text)
    data = load_mapping(front_matter, first_line=_FIRST_LINE)
    try:
        article = structure_article(data)
    except ValidationError as error:
        error._located(source=None, line=_line_of(front_matter, error._key_path))  # noqa: SLF001 -- private to the package
        raise
    return attrs.evolve(article, body=body) if body else article


def loads(text: str | bytes, *, source: str | os.PathLike[str] | None = None) -> Article:
    """Read one article from the text of a file.

    *text* may be bytes, which must be UTF-8. *source* names the file in
    error messages and becomes the article's ``path``.

    Raises :class:`~newsfeed.ParseError` when the text is not a front-matter
    file newsfeed accepts, and :class:`~newsfeed.ValidationError` when the
    front matter is not a valid article. Both name the source, the field and
    the line.
    """
    try:
        article = _parse(_checked_text(text))
    except (ParseError, ValidationError) as error:
        error._located(source=source, line=error.line)  # noqa: SLF001 -- private to the package
        raise
    if source is not None:
        article = attrs.evolve(article, path=Path(source))
    return article
