"""Shared test setup: the Hypothesis profile and the sample files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from strategies import SAMPLE_PATHS

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
