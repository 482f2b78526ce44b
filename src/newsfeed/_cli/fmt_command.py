"""``newsfeed fmt``: rewrite files in the canonical layout, or say what would change.

A file is only ever replaced through :func:`newsfeed.dump`, never half
written; one that fails to load, or has comments the canonical layout
cannot keep, is reported and left as it was.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from newsfeed._cli.commands import (
    EXIT_OK,
    EXIT_PROBLEMS,
    STDIN,
    STDIN_NAME,
    files_or_warn,
    plural,
    read_input,
)
from newsfeed._cli.files import DEFAULT_SELECTION, Selection, problem_from
from newsfeed._cli.terminal import printable
from newsfeed._errors import NewsfeedError
from newsfeed._files.writing import dump
from newsfeed._format.reading import loads
from newsfeed._format.writing import dumps
from newsfeed._model import Article

__all__ = ["fmt", "fmt_stdin", "formatted_text"]


def fmt(
    paths: Sequence[Path],
    *,
    check_only: bool = False,
    diff: bool = False,
    drop_comments: bool = False,
    selection: Selection = DEFAULT_SELECTION,
) -> int:
    """Rewrite every file in the canonical layout, or (*check_only*) list those that differ.

    With *diff*, print a unified diff of each file that would change and
    write nothing. A file that fails to load is never written; it is reported
    and counted. Neither is a file with comments, which the canonical layout
    cannot keep, unless *drop_comments*. A file already canonical is not
    written either, so its mtime stays.
    """
    files, refused = files_or_warn(paths, selection)
    changed = unchanged = 0
    failed = len(refused)
    for problem in refused:
        print(f"error: cannot format {problem.render()}", file=sys.stderr)
    for path in files:
        try:
            original = read_input(path)
            article, formatted = formatted_text(original, source=path, drop_comments=drop_comments)
        except Exception as error:  # noqa: BLE001 -- whatever one file raises is its problem
            failed += 1
            print(f"error: cannot format {problem_from(error, path).render()}", file=sys.stderr)
            continue
        if formatted == original:
            unchanged += 1
            continue
        if diff:
            changed += 1
            _print_diff(path, original, formatted)
            continue
        if check_only:
            changed += 1
            print(f"would reformat {printable(str(path))}")
            continue
        try:
            dump(article, path, canonical=True, drop_comments=drop_comments)
        except OSError as error:
            failed += 1
            print(
                f"error: cannot write {printable(str(path))}: {_why_not_written(error)}",
                file=sys.stderr,
            )
            continue
        changed += 1
        print(f"reformatted {printable(str(path))}")
    preview = check_only or diff
    _fmt_summary(changed=changed, unchanged=unchanged, failed=failed, check_only=preview)
    return EXIT_PROBLEMS if failed or (check_only and changed) else EXIT_OK


#: What dump refuses to replace, by errno, said for the command line: dump's
#: own words, for Python callers, name the keyword argument that lifts the
#: refusal, and fmt has no option for either.
_REFUSALS: Final = {
    errno.EACCES: "the file is read-only",
    errno.EMLINK: "the file has other hard links, which would keep the old text",
}


def _why_not_written(error: OSError) -> str:
    reason = error.strerror or str(error)
    # The system's errors come in its own words (a folder we may not write
    # in is EACCES too); dump's refusals in others.
    if error.errno in _REFUSALS and reason != os.strerror(error.errno):
        return _REFUSALS[error.errno]
    return reason


def formatted_text(
    original: bytes, *, source: str | Path, drop_comments: bool = False
) -> tuple[Article, bytes]:
    """Return the article *original* holds and its text in the canonical layout.

    What ``fmt`` writes for a file, and to stdout for ``fmt -``. Raises
    :class:`~newsfeed.NewsfeedError` when *original* is not an article, or
    has comments and not *drop_comments*.
    """
    article = loads(original, source=source)
    return article, dumps(article, canonical=True, drop_comments=drop_comments).encode("utf-8")


def fmt_stdin(*, check_only: bool = False, diff: bool = False, drop_comments: bool = False) -> int:
    """Format the article on stdin to stdout, or (*check_only*, *diff*) say what would change.

    Input that fails to load goes to stdout unchanged (unless *check_only*
    or *diff*), so that an editor filtering its buffer through
    ``newsfeed fmt -`` never loses it; the error goes to stderr and the exit
    code is 1.
    """
    original = read_input(STDIN)
    preview = check_only or diff
    try:
        _, formatted = formatted_text(original, source=STDIN_NAME, drop_comments=drop_comments)
    except NewsfeedError as error:
        print(f"error: cannot format {problem_from(error, STDIN_NAME).render()}", file=sys.stderr)
        if not preview:
            _write_bytes(original)
            # Past the size limit, loads stopped reading: pass the rest on too.
            shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)
        _fmt_summary(changed=0, unchanged=0, failed=1, check_only=preview)
        return EXIT_PROBLEMS
    changed = formatted != original
    if diff:
        if changed:
            _print_diff(Path(STDIN_NAME), original, formatted)
    elif check_only:
        if changed:
            print(f"would reformat {STDIN_NAME}")
    else:
        _write_bytes(formatted)
    _fmt_summary(changed=int(changed), unchanged=int(not changed), failed=0, check_only=preview)
    return EXIT_PROBLEMS if check_only and changed else EXIT_OK


def _write_bytes(data: bytes) -> None:
    # The bytes as they are: the text layer would turn "\n" into the
    # platform's line end, and the canonical layout ends lines with "\n".
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _print_diff(path: Path, original: bytes, formatted: bytes) -> None:
    """Print what fmt would change in *path*, as a unified diff that patch accepts."""
    # The original is shown as read; undecodable files never get here.
    before = _LINE.findall(original.decode("utf-8"))
    after = _LINE.findall(formatted.decode("utf-8"))
    # The header names the file for people: a name can hold ESC, as a title can.
    name = printable(str(path))
    for line in difflib.unified_diff(before, after, fromfile=name, tofile=f"{name} (formatted)"):
        # A last line without its line end is marked as diff marks it.
        sys.stdout.write(line if line.endswith("\n") else f"{line}\n{_NO_NEWLINE}\n")


#: A line as diff and patch count them: up to and with "\n", whatever else
#: (U+2028, a form feed, a lone CR) str.splitlines would split at.
_LINE: Final = re.compile(r"[^\n]*\n|[^\n]+\Z")
_NO_NEWLINE: Final = "\\ No newline at end of file"


def _fmt_summary(*, changed: int, unchanged: int, failed: int, check_only: bool) -> None:
    would = "would be " if check_only else ""
    parts = []
    if changed:
        parts.append(f"{plural(changed, 'file')} {would}reformatted")
    if unchanged:
        parts.append(f"{plural(unchanged, 'file')} {would}left unchanged")
    if failed:
        # Whether it failed to load or to be written, the file is as it was.
        parts.append(f"{plural(failed, 'file')} could not be formatted (left untouched)")
    if parts:
        print(", ".join(parts), file=sys.stderr)
