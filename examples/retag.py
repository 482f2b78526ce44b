"""Retag: rename and drop topics in article files, in place, changing nothing else.

Usage::

    python examples/retag.py [--in-place FOLDER] [--rename OLD=NEW]... [--drop TOPIC]...

Without ``--in-place``, the script works on a copy of the sample articles
(``examples/data``) and of two files as a news pipeline published them
(``examples/real``: one with CRLF line ends) in a temporary folder, so it can
be tried safely. Without rules, it renames ``AI`` to ``Artificial
Intelligence`` and drops ``AWS AI``.

Each file is loaded, its topics are rewritten, and the article is saved with
:func:`newsfeed.dump` only if its topics changed. Because newsfeed writes a
file back in its own layout, byte for byte, the only lines that differ
afterwards are topic lines: the script prints the diff of every changed file
(with :mod:`difflib`) and checks exactly that, exiting 1 if any other line changed.
Topic names match case-insensitively; a rename that produces a topic the
article already has keeps one of them.

Example::

    python examples/retag.py --rename "Machine Learning=ML" --drop Space
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

import newsfeed

DATA = Path(__file__).resolve().parent / "data"
#: Files as published, in their pipeline's layout (CRLF line ends in one).
REAL = Path(__file__).resolve().parent / "real"
DEFAULT_RENAMES = {"ai": "Artificial Intelligence"}
DEFAULT_DROPS = frozenset({"aws ai"})


def retag(
    topics: Sequence[str], *, renames: Mapping[str, str], drops: frozenset[str]
) -> tuple[str, ...]:
    """Return *topics* with the renames applied and the drops removed, in order, without repeats.

    *renames* and *drops* are keyed by lower-case topic names.
    """
    result: list[str] = []
    for topic in topics:
        key = topic.casefold()
        if key in drops:
            continue
        new = renames.get(key, topic)
        if new.casefold() not in {kept.casefold() for kept in result}:
            result.append(new)
    return tuple(result)


def _topic_lines(lines: Sequence[str]) -> set[int]:
    """Return the indexes of the ``topics`` block's lines: its key, items and empty lines.

    The empty lines on both sides count: when a block is added or removed,
    a diff may show either one as the one that changed.
    """
    indexes: set[int] = set()
    for start, line in enumerate(lines):
        if line.rstrip("\r\n") == "topics:":
            index = start
            indexes.add(index)
            if index > 0 and not lines[index - 1].strip():
                indexes.add(index - 1)
            while index + 1 < len(lines) and lines[index + 1].startswith("  - "):
                index += 1
                indexes.add(index)
            if index + 1 < len(lines) and not lines[index + 1].strip():
                indexes.add(index + 1)
            break
    return indexes


def only_topic_lines_differ(before: str, after: str) -> bool:
    """Whether every line that differs between *before* and *after* belongs to a topics block."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    old_topics, new_topics = _topic_lines(old), _topic_lines(new)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        if not set(range(old_start, old_end)) <= old_topics:
            return False
        if not set(range(new_start, new_end)) <= new_topics:
            return False
    return True


def retag_folder(
    folder: Path, *, renames: Mapping[str, str], drops: frozenset[str]
) -> list[tuple[Path, str, str]]:
    """Retag the articles under *folder* in place; return (path, before, after) per changed file."""
    changed = []
    for article in newsfeed.load_dir(folder):
        topics = retag(article.topics, renames=renames, drops=drops)
        if topics == article.topics or article.path is None:
            continue
        # Read as bytes, so that CRLF line ends show as they are in the diff.
        before = article.path.read_bytes().decode("utf-8")
        newsfeed.dump(attrs.evolve(article, topics=topics), article.path)
        changed.append((article.path, before, article.path.read_bytes().decode("utf-8")))
    return changed


def _rename(text: str) -> tuple[str, str]:
    old, separator, new = text.partition("=")
    if not separator or not old.strip() or not new.strip():
        raise argparse.ArgumentTypeError(f"expected OLD=NEW, got {text!r}")
    return old.strip(), new.strip()


def _run(folder: Path, *, renames: Mapping[str, str], drops: frozenset[str]) -> int:
    changed = retag_folder(folder, renames=renames, drops=drops)
    lines_changed = 0
    clean = True
    for path, before, after in changed:
        diff = list(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"a/{path.name}",
                tofile=f"b/{path.name}",
                n=0,
            )
        )
        sys.stdout.writelines(diff)
        # After the two header lines, a diff line is a hunk header or starts with +, - or space.
        lines_changed += sum(1 for line in diff[2:] if line.startswith(("+", "-")))
        if not only_topic_lines_differ(before, after):
            print(f"!! {path}: lines other than topics changed", file=sys.stderr)
            clean = False
    print(f"\n{len(changed)} files retagged, {lines_changed} lines changed", end="")
    print(", all of them topic lines" if clean else "; some are not topic lines")
    return 0 if clean else 1


def main(argv: list[str] | None = None) -> int:
    """Retag the folder given on the command line, or a scratch copy of the samples."""
    parser = argparse.ArgumentParser(
        description=__doc__.partition("\n")[0],
        epilog='example: python examples/retag.py --rename "Machine Learning=ML" --drop Space',
    )
    parser.add_argument("--in-place", type=Path, metavar="FOLDER", help="retag these files")
    parser.add_argument("--rename", type=_rename, action="append", default=[], metavar="OLD=NEW")
    parser.add_argument("--drop", action="append", default=[], metavar="TOPIC")
    options = parser.parse_args(argv)
    if options.rename or options.drop:
        renames = {old.casefold(): new for old, new in options.rename}
        drops = frozenset(topic.casefold() for topic in options.drop)
    else:
        renames, drops = DEFAULT_RENAMES, DEFAULT_DROPS

    if options.in_place is not None:
        return _run(options.in_place, renames=renames, drops=drops)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "data"
        shutil.copytree(DATA, folder)
        shutil.copytree(REAL, folder / "real")
        print(f"Retagging a copy of {DATA} and {REAL} in {folder}\n")
        return _run(folder, renames=renames, drops=drops)


if __name__ == "__main__":
    sys.exit(main())
