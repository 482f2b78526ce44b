"""Helpers for the index tests: folders of article files, and edits that keep or move mtimes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import attrs

import newsfeed

FIXTURES = Path(__file__).parent / "fixtures"
NASDAQ = FIXTURES / "amazon-moratorium-nasdaq.md"
OBSERVER = FIXTURES / "amazon-moratorium-charlotte-observer.md"

#: A file that is not an article: the front matter has no closing fence.
BAD_TEXT = "---\ntitle: never closed\n"


def make_folder(root: Path, *, bad: bool = False) -> Path:
    """Write the two fixtures (one in a subfolder) and maybe a bad file under *root*/articles."""
    folder = root / "articles"
    (folder / "2020").mkdir(parents=True)
    shutil.copy(NASDAQ, folder / "nasdaq.md")
    shutil.copy(OBSERVER, folder / "2020" / "observer.md")
    if bad:
        (folder / "bad.md").write_text(BAD_TEXT, encoding="utf-8")
    return folder


def retitle(path: Path, title: str) -> None:
    """Give the article at *path* a new title, in place."""
    article = newsfeed.load(path)
    path.write_text(newsfeed.dumps(attrs.evolve(article, title=title)), encoding="utf-8")


def set_mtime(path: Path, mtime_ns: int) -> None:
    """Set both times of *path* to *mtime_ns*."""
    os.utime(path, ns=(mtime_ns, mtime_ns))
