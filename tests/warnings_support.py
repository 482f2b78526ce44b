"""Checking what a block warns with: newsfeed's own warnings, and nothing else."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import newsfeed


@contextmanager
def only_newsfeed_warnings() -> Iterator[None]:
    """Let the block warn with NewsfeedWarnings only; any other warning fails the test.

    A mangled file may rightly warn: an empty "-" list item is left out with a
    NewsfeedWarning, and the layout keeps it, so the file written back warns
    again when it is read.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    assert all(issubclass(item.category, newsfeed.NewsfeedWarning) for item in caught), [
        str(item.message) for item in caught
    ]
