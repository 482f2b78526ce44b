"""``newsfeed schema``: print the JSON Schema of the front matter."""

from __future__ import annotations

import argparse
import json
import sys
from textwrap import dedent

import newsfeed
from newsfeed._cli.options import SubParsers

__all__ = ["register"]


def register(subparsers: SubParsers[argparse.ArgumentParser]) -> None:
    """Add ``schema``, which takes no paths."""
    command = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of an article's front matter",
        description=dedent("""
            Print the JSON Schema (draft 2020-12) of an article file's front
            matter, as JSON indented by two spaces: the keys of each
            mapping, the required ones and their types. Editors that use
            yaml-language-server can check files against it as they are
            written; see the format page of the documentation.
        """).strip(),
        epilog=dedent("""
            examples:
              newsfeed schema
              newsfeed schema > .schemas/article.schema.json
        """).strip("\n"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.set_defaults(run=_run_schema)


def _run_schema(_args: argparse.Namespace) -> int:
    # ensure_ascii off: the schema is ASCII today, and a reader's editor is UTF-8.
    json.dump(newsfeed.json_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
