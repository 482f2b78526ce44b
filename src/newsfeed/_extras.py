"""Importing what an optional extra brings, with an error that says how to install it."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Final

__all__ = ["INSTALL_HINT", "require"]

#: How to install an extra; the one place that names the distribution.
INSTALL_HINT: Final = "pip install 'newsfeed-articles[{extra}]'"


def require(module: str, *, extra: str, feature: str) -> ModuleType:
    """Import *module*, or raise :class:`ImportError` saying that *feature* needs the *extra*."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        hint = INSTALL_HINT.format(extra=extra)
        raise ImportError(
            f"{feature} needs {module.partition('.')[0]}; install it with: {hint}",
            name=module,
        ) from error
