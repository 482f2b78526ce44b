"""A folder the tests cannot list, whoever runs them (root reads any folder whatever its mode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfeed._files import listing


def refuse_to_list(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """Make listing the folder *locked* fail as it does without the permission to read it."""
    real = listing._sorted_entries

    def refuse_locked(path: str) -> object:
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(listing, "_sorted_entries", refuse_locked)
