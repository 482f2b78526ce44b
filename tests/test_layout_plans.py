"""The writer's plans: the fast path of writing in a file's layout, held against the general path.

A plan (``newsfeed._format.layout_plans``) writes a mapping whose keys fit
its shape; everything else goes to the general path of
``LayoutWriter.shaped_mapping``. Both must write the same text, or raise the
same error, for every article, edited or not.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsfeed
from newsfeed._format.layout import Layout
from newsfeed._format.layout_plans import MISFIT, plan_for, write_planned
from newsfeed._format.layout_writing import LayoutWriter
from newsfeed._format.schema import ARTICLE
from newsfeed._format.writing import write_in_layout
from strategies import REAL_PATHS, SAMPLE_PATHS, subset_texts, titles, urls

EXAMPLES: Final = tuple(sorted((Path(__file__).parent.parent / "examples" / "data").glob("*.md")))
ALL_FILES: Final = SAMPLE_PATHS + REAL_PATHS + EXAMPLES


def _loads(text: str) -> newsfeed.Article:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", newsfeed.NewsfeedWarning)
        return newsfeed.loads(text)


def _layout(article: newsfeed.Article) -> Layout:
    layout = article._layout
    assert layout is not None
    assert layout.shape is not None
    return layout


def _outcome(article: newsfeed.Article, layout: Layout, *, plans: bool) -> str:
    """Return the text written, or the error's class and message."""
    try:
        return write_in_layout(article, layout, plans=plans)
    except newsfeed.ValidationError as error:
        return f"{type(error).__name__}: {error}"


def _planned_whole(article: newsfeed.Article) -> bool:
    """Whether the top-level plan wrote the article without the general path's help."""
    layout = _layout(article)
    assert layout.shape is not None
    writer = LayoutWriter(step=layout.step, offset=layout.list_offset, overrides={})
    try:
        return write_planned(writer, plan_for(ARTICLE, layout.shape), article, 0, ()) != MISFIT
    except newsfeed.ValidationError:
        return False


_NEW_VALUES: Final[dict[str, st.SearchStrategy[Any]]] = {
    "title": titles(),
    "excerpt": st.one_of(titles(), st.none()),
    "web_url": st.one_of(urls(), st.none()),
    "original_url": st.one_of(urls(), st.none()),
    "quality": st.one_of(st.integers(-5, 10**20), st.none()),
    "heat": st.one_of(st.integers(-1, 10**6), st.none()),
    "published": st.one_of(st.booleans(), st.none()),
    "type": st.one_of(st.sampled_from(("video", "article", "null", "yes")), st.none()),
    "updated_at": st.one_of(
        st.datetimes(timezones=st.just(UTC)).map(lambda value: value.replace(microsecond=0)),
        st.none(),
    ),
    "topics": st.lists(st.one_of(titles(), st.sampled_from(("AI", "x: y", "1.5"))), max_size=3).map(
        tuple
    ),
    "extra": st.dictionaries(
        st.sampled_from(("isPaywalled", "locale", "score")),
        st.one_of(st.none(), st.booleans(), st.integers(), titles()),
        max_size=2,
    ),
}


@st.composite
def _edited(draw: st.DrawFn, article: newsfeed.Article) -> newsfeed.Article:
    """Apply zero to three random edits, top-level or inside a related story."""
    for _ in range(draw(st.integers(0, 3))):
        nested: bool = draw(st.booleans())
        if nested and article.related:
            related = list(article.related)
            at = draw(st.integers(0, len(related) - 1))
            change = draw(st.sampled_from(("title", "quality", "drop", "images", "provider")))
            if change == "drop":
                del related[at]
            elif change == "title":
                related[at] = attrs.evolve(related[at], title=draw(titles()))
            elif change == "quality":
                quality = draw(st.one_of(st.none(), st.integers(0, 200)))
                related[at] = attrs.evolve(related[at], quality=quality)
            elif change == "images":
                related[at] = attrs.evolve(related[at], images=())
            else:
                # None: a provider emptied of every key.
                provider = newsfeed.Provider(name=draw(st.one_of(st.none(), titles())))
                related[at] = attrs.evolve(related[at], provider=provider)
            article = attrs.evolve(article, related=tuple(related))
        else:
            attr = draw(st.sampled_from(sorted(_NEW_VALUES)))
            changes = {attr: draw(_NEW_VALUES[attr])}
            try:
                article = attrs.evolve(article, **changes)
            except (TypeError, ValueError):
                continue  # a change the model refuses (no link left, say)
    return article


class TestSameAsTheGeneralPath:
    """Plans write what the general path writes, or raise the same error."""

    @pytest.mark.parametrize("path", ALL_FILES, ids=[path.stem[:40] for path in ALL_FILES])
    def test_files_as_published(self, path: Path) -> None:
        """Every seed, real file and sample: the same bytes, which are the file's own."""
        text = path.read_bytes().decode("utf-8")
        article = _loads(text)
        layout = _layout(article)
        assert write_in_layout(article, layout, plans=True) == text
        assert write_in_layout(article, layout, plans=False) == text

    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(subset_texts(), st.data())
    def test_random_edits(self, text: str, data: st.DataObject) -> None:
        """Random layouts and random edits, nested ones included: the same outcome."""
        article = _loads(text)
        edited = data.draw(_edited(article))
        layout = _layout(article)
        assert _outcome(edited, layout, plans=True) == _outcome(edited, layout, plans=False)

    def test_plans_take_most_files_whole(self) -> None:
        """The comparison above is not vacuous: plans write most files without help."""
        texts = [path.read_bytes().decode("utf-8") for path in ALL_FILES]
        taken = sum(_planned_whole(_loads(text)) for text in texts)
        assert taken >= 0.9 * len(texts)


class TestMisfits:
    """What a plan hands to the general path."""

    def test_a_key_the_shape_lacks(self) -> None:
        """An added key is placed by the general path, in canonical order."""
        article = _loads(SAMPLE_PATHS[0].read_text(encoding="utf-8"))
        edited = attrs.evolve(article, updated_at=datetime(2024, 1, 2, tzinfo=UTC))
        assert not _planned_whole(edited)
        assert "updatedDateTime: 2024-01-02T00:00:00Z" in newsfeed.dumps(edited)

    def test_a_missing_required_field_is_reported(self) -> None:
        """A plan never writes an article without its title: the general path refuses it."""
        article = _loads(SAMPLE_PATHS[0].read_text(encoding="utf-8"))
        broken = attrs.evolve(article, related=(*article.related[:1],))
        broken_item = broken.related[0]
        object.__setattr__(broken_item, "title", None)  # what no constructor allows
        with pytest.raises(newsfeed.ValidationError, match="title"):
            newsfeed.dumps(broken)

    @pytest.mark.parametrize("where", ["article", "related"])
    def test_an_emptied_provider(self, where: str) -> None:
        """A provider with no key left is written `{}`, never a bare key that reads as null."""
        article = _loads(SAMPLE_PATHS[0].read_text(encoding="utf-8"))
        empty = newsfeed.Provider()
        if where == "article":
            edited = attrs.evolve(article, provider=empty)
        else:
            first = attrs.evolve(article.related[0], provider=empty)
            edited = attrs.evolve(article, related=(first, *article.related[1:]))

        text = newsfeed.dumps(edited)

        assert "provider: {}" in text
        assert newsfeed.loads(text) == edited

    def test_value_needing_escapes(self) -> None:
        """A title with a quote is escaped, as the general path escapes it."""
        article = _loads(SAMPLE_PATHS[0].read_text(encoding="utf-8"))
        edited = attrs.evolve(article, title='Say "hi"\tnow')
        assert 'title: "Say \\"hi\\"\\tnow"' in newsfeed.dumps(edited)
