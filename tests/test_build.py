"""The build under test: pure Python, or the fast reader compiled with mypyc, as CI meant.

CI runs the whole suite twice: on the editable, pure-Python install, and on a
wheel built with ``HATCH_BUILD_HOOK_ENABLE_MYPYC=true`` with
``NEWSFEED_TEST_COMPILED=1`` set. A wheel that silently came out pure (or a
pure run that picked up stray compiled files) would otherwise test the wrong code.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path, PurePosixPath

from newsfeed._format.compiled import compiled_modules

# Importing any of newsfeed imports the package, and with it the whole reader.
PYPROJECT = Path(__file__).parent.parent / "pyproject.toml"


def _listed_for_compiling() -> tuple[str, ...]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    include = config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["mypyc"]["include"]
    names = []
    for pattern in include:
        parts = PurePosixPath(pattern.lstrip("/")).with_suffix("").parts
        assert parts[0] == "src", pattern
        names.append(".".join(parts[1:]))
    return tuple(sorted(names))


class TestBuild:
    """The modules compiled are those pyproject.toml lists, or none."""

    def test_the_build_ci_meant(self) -> None:
        """With NEWSFEED_TEST_COMPILED=1 every listed module is compiled; without, none is."""
        listed = _listed_for_compiling()
        assert "newsfeed._format.block_reader" in listed
        expected = listed if os.environ.get("NEWSFEED_TEST_COMPILED") == "1" else ()
        assert compiled_modules() == expected
