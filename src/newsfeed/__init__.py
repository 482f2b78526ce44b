"""Typed, safe, byte-faithful news articles stored as Markdown with YAML front matter.

>>> import newsfeed
>>> article = newsfeed.loads(text)          # doctest: +SKIP
>>> newsfeed.dumps(article) == text         # doctest: +SKIP
True
"""

from newsfeed._errors import (
    FeedLoadError,
    FileConflictError,
    LoadFailure,
    NewsfeedError,
    NewsfeedWarning,
    ParseError,
    QueryError,
    ValidationError,
)
from newsfeed._feed.exchange import load_jsonl, load_parquet
from newsfeed._feed.feed import Feed
from newsfeed._feed.folder import DirIterator, iter_dir, load_dir
from newsfeed._files.folders import dump_dir
from newsfeed._files.reading import load
from newsfeed._files.writing import dump
from newsfeed._format.json_schema import json_schema
from newsfeed._format.reading import loads
from newsfeed._format.records import from_dict, to_dict
from newsfeed._format.writing import dumps
from newsfeed._index.index import Index
from newsfeed._index.schema import IndexRebuiltWarning, NotAnIndexError
from newsfeed._index.update import IndexUpdate
from newsfeed._model import Article, FrozenDict, Image, Provider, RelatedArticle

__version__ = "0.1.0"

__all__ = [
    "Article",
    "DirIterator",
    "Feed",
    "FeedLoadError",
    "FileConflictError",
    "FrozenDict",
    "Image",
    "Index",
    "IndexRebuiltWarning",
    "IndexUpdate",
    "LoadFailure",
    "NewsfeedError",
    "NewsfeedWarning",
    "NotAnIndexError",
    "ParseError",
    "Provider",
    "QueryError",
    "RelatedArticle",
    "ValidationError",
    "__version__",
    "dump",
    "dump_dir",
    "dumps",
    "from_dict",
    "iter_dir",
    "json_schema",
    "load",
    "load_dir",
    "load_jsonl",
    "load_parquet",
    "loads",
    "to_dict",
]
