"""Listing the article files of a folder, in a stable order, without leaving the folder."""

from __future__ import annotations

import errno
import fnmatch
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePath
from typing import Final, NamedTuple

__all__ = ["Listing", "drain", "is_temporary_name", "list_files", "walk"]

#: The temporary files ``dump`` writes next to its target: a dot (hidden),
#: a tilde (as editors' backups), the library's mark, six random characters.
TEMPORARY_NAME: Final = re.compile(r"\.~nf-[0-9a-z]{6}\.tmp\Z")


def is_temporary_name(name: str) -> bool:
    """Return whether *name* is that of a temporary file ``dump`` writes."""
    return TEMPORARY_NAME.match(name) is not None


class Listing(NamedTuple):
    """What :func:`walk` found."""

    #: Every matching file, in sorted order: the ones to read, and the refused.
    files: list[str]
    #: The files not to read, each with why: links that lead out of the
    #: folder, and folders that could not be listed.
    refused: Mapping[str, str]


def drain(names: list[str]) -> Iterator[str]:
    """Yield *names* in order, letting go of each as it is yielded; the list ends empty.

    A folder's names take over a percent of a loaded feed's peak memory
    (the articles keep paths of their own): a loader that drains its
    listing frees each name once its file is read, rather than all at the end.
    """
    names.reverse()
    while names:
        yield names.pop()


class _Glob:
    """A glob pattern relative to a folder, matched one path component at a time.

    The syntax is that of :meth:`pathlib.Path.glob`: ``*``, ``?`` and
    ``[...]`` match within one component, and ``**`` (a whole component)
    matches any number of folders, none included. As with pathlib on this
    platform, matching is case-sensitive on POSIX and not on Windows.
    """

    def __init__(self, pattern: str) -> None:
        if not pattern or PurePath(pattern).is_absolute():
            raise ValueError(f"pattern must be a glob relative to the folder, got {pattern!r}")
        parts = [part for part in PurePath(pattern).parts if part != "."]
        for part in parts:
            if "**" in part and part != "**":
                raise ValueError(f"'**' can only be a whole path component, got {pattern!r}")
        self._parts = parts
        self._tests: list[Callable[[str], object] | None] = [
            None if part == "**" else re.compile(fnmatch.translate(os.path.normcase(part))).match
            for part in parts
        ]
        self.start = self._closure({0})

    def _closure(self, states: set[int]) -> frozenset[int]:
        # A '**' may match no folder at all: being before it is being after it too.
        pending = list(states)
        while pending:
            state = pending.pop()
            if state < len(self._parts) and self._tests[state] is None and state + 1 not in states:
                states.add(state + 1)
                pending.append(state + 1)
        return frozenset(states)

    def is_match(self, states: frozenset[int], name: str) -> bool:
        """Return whether a file called *name*, reached in *states*, matches."""
        last = len(self._parts) - 1
        test = self._tests[last] if last in states else None
        return test is not None and bool(test(os.path.normcase(name)))

    def enter(self, states: frozenset[int], name: str) -> frozenset[int]:
        """Return the states inside the folder *name*; empty when nothing there can match."""
        normal = os.path.normcase(name)
        after: set[int] = set()
        for state in states:
            if state >= len(self._parts):
                continue
            test = self._tests[state]
            if test is None:
                after.add(state)
            elif test(normal):
                after.add(state + 1)
        inside = self._closure(after)
        return inside if any(state < len(self._parts) for state in inside) else frozenset()


def _folder(path: str | os.PathLike[str]) -> str:
    root = os.fspath(path)
    if not Path(root).is_dir():
        if os.path.lexists(root):
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", root)
        raise FileNotFoundError(errno.ENOENT, "no such folder", root)
    return root


def walk(  # noqa: C901, PLR0913 -- one loop over the tree; its options keyword-only
    path: str | os.PathLike[str],
    pattern: str,
    *,
    include_hidden: bool = False,
    follow_outside_links: bool = False,
    exclude: Callable[[str], bool] | None = None,
    remedy: str = "pass follow_outside_links=True to read it",
) -> Listing:
    """List the files under the folder *path* matching the glob *pattern*.

    The order sorts path components, so a folder's files stay together and
    the order does not depend on the file system. Anything that matches and
    is not a folder is listed -- broken links, FIFOs -- so that a file which
    cannot be read is reported rather than skipped. Not listed:

    - hidden files and folders (a name starting with a dot, such as ``.git``
      or ``.venv``), unless *include_hidden*;
    - the temporary files :func:`newsfeed.dump` writes (``.~nf-*.tmp``), ever;
    - links to folders, which are not followed (as pathlib's ``**`` does not);
    - what *exclude* returns true for: it is given the path of each file and
      folder relative to *path*, with ``/`` separators, and an excluded folder
      is not entered.

    A link to a file outside the folder (its real path is not under the
    folder's real path) is listed but refused, in ``refused``, unless
    *follow_outside_links*, its reason ending in *remedy* (the command line
    has another); so is a folder inside that cannot be listed (its files
    unknown), in its place. Raises :class:`FileNotFoundError` or
    :class:`NotADirectoryError` when *path* is not a folder, and
    :class:`ValueError` for an empty or absolute pattern.
    """
    glob = _Glob(pattern)
    root = _folder(path)
    # Paths as pathlib spells them: "./x.md" is "x.md", "a/" is "a".
    base = str(PurePath(root))
    prefix = "" if base == "." else base.rstrip(os.sep) + os.sep
    real_root = Path(root).resolve()
    files: list[str] = []
    refused: dict[str, str] = {}
    # Depth first, each folder's entries sorted by name, a folder entered
    # where its name falls: the files come out sorted by path components
    # (the folder "a" before the file "a.md"), with no sort of the whole list.
    stack: list[tuple[Iterator[os.DirEntry[str]], str, frozenset[int]]] = [
        (_sorted_entries(root), "", glob.start)
    ]
    while stack:
        entries, relative, states = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        name = entry.name
        if (name.startswith(".") and not include_hidden) or is_temporary_name(name):
            continue
        here = relative + name
        if exclude is not None and exclude(here):
            continue
        if entry.is_dir(follow_symlinks=False):
            inside = glob.enter(states, name)
            if inside:
                try:
                    stack.append((_sorted_entries(entry.path), here + "/", inside))
                except OSError as error:
                    # Listed where its files would be, as a failure, so that
                    # one unreadable folder is reported rather than skipped
                    # and the others are still read.
                    listed = prefix + here.replace("/", os.sep)
                    refused[listed] = f"cannot list this folder: {error.strerror or error}"
                    files.append(listed)
            continue
        if not glob.is_match(states, name):
            continue
        listed = prefix + here.replace("/", os.sep)
        if entry.is_symlink():
            try:
                target = Path(entry.path).resolve()
                leads_to_folder = target.is_dir()
            except (RuntimeError, OSError):
                # A loop of links, or a target the system cannot look up (a
                # name too long, a folder not to be searched): listed, so
                # that reading it fails with the system's own error.
                files.append(listed)
                continue
            if leads_to_folder:
                continue
            if not follow_outside_links and not target.is_relative_to(real_root):
                refused[listed] = f"a link to a file outside the folder ({target}); {remedy}"
        files.append(listed)
    return Listing(files, refused)


def _sorted_entries(folder: str) -> Iterator[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        found = sorted(entries, key=lambda entry: entry.name)
    return iter(found)


def list_files(
    path: str | os.PathLike[str],
    pattern: str,
    *,
    include_hidden: bool = False,
    follow_outside_links: bool = False,
    exclude: Callable[[str], bool] | None = None,
) -> list[str]:
    """Return the files under the folder *path* matching the glob *pattern*, sorted.

    The files :func:`walk` lists, less those it refuses (links out of the
    folder); see there for the order, and what is skipped.
    """
    listing = walk(
        path,
        pattern,
        include_hidden=include_hidden,
        follow_outside_links=follow_outside_links,
        exclude=exclude,
    )
    return [file for file in listing.files if file not in listing.refused]
