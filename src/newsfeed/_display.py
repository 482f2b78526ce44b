"""How model objects look in a shell and in a notebook.

The model classes keep one-line methods that call these functions, so the
rendering can change without touching the classes. Every function here only
reads attributes and never raises for odd values (a naive timestamp, an offset
with seconds, control characters in a title): a repr that fails hides the
object it should show.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final, Protocol

from newsfeed._format.timestamps import format_timestamp, in_utc

if TYPE_CHECKING:
    from newsfeed._errors import LoadFailure
    from newsfeed._model import Article, Provider, RelatedArticle

__all__ = [
    "TITLE_WIDTH",
    "article_html",
    "article_pretty",
    "article_repr",
    "feed_html",
    "feed_pretty",
    "feed_repr",
    "related_repr",
]

#: Titles are cut to this many characters in one-line reprs.
TITLE_WIDTH: Final = 60


class PrettyPrinter(Protocol):
    """The part of IPython's ``RepresentationPrinter`` these functions use."""

    def text(self, obj: str) -> None:
        """Write *obj*."""


def _when(value: object) -> str:
    if isinstance(value, datetime):
        try:
            return format_timestamp(value)
        except ValueError:
            # Naive, or an offset with seconds: not writable, but still shown.
            return value.isoformat()
    return repr(value)


def _printable(text: str) -> str:
    """Escape what would break a line or hide text: newlines, tabs, other control characters."""
    if text.isprintable():
        return text
    return "".join(
        character if character.isprintable() else repr(character)[1:-1] for character in text
    )


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _provider(provider: Provider | None) -> str:
    if provider is None:
        return "-"
    return _printable(provider.name or provider.domain or "-")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _one_line(kind: str, item: Article | RelatedArticle, *, related: int | None) -> str:
    quality = "-" if item.quality is None else str(item.quality)
    # repr() quotes the title and escapes its control characters.
    title = repr(_shorten(item.title, TITLE_WIDTH))
    text = f"<{kind} {_when(item.published_at)} {_provider(item.provider)} q={quality} {title}"
    if related is not None:
        text += f" related={related}"
    return text + ">"


def article_repr(article: Article) -> str:
    """Return ``<Article TIME PROVIDER q=QUALITY 'TITLE…' related=N>`` on one line."""
    return _one_line("Article", article, related=len(article.related))


def related_repr(item: RelatedArticle) -> str:
    """Return ``<RelatedArticle TIME PROVIDER q=QUALITY 'TITLE…'>`` on one line."""
    return _one_line("RelatedArticle", item, related=None)


def _article_lines(article: Article) -> list[str]:
    provider = article.provider
    source = _provider(provider)
    if provider is not None and provider.name and provider.domain:
        source += f" ({_printable(provider.domain)})"
    quality = "-" if article.quality is None else str(article.quality)
    lines = [
        f"Article: {_printable(article.title)}",
        f"  {_when(article.published_at)}  {source}  quality {quality}",
        f"  {_printable(article.url or '')}",
    ]
    if article.topics:
        lines.append("  topics: " + ", ".join(_printable(topic) for topic in article.topics))
    lines.append(f"  {_plural(len(article.related), 'related article')}")
    if article.path is not None:
        lines.append(f"  file: {_printable(str(article.path))}")
    return lines


def article_pretty(article: Article, printer: PrettyPrinter, cycle: bool) -> None:
    """Write *article* for IPython: a few lines on its own, its one-line repr inside a container.

    IPython indents what it prints inside a list or a dict; a multi-line card
    there would break the container's layout.
    """
    nested = cycle or getattr(printer, "indentation", 0) > 0
    printer.text(article_repr(article) if nested else "\n".join(_article_lines(article)))


def _is_web_link(url: object) -> bool:
    # Only web links become anchors: a javascript: URL in a file must not turn
    # into something clickable in a notebook.
    return isinstance(url, str) and url.lower().startswith(("https://", "http://"))


def _escape(value: Any) -> str:  # noqa: ANN401 -- any attribute value, shown as text
    return html.escape(str(value))


def article_html(article: Article) -> str:
    """Return a small HTML card: title (linked), provider, time, quality, topics, related count.

    Every piece of text is escaped, control characters and bidi overrides
    as in the repr, and only ``http`` and ``https`` links become anchors.
    """
    title = _escape(_printable(article.title))
    if _is_web_link(article.web_url):
        title = f'<a href="{_escape(article.web_url)}">{title}</a>'
    facts = [_escape(_when(article.published_at))]
    if article.provider is not None:
        facts.append(_escape(_provider(article.provider)))
    if article.quality is not None:
        facts.append(f"quality {article.quality}")
    facts.append(_plural(len(article.related), "related article"))
    topics = "".join(
        f'<span style="border:1px solid #999;border-radius:3px;padding:0 3px;margin-right:3px">'
        f"{_escape(_printable(topic))}</span>"
        for topic in article.topics
    )
    return (
        '<div class="newsfeed-article" style="border:1px solid #ccc;padding:6px;max-width:48em">'
        f"<div><strong>{title}</strong></div>"
        f"<div><small>{' · '.join(facts)}</small></div>"
        + (f"<div>{topics}</div>" if topics else "")
        + "</div>"
    )


def feed_pretty(feed: Sequence[Any], printer: PrettyPrinter, cycle: bool) -> None:
    """Write *feed* for IPython: its summary and first rows, or one line in a cycle."""
    printer.text(f"<Feed: {_plural(len(feed), 'article')}>" if cycle else repr(feed))


# A Feed: a summary line, then its first rows.

_FEED_HTML_COLUMNS: Final = ("published_at", "provider", "quality", "title", "topics")
_FEED_REPR_ROWS: Final = 5
_FEED_HTML_ROWS: Final = 20
_FEED_TITLE_WIDTH: Final = 70


def _provider_label(article: Article) -> str:
    provider = article.provider
    if provider is None:
        return ""
    return provider.name or provider.domain or ""


def _utc_date(value: object) -> date | None:
    """Return the UTC date of *value*; its own date when it has no offset; None if not a time."""
    if not isinstance(value, datetime):
        return None
    if value.utcoffset() is None:
        return value.date()
    return in_utc(value).date()


def _feed_summary(articles: Sequence[Article], failures: Sequence[LoadFailure]) -> str:
    text = _plural(len(articles), "article")
    # Dates, not timestamps, are compared: a naive timestamp among aware ones
    # cannot be ordered with them.
    dates = [day for day in map(_utc_date, (a.published_at for a in articles)) if day is not None]
    if dates:
        text += f", {min(dates).isoformat()} to {max(dates).isoformat()} (UTC)"
    if failures:
        text += f", {_plural(len(failures), 'file')} failed to load"
    return text


def feed_repr(articles: Sequence[Article], failures: Sequence[LoadFailure]) -> str:
    """Return a feed's summary and its first rows, one line each."""
    lines = [f"<Feed: {_feed_summary(articles, failures)}>"]
    for article in articles[:_FEED_REPR_ROWS]:
        when = _when(article.published_at)
        # Escaped, then cut: an escape is wider than the character it shows.
        provider = _printable(_provider_label(article))[:20]
        quality = "-" if article.quality is None else str(article.quality)
        title = _shorten(_printable(article.title), _FEED_TITLE_WIDTH)
        lines.append(f"  {when:<25}  {provider:<20}  {quality:>3}  {title}")
    if len(articles) > _FEED_REPR_ROWS:
        lines.append(f"  ... {len(articles) - _FEED_REPR_ROWS} more")
    return "\n".join(lines)


def feed_html(articles: Sequence[Article], failures: Sequence[LoadFailure]) -> str:
    """Return a compact HTML table of a feed's first rows, every text escaped."""
    rows = []
    for article in articles[:_FEED_HTML_ROWS]:
        # Control characters are escaped as in the repr although HTML would
        # not break a line on them: a bidirectional override would still
        # reorder the cell's text.
        title = html.escape(_shorten(_printable(article.title), _FEED_TITLE_WIDTH))
        # Only web links become anchors: a javascript: URL in a file must
        # not turn into something clickable in a notebook.
        url = article.url or ""
        if url.startswith(("https://", "http://")):
            title = f'<a href="{html.escape(url)}">{title}</a>'
        cells = (
            html.escape(_when(article.published_at)),
            html.escape(_printable(_provider_label(article))),
            "" if article.quality is None else str(article.quality),
            title,
            html.escape(", ".join(_printable(topic) for topic in article.topics)),
        )
        rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    more = len(articles) - _FEED_HTML_ROWS
    if more > 0:
        rows.append(f'<tr><td colspan="5">... {more} more</td></tr>')
    head = "".join(f"<th>{name}</th>" for name in _FEED_HTML_COLUMNS)
    return (
        f"<table><caption>Feed: {html.escape(_feed_summary(articles, failures))}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
