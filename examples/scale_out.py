"""Scale out: read a folder of articles with newsfeed.dask on a dask.distributed cluster.

Usage::

    python examples/scale_out.py [--count N] [--workers W] [--files-per-partition P]

The script writes N article files (2000 by default), and a few bad ones,
into a temporary folder, then reads them twice: with :func:`newsfeed.load_dir`
in this process, and with :func:`newsfeed.dask.read_items` on a
``dask.distributed`` ``LocalCluster`` of W worker processes (2 by default). The
same code runs on a real cluster, and on ``s3://`` or ``gs://`` paths: only the
``Client`` and the path change.

It checks and shows that:

- the articles computed on the workers equal those ``load_dir`` loads, in the
  same order, and each bad file comes back as a :class:`~newsfeed.LoadFailure`
  equal to ``load_dir``'s;
- :func:`newsfeed.dask.to_dataframe` gives the columns and dtypes of
  :meth:`Feed.to_dataframe <newsfeed.Feed.to_dataframe>`, so counting happens on
  the workers and only the counts come back;
- how long each took: on one machine, scaling out pays only when there are
  more cores than the one ``load_dir`` uses, and enough files to cover the
  cluster's fixed costs (see "When scaling out pays" on the docs' page on big
  folders, docs/index-db.md).

It needs the optional extra ``newsfeed-articles[dask]``, and runs from an installed
package: the articles are made up here.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import newsfeed

#: Outlets and their domains; each article's related coverage comes from the others.
OUTLETS = (
    ("Reuters", "reuters.com"),
    ("The Verge", "theverge.com"),
    ("Nasdaq", "nasdaq.com"),
    ("Charlotte Observer", "charlotteobserver.com"),
    ("Wired", "wired.com"),
    ("BBC News", "bbc.co.uk"),
)
COMPANIES = ("Amazon", "Samsung", "Toyota", "The EU", "Nvidia", "IBM", "Meta")
ACTIONS = ("bans", "expands", "pauses", "invests in", "rethinks", "sues over")
SUBJECTS = (
    "facial recognition technology",
    "satellite internet",
    "chip production",
    "self-driving cars",
    "its voice assistant",
    "data centers in Europe",
)
TOPICS = ("AI", "Privacy", "Semiconductors", "Policy", "Cloud", "Automotive")

#: Files no loader should accept, each for a different reason.
BAD_FILES = {
    "bad-duplicate-key.md": b"---\ntitle: One\ntitle: Two\n---\n\n",
    "bad-missing-url.md": b'---\ntitle: "No link"\npublishedDateTime: 2020-06-11T12:02:00Z\n---\n',
    "bad-encoding.md": b"---\ntitle: caf\xe9\n---\n\n",
}


def make_article(rng: random.Random, number: int) -> newsfeed.Article:
    """Make up one news article with a few related items from other outlets."""
    name, domain = rng.choice(OUTLETS)
    when = datetime(2020, 6, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(90 * 24 * 60))
    title = f"{rng.choice(COMPANIES)} {rng.choice(ACTIONS)} {rng.choice(SUBJECTS)}"
    related = tuple(
        newsfeed.RelatedArticle(
            title=f"{title} ({other})",
            published_at=when + timedelta(minutes=rng.randrange(1, 600)),
            web_url=f"https://www.{other_domain}/story/{number}-{index}",
            provider=newsfeed.Provider(name=other, domain=other_domain),
            quality=rng.randrange(101),
        )
        for index, (other, other_domain) in enumerate(
            rng.sample([outlet for outlet in OUTLETS if outlet[0] != name], 3)
        )
    )
    return newsfeed.Article(
        category="news",
        title=f"{title} | {name}",
        excerpt=f"{title}, {name} reports.",
        published_at=when,
        web_url=f"https://www.{domain}/story/{number}",
        type="article",
        quality=rng.choice((None, *range(101))),
        heat=rng.randrange(500),
        published=True,
        provider=newsfeed.Provider(name=name, domain=domain),
        topics=tuple(rng.sample(TOPICS, 2)),
        related=related,
        body=f"{title}.\n\nMore on this story as it develops.\n",
    )


def write_corpus(folder: Path, count: int) -> None:
    """Write *count* made-up articles, one folder per month, and the bad files."""
    rng = random.Random(0)  # noqa: S311 -- made-up articles, not secrets
    started = time.perf_counter()
    for number in range(count):
        article = make_article(rng, number)
        month = folder / f"{article.published_at:%Y-%m}"
        month.mkdir(parents=True, exist_ok=True)
        (month / f"{number:06d}.md").write_text(newsfeed.dumps(article), encoding="utf-8")
    for name, data in BAD_FILES.items():
        (folder / name).write_bytes(data)
    print(
        f"wrote {count} good and {len(BAD_FILES)} bad files"
        f" in {time.perf_counter() - started:.1f} s"
    )


def warm_up() -> None:
    """Import on a worker what reading and counting will need."""
    import dask.dataframe  # noqa: F401, PLC0415 -- imported for its side effect: loaded once
    import pandas as pd  # noqa: F401, PLC0415

    import newsfeed.dask  # noqa: F401, PLC0415


def run(folder: Path, *, workers: int, files_per_partition: int) -> int:
    """Read *folder* locally and on a local cluster, compare, and return an exit status."""
    from distributed import Client, LocalCluster  # noqa: PLC0415 -- optional extra

    import newsfeed.dask  # noqa: PLC0415 -- optional extra, checked in main()

    started = time.perf_counter()
    local = newsfeed.load_dir(folder, errors="skip")
    local_seconds = time.perf_counter() - started
    print(f"load_dir, one process: {len(local)} articles in {local_seconds:.2f} s")

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        # Any free port: two runs at once (CI and a developer) must not collide.
        dashboard_address=":0",
        silence_logs=logging.CRITICAL,
    )
    with cluster, Client(cluster) as client:
        # A worker's first task imports newsfeed, pandas and dask's dataframe
        # (seconds, once per worker): done here, so that the timings below
        # show the reading, as on a cluster that has been up for a while.
        client.run(warm_up)
        items = newsfeed.dask.read_items(folder, files_per_partition=files_per_partition)
        started = time.perf_counter()
        results = client.compute(items).result()
        cluster_seconds = time.perf_counter() - started
        articles = [item for item in results if newsfeed.dask.is_article(item)]
        failures = [item for item in results if not newsfeed.dask.is_article(item)]
        print(
            f"newsfeed.dask, {workers} workers: {len(articles)} articles"
            f" and {len(failures)} failures in {cluster_seconds:.2f} s"
            f" ({local_seconds / cluster_seconds:.2f}x load_dir)"
        )

        # Counting on the workers: only the counts travel back, not the articles.
        frame = newsfeed.dask.to_dataframe(items.filter(newsfeed.dask.is_article))
        started = time.perf_counter()
        counts = client.compute(frame["provider_name"].value_counts()).result()
        counted_seconds = time.perf_counter() - started
        top = ", ".join(f"{name} ({n})" for name, n in counts.head(3).items())
        print(f"counted by outlet on the workers in {counted_seconds:.2f} s: {top}")

    same_articles = articles == list(local)
    same_paths = [a.path for a in articles] == [a.path for a in local]
    same_errors = failures == list(local.failures)
    print(f"\narticles equal to load_dir's, in order, with paths: {same_articles and same_paths}")
    print(f"failures equal to load_dir's: {same_errors}")
    for failure in failures:
        print(f"  {type(failure.error).__name__}: {failure}")
    ok = same_articles and same_paths and same_errors and len(failures) == len(BAD_FILES)
    print("\nall checks passed" if ok else "\nSOME CHECKS FAILED")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    """Write the corpus, then read it locally and on the cluster."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="good files to write (2000)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    parser.add_argument(
        "--files-per-partition", type=int, default=100, help="files per dask task (100)"
    )
    options = parser.parse_args(argv)
    if min(options.count, options.workers, options.files_per_partition) < 1:
        parser.error("--count, --workers and --files-per-partition must be at least 1")
    try:
        import distributed  # noqa: F401, PLC0415 -- only checking that the extra is installed

        import newsfeed.dask  # noqa: F401, PLC0415
    except ImportError:
        parser.exit(2, "scale_out.py needs dask: pip install 'newsfeed-articles[dask]'\n")
    # load_dir(errors="skip") reports its failures with one warning on this logger.
    logging.basicConfig(format="%(levelname)s:%(name)s: %(message)s", level=logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch:
        write_corpus(Path(scratch), options.count)
        return run(
            Path(scratch), workers=options.workers, files_per_partition=options.files_per_partition
        )


if __name__ == "__main__":
    sys.exit(main())
