"""The console sessions of docs/cli.md print what the program prints, and exit as they show."""

from __future__ import annotations

import importlib.metadata
import re
import shlex
from pathlib import Path
from typing import NamedTuple

import pytest

from newsfeed._cli.main import main

ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "cli.md"
#: The terminal width the page's sessions are shown in.
PAGE_WIDTH = 100
_CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.DOTALL | re.MULTILINE)
#: A command line that shows the exit status of the command before it, as a shell does.
_SHOW_STATUS = "$ echo $?"


class Session(NamedTuple):
    """One command of the page: its line, what it prints, and its exit status."""

    command: str
    expected: str
    status: int = 0


def sessions(page: str) -> list[Session]:
    """Return each command of the console blocks of *page*, with its output and exit status.

    A block holds one or more commands, each a line starting with ``$ `` and
    followed by its output. A command followed by ``$ echo $?`` exits with
    the status that prints; any other command exits 0.
    """
    found: list[Session] = []
    for block in _CONSOLE_BLOCK.findall(page):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.MULTILINE):
            command, _, output = chunk.partition("\n")
            if command == _SHOW_STATUS:
                found[-1] = found[-1]._replace(status=int(output))
            elif command:
                found.append(Session(command, output))
    return found


PAGE_SESSIONS = sessions(PAGE.read_text(encoding="utf-8"))


class TestDocumentedSessions:
    """Each `$ newsfeed ...` command of the CLI page, run from the repository root."""

    def test_page_has_sessions(self) -> None:
        """The page shows every command at work, and a failing one, so there is much to check."""
        commands = {shlex.split(session.command)[2] for session in PAGE_SESSIONS}
        assert commands >= {"check", "fmt", "ls", "stats", "search"}
        assert any(session.status != 0 for session in PAGE_SESSIONS)

    @pytest.mark.parametrize(
        "session", PAGE_SESSIONS, ids=[session.command[2:60] for session in PAGE_SESSIONS]
    )
    def test_session(
        self,
        session: Session,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
    ) -> None:
        """The command exits as shown (0 unless the page shows otherwise) and prints the output.

        The output is stdout, then stderr; the page shows a terminal 100 columns wide.
        """
        prompt, program, *args = shlex.split(session.command)
        assert (prompt, program) == ("$", "newsfeed")
        monkeypatch.chdir(ROOT)
        monkeypatch.setenv("COLUMNS", str(PAGE_WIDTH))
        # `search` keeps its index in the cache folder: a fresh one for each session.
        monkeypatch.setenv("NEWSFEED_CACHE_DIR", str(tmp_path))

        assert main(args) == session.status

        out, err = capsys.readouterr()
        assert out + err == session.expected


class TestSessions:
    """How the page's blocks are read."""

    def test_a_status_belongs_to_the_command_before_it(self) -> None:
        """`$ echo $?` sets the status of the command it follows; other commands exit 0."""
        page = (
            "Text.\n\n```console\n$ newsfeed fmt --check a\nwould reformat a\n$ echo $?\n1\n"
            "$ newsfeed check a\n1 file checked, no problems\n```\n\n"
            "```text\n$ newsfeed ls b\n```\n"
        )

        assert sessions(page) == [
            Session("$ newsfeed fmt --check a", "would reformat a\n", 1),
            Session("$ newsfeed check a", "1 file checked, no problems\n", 0),
        ]


class TestReleaseTag:
    """The pre-commit example names a release that exists: the version's tag."""

    def test_rev_is_the_version_tag(self) -> None:
        """docs/cli.md's ``rev:`` is v + the package version; the changelog has that release."""
        version = importlib.metadata.version("newsfeed-articles")
        page = PAGE.read_text(encoding="utf-8")
        assert re.findall(r"^\s+rev: (\S+)", page, flags=re.MULTILINE) == [f"v{version}"]
        changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
        release = rf"^## \[{re.escape(version)}\] - \d{{4}}-\d\d-\d\d$"
        assert re.search(release, changelog, flags=re.MULTILINE)
