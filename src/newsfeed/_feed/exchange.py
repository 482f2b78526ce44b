"""Reading feeds back from the exchange formats: JSON Lines and Parquet."""

from __future__ import annotations

import os

from newsfeed._feed import arrow as arrow_export
from newsfeed._feed import jsonl as jsonl_export
from newsfeed._feed.feed import Feed

__all__ = ["load_jsonl", "load_parquet"]


def load_jsonl(path_or_file: jsonl_export.PathOrFile) -> Feed:
    """Return the feed of a JSON Lines file that :meth:`Feed.to_jsonl` wrote.

    *path_or_file* is a path or an open text or binary file; blank lines
    are skipped. Every attribute comes back as it was written, ``body``,
    ``path`` and ``extra`` included, so the feed equals the one written.
    Raises :class:`~newsfeed.ParseError` for a line that is not JSON (or is
    JSON Python cannot read: an integer of more than 4300 digits, nesting too
    deep), and :class:`~newsfeed.ValidationError` for one that is not an
    article (an unknown field, a wrong type, ``extra`` nested more than 128
    deep, a lone surrogate outside the bytes of a file name that is not
    UTF-8, which no export could write again), each with the file and the
    line.
    """
    return Feed(jsonl_export.read_jsonl(path_or_file))


def load_parquet(path: str | os.PathLike[str]) -> Feed:
    """Return the feed of a Parquet file that :meth:`Feed.to_parquet` wrote.

    Needs the extra ``newsfeed-articles[pyarrow]``.
    """
    return Feed(arrow_export.read_parquet(path))
