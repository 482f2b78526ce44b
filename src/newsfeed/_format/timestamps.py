"""Reading and writing ``publishedDateTime`` values."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Final

from newsfeed._errors import shown

__all__ = ["format_timestamp", "in_utc", "to_aware_datetime", "why_impossible"]

#: The format's own timestamp, as text: a date, or a date and a time to the
#: second with at most six digits of fractions, then ``Z`` or an offset (an
#: offset with seconds is matched here to be refused by name later). ASCII
#: digits only: no week dates (2020-W24-4), no basic form (20200611T1202).
_FORMAT_TIMESTAMP: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.(?P<fraction>[0-9]+))?"
    r"(?:Z|[-+][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?)?",
    re.ASCII,
)
#: A datetime keeps microseconds: more digits would be cut, changing the value.
_MAX_FRACTION_DIGITS: Final = 6


def to_aware_datetime(value: object, *, strict: bool = False) -> datetime:
    """Return *value* as a timezone-aware datetime, keeping any offset it has.

    Accepts a datetime (a naive one is UTC), a date (midnight UTC) or an
    ISO-8601 string. With *strict* (for a record's own values), a string must
    be the format's timestamp exactly: ``2020-06-11``, ``2020-06-11T12:02:00Z``,
    ``2020-06-11T12:02:00.5-07:00``. Raises :class:`ValueError` or
    :class:`TypeError` for anything else.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as error:
            if _FORMAT_TIMESTAMP.fullmatch(value.strip()) is None:
                raise ValueError(f"not an ISO-8601 timestamp: {shown(value)}") from None
            # Written as one, but no such instant: February 30th, 24:00.
            raise ValueError(
                f"impossible timestamp {shown(value)}: {why_impossible(error)}"
            ) from None
        if strict:
            _check_format(value)
        return to_aware_datetime(parsed)
    raise TypeError(f"expected a timestamp, got {type(value).__name__}")


def why_impossible(error: Exception) -> str:
    """Say why datetime refused a timestamp of the right shape, in the format's words."""
    reason = str(error)
    if "strictly between" in reason:
        # datetime's own words name its internals (timedelta(hours=24)).
        return "a UTC offset must be less than 24 hours"
    return reason


def _check_format(value: str) -> None:
    """Refuse an ISO 8601 string Python reads that is not the format's own timestamp."""
    match = _FORMAT_TIMESTAMP.fullmatch(value)
    if match is None:
        raise ValueError(
            f"not a timestamp of the format (such as 2020-06-11T12:02:00Z): {shown(value)}"
        )
    fraction = match["fraction"]
    if fraction is not None and len(fraction) > _MAX_FRACTION_DIGITS:
        raise ValueError(
            f"{shown(value)} has more than {_MAX_FRACTION_DIGITS} digits of fractions of a second, "
            "more than a datetime keeps"
        )


def format_timestamp(value: datetime) -> str:
    """Write *value* the canonical way: ``2020-06-11T12:02:00Z`` or ``...-07:00``.

    Fractions of a second are written only when present, so nothing is lost.
    Raises :class:`ValueError` for a naive datetime or an offset YAML cannot
    express (one with seconds).
    """
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("published_at must be timezone-aware")
    if offset.seconds % 60 or offset.microseconds:
        raise ValueError(f"a UTC offset must be whole minutes, got {offset}")
    # datetime's own isoformat (not a subclass's, which may add nanoseconds)
    # writes exactly this format, fraction only when present, in a tenth of
    # the time of formatting each field: a whole-minute offset ends in
    # "+HH:MM", and a zero one is written "Z".
    text = datetime.isoformat(value)
    return text if offset else text[:-6] + "Z"


def in_utc(instant: datetime) -> datetime:
    """Return the aware *instant* in UTC, or as it is when its UTC date has no datetime.

    The first day of year 1 with a positive offset and the last of 9999 with
    a negative one have no UTC date Python can hold: a summary or a display
    shows such an instant in its own offset, the nearest there is, rather
    than failing.
    """
    try:
        return instant.astimezone(UTC)
    except OverflowError:
        return instant
