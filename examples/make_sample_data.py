"""Regenerate the sample articles in ``examples/data/`` with the project's corpus generator.

The examples and the documentation run against these files. They come from
``benchmarks/corpus.py`` with a fixed seed, so they are realistic (varied
providers, offsets, topics, related stories, optional keys, unknown keys,
non-ASCII text) and reproducible. One step is added: the generator spreads
dates over four years, which leaves about one article a month in a sample of
this size; here the articles are moved into twelve weeks of summer 2020 (each
keeps its UTC offset, and its related stories keep their distance from it),
so that a weekly digest or topics per month have something to show. The two
reference samples from ``tests/fixtures/`` are copied in as they are.

Usage::

    python examples/make_sample_data.py            # rewrite examples/data/
    python examples/make_sample_data.py --check    # exit 1 if examples/data/ is stale
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import random
import re
import sys
import tempfile
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import attrs

import newsfeed

REPOSITORY = Path(__file__).resolve().parent.parent
DATA = REPOSITORY / "examples" / "data"
FIXTURES = REPOSITORY / "tests" / "fixtures"

SEED = 2020
COUNT = 46
#: The twelve weeks the sample articles are published in (Monday 1 June 2020 on).
WINDOW_START = datetime(2020, 6, 1, tzinfo=UTC)
WINDOW = timedelta(weeks=12)


def _corpus() -> ModuleType:
    # benchmarks/ is a folder of scripts, not a package: load the generator by path.
    spec = importlib.util.spec_from_file_location("corpus", REPOSITORY / "benchmarks" / "corpus.py")
    if spec is None or spec.loader is None:  # pragma: no cover -- the file is in the repository
        raise ImportError("benchmarks/corpus.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "story"


def _in_window(article: newsfeed.Article, rng: random.Random) -> newsfeed.Article:
    """Move *article* into the window, and its related stories to within days of it."""
    moment = WINDOW_START + timedelta(minutes=rng.randrange(WINDOW // timedelta(minutes=1)))
    related = tuple(
        attrs.evolve(item, published_at=_near(moment, rng).astimezone(item.published_at.tzinfo))
        for item in article.related
    )
    updated = article.updated_at
    if updated is not None:
        # An update comes after publication, within days.
        later = moment + timedelta(minutes=rng.randrange(30, 4 * 24 * 60))
        updated = later.astimezone(updated.tzinfo)
    return attrs.evolve(
        article,
        published_at=moment.astimezone(article.published_at.tzinfo),
        related=related,
        updated_at=updated,
    )


def _near(moment: datetime, rng: random.Random) -> datetime:
    """Return a time from a day before *moment* to four days after: other outlets' coverage."""
    return moment + timedelta(minutes=rng.randrange(-24 * 60, 4 * 24 * 60))


def generate(folder: Path) -> list[Path]:
    """Write the sample articles into *folder*, which must be empty or absent."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)  # noqa: S311 -- reproducible sample dates, not secrets
    paths = []
    for index, article in enumerate(_corpus().articles(count=COUNT, seed=SEED)):
        path = folder / f"{index:02d}-{_slug(article.title)}.md"
        newsfeed.dump(_in_window(article, rng), path)
        paths.append(path)
    for fixture in sorted(FIXTURES.glob("*.md")):
        target = folder / fixture.name
        target.write_bytes(fixture.read_bytes())
        paths.append(target)
    return paths


def stale_files(folder: Path) -> list[str]:
    """Return the names of the files in *folder* that differ from a fresh generation."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch)
        generate(fresh)
        names = {path.name for path in fresh.glob("*.md")} | {p.name for p in folder.glob("*.md")}
        _, mismatch, errors = filecmp.cmpfiles(fresh, folder, sorted(names), shallow=False)
    return sorted(mismatch + errors)


def main(argv: list[str] | None = None) -> int:
    """Regenerate the samples, or with ``--check`` report whether they are stale."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DATA, help="(examples/data)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    options = parser.parse_args(argv)
    if options.check:
        stale = stale_files(options.folder)
        for name in stale:
            print(f"{options.folder / name}: differs from a fresh generation")
        if stale:
            print(f"{len(stale)} stale files; run: python examples/make_sample_data.py")
        else:
            print("the sample data is up to date")
        return 1 if stale else 0
    folder: Path = options.folder
    if folder.resolve() == DATA:
        for old in DATA.glob("*.md"):
            old.unlink()
    elif folder.exists() and any(folder.iterdir()):
        parser.error(f"{folder} is not empty; give a new folder (or none, for examples/data)")
    paths = generate(folder)
    print(f"wrote {len(paths)} files to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
