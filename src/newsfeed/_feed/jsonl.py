"""JSON Lines: one article per line, every field kept, and read back as the same feed.

Each line is a JSON object with the model's attribute names (``title``,
``published_at``, ``web_url``...), nested objects for ``provider`` and the
``related`` items, ``extra`` as an object of the unknown keys (values JSON has
no type for are tagged; see :mod:`newsfeed._feed.shape`), ``body`` and
``path``. Timestamps are ISO-8601 strings with their own offset.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any, Final, cast

from newsfeed._errors import ParseError, ValidationError, shown
from newsfeed._feed.shape import Codec, DecodeError, json_value, record_shape
from newsfeed._feed.text import (
    SURROGATE,
    escape_surrogates,
    first_unwritable,
    reason,
    unwritable,
)
from newsfeed._files.writing import write_atomically
from newsfeed._model import Article

__all__ = ["article_to_json", "dumps_jsonl", "read_jsonl", "write_jsonl"]

_CODEC: Final = Codec()
#: A lone surrogate in a line, as itself or escaped (or an escaped backslash
#: before "ud800", which the look at the parsed line then clears).
_MAYBE_SURROGATE: Final = re.compile(r"[\ud800-\udfff]|\\u[dD][89a-fA-F]")

PathOrFile = str | os.PathLike[str] | IO[str] | IO[bytes]


def article_to_json(article: Article) -> str:
    r"""Return *article* as one line of JSON, without the newline.

    A file name that is not UTF-8 is kept as ``\uXXXX`` escapes (see
    :mod:`newsfeed._feed.text`); a lone surrogate anywhere else raises
    :class:`~newsfeed.ValidationError` naming the article and the field.
    """
    data = _CODEC.encode(article, record_shape(Article))
    # allow_nan=False: a NaN would be written as the non-standard NaN token;
    # the codec already tagged every non-finite float in extra.
    line = json.dumps(data, ensure_ascii=False, allow_nan=False)
    if SURROGATE.search(line) is None:
        return line
    found = first_unwritable(data, keep_path=True)
    if found is not None:
        raise unwritable(article.path, *found, "JSON Lines")
    return escape_surrogates(line)


def dumps_jsonl(articles: Iterable[Article]) -> str:
    """Return *articles* as JSON Lines text, one line (ending in a newline) per article."""
    return "".join(article_to_json(article) + "\n" for article in articles)


def write_jsonl(articles: Iterable[Article], target: PathOrFile) -> None:
    """Write *articles* to a path (UTF-8) or to an open text or binary file.

    The whole text is built before anything is written, so an article that
    cannot be written (an ``extra`` value that is not YAML data) raises
    :class:`TypeError` without leaving half a file behind; a path is
    replaced atomically.
    """
    text = dumps_jsonl(articles)
    if isinstance(target, str | os.PathLike):
        # Atomically, as dump does: a failed write leaves any old file whole.
        write_atomically(target, text.encode("utf-8"))
    elif isinstance(target, io.TextIOBase):
        target.write(text)
    else:
        file = cast("IO[Any]", target)
        # Not every text file is an io.TextIOBase (SpooledTemporaryFile, a
        # codecs writer), so the file says which it is: given the wrong kind
        # of data, a file raises TypeError before writing any of it.
        try:
            file.write(text.encode("utf-8"))
        except TypeError:
            file.write(text)


def _lines(source: PathOrFile) -> Iterator[tuple[int, bytes | str]]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:  # noqa: PTH123 -- a path or a file
            yield from enumerate(file, start=1)
    else:
        yield from enumerate(source, start=1)


def _name(source: PathOrFile) -> str | None:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


class _RepeatedKeyError(Exception):
    # Not a ValueError: json_value would take it for JSON Python cannot read.
    pass


def _without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys: a repeated key would lose data.
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _RepeatedKeyError(f"repeated key {shown(key)}")
        seen.add(key)
    return dict(pairs)


def _parse(line: str, name: str | None, number: int) -> Any:  # noqa: ANN401 -- any JSON value
    """Return the JSON value of one line; ParseError names the file and line."""
    try:
        return json_value(line, "", object_pairs_hook=_without_repeats)
    except DecodeError as error:
        raise ParseError(error.reason, source=name, line=number) from None
    except _RepeatedKeyError as error:
        raise ParseError(str(error), source=name, line=number) from None


def read_jsonl(source: PathOrFile) -> list[Article]:
    """Read the articles of a JSON Lines path or open file (text or binary).

    Blank lines are skipped. Raises :class:`~newsfeed.ParseError` for a line
    that is not JSON (a repeated key included), not UTF-8, or JSON Python
    cannot read (an integer of more than 4300 digits, nesting too deep), and
    :class:`~newsfeed.ValidationError` for one that is not an article (an
    unknown or mistyped field, a lone surrogate other than a file name's
    byte in ``path``), each naming the file and line.
    """
    name = _name(source)
    articles = []
    record = record_shape(Article)
    for number, raw in _lines(source):
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            raise ParseError("not valid UTF-8", source=name, line=number) from None
        if not line.strip():
            continue
        data = _parse(line, name, number)
        try:
            articles.append(_CODEC.decode(data, record))
        except DecodeError as error:
            raise ValidationError(
                error.reason, source=name, field=error.where or None, line=number
            ) from None
        if _MAYBE_SURROGATE.search(line) is not None:
            _refuse_surrogates(data, name, number)
    return articles


def _refuse_surrogates(data: object, name: str | None, number: int) -> None:
    """Raise ValidationError for a lone surrogate the line holds outside a file name's bytes.

    A file's YAML cannot hold one, nor can any UTF-8 text, so no export could
    write the article out again: only a file name's bytes that are not UTF-8,
    in the path, are kept.
    """
    found = first_unwritable(data, keep_path=True)
    if found is not None:
        where, surrogate = found
        raise ValidationError(
            reason(where, surrogate), source=name, field=where or None, line=number
        )
