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
        (event.start_mark.index, event.end_mark.index)  # type: ignore[union-attr]
        for event in yaml.parse(front_matter, Loader=loader_class())
        if isinstance(event, ScalarEvent)
    ]
    position = front_matter.find("#")
    while position >= 0:
        if not any(start <= position < end for start, end in spans):
            return True
        position = front_matter.find("#", position + 1)
    return False
