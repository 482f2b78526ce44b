"""Finding comments in front matter the fast reader did not read.

The canonical layout has no place for comments, so writing an article in it
would drop them. :func:`newsfeed.dumps` refuses to do that silently; for
files the fast reader declined, this module tells whether there are any.
"""

from __future__ import annotations

from typing import Final

import yaml
from yaml.events import ScalarEvent

__all__ = ["has_comments"]

_Loader: Final[type[yaml.SafeLoader]] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def has_comments(front_matter: str) -> bool:
    """Whether *front_matter* (valid YAML) holds a comment.

    A ``#`` is a comment when it starts a line or follows whitespace outside
    every scalar: libyaml's events give each scalar's span, so a ``#`` inside
    a quoted or plain string is not taken for one.
    """
    if "#" not in front_matter:
        return False
    spans = [
        (event.start_mark.index, event.end_mark.index)  # type: ignore[union-attr]
        for event in yaml.parse(front_matter, Loader=_Loader)
        if isinstance(event, ScalarEvent)
    ]
    position = front_matter.find("#")
    while position >= 0:
        starts_comment = position == 0 or front_matter[position - 1] in " \t\r\n"
        if starts_comment and not any(start <= position < end for start, end in spans):
            return True
        position = front_matter.find("#", position + 1)
    return False
