import copyreg
import io
import pickle
from collections.abc import Iterator
from types import TracebackType

import pytest
from tblib import pickling_support

import newsfeed

BAD_QUALITY = (
    b'---\ntitle: "T"\npublishedDateTime: 2020-06-11T12:02:00Z\n'
    b'webUrl: "https://example.com/t"\nquality: high\n---\n\n'
)
MISSING_URL = b'---\ntitle: "T"\npublishedDateTime: 2020-06-11T12:02:00Z\n---\n\n'


def _exception_classes(cls: type[BaseException]) -> Iterator[type[BaseException]]:
    yield cls
    for subclass in cls.__subclasses__():
        yield from _exception_classes(subclass)


def _round_trip_with_chain(error: BaseException) -> BaseException:
    """Pickle *error* the way dask distributed does: with tblib, which keeps the chain.

    The reducers go in this pickler's own dispatch table, not in copyreg's
    global one, so no other test sees them.
    """
    table = copyreg.dispatch_table.copy()
    table.update(
        dict.fromkeys(_exception_classes(BaseException), pickling_support.pickle_exception)
    )
    table[TracebackType] = pickling_support.pickle_traceback
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer)
    pickler.dispatch_table = table
    pickler.dump(error)
    copy: BaseException = pickle.loads(buffer.getvalue())  # noqa: S301 -- our own data
    return copy


def _error_of(text: bytes) -> newsfeed.ValidationError:
    with pytest.raises(newsfeed.ValidationError) as caught:
        newsfeed.loads(text, source="bad.md")
    return caught.value


class TestValidationErrorsCrossProcesses:
    """A validation error travels to another process, even by pickling that keeps the chain."""

    @pytest.mark.parametrize("text", [BAD_QUALITY, MISSING_URL], ids=["wrong-type", "missing"])
    def test_no_cattrs_exception_in_the_chain(self, text: bytes) -> None:
        """The error does not carry cattrs' exception group as its context or cause."""
        error = _error_of(text)

        assert error.__cause__ is None
        assert error.__context__ is None

    @pytest.mark.parametrize("text", [BAD_QUALITY, MISSING_URL], ids=["wrong-type", "missing"])
    def test_tblib_round_trip_keeps_class_and_attributes(self, text: bytes) -> None:
        """Pickled with its traceback and chain, the error comes back with its class and place."""
        error = _error_of(text)

        copy = _round_trip_with_chain(error)

        assert type(copy) is newsfeed.ValidationError
        assert isinstance(copy, newsfeed.ValidationError)
        assert (copy.source, copy.line, copy.field, copy.reason) == (
            error.source,
            error.line,
            error.field,
            error.reason,
        )
        assert str(copy) == str(error)
