"""Compact storage of AMP cache links: smaller in memory, identical from outside."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsfeed
from newsfeed import Article, RelatedArticle
from newsfeed._compact import DERIVED, AmpCacheLink, AmpLink, amp_cache_url
from strategies import SAMPLE_PATHS, articles, related_articles, urls

WHEN = datetime(2020, 6, 11, 12, 0, tzinfo=UTC)
AMP = "https://amp.charlotteobserver.com/news/article243441421.html"
CACHED = (
    "https://amp-charlotteobserver-com.cdn.ampproject.org/c/s/"
    "amp.charlotteobserver.com/news/article243441421.html"
)


def stored(item: Article | RelatedArticle) -> object:
    """Return what the cdn_amp_web_url slot of *item* really holds."""
    link = type(item).cdn_amp_web_url  # the class attribute: the descriptor itself
    assert isinstance(link, AmpCacheLink)
    return link._slot.__get__(item, type(item))


def related(**links: str | None) -> RelatedArticle:
    """Return a related item with the given AMP links."""
    return RelatedArticle(title="t", published_at=WHEN, web_url="https://x.org/a", **links)


class TestDerivation:
    """amp_cache_url gives the AMP cache address the real files use."""

    def test_every_cache_link_of_the_samples_is_derived(self) -> None:
        """Each cdnAmpWebUrl of the two samples is the one derived from its ampWebUrl."""
        items = [
            item
            for path in SAMPLE_PATHS
            for article in [newsfeed.load(path)]
            for item in (article, *article.related)
        ]
        cached = [item for item in items if item.cdn_amp_web_url is not None]
        assert len(cached) == 14
        assert all(amp_cache_url(item.amp_web_url) == item.cdn_amp_web_url for item in cached)
        assert all(type(stored(item)) is not str for item in cached)

    def test_plain_http_has_no_s_segment(self) -> None:
        """An http AMP link is cached under /c/, an https one under /c/s/."""
        assert amp_cache_url("http://a-b.example.com/x") == (
            "https://a--b-example-com.cdn.ampproject.org/c/a-b.example.com/x"
        )
        assert amp_cache_url(AMP) == CACHED

    @pytest.mark.parametrize(
        "amp", [None, 3, "", "amp.example.com/x", "ftp://example.com/x", "https://", "https:///x"]
    )
    def test_no_cache_link_without_a_web_address(self, amp: object) -> None:
        """Only an absolute http(s) address with a host has a cache address."""
        assert amp_cache_url(amp) is None


class TestStorage:
    """A derivable link is stored as a shared marker; anything else as given."""

    def test_a_derivable_link_is_not_stored(self) -> None:
        """The link equal to the derived one is kept as a marker and read back whole."""
        item = related(amp_web_url=AMP, cdn_amp_web_url=CACHED)
        assert type(stored(item)) is not str
        assert item.cdn_amp_web_url == CACHED

    @pytest.mark.parametrize(
        ("amp", "cdn"),
        [
            (AMP, CACHED.replace("/c/s/", "/c/")),
            (AMP, CACHED + "?x"),
            (None, CACHED),
            ("not a link", CACHED),
            (AMP, None),
            (None, None),
        ],
    )
    def test_any_other_link_is_stored_as_given(self, amp: str | None, cdn: str | None) -> None:
        """A link that is not the derived one, or None, is stored and read back as it is."""
        item = related(amp_web_url=amp, cdn_amp_web_url=cdn)
        assert stored(item) is cdn
        assert item.cdn_amp_web_url is cdn

    def test_a_str_subclass_keeps_its_type(self) -> None:
        """A str subclass equal to the derived link is stored as given, not replaced."""

        class Link(str):
            __slots__ = ()

        link = Link(CACHED)
        item = related(amp_web_url=AMP, cdn_amp_web_url=link)
        assert item.cdn_amp_web_url is link

    def test_the_class_attribute_is_the_descriptor(self) -> None:
        """On the classes, both AMP links are our descriptors, in the field order they need."""
        for cls in (Article, RelatedArticle):
            assert isinstance(cls.cdn_amp_web_url, AmpCacheLink)
            assert isinstance(cls.amp_web_url, AmpLink)
            names = [field.name for field in attrs.fields(cls)]
            # Deriving on assignment needs amp_web_url set first.
            assert names.index("amp_web_url") < names.index("cdn_amp_web_url")

    def test_frozen_still(self) -> None:
        """The compact attribute cannot be assigned or deleted, like every other."""
        item = related(amp_web_url=AMP, cdn_amp_web_url=CACHED)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            item.cdn_amp_web_url = "x"  # type: ignore[misc]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            del item.cdn_amp_web_url  # type: ignore[misc]

    def test_evolving_the_amp_link_keeps_the_cache_link(self) -> None:
        """Changing amp_web_url with evolve does not change the cache link it had."""
        item = related(amp_web_url=AMP, cdn_amp_web_url=CACHED)
        moved = attrs.evolve(item, amp_web_url="https://elsewhere.example/a")
        assert moved.cdn_amp_web_url == CACHED
        assert stored(moved) == CACHED


class TestSubclasses:
    """Subclasses that redefine or change amp_web_url keep the links they were given."""

    def test_amp_link_redefined(self) -> None:
        """A subclass that redefines amp_web_url sets it last: its links are stored as given."""

        @attrs.frozen(kw_only=True)
        class Normalized(RelatedArticle):
            amp_web_url: str | None = None

        item = Normalized(
            title="t",
            published_at=WHEN,
            web_url="https://x.org/a",
            amp_web_url=AMP,
            cdn_amp_web_url=CACHED,
        )
        assert item.cdn_amp_web_url == CACHED
        assert stored(item) == CACHED
        assert attrs.evolve(item, title="u").cdn_amp_web_url == CACHED

    def test_amp_link_changed_after_construction(self) -> None:
        """Changing amp_web_url in __attrs_post_init__ keeps the derived link's value."""

        @attrs.frozen(kw_only=True)
        class Secure(RelatedArticle):
            def __attrs_post_init__(self) -> None:
                amp = self.amp_web_url
                object.__setattr__(self, "amp_web_url", amp and amp.replace("amp.", "m."))

        item = Secure(
            title="t",
            published_at=WHEN,
            web_url="https://x.org/a",
            amp_web_url=AMP,
            cdn_amp_web_url=CACHED,
        )
        assert item.amp_web_url == AMP.replace("amp.", "m.")
        assert item.cdn_amp_web_url == CACHED
        assert stored(item) == CACHED
        plain = Secure(title="t", published_at=WHEN, web_url="https://x.org/a")
        assert plain.cdn_amp_web_url is None


class TestPickling:
    """Pickles carry the raw slots as a tuple: the marker, not the derived link."""

    def test_a_derived_link_travels_as_the_marker(self) -> None:
        """The pickle of a derivable link holds no copy of it and unpickles to the marker."""
        item = related(amp_web_url=AMP, cdn_amp_web_url=CACHED)
        data = pickle.dumps(item)
        assert b"cdn.ampproject.org" not in data
        back = pickle.loads(data)  # noqa: S301 -- our own data
        assert stored(back) is DERIVED
        assert back == item
        assert back.cdn_amp_web_url == CACHED

    def test_a_given_link_travels_as_it_is(self) -> None:
        """A link that is not derivable is pickled and unpickled as a string."""
        item = related(amp_web_url=AMP, cdn_amp_web_url="https://cache.example/a")
        back = pickle.loads(pickle.dumps(item))  # noqa: S301 -- our own data
        assert stored(back) == "https://cache.example/a"

    def test_state_is_one_value_per_field(self) -> None:
        """The state is a tuple in field order; one of another length or type is refused."""
        article = newsfeed.load(SAMPLE_PATHS[0])
        for value in (article, article.provider, article.related[0], article.related[0].images[0]):
            state = value.__getstate__()
            assert type(state) is tuple
            assert len(state) == len(attrs.fields(type(value)))
            name = type(value).__name__
            with pytest.raises(TypeError, match=f"{name}: expected a state of {len(state)} values"):
                copy.copy(value).__setstate__(state[:-1])
            with pytest.raises(TypeError, match="got list"):
                copy.copy(value).__setstate__(list(state))
            names = [field.name for field in attrs.fields(type(value))]
            fewer = dict(zip(names[1:], state[1:], strict=True))
            with pytest.raises(TypeError, match=f"got {len(state) - 1} "):
                copy.copy(value).__setstate__(fewer)

    def test_attrs_dict_state_still_loads(self) -> None:
        """A state in attrs' own format (a dict by field name) sets every field, by name."""
        article = newsfeed.load(SAMPLE_PATHS[0])
        for value in (article, article.provider, article.related[0], article.related[0].images[0]):
            cls = type(value)
            state = {field.name: getattr(value, field.name) for field in attrs.fields(cls)}
            rebuilt = cls.__new__(cls)
            rebuilt.__setstate__(state)
            assert rebuilt == value
        rebuilt = RelatedArticle.__new__(RelatedArticle)
        rebuilt.__setstate__(attrs.asdict(article.related[0], recurse=False))
        assert stored(rebuilt) is DERIVED

    def test_shallow_copy(self) -> None:
        """copy.copy gives an equal article sharing its values."""
        article = newsfeed.load(SAMPLE_PATHS[0])
        same = copy.copy(article)
        assert same == article
        assert same.related is article.related

    def test_the_marker_is_one(self) -> None:
        """The marker pickles by reference and says what it stands for."""
        assert pickle.loads(pickle.dumps(DERIVED)) is DERIVED  # noqa: S301 -- our own data
        assert repr(DERIVED) == "<derived from amp_web_url>"


class TestInvisible:
    """Nothing outside the model can tell a compact link from a stored one."""

    @given(
        amp=st.none() | urls(),
        other=st.none() | urls(),
        derive=st.booleans(),
    )
    def test_reads_back_what_was_given(
        self, amp: str | None, other: str | None, derive: bool
    ) -> None:
        """Whatever pair of links goes in comes back out, derivable or not."""
        cdn = amp_cache_url(amp) if derive else other
        item = related(amp_web_url=amp, cdn_amp_web_url=cdn)
        assert item.cdn_amp_web_url == cdn
        assert type(item.cdn_amp_web_url) is type(cdn)

    @given(articles())
    def test_copies_are_equal_and_hash_alike(self, article: Article) -> None:
        """Pickle, copy, evolve and to_dict/from_dict give an equal article with equal links."""
        copies = [
            pickle.loads(pickle.dumps(article)),  # noqa: S301 -- our own data
            copy.deepcopy(article),
            copy.copy(article),
            attrs.evolve(article),
            # The record is the front matter only.
            attrs.evolve(newsfeed.from_dict(newsfeed.to_dict(article)), body=article.body),
        ]
        for same in copies:
            assert same == article
            assert hash(same) == hash(article)
            assert same.cdn_amp_web_url == article.cdn_amp_web_url
            assert [r.cdn_amp_web_url for r in same.related] == [
                r.cdn_amp_web_url for r in article.related
            ]

    @given(related_articles())
    def test_repr_shows_the_link(self, item: RelatedArticle) -> None:
        """The repr (one short line, which leaves the links out) never shows the marker."""
        assert repr(DERIVED) not in repr(item)
        assert repr(item).startswith("<RelatedArticle ")

    def test_the_samples_write_back_the_same(self) -> None:
        """A sample read with compact links is written back byte for byte."""
        for path in SAMPLE_PATHS:
            assert newsfeed.dumps(newsfeed.load(path)) == path.read_text(encoding="utf-8")
