"""Sphinx configuration for the newsfeed documentation.

Sphinx with furo and MyST, as attrs, cattrs and structlog use: the pages are
Markdown, the API reference comes from the docstrings through autodoc (which
reads the reST roles the docstrings already use), and the build runs with
warnings as errors and nitpicky references in CI::

    python -m sphinx -n -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

from importlib.metadata import version as _version

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

project = "newsfeed"
author = "The newsfeed developers"
copyright = "2025, The newsfeed developers"
release = _version("newsfeed-articles")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# MyST: `:::` fences for directives beside code, `{attr}` on links, and
# anchors for headings down to level 3 so pages can link to sections.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Autodoc: members in the order the source defines them (the canonical field
# order of the format), type hints in the description rather than in long
# signatures, with the attrs-generated `__init__` signature on the class.
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True}

# The CI build is offline, so intersphinx (which downloads other projects'
# inventories) is not used. References to names outside this project that
# type hints and docstrings make are listed here instead of failing the
# nitpicky build; everything of newsfeed's own must resolve.
nitpick_ignore_regex = [
    ("py:.*", r"(attrs|cattrs|collections|datetime|os|pathlib|typing|yaml)(\..+)?"),
    ("py:class", r"(str|int|bool|dict|tuple|list|object|bytes|type|Exception|ValueError)"),
    ("py:class", r"(Any|Iterable|Iterator|Mapping|Sequence|Callable|Counter|Path|PathLike)"),
    ("py:class", r"(datetime|date|NoReturn|Self|TypeVar|_T|T)"),
    ("py:.*", r"(pandas|pd|tqdm|logging)(\..+)?"),
    ("py:.*", r"(pyarrow|pa|polars|pl)(\..+)?"),
    ("py:class", r"(IO|FileExistsError|OSError|OverflowError)"),
    ("py:.*", r"(dask|fsspec|sqlite3)(\..+)?"),
    # Private helpers named in type hints: the text around them says what they are.
    ("py:class", r"(_\w+|ErrorMode)"),
    # The opaque layout an Article keeps for dumps (docs/format.md says what it is).
    ("py:class", r"newsfeed\._format\.layout\.Layout"),
    ("py:mod", r"warnings"),
]

html_theme = "furo"
html_title = f"newsfeed {release}"
html_theme_options = {
    "source_directory": "docs/",
}


def _public_bases(
    _app: Sphinx, _name: str, _obj: object, _options: object, bases: list[type]
) -> None:
    """Show a private base class (``_LocatedError``) as the public classes it derives from."""
    index = 0
    while index < len(bases):
        base = bases[index]
        if base.__name__.startswith("_"):
            bases[index : index + 1] = list(base.__bases__)
        else:
            index += 1


def _public_target(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.Element | None:
    """Point ``newsfeed._model.Article`` (from a type hint) at ``newsfeed.Article``.

    Type hints name the private module a class is defined in; the reference
    documents each public name once, where users import it from.
    """
    target: str = node.get("reftarget", "")
    module, _, name = target.rpartition(".")
    if node.get("refdomain") != "py" or not module.startswith("newsfeed._"):
        return None
    import newsfeed  # noqa: PLC0415 -- imported when Sphinx needs it, after the path is set

    if name not in newsfeed.__all__:
        return None
    node["reftarget"] = f"newsfeed.{name}"
    return env.get_domain("py").resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], f"newsfeed.{name}", node, contnode
    )


#: Classes users get from newsfeed but never build: their constructor's
#: parameters (private types among them) are not part of the API.
_NOT_BUILT_BY_USERS = frozenset({"newsfeed.DirIterator"})


def _no_constructor_parameters(
    app: Sphinx, domain: str, _objtype: str, contentnode: nodes.Element
) -> None:
    """Keep autodoc from listing the constructor parameters of :data:`_NOT_BUILT_BY_USERS`.

    Runs before autodoc merges the recorded type hints into the description.
    """
    signature = contentnode.parent[0]
    # The description's first child is its signature: the element naming the object.
    if domain != "py" or not isinstance(signature, nodes.Element):
        return
    fullname = f"{signature.get('module', '')}.{signature.get('fullname', '')}"
    if fullname in _NOT_BUILT_BY_USERS:
        app.env.current_document.autodoc_annotations.pop(fullname, None)


def setup(app: Sphinx) -> None:
    """Connect the handlers that keep the reference on public names."""
    app.connect("autodoc-process-bases", _public_bases)
    app.connect("missing-reference", _public_target)
    # Before autodoc's own handler (priority 500) adds the parameters.
    app.connect("object-description-transform", _no_constructor_parameters, priority=400)
