"""Run every Python example in the documentation as a test, with Sybil.

Each ```` ```python ```` block of ``docs/*.md`` is collected: a block of ``>>>``
lines is a doctest (its output is checked), any other block is run as code and
must not raise. The blocks of one page share a namespace, in page order, as a
reader would type them. Every example runs from the root of the repository, so
the pages can use the same relative paths as a reader in a checkout
(``examples/data/...``), whichever directory pytest was started from.
"""

from __future__ import annotations

from doctest import ELLIPSIS
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.myst import PythonCodeBlockParser, SkipParser

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run an example from the repository root, restoring the directory afterwards."""
    monkeypatch.chdir(REPOSITORY)


pytest_collect_file = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=ELLIPSIS), SkipParser()],
    patterns=["*.md"],
    excludes=["_build/*"],
    fixtures=["_at_repository_root"],
).pytest()
