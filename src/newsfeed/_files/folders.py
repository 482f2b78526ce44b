"""Writing a whole feed into a folder, one file per article, under the producers' file names."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from newsfeed._errors import FileConflictError
from newsfeed._files.writing import is_read_only, write_atomically
from newsfeed._format.writing import dumps_naming
from newsfeed._model import Article

__all__ = ["SLUG_MAX_LENGTH", "dump_dir", "file_name", "slugify"]

#: The longest slug :func:`slugify` returns: with the date and ``.md`` a name
#: stays under 100 characters, far from the 255 bytes file systems allow.
SLUG_MAX_LENGTH: Final = 80
#: The slug of a title with no ASCII letter or digit at all (Chinese, emoji).
EMPTY_SLUG: Final = "article"

_NOT_ALPHANUMERIC: Final = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, max_length: int = SLUG_MAX_LENGTH) -> str:
    """Return *text* as a lower-case ASCII slug: ``"Café: 5G, à Paris!"`` -> ``"cafe-5g-a-paris"``.

    Accents are dropped after Unicode NFKD decomposition, every run of other
    characters becomes one ``-``, and a slug longer than *max_length* is cut
    at the last ``-`` that fits (mid-word only when one word is longer).
    A title with no ASCII letter or digit gives ``"article"``.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_ALPHANUMERIC.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1].rfind("-")
        slug = slug[:cut] if cut > 0 else slug[:max_length]
    return slug or EMPTY_SLUG


def file_name(article: Article) -> str:
    """Return the producers' file name of *article*: ``YYYY-MM-DD-slug-of-the-title.md``.

    The date is the day of ``published_at`` in its own offset, as a reader
    of the article would see it.
    """
    return f"{article.published_at.date().isoformat()}-{slugify(article.title)}.md"


def _with_number(name: str, number: int) -> str:
    return f"{name.removesuffix('.md')}-{number}.md"


def _kept_path(article: Article, root: Path) -> Path | None:
    """Return the article's own file if it lies under *root*, else None.

    Where its name lies, not where a link by that name leads: an article read
    through a link in the folder (to a file outside it, with
    ``follow_outside_links``) is written back through the link, as
    :func:`newsfeed.dump` writes, rather than beside it under a new name.
    """
    if article.path is None:
        return None
    given = Path(article.path)
    own = given.parent.resolve() / given.name
    return own if own.is_relative_to(root) and own != root else None


def _plan(articles: tuple[Article, ...], root: Path) -> list[Path]:
    """Choose each article's file: its own under *root*, else a free producer's name."""
    targets: list[Path | None] = [_kept_path(article, root) for article in articles]
    # Kept files are fixed first, so a new name never takes one of them.
    taken = {os.path.normcase(target) for target in targets if target is not None}
    for index, article in enumerate(articles):
        if targets[index] is not None:
            continue
        name = file_name(article)
        candidate, number = root / name, 1
        while os.path.normcase(candidate) in taken:
            number += 1
            candidate = root / _with_number(name, number)
        taken.add(os.path.normcase(candidate))
        targets[index] = candidate
    return [target for target in targets if target is not None]


def dump_dir(
    feed: Iterable[Article], folder: str | os.PathLike[str], *, overwrite: bool = False
) -> list[Path]:
    """Write each article of *feed* (any iterable of articles) into *folder*, one file each.

    An article whose ``path`` lies under *folder* is written back to that
    file, its own. Any other article goes to
    ``YYYY-MM-DD-slug-of-the-title.md`` directly in *folder*: the day of
    ``published_at`` in its own offset, and the title in lower-case ASCII
    (accents dropped), other characters turned into single dashes, cut at a
    dash to at most 80 characters (``article`` when nothing is left). When
    several articles would take the same name, the first keeps it and the
    next ones, in feed order, get ``-2``, ``-3``... So the same feed always
    gives the same names. Missing folders are created.

    A file that already holds exactly the text to write is left alone (not
    even rewritten), so writing a feed again changes nothing. A file under a
    new name that holds anything else is never replaced unless *overwrite*
    is true: :class:`~newsfeed.FileConflictError` (a
    :class:`FileExistsError`) names the first such file, and it is raised
    before any file is written. So is, whatever *overwrite* says, a folder
    or anything but a regular file in the way, two articles with the same
    ``path`` and different content, and a file to be replaced that
    :func:`newsfeed.dump` would refuse by default (read-only, or with other
    hard links): ``dump`` itself, with its options, can replace those. Each
    file is written atomically, as :func:`newsfeed.dump` writes it.

    Returns the file of each article, in feed order, as *folder* joined
    with its name (or its path under *folder*).
    """
    articles = tuple(feed)
    root = Path(folder).resolve()
    kept = [_kept_path(article, root) is not None for article in articles]
    targets = _plan(articles, root)
    texts = [
        dumps_naming(article, target).encode("utf-8")
        for article, target in zip(articles, targets, strict=True)
    ]
    # By the file each name leads to: two names of one file (a link in the
    # folder to another of its files) are one file, whose edit must not be
    # overwritten by the other name's text.
    reals = [target.resolve() for target in targets]
    planned: dict[Path, bytes] = {}
    # Files that hold their text already: left alone.
    unchanged: set[Path] = set()
    for target, real, text, own in zip(targets, reals, texts, kept, strict=True):
        if real in planned:
            if planned[real] != text:
                raise FileConflictError(
                    target, "two articles of the feed have this file as their path"
                )
            continue
        planned[real] = text
        if _check_target(target, text, replace=own or overwrite):
            unchanged.add(real)
    root.mkdir(parents=True, exist_ok=True)
    for target, real in zip(targets, reals, strict=True):
        if real not in planned:
            continue  # the same article twice: written once
        text = planned.pop(real)
        if real in unchanged:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # The text dump would write, made above: by dump's own rules.
        write_atomically(target, text)
    return [Path(folder) / target.relative_to(root) for target in targets]


def _check_target(target: Path, text: bytes, *, replace: bool) -> bool:
    """Return whether *target* holds *text* already; raise if it is in the way of writing it.

    Everything dump would refuse is refused here, before any file is
    written, so that a feed is never left half written for a reason known
    in advance. A FIFO is never opened: reading it would wait for ever.
    """
    try:
        existing = target.stat()
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(existing.st_mode):
        raise FileConflictError(target, "is a folder")
    if not stat.S_ISREG(existing.st_mode):
        raise FileConflictError(target, "is not a regular file")
    if target.read_bytes() == text:
        return True
    if not replace:
        raise FileConflictError(
            target, "exists and holds something else; pass overwrite=True to replace it"
        )
    if is_read_only(target, existing):
        reason = "is read-only"
    elif existing.st_nlink > 1:
        reason = f"has {existing.st_nlink} hard links"
    else:
        return False
    raise FileConflictError(
        target,
        f"{reason}; dump_dir does not replace it"
        " (newsfeed.dump can: see its overwrite_readonly and hard_links)",
    )
