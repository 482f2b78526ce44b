"""Reading article text: fences, encoding, and errors that say where."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

import attrs

from newsfeed._errors import NewsfeedWarning, ParseError
from newsfeed._format.comments import has_comments
from newsfeed._format.convert import (
    drop_null_items,
    format_field_path,
    in_file,
    structure_article,
)
from newsfeed._format.fast import fast_loads
from newsfeed._format.layout import COMMENTED_CANONICAL
from newsfeed._format.safe_yaml import KeyPath, load_mapping
from newsfeed._model import READING, Article
from newsfeed._stacklevel import outside_newsfeed

__all__ = ["MAX_FILE_BYTES", "loads", "read_article", "split_front_matter"]

#: Files larger than this are refused unread. Real articles are about 10 KiB;
#: this leaves room for long bodies while bounding what a hostile file costs.
MAX_FILE_BYTES: Final = 8 * 1024 * 1024

# The front matter starts on the file's second line.
_FIRST_LINE: Final = 2
_OPENING_FENCE: Final = re.compile(r"---[ \t]*(?:\r?\n|\Z)")
_CLOSING_FENCE: Final = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


def split_front_matter(
    text: str, *, source: str | os.PathLike[str] | None = None
) -> tuple[str, str]:
    """Split a file's text into its YAML front matter and its body.

    The body is everything after the closing fence and the one empty line
    the canonical layout puts there. Raises :class:`ParseError` when a fence
    is missing.
    """
    text = text.removeprefix("\ufeff")
    opening = _OPENING_FENCE.match(text)
    if opening is None:
        raise ParseError("the file must start with a '---' line", source=source, line=1)
    closing = _CLOSING_FENCE.search(text, opening.end())
    if closing is None:
        raise ParseError("the front matter is not closed by a '---' line", source=source, line=1)
    body_start = closing.end()
    if text.startswith("\n", body_start):
        body_start += 1
    elif text.startswith("\r\n", body_start):
        body_start += 2
    return text[opening.end() : closing.start()], text[body_start:]


def _decode(data: bytes, source: str | os.PathLike[str] | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError(
            f"not valid UTF-8: byte {data[error.start]:#04x} at offset {error.start}",
            source=source,
            line=line,
        ) from None


def _checked_text(text: str | bytes, source: str | os.PathLike[str] | None) -> str:
    if not isinstance(text, str | bytes):
        # A caller's mistake, not bad data: say so before len() or decode() does, obscurely.
        raise TypeError(f"loads() takes str or bytes, not {type(text).__name__}")
    if len(text) > MAX_FILE_BYTES:
        unit = "bytes" if isinstance(text, bytes) else "characters"
        raise ParseError(f"text is longer than {MAX_FILE_BYTES} {unit}", source=source)
    return _decode(text, source) if isinstance(text, bytes) else text


def _line_finder(front_matter: str) -> Callable[[KeyPath], int]:
    """Return a function that finds the line of a key path: the field, or what lacks it.

    The front matter is read again, for the lines, only when there is an error to place.
    """
    lines: dict[KeyPath, int] = {}

    def line_of(path: KeyPath) -> int:
        if not lines:
            load_mapping(front_matter, first_line=_FIRST_LINE, lines=lines)
        while path:
            if path in lines:
                return lines[path]
            path = path[:-1]
        # A top-level field is missing: point at the opening fence.
        return 1

    return line_of


#: Each null item a file's lists held: its field path and line.
_Nulls = Sequence[tuple[str, int | None]]


def _null_item_warnings(
    nulls: _Nulls, source: str | os.PathLike[str] | None
) -> list[NewsfeedWarning]:
    """Return the warning for each null list item left out of the file *source*."""
    return [
        NewsfeedWarning(
            "a null list item is left out (an empty '-' line)",
            source=source,
            field=field,
            line=line,
        )
        for field, line in nulls
    ]


def _parse_reference(text: str, source: str | os.PathLike[str] | None) -> tuple[Article, _Nulls]:
    front_matter, body = split_front_matter(text, source=source)
    data = load_mapping(front_matter, first_line=_FIRST_LINE, source=source)
    dropped = drop_null_items(data)
    line_of = _line_finder(front_matter)
    article = structure_article(
        data, source=source, line_of=line_of, path_in_file=in_file(dropped) if dropped else None
    )
    nulls: _Nulls = [(format_field_path(path), line_of(path)) for path in dropped]
    if has_comments(front_matter):
        # Written in the canonical layout, which has no place for them: say so.
        return attrs.evolve(article, body=body, _layout=COMMENTED_CANONICAL), nulls
    return (attrs.evolve(article, body=body) if body else article), nulls


def loads(text: str | bytes, *, source: str | os.PathLike[str] | None = None) -> Article:
    """Read one article from the text of a file.

    *text* may be bytes, which must be UTF-8. *source* names the file in
    error messages and becomes the article's ``path``. The article keeps the
    text's layout, so that :func:`newsfeed.dumps` writes it back as it was.

    Raises :class:`~newsfeed.ParseError` when the text is not a front-matter
    file newsfeed accepts, and :class:`~newsfeed.ValidationError` when the
    front matter is not a valid article (naming every problem). Both name the
    source, the field and the line. A null item in ``topics`` is left out with
    a :class:`~newsfeed.NewsfeedWarning`.
    """
    article, warned = read_article(text, source=source)
    for warning in warned:
        warnings.warn(warning, stacklevel=outside_newsfeed())
    return article


def read_article(
    text: str | bytes, *, source: str | os.PathLike[str] | None = None
) -> tuple[Article, list[NewsfeedWarning]]:
    """Read one article as :func:`loads` does, but return its warnings rather than issue them.

    The article of a file read without a warning is all there is to its
    reading, so it can stand for the file's bytes where they come again; one
    with warnings can be kept with them, to issue them again.
    """
    decoded = _checked_text(text, source)
    # Both readers check each value as they read it, so the model's own
    # construction check is not done a second time.
    reading = READING.set(True)
    try:
        article, nulls = _read(decoded, source)
    finally:
        READING.reset(reading)
    return article, _null_item_warnings(nulls, source)


def _read(decoded: str, source: str | os.PathLike[str] | None) -> tuple[Article, _Nulls]:
    # Files in the subset the fast reader reads take it; anything it does not
    # fully recognise, errors included, takes the safe YAML path.
    path = None if source is None else Path(source)
    result = fast_loads(decoded, path=path)
    if result is not None:
        return result.article, result.nulls
    article, nulls = _parse_reference(decoded, source)
    return (article if path is None else attrs.evolve(article, path=path)), nulls
