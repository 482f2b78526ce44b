"""Helpers for the command-line tests: running ``newsfeed`` and building article folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

import newsfeed

FIXTURES = Path(__file__).parent / "fixtures"
NASDAQ = "amazon-moratorium-nasdaq.md"
OBSERVER = "amazon-moratorium-charlotte-observer.md"

#: A nasdaq fixture written by hand, not by the canonical writer: single
#: quotes, a flow list, keys out of order, no empty lines between blocks.
NON_CANONICAL_HEAD = """\
---
title: 'Amazon Bans Police Use Of Facial Recognition Technology For A Year'
category: news
"""


def run(*args: str | os.PathLike[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m newsfeed ARGS`` in *cwd* the way a user would, capturing its output."""
    return run_program([sys.executable, "-m", "newsfeed"], *args, cwd=cwd)


def run_program(
    program: list[str], *args: str | os.PathLike[str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run *program* with *args* in *cwd*, text in UTF-8 whatever the locale."""
    return subprocess.run(  # noqa: S603 -- our own interpreter and arguments, no shell
        [*program, *(os.fspath(arg) for arg in args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUTF8": "1", "COLUMNS": "100"},
        check=False,
        timeout=120,
    )


def run_with_stdin(
    *args: str | os.PathLike[str], stdin: bytes, cwd: Path
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m newsfeed ARGS`` with *stdin* as its input; the output stays bytes."""
    return subprocess.run(  # noqa: S603 -- our own interpreter and arguments, no shell
        [sys.executable, "-m", "newsfeed", *(os.fspath(arg) for arg in args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env={**os.environ, "PYTHONUTF8": "1", "COLUMNS": "100"},
        check=False,
        timeout=120,
    )


def lines(text: str) -> list[str]:
    """Split output into lines, without the final newline's empty string."""
    return text.splitlines()


def copy_fixtures(folder: Path) -> list[Path]:
    """Copy the two reference files into *folder*; return their new paths, sorted."""
    folder.mkdir(parents=True, exist_ok=True)
    return sorted(Path(shutil.copy(FIXTURES / name, folder / name)) for name in (NASDAQ, OBSERVER))


def base_article() -> newsfeed.Article:
    """Return the nasdaq fixture, the template of generated articles."""
    return newsfeed.load(FIXTURES / NASDAQ)


def write_article(path: Path, **changes: Any) -> newsfeed.Article:
    """Write the nasdaq fixture with *changes* to *path* in the canonical layout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    article = attrs.evolve(base_article(), **changes)
    newsfeed.dump(article, path)
    return newsfeed.load(path)


def non_utf8_path(folder: Path, name: bytes = b"a\xff.md") -> Path:
    """Return *folder*'s file named *name*, bytes that are not UTF-8; skip where names must be.

    Python spells such a name with lone surrogates (U+DCFF for the byte 0xFF).
    """
    path = folder / os.fsdecode(name)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        path.touch()
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    return path


def provider(name: str, domain: str) -> newsfeed.Provider:
    """Build a provider."""
    return newsfeed.Provider(name=name, domain=domain)


def at(text: str) -> datetime:
    """Parse an ISO-8601 timestamp with its offset."""
    return datetime.fromisoformat(text)


def non_canonical_text() -> str:
    """Return the nasdaq fixture as a person might write it: same data, other layout."""
    canonical = (FIXTURES / NASDAQ).read_text(encoding="utf-8")
    head, rest = canonical.split("excerpt:", 1)
    assert head.startswith("---\ncategory: news\ntitle:")
    rest = rest.replace("topics:\n  - AWS AI\n  - AI\n", "topics: [AWS AI, AI]\n")
    rest = rest.replace("published: true\n\n", "published: true\n")
    return NON_CANONICAL_HEAD + "excerpt:" + rest


#: The generated articles of :func:`make_corpus`: path, then the fields that differ
#: from the nasdaq fixture. Their values are chosen for the edges the tests need.
GENERATED: dict[str, dict[str, Any]] = {
    # 06:30 UTC on April 1st, though March in its own offset.
    "2020/03/late-march.md": {
        "published_at": at("2020-03-31T23:30:00-07:00"),
        "quality": 90,
        "provider": provider("Reuters", "reuters.com"),
        "topics": ("AI",),
        "published": True,
        "web_url": "https://www.reuters.com/late-march",
    },
    "2020/04/april.md": {
        "published_at": at("2020-04-01T06:00:00+00:00"),
        "quality": 10,
        "provider": provider("PBS", "www.pbs.org"),
        "topics": ("Robots", "AI"),
        "published": False,
        "web_url": "https://www.pbs.org/april",
    },
    "2020/06/no-quality.md": {
        "published_at": at("2020-06-01T00:00:00+00:00"),
        "quality": None,
        "provider": provider("Reuters", "mobile.reuters.com"),
        "topics": ("AWS AI",),
        "published": True,
        "web_url": "https://mobile.reuters.com/no-quality",
    },
    # The same story as late-march.md, met again later.
    "2020/06/reuters-copy.md": {
        "published_at": at("2020-06-20T00:00:00+00:00"),
        "quality": 70,
        "provider": provider("Reuters", "reuters.com"),
        "topics": ("Policy",),
        "published": True,
        "web_url": "https://www.reuters.com/late-march",
    },
    "2020/06/zdnet.md": {
        "published_at": at("2020-06-15T12:00:00+02:00"),
        "quality": 100,
        "provider": provider("ZDNet", "zdnet.com"),
        "topics": ("ai", "Policy"),
        "published": None,
        "web_url": "https://www.zdnet.com/zdnet",
    },
    "no-provider.md": {
        "published_at": at("2020-05-20T08:00:00+00:00"),
        "quality": 55,
        "provider": None,
        "topics": (),
        "published": True,
        "web_url": "https://example.org/no-provider",
    },
}

#: Every file of :func:`make_corpus`, in the order a folder is read.
CORPUS_ORDER = (
    "2020/03/late-march.md",
    "2020/04/april.md",
    "2020/06/no-quality.md",
    "2020/06/reuters-copy.md",
    "2020/06/zdnet.md",
    OBSERVER,
    NASDAQ,
    "no-provider.md",
)


def make_corpus(folder: Path) -> Path:
    """Write the two fixtures and the :data:`GENERATED` articles under *folder*; return it."""
    copy_fixtures(folder)
    for name, changes in GENERATED.items():
        write_article(folder / name, title=f"Story {Path(name).stem}", **changes)
    return folder
