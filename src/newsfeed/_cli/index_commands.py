"""The commands that use an index: ``index`` and ``search``, and ``--db`` for ``ls`` and ``stats``.

They go through the public :class:`newsfeed.Index`. Without ``--db``, the
index is the one ``load_dir(cache=True)`` keeps in the user's cache folder.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from textwrap import dedent, indent
from typing import Any

from newsfeed import Article, Feed, Index, LoadFailure, NotAnIndexError, QueryError
from newsfeed._cli.commands import report_failures, warn_no_files
from newsfeed._cli.files import (
    DEFAULT_SELECTION,
    PATTERN,
    Problem,
    Selection,
    article_listing,
    load_one,
    problems_from,
)
from newsfeed._cli.options import fail, in_flag_names
from newsfeed._cli.options import selection as selection_of
from newsfeed._cli.render import DEFAULT_COLUMNS, write_feed
from newsfeed._cli.stats import FeedStats, render_text, to_json
from newsfeed._cli.terminal import printable, terminal_width
from newsfeed._files.listing import walk
from newsfeed._index.cache import default_db

__all__ = ["register"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

#: Builds the ``ls``/``stats`` query from parsed arguments (main's ``_query``).
QueryBuilder = Callable[..., Any]
_SubParsers = argparse._SubParsersAction  # noqa: SLF001 -- argparse's type for add_subparsers()


def _folder(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"not a folder: {text!r}")
    return path


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {value}")
    return value


def _add_db(command: argparse.ArgumentParser, *, help_text: str) -> None:
    command.add_argument("--db", metavar="PATH", type=Path, help=help_text)


@contextlib.contextmanager
def _open_index(args: argparse.Namespace, folder: Path) -> Iterator[Index]:
    """Open the index of *folder* for the body to update and query; close it after.

    Another application's database is a usage error. A database that cannot
    be opened, written or read (a --db under a file, a cache folder that is
    a file, a full disk) stops the command with one line naming it, and exit
    2: it is the user's to fix, as a bad argument is.
    """
    db = default_db(folder, PATTERN) if args.db is None else args.db
    try:
        with Index(folder, db=db, pattern=PATTERN) as index:
            yield index
    except NotAnIndexError as error:
        fail(args, in_flag_names(str(error)))
    except (OSError, sqlite3.Error) as error:
        print(printable(f"error: cannot use the index {db}: {_reason(error, db)}"), file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def _reason(error: OSError | sqlite3.Error, db: Path) -> str:
    if not isinstance(error, OSError):
        return str(error)
    reason = error.strerror or str(error)
    # The file at fault may be a folder on the way to the database.
    if error.filename is not None and Path(error.filename) != db:
        return f"{error.filename}: {reason}"
    return reason


def _report(failures: list[LoadFailure], *, what: str) -> int:
    problems = [each for bad in failures for each in problems_from(bad.error, bad.path)]
    return report_failures(problems, what=what)


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
    command.set_defaults(command_parser=command)
    return command


# -- newsfeed index -----------------------------------------------------------


def _add_index(subparsers: _SubParsers[argparse.ArgumentParser]) -> None:
    command = _subparser(
        subparsers,
        "index",
        summary="build or update the search index of a folder",
        description="""
            Bring the index of DIR up to date: parse the files added or
            changed since the last run, forget deleted ones, and print what
            changed. The index is an SQLite file: PATH with --db, else the
            one `load_dir(cache=True)` keeps in the cache folder
            ($NEWSFEED_CACHE_DIR, $XDG_CACHE_HOME/newsfeed or
            ~/.cache/newsfeed). A file that fails to load is named on
            stderr and the command exits 1.
        """,
        examples="""
            newsfeed index articles/
            newsfeed index articles/ --db articles.sqlite3
        """,
    )
    command.add_argument("folder", metavar="DIR", type=_folder, help="the folder of articles")
    _add_db(command, help_text="the index file (default: in the cache folder)")
    command.add_argument("--progress", action="store_true", help="show a progress bar")
    command.set_defaults(run=_run_index)


def _run_index(args: argparse.Namespace) -> int:
    with _open_index(args, args.folder) as index:
        update = index.update(progress=args.progress)
    print(printable(f"{index.db}: {update}"))
    return _report(list(update.failures), what="the index")


# -- newsfeed search ----------------------------------------------------------


def _add_search(
    subparsers: _SubParsers[argparse.ArgumentParser],
    add_selection: Callable[[argparse.ArgumentParser], None],
) -> None:
    command = _subparser(
        subparsers,
        "search",
        summary="full-text search of a folder's articles, best match first",
        description="""
            Search the titles, excerpts, bodies and related titles of the
            articles of DIR for QUERY, and list the best matches first
            (bm25). Every word of QUERY must occur, in any case and with or
            without accents; --syntax fts5 takes SQLite's query language
            (OR, NOT, "a phrase", prefix*). The index is brought up to date
            first (see `newsfeed index`). The files searched are those
            `newsfeed ls DIR` reads (no README or CHANGELOG, nothing in
            hidden folders, venv or node_modules), and the selection options
            narrow the search as they narrow `newsfeed ls`.
        """,
        examples="""
            newsfeed search articles/ "facial recognition"
            newsfeed search articles/ "moratorium OR ban*" --syntax fts5 --format jsonl
            newsfeed search articles/ lidar --provider reuters.com --since 2020-06-01
        """,
    )
    command.add_argument("folder", metavar="DIR", type=_folder, help="the folder of articles")
    command.add_argument("text", metavar="QUERY", help="the words to search for")
    add_selection(command)
    _add_db(command, help_text="the index file (default: in the cache folder)")
    output = command.add_argument_group("output")
    output.add_argument(
        "--limit", metavar="N", type=_limit, default=20, help="show at most N (default: 20)"
    )
    output.add_argument(
        "--syntax",
        choices=("words", "fts5"),
        default="words",
        help="words (the default: all must occur) or SQLite's fts5 query language",
    )
    output.add_argument(
        "--format",
        dest="output_format",
        choices=("table", "json", "jsonl"),
        default="table",
        help="output format (default: table)",
    )
    command.set_defaults(run=_run_search)


def _criteria(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "since": args.since,
        "until": args.until,
        "min_quality": args.min_quality,
        "max_quality": args.max_quality,
        "provider": args.provider,
        "topic": args.topic,
        "published": args.published,
    }


def _run_search(args: argparse.Namespace) -> int:
    # The files `ls DIR` reads: the index also holds README.md, venv/...
    files, problems = article_listing([args.folder], DEFAULT_SELECTION)
    selected = set(files)
    with _open_index(args, args.folder) as index:
        failures = index.update().failures
        found = _best_matches(args, index, selected)
    problems += [
        each
        for bad in failures
        if bad.path in selected
        for each in problems_from(bad.error, bad.path)
    ]
    write_feed(found, sys.stdout, output_format=args.output_format, width=terminal_width())
    if args.output_format == "table":
        print(f"{len(found)} found", file=sys.stderr)
    return report_failures(problems, what="the search")


def _best_matches(args: argparse.Namespace, index: Index, selected: set[Path]) -> Feed:
    """Return the --limit best matches in *selected*, after --unique has left out repeats.

    The index cuts before the rest can drop anything, so it is asked for
    twice as many each time, until enough are left or the matches run out.
    """
    asked = args.limit
    while True:
        try:
            found = index.search(args.text, limit=asked, syntax=args.syntax, **_criteria(args))
        except QueryError as error:
            fail(args, in_flag_names(str(error)))
        kept = Feed(article for article in found if article.path in selected)
        if args.unique:
            kept = kept.unique()
        if len(kept) >= args.limit or len(found) < asked:
            return kept[: args.limit]
        asked *= 2


# -- ls --db and stats --db ---------------------------------------------------


def _from_index(args: argparse.Namespace) -> tuple[Feed, list[Problem]]:
    """Return what the files `ls` would read give, from the index where it holds them.

    The index holds every *.md file of the folder (README.md, venv/...
    included); the command's selection picks among them, as it does among
    the files. A file the index does not hold (another --include) is read.
    """
    if len(args.paths) != 1 or not args.paths[0].is_dir():
        fail(args, "--db takes one folder (the folder the index is of)")
    folder: Path = args.paths[0]
    selection = selection_of(args)
    files, problems = article_listing([folder], selection)
    if not files and not problems:
        warn_no_files(selection)
    with _open_index(args, folder) as index:
        failures = index.update().failures
        answer = index.filter(**_criteria(args))
    found: dict[Path | None, Article | LoadFailure] = {bad.path: bad for bad in failures}
    found.update((article.path, article) for article in answer)
    indexed = _indexed(folder, selection, files)
    articles: list[Article] = []
    for file in files:
        result = found.get(file)
        if result is None and file not in indexed:
            result = load_one(file)
        if isinstance(result, LoadFailure):
            problems.extend(problems_from(result.error, result.path))
        elif result is not None:  # None: indexed, and left out by the criteria
            articles.append(result)
    return Feed(articles), problems


def _indexed(folder: Path, selection: Selection, files: list[Path]) -> set[Path]:
    """Return the files of *folder* the index holds, or at least those of *files* it holds."""
    if selection.pattern == PATTERN:
        # The selection walks as the index does and only leaves out more.
        return set(files)
    return {Path(name) for name in walk(folder, PATTERN).files}


def _run_ls_from_index(args: argparse.Namespace, query_builder: QueryBuilder) -> int:
    query = query_builder(args, sort=args.sort, reverse=args.reverse, limit=args.limit)
    feed, problems = _from_index(args)
    selected = query.apply(feed)
    write_feed(
        selected,
        sys.stdout,
        output_format=args.output_format,
        columns=args.columns or DEFAULT_COLUMNS,
        width=terminal_width(),
    )
    if args.output_format == "table":
        print(f"{len(selected)} selected from the index", file=sys.stderr)
    return report_failures(problems, what="the listing")


def _run_stats_from_index(args: argparse.Namespace, query_builder: QueryBuilder) -> int:
    query = query_builder(args)
    feed, problems = _from_index(args)
    figures = FeedStats.of(query.apply(feed))
    if args.output_format == "json":
        print(json.dumps(to_json(figures, top=args.top), indent=2, ensure_ascii=False))
    else:
        render_text(figures, sys.stdout, top=args.top)
    return report_failures(problems, what="the summary")


def _answer_from_index(
    command: argparse.ArgumentParser,
    from_index: Callable[[argparse.Namespace, QueryBuilder], int],
    query_builder: QueryBuilder,
) -> None:
    """Give *command* a --db option that answers from an index instead of the files."""
    _add_db(
        command,
        help_text="answer from the index in PATH (updated first) instead of reading every "
        "file; takes one folder. The index holds *.md files: others that --include picks "
        "are read",
    )
    from_files: Callable[[argparse.Namespace], int] = command.get_default("run")

    def run(args: argparse.Namespace) -> int:
        if args.db is None:
            return from_files(args)
        return from_index(args, query_builder)

    command.set_defaults(run=run)


def register(
    subparsers: _SubParsers[argparse.ArgumentParser],
    *,
    add_selection: Callable[[argparse.ArgumentParser], None],
    query_builder: QueryBuilder,
) -> None:
    """Add ``index`` and ``search``, and ``--db`` to the ``ls`` and ``stats`` already added."""
    _add_index(subparsers)
    _add_search(subparsers, add_selection)
    _answer_from_index(subparsers.choices["ls"], _run_ls_from_index, query_builder)
    _answer_from_index(subparsers.choices["stats"], _run_stats_from_index, query_builder)
