"""Writing back what was read: byte for byte, and an edit changes only its own lines.

Every file of the subset of YAML the fast reader reads keeps its layout
(key order, unknown keys in place, blank lines, comments, indentation,
quoting, line ends, BOM, fences). The layout is shared between articles laid
out alike, takes no part in equality, and survives evolve and pickling.
"""

from __future__ import annotations

import difflib
import json
import pickle
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import newsfeed
from newsfeed._format.layout import Layout, layout_from_data, layout_to_data
from newsfeed._format.schema import ARTICLE
from strategies import REAL_PATHS, SAMPLE_PATHS, subset_texts, texts, titles, urls

EXAMPLES: Final = tuple(sorted((Path(__file__).parent.parent / "examples" / "data").glob("*.md")))
ALL_FILES: Final = SAMPLE_PATHS + REAL_PATHS + EXAMPLES
VIDEO: Final = next(path for path in REAL_PATHS if "2019-08-19" in path.name)
STATS: Final = next(path for path in REAL_PATHS if "stats" in path.name)
HUGGING_FACE: Final = next(path for path in REAL_PATHS if "hugging-face" in path.name)
#: The fence and the keys every article has, for files written out in a test.
_REQUIRED: Final = '---\ntitle: "T"\npublishedDateTime: 2021-03-02T08:00:00Z\nwebUrl: "u"\n'


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """Return the lines of *before* that *after* removes, and those it adds (line ends dropped)."""
    old, new = before.split("\n"), after.split("\n")
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag != "equal":
            removed.extend(line.removesuffix("\r") for line in old[old_start:old_end])
            added.extend(line.removesuffix("\r") for line in new[new_start:new_end])
    return removed, added


def loads_quietly(text: str | bytes) -> newsfeed.Article:
    """Load *text*, ignoring the warnings of null list items."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", newsfeed.NewsfeedWarning)
        return newsfeed.loads(text)


class TestFilesAsPublished:
    """Every seed, real file and sample is written back byte for byte."""

    @pytest.mark.parametrize("path", ALL_FILES, ids=[path.stem[:50] for path in ALL_FILES])
    def test_written_back_byte_for_byte(self, path: Path) -> None:
        """dumps(load(path)) gives the file's bytes: CRLF, quoting, blank lines and all."""
        assert newsfeed.dumps(newsfeed.load(path)).encode("utf-8") == path.read_bytes()

    def test_dump_writes_the_same_bytes(self, tmp_path: Path) -> None:
        """dump() to a new file writes the bytes the article was read from."""
        for path in REAL_PATHS:
            target = tmp_path / path.name
            newsfeed.dump(newsfeed.load(path), target)
            assert target.read_bytes() == path.read_bytes()

    def test_crlf_files_stay_crlf(self) -> None:
        """A CRLF file is written with CRLF line ends, every one of them."""
        data = VIDEO.read_bytes()
        assert b"\r\n" in data
        assert newsfeed.dumps(newsfeed.load(VIDEO)).encode("utf-8") == data

    def test_video_without_web_url(self) -> None:
        """A video entry: originalUrl but no webUrl, featuredContent, images at the top."""
        article = newsfeed.load(VIDEO)
        assert article.web_url is None
        assert article.url == article.original_url == "https://youtube.com/watch?v=WJk-Y8LQlfE"
        assert article.featured_content is not None
        assert article.featured_content.startswith('<iframe width="800"')
        assert article.images[0].is_cached is True
        assert article.provider is not None
        assert article.provider.images[0].width == 50

    def test_stats_page(self) -> None:
        """The stats page: updatedDateTime, an image title, no empty line after the fence."""
        article = newsfeed.load(STATS)
        assert article.updated_at == datetime(2020, 5, 11, 22, 45, 10, tzinfo=UTC)
        assert article.images[0].title == article.title
        assert article.body.startswith('<div class="total-stats"')
        assert newsfeed.dumps(article).encode("utf-8") == STATS.read_bytes()

    @pytest.mark.parametrize("path", SAMPLE_PATHS + EXAMPLES, ids=lambda path: path.stem[:40])
    def test_samples_are_canonical_but_as_published(self, path: Path) -> None:
        """The seeds and the generated samples are in the canonical layout, but for two changes.

        Some generated samples were written as a pipeline on Windows writes them,
        with CRLF line ends, and the stats page starts right after its closing
        fence, as published; with those undone, every file is canonical.
        """
        original = path.read_bytes().decode("utf-8")
        lines = original.splitlines(keepends=True)
        fence = next(index for index, line in enumerate(lines[1:], 1) if line.strip() == "---")
        # The canonical layout's front matter ends its lines with LF, and one empty
        # line follows the fence; it keeps the body as it is, whatever its line ends.
        front = "".join(lines[: fence + 1]).replace("\r\n", "\n")
        body = "".join(lines[fence + 1 :])
        body = body.removeprefix("\r\n" if body.startswith("\r\n") else "\n")
        assert newsfeed.dumps(newsfeed.load(path), canonical=True) == f"{front}\n{body}"

    def test_canonical_layout_of_a_real_file(self) -> None:
        """The canonical layout of a real file: the producer's, with LF and the body's gap."""
        canonical = newsfeed.dumps(newsfeed.load(STATS), canonical=True)
        original = STATS.read_bytes().decode("utf-8")
        assert canonical == original.replace("\n---\n<div", "\n---\n\n<div")


class TestSubsetRoundTrip:
    """Any file of the subset, in any layout, is written back byte for byte."""

    @given(subset_texts())
    def test_byte_identical(self, text: str) -> None:
        """Random key orders, unknown keys, comments, blank lines, indents, quotes, CRLF, BOM."""
        article = newsfeed.loads(text)
        assert article._layout is not None
        assert newsfeed.dumps(article) == text
        assert (
            newsfeed.loads(newsfeed.dumps(article, canonical=True, drop_comments=True)) == article
        )


#: New values for the scalar fields of an article, by attribute.
_NEW_VALUES: Final[dict[str, st.SearchStrategy[Any]]] = {
    "title": titles(),
    "excerpt": titles(),
    "category": texts(max_size=10),
    "type": st.sampled_from(("video", "article", "stats", "yes")),
    "web_url": urls(),
    "original_url": urls(),
    "quality": st.integers(-5, 500),
    "heat": st.integers(-1, 10**6),
    "published": st.booleans(),
    "secured": texts(max_size=30),
    "featured_content": titles(),
    "updated_at": st.datetimes(timezones=st.just(UTC)).map(
        lambda value: value.replace(microsecond=0)
    ),
}


class TestEdits:
    """An edit changes only the lines of the edited field."""

    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(subset_texts(), st.sampled_from(sorted(_NEW_VALUES)), st.data())
    def test_single_field_edit(self, text: str, attr: str, data: st.DataObject) -> None:
        """A changed scalar is its one line; a new one an added line, in the file's line ends."""
        article = newsfeed.loads(text)
        value = data.draw(_NEW_VALUES[attr])
        assume(value != getattr(article, attr))
        edited = attrs.evolve(article, **{attr: value})

        written = newsfeed.dumps(edited)

        assert newsfeed.loads(written) == edited
        key = ARTICLE.by_attr[attr].key
        removed, added = changed_lines(text, written)
        assert len(added) == 1
        assert added[0].startswith(f"{key}:")
        assert removed == [] if getattr(article, attr) is None else len(removed) == 1
        assert all(line.lstrip("\ufeff").startswith(f"{key}:") for line in removed)
        if "\r\n" in text:
            assert written.count("\n") == written.count("\r\n")

    # Half the generated files have no block list of topics: fewer examples will do.
    @settings(
        max_examples=50, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
    )
    @given(subset_texts(), st.sampled_from(("AI", "Machine Learning", "x: y", "1.5")))
    def test_added_topic_is_one_line(self, text: str, topic: str) -> None:
        """A topic added to a block list is one added line, in the list's style."""
        article = newsfeed.loads(text)
        assume(article.topics and "topics:\n" in text.replace("\r", ""))
        edited = attrs.evolve(article, topics=(*article.topics, topic))

        written = newsfeed.dumps(edited)

        removed, added = changed_lines(text, written)
        assert removed == []
        assert len(added) == 1
        assert added[0].lstrip(" ").startswith("- ")
        assert newsfeed.loads(written) == edited

    def test_quoting_style_kept_where_the_value_allows(self) -> None:
        """A single-quoted title stays single-quoted; a plain one is quoted when it must be."""
        path = newsfeed.load(SAMPLE_PATHS[0]).path
        assert path is not None
        text = path.read_text(encoding="utf-8")
        single = text.replace('title: "', "title: '", 1).replace('"\nexcerpt', "'\nexcerpt", 1)
        article = newsfeed.loads(single)

        renamed = newsfeed.dumps(attrs.evolve(article, title="It's new"))
        assert "title: 'It''s new'\n" in renamed
        plain = newsfeed.dumps(attrs.evolve(article, category="yes"))
        assert 'category: "yes"\n' in plain

    def test_nested_edit_is_one_line(self) -> None:
        """The title of a related item: one line changed, in the item's indentation."""
        path = SAMPLE_PATHS[0]
        text = path.read_text(encoding="utf-8")
        article = newsfeed.load(path)
        related = list(article.related)
        related[1] = attrs.evolve(related[1], title="A new title")

        written = newsfeed.dumps(attrs.evolve(article, related=tuple(related)))

        removed, added = changed_lines(text, written)
        assert len(removed) == 1
        assert added == ['  - title: "A new title"']

    def test_new_key_in_canonical_place_with_file_line_ends(self) -> None:
        """A key the file lacks goes where the canonical order puts it, with the file's CRLF."""
        text = VIDEO.read_bytes().decode("utf-8")
        article = newsfeed.load(VIDEO)

        written = newsfeed.dumps(attrs.evolve(article, web_url="https://example.com/v"))

        removed, added = changed_lines(text, written)
        assert removed == []
        assert added == ['webUrl: "https://example.com/v"']
        assert 'originalUrl: "https://youtube.com/watch?v=WJk-Y8LQlfE"\r\nwebUrl: "' in written

    def test_new_keys_go_before_unknown_keys(self) -> None:
        """New fields go before the unknown keys ending a mapping, as the canonical order has it."""
        text = _REQUIRED + "provider:\n  name: P\n  logo: x\nlocale: en\n---\n\n"
        article = newsfeed.loads(text)
        assert article.provider is not None
        edited = attrs.evolve(
            article,
            provider=attrs.evolve(article.provider, domain="p.com"),
            secured="tok",
        )

        written = newsfeed.dumps(edited)

        assert written == (
            _REQUIRED
            + 'provider:\n  name: P\n  domain: p.com\n  logo: x\nsecured: "tok"\nlocale: en\n'
            "---\n\n"
        )

    def test_a_new_unknown_key_goes_last(self) -> None:
        """An unknown key the file lacks goes after every key, the unknown ones included."""
        text = _REQUIRED + "provider:\n  name: P\n  logo: x\nlocale: en\nsource: feedA\n---\n\n"
        article = newsfeed.loads(text)
        assert article.provider is not None
        provider = attrs.evolve(
            article.provider, extra=newsfeed.FrozenDict({**article.provider.extra, "zz": 1})
        )
        extra = newsfeed.FrozenDict({**article.extra, "added": "x"})

        written = newsfeed.dumps(attrs.evolve(article, provider=provider, extra=extra))

        assert "  logo: x\n  zz: 1\nlocale: en\nsource: feedA\nadded: x\n---" in written
        assert list(newsfeed.loads(written).extra) == ["locale", "source", "added"]

    def test_a_new_field_of_a_mapping_of_unknown_keys_goes_first(self) -> None:
        """A provider holding only unknown keys gets its name before them."""
        text = _REQUIRED + "provider:\n  logo: x\n---\n\n"
        article = newsfeed.loads(text)
        assert article.provider is not None

        written = newsfeed.dumps(
            attrs.evolve(article, provider=attrs.evolve(article.provider, name="P"))
        )

        assert "provider:\n  name: P\n  logo: x\n" in written

    def test_new_item_in_a_four_space_file(self) -> None:
        """A related item added to a file indented four spaces is written with four spaces."""
        text = (
            '---\ntitle: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n'
            'provider:\n    name: P\nrelated:\n    - title: "R"\n'
            '      publishedDateTime: 2020-01-01T00:00:00Z\n      webUrl: "r"\n---\n'
        )
        article = newsfeed.loads(text)
        item = newsfeed.RelatedArticle(
            title="S",
            published_at=datetime(2020, 1, 2, tzinfo=UTC),
            web_url="s",
            provider=newsfeed.Provider("Q", "q.com"),
        )

        written = newsfeed.dumps(attrs.evolve(article, related=(*article.related, item)))

        assert written.endswith(
            '    - title: "S"\n      publishedDateTime: 2020-01-02T00:00:00Z\n'
            '      webUrl: "s"\n      provider:\n          name: Q\n          domain: q.com\n---\n'
        )
        assert newsfeed.loads(written).related[1] == item

    def test_removed_key_keeps_the_comment_above_it(self) -> None:
        """A field set to None loses its line, never the comment above it."""
        text = (
            '---\ntitle: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n'
            "# why\nheat: 5\n---\n"
        )
        written = newsfeed.dumps(attrs.evolve(newsfeed.loads(text), heat=None))
        assert written == text.replace("heat: 5\n", "")

    def test_escapes_as_written_are_kept(self) -> None:
        """A scalar written with escapes of its own comes back so while unchanged."""
        text = (
            '---\ntitle: "caf\\u00e9 \\x41"\n'
            'publishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n---\n'
        )
        article = newsfeed.loads(text)
        assert article.title == "café A"
        assert newsfeed.dumps(article) == text
        changed = newsfeed.dumps(attrs.evolve(article, title="thé"))
        assert 'title: "thé"\n' in changed

    def test_body_added_to_a_file_ending_at_its_fence(self) -> None:
        """A body given to a file that ended at its closing fence gets its own line."""
        text = '---\ntitle: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n---'
        written = newsfeed.dumps(attrs.evolve(newsfeed.loads(text), body="Body.\n"))
        assert written == text + "\n\nBody.\n"

    @pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
    @pytest.mark.parametrize("after_fence", ["", "Old body.\n"], ids=["no body", "body at fence"])
    def test_body_starting_with_a_line_end(self, newline: str, after_fence: str) -> None:
        """A new body that starts with a line end keeps it, in a file with no gap at its fence."""
        front = '---\ntitle: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n---\n'
        text = front.replace("\n", newline) + after_fence.replace("\n", newline)
        article = newsfeed.loads(text)
        assert newsfeed.dumps(article) == text
        body = f"{newline}First paragraph after an empty line.{newline}"
        assert newsfeed.loads(newsfeed.dumps(attrs.evolve(article, body=body))).body == body


class TestNullTopics:
    """A null item in topics is left out, with a warning naming the file and line."""

    TEXT: Final = (
        '---\ntitle: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n'
        "topics:\n  - AI\n  - \n  - ML\n---\n"
    )

    def test_left_out_with_a_warning(self) -> None:
        """The article is read without the null item; the warning says where it was."""
        with pytest.warns(newsfeed.NewsfeedWarning) as caught:
            article = newsfeed.loads(self.TEXT, source="a.md")

        assert article.topics == ("AI", "ML")
        (warning,) = caught
        assert isinstance(warning.message, newsfeed.NewsfeedWarning)
        assert (warning.message.source, warning.message.line) == ("a.md", 7)
        assert warning.message.field == "topics[1]"
        assert str(warning.message).startswith("a.md:7: topics[1]: ")

    def test_same_on_the_safe_path(self) -> None:
        """A file the fast path declines warns alike."""
        text = self.TEXT.replace('title: "T"', "title: >-\n  T")
        with pytest.warns(newsfeed.NewsfeedWarning, match=r"a\.md:8: topics\[1\]"):
            assert newsfeed.loads(text, source="a.md").topics == ("AI", "ML")

    def test_read_from_a_file(self, tmp_path: Path) -> None:
        """Loaded from disk, the article knows its path and the warning names the file."""
        path = tmp_path / "a.md"
        path.write_text(self.TEXT, encoding="utf-8")
        with pytest.warns(newsfeed.NewsfeedWarning, match=f"{path}:7: topics"):
            article = newsfeed.load(path)
        assert article.path == path
        assert newsfeed.dumps(article) == self.TEXT

    def test_written_back_while_topics_unchanged(self) -> None:
        """The file comes back byte for byte, the empty item included."""
        article = loads_quietly(self.TEXT)
        assert newsfeed.dumps(article) == self.TEXT
        edited = newsfeed.dumps(attrs.evolve(article, title="U"))
        assert edited == self.TEXT.replace('title: "T"', 'title: "U"')

    @pytest.mark.parametrize("items", ["  -\n", "  - \n", "  -\n  -\n", "  -\n  # c\n  - \n"])
    def test_topics_of_null_items_only_written_back(self, items: str) -> None:
        """A topics list of nothing but null items (read as no topics) is written back as it was.

        It reads as an empty tuple, which the writer left out, so the lines
        were lost; and several alike null items were merged into one.
        """
        text = self.TEXT.replace("  - AI\n  - \n  - ML\n", items)
        article = loads_quietly(text)
        assert article.topics == ()
        assert newsfeed.dumps(article) == text
        assert newsfeed.dumps(attrs.evolve(article, title="U")) == text.replace('"T"', '"U"')

    def test_warning_pickles(self) -> None:
        """The warning crosses processes with its attributes."""
        warning = newsfeed.NewsfeedWarning("r", source="a.md", field="topics[1]", line=7)
        again = pickle.loads(pickle.dumps(warning))  # noqa: S301 -- our own pickle
        assert (again.reason, again.source, again.field, again.line) == (
            "r",
            "a.md",
            "topics[1]",
            7,
        )


class TestLayoutObject:
    """The layout is shared, invisible to equality, and survives evolve and pickling."""

    def test_not_part_of_equality_hash_or_repr(self) -> None:
        """An article read from a file equals (and hashes as) the same one built in code."""
        article = newsfeed.load(HUGGING_FACE)
        built = attrs.evolve(article, _layout=None, path=None)
        assert article == built
        assert hash(article) == hash(built)
        assert "layout" not in repr(article)

    def test_survives_evolve_and_pickle(self) -> None:
        """Evolve keeps the layout; a pickled article unpickles onto the shared layout."""
        article = newsfeed.load(VIDEO)
        assert attrs.evolve(article, quality=1)._layout is article._layout
        again = pickle.loads(pickle.dumps(article))  # noqa: S301 -- our own pickle
        assert again._layout is article._layout
        assert newsfeed.dumps(again).encode("utf-8") == VIDEO.read_bytes()

    def test_equal_parts_are_one_object(self) -> None:
        """Across files, each distinct entry, item and block of a shape is kept once.

        The index stores a part once per identity, and memory per article
        relies on it; a compiled reader that copied tuples would break it.
        (The tuples of blank and comment lines, and of a block's entries,
        are parts of those, not shared on their own.)
        """
        seen: dict[tuple[Any, ...], tuple[Any, ...]] = {}

        def walk(part: tuple[Any, ...]) -> None:
            if len(part) >= 4:
                assert seen.setdefault(part, part) is part, part
            for item in part:
                if isinstance(item, tuple):
                    walk(item)

        for path in (*SAMPLE_PATHS, *REAL_PATHS):
            layout = newsfeed.load(path)._layout
            assert layout is not None
            assert layout.shape is not None
            walk(layout.shape)
        assert len(seen) > 50

    def test_plain_data_form(self) -> None:
        """A layout's plain-data form goes through JSON and comes back as the shared layout."""
        article = newsfeed.load(VIDEO)
        layout = article._layout
        assert isinstance(layout, Layout)
        data = json.loads(json.dumps(layout_to_data(layout)))
        assert layout_from_data(data) is layout

    def test_overrides_travel_too(self) -> None:
        """A layout with an article's own escapes is its own, and its plain form keeps them."""
        text = '---\ntitle: "\\x41"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n---\n'
        layout = newsfeed.loads(text)._layout
        assert layout is not None
        assert layout.overrides == ((("title",), "A", '"\\x41"'),)
        again = layout_from_data(json.loads(json.dumps(layout_to_data(layout))))
        assert again == layout

    def test_built_in_code_is_canonical(self) -> None:
        """An article built in code has no layout and is written in the canonical one."""
        article = newsfeed.Article(
            title="T", published_at=datetime(2020, 1, 1, tzinfo=UTC), original_url="https://v"
        )
        assert article._layout is None
        assert newsfeed.dumps(article) == (
            '---\ntitle: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\n'
            'originalUrl: "https://v"\n\n---\n\n'
        )


class TestComments:
    """The canonical layout never drops a comment silently."""

    TEXT: Final = (
        '---\n# imported by hand\ntitle: "T"  # checked\npublishedDateTime: 2020-01-01T00:00:00Z\n'
        'webUrl: "u"\n---\n'
    )

    def test_kept_in_the_file_layout(self) -> None:
        """Full-line and end-of-line comments come back with the file."""
        assert newsfeed.dumps(newsfeed.loads(self.TEXT)) == self.TEXT

    @pytest.mark.parametrize(
        "text",
        [TEXT, TEXT.replace('webUrl: "u"', "webUrl: >-\n  u")],
        ids=["fast path", "safe path"],
    )
    def test_canonical_refused_unless_dropped(self, text: str) -> None:
        """canonical=True refuses a file with comments; drop_comments=True writes it without."""
        article = newsfeed.loads(text)
        with pytest.raises(newsfeed.ValidationError, match="comments"):
            newsfeed.dumps(article, canonical=True)
        written = newsfeed.dumps(article, canonical=True, drop_comments=True)
        assert "#" not in written
        assert newsfeed.loads(written) == article

    @pytest.mark.parametrize("header", [">- # shortened", "|  # shortened", "> #shortened"])
    def test_comment_on_a_block_scalar_header(self, header: str) -> None:
        """A comment after a block scalar's indicator counts: writing it needs drop_comments."""
        text = (
            f'---\ntitle: "T"\nexcerpt: {header}\n  A long excerpt\n  on two lines.\n'
            'publishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n---\n'
        )
        article = newsfeed.loads(text)
        for canonical in (False, True):
            with pytest.raises(newsfeed.ValidationError, match="comments"):
                newsfeed.dumps(article, canonical=canonical)
        assert "shortened" not in newsfeed.dumps(article, drop_comments=True)

    def test_hash_inside_strings_is_not_a_comment(self) -> None:
        """A '#' inside a value, on the safe path, is no comment."""
        text = (
            "---\ntitle: 'C# #1'\nexcerpt: |\n  a # b\n"
            "publishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: u#x\n---\n"
        )
        article = newsfeed.loads(text)
        assert newsfeed.dumps(article, canonical=True).startswith('---\ntitle: "C# #1"\n')

    @pytest.mark.parametrize(
        "line",
        [
            'locale: "en"#reviewed\n',
            "tags: [a, b]#reviewed\n",
            "locale: {a: b}#reviewed\n",
            "locale: en\u2028# reviewed\n",
            "locale: en\x85# reviewed\n",
        ],
        ids=["after a quote", "after a bracket", "after a brace", "after U+2028", "after U+0085"],
    )
    def test_comment_without_a_space_is_refused(self, line: str) -> None:
        """A comment the loaders read without a space before it is never dropped silently.

        Such a file is outside the fast reader's subset, so it has no layout
        of its own to keep the comment in: writing it needs drop_comments.
        """
        text = f'---\ntitle: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n{line}---\n'
        article = newsfeed.loads(text)
        for canonical in (False, True):
            with pytest.raises(newsfeed.ValidationError, match="comments"):
                newsfeed.dumps(article, canonical=canonical)
        assert "reviewed" not in newsfeed.dumps(article, drop_comments=True)


class TestExtraValues:
    """Values of unknown keys are what reading them back gives."""

    def test_issue_11_item_14_tuple_in_extra_round_trips(self) -> None:
        """A tuple in extra is kept as the list it is written as, so it reads back equal."""
        article = newsfeed.Article(
            title="T",
            published_at=datetime(2020, 1, 1, tzinfo=UTC),
            web_url="u",
            extra={"tags": ("a", "b"), "nested": {"pair": (1, (2, 3))}},
        )
        assert article.extra == {"tags": ["a", "b"], "nested": {"pair": [1, [2, 3]]}}
        assert newsfeed.loads(newsfeed.dumps(article)) == article

    def test_frozen_dict_built_directly_is_normalised_too(self) -> None:
        """A FrozenDict given a tuple holds a list."""
        assert newsfeed.FrozenDict({"a": (1,)}) == {"a": [1]}
        assert type(newsfeed.FrozenDict({"a": (1,)})["a"]) is list


class TestShapeChanges:
    """A value that changes shape keeps its key's comment, and the file can be written again."""

    HEAD: Final = '---\ntitle: "T"\npublishedDateTime: 2020-01-01T00:00:00Z\nwebUrl: "u"\n'

    @pytest.mark.parametrize(
        ("line", "extra", "written"),
        [
            ("tags: none-yet  # to do", {"tags": []}, ["tags: []  # to do"]),
            ("tags: none-yet  # to do", {"tags": {}}, ["tags: {}  # to do"]),
            ("tags: 1  # to do", {"tags": [1, 2]}, ["tags:  # to do", "  - 1", "  - 2"]),
            ("tags: 1  # to do", {"tags": {"a": 1}}, ["tags:  # to do", "  a: 1"]),
            ("tags: [a]  # to do", {"tags": []}, ["tags: []  # to do"]),
        ],
        ids=[
            "scalar to []",
            "scalar to {}",
            "scalar to a list",
            "scalar to a mapping",
            "[a] to []",
        ],
    )
    def test_comment_stays_on_the_key(
        self, line: str, extra: dict[str, Any], written: list[str]
    ) -> None:
        """The key's comment stays on its line; the result reads back, and writes again."""
        text = f"{self.HEAD}{line}\nlocale: en\n---\n"
        article = newsfeed.loads(text)
        edited = attrs.evolve(article, extra={**article.extra, **extra})
        out = newsfeed.dumps(edited)
        assert changed_lines(text, out) == ([line], written)
        again = newsfeed.loads(out)
        assert again == edited
        assert newsfeed.dumps(again) == out

    @pytest.mark.parametrize(
        "line", ["topics: []", "topics: []  # none yet", "tags: []", "tags: []  # none yet"]
    )
    def test_empty_flow_list_kept(self, line: str) -> None:
        """An empty flow list, with or without a comment, is written back as it was."""
        text = f"{self.HEAD}{line}\n---\n"
        assert newsfeed.dumps(newsfeed.loads(text)) == text

    def test_empty_flow_list_filled(self) -> None:
        """Items put into an empty flow list are written in it, in the canonical quoting."""
        text = f"{self.HEAD}topics: []  # none yet\n---\n"
        edited = attrs.evolve(newsfeed.loads(text), topics=("AI", "yes"))
        out = newsfeed.dumps(edited)
        assert changed_lines(text, out) == (
            ["topics: []  # none yet"],
            ['topics: [AI, "yes"]  # none yet'],
        )
        assert newsfeed.loads(out) == edited
