"""The options the ``newsfeed`` commands share, and how their values are parsed.

:mod:`newsfeed._cli.main` declares each command with these; keeping them here
lets each command's declaration stay short, and a new command reuse them.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from textwrap import dedent, indent
from typing import Final, NoReturn

from newsfeed._cli import commands
from newsfeed._cli.files import DEFAULT_SELECTION, Selection
from newsfeed._cli.render import COLUMNS
from newsfeed._errors import QueryError
from newsfeed._format.timestamps import to_aware_datetime

__all__ = [
    "SubParsers",
    "add_command",
    "add_selection",
    "column_names",
    "count",
    "existing_path",
    "fail",
    "in_flag_names",
    "instant",
    "only_stdin",
    "path_or_stdin",
    "query",
    "selection",
]

SubParsers = argparse._SubParsersAction  # noqa: SLF001 -- argparse's type for add_subparsers()


def existing_path(text: str) -> Path:
    """Parse a PATH argument: a file or folder that exists."""
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file or folder: {text!r}")
    return path


def path_or_stdin(text: str) -> Path:
    """Parse a PATH argument of ``check`` and ``fmt``: ``-`` is stdin, as for black."""
    return commands.STDIN if text == "-" else existing_path(text)


def only_stdin(args: argparse.Namespace) -> bool:
    """Say whether the command reads stdin: ``-`` given, and as the only path."""
    if commands.STDIN not in args.paths:
        return False
    if len(args.paths) > 1:
        fail(args, "'-' (stdin) must be the only path")
    return True


def column_names(text: str) -> tuple[str, ...]:
    """Parse ``--columns``: names of :data:`~newsfeed._cli.render.COLUMNS`, comma-separated."""
    names = tuple(name.strip() for name in text.split(","))
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown column {unknown[0]!r}; choose from: {', '.join(COLUMNS)}"
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise argparse.ArgumentTypeError(f"column {repeated[0]!r} is given twice")
    return names


def instant(text: str) -> datetime:
    """Parse ``--since`` and ``--until``."""
    try:
        return to_aware_datetime(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO-8601 date or time: {text!r} (try 2020-06-11 or 2020-06-11T12:00:00Z)"
        ) from None


def count(minimum: int) -> Callable[[str], int]:
    """Return a parser of whole numbers from *minimum* up."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def add_command(  # noqa: PLR0913 -- keyword-only parts of one command declaration
    subparsers: SubParsers[argparse.ArgumentParser],
    name: str,
    *,
    summary: str,
    description: str,
    examples: str,
    stdin: bool = False,
) -> argparse.ArgumentParser:
    """Add the command *name*, taking PATHs (and ``-`` for stdin, if *stdin*)."""
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
        type=path_or_stdin if stdin else existing_path,
        help="an article file, or a folder searched for **/*.md"
        + (", or - to read one article from stdin" if stdin else ""),
    )
    found = command.add_argument_group(
        "choosing the files of folders (a file named as a PATH is always read)"
    )
    found.add_argument(
        "--include",
        metavar="GLOB",
        action="append",
        type=_glob,
        help="read the files whose name matches GLOB (default: *.md); repeat for any of several",
    )
    found.add_argument(
        "--exclude",
        metavar="GLOB",
        action="append",
        type=_glob,
        help="skip the files and folders whose name matches GLOB, or whose path from the "
        "folder given does if GLOB has a slash; repeat for several. Hidden folders, venv, "
        "node_modules, README, CHANGELOG and CONTRIBUTING files are skipped too",
    )
    command.set_defaults(command_parser=command)
    return command


def _glob(text: str) -> str:
    if not text.strip("/"):
        raise argparse.ArgumentTypeError(f"not a file name pattern: {text!r}")
    return text


def selection(args: argparse.Namespace) -> Selection:
    """Return which files of a folder to read, from ``--include`` and ``--exclude``."""
    include = DEFAULT_SELECTION.include if args.include is None else tuple(args.include)
    return Selection(include=include, exclude=tuple(args.exclude or ()))


def add_selection(command: argparse.ArgumentParser) -> None:
    """Add the options that choose articles, shared by ``ls`` and ``stats``."""
    group = command.add_argument_group("selecting articles (every given criterion must hold)")
    group.add_argument(
        "--since",
        metavar="D",
        type=instant,
        help="published at or after D: an ISO-8601 date (midnight UTC) or time "
        "(UTC unless it has an offset)",
    )
    group.add_argument("--until", metavar="D", type=instant, help="published before D (exclusive)")
    group.add_argument(
        "--topic",
        metavar="T",
        action="append",
        help="has the topic T, case-insensitive, whole topics only; repeat for any of several",
    )
    group.add_argument(
        "--provider",
        metavar="P",
        action="append",
        help="from the provider named P or with domain P (subdomains too), case-insensitive; "
        "repeat for any of several",
    )
    group.add_argument(
        "--min-quality",
        metavar="N",
        type=int,
        help="quality at least N (an article without a quality never passes a bound)",
    )
    group.add_argument("--max-quality", metavar="N", type=int, help="quality at most N")
    published = group.add_mutually_exclusive_group()
    published.add_argument(
        "--published",
        dest="published",
        action="store_const",
        const=True,
        help="only articles marked published: true",
    )
    published.add_argument(
        "--unpublished",
        dest="published",
        action="store_const",
        const=False,
        help="only articles marked published: false",
    )
    group.add_argument(
        "--unique",
        action="store_true",
        help="one article per link (web URL, else original URL; the first one read)",
    )
    command.add_argument(
        "-j",
        "--workers",
        metavar="N",
        type=count(1),
        default=1,
        help="read folders in N processes (default: 1)",
    )


def fail(args: argparse.Namespace, message: str) -> NoReturn:
    """Stop with a usage error (exit 2) from the command *args* were parsed for."""
    command: argparse.ArgumentParser = args.command_parser
    command.error(message)


#: The criteria of :meth:`newsfeed.Feed.filter` that the command line spells otherwise.
_FLAGS: Final = {
    "since": "--since",
    "until": "--until",
    "min_quality": "--min-quality",
    "max_quality": "--max-quality",
    "provider": "--provider",
    "topic": "--topic",
}
_API_NAME: Final = re.compile(r"(?<![\w-])(" + "|".join(_FLAGS) + r")(?![\w-])")
#: Quoted text in a message is the user's own value, never a criterion's name.
_QUOTED: Final = re.compile(r"""('[^']*'|"[^"]*")""")


def in_flag_names(message: str) -> str:
    """Rewrite a :class:`~newsfeed.QueryError` message with the flags the user typed.

    ``max_quality (10) is lower than min_quality (50)`` becomes ``--max-quality
    (10) is lower than --min-quality (50)``; quoted values are left as they are.
    """
    parts = _QUOTED.split(message)
    return "".join(
        part if index % 2 else _API_NAME.sub(lambda match: _FLAGS[match[1]], part)
        for index, part in enumerate(parts)
    )


def query(
    args: argparse.Namespace,
    *,
    sort: str | None = None,
    reverse: bool = False,
    limit: int | None = None,
) -> commands.Query:
    """Build the query from the selection options; an invalid one is a usage error."""
    try:
        query = commands.Query(
            since=args.since,
            until=args.until,
            min_quality=args.min_quality,
            max_quality=args.max_quality,
            provider=None if args.provider is None else tuple(args.provider),
            topic=None if args.topic is None else tuple(args.topic),
            published=args.published,
            unique=args.unique,
            sort=sort,
            reverse=reverse,
            limit=limit,
        )
        query.validate()
    except QueryError as error:
        fail(args, in_flag_names(str(error)))
    return query
