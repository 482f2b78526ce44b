"""Model objects and values the construction check would refuse, to test what else refuses them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo

from newsfeed import _model


@contextmanager
def unchecked() -> Iterator[None]:
    """Build objects as newsfeed's readers do, without the construction check.

    Objects built in code are checked at once; the writer and the exports
    check what they are given too, should a wrong value get past, and their
    tests need such objects.
    """
    reading = _model.READING.set(True)
    try:
        yield
    finally:
        _model.READING.reset(reading)


class NoOffset(tzinfo):
    """A tzinfo that knows no offset: a datetime with it is still naive."""

    def utcoffset(self, _: datetime | None) -> None:
        """Give no offset."""

    def dst(self, _: datetime | None) -> None:
        """Give no daylight saving offset."""

    def tzname(self, _: datetime | None) -> None:
        """Give no name."""
