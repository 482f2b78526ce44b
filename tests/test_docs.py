import re
from pathlib import Path

import newsfeed

DOCS = Path(__file__).resolve().parent.parent / "docs"


class TestApiReference:
    """The API page documents exactly the public names of the package."""

    def test_every_public_name_has_an_entry(self) -> None:
        """Each name in newsfeed.__all__ has an autodoc (or data) directive, and no other name."""
        text = (DOCS / "api.md").read_text(encoding="utf-8")

        documented = re.findall(r"^\.\. (?:auto\w+|data):: (\w+)", text, flags=re.MULTILINE)

        assert sorted(documented) == sorted(newsfeed.__all__)


class TestPages:
    """Every page of docs/ is reachable and its examples are collected."""

    def test_every_page_is_in_a_toctree(self) -> None:
        """Each Markdown page but the index is listed in the index's toctrees."""
        index = (DOCS / "index.md").read_text(encoding="utf-8")
        toctrees = re.findall(r"```\{toctree\}\n(.*?)```", index, flags=re.DOTALL)
        listed = {
            line.strip()
            for block in toctrees
            for line in block.splitlines()
            if line.strip() and not line.startswith(":")
        }

        pages = {path.stem for path in DOCS.glob("*.md")} - {"index"}

        assert pages == listed

    def test_python_examples_are_doctests_or_code(self) -> None:
        """Guide pages hold Python examples, which docs/conftest.py collects with Sybil."""
        for name in ("quickstart", "format", "loading", "querying", "writing"):
            text = (DOCS / f"{name}.md").read_text(encoding="utf-8")
            assert "```python\n>>> " in text, name
