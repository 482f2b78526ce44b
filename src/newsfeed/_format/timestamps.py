"""Reading and writing ``publishedDateTime`` values."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

__all__ = ["format_timestamp", "to_aware_datetime"]


def to_aware_datetime(value: object) -> datetime:
    """Return *value* as a timezone-aware datetime, keeping any offset it has.

    Accepts a datetime (a naive one is UTC), a date (midnight UTC) or an
    ISO-8601 string. Raises :class:`ValueError` or :class:`TypeError` for
    anything else.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"not an ISO-8601 timestamp: {value!r}") from None
        return to_aware_datetime(parsed)
    raise TypeError(f"expected a timestamp, got {type(value).__name__}")


def format_timestamp(value: datetime) -> str:
    """Write *value* the canonical way: ``2020-06-11T12:02:00Z`` or ``...-07:00``.

    Fractions of a second are written only when present, so nothing is lost.
    Raises :class:`ValueError` for a naive datetime or an offset YAML cannot
    express (one with seconds).
    """
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("published_at must be timezone-aware")
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    if value.microsecond:
        text += f".{value.microsecond:06d}"
    if not offset:
        return text + "Z"
    if offset % timedelta(minutes=1):
        raise ValueError(f"a UTC offset must be whole minutes, got {offset}")
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"
