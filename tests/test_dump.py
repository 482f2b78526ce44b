"""Writing: dump is atomic and keeps permissions; dumps refuses what the format cannot carry."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Self

import attrs
import pytest

import newsfeed
from model_support import unchecked

NASDAQ = Path(__file__).parent / "fixtures" / "amazon-moratorium-nasdaq.md"
STAMP = datetime(2020, 6, 11, 12, 2, tzinfo=UTC)


def _article(**changes: Any) -> newsfeed.Article:
    article = newsfeed.Article(title="T", web_url="https://example.com/t", published_at=STAMP)
    with unchecked():
        return attrs.evolve(article, **changes)


def _bad(cls: Any, **values: Any) -> Any:
    """Build *cls* from *values* the construction check would refuse."""
    with unchecked():
        return cls(**values)


def _only_file(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


class _InterruptedError(Exception):
    """Stands for a crash in the middle of a write."""


class TestDump:
    """dump writes dumps' bytes, atomically, keeping the file's permissions."""

    def test_writes_the_bytes_of_dumps(self, tmp_path: Path) -> None:
        """The file holds the text of dumps, UTF-8 encoded, with LF line ends on any platform."""
        article = _article(title="Curly \u201cquotes\u201d, \U0001f600 and 中文", body="a\nb\n")
        target = tmp_path / "a.md"

        newsfeed.dump(article, target)

        assert target.read_bytes() == newsfeed.dumps(article).encode("utf-8")
        assert newsfeed.load(target) == article
        assert _only_file(tmp_path) == ["a.md"]

    def test_accepts_str_path(self, tmp_path: Path) -> None:
        """A str path works as well as a Path."""
        newsfeed.dump(_article(), str(tmp_path / "a.md"))

        assert newsfeed.load(tmp_path / "a.md") == _article()

    def test_replaces_existing_file(self, tmp_path: Path) -> None:
        """Dumping over an existing file replaces its content entirely."""
        target = tmp_path / "a.md"
        target.write_text("x" * 100_000, encoding="utf-8")

        newsfeed.dump(_article(), target)

        assert target.read_text(encoding="utf-8") == newsfeed.dumps(_article())

    @pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
    @pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
    def test_keeps_permissions(self, tmp_path: Path, mode: int) -> None:
        """An existing file keeps its permission bits after dump replaces it."""
        target = tmp_path / "a.md"
        target.write_text("old", encoding="utf-8")
        target.chmod(mode)

        newsfeed.dump(_article(), target)

        assert stat.S_IMODE(target.stat().st_mode) == mode

    @pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
    def test_new_file_follows_umask(self, tmp_path: Path) -> None:
        """A new file gets the permissions the umask gives any new file."""
        umask = os.umask(0o022)
        try:
            newsfeed.dump(_article(), tmp_path / "a.md")
        finally:
            os.umask(umask)

        assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o644

    def test_failure_mid_write_keeps_old_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A crash after half the bytes are written leaves the old file whole and no temp file."""
        target = tmp_path / "a.md"
        target.write_bytes(NASDAQ.read_bytes())
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, descriptor: int, mode: str) -> None:
                self.file = real_fdopen(descriptor, mode)

            def __enter__(self) -> Self:
                return self

            def __exit__(self, *_: object) -> None:
                self.file.close()

            def fileno(self) -> int:
                return self.file.fileno()

            def write(self, data: bytes) -> int:
                self.file.write(data[: len(data) // 2])
                self.file.flush()
                raise _InterruptedError

        monkeypatch.setattr(os, "fdopen", HalfWriter)

        with pytest.raises(_InterruptedError):
            newsfeed.dump(_article(), target)

        assert target.read_bytes() == NASDAQ.read_bytes()
        assert _only_file(tmp_path) == ["a.md"]

    @pytest.mark.parametrize("step", ["fsync", "replace"])
    def test_failure_before_replace_keeps_old_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
    ) -> None:
        """An OSError while syncing or renaming leaves the old file whole and no temp file."""
        target = tmp_path / "a.md"
        target.write_bytes(NASDAQ.read_bytes())

        def fail(*_: object) -> None:
            raise OSError(28, "No space left on device")

        if step == "fsync":
            monkeypatch.setattr(os, "fsync", fail)
        else:
            monkeypatch.setattr(Path, "replace", fail)

        with pytest.raises(OSError, match="No space left"):
            newsfeed.dump(_article(), target)

        assert target.read_bytes() == NASDAQ.read_bytes()
        assert _only_file(tmp_path) == ["a.md"]

    def test_invalid_article_leaves_file_untouched(self, tmp_path: Path) -> None:
        """An article dumps refuses is not written at all: the old file stays, no temp file."""
        target = tmp_path / "a.md"
        target.write_bytes(NASDAQ.read_bytes())

        with pytest.raises(newsfeed.ValidationError):
            newsfeed.dump(_article(quality="high"), target)

        assert target.read_bytes() == NASDAQ.read_bytes()
        assert _only_file(tmp_path) == ["a.md"]

    def test_errors_name_the_file(self, tmp_path: Path) -> None:
        """A value the format cannot carry is reported with the file: read from, or written to.

        In a dump_dir of thousands of articles, the field alone says nothing
        of which article it was.
        """
        read = tmp_path / "a.md"
        read.write_bytes(NASDAQ.read_bytes())
        edited = attrs.evolve(newsfeed.load(read), title="bad \ud800")
        elsewhere = tmp_path / "b.md"
        new = attrs.evolve(_article(), title="bad \ud800", excerpt="x")

        calls: list[tuple[Callable[[], object], Path]] = [
            (lambda: newsfeed.dumps(edited), read),
            (lambda: newsfeed.dump(edited), read),
            (lambda: newsfeed.dump(edited, elsewhere), elsewhere),
            (lambda: newsfeed.dump_dir([new], tmp_path), tmp_path / "2020-06-11-bad.md"),
        ]
        for call, named in calls:
            with pytest.raises(newsfeed.ValidationError) as caught:
                call()
            assert (caught.value.source, caught.value.field) == (str(named), "title")
            assert str(caught.value).startswith(f"{named}: title: lone surrogate")
        assert sorted(path.name for path in tmp_path.iterdir()) == ["a.md"]

    def test_missing_folder(self, tmp_path: Path) -> None:
        """Writing into a folder that does not exist is an OSError, and creates nothing."""
        with pytest.raises(FileNotFoundError):
            newsfeed.dump(_article(), tmp_path / "missing" / "a.md")

        assert _only_file(tmp_path) == []


class TestDumpsRefuses:
    """dumps raises ValidationError, naming the field, for values the format cannot carry."""

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"published_at": datetime(2020, 6, 11, 12, 2)}, "publishedDateTime"),  # noqa: DTZ001 -- naive on purpose
            ({"published_at": "2020-06-11T12:02:00Z"}, "publishedDateTime"),
            ({"quality": "high"}, "quality"),
            ({"quality": True}, "quality"),
            ({"heat": 1.5}, "heat"),
            ({"published": "false"}, "published"),
            ({"published": 1}, "published"),
            ({"title": None}, "title"),
            ({"title": 5}, "title"),
            ({"web_url": b"https://example.com"}, "webUrl"),
            ({"category": 5}, "category"),
            ({"secured": ["a"]}, "secured"),
            ({"topics": ("AI", 5)}, "topics[1]"),
            ({"provider": "Nasdaq"}, "provider"),
            ({"provider": _bad(newsfeed.Provider, name=5)}, "provider.name"),
            ({"body": None}, "body"),
        ],
    )
    def test_wrong_type(self, changes: dict[str, Any], field: str) -> None:
        """A value of the wrong type is refused with its field, not written as something else."""
        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.dumps(_article(**changes))

        assert caught.value.field == field

    @pytest.mark.parametrize(
        ("related", "field"),
        [
            ({"published_at": datetime(2020, 1, 1)}, "related[1].publishedDateTime"),  # noqa: DTZ001 -- naive on purpose
            ({"quality": "42"}, "related[1].quality"),
            ({"title": None}, "related[1].title"),
            ({"images": ("https://example.com/i.jpg",)}, "related[1].images[0]"),
            ({"images": (_bad(newsfeed.Image, url=None),)}, "related[1].images[0].url"),
            ({"images": (_bad(newsfeed.Image, url="u", width="1"),)}, "related[1].images[0].width"),
            (
                {"images": (_bad(newsfeed.Image, url="u", is_cached=1),)},
                "related[1].images[0].isCached",
            ),
        ],
    )
    def test_wrong_type_in_related(self, related: dict[str, Any], field: str) -> None:
        """A bad value in a related item or image names its path, such as related[1].quality."""
        good = newsfeed.RelatedArticle(title="R", web_url="u", published_at=STAMP)
        with unchecked():
            bad = attrs.evolve(good, **related)

        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.dumps(_article(related=(good, bad)))

        assert caught.value.field == field

    def test_related_of_wrong_class(self) -> None:
        """A related item that is not a RelatedArticle names its index."""
        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.dumps(_article(related=({"title": "R"},)))

        assert caught.value.field == "related[0]"

    def test_offset_with_seconds(self) -> None:
        """A UTC offset with seconds, which YAML cannot write, is refused."""
        odd = timezone(timedelta(hours=1, seconds=30))

        with pytest.raises(newsfeed.ValidationError, match="whole minutes") as caught:
            newsfeed.dumps(_article(published_at=STAMP.replace(tzinfo=odd)))

        assert caught.value.field == "publishedDateTime"

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"title": "lone \ud800 surrogate"}, "title"),
            ({"category": "\udfff"}, "category"),
            ({"topics": ("ok", "\ud83d")}, "topics[1]"),
            ({"provider": newsfeed.Provider(domain="\ud800")}, "provider.domain"),
            ({"extra": {"locale": "\ud800"}}, "locale"),
            ({"extra": {"tags": ["ok", {"k\ud800": 1}]}}, "tags[1].k\ud800"),
            ({"body": "text \ud800"}, "body"),
        ],
    )
    def test_lone_surrogate(self, changes: dict[str, Any], field: str) -> None:
        """Text that is not valid Unicode (a lone surrogate) is refused, naming its field."""
        with pytest.raises(newsfeed.ValidationError, match="surrogate") as caught:
            newsfeed.dumps(_article(**changes))

        assert caught.value.field == field

    def test_lone_surrogate_in_body_not_written(self, tmp_path: Path) -> None:
        """A body with a lone surrogate is refused before anything is written."""
        with pytest.raises(newsfeed.ValidationError):
            newsfeed.dump(_article(body="\udc80"), tmp_path / "a.md")

        assert _only_file(tmp_path) == []

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"extra": {"title": "again"}}, "title"),
            ({"extra": {"publishedDateTime": STAMP}}, "publishedDateTime"),
            ({"provider": newsfeed.Provider(name="P", extra={"name": "Q"})}, "provider.name"),
        ],
    )
    def test_unknown_key_repeating_a_known_one(self, changes: dict[str, Any], field: str) -> None:
        """An extra key that names a field of the model is refused: the file would repeat it."""
        with pytest.raises(newsfeed.ValidationError, match="repeats") as caught:
            newsfeed.dumps(_article(**changes))

        assert caught.value.field == field

    def test_unknown_key_repeating_a_known_one_nested(self) -> None:
        """The same holds in related items and images."""
        image = newsfeed.Image(url="u", extra={"isCached": True})
        item = newsfeed.RelatedArticle(title="R", web_url="u", published_at=STAMP, images=(image,))

        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.dumps(_article(related=(item,)))

        assert caught.value.field == "related[0].images[0].isCached"

    @pytest.mark.parametrize(
        ("extra", "field"),
        [
            ({"when": {1, 2}}, "when"),
            ({"nested": {"deeper": [object()]}}, "nested.deeper[0]"),
            ({"raw": b"bytes"}, "raw"),
            ({"tags": [{5: "non-string key"}]}, "tags[0].5"),
        ],
    )
    def test_unknown_value_yaml_cannot_hold(self, extra: dict[str, Any], field: str) -> None:
        """An unknown key's value of a type YAML's safe subset lacks is refused, naming it."""
        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.dumps(_article(extra=extra))

        assert caught.value.field == field

    def test_integer_too_long_to_print(self) -> None:
        """An integer too long for Python to print is refused, naming its field."""
        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.dumps(_article(quality=10**5000))

        assert caught.value.field == "quality"


class TestDumpsWrites:
    """What dumps writes for values the samples do not show."""

    def test_unknown_scalars(self) -> None:
        """Unknown keys' scalars are written in YAML's canonical spelling and read back alike."""
        extra: dict[str, object] = {
            "none": None,
            "yes": True,
            "no": False,
            "int": -12,
            "float": 0.5,
            "exp": 1e20,
            "tiny": 5e-324,
            "inf": float("inf"),
            "ninf": float("-inf"),
            "day": datetime(2020, 1, 2, tzinfo=UTC).date(),
            "naive": datetime(2020, 1, 2, 3, 4, 5),  # noqa: DTZ001 -- an unknown key may hold one
            "aware": datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=-7))),
            "text": "true",
            "empty list": [],
            "empty map": {},
        }
        text = newsfeed.dumps(_article(extra=extra))

        assert text.endswith(
            "\n"
            "none: null\n"
            '"yes": true\n'
            '"no": false\n'
            "int: -12\n"
            "float: 0.5\n"
            "exp: 1.0e+20\n"
            "tiny: 5.0e-324\n"
            "inf: .inf\n"
            "ninf: -.inf\n"
            "day: 2020-01-02\n"
            "naive: 2020-01-02T03:04:05\n"
            "aware: 2020-01-02T03:04:05-07:00\n"
            'text: "true"\n'
            "empty list: []\n"
            "empty map: {}\n"
            "---\n\n"
        )
        assert newsfeed.loads(text).extra == extra

    def test_nan(self) -> None:
        """NaN among unknown keys is written as .nan and read back as NaN."""
        value = newsfeed.loads(newsfeed.dumps(_article(extra={"x": float("nan")}))).extra["x"]

        assert value != value  # noqa: PLR0124 -- NaN is the one value unequal to itself

    def test_nested_unknown_values(self) -> None:
        """Nested lists and mappings are written as blocks, mappings in lists after the dash."""
        extra = {"tags": [{"name": "a", "ids": [1, 2]}, ["x", []], {}], "m": {"k": {"j": None}}}

        text = newsfeed.dumps(_article(extra=extra))

        assert text.endswith(
            "\n"
            "tags:\n"
            "  - name: a\n"
            "    ids:\n"
            "      - 1\n"
            "      - 2\n"
            "  - - x\n"
            "    - []\n"
            "  - {}\n"
            "m:\n"
            "  k:\n"
            "    j: null\n"
            "---\n\n"
        )
        assert newsfeed.loads(text).extra == extra

    @pytest.mark.parametrize(
        ("key", "written"),
        [
            ("k" * 1024, "k" * 1024 + ": 1\n"),
            ("k" * 1025, "? " + "k" * 1025 + "\n: 1\n"),
            ("a: " + "b" * 1019, '"a: ' + "b" * 1019 + '": 1\n'),
            ("a: " + "b" * 1020, '? "a: ' + "b" * 1020 + '"\n: 1\n'),
        ],
        ids=["1024 plain", "1025 plain", "1024 quoted", "1025 quoted"],
    )
    def test_long_key(self, key: str, written: str) -> None:
        """A key longer than YAML's 1024-character limit on implicit keys is written explicitly."""
        text = newsfeed.dumps(_article(extra={key: 1}))

        assert text.endswith("\n\n" + written + "---\n\n")
        assert newsfeed.loads(text).extra == {key: 1}

    def test_long_keys_nested(self) -> None:
        """Explicit keys work in nested mappings and in mappings inside lists."""
        key = "k" * 1100
        extra = {"tags": [{key: "v", "y": 2}, {key: {"z": [key]}}], key: {key: [[{key: []}]]}}
        text = newsfeed.dumps(_article(extra=extra))

        assert "  - ? " + key + "\n    : v\n" in text
        assert newsfeed.loads(text).extra == extra
        assert newsfeed.dumps(newsfeed.loads(text)) == text

    @pytest.mark.parametrize("key", ["... x", "...", "...\tx", "--- x", "%YAML 1.1", "# x"])
    def test_top_level_key_like_a_marker(self, key: str) -> None:
        """A top-level key that would read as a document marker or comment is quoted."""
        text = newsfeed.dumps(_article(extra={key: 1}))

        assert newsfeed.loads(text).extra == {key: 1}
        assert f"\n{key}: 1\n" not in text

    def test_empty_provider(self) -> None:
        """A provider with nothing in it is written as an empty mapping and read back."""
        article = _article(provider=newsfeed.Provider())
        text = newsfeed.dumps(article)

        assert "\nprovider: {}\n" in text
        assert newsfeed.loads(text) == article

    def test_escapes(self) -> None:
        """Inside double quotes only what YAML needs is escaped; the rest is written as is."""
        title = 'q" b\\ t\t n\n nul\x00 bel\x07 esc\x1b del\x7f nel\x85 ls\u2028 bom\ufeff'
        kept = "\u2019\u201c\u00e9中😀"

        text = newsfeed.dumps(_article(title=title + kept))

        escaped = 'q\\" b\\\\ t\\t n\\n nul\\0 bel\\a esc\\e del\\x7f nel\\N ls\\L bom\\ufeff'
        assert f'title: "{escaped}{kept}"\n' in text
        assert newsfeed.loads(text).title == title + kept

    def test_no_wrapping(self) -> None:
        """A very long title stays on one line."""
        title = "word " * 1000

        text = newsfeed.dumps(_article(title=title))

        assert f'title: "{title}"\n' in text

    def test_offset_written_as_is(self) -> None:
        """published_at keeps its own offset; UTC is written as Z."""
        for offset, suffix in [
            (timedelta(hours=-7), "-07:00"),
            (timedelta(hours=5, minutes=30), "+05:30"),
            (timedelta(hours=-3, minutes=-30), "-03:30"),
            (timedelta(0), "Z"),
        ]:
            stamp = STAMP.replace(tzinfo=timezone(offset))
            text = newsfeed.dumps(_article(published_at=stamp))

            assert f"publishedDateTime: 2020-06-11T12:02:00{suffix}\n" in text
