"""The public API: `newsfeed.__all__` is exact, the contract names exist, the package is typed."""

from __future__ import annotations

import types
from datetime import UTC, datetime
from importlib import resources
from importlib.metadata import version

import attrs
import pytest

import newsfeed

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
)


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
            instance.extra = {}  # type: ignore[attr-defined]

    def test_extra_is_read_only(self) -> None:
        """`extra` cannot be changed in place; attrs.evolve makes a changed copy."""
        provider = newsfeed.Provider(name="P", extra={"images": []})

        with pytest.raises(TypeError):
            provider.extra["x"] = 1  # type: ignore[index]
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
        """`__version__` is the installed distribution's version string."""
        assert isinstance(newsfeed.__version__, str)
        assert newsfeed.__version__ == version("newsfeed")

    def test_py_typed(self) -> None:
        """The package ships a py.typed marker (PEP 561)."""
        assert resources.files("newsfeed").joinpath("py.typed").is_file()
