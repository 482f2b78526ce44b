"""Typed, safe, byte-faithful news articles stored as Markdown with YAML front matter.

>>> import newsfeed
>>> article = newsfeed.loads(text)          # doctest: +SKIP
>>> newsfeed.dumps(article) == text         # doctest: +SKIP
True
"""

from importlib.metadata import version as _version

from newsfeed._convert import from_dict, to_dict
from newsfeed._errors import NewsfeedError, ParseError, ValidationError
from newsfeed._load import load, loads
from newsfeed._model import Article, FrozenDict, Image, Provider, RelatedArticle
from newsfeed._write import dump, dumps

__version__ = _version("newsfeed")

__all__ = [
    "Article",
    "FrozenDict",
    "Image",
    "NewsfeedError",
    "ParseError",
    "Provider",
    "RelatedArticle",
    "ValidationError",
    "__version__",
    "dump",
    "dumps",
    "from_dict",
    "load",
    "loads",
    "to_dict",
]
