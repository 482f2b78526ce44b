"""Shared test setup: the Hypothesis profile, the sample files, and the YAML loader."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from newsfeed._format import safe_yaml
from strategies import SAMPLE_PATHS

#: NEWSFEED_TEST_PURE_YAML=1 reads every file with PyYAML's pure-Python loader,
#: as on an install of PyYAML without libyaml (CI runs the safety and round-trip
#: tests once this way).
PURE_YAML_ONLY: bool = os.environ.get("NEWSFEED_TEST_PURE_YAML", "") == "1"
safe_yaml._force_pure_python = PURE_YAML_ONLY

# No per-example deadline: the suite runs on shared, busy machines, where a
# slow example is noise, not a failure (speed is measured in benchmarks/).
# `HYPOTHESIS_PROFILE=thorough` runs many more examples when hunting bugs.
settings.register_profile("newsfeed", deadline=None, max_examples=100)
settings.register_profile("thorough", deadline=None, max_examples=5_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "newsfeed"))


@pytest.fixture(params=SAMPLE_PATHS, ids=[path.stem for path in SAMPLE_PATHS])
def sample_path(request: pytest.FixtureRequest) -> Path:
    """Return each reference sample file in tests/fixtures/ in turn."""
    path: Path = request.param
    return path


@pytest.fixture
def sample_text(sample_path: Path) -> str:
    """Return the text of each reference sample file."""
    return sample_path.read_text(encoding="utf-8")


@pytest.fixture(
    scope="module",
    params=["pure"] if PURE_YAML_ONLY else ["libyaml", "pure"],
)
def yaml_loader(request: pytest.FixtureRequest) -> Iterator[str]:
    """Read with each of PyYAML's loaders in turn: libyaml's, then the pure-Python one.

    Module-scoped, so that Hypothesis tests may use it too.
    """
    loader: str = request.param
    if loader == "libyaml" and not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML is installed without libyaml")
    safe_yaml._force_pure_python = loader == "pure"
    try:
        yield loader
    finally:
        safe_yaml._force_pure_python = PURE_YAML_ONLY
