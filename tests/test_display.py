"""How articles, related articles and feeds look in a shell, in IPython and in a notebook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from IPython.lib import pretty as ipython_pretty

import newsfeed
from model_support import unchecked
from newsfeed import Article, Feed, Provider, RelatedArticle, _display

SAMPLE = Path(__file__).parent / "fixtures" / "amazon-moratorium-nasdaq.md"


def pretty(obj: object) -> str:
    """Return what IPython prints for *obj*."""
    text: str = ipython_pretty.pretty(obj)
    return text


WHEN = datetime(2020, 6, 11, 12, 2, tzinfo=timezone(timedelta(hours=-7)))


@pytest.fixture
def article() -> Article:
    """Return the Nasdaq sample article: a provider, a quality, topics, seven related items."""
    return newsfeed.load(SAMPLE)


class TestArticleRepr:
    """repr(article) is one short line: time, provider, quality, title, related count."""

    def test_one_line_with_the_facts(self, article: Article) -> None:
        """The sample shows its time, provider, quality, cut title and related count."""
        text = repr(article)

        assert text == (
            "<Article 2020-06-11T12:02:00Z Nasdaq q=54 "
            "'Amazon Bans Police Use Of Facial Recognition Technology For…' related=7>"
        )
        assert len(text) < 120

    def test_short_title_is_whole_and_gaps_are_dashes(self) -> None:
        """A short title is not cut; a missing provider and quality show as dashes."""
        bare = Article(title="Hello", published_at=WHEN, web_url="https://x.example/h")

        assert repr(bare) == "<Article 2020-06-11T12:02:00-07:00 - q=- 'Hello' related=0>"

    def test_provider_domain_when_no_name(self) -> None:
        """Without a name the provider's domain is shown."""
        item = Article(
            title="T", published_at=WHEN, web_url="u", provider=Provider(domain="tech.co")
        )

        assert " tech.co " in repr(item)

    def test_control_characters_stay_on_one_line(self) -> None:
        """Newlines and other control characters in a title or provider are escaped."""
        item = Article(
            title="Two\nlines\x1b[31m",
            published_at=WHEN,
            web_url="u",
            provider=Provider(name="Bad\nName"),
        )

        text = repr(item)

        assert "\n" not in text
        assert "\x1b" not in text
        assert "Bad\\nName" in text
        assert "Two\\nlines\\x1b[31m" in text

    def test_a_timestamp_the_format_cannot_write_still_shows(self) -> None:
        """A naive datetime, an offset with seconds or a non-datetime does not make a repr fail."""
        naive = datetime(2020, 1, 1)  # noqa: DTZ001 -- the case under test
        odd = datetime(2020, 1, 1, tzinfo=timezone(timedelta(seconds=30)))

        assert _display._when(naive) == "2020-01-01T00:00:00"
        assert _display._when(odd) == "2020-01-01T00:00:00+00:00:30"
        assert _display._when("2020-01-01") == "'2020-01-01'"


class TestRelatedRepr:
    """repr(related item) is one line like an article's, without a related count."""

    def test_one_line(self, article: Article) -> None:
        """A related item shows its time, provider, quality and title."""
        item = article.related[0]

        assert repr(item) == (
            "<RelatedArticle 2020-06-11T14:12:00Z HotNewHipHop q=42 "
            '"Police Banned From Using Amazon\'s Facial Recognition Techno…">'
        )

    def test_inside_the_article_tuple(self, article: Article) -> None:
        """The related tuple prints as a list of short lines, not a wall of fields."""
        text = repr(article.related)

        assert text.count("<RelatedArticle ") == 7
        assert "excerpt" not in text
        assert len(text) < 7 * 130

    def test_bare_item(self) -> None:
        """An item without provider or quality shows dashes."""
        item = RelatedArticle(title="T", published_at=datetime(2020, 1, 1, tzinfo=UTC), web_url="u")

        assert repr(item) == "<RelatedArticle 2020-01-01T00:00:00Z - q=- 'T'>"


class TestArticleHtml:
    """_repr_html_ is a small escaped card: title, link, provider, time, topics, related."""

    def test_card_holds_the_facts(self, article: Article) -> None:
        """The card links the title and lists the time, provider, quality, topics and related."""
        page = article._repr_html_()

        assert page.startswith('<div class="newsfeed-article"')
        assert f'<a href="{article.web_url}">{article.title}</a>' in page
        assert "2020-06-11T12:02:00Z · Nasdaq · quality 54 · 7 related articles" in page
        assert ">AWS AI</span>" in page
        assert ">AI</span>" in page

    def test_everything_is_escaped(self) -> None:
        """Title, provider and topics are escaped, and a javascript: link is not an anchor."""
        hostile = Article(
            title="<script>alert(1)</script>",
            published_at=WHEN,
            web_url="javascript:alert(1)",
            provider=Provider(name="<b>P</b>"),
            topics=("a&b", "<i>"),
        )

        page = hostile._repr_html_()

        assert "<script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&lt;b&gt;P&lt;/b&gt;" in page
        assert "a&amp;b" in page
        assert "&lt;i&gt;" in page
        assert "href" not in page
        assert "javascript" not in page

    def test_link_attribute_is_escaped(self) -> None:
        """Quotes and ampersands in a web link cannot leave the href attribute."""
        item = Article(title="ok", published_at=WHEN, web_url='HTTPS://x.example/?a=1&b="2"')

        assert 'href="HTTPS://x.example/?a=1&amp;b=&quot;2&quot;"' in item._repr_html_()

    def test_bare_article(self) -> None:
        """Without provider, quality or topics the card has only what there is."""
        bare = Article(title="T", published_at=WHEN, web_url="https://x.example/")

        page = bare._repr_html_()

        assert "2020-06-11T12:02:00-07:00 · 0 related articles" in page
        assert "<span" not in page


def _with_control_characters() -> Article:
    """Return an article whose title, provider and topic hold markup and control characters."""
    return Article(
        title="<b>\x1b[2J\u202eevil",
        published_at=WHEN,
        web_url="u",
        provider=Provider(name="P\n<i>"),
        topics=("a\rb",),
    )


class TestFeedOddValues:
    """A feed's repr and HTML table keep one line a row and never fail on odd values."""

    def test_control_characters_stay_on_one_line(self) -> None:
        """Control characters in a title or provider are escaped in the feed's rows."""
        item = Article(
            title="Two\nlines\x1b[2J",
            published_at=WHEN,
            web_url="u",
            provider=Provider(name="Bad\x1bName"),
        )

        lines = repr(Feed([item])).splitlines()

        assert len(lines) == 2
        assert "\x1b" not in lines[1]
        assert "Bad\\x1bName" in lines[1]
        assert lines[1].endswith("Two\\nlines\\x1b[2J")

    def test_escaped_rows_keep_their_columns(self) -> None:
        """A row's provider and title are cut after escaping, so the columns keep their width."""
        item = Article(
            title="\x1b" * 80,
            published_at=WHEN,
            web_url="u",
            provider=Provider(name="\x1b" * 20),
        )

        row = repr(Feed([item])).splitlines()[1]

        # Columns: 2 spaces, 25 for the time, 2, 20 for the provider, 2, 3, 2, the title.
        assert row[29:49] == "\\x1b" * 5
        assert row[49:56] == "    -  "
        assert len(row[56:]) == 70
        assert row.endswith("…")

    def test_html_escapes_control_characters_and_markup(self) -> None:
        """The HTML table escapes control characters and bidi overrides, and HTML still."""
        item = _with_control_characters()

        page = Feed([item])._repr_html_()

        assert "\x1b" not in page
        assert "\u202e" not in page
        assert "\n" not in page
        assert "\r" not in page
        assert "&lt;b&gt;\\x1b[2J\\u202eevil" in page
        assert "<td>P\\n&lt;i&gt;</td>" in page
        assert "<td>a\\rb</td>" in page

    def test_article_card_escapes_control_characters_too(self) -> None:
        """One article's HTML card escapes control characters and bidi overrides, as the table."""
        item = _with_control_characters()

        card = item._repr_html_()

        assert not {"\x1b", "\u202e", "\n", "\r"} & set(card)
        assert "&lt;b&gt;\\x1b[2J\\u202eevil" in card
        assert "P\\n&lt;i&gt;" in card
        assert ">a\\rb</span>" in card

    def test_a_year_one_time_east_of_utc(self) -> None:
        """0001-01-01 with a positive offset, before the first UTC date, shows as written."""
        item = newsfeed.loads(
            '---\ntitle: "x"\npublishedDateTime: 0001-01-01T00:00:00+05:00\nwebUrl: "u"\n---\n'
        )
        feed = Feed([item])

        lines = repr(feed).splitlines()

        assert lines[0] == "<Feed: 1 article, 0001-01-01 to 0001-01-01 (UTC)>"
        assert "0001-01-01T00:00:00+05:00" in lines[1]
        assert "<td>0001-01-01T00:00:00+05:00</td>" in feed._repr_html_()

    def test_an_offset_with_seconds(self) -> None:
        """An offset the format cannot write shows in full, and the span is still in UTC."""
        odd = timezone(timedelta(hours=5, seconds=15))
        item = Article(title="x", web_url="u", published_at=datetime(2020, 1, 1, tzinfo=odd))
        feed = Feed([item])

        lines = repr(feed).splitlines()

        assert lines[0] == "<Feed: 1 article, 2019-12-31 to 2019-12-31 (UTC)>"
        assert "2020-01-01T00:00:00+05:00:15" in lines[1]
        assert "<td>2020-01-01T00:00:00+05:00:15</td>" in feed._repr_html_()

    def test_a_naive_time_among_aware_ones(self) -> None:
        """A naive timestamp that got past the checks does not make the span fail."""
        with unchecked():
            naive = Article(
                title="n",
                web_url="u",
                published_at=datetime(2019, 5, 1),  # noqa: DTZ001 -- the case under test
            )
        aware = Article(title="a", web_url="u", published_at=WHEN)
        feed = Feed([aware, naive])

        lines = repr(feed).splitlines()

        assert lines[0] == "<Feed: 2 articles, 2019-05-01 to 2020-06-11 (UTC)>"
        assert "2019-05-01T00:00:00 " in lines[2]
        assert "<td>2019-05-01T00:00:00</td>" in feed._repr_html_()


class TestPretty:
    """IPython's pretty printer shows a few lines, and one line inside containers."""

    def test_article_on_its_own(self, article: Article) -> None:
        """On its own an article is a short card of text."""
        lines = pretty(article).splitlines()

        assert lines == [
            f"Article: {article.title}",
            "  2020-06-11T12:02:00Z  Nasdaq (nasdaq.com)  quality 54",
            f"  {article.web_url}",
            "  topics: AWS AI, AI",
            "  7 related articles",
            f"  file: {SAMPLE}",
        ]

    def test_bare_article_on_its_own(self) -> None:
        """An article built in code has no topics or file line, and says 1 related article."""
        item = RelatedArticle(title="R", published_at=WHEN, web_url="u")
        bare = Article(title="T", published_at=WHEN, web_url="u", related=[item])

        assert pretty(bare).splitlines() == [
            "Article: T",
            "  2020-06-11T12:02:00-07:00  -  quality -",
            "  u",
            "  1 related article",
        ]

    def test_article_inside_a_list(self, article: Article) -> None:
        """Inside a list each article is its one-line repr."""
        assert pretty([article, article]) == f"[{article!r},\n {article!r}]"

    def test_feed(self, article: Article) -> None:
        """A feed prints its summary and first rows."""
        feed = Feed([article] * 7)

        text = pretty(feed)

        assert text == repr(feed)
        assert text.splitlines()[0] == "<Feed: 7 articles, 2020-06-11 to 2020-06-11 (UTC)>"
        assert text.splitlines()[-1] == "  ... 2 more"

    def test_cycles_give_one_line(self, article: Article) -> None:
        """When IPython reports a cycle, articles and feeds print one line."""

        class Printer:
            def __init__(self) -> None:
                self.written: list[str] = []

            def text(self, obj: str) -> None:
                self.written.append(obj)

        printer = Printer()
        article._repr_pretty_(printer, True)
        Feed([article])._repr_pretty_(printer, True)

        assert printer.written == [repr(article), "<Feed: 1 article>"]
