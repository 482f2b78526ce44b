"""Importing what an optional extra brings, with an error that says how to install it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Final, Protocol

__all__ = ["INSTALL_HINT", "ProgressBar", "progress_bar_factory", "require"]

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


class ProgressBar(Protocol):
    """What newsfeed uses of a tqdm bar."""

    def update(self, n: int = 1) -> object: ...
    def close(self) -> None: ...


def progress_bar_factory(progress: bool) -> Callable[..., ProgressBar] | None:
    """Return tqdm when a bar is wanted, failing before anything is read if it is missing."""
    if not progress:
        return None
    module = require("tqdm.auto", extra="progress", feature="progress=True")
    factory: Callable[..., ProgressBar] = module.tqdm
    return factory
