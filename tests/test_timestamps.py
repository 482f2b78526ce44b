"""Timestamps: read as timezone-aware datetimes (UTC when unsaid), written with their offset."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given

import newsfeed
from model_support import NoOffset
from newsfeed._format.timestamps import format_timestamp, to_aware_datetime
from strategies import aware_datetimes


def _file(stamp: str) -> str:
    return (
        f'---\ntitle: "T"\npublishedDateTime: {stamp}\nwebUrl: "u"\n\n'
        "related:\n"
        f'  - title: "R"\n    publishedDateTime: {stamp}\n    webUrl: "r"\n\n---\n\n'
    )


def _stamps(stamp: str) -> list[datetime]:
    article = newsfeed.loads(_file(stamp))
    return [article.published_at, article.related[0].published_at]


class TestReading:
    """Every accepted spelling becomes a timezone-aware datetime."""

    @pytest.mark.parametrize(
        ("stamp", "expected"),
        [
            ("2020-06-11T12:02:00Z", datetime(2020, 6, 11, 12, 2, tzinfo=UTC)),
            ("2020-06-11T12:02:00", datetime(2020, 6, 11, 12, 2, tzinfo=UTC)),
            ("2020-06-11 12:02:00", datetime(2020, 6, 11, 12, 2, tzinfo=UTC)),
            ("2020-06-11t12:02:00Z", datetime(2020, 6, 11, 12, 2, tzinfo=UTC)),
            ("2020-06-11T12:02:00.5", datetime(2020, 6, 11, 12, 2, 0, 500_000, tzinfo=UTC)),
            ("2020-06-11", datetime(2020, 6, 11, tzinfo=UTC)),
        ],
        ids=["Z", "no offset", "space", "lower case", "fraction", "date alone"],
    )
    def test_utc_when_unsaid(self, stamp: str, expected: datetime) -> None:
        """A timestamp without an offset, or a date alone, is UTC (midnight for a date)."""
        for value in _stamps(stamp):
            assert value == expected
            assert value.utcoffset() == timedelta(0)

    @pytest.mark.parametrize(
        ("stamp", "offset"),
        [
            ("2020-03-19T11:26:00-07:00", timedelta(hours=-7)),
            ("2020-03-19T11:26:00+05:30", timedelta(hours=5, minutes=30)),
            ("2020-03-19T11:26:00 -7", timedelta(hours=-7)),
            ("2020-03-19T11:26:00+00:00", timedelta(0)),
            ("2020-03-19T11:26:00-03:30", -timedelta(hours=3, minutes=30)),
        ],
    )
    def test_offset_kept(self, stamp: str, offset: timedelta) -> None:
        """An offset in the file is kept on the datetime, not converted to UTC."""
        for value in _stamps(stamp):
            assert value.utcoffset() == offset
            assert (value.hour, value.minute) == (11, 26)

    @pytest.mark.parametrize(
        ("stamp", "expected"),
        [
            ('"2020-06-11T12:02:00Z"', datetime(2020, 6, 11, 12, 2, tzinfo=UTC)),
            ("'2020-06-11T12:02:00+05:30'", datetime(2020, 6, 11, 6, 32, tzinfo=UTC)),
            ('"2020-06-11T12:02:00"', datetime(2020, 6, 11, 12, 2, tzinfo=UTC)),
            ('"2020-06-11"', datetime(2020, 6, 11, tzinfo=UTC)),
        ],
    )
    def test_quoted_iso_string(self, stamp: str, expected: datetime) -> None:
        """A quoted ISO-8601 string in publishedDateTime is read as the timestamp it spells."""
        for value in _stamps(stamp):
            assert isinstance(value, datetime)
            assert value == expected

    def test_quoted_keeps_offset(self) -> None:
        """A quoted timestamp keeps its offset too."""
        [value, _] = _stamps("'2020-06-11T12:02:00-07:00'")

        assert value.utcoffset() == timedelta(hours=-7)

    @pytest.mark.parametrize(
        ("stamp", "reason"),
        [
            ('"yesterday"', "not an ISO-8601 timestamp: 'yesterday'"),
            ('""', "not an ISO-8601 timestamp: ''"),
            ('"2020-06-11T12:02:00+05:30:15"', "a UTC offset must be whole minutes, got 5:30:15"),
            (
                '"2020-02-30T00:00:00Z"',
                "impossible timestamp '2020-02-30T00:00:00Z': day is out of range for month",
            ),
            (
                '"2020-01-01T10:00:00+25:00"',
                (
                    "impossible timestamp '2020-01-01T10:00:00+25:00': "
                    "a UTC offset must be less than 24 hours"
                ),
            ),
            ("1591876920", "expected a timestamp, got int"),
            ("1.5", "expected a timestamp, got float"),
            ("true", "expected a timestamp, got bool"),
            ("null", "expected a timestamp, got null"),
            ("[2020-06-11]", "expected a timestamp, got list"),
        ],
    )
    def test_not_a_timestamp(self, stamp: str, reason: str) -> None:
        """Anything else is a ValidationError naming publishedDateTime and its line."""
        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.loads(_file(stamp))

        assert caught.value.field == "publishedDateTime"
        assert caught.value.reason == reason
        assert caught.value.line == 3

    def test_not_a_timestamp_in_related(self) -> None:
        """A bad timestamp in a related item names related[0].publishedDateTime."""
        text = _file("2020-06-11T12:02:00Z").replace(
            "    publishedDateTime: 2020-06-11T12:02:00Z", "    publishedDateTime: soon"
        )

        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.loads(text)

        assert caught.value.field == "related[0].publishedDateTime"
        assert caught.value.line == 8


class TestWriting:
    """Timestamps are written plain, with Z for UTC and the offset otherwise."""

    @pytest.mark.parametrize(
        ("stamp", "written"),
        [
            ("2020-06-11T12:02:00Z", "2020-06-11T12:02:00Z"),
            ("2020-06-11T12:02:00+00:00", "2020-06-11T12:02:00Z"),
            ("2020-06-11T12:02:00-00:00", "2020-06-11T12:02:00Z"),
            ("2020-06-11 12:02:00", "2020-06-11T12:02:00Z"),
            ("2020-06-11", "2020-06-11T00:00:00Z"),
            ("'2020-06-11T12:02:00+05:30'", "2020-06-11T12:02:00+05:30"),
            ("2020-03-19T11:26:00-07:00", "2020-03-19T11:26:00-07:00"),
            ("2020-03-19T11:26:00.000001Z", "2020-03-19T11:26:00.000001Z"),
            ("2020-03-19T11:26:00.1-07:00", "2020-03-19T11:26:00.100000-07:00"),
            ("0001-01-01T00:00:00+05:30", "0001-01-01T00:00:00+05:30"),
            ("9999-12-31T23:59:59-07:00", "9999-12-31T23:59:59-07:00"),
        ],
    )
    def test_written_with_offset(self, stamp: str, written: str) -> None:
        """The canonical spelling keeps the offset; fractions appear only when present."""
        text = newsfeed.dumps(newsfeed.loads(_file(stamp)))

        assert text == _file(written)

    def test_code_built_offset(self) -> None:
        """A datetime built in code with any whole-minute offset is written with it."""
        stamp = datetime(2020, 1, 1, 9, 30, tzinfo=timezone(timedelta(hours=14)))
        article = newsfeed.Article(title="T", web_url="u", published_at=stamp)

        assert "publishedDateTime: 2020-01-01T09:30:00+14:00\n" in newsfeed.dumps(article)

    @given(aware_datetimes())
    def test_format_then_read(self, stamp: datetime) -> None:
        """format_timestamp and the reader agree: the value and its offset come back."""
        [again, _] = _stamps(format_timestamp(stamp))

        assert again == stamp
        assert again.utcoffset() == stamp.utcoffset()
        assert again.replace(tzinfo=None) == stamp.replace(tzinfo=None)


class TestHelpers:
    """to_aware_datetime and format_timestamp, directly."""

    def test_naive_is_utc(self) -> None:
        """A naive datetime is taken as UTC."""
        assert to_aware_datetime(datetime(2020, 1, 1)) == datetime(2020, 1, 1, tzinfo=UTC)  # noqa: DTZ001 -- the point

    def test_aware_unchanged(self) -> None:
        """An aware datetime is returned as it is."""
        stamp = datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=-7)))

        assert to_aware_datetime(stamp) is stamp

    def test_date(self) -> None:
        """A date is midnight UTC."""
        assert to_aware_datetime(date(2020, 1, 1)) == datetime(2020, 1, 1, tzinfo=UTC)

    def test_string(self) -> None:
        """An ISO string is parsed, keeping its offset."""
        stamp = to_aware_datetime("2020-01-01T00:00:00-07:00")

        assert stamp.utcoffset() == timedelta(hours=-7)

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            ("nope", "not an ISO-8601 timestamp: 'nope'"),
            ("2020-13-01", "impossible timestamp '2020-13-01': month must be in 1..12"),
        ],
    )
    def test_bad_string(self, value: str, reason: str) -> None:
        """A string that is not ISO-8601, or no instant, is a ValueError quoting it."""
        with pytest.raises(ValueError, match=re.escape(reason)):
            to_aware_datetime(value)

    def test_unquoted_offset_of_a_day(self) -> None:
        """An unquoted offset of 24 hours or more is refused in the format's words."""
        with pytest.raises(newsfeed.ParseError) as caught:
            newsfeed.loads(_file("2020-01-01T10:00:00+25:00"))

        assert caught.value.reason == (
            "invalid timestamp '2020-01-01T10:00:00+25:00': a UTC offset must be less than 24 hours"
        )

    @pytest.mark.parametrize("value", [5, 1.5, None, [2020]])
    def test_other_types(self, value: object) -> None:
        """Anything else is a TypeError."""
        with pytest.raises(TypeError, match="expected a timestamp"):
            to_aware_datetime(value)

    def test_format_refuses_naive(self) -> None:
        """Formatting a naive datetime is a ValueError: the offset would be a guess."""
        with pytest.raises(ValueError, match="timezone-aware"):
            format_timestamp(datetime(2020, 1, 1))  # noqa: DTZ001 -- the point

    def test_format_refuses_unknown_offset(self) -> None:
        """A tzinfo that gives no offset counts as naive."""
        with pytest.raises(ValueError, match="timezone-aware"):
            format_timestamp(datetime(2020, 1, 1, tzinfo=NoOffset()))

    def test_format_refuses_seconds_offset(self) -> None:
        """An offset with seconds cannot be written in YAML's timestamp."""
        with pytest.raises(ValueError, match="whole minutes"):
            format_timestamp(datetime(2020, 1, 1, tzinfo=timezone(timedelta(seconds=30))))

    def test_from_dict_refuses_unknown_offset(self) -> None:
        """from_dict refuses a datetime whose tzinfo gives no offset, naming the field."""
        stamp = datetime(2020, 1, 1, tzinfo=NoOffset())

        with pytest.raises(newsfeed.ValidationError) as caught:
            newsfeed.from_dict({"title": "T", "webUrl": "u", "publishedDateTime": stamp})

        assert caught.value.field == "publishedDateTime"
