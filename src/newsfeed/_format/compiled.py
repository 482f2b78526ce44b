"""Which build is running: the pure-Python one, or one with the fast reader compiled by mypyc.

The same typed source runs either way (``pyproject.toml`` lists the modules
a compiled wheel compiles). The benchmark prints which build it measured,
and the test suite checks it is the one CI meant to test.
"""

from __future__ import annotations

import importlib.machinery
import sys

__all__ = ["compiled_modules"]


def compiled_modules() -> tuple[str, ...]:
    """Return the names of newsfeed's imported modules that are compiled, sorted."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return tuple(
        sorted(
            name
            for name, module in list(sys.modules.items())
            if name.startswith("newsfeed.")
            and (getattr(module, "__file__", None) or "").endswith(suffixes)
        )
    )
