"""The console sessions of docs/cli.md print what the program prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from newsfeed._cli.main import main

ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "cli.md"
#: The terminal width the page's sessions are shown in.
PAGE_WIDTH = 100
_CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def sessions() -> list[tuple[str, str]]:
    """Return each console block of the page as (command line, expected output)."""
    found = []
    for block in _CONSOLE_BLOCK.findall(PAGE.read_text(encoding="utf-8")):
        command, _, output = block.partition("\n")
        found.append((command, output))
    return found


class TestDocumentedSessions:
    """Each `$ newsfeed ...` block of the CLI page, run from the repository root."""

    def test_page_has_sessions(self) -> None:
        """The page shows every command at work, so this check has something to check."""
        commands = {shlex.split(command)[2] for command, _ in sessions()}
        assert commands >= {"check", "fmt", "ls", "stats"}

    @pytest.mark.parametrize(("command", "expected"), sessions())
    def test_session(
        self,
        command: str,
        expected: str,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """The command exits 0 and prints the block's output (stdout, then stderr).

        The page shows a terminal 100 columns wide.
        """
        prompt, program, *args = shlex.split(command)
        assert (prompt, program) == ("$", "newsfeed")
        monkeypatch.chdir(ROOT)
        monkeypatch.setenv("COLUMNS", str(PAGE_WIDTH))

        assert main(args) == 0

        out, err = capsys.readouterr()
        assert out + err == expected
