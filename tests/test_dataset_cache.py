"""The dataset cache holds data, never code: Parquet tables and a JSON manifest whose digests
are checked; a planted pickle, a symlink, a file of another key or a damaged file is never
trusted, and the dataset read back is the one validated, frame for frame."""

from __future__ import annotations

import dataclasses
import os
import pickle
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cartohdf.core import paths
from cartohdf.data import _dataset
from cartohdf.data._datacache import CacheRefused, read_own_file

SUFFIX = ".dataset.zip"


class Planted:
    """Unpickling this creates the file its argument names: the proof that code ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


@pytest.fixture()
def loads(monkeypatch):
    """How many times the dataset was read and validated from its sources."""
    calls = []
    real = _dataset.load_dataset_from

    def counted(root):
        calls.append(root)
        return real(root)

    monkeypatch.setattr(_dataset, "load_dataset_from", counted)
    return calls


def frames(tree, name="data"):
    if dataclasses.is_dataclass(tree):
        for f in dataclasses.fields(tree):
            yield from frames(getattr(tree, f.name), f"{name}.{f.name}")
    elif isinstance(tree, dict):
        for key, value in tree.items():
            yield from frames(value, f"{name}[{key}]")
    else:
        yield name, tree


def test_the_cached_dataset_is_the_validated_one_frame_for_frame(tmp_path, data):
    _dataset.load_dataset_cached(paths.ROOT, tmp_path)
    cached = _dataset.load_dataset_cached(paths.ROOT, tmp_path)
    assert [p.suffixes for p in tmp_path.iterdir()] == [[".dataset", ".zip"]]
    fresh, back = dict(frames(data)), dict(frames(cached))
    assert fresh.keys() == back.keys()
    for name, value in fresh.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(back[name], value, check_exact=True)
            assert type(back[name]) is type(value) and getattr(back[name], "crs", None) == getattr(
                value, "crs", None
            )
        else:
            assert back[name] == value, name


def test_a_planted_pickle_never_runs(tmp_path, loads):
    marker = tmp_path / "ran"
    key = _dataset._digest(paths.ROOT)
    folder = tmp_path / "cache"
    folder.mkdir()
    for name in (f"{key}.pickle", f"{key}{SUFFIX}"):
        (folder / name).write_bytes(pickle.dumps(Planted(str(marker))))
    data = _dataset.load_dataset_cached(paths.ROOT, folder)
    assert not marker.exists()
    assert len(data.zones["ze2010"]) == 28 and len(loads) == 1
    assert sorted(p.name for p in folder.iterdir()) == [f"{key}{SUFFIX}"]  # ours, rewritten


def test_a_symlink_in_the_cache_folder_is_not_followed(tmp_path, loads):
    good, planted = tmp_path / "good", tmp_path / "planted"
    _dataset.load_dataset_cached(paths.ROOT, good)
    (target,) = good.iterdir()
    planted.mkdir()
    (planted / target.name).symlink_to(target)
    _dataset.load_dataset_cached(paths.ROOT, planted)
    assert len(loads) == 2  # read from the sources again, not through the link
    assert not (planted / target.name).is_symlink() and target.exists()
    (good / "link").symlink_to(target)
    with pytest.raises(CacheRefused):
        read_own_file(good / "link")


def test_a_cache_folder_that_is_a_symlink_is_not_used(tmp_path, loads):
    good = tmp_path / "good"
    _dataset.load_dataset_cached(paths.ROOT, good)
    (tmp_path / "link").symlink_to(good, target_is_directory=True)
    _dataset.load_dataset_cached(paths.ROOT, tmp_path / "link")
    assert len(loads) == 2


def test_a_damaged_or_misnamed_cache_file_is_refused_and_rebuilt(tmp_path, loads):
    _dataset.load_dataset_cached(paths.ROOT, tmp_path)
    (path,) = tmp_path.iterdir()
    body = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("t0.parquet")
    at = info.header_offset + 30 + len(info.filename) + 100  # inside the first table's bytes
    body[at] ^= 0xFF
    path.write_bytes(bytes(body))
    _dataset.load_dataset_cached(paths.ROOT, tmp_path)
    assert len(loads) == 2
    (path,) = tmp_path.iterdir()
    with pytest.raises(CacheRefused, match="key"):  # a good file, asked for under another key
        _dataset.decode(read_own_file(path), "0" * 32, _dataset._CACHED_CLASSES)


def test_a_cache_file_over_the_limit_is_not_read(tmp_path):
    path = tmp_path / "big"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(CacheRefused):
        read_own_file(path, limit=1000)
    assert read_own_file(path, limit=2000) == b"x" * 2000


def test_a_cache_folder_that_cannot_be_made_still_gives_the_dataset(tmp_path, loads):
    folder = tmp_path / "taken"
    folder.write_text("a file where the folder should be")
    data = _dataset.load_dataset_cached(paths.ROOT, folder)
    assert len(data.zones["ze2020"]) == 24 and len(loads) == 1
    assert folder.read_text() == "a file where the folder should be"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_a_fifo_or_a_folder_at_the_cache_path_is_refused_without_waiting(tmp_path, loads):
    key = _dataset._digest(paths.ROOT)
    os.mkfifo(tmp_path / f"{key}{SUFFIX}")  # opening it for reading would block: never read
    data = _dataset.load_dataset_cached(paths.ROOT, tmp_path)
    assert len(data.zones["ze2010"]) == 28 and len(loads) == 1
    with pytest.raises(CacheRefused):
        read_own_file(tmp_path)
