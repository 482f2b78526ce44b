"""The ``newsfeed`` command line: argument parsing and dispatch.

The commands themselves live in :mod:`newsfeed._cli.commands` (``fmt``,
the index's and ``schema`` in modules of their own); this module only turns
``argv`` into their typed arguments. Exit codes: 0 when all is well, 1 when
a file has a problem (or ``fmt --check`` would change one), 2 for bad
arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from textwrap import dedent

from newsfeed import __version__
from newsfeed._cli import commands, fmt_command, index_commands, options, schema_command
from newsfeed._cli.options import SubParsers, add_command, add_selection, count
from newsfeed._cli.render import COLUMNS, DEFAULT_COLUMNS, FORMATS, TOPIC_SEPARATOR
from newsfeed._feed.criteria import SORT_KEYS

__all__ = ["main", "parser"]

EXIT_USAGE = 2


def _add_check(subparsers: SubParsers[argparse.ArgumentParser]) -> None:
    command = add_command(
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
            newsfeed check - < article.md
        """,
        stdin=True,
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
    options.only_stdin(args)
    return commands.check(
        args.paths, output_format=args.output_format, selection=options.selection(args)
    )


def _add_fmt(subparsers: SubParsers[argparse.ArgumentParser]) -> None:
    command = add_command(
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

            With - as the path, the article is read from stdin and its
            canonical text written to stdout (the input unchanged, and exit
            1, if it fails to load).
        """,
        examples="""
            newsfeed fmt articles/
            newsfeed fmt --check articles/    # list what would change, exit 1 if any
            newsfeed fmt - < draft.md > article.md
            newsfeed fmt --diff articles/     # show what would change, write nothing
        """,
        stdin=True,
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
    if options.only_stdin(args):
        return fmt_command.fmt_stdin(
            check_only=args.check_only, diff=args.diff, drop_comments=args.drop_comments
        )
    return fmt_command.fmt(
        args.paths,
        check_only=args.check_only,
        diff=args.diff,
        drop_comments=args.drop_comments,
        selection=options.selection(args),
    )


def _add_ls(subparsers: SubParsers[argparse.ArgumentParser]) -> None:
    command = add_command(
        subparsers,
        "ls",
        summary="list the articles that match some criteria",
        description=f"""
            List the articles of the files and folders given that match every
            criterion, then sort, reverse and cut the list, in that order.
            Without --sort, articles come in the order read: each folder's
            files sorted by path.

            Formats: "table" (published, quality, provider, title, or the
            --columns given, fitted to the terminal's width by cutting the
            title; a count goes to stderr), "json" (a list of records),
            "jsonl" (one record per line), "csv" (one row per record, topics
            joined by "{TOPIC_SEPARATOR}") and "paths" (one file per line). Control
            characters are escaped in the table, never in the other formats.

            A file that fails to load is named on stderr after the listing,
            which still holds every good article, and the command exits 1.
        """,
        examples="""
            newsfeed ls articles/
            newsfeed ls articles/ --topic AI --topic "Computer Vision" --since 2020-06-01
            newsfeed ls articles/ --provider reuters.com --min-quality 80 --published
            newsfeed ls articles/ --sort quality --reverse --limit 10
            newsfeed ls articles/ --until 2020-07-01 --format csv > june.csv
            newsfeed ls articles/ --columns published_at,provider_domain,web_url
            newsfeed ls articles/ --topic AI --format paths | xargs grep -l Rekognition
        """,
    )
    add_selection(command)
    order = command.add_argument_group("ordering and output")
    order.add_argument(
        "--sort",
        metavar="KEY",
        choices=SORT_KEYS,
        help="sort by KEY (articles without one go last): " + ", ".join(SORT_KEYS),
    )
    order.add_argument(
        "--reverse", action="store_true", help="reverse the order (the sorted one, or the files')"
    )
    order.add_argument("--limit", metavar="N", type=count(0), help="show at most N articles")
    order.add_argument(
        "--format",
        dest="output_format",
        choices=FORMATS,
        default="table",
        help="output format (default: table)",
    )
    order.add_argument(
        "--columns",
        metavar="NAMES",
        type=options.column_names,
        help="the table's columns, comma-separated (default: "
        + ",".join(DEFAULT_COLUMNS)
        + "), from: "
        + ", ".join(COLUMNS),
    )
    command.set_defaults(run=_run_ls)


def _run_ls(args: argparse.Namespace) -> int:
    selection = options.query(args, sort=args.sort, reverse=args.reverse, limit=args.limit)
    if args.columns is not None and args.output_format != "table":
        options.fail(args, "argument --columns: only the table has columns to pick")
    return commands.ls(
        args.paths,
        query=selection,
        output_format=args.output_format,
        columns=args.columns or DEFAULT_COLUMNS,
        selection=options.selection(args),
        workers=args.workers,
    )


def _add_stats(subparsers: SubParsers[argparse.ArgumentParser]) -> None:
    command = add_command(
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
    add_selection(command)
    output = command.add_argument_group("output")
    output.add_argument(
        "--top",
        metavar="N",
        type=count(1),
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
        query=options.query(args),
        output_format=args.output_format,
        top=args.top,
        selection=options.selection(args),
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
    index_commands.register(
        subparsers, add_selection=options.add_selection, query_builder=options.query
    )
    schema_command.register(subparsers)
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
        with commands.warnings_reported():
            code = run(args)
        # Flushed here, so that a closed pipe is met inside this try.
        sys.stdout.flush()
    except SystemExit as exit_:
        # argparse exits for --help, --version and bad arguments; a caller
        # of main() gets the code instead of an exception.
        status = exit_.code
        return status if isinstance(status, int) else (0 if status is None else EXIT_USAGE)
    except BrokenPipeError:  # pragma: no cover -- a subprocess test covers it, unseen by coverage
        # The reader of our output went away (`newsfeed ls | head`): it has
        # what it wanted, so stop quietly with 0, as `git log | head` does;
        # 1 stays "a file has a problem". Pointing stdout at devnull (the
        # recipe of the Python docs on SIGPIPE) keeps Python from failing
        # again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return commands.EXIT_OK
    return code
