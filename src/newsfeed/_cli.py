"""The ``newsfeed`` command line: argument parsing and dispatch.

The commands themselves live in :mod:`newsfeed._cli_commands`; this module
only turns ``argv`` into their typed arguments. Exit codes: 0 when all is
well, 1 when a file has a problem (or ``fmt --check`` would change one),
2 for bad arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from textwrap import dedent, indent

from newsfeed import _cli_commands as commands

__all__ = ["main", "parser"]

EXIT_USAGE = 2


def _existing_path(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file or folder: {text!r}")
    return path


def _subparser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    summary: str,
    description: str,
    examples: str,
) -> argparse.ArgumentParser:
    command = subparsers.add_parser(
        name,
        help=summary,
        description=dedent(description).strip(),
        epilog="examples:\n" + indent(dedent(examples).strip("\n"), "  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "paths",
        metavar="PATH",
        nargs="+",
        type=_existing_path,
        help="an article file, or a folder searched for **/*.md",
    )
    return command


def _add_check(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = _subparser(
        subparsers,
        "check",
        summary="validate article files and report every problem",
        description="""
            Load every file and print one line per file that fails:
            file:line: field: message (the line or the field is left out
            when unknown). A summary goes to stderr. Exits 1 if any file
            has a problem, 0 otherwise.
        """,
        examples="""
            newsfeed check articles/
            newsfeed check articles/2020-06-11-amazon.md drafts/
            newsfeed check --format json articles/ > problems.json
        """,
    )
    command.add_argument(
        "--format",
        dest="output_format",
        choices=("text", "json"),
        default="text",
        help="text lines (the default) or a JSON list of {path, line, field, message}",
    )
    command.set_defaults(run=_run_check)


def _run_check(args: argparse.Namespace, _parser: argparse.ArgumentParser) -> int:
    return commands.check(args.paths, output_format=args.output_format)


def _add_fmt(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = _subparser(
        subparsers,
        "fmt",
        summary="rewrite article files in the canonical layout",
        description="""
            Rewrite every file that is not in the canonical layout, and
            print "reformatted FILE" for each. Files already canonical are
            not written. A file that fails to load is never touched: it is
            reported on stderr and the command exits 1.
        """,
        examples="""
            newsfeed fmt articles/
            newsfeed fmt --check articles/    # list what would change, exit 1 if any
        """,
    )
    command.add_argument(
        "--check",
        dest="check_only",
        action="store_true",
        help='write nothing; print "would reformat FILE" for each file that would change '
        "and exit 1 if there is any",
    )
    command.set_defaults(run=_run_fmt)


def _run_fmt(args: argparse.Namespace, _parser: argparse.ArgumentParser) -> int:
    return commands.fmt(args.paths, check_only=args.check_only)


def parser() -> argparse.ArgumentParser:
    """Build the ``newsfeed`` argument parser."""
    from newsfeed import __version__  # noqa: PLC0415 -- the package imports this module's users

    root = argparse.ArgumentParser(
        prog="newsfeed",
        description="Check, format, list and summarise news-article Markdown files.",
        epilog=dedent("""
            examples:
              newsfeed check articles/
              newsfeed fmt --check articles/
              newsfeed ls articles/ --topic AI --since 2020-06-01 --sort quality --reverse
              newsfeed stats articles/

            Run "newsfeed COMMAND --help" for a command's options.
        """).strip("\n"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = root.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True
    )
    _add_check(subparsers)
    _add_fmt(subparsers)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``newsfeed`` command line on *argv* (default: ``sys.argv[1:]``).

    Returns the exit code rather than exiting, so that it can be called in
    process; the console script and ``python -m newsfeed`` exit with it.
    """
    root = parser()
    try:
        args = root.parse_args(argv)
        run: Callable[[argparse.Namespace, argparse.ArgumentParser], int] = args.run
        return run(args, root)
    except SystemExit as exit_:
        # argparse exits for --help, --version and bad arguments; a caller
        # of main() gets the code instead of an exception.
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_USAGE)
    except BrokenPipeError:
        # The reader of our output went away (`newsfeed ls | head`): stop
        # quietly, and keep Python from complaining at exit about stdout.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return commands.EXIT_PROBLEMS
