"""The ``newsfeed`` command line: argument parsing and dispatch.

The commands themselves live in :mod:`newsfeed._cli.commands`; this module
only turns ``argv`` into their typed arguments. Exit codes: 0 when all is
well, 1 when a file has a problem (or ``fmt --check`` would change one),
2 for bad arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from textwrap import dedent, indent
from typing import NoReturn

from newsfeed import __version__
from newsfeed._cli import commands
from newsfeed._cli.render import FORMATS, TOPIC_SEPARATOR
from newsfeed._errors import QueryError
from newsfeed._feed.criteria import SORT_KEYS
from newsfeed._format.timestamps import to_aware_datetime

__all__ = ["main", "parser"]

EXIT_USAGE = 2

_SubParsers = argparse._SubParsersAction  # noqa: SLF001 -- argparse's type for add_subparsers()


def _existing_path(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file or folder: {text!r}")
    return path


def _instant(text: str) -> datetime:
    try:
        return to_aware_datetime(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO-8601 date or time: {text!r} (try 2020-06-11 or 2020-06-11T12:00:00Z)"
        ) from None


def _count(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _subparser(
    subparsers: _SubParsers[argparse.ArgumentParser],
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
    command.set_defaults(command_parser=command)
    return command


def _add_check(subparsers: _SubParsers[argparse.ArgumentParser]) -> None:
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


def _run_check(args: argparse.Namespace) -> int:
    return commands.check(args.paths, output_format=args.output_format)


def _add_fmt(subparsers: _SubParsers[argparse.ArgumentParser]) -> None:
    command = _subparser(
        subparsers,
        "fmt",
        summary="rewrite article files in the canonical layout",
        description="""
            Rewrite every file that is not in the canonical layout, and
            print "reformatted FILE" for each. Files already canonical are
            not written. A file that fails to load is never touched: it is
            reported on stderr and the command exits 1. Neither is a file
            with comments, which the canonical layout has no place for,
            unless --drop-comments is given.
        """,
        examples="""
            newsfeed fmt articles/
            newsfeed fmt --check articles/    # list what would change, exit 1 if any
            newsfeed fmt --diff articles/     # show what would change, write nothing
        """,
    )
    command.add_argument(
        "--check",
        dest="check_only",
        action="store_true",
        help='write nothing; print "would reformat FILE" for each file that would change '
        "and exit 1 if there is any",
    )
    command.add_argument(
        "--diff",
        action="store_true",
        help="write nothing; print a unified diff of each file that would change",
    )
    command.add_argument(
        "--drop-comments",
        action="store_true",
        help="format files with comments too, dropping the comments (by default such a "
        "file is reported and left untouched)",
    )
    command.set_defaults(run=_run_fmt)


def _run_fmt(args: argparse.Namespace) -> int:
    return commands.fmt(
        args.paths, check_only=args.check_only, diff=args.diff, drop_comments=args.drop_comments
    )


def _add_selection(command: argparse.ArgumentParser) -> None:
    """Add the options that choose articles, shared by ``ls`` and ``stats``."""
    group = command.add_argument_group("selecting articles (every given criterion must hold)")
    group.add_argument(
        "--since",
        metavar="D",
        type=_instant,
        help="published at or after D: an ISO-8601 date (midnight UTC) or time "
        "(UTC unless it has an offset)",
    )
    group.add_argument("--until", metavar="D", type=_instant, help="published before D (exclusive)")
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
        "--unique", action="store_true", help="one article per web URL (the first one read)"
    )
    command.add_argument(
        "-j",
        "--workers",
        metavar="N",
        type=_count(1),
        default=1,
        help="read folders in N processes (default: 1)",
    )


def _fail(args: argparse.Namespace, message: str) -> NoReturn:
    command: argparse.ArgumentParser = args.command_parser
    command.error(message)


def _query(
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
        _fail(args, str(error))
    return query


def _add_ls(subparsers: _SubParsers[argparse.ArgumentParser]) -> None:
    command = _subparser(
        subparsers,
        "ls",
        summary="list the articles that match some criteria",
        description=f"""
            List the articles of the files and folders given that match every
            criterion, then sort, reverse and cut the list, in that order.
            Without --sort, articles come in the order read: each folder's
            files sorted by path.

            Formats: "table" (published, quality, provider, title; a count
            goes to stderr), "json" (a list of records), "csv" (one row per
            record, topics joined by "{TOPIC_SEPARATOR}") and "paths" (one file per line).

            A file that fails to load is named on stderr after the listing,
            which still holds every good article, and the command exits 1.
        """,
        examples="""
            newsfeed ls articles/
            newsfeed ls articles/ --topic AI --topic "Computer Vision" --since 2020-06-01
            newsfeed ls articles/ --provider reuters.com --min-quality 80 --published
            newsfeed ls articles/ --sort quality --reverse --limit 10
            newsfeed ls articles/ --until 2020-07-01 --format csv > june.csv
            newsfeed ls articles/ --topic AI --format paths | xargs grep -l Rekognition
        """,
    )
    _add_selection(command)
    order = command.add_argument_group("ordering and output")
    order.add_argument(
        "--sort",
        metavar="KEY",
        help="sort by KEY (articles without one go last): " + ", ".join(SORT_KEYS),
    )
    order.add_argument(
        "--reverse", action="store_true", help="reverse the order (the sorted one, or the files')"
    )
    order.add_argument("--limit", metavar="N", type=_count(0), help="show at most N articles")
    order.add_argument(
        "--format",
        dest="output_format",
        choices=tuple(FORMATS),
        default="table",
        help="output format (default: table)",
    )
    command.set_defaults(run=_run_ls)


def _run_ls(args: argparse.Namespace) -> int:
    query = _query(args, sort=args.sort, reverse=args.reverse, limit=args.limit)
    return commands.ls(
        args.paths, query=query, output_format=args.output_format, workers=args.workers
    )


def _add_stats(subparsers: _SubParsers[argparse.ArgumentParser]) -> None:
    command = _subparser(
        subparsers,
        "stats",
        summary="count articles by provider, topic and month; describe their quality",
        description="""
            Summarise the articles of the files and folders given (those that
            match the criteria, if any): how many, how many are published,
            counts by provider, by topic and by month (in UTC), and the
            quality distribution (min, quartiles, max, mean and a histogram
            in buckets of ten). Quartiles interpolate linearly between ranks.

            A file that fails to load is named on stderr and the command
            exits 1.
        """,
        examples="""
            newsfeed stats articles/
            newsfeed stats articles/ --topic AI --since 2020-01-01 --top 5
            newsfeed stats articles/ --format json > stats.json
        """,
    )
    _add_selection(command)
    output = command.add_argument_group("output")
    output.add_argument(
        "--top",
        metavar="N",
        type=_count(1),
        help="show only the N most frequent providers and topics",
    )
    output.add_argument(
        "--format",
        dest="output_format",
        choices=("text", "json"),
        default="text",
        help="output format (default: text)",
    )
    command.set_defaults(run=_run_stats)


def _run_stats(args: argparse.Namespace) -> int:
    return commands.stats(
        args.paths,
        query=_query(args),
        output_format=args.output_format,
        top=args.top,
        workers=args.workers,
    )


def parser() -> argparse.ArgumentParser:
    """Build the ``newsfeed`` argument parser."""
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
    _add_ls(subparsers)
    _add_stats(subparsers)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``newsfeed`` command line on *argv* (default: ``sys.argv[1:]``).

    Returns the exit code rather than exiting, so that it can be called in
    process; the console script and ``python -m newsfeed`` exit with it.
    """
    root = parser()
    try:
        args = root.parse_args(argv)
        run: Callable[[argparse.Namespace], int] = args.run
        code = run(args)
        # Flushed here, so that a closed pipe is met inside this try.
        sys.stdout.flush()
    except SystemExit as exit_:
        # argparse exits for --help, --version and bad arguments; a caller
        # of main() gets the code instead of an exception.
        status = exit_.code
        return status if isinstance(status, int) else (0 if status is None else EXIT_USAGE)
    except BrokenPipeError:  # pragma: no cover -- a subprocess test covers it, unseen by coverage
        # The reader of our output went away (`newsfeed ls | head`): stop
        # quietly, and keep Python from complaining at exit about stdout.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return commands.EXIT_PROBLEMS
    return code
