"""Where dump writes: through links, not over read-only files or hard links, no leftovers."""

from __future__ import annotations

import os
import re
import stat
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

import newsfeed
from newsfeed._files import writing as _write

STAMP = datetime(2020, 6, 11, 12, 2, tzinfo=UTC)
OLD = b"old text\n"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files")


def _article(**changes: Any) -> newsfeed.Article:
    article = newsfeed.Article(title="T", web_url="https://example.com/t", published_at=STAMP)
    return attrs.evolve(article, **changes)


def _written() -> bytes:
    return newsfeed.dumps(_article()).encode("utf-8")


@pytest.fixture(autouse=True)
def _fresh_cleanup_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget which folders this process cleaned of leftovers, so each test starts afresh."""
    monkeypatch.setattr(_write, "_cleaned_at", {}, raising=False)


class TestSymlinks:
    """Issue 11, item 7: dump onto a link writes through it, atomically, and keeps the link."""

    def test_writes_through_the_link(self, tmp_path: Path) -> None:
        """The file the link leads to gets the text; the link stays a link; no temp file is left."""
        (tmp_path / "real").mkdir()
        (tmp_path / "links").mkdir()
        real = tmp_path / "real" / "a.md"
        real.write_bytes(OLD)
        link = tmp_path / "links" / "a.md"
        link.symlink_to(real)

        newsfeed.dump(_article(), link)

        assert link.is_symlink()
        assert link.readlink() == real
        assert real.read_bytes() == _written()
        assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["a.md"]
        assert sorted(p.name for p in (tmp_path / "links").iterdir()) == ["a.md"]

    def test_link_to_a_link(self, tmp_path: Path) -> None:
        """A chain of links is followed to its end."""
        real = tmp_path / "real.md"
        real.write_bytes(OLD)
        (tmp_path / "one.md").symlink_to(real)
        (tmp_path / "two.md").symlink_to(tmp_path / "one.md")

        newsfeed.dump(_article(), tmp_path / "two.md")

        assert (tmp_path / "two.md").is_symlink()
        assert (tmp_path / "one.md").is_symlink()
        assert real.read_bytes() == _written()

    def test_loop_of_links_is_an_os_error(self, tmp_path: Path) -> None:
        """A loop of links is refused as the system refuses it (ELOOP), not as a RuntimeError."""
        (tmp_path / "a.md").symlink_to("b.md")
        (tmp_path / "b.md").symlink_to("a.md")
        with pytest.raises(OSError, match="symbolic links") as raised:
            newsfeed.dump(_article(), tmp_path / "a.md")
        assert raised.value.filename == str(tmp_path / "a.md")
        assert (tmp_path / "a.md").is_symlink()

    def test_dangling_link_creates_its_target(self, tmp_path: Path) -> None:
        """A link to a file not yet there: the file is created where it points."""
        (tmp_path / "a.md").symlink_to(tmp_path / "target.md")
        newsfeed.dump(_article(), tmp_path / "a.md")
        assert (tmp_path / "a.md").is_symlink()
        assert (tmp_path / "target.md").read_bytes() == _written()


@posix_only
class TestFolderPaths:
    """A path that names a folder is refused, as open() refuses it."""

    @pytest.mark.parametrize("exists", [False, True], ids=["new", "existing"])
    @pytest.mark.parametrize("tail", [os.sep, f"{os.sep}.", f"{os.sep}{os.sep}"])
    def test_a_trailing_slash(self, tmp_path: Path, exists: bool, tail: str) -> None:
        """`x.md/` and `x.md/.` name a folder: no file x.md is made or replaced."""
        target = tmp_path / "x.md"
        if exists:
            target.write_bytes(OLD)

        with pytest.raises(IsADirectoryError, match="names a folder"):
            newsfeed.dump(_article(), f"{target}{tail}")

        assert sorted(tmp_path.iterdir()) == ([target] if exists else [])
        if exists:
            assert target.read_bytes() == OLD


class TestReadOnlyTargets:
    """Issue 11, item 8: a read-only file is refused unless overwrite_readonly=True."""

    def test_refused(self, tmp_path: Path) -> None:
        """A file without write permission is left as it is, with a PermissionError."""
        target = tmp_path / "a.md"
        target.write_bytes(OLD)
        target.chmod(0o444)

        with pytest.raises(PermissionError, match="read-only; pass overwrite_readonly=True") as e:
            newsfeed.dump(_article(), target)

        assert e.value.filename == str(target)
        assert target.read_bytes() == OLD
        assert [p.name for p in tmp_path.iterdir()] == ["a.md"]

    def test_replaced_when_asked(self, tmp_path: Path) -> None:
        """overwrite_readonly=True replaces it, and it stays read-only."""
        target = tmp_path / "a.md"
        target.write_bytes(OLD)
        target.chmod(0o444)

        newsfeed.dump(_article(), target, overwrite_readonly=True)

        assert target.read_bytes() == _written()
        assert stat.S_IMODE(target.stat().st_mode) == 0o444

    def test_not_writable_by_us(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file we may not write (someone else's) counts as read-only though it has write bits."""
        target = tmp_path / "a.md"
        target.write_bytes(OLD)
        monkeypatch.setattr("newsfeed._files.writing.os.access", lambda *_args, **_kwargs: False)
        with pytest.raises(PermissionError, match="read-only"):
            newsfeed.dump(_article(), target)
        assert target.read_bytes() == OLD


@posix_only
class TestHardLinks:
    """Issue 11, item 8: a file with several hard links is refused unless told what to do."""

    @pytest.fixture
    def names(self, tmp_path: Path) -> tuple[Path, Path]:
        """Return two names of one file."""
        first = tmp_path / "a.md"
        first.write_bytes(OLD)
        second = tmp_path / "b.md"
        second.hardlink_to(first)
        return first, second

    def test_refused(self, names: tuple[Path, Path]) -> None:
        """By default, nothing is written and the error says how to choose."""
        first, second = names
        with pytest.raises(OSError, match="2 hard links; pass hard_links='split'"):
            newsfeed.dump(_article(), first)
        assert first.read_bytes() == second.read_bytes() == OLD
        assert first.stat().st_ino == second.stat().st_ino

    def test_split(self, names: tuple[Path, Path]) -> None:
        """hard_links='split' replaces this name only; the other keeps the old text."""
        first, second = names
        newsfeed.dump(_article(), first, hard_links="split")
        assert first.read_bytes() == _written()
        assert second.read_bytes() == OLD
        assert first.stat().st_nlink == second.stat().st_nlink == 1

    def test_in_place(self, names: tuple[Path, Path]) -> None:
        """hard_links='in_place' rewrites the file itself: every name sees the new text."""
        first, second = names
        first.write_bytes(OLD * 1000)  # longer than the new text: the rest is cut
        newsfeed.dump(_article(), first, hard_links="in_place")
        assert first.read_bytes() == second.read_bytes() == _written()
        assert first.stat().st_ino == second.stat().st_ino

    def test_bad_choice(self, names: tuple[Path, Path]) -> None:
        """An unknown hard_links value is a ValueError, before anything is written."""
        with pytest.raises(ValueError, match="hard_links must be"):
            newsfeed.dump(_article(), names[0], hard_links="copy")  # type: ignore[arg-type]  # tested


@posix_only
class TestOwnerKept:
    """Issue 11, item 8: the replaced file keeps its owner and group where possible."""

    @pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
    def test_as_root(self, tmp_path: Path) -> None:
        """Run by root, dump keeps another user's file theirs."""
        target = tmp_path / "a.md"
        target.write_bytes(OLD)
        os.chown(target, 12345, 23456)
        target.chmod(0o640)

        newsfeed.dump(_article(), target)

        info = target.stat()
        assert (info.st_uid, info.st_gid) == (12345, 23456)
        assert stat.S_IMODE(info.st_mode) == 0o640
        assert target.read_bytes() == _written()

    def test_not_allowed_to_give_away(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Where the owner cannot be kept, the group is tried, and the file is written anyway."""
        target = tmp_path / "a.md"
        target.write_bytes(OLD)
        calls: list[tuple[int, int]] = []

        def fstat(descriptor: int) -> os.stat_result:
            info = real_fstat(descriptor)
            return os.stat_result((info.st_mode, *tuple(info)[1:4], 999, 998, *tuple(info)[6:]))

        def fchown(_descriptor: int, uid: int, gid: int) -> None:
            calls.append((uid, gid))
            raise PermissionError(1, "Operation not permitted")

        real_fstat = os.fstat
        monkeypatch.setattr("newsfeed._files.writing.os.fstat", fstat)
        monkeypatch.setattr("newsfeed._files.writing.os.fchown", fchown)
        newsfeed.dump(_article(), target)

        info = target.stat()
        assert calls == [(info.st_uid, info.st_gid), (-1, info.st_gid)]
        assert target.read_bytes() == _written()


TEMPORARY = re.compile(r"\.~nf-[0-9a-z]{6}\.tmp")


@posix_only
class TestPrivateFiles:
    """Replacing a private file never shows its new text to others, even for a moment."""

    def test_mode_set_before_the_text_is_written(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The temporary file is private from the start, and empty until it has the mode."""
        target = tmp_path / "secret.md"
        target.write_bytes(OLD)
        target.chmod(0o600)
        seen: list[tuple[int, int]] = []
        real = _write._keep_owner_and_mode

        def spy(descriptor: int, existing: os.stat_result) -> None:
            status = os.fstat(descriptor)
            seen.append((stat.S_IMODE(status.st_mode) & 0o077, status.st_size))
            real(descriptor, existing)

        monkeypatch.setattr(_write, "_keep_owner_and_mode", spy)
        newsfeed.dump(_article(), target)
        assert seen == [(0, 0)]
        assert stat.S_IMODE(target.stat().st_mode) == 0o600


class TestTemporaryFiles:
    """Issue 11, item 13: short, recognisable temporary names; leftovers cleaned, others kept."""

    def test_name(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The temporary file is .~nf-XXXXXX.tmp, 15 bytes, in the target's folder."""
        seen: list[Path] = []
        real_replace = Path.replace

        def replace(self: Path, target: Path) -> Path:
            seen.append(self)
            return real_replace(self, target)

        monkeypatch.setattr(Path, "replace", replace)
        newsfeed.dump(_article(), tmp_path / ("x" * 200 + ".md"))

        (temporary,) = seen
        assert temporary.parent == tmp_path
        assert TEMPORARY.fullmatch(temporary.name)
        assert len(temporary.name) == 15

    def test_longest_legal_name(self, tmp_path: Path) -> None:
        """A 255-byte file name, the usual limit, can be written."""
        target = tmp_path / ("a" * 252 + ".md")
        newsfeed.dump(_article(), target)
        assert newsfeed.load(target) == _article()

    @posix_only
    def test_stale_leftovers_removed_and_nothing_else(self, tmp_path: Path) -> None:
        """Only dump's own names, regular files, older than 15 minutes, are removed."""
        hour_ago = time.time() - 3600
        (tmp_path / "keep.txt").write_bytes(b"x")
        names = {
            ".~nf-aaaaaa.tmp": "stale",
            ".~nf-bbbbbb.tmp": "fresh",
            ".~nf-aaaaa.tmp": "too short",
            ".~nf-AAAAAA.tmp": "capitals",
            "x.~nf-aaaaaa.tmp": "a prefix",
            ".~nf-aaaaaa.tmp.bak": "a suffix",
            "notes.tmp": "another name",
        }
        for name, what in names.items():
            (tmp_path / name).write_text(what, encoding="utf-8")
            if what != "fresh":
                os.utime(tmp_path / name, (hour_ago, hour_ago))
        (tmp_path / ".~nf-cccccc.tmp").symlink_to(tmp_path / "keep.txt")
        (tmp_path / ".~nf-dddddd.tmp").mkdir()
        os.utime(tmp_path / ".~nf-dddddd.tmp", (hour_ago, hour_ago))
        os.utime(tmp_path / "keep.txt", (hour_ago, hour_ago))

        newsfeed.dump(_article(), tmp_path / "a.md")

        left = sorted(path.name for path in tmp_path.iterdir())
        expected = sorted({*names, ".~nf-cccccc.tmp", ".~nf-dddddd.tmp", "keep.txt", "a.md"})
        expected.remove(".~nf-aaaaaa.tmp")
        assert left == expected

    def test_folder_listed_once_in_a_while(self, tmp_path: Path) -> None:
        """Dumping many files into one folder lists it for leftovers once, not every time."""
        newsfeed.dump(_article(), tmp_path / "a.md")
        stale = tmp_path / ".~nf-eeeeee.tmp"
        stale.write_bytes(b"x")
        os.utime(stale, (0, 0))
        newsfeed.dump(_article(), tmp_path / "b.md")
        assert stale.exists()
        _write._cleaned_at.clear()
        newsfeed.dump(_article(), tmp_path / "c.md")
        assert not stale.exists()


class TestDumpTargetErrors:
    """Issue 12: dump() writes back to article.path; errors name the target, never the temp file."""

    def test_back_to_its_path(self, tmp_path: Path) -> None:
        """Without a path, dump writes to the file the article was read from."""
        target = tmp_path / "a.md"
        newsfeed.dump(_article(quality=1), target)
        article = newsfeed.load(target)
        newsfeed.dump(attrs.evolve(article, quality=2))
        assert newsfeed.load(target).quality == 2

    def test_no_path_at_all(self) -> None:
        """An article built in code has no path: a clear ValueError."""
        with pytest.raises(ValueError, match=r"needs a path: this article has none"):
            newsfeed.dump(_article())

    def test_a_folder(self, tmp_path: Path) -> None:
        """dump(article, folder) says the target is a folder, and names it."""
        with pytest.raises(IsADirectoryError, match="is a folder; give the path of a file") as e:
            newsfeed.dump(_article(), tmp_path)
        assert e.value.filename == str(tmp_path)
        assert ".~nf-" not in str(e.value)
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
    def test_a_fifo(self, tmp_path: Path) -> None:
        """A FIFO is not replaced by a regular file."""
        os.mkfifo(tmp_path / "a.md")
        with pytest.raises(OSError, match="not a regular file"):
            newsfeed.dump(_article(), tmp_path / "a.md")
        assert stat.S_ISFIFO((tmp_path / "a.md").stat().st_mode)

    def test_missing_folder(self, tmp_path: Path) -> None:
        """A missing folder is a FileNotFoundError naming the target, not the temporary file."""
        target = tmp_path / "missing" / "a.md"
        with pytest.raises(FileNotFoundError) as e:
            newsfeed.dump(_article(), target)
        assert e.value.filename == str(target)
        assert ".~nf-" not in str(e.value)

    def test_folder_not_writable(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Permission denied on the temporary file is reported about the target."""

        def refuse(path: Path, *_: object) -> int:
            raise PermissionError(13, "Permission denied", os.fspath(path))

        monkeypatch.setattr("newsfeed._files.writing.os.open", refuse)
        with pytest.raises(PermissionError) as e:
            newsfeed.dump(_article(), tmp_path / "a.md")
        assert e.value.filename == str(tmp_path / "a.md")
        assert ".~nf-" not in str(e.value)

    def test_failing_replace(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An error in the final rename names the target only, and leaves no temporary file."""

        def fail(self: Path, target: Path) -> Path:
            raise OSError(18, "Invalid cross-device link", str(self), str(target))

        monkeypatch.setattr(Path, "replace", fail)
        with pytest.raises(OSError, match="cross-device") as e:
            newsfeed.dump(_article(), tmp_path / "a.md")
        assert (e.value.filename, e.value.filename2) == (str(tmp_path / "a.md"), None)
        assert ".~nf-" not in str(e.value)
        assert list(tmp_path.iterdir()) == []

    def test_path_through_a_file(self, tmp_path: Path) -> None:
        """A path that goes through a file is a NotADirectoryError naming the path given."""
        (tmp_path / "file.md").write_bytes(OLD)
        target = tmp_path / "file.md" / "a.md"
        with pytest.raises(NotADirectoryError) as e:
            newsfeed.dump(_article(), target)
        assert e.value.filename == str(target)

    @posix_only
    def test_in_place_failure_names_the_target(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An error rewriting a hard-linked file in place names the path given."""
        target = tmp_path / "a.md"
        target.write_bytes(OLD)
        (tmp_path / "b.md").hardlink_to(target)

        def refuse(path: Path, *_: object) -> int:
            raise OSError(5, "Input/output error", os.fspath(path))

        monkeypatch.setattr("newsfeed._files.writing.os.open", refuse)
        with pytest.raises(OSError, match="Input/output error") as e:
            newsfeed.dump(_article(), tmp_path / "b.md", hard_links="in_place")
        assert e.value.filename == str(tmp_path / "b.md")
        assert target.read_bytes() == OLD


class TestCleanupMemory:
    """Which folders were cleaned is remembered within bounds."""

    def test_bounded(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Past its size, the memory of cleaned folders starts afresh rather than growing."""
        monkeypatch.setattr(_write, "_CLEANED_FOLDERS_KEPT", 2)
        for name in ["a", "b", "c"]:
            (tmp_path / name).mkdir()
            newsfeed.dump(_article(), tmp_path / name / "x.md")
        assert list(_write._cleaned_at) == [str(tmp_path / "c")]

    def test_error_naming_no_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An OSError that names no file is passed on as it is."""
        failure = OSError("the disk is on fire")

        def fail(*_: object) -> None:
            raise failure

        monkeypatch.setattr("newsfeed._files.writing.os.fsync", fail)
        with pytest.raises(OSError, match="the disk is on fire") as e:
            newsfeed.dump(_article(), tmp_path / "a.md")
        assert e.value is failure
        assert list(tmp_path.iterdir()) == []
