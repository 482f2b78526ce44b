"""Writing articles: back in the layout they were read in, or in the canonical one.

The text is built directly from the model, not through PyYAML's emitter:
that one is slow in pure Python and can be told neither to keep a file's
layout nor to follow the canonical one (quoting chosen per field, an empty
line after each group of keys, no line wrapping).

An article read from a file carries that file's layout
(:mod:`newsfeed._format.layout`), and :func:`dumps` follows it
(:mod:`newsfeed._format.layout_writing`): unchanged, the article is written
back byte for byte. Articles built in code, and ``dumps(article,
canonical=True)``, get the canonical layout (:mod:`newsfeed._format.canonical`).
"""

from __future__ import annotations

import os

from newsfeed._errors import ValidationError
from newsfeed._format.canonical import WRITTEN, Writer, checked_text
from newsfeed._format.layout import Layout
from newsfeed._format.layout_writing import LayoutWriter
from newsfeed._format.schema import ARTICLE
from newsfeed._model import Article

__all__ = ["dumps", "dumps_naming", "write_in_layout"]


def _body(article: Article) -> str:
    return checked_text(article.body, ("body",))


def dumps(article: Article, *, canonical: bool = False, drop_comments: bool = False) -> str:
    """Return *article* as file text.

    An article read from a file is written in that file's layout:
    ``dumps(loads(text)) == text`` for every file of the subset of YAML the
    fast reader reads (see ``docs/format.md``), and an edit changes only the
    lines of the edited field. Other articles, and any article with
    *canonical* true, are written in the canonical layout.

    The canonical layout has no place for comments: for an article read from
    a file with comments, it is refused unless *drop_comments* is true.

    Raises :class:`~newsfeed.ValidationError` when a field holds a value
    the format cannot carry (a naive ``published_at``, a str where an int
    belongs, a lone surrogate, neither ``web_url`` nor ``original_url``),
    and when comments would be dropped; it names the article's ``path``.
    """
    return dumps_naming(article, article.path, canonical=canonical, drop_comments=drop_comments)


def dumps_naming(
    article: Article,
    source: str | os.PathLike[str] | None,
    *,
    canonical: bool = False,
    drop_comments: bool = False,
) -> str:
    """Return :func:`dumps`'s text, its errors naming *source* (the file to be written)."""
    written = WRITTEN.set(source)
    try:
        return _text(article, source, canonical=canonical, drop_comments=drop_comments)
    finally:
        WRITTEN.reset(written)


def _text(
    article: Article,
    source: str | os.PathLike[str] | None,
    *,
    canonical: bool,
    drop_comments: bool,
) -> str:
    layout: Layout | None = article._layout  # noqa: SLF001 -- the writer reads what the reader kept
    if layout is not None and (canonical or layout.shape is None):
        if layout.comments and not drop_comments:
            raise ValidationError(
                "the file has comments, which the canonical layout cannot keep "
                "(drop them explicitly to write it anyway)",
                source=source,
            )
        layout = None
    if layout is None:
        writer = Writer(overrides={})
        writer.mapping(article, ARTICLE, 0, (), top=True)
        body = _body(article)
        return "---\n" + "".join(line + "\n" for line in writer.lines) + "---\n\n" + body
    return write_in_layout(article, layout)


def write_in_layout(article: Article, layout: Layout, *, plans: bool = True) -> str:
    """Write *article* in *layout*, by plan where it fits one unless *plans* is false."""
    overrides = {path: (value, text) for path, value, text in layout.overrides}
    writer = LayoutWriter(
        step=layout.step, offset=layout.list_offset, overrides=overrides, plans=plans
    )
    writer.shaped_mapping(article, ARTICLE, layout.shape, 0, ())  # type: ignore[arg-type]
    body = _body(article)
    newline = layout.newline
    fence_end, gap = layout.fence_end, layout.gap
    if body and not fence_end:
        # The file ended at its fence; a body now needs a line between.
        fence_end = gap = newline
    elif not gap and body.startswith(("\n", "\r\n")):
        # A reader takes a line end right after the fence for the empty
        # line there: without one, the body's own first line end would go.
        gap = newline
    return "".join(
        (
            "\ufeff" if layout.bom else "",
            "---",
            newline,
            newline.join(writer.lines),
            newline,
            "---",
            fence_end,
            gap,
            body,
        )
    )
