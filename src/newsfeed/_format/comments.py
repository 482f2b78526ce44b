"""Finding comments in front matter the fast reader did not read.

The canonical layout has no place for comments, so writing an article in it
would drop them. :func:`newsfeed.dumps` refuses to do that silently; for
files the fast reader declined, this module tells whether there are any.
"""

from __future__ import annotations

import yaml
from yaml.events import ScalarEvent

from newsfeed._format.safe_yaml import loader_class

__all__ = ["has_comments"]


def has_comments(front_matter: str) -> bool:
    """Whether *front_matter* (YAML the reference path read) holds a comment.

    Any ``#`` outside every scalar is taken for one: the parser's events give
    each scalar's span, so a ``#`` inside a quoted or plain string is not.
    YAML wants a space before a comment, but its loaders also read one right
    after a closing quote or bracket, or after a line break other than a
    line feed (U+0085, U+2028). (Tags and anchors, where a ``#`` could be
    neither, are refused before this runs.) It is parsed with the loader that
    read it: the two loaders do not refuse quite the same texts.
    """
    if "#" not in front_matter:
        return False
    spans = [
        _text_span(event, front_matter)
        for event in yaml.parse(front_matter, Loader=loader_class())
        if isinstance(event, ScalarEvent)
    ]
    position = front_matter.find("#")
    while position >= 0:
        if not any(start <= position < end for start, end in spans):
            return True
        position = front_matter.find("#", position + 1)
    return False


def _text_span(event: ScalarEvent, front_matter: str) -> tuple[int, int]:
    """Return where a scalar's text lies: a block scalar's starts after its header line.

    The parser's span of a block scalar starts at its ``|`` or ``>``, and the
    header line may end in a comment (``excerpt: >- # shortened``).
    """
    start: int = event.start_mark.index  # type: ignore[union-attr]
    end: int = event.end_mark.index  # type: ignore[union-attr]
    if event.style in ("|", ">"):
        header_end = front_matter.find("\n", start, end)
        start = end if header_end < 0 else header_end
    return start, end
