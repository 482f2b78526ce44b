"""The exceptions newsfeed raises.

Every error newsfeed raises on purpose derives from one base class, and the
ones about bad data also derive from :class:`ValueError`, so callers can catch
either::

    NewsfeedError
    ├── ParseError(ValueError)        the text is not a front-matter file we accept
    ├── ValidationError(ValueError)   the front matter is YAML, but not an article
    ├── FeedLoadError(ExceptionGroup) some files of a folder failed to load
    ├── FileConflictError(FileExistsError)  dump_dir would replace another file
    ├── QueryError(ValueError)        a filter or sort criterion is invalid
    └── NotAnIndexError               Index's db is another application's file

Each carries its context as attributes -- ``source`` (the file, when known),
``field`` (the path in the file's own key names, such as
``related[2].publishedDateTime``) and ``line`` (1-based, where YAML gives one) --
and repeats them in its message as ``source:line: field: reason``. Errors are
built once, where all of that is known, and never changed afterwards.

A :class:`ValidationError` reports every problem of a file: its attributes
and the first line of its message are the first problem's, and ``errors``
holds them all (the message lists the others on the lines below).

:class:`NewsfeedWarning` is not an error: the file was read, but something in
it was left out (a null item in ``topics``). It is issued through
:mod:`warnings`, with the same attributes.

:class:`FeedLoadError` is not about one place: it gathers every file of a folder
that failed, each as a :class:`LoadFailure` (the path and its error), so one
run reports them all, and keeps the :class:`~newsfeed.Feed` of what did load.
It is an exception group of the files' errors, for ``except*``.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final, Self

import attrs

if TYPE_CHECKING:
    from newsfeed._feed.feed import Feed


class NewsfeedError(Exception):
    """Base class of every error newsfeed raises on purpose."""


class _LocatedError(NewsfeedError, ValueError):
    """An error about one place in one file."""

    reason: str
    source: str | None
    field: str | None
    line: int | None

    def __init__(
        self,
        reason: str,
        *,
        source: str | os.PathLike[str] | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.reason = reason
        self.source = None if source is None else os.fspath(source)
        self.field = field
        self.line = line
        super().__init__(self._message())

    def _message(self, source: str | None = None) -> str:
        """Format the error; *source* names the file when the error itself does not."""
        return _locate(self.reason, self.source or source, self.field, self.line)

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only constructors do not survive the default pickling, and
        # errors must cross process boundaries (process pools, dask).
        return (
            _rebuild,
            (type(self), self.reason, self.source, self.field, self.line),
        )


#: How many characters of a value, or of a field's path, a message shows.
_SHOWN_CHARACTERS: Final = 40


def shown(value: str) -> str:
    """Quote *value* for an error message, cut short: a hostile one may be megabytes."""
    if len(value) <= _SHOWN_CHARACTERS:
        return repr(value)
    return repr(value[:_SHOWN_CHARACTERS]) + "..."


def cut(text: str) -> str:
    """Return *text* (a name, a repr) for an error message, cut short as :func:`shown` cuts."""
    return text if len(text) <= _SHOWN_CHARACTERS else text[:_SHOWN_CHARACTERS] + "..."


def _locate(reason: str, source: str | None, field: str | None, line: int | None) -> str:
    # The attribute keeps the whole path; a message shows its start (a key
    # may be megabytes long, and is named in the reason too).
    if field is not None and len(field) > 4 * _SHOWN_CHARACTERS:
        field = field[: 4 * _SHOWN_CHARACTERS] + "..."
    parts = [] if field is None else [field]
    if line is not None:
        parts.insert(0, f"{'<string>' if source is None else source}:{line}")
    elif source is not None:
        parts.insert(0, source)
    # Data that came from no file and no text (a record, a table) is named by its field alone.
    return ": ".join([*parts, reason])


def _rebuild(
    cls: type[_LocatedError],
    reason: str,
    source: str | None,
    field: str | None,
    line: int | None,
) -> _LocatedError:
    return cls(reason, source=source, field=field, line=line)


class ParseError(_LocatedError):
    """The text is not a front-matter file newsfeed accepts.

    Raised for a path that is not a regular file (a folder, a FIFO, a
    device), a missing or unclosed fence, invalid UTF-8, a file that is too
    large, YAML that does not parse, YAML outside the safe subset (tags,
    anchors, aliases, merge keys, duplicate keys, deep nesting), or front
    matter that is not a mapping.
    """


class ValidationError(_LocatedError):
    """The front matter parsed, but is not a valid article.

    Raised for a missing required field or a field of the wrong type.
    ``errors`` holds every problem found in the file, each a
    :class:`ValidationError` of its own, the first being this one's
    ``reason``, ``field`` and ``line``.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str | os.PathLike[str] | None = None,
        field: str | None = None,
        line: int | None = None,
        others: Sequence[ValidationError] = (),
    ) -> None:
        self._others = tuple(others)
        super().__init__(reason, source=source, field=field, line=line)

    @property
    def errors(self) -> tuple[ValidationError, ...]:
        """Every problem of the file, this one first."""
        return (self, *self._others)

    @classmethod
    def of(cls, problems: Sequence[ValidationError]) -> Self:
        """Gather *problems* (at least one) into one error: the first, with the others."""
        first, *others = problems
        return cls(
            first.reason, source=first.source, field=first.field, line=first.line, others=others
        )

    def _message(self, source: str | None = None) -> str:
        message = super()._message(source)
        if not self._others:
            return message
        count = len(self._others)
        lines = [f"{message} (and {count} more {'problem' if count == 1 else 'problems'})"]
        lines.extend(f"  {other._message(source)}" for other in self._others)  # noqa: SLF001 -- same class
        return "\n".join(lines)

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_validation,
            (type(self), self.reason, self.source, self.field, self.line, self._others),
        )


def _rebuild_validation(  # noqa: PLR0913, PLR0917 -- the error's attributes, as pickled
    cls: type[ValidationError],
    reason: str,
    source: str | None,
    field: str | None,
    line: int | None,
    others: tuple[ValidationError, ...],
) -> ValidationError:
    return cls(reason, source=source, field=field, line=line, others=others)


class NewsfeedWarning(UserWarning):
    """A file was read, but something in it was left out: a null item in ``topics``.

    Issued through :mod:`warnings` by :func:`newsfeed.loads` and
    :func:`newsfeed.load`; ``newsfeed check`` prints each as
    ``file:line: field: reason``. Carries ``reason``, ``source``, ``field`` and
    ``line`` like the errors. Turn it into an error, or silence it, with the
    :mod:`warnings` filters.
    """

    def __init__(
        self,
        reason: str,
        *,
        source: str | os.PathLike[str] | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.reason = reason
        self.source = None if source is None else os.fspath(source)
        self.field = field
        self.line = line
        super().__init__(_locate(reason, self.source, field, line))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_warning, (self.reason, self.source, self.field, self.line))


def _rebuild_warning(
    reason: str, source: str | None, field: str | None, line: int | None
) -> NewsfeedWarning:
    return NewsfeedWarning(reason, source=source, field=field, line=line)


def _error_key(error: Exception) -> tuple[type[Exception], str]:
    return type(error), str(error)


def _detached(error: Exception) -> Exception:
    """Return *error* without its traceback and the exceptions it chains to.

    A traceback holds the frames of the reader, and with them the whole text
    of the file; a chained :class:`UnicodeDecodeError` or YAML error holds it
    too. A folder of failing files would otherwise keep every one of them in
    memory. The error's message, source, field and line say what is wrong.
    """
    error.__traceback__ = None
    error.__cause__ = None
    error.__context__ = None
    error.__suppress_context__ = True
    return error


@attrs.frozen
class LoadFailure:
    """One file of a folder that could not be loaded, and why.

    ``error`` is what :func:`newsfeed.load` raised for it: a
    :class:`ParseError`, a :class:`ValidationError`, or an :class:`OSError`
    when the file could not be read at all. It is kept without its
    traceback and chained exceptions, which would hold the file's text in
    memory: the message, ``source``, ``field`` and ``line`` say what is wrong.
    """

    path: Path
    #: Compared by class and message: an exception equals only itself, but
    #: two loads of the same folder (or a copy across processes) should
    #: report equal failures.
    error: Exception = attrs.field(eq=_error_key, converter=_detached)

    def __str__(self) -> str:
        if isinstance(self.error, _LocatedError):
            return self.error._message(os.fspath(self.path))  # noqa: SLF001 -- same module
        if isinstance(self.error, OSError) and self.error.strerror:
            return f"{self.path}: cannot read: {self.error.strerror}"
        return f"{self.path}: {type(self.error).__name__}: {self.error}"


#: How much of an unexpected exception's message a failure keeps.
_UNEXPECTED_MESSAGE_CHARS = 300


def failure_from(path: str | os.PathLike[str], error: Exception) -> LoadFailure:
    """Return the failure of the file at *path*, which raised *error* when read.

    Errors about the file (a :class:`NewsfeedError`, an :class:`OSError`)
    are kept as they are. Anything else is a defect in the reader, but it
    concerns this one file: it becomes a :class:`ParseError` naming the
    exception's type and message, so that one file cannot abort a whole
    folder, and the failure pickles across processes whatever was raised.
    """
    if not isinstance(error, NewsfeedError | OSError):
        message = str(error)
        if len(message) > _UNEXPECTED_MESSAGE_CHARS:
            message = message[:_UNEXPECTED_MESSAGE_CHARS] + "..."
        reason = f"unexpected {type(error).__name__} while reading the file: {message}"
        _detached(error)
        error = ParseError(reason, source=path)
    return LoadFailure(Path(path), error)


class FeedLoadError(NewsfeedError, ExceptionGroup[Exception]):
    """Some files of a folder could not be loaded.

    Raised by :func:`newsfeed.load_dir`, :func:`newsfeed.iter_dir` and
    :meth:`newsfeed.Index.load` with ``errors="raise"`` after every file has
    been tried. ``failures`` holds one :class:`LoadFailure` per bad file, in
    the order the files were read; ``feed`` is the :class:`~newsfeed.Feed`
    of the files that did load, so nothing read is lost; ``total`` is how
    many files were tried. The message names the first few failures and
    says how many more there are.

    It is also an :class:`ExceptionGroup` of the files' errors, so
    ``except* newsfeed.ValidationError`` handles just those.
    """

    #: How many failures the message names before "and N more".
    SHOWN: Final = 5

    failures: tuple[LoadFailure, ...]
    feed: Feed
    total: int | None

    def __new__(cls, failures: Iterable[LoadFailure], feed: Feed, total: int | None = None) -> Self:
        failures = tuple(failures)
        self = super().__new__(
            cls, _feed_load_message(failures, total), [failure.error for failure in failures]
        )
        self.failures = failures
        self.feed = feed
        self.total = total
        return self

    def __init__(
        self,
        failures: Iterable[LoadFailure],  # noqa: ARG002 -- taken by __new__
        feed: Feed,  # noqa: ARG002 -- taken by __new__
        total: int | None = None,  # noqa: ARG002 -- taken by __new__
    ) -> None:
        super().__init__(self.message, self.exceptions)

    def __str__(self) -> str:
        return self.message

    def derive(self, excs: Sequence[Exception]) -> ExceptionGroup[Exception]:  # type: ignore[override]  # only Exceptions are grouped
        """Return a plain group of *excs*: what ``except*`` and ``split`` hand on."""
        return ExceptionGroup(self.message, excs)

    def __reduce__(self) -> tuple[object, ...]:
        # The default reduction would call the class with the message.
        return (type(self), (self.failures, self.feed, self.total))


def _feed_load_message(failures: Sequence[LoadFailure], total: int | None) -> str:
    count = len(failures)
    files = "file" if (count if total is None else total) == 1 else "files"
    of = "" if total is None else f" of {total}"
    lines = [f"{count}{of} {files} could not be loaded:"]
    lines.extend(f"  {failure}" for failure in failures[: FeedLoadError.SHOWN])
    if count > FeedLoadError.SHOWN:
        lines.append(f"  ... and {count - FeedLoadError.SHOWN} more (see .failures)")
    return "\n".join(lines)


class QueryError(NewsfeedError, ValueError):
    """A criterion given to :meth:`Feed.filter` or :meth:`Feed.sort` is invalid.

    Raised before any article is looked at, with a message naming the
    criterion: an unreadable timestamp, a non-numeric quality bound, ``until``
    before ``since``, an unknown sort key.
    """


class FileConflictError(NewsfeedError, FileExistsError):
    """A file to be written is in the way.

    Raised by :func:`newsfeed.dump_dir` before it writes anything, for the
    first file in the way: one that holds something else (unless
    ``overwrite=True``), a folder or other file that is not a regular one, a
    file two articles of the feed claim, or one :func:`newsfeed.dump` would
    refuse to replace (read-only, or with other hard links).
    It is a :class:`FileExistsError` too: ``filename`` is the file's path
    and ``strerror`` the reason, as for any :class:`OSError`.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(errno.EEXIST, reason, os.fspath(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.filename, self.strerror))
