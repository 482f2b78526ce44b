r"""The fast reader: block-style front matter with one-line scalars, read with its layout.

Reading a file through libyaml's event stream (:mod:`newsfeed._format.safe_yaml`)
and cattrs costs about a millisecond, almost all of it YAML machinery. Real
files are written in a small subset of YAML, which this module reads directly,
capturing the layout (:mod:`newsfeed._format.layout`) as it goes:

- block mappings and sequences, indented any consistent amount, list items
  indented under their key or not;
- keys made of letters, digits, ``_`` and ``-``, in any order;
- one-line scalars: plain, single- or double-quoted (with the escapes the
  writer uses, and ``\\xHH``/``\\uHHHH``), and flow lists of them;
- blank lines, full-line and end-of-line comments;
- LF or CRLF line ends, a BOM, a closing fence at the end of the file or
  followed by a line end, with or without an empty line after it.

:func:`fast_loads` never raises for bad data and never guesses: on anything it
does not fully recognise (another construct, a scalar YAML might read as
something else, a duplicate key, an integer longer than 18 digits, a
timestamp not written as the writer writes one, a missing field, a value of
the wrong type) it returns None, and :func:`newsfeed.loads` takes the safe
YAML path, which is the reference and produces every error.
``tests/test_fast_path.py`` checks that whatever it returns is exactly what
the safe path returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from newsfeed._format.block_reader import DECLINED, BlockReader, Declined
from newsfeed._format.building import build_article
from newsfeed._format.convert import format_field_path
from newsfeed._format.layout import MAP, Layout, intern, intern_layout
from newsfeed._format.schema import ARTICLE
from newsfeed._model import Article

__all__ = ["FastResult", "fast_loads", "read_front_matter"]


class FastResult:
    """What the fast reader read: the article, and the null list items it left out."""

    __slots__ = ("article", "nulls")

    def __init__(self, article: Article, nulls: list[tuple[str, int]]) -> None:
        self.article = article
        #: (field, line) of each null item left out of a list of strings.
        self.nulls = nulls


def _split(text: str) -> tuple[bool, str, str, str, str, str] | None:
    """Split a file: (bom, newline, front matter, fence end, gap, body), or None."""
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    if text.startswith("---\n"):
        newline = "\n"
    elif text.startswith("---\r\n"):
        newline = "\r\n"
    else:
        return None
    start = 3 + len(newline)
    end = text.find(newline + "---", start - len(newline))
    if end < start:
        return None  # no closing fence, or an empty front matter
    after = end + len(newline) + 3
    if text.startswith(newline, after):
        fence_end = newline
    elif after == len(text):
        fence_end = ""
    else:
        return None  # "----", "--- x": left to the safe path
    body_start = after + len(fence_end)
    gap = ""
    if fence_end:
        if text.startswith("\n", body_start):
            gap = "\n"
        elif text.startswith("\r\n", body_start):
            gap = "\r\n"
    front_matter = text[start : end + len(newline)]
    return bom, newline, front_matter, fence_end, gap, text[body_start + len(gap) :]


def _lines(front_matter: str, newline: str) -> list[str] | None:
    if newline == "\n":
        if "\r" in front_matter:
            return None
    elif not front_matter.count("\r") == front_matter.count("\n") == front_matter.count("\r\n"):
        return None  # line ends mixed
    lines = front_matter.split(newline)
    lines.pop()  # empty: the front matter ends with a line end
    return lines


def fast_loads(  # noqa: PLR0911 -- one exit per way out of the subset
    text: str, *, path: Path | None = None
) -> FastResult | None:
    """Read *text* if it is in the subset this module reads; otherwise return None.

    The article, when there is one, equals what the safe path returns for
    the same text, down to the types, the UTC offsets and ``extra``; it
    carries the file's layout.
    """
    parts = _split(text)
    if parts is None:
        return None
    bom, newline, front_matter, fence_end, gap, body = parts
    lines = _lines(front_matter, newline)
    if lines is None:
        return None
    reader = BlockReader(lines)
    try:
        data, shape = reader.mapping(0, None, (), 0)
        if reader.index != len(lines):
            return None  # a line the top-level mapping does not take
        for key_path, _ in reader.nulls:
            field = ARTICLE.by_key.get(str(key_path[0]), _NO_FIELD)
            if len(key_path) != 2 or not field.drop_null_items:
                return None  # a null item where the model has no place for one
    except Declined:
        DECLINED.__traceback__ = None  # or it would keep every frame it passed through
        return None
    layout = Layout(
        shape=intern((MAP, 0, shape[2], tuple(reader.pending))),
        newline=newline,
        bom=bom,
        fence_end=fence_end,
        gap=gap,
        step=reader.step or 2,
        list_offset=reader.list_offset if reader.list_offset >= 0 else reader.step or 2,
        overrides=tuple(reader.overrides),
        comments=reader.comments,
    )
    if not reader.overrides:
        layout = intern_layout(layout)
    try:
        article: Any = build_article(data, body=body, _layout=layout, path=path)
    except Declined:
        DECLINED.__traceback__ = None
        return None
    # The first front-matter line is the file's second.
    nulls = [(format_field_path(path), line + 2) for path, line in reader.nulls]
    return FastResult(article, nulls)


_NO_FIELD: Final = ARTICLE.by_key["title"]


def read_front_matter(front_matter: str) -> dict[str, Any] | None:
    """Return the plain data of *front_matter* (LF line ends), or None if not in the subset.

    What the reader reads before building an article: the differential
    tests hold it against :func:`newsfeed._format.safe_yaml.load_mapping`.
    """
    lines = _lines(front_matter, "\n")
    if lines is None or not front_matter.endswith("\n"):
        return None
    reader = BlockReader(lines)
    try:
        data, _ = reader.mapping(0, None, (), 0)
    except Declined:
        DECLINED.__traceback__ = None
        return None
    return data if data and reader.index == len(lines) else None
