"""The `newsfeed` program itself: entry points, help with examples, version, exit codes, hooks."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

import newsfeed
from cli_support import NASDAQ, copy_fixtures, lines, run, run_program
from newsfeed._cli.main import main

ROOT = Path(__file__).parent.parent
COMMANDS = ("check", "fmt", "ls", "stats")


def console_script() -> Path:
    """Return the `newsfeed` script pip installed beside this interpreter."""
    folder = Path(sys.executable).parent
    script = folder / ("newsfeed.exe" if sys.platform == "win32" else "newsfeed")
    assert script.exists(), f"no newsfeed console script in {folder}: pip install -e . first"
    return script


class TestEntryPoints:
    """The two ways to start the program, run as a user would."""

    def test_console_script_runs_check(self, tmp_path: Path) -> None:
        """The installed `newsfeed` script checks files and exits with the command's code."""
        copy_fixtures(tmp_path)
        (tmp_path / "bad.md").write_text("oops\n", encoding="utf-8")

        result = run_program([str(console_script())], "check", ".", cwd=tmp_path)

        assert result.returncode == 1
        assert result.stdout == "bad.md:1: the file must start with a '---' line\n"
        assert result.stderr == "1 problem in 3 files checked\n"

    def test_console_script_version(self, tmp_path: Path) -> None:
        """`newsfeed --version` prints the installed version."""
        result = run_program([str(console_script())], "--version", cwd=tmp_path)

        assert result.returncode == 0
        assert result.stdout == f"newsfeed {newsfeed.__version__}\n"

    def test_python_m_help(self, tmp_path: Path) -> None:
        """`python -m newsfeed --help` names every command and shows examples."""
        result = run("--help", cwd=tmp_path)

        assert result.returncode == 0
        assert result.stdout.startswith("usage: newsfeed [-h] [--version] COMMAND ...")
        assert "examples:\n  newsfeed check articles/\n" in result.stdout
        for command in COMMANDS:
            assert f"\n    {command} " in result.stdout

    @pytest.mark.parametrize("command", COMMANDS)
    def test_every_command_help_has_an_example(self, tmp_path: Path, command: str) -> None:
        """`newsfeed COMMAND --help` ends with examples that run that command."""
        result = run(command, "--help", cwd=tmp_path)

        assert result.returncode == 0
        assert result.stdout.startswith(f"usage: newsfeed {command} ")
        examples = result.stdout.split("\nexamples:\n", 1)[1]
        assert lines(examples)
        assert all(line.startswith(f"  newsfeed {command} ") for line in lines(examples))

    def test_no_command_is_a_usage_error(self, tmp_path: Path) -> None:
        """Without a command the program prints its usage and exits 2."""
        result = run(cwd=tmp_path)

        assert result.returncode == 2
        assert result.stdout == ""
        assert lines(result.stderr) == [
            "usage: newsfeed [-h] [--version] COMMAND ...",
            "newsfeed: error: the following arguments are required: COMMAND",
        ]

    def test_closed_pipe_ends_quietly(self, tmp_path: Path) -> None:
        """A reader that leaves early (`newsfeed ls | head -1`) gets no traceback; the exit is 0."""
        text = (ROOT / "tests" / "fixtures" / NASDAQ).read_bytes()
        for index in range(400):
            (tmp_path / f"{index:03d}.md").write_bytes(text)
        command = [sys.executable, "-m", "newsfeed", "ls", ".", "--format", "json"]
        whole = subprocess.run(  # noqa: S603 -- our own interpreter and arguments, no shell
            command, cwd=tmp_path, capture_output=True, check=True
        ).stdout
        # More output than a pipe buffers, so the writer is still writing when the reader leaves.
        assert len(whole) > 4 * 65536
        process = subprocess.Popen(  # noqa: S603 -- our own interpreter and arguments, no shell
            command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None
        first = process.stdout.readline()
        process.stdout.close()
        _, err = process.communicate(timeout=120)

        assert first == b"[\n"
        assert process.returncode == 0
        assert err == b""


class TestMainInProcess:
    """`main()` returns exit codes rather than exiting."""

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`--version` returns 0 after printing the version."""
        assert main(["--version"]) == 0

        assert capsys.readouterr().out == f"newsfeed {newsfeed.__version__}\n"

    def test_unknown_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown command returns 2 with argparse's message."""
        assert main(["frobnicate"]) == 2

        assert "invalid choice: 'frobnicate'" in capsys.readouterr().err

    def test_python_m_runs_main(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """`python -m newsfeed` exits with main's code (here 0, for a clean file)."""
        copy_fixtures(tmp_path)
        monkeypatch.setattr(sys, "argv", ["newsfeed", "check", str(tmp_path / NASDAQ)])

        with pytest.raises(SystemExit) as exit_info:
            runpy.run_module("newsfeed", run_name="__main__")

        assert exit_info.value.code == 0
        assert capsys.readouterr().err == "1 file checked, no problems\n"

    def test_importing_main_module_runs_nothing(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`import newsfeed.__main__` (as tools that scan modules do) does not start the program."""
        runpy.run_module("newsfeed.__main__", run_name="newsfeed.__main__")

        assert capsys.readouterr() == ("", "")


class TestPreCommitHooks:
    """`.pre-commit-hooks.yaml` exposes the two hooks a content repository needs."""

    def test_hooks(self) -> None:
        """newsfeed-check and newsfeed-fmt run the console script on Markdown files."""
        hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))

        by_id = {hook["id"]: hook for hook in hooks}
        assert set(by_id) == {"newsfeed-check", "newsfeed-fmt"}
        for command in ("check", "fmt"):
            hook = by_id[f"newsfeed-{command}"]
            assert hook["entry"] == f"newsfeed {command}"
            assert hook["language"] == "python"
            assert hook["files"] == r"\.md$"

    @pytest.mark.parametrize("hook_id", ["newsfeed-check", "newsfeed-fmt"])
    @pytest.mark.parametrize(
        ("path", "selected"),
        [
            ("README.md", False),
            ("readme.md", False),
            ("docs/Readme.md", False),
            ("articles/2020/CHANGELOG.md", False),
            ("CONTRIBUTING.md", False),
            ("contributing.md", False),
            ("articles/2020-06-11-amazon.md", True),
            ("articles/readme-of-the-week.md", True),
            ("articles/my-changelog.md", True),
            ("README.txt", False),
            ("notes.md.bak", False),
        ],
    )
    def test_default_exclude(self, hook_id: str, path: str, *, selected: bool) -> None:
        """README, CHANGELOG and CONTRIBUTING files in any folder and case are not passed on.

        pre-commit passes a staged file when `files` matches it and `exclude`
        does not, both with `re.search` on its path from the repository root.
        """
        hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
        hook = next(hook for hook in hooks if hook["id"] == hook_id)

        passed = bool(re.search(hook["files"], path)) and not re.search(hook["exclude"], path)

        assert passed is selected

    def test_entry_is_the_console_script(self) -> None:
        """The hooks' `newsfeed` is the script pyproject.toml installs."""
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

        assert project["project"]["scripts"] == {"newsfeed": "newsfeed._cli.main:main"}
