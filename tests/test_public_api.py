"""The public API: `newsfeed.__all__` is exact, the contract names exist, the package is typed."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import types
from datetime import UTC, datetime
from importlib import resources
from importlib.metadata import version
from pathlib import Path

import attrs
import pytest

import newsfeed
from newsfeed._feed.criteria import SORT_KEYS
from newsfeed._feed.frame import RECORD_COLUMNS

#: Names the issues fix as the contract (core, feeds).
CONTRACT = (
    "Article",
    "RelatedArticle",
    "Provider",
    "Image",
    "loads",
    "load",
    "dumps",
    "dump",
    "to_dict",
    "from_dict",
    "NewsfeedError",
    "ParseError",
    "ValidationError",
    "Feed",
    "load_dir",
    "iter_dir",
    # Issue 12: writing folders, exchange formats.
    "dump_dir",
    "load_jsonl",
    "load_parquet",
    "json_schema",
)


ROOT = Path(__file__).parent.parent
STAMP = datetime(2020, 1, 1, tzinfo=UTC)


def _public_names() -> set[str]:
    return {
        name
        for name, value in vars(newsfeed).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }


class TestAll:
    """`__all__` lists exactly what the package offers."""

    def test_sorted(self) -> None:
        """`__all__` is sorted, so additions land in one obvious place."""
        assert newsfeed.__all__ == sorted(newsfeed.__all__)

    def test_no_duplicates(self) -> None:
        """Each name is listed once."""
        assert len(set(newsfeed.__all__)) == len(newsfeed.__all__)

    def test_every_name_exists(self) -> None:
        """Every listed name is an attribute of the package."""
        missing = [name for name in newsfeed.__all__ if not hasattr(newsfeed, name)]

        assert missing == []

    def test_exactly_the_public_names(self) -> None:
        """`__all__` is the set of non-underscore, non-module attributes, plus `__version__`."""
        assert set(newsfeed.__all__) == _public_names() | {"__version__"}

    def test_star_import(self) -> None:
        """`from newsfeed import *` gives exactly `__all__`."""
        namespace: dict[str, object] = {}
        exec("from newsfeed import *", namespace)  # noqa: S102 -- the import under test
        namespace.pop("__builtins__")

        assert set(namespace) == set(newsfeed.__all__)

    @pytest.mark.parametrize("name", CONTRACT)
    def test_contract_name(self, name: str) -> None:
        """Each name the issues promise is public."""
        assert name in newsfeed.__all__

    def test_public_objects_come_from_private_modules(self) -> None:
        """Classes and functions are defined in private modules and re-exported."""
        for name in newsfeed.__all__:
            module = getattr(getattr(newsfeed, name), "__module__", None)
            if module is not None:
                assert module == "newsfeed" or module.startswith("newsfeed._"), name


class TestModel:
    """The model classes are frozen, slotted attrs classes."""

    @pytest.mark.parametrize(
        "instance",
        [
            newsfeed.Article(title="T", web_url="u", published_at=STAMP),
            newsfeed.RelatedArticle(title="T", web_url="u", published_at=STAMP),
            newsfeed.Provider(name="P"),
            newsfeed.Image(url="u"),
        ],
        ids=lambda instance: type(instance).__name__,
    )
    def test_frozen_slotted_attrs(self, instance: object) -> None:
        """Each model class is an attrs class with slots that refuses changes."""
        assert attrs.has(type(instance))
        assert "__slots__" in vars(type(instance))
        assert not hasattr(instance, "__dict__")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            instance.extra = {}  # type: ignore[attr-defined]  # the case under test

    def test_extra_is_read_only(self) -> None:
        """`extra` cannot be changed in place; attrs.evolve makes a changed copy."""
        provider = newsfeed.Provider(name="P", extra={"images": []})

        with pytest.raises(TypeError):
            provider.extra["x"] = 1  # type: ignore[index]  # the case under test
        assert attrs.evolve(provider, extra={"x": 1}).extra == {"x": 1}
        assert provider.extra == {"images": []}

    def test_article_field_names(self) -> None:
        """Article has the snake_case attributes the issue lists, in canonical order."""
        assert [field.name for field in attrs.fields(newsfeed.Article)] == [
            "category",
            "title",
            "excerpt",
            "published_at",
            "updated_at",
            "original_url",
            "web_url",
            "amp_web_url",
            "cdn_amp_web_url",
            "type",
            "quality",
            "heat",
            "published",
            "featured_content",
            "provider",
            "topics",
            "images",
            "related",
            "secured",
            "extra",
            "body",
            "path",
            "_layout",
        ]

    def test_related_field_names(self) -> None:
        """RelatedArticle has the attributes the issue lists, images included."""
        assert [field.name for field in attrs.fields(newsfeed.RelatedArticle)] == [
            "title",
            "excerpt",
            "published_at",
            "web_url",
            "amp_web_url",
            "cdn_amp_web_url",
            "type",
            "provider",
            "quality",
            "images",
            "extra",
        ]

    def test_image_and_provider_positional(self) -> None:
        """Provider(name, domain) and Image(url, width, height, is_cached) take positions."""
        assert newsfeed.Provider("P", "p.com") == newsfeed.Provider(name="P", domain="p.com")
        assert newsfeed.Image("u", 1, 2, True) == newsfeed.Image(
            url="u", width=1, height=2, is_cached=True
        )


class TestPackage:
    """Version and typing metadata ship with the package."""

    def test_version(self) -> None:
        """`__version__` is the version of the installed distribution, newsfeed-articles."""
        assert isinstance(newsfeed.__version__, str)
        assert newsfeed.__version__ == version("newsfeed-articles")

    def test_extras_name_the_project_itself(self) -> None:
        """Extras that pull in other extras name this distribution, not the unrelated `newsfeed`."""
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        own = [
            requirement.split("[", 1)[0]
            for requirements in project["optional-dependencies"].values()
            for requirement in requirements
            if requirement.startswith("newsfeed")
        ]

        assert project["name"] == "newsfeed-articles"
        assert own
        assert set(own) == {project["name"]}

    def test_notebook_extra_draws_a_jupyter_bar(self) -> None:
        """The `notebook` extra brings tqdm and ipywidgets, which tqdm.auto's widget bar needs."""
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        names = {
            requirement.split(">", 1)[0].split("[", 1)[0]
            for requirement in project["optional-dependencies"]["notebook"]
        }

        assert names == {"tqdm", "ipywidgets"}

    def test_readme_names_the_python_versions(self) -> None:
        """The README says which Python versions are supported, as the classifiers do."""
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        versions = [
            classifier.rsplit(" :: ", 1)[1]
            for classifier in project["classifiers"]
            if classifier.startswith("Programming Language :: Python :: 3.")
        ]

        assert project["requires-python"] == ">=3.11"
        assert "Python 3.11 and later" in readme
        assert f"CPython {', '.join(versions[:-1])} and {versions[-1]}" in readme

    def test_py_typed(self) -> None:
        """The package ships a py.typed marker (PEP 561)."""
        assert resources.files("newsfeed").joinpath("py.typed").is_file()

    def test_import_leaves_out_what_most_processes_never_use(self) -> None:
        """`import newsfeed` imports neither importlib.metadata nor the process pool.

        Together they took 3.6 MiB of every process, a few percent of a
        loaded feed's peak, for a version string and for `workers=N`.
        """
        script = (
            "import sys, newsfeed\n"
            "heavy = ('importlib.metadata', 'concurrent.futures', 'multiprocessing')\n"
            "print(sorted(name for name in heavy if name in sys.modules))\n"
        )
        result = subprocess.run(  # noqa: S603 -- our own interpreter and arguments, no shell
            [sys.executable, "-c", script], check=True, capture_output=True, text=True, timeout=60
        )
        assert result.stdout == "[]\n"


class TestDocstringsNameTheColumns:
    """Docstrings that list columns or keys list the ones the code has, so they cannot go stale."""

    @staticmethod
    def _names(text: str) -> list[str]:
        return re.findall(r"``(\w+)``", text)

    def test_to_records_lists_its_keys_in_order(self) -> None:
        """Feed.to_records' first paragraph names every record key, in the records' order."""
        doc = newsfeed.Feed.to_records.__doc__ or ""
        listed = doc.split("\n\n")[1]
        assert self._names(listed) == list(RECORD_COLUMNS)

    def test_sort_lists_every_name_it_takes(self) -> None:
        """Feed.sort's docstring names every key the sort accepts, and no other."""
        doc = newsfeed.Feed.sort.__doc__ or ""
        listed = doc[doc.index("*by* is") : doc.index("The sort")]
        assert sorted(self._names(listed)) == sorted(SORT_KEYS)


@pytest.fixture(scope="module")
def api_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the API reference as Sphinx renders it to text."""
    out = tmp_path_factory.mktemp("docs")
    subprocess.run(  # noqa: S603 -- our own interpreter and arguments, no shell
        [sys.executable, "-m", "sphinx", "-q", "-b", "text", str(ROOT / "docs"), str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return (out / "api.txt").read_text(encoding="utf-8")


class TestApiPage:
    """The rendered API reference speaks in public names and describes what errors carry."""

    def test_no_private_names(self, api_page: str) -> None:
        """No private module, underscore type or internal alias shows in the rendered page."""
        assert re.findall(r"newsfeed\._[a-z]\w*", api_page) == []
        assert re.findall(r"(?<![\w.])_[A-Z]\w*", api_page) == []
        assert "ErrorMode" not in api_page

    @pytest.mark.parametrize(
        ("error", "attributes"),
        [
            ("ParseError", ("reason", "source", "field", "line")),
            ("FeedLoadError", ("failures", "total")),
            ("LoadFailure", ("path", "error")),
        ],
    )
    def test_error_attributes_are_described(
        self, api_page: str, error: str, attributes: tuple[str, ...]
    ) -> None:
        """Each attribute of an error gets its own entry, with its type, under the error."""
        start = api_page.index(f"newsfeed.{error}(")
        end = re.compile(r"^(class|exception) ", re.MULTILINE).search(api_page, start + 1)
        section = api_page[start : None if end is None else end.start()]
        for attribute in attributes:
            assert re.search(rf"^   {attribute}: \S", section, re.MULTILINE), attribute


class TestUserPages:
    """The documentation speaks to users, not to the project's maintainers."""

    @pytest.mark.parametrize(
        "page", sorted((ROOT / "docs").glob("*.md")), ids=lambda page: page.name
    )
    def test_no_maintainer_notes(self, page: Path) -> None:
        """No page names the project's issues or weighs the tools the docs are built with."""
        text = page.read_text(encoding="utf-8").casefold()

        for phrase in ("the speed issue", "mkdocs", "mkdocstrings"):
            assert phrase not in text, phrase
