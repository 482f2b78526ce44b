"""newsfeed.dask: bags and frames of articles, computed on a local cluster, equal load_dir's."""

from __future__ import annotations

import logging
import shutil
import sys
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import distributed
import pandas as pd
import pytest

import newsfeed
import newsfeed.dask
from index_support import BAD_TEXT, NASDAQ, make_folder


def compute(collection: Any) -> Any:
    """Compute a dask collection in this process (dask's objects carry no types)."""
    return collection.compute(scheduler="sync")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Start a local cluster of two worker processes for the module."""
    # distributed carries no type information.
    module: Any = distributed
    cluster = module.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        # Any free port: two runs at once (CI and a developer) must not collide.
        dashboard_address=":0",
        # A task below fails on purpose, which a worker logs as an error.
        silence_logs=logging.CRITICAL,
    )
    with cluster, module.Client(cluster) as connected:
        yield connected


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a folder of a dozen good files (in two levels) and one bad file."""
    folder = make_folder(tmp_path, bad=True)
    source = (folder / "nasdaq.md").read_text(encoding="utf-8")
    for number in range(10):
        (folder / "2020" / f"copy-{number}.md").write_text(source, encoding="utf-8")
    return folder


def failures_as_text(failures: object) -> list[tuple[type, str]]:
    """Return (class, message) per failure: what two loads of one folder agree on."""
    assert isinstance(failures, list | tuple)
    return [(type(failure.error), str(failure)) for failure in failures]


def _on(client: Any, collection: Any) -> Any:
    """Compute *collection* on the cluster and return its result."""
    return client.compute(collection).result()


class TestOnACluster:
    """Computed on worker processes, the results equal load_dir's."""

    def test_articles_equal_load_dir(self, client: Any, folder: Path) -> None:
        """Articles come back equal, in load_dir's order, with the same paths."""
        bag = newsfeed.dask.read_articles(folder, errors="skip", files_per_partition=3)
        assert bag.npartitions == 5
        articles = _on(client, bag)
        expected = newsfeed.load_dir(folder, errors="skip")
        assert articles == list(expected)
        assert [article.path for article in articles] == [article.path for article in expected]

    def test_failures_kept_per_file(self, client: Any, folder: Path) -> None:
        """read_items gives one LoadFailure per bad file, equal to load_dir's."""
        items = _on(client, newsfeed.dask.read_items(folder, files_per_partition=4))
        failures = [item for item in items if not newsfeed.dask.is_article(item)]
        expected = newsfeed.load_dir(folder, errors="skip").failures
        assert failures == list(expected)
        assert failures_as_text(failures) == failures_as_text(expected)

    def test_errors_raise(self, client: Any, folder: Path) -> None:
        """errors="raise" raises FeedLoadError, raised on the worker and again here."""
        bag = newsfeed.dask.read_articles(folder, files_per_partition=4)
        with pytest.raises(newsfeed.FeedLoadError) as raised:
            _on(client, bag)
        assert failures_as_text(raised.value.failures) == failures_as_text(
            newsfeed.load_dir(folder, errors="skip").failures
        )

    def test_dataframe(self, client: Any, folder: Path) -> None:
        """to_dataframe has Feed.to_dataframe's columns and dtypes, and its values."""
        articles = newsfeed.dask.read_articles(folder, errors="skip", files_per_partition=5)
        frame = newsfeed.dask.to_dataframe(articles)
        expected = newsfeed.load_dir(folder, errors="skip").to_dataframe()
        assert list(frame.columns) == list(expected.columns)
        assert dict(frame.dtypes.astype(str)) == dict(expected.dtypes.astype(str))
        computed = _on(client, frame).reset_index(drop=True)
        assert dict(computed.dtypes.astype(str)) == dict(expected.dtypes.astype(str))
        pd.testing.assert_frame_equal(computed, expected, check_categorical=False)


class TestPaths:
    """Globs, lists, archives: whatever fsspec opens."""

    def test_glob_and_list(self, folder: Path) -> None:
        """A glob and a list of files read just those files, sorted."""
        by_glob = newsfeed.dask.read_articles(str(folder / "2020" / "copy-*.md"))
        assert len(compute(by_glob)) == 10
        files = [folder / "nasdaq.md", folder / "2020" / "observer.md"]
        by_list = compute(newsfeed.dask.read_articles(files))
        assert [article.path for article in by_list] == sorted(files, key=lambda p: p.parts)

    def test_zip_archive(self, folder: Path, tmp_path: Path) -> None:
        """Files inside a zip archive are read; errors name the URL, paths the member."""
        archive = tmp_path / "corpus.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            for path in sorted(folder.rglob("*.md")):
                zipped.write(path, path.relative_to(folder).as_posix())
        items = compute(newsfeed.dask.read_items(f"zip://**/*.md::{archive}"))
        articles = [item for item in items if newsfeed.dask.is_article(item)]
        assert articles == list(newsfeed.load_dir(folder, errors="skip"))
        assert articles[0].path == Path("2020/copy-0.md")
        (failure,) = [item for item in items if not newsfeed.dask.is_article(item)]
        assert failure.path == Path("bad.md")
        assert "zip://bad.md" in str(failure)

    def test_empty_glob(self, tmp_path: Path) -> None:
        """A glob that matches nothing is an empty bag."""
        bag = newsfeed.dask.read_articles(str(tmp_path / "*.md"))
        assert compute(bag) == []

    def test_too_large_file(self, tmp_path: Path) -> None:
        """A file over the size limit fails as newsfeed.load fails on it."""
        (tmp_path / "big.md").write_bytes(b"---\ntitle: x\n---\n" + b"x" * (8 * 1024 * 1024))
        (failure,) = compute(newsfeed.dask.read_items(tmp_path))
        (expected,) = newsfeed.load_dir(tmp_path, errors="skip").failures
        assert failure == expected


class TestArguments:
    """Bad arguments fail at once, with the option named."""

    def test_missing_path(self, tmp_path: Path) -> None:
        """A plain path that does not exist raises FileNotFoundError."""
        with pytest.raises(FileNotFoundError, match="nowhere"):
            newsfeed.dask.read_articles(tmp_path / "nowhere")

    def test_bad_options(self, folder: Path) -> None:
        """errors, files_per_partition and an empty list are checked."""
        with pytest.raises(ValueError, match="errors must be"):
            newsfeed.dask.read_articles(folder, errors="ignore")  # type: ignore[arg-type]  # the case under test
        with pytest.raises(ValueError, match="at least 1"):
            newsfeed.dask.read_articles(folder, files_per_partition=0)
        with pytest.raises(TypeError, match="integer"):
            newsfeed.dask.read_articles(folder, files_per_partition=True)
        with pytest.raises(ValueError, match="at least one"):
            newsfeed.dask.read_articles([])

    def test_without_dask(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the extra, the ImportError says what to install."""
        monkeypatch.setitem(sys.modules, "dask.bag", None)
        with pytest.raises(ImportError, match=r"newsfeed-articles\[dask\]"):
            newsfeed.dask.read_articles(folder)


def test_bad_text_is_bad() -> None:
    """The bad file of these tests really fails to load (so the failure tests mean something)."""
    with pytest.raises(newsfeed.ParseError):
        newsfeed.loads(BAD_TEXT)


class TestInProcess:
    """The same code paths, computed in this process."""

    def test_errors_raise(self, folder: Path) -> None:
        """A partition holding a bad file raises FeedLoadError naming it."""
        with pytest.raises(newsfeed.FeedLoadError) as raised:
            compute(newsfeed.dask.read_articles(folder, files_per_partition=100))
        assert [failure.path.name for failure in raised.value.failures] == ["bad.md"]
        assert raised.value.total == 13

    def test_too_large_file_in_an_archive(self, tmp_path: Path) -> None:
        """A file over the size limit inside an archive fails, naming its URL."""
        archive = tmp_path / "big.zip"
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            zipped.writestr("big.md", b"---\ntitle: x\n---\n" + b"x" * (8 * 1024 * 1024))
        (failure,) = compute(newsfeed.dask.read_items(f"zip://*.md::{archive}"))
        assert isinstance(failure.error, newsfeed.ParseError)
        assert "zip://big.md" in str(failure)
        assert "larger than" in str(failure)


def _paths_and_failures(items: list[Any]) -> tuple[list[Path | None], list[tuple[type, str]]]:
    """Return the articles' paths and the failures' text, what load_dir's feed is compared by."""
    articles = [item.path for item in items if newsfeed.dask.is_article(item)]
    failures = [item for item in items if not newsfeed.dask.is_article(item)]
    return articles, failures_as_text(failures)


def _expected(folder: Path) -> tuple[list[Path | None], list[tuple[type, str]]]:
    feed = newsfeed.load_dir(folder, errors="skip")
    return [article.path for article in feed], failures_as_text(feed.failures)


class TestSameFilesAsLoadDir:
    """A folder reads the files load_dir reads, named as load_dir names them."""

    def test_hidden_files_and_outside_links(self, folder: Path, tmp_path: Path) -> None:
        """Hidden files and folders are skipped, a link out of the folder is a failure."""
        (folder / ".git").mkdir()
        shutil.copy(folder / "nasdaq.md", folder / ".git" / "copy.md")
        shutil.copy(folder / "nasdaq.md", folder / ".hidden.md")
        outside = tmp_path / "outside.md"
        shutil.copy(folder / "nasdaq.md", outside)
        (folder / "link.md").symlink_to(outside)
        items = compute(newsfeed.dask.read_items(folder, files_per_partition=4))
        assert _paths_and_failures(items) == _expected(folder)
        assert any("outside the folder" in text for _, text in _paths_and_failures(items)[1])

    def test_relative_folder_stays_relative(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A relative folder gives relative paths, as load_dir gives."""
        monkeypatch.chdir(folder.parent)
        items = compute(newsfeed.dask.read_items(folder.name))
        assert _paths_and_failures(items) == _expected(Path(folder.name))
        assert not any(path.is_absolute() for path in _paths_and_failures(items)[0] if path)

    def test_brackets_in_a_name_are_not_a_glob(self, tmp_path: Path) -> None:
        """A folder or file that exists is read as named, even with '[' in its name."""
        folder = make_folder(tmp_path / "news[2020]")
        by_folder = compute(newsfeed.dask.read_items(folder))
        assert _paths_and_failures(by_folder) == _expected(folder)
        assert len(by_folder) == 2
        by_list = compute(newsfeed.dask.read_items([folder / "nasdaq.md"]))
        assert [item.path for item in by_list] == [folder / "nasdaq.md"]

    def test_missing_file_in_a_list_is_its_failure(self, folder: Path) -> None:
        """In a list, even of one, a missing file is that file's failure, as in load_dir."""
        (failure,) = compute(newsfeed.dask.read_items([folder / "missing.md"]))
        assert isinstance(failure, newsfeed.LoadFailure)
        assert isinstance(failure.error, FileNotFoundError)

    def test_warning_made_an_error_is_the_files_failure(self, tmp_path: Path) -> None:
        """A NewsfeedWarning a filter makes an error fails its file only, as in load_dir."""
        folder = make_folder(tmp_path)
        text = (folder / "nasdaq.md").read_text(encoding="utf-8")
        with_null = text.replace("topics:\n", "topics:\n  -\n", 1)
        assert with_null != text
        (folder / "null-topic.md").write_text(with_null, encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("error", newsfeed.NewsfeedWarning)
            items = compute(newsfeed.dask.read_items(folder))
            expected = _expected(folder)
        assert _paths_and_failures(items) == expected
        assert len(expected[1]) == 1


class TestDataFrameCategories:
    """Categorical columns combine across partitions, and say their categories are unknown."""

    @pytest.fixture
    def mixed(self, tmp_path: Path) -> Path:
        """Return a folder where one file has no category, type or provider and one has all."""
        folder = make_folder(tmp_path)
        bare = attrs.evolve(
            newsfeed.load(folder / "nasdaq.md"), category=None, type=None, provider=None
        )
        (folder / "2020" / "observer.md").unlink()
        (folder / "a-bare.md").write_text(newsfeed.dumps(bare), encoding="utf-8")
        return folder

    def test_partition_of_nulls(self, mixed: Path) -> None:
        """A partition whose categorical column is all null combines with the others."""
        expected = newsfeed.load_dir(mixed).to_dataframe()
        assert expected["category"].isna().tolist() == [True, False]
        frame = newsfeed.dask.to_dataframe(
            newsfeed.dask.read_articles(mixed, files_per_partition=1)
        )
        computed = compute(frame).reset_index(drop=True)
        assert dict(computed.dtypes.astype(str)) == dict(expected.dtypes.astype(str))
        pd.testing.assert_frame_equal(computed, expected, check_categorical=False)

    def test_categories_unknown(self, mixed: Path) -> None:
        """The frame's categories are unknown until computed, not known and empty."""
        frame = newsfeed.dask.to_dataframe(newsfeed.dask.read_articles(mixed))
        assert not frame["category"].cat.known
        known = compute(frame["category"].cat.as_known())
        assert list(known.cat.categories) == ["news"]


class TestOtherFileSystems:
    """A folder on another file system is listed by load_dir's rules too."""

    def test_memory_folder_skips_hidden_names_and_folders(self, folder: Path) -> None:
        """Hidden files and folders are skipped, and a folder named like a file is not read."""
        fsspec: Any = pytest.importorskip("fsspec")
        memory = fsspec.filesystem("memory")
        root = f"/newsfeed-{id(folder)}"
        text = (folder / "nasdaq.md").read_bytes()
        memory.pipe(f"{root}/a.md", text)
        memory.pipe(f"{root}/.hidden.md", text)
        memory.pipe(f"{root}/.git/b.md", text)
        memory.mkdir(f"{root}/folder.md")
        try:
            items = compute(newsfeed.dask.read_items(f"memory://{root}"))
        finally:
            memory.rm(root, recursive=True)
        assert [item.path for item in items] == [Path(f"{root}/a.md")]


class TestGlobs:
    """A glob's matches are read as the paths they are: files, and folders' **/*.md files."""

    @pytest.fixture
    def months(self, tmp_path: Path) -> Path:
        """Return a folder of one folder per month, each holding an article."""
        root = tmp_path / "months"
        for month in ("2020-06", "2020-07"):
            (root / month).mkdir(parents=True)
            shutil.copy(NASDAQ, root / month / "a.md")
        return root

    def test_glob_of_folders(self, months: Path) -> None:
        """A local glob matching folders reads the files in them."""
        items = compute(newsfeed.dask.read_items(str(months / "2020-*")))
        assert [item.path for item in items] == [
            months / "2020-06" / "a.md",
            months / "2020-07" / "a.md",
        ]

    def test_absolute_glob_with_a_wildcard_first(self, months: Path) -> None:
        """An absolute glob whose first part has a wildcard stays absolute."""
        parts = months.parts
        pattern = str(Path(parts[0], parts[1][:-1] + "*", *parts[2:], "2020-06", "a.md"))
        items = compute(newsfeed.dask.read_items(pattern))
        assert [item.path for item in items] == [months / "2020-06" / "a.md"]

    def test_memory_glob_of_folders(self, months: Path) -> None:
        """A glob on another file system matching folders reads the files in them."""
        fsspec: Any = pytest.importorskip("fsspec")
        memory = fsspec.filesystem("memory")
        root = f"/globs-{id(months)}"
        for month in ("2020-06", "2020-07"):
            memory.pipe(f"{root}/{month}/a.md", (months / month / "a.md").read_bytes())
        try:
            items = compute(newsfeed.dask.read_items(f"memory://{root}/2020-*"))
        finally:
            memory.rm(root, recursive=True)
        assert [item.path for item in items] == [
            Path(f"{root}/2020-06/a.md"),
            Path(f"{root}/2020-07/a.md"),
        ]
