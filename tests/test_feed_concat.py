"""Joining feeds: `feed + feed` and `Feed.concat`, keeping every article and every failure."""

from __future__ import annotations

from pathlib import Path

import pytest

import corpus
from newsfeed import Feed, LoadFailure, ParseError, ValidationError

ARTICLES = corpus.make_articles(12, seed=3)
FIRST_FAILURE = LoadFailure(Path("a.md"), ParseError("no fence", source="a.md", line=1))
SECOND_FAILURE = LoadFailure(Path("b.md"), ValidationError("bad", source="b.md", field="x"))


class TestAdd:
    """`feed + feed` is a new feed of both, in order."""

    def test_articles_and_failures_of_both(self) -> None:
        """The left feed's articles come first; the failures of both are kept, in order."""
        left = Feed(ARTICLES[:5], failures=[FIRST_FAILURE])
        right = Feed(ARTICLES[5:], failures=[SECOND_FAILURE])

        joined = left + right

        assert list(joined) == ARTICLES
        assert joined.failures == (FIRST_FAILURE, SECOND_FAILURE)
        assert list(left) == ARTICLES[:5]

    def test_repeats_are_kept(self) -> None:
        """An article in both feeds appears twice; unique() keeps one."""
        feed = Feed(ARTICLES[:3])

        doubled = feed + feed

        assert len(doubled) == 6
        assert list(doubled.unique()) == list(feed.unique())

    def test_not_with_other_sequences(self) -> None:
        """A list is not a feed: adding one raises TypeError rather than guessing."""
        with pytest.raises(TypeError):
            _ = Feed(ARTICLES) + list(ARTICLES)

    def test_sum(self) -> None:
        """sum() over feeds works from an empty feed."""
        parts = [Feed(ARTICLES[i : i + 4]) for i in range(0, 12, 4)]

        assert sum(parts, Feed()) == Feed(ARTICLES)


class TestConcat:
    """Feed.concat joins any number of feeds."""

    def test_many_feeds(self) -> None:
        """Articles and failures of every feed, in order, from any iterable."""
        parts = (
            Feed(ARTICLES[:4], failures=[FIRST_FAILURE]),
            Feed(),
            Feed(ARTICLES[4:], failures=[SECOND_FAILURE, FIRST_FAILURE]),
        )

        joined = Feed.concat(part for part in parts)

        assert list(joined) == ARTICLES
        assert joined.failures == (FIRST_FAILURE, SECOND_FAILURE, FIRST_FAILURE)

    def test_nothing(self) -> None:
        """No feeds give an empty feed."""
        assert Feed.concat([]) == Feed()

    def test_refuses_what_is_not_a_feed(self) -> None:
        """A list among the feeds is refused, naming its type and position."""
        with pytest.raises(TypeError, match="got list at index 1"):
            Feed.concat([Feed(ARTICLES), list(ARTICLES)])  # type: ignore[list-item]  # the case under test
