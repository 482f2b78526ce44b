"""Scale out: load a large corpus with dask.bag on a dask.distributed cluster.

Usage::

    python examples/scale_out.py [--count N] [--workers W]

The script writes N article files (2000 by default) with the project's corpus
generator into a temporary folder, adds a few bad files, and loads them all
with :mod:`dask.bag` and :func:`newsfeed.loads` on a ``dask.distributed``
``LocalCluster`` of W worker processes (2 by default). The same code runs on a
real cluster: only the ``Client`` changes.

It shows that articles and errors cross process boundaries cleanly:

- each task returns an :class:`~newsfeed.Article` or, for a bad file, a
  :class:`~newsfeed.LoadFailure` holding the error, so one bad file is a value
  to report, not a crashed computation;
- the articles that come back from the workers equal those loaded in this
  process, and the errors keep their class, file, line and field;
- an error raised inside a worker is raised again on the client, with the
  same class and attributes.

It needs the optional extra ``newsfeed-articles[dask]`` (``dask[bag]`` and ``distributed``).
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import newsfeed

REPOSITORY = Path(__file__).resolve().parent.parent

#: Files no loader should accept, each for a different reason.
BAD_FILES = {
    "bad-duplicate-key.md": b"---\ntitle: One\ntitle: Two\n---\n\n",
    "bad-alias.md": b"---\ntitle: &t Once\nexcerpt: *t\n---\n\n",
    "bad-missing-url.md": b'---\ntitle: "No link"\npublishedDateTime: 2020-06-11T12:02:00Z\n---\n',
    "bad-quality.md": (
        b'---\ntitle: "Typed"\npublishedDateTime: 2020-06-11T12:02:00Z\n'
        b'webUrl: "https://example.com/typed"\nquality: high\n---\n\n'
    ),
    "bad-encoding.md": b"---\ntitle: caf\xe9\n---\n\n",
}


def load_or_failure(path: str) -> newsfeed.Article | newsfeed.LoadFailure:
    """Load one file in a worker; a bad file becomes a value instead of an exception."""
    try:
        with Path(path).open("rb") as file:
            return newsfeed.loads(file.read(), source=path)
    except (newsfeed.NewsfeedError, OSError) as error:
        return newsfeed.LoadFailure(Path(path), error)


def is_article(item: object) -> bool:
    """Whether a task's result is an article (rather than a failure)."""
    return isinstance(item, newsfeed.Article)


def provider_name(article: newsfeed.Article) -> str:
    """Return the outlet of *article*, for counting on the cluster."""
    return article.provider.name or "?" if article.provider else "?"


def worker_pid(_: object) -> int:
    """Return the id of the process the task runs in."""
    return os.getpid()


def _corpus() -> ModuleType:
    # benchmarks/ is a folder of scripts, not a package: load the generator by path.
    spec = importlib.util.spec_from_file_location("corpus", REPOSITORY / "benchmarks" / "corpus.py")
    if spec is None or spec.loader is None:  # pragma: no cover -- the file is in the repository
        raise ImportError("benchmarks/corpus.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_corpus(folder: Path, count: int) -> list[str]:
    started = time.perf_counter()
    _corpus().generate(folder, count=count, seed=0)
    for name, data in BAD_FILES.items():
        (folder / name).write_bytes(data)
    paths = sorted(str(path) for path in folder.glob("*.md"))
    size = sum(Path(path).stat().st_size for path in paths) / 1024**2
    print(
        f"wrote {count} good and {len(BAD_FILES)} bad files ({size:.1f} MiB)"
        f" in {time.perf_counter() - started:.1f} s"
    )
    return paths


def run(paths: list[str], *, workers: int) -> int:
    """Load *paths* on a local cluster and check what comes back; return an exit status."""
    import dask.bag as db  # noqa: PLC0415 -- optional extra, imported once needed
    from distributed import Client, LocalCluster  # noqa: PLC0415 -- optional extra

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        # One task below fails on purpose, which a worker logs as an error.
        silence_logs=logging.CRITICAL,
    )
    with cluster, Client(cluster) as client:
        bag = db.from_sequence(paths, npartitions=workers * 4).map(load_or_failure)
        started = time.perf_counter()
        results = bag.compute()
        elapsed = time.perf_counter() - started
        articles = [item for item in results if isinstance(item, newsfeed.Article)]
        failures = [item for item in results if isinstance(item, newsfeed.LoadFailure)]
        pids = set(db.from_sequence(range(workers * 8), npartitions=workers * 4).map(worker_pid))
        print(
            f"loaded {len(articles)} articles and {len(failures)} failures in {elapsed:.1f} s"
            f" on {len(pids - {os.getpid()})} worker processes"
        )

        # Counting happens on the workers; only the counts come back.
        top = bag.filter(is_article).map(provider_name).frequencies().topk(3, key=1).compute()
        print("most frequent providers:", ", ".join(f"{name} ({count})" for name, count in top))

        print("\nbad files, reported as values:")
        for failure in failures:
            print(f"  {type(failure.error).__name__}: {failure}")

        # What came back through pickling equals what this process loads itself.
        local = newsfeed.load_dir(Path(paths[0]).parent, errors="skip")
        same_articles = articles == list(local)
        same_errors = [(str(f), type(f.error)) for f in failures] == [
            (str(f), type(f.error)) for f in local.errors
        ]
        print(f"\narticles equal to a local load_dir: {same_articles}")
        print(f"errors equal to a local load_dir (class, file, line, field): {same_errors}")

        # An error raised in a worker is raised again here, attributes and all.
        future = client.submit(newsfeed.loads, b"---\ntitle: [unclosed\n---\n", source="inline.md")
        try:
            future.result()
        except newsfeed.ParseError as error:
            print(
                f"raised in a worker, caught here: {type(error).__name__}"
                f" (source={error.source!r}, line={error.line})"
            )
            raised_here = error.source == "inline.md" and error.line is not None
        else:  # pragma: no cover -- the text above never parses
            raised_here = False
    ok = same_articles and same_errors and raised_here and len(failures) == len(BAD_FILES)
    print("\nall checks passed" if ok else "\nSOME CHECKS FAILED")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Generate the corpus, then load it on the cluster."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="good files to generate (2000)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    options = parser.parse_args(argv)
    if options.count < 1 or options.workers < 1:
        parser.error("--count and --workers must be at least 1")
    try:
        import dask.bag  # noqa: F401, PLC0415 -- only checking that the extra is installed
        import distributed  # noqa: F401, PLC0415
    except ImportError:
        parser.exit(2, "scale_out.py needs dask: pip install 'newsfeed-articles[dask]'\n")
    # load_dir(errors="skip") reports its failures with one warning on this logger.
    logging.basicConfig(format="%(levelname)s:%(name)s: %(message)s", level=logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch:
        paths = _write_corpus(Path(scratch), options.count)
        return run(paths, workers=options.workers)


if __name__ == "__main__":
    sys.exit(main())
