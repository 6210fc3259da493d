"""The dataset cache's file: data only, never code.

One ZIP archive (members stored, not compressed) holding ``manifest.json`` and one Parquet
file per table (GeoParquet for a GeoDataFrame). The manifest is the shape of the dataclass
tree as JSON (which dataclass, from a fixed list; dict keys; plain values; which Parquet member
each table is, with its column dtypes), the cache key, and each member's SHA-256. Reading it
builds only frames and the listed dataclasses: a planted or damaged file gives wrong-looking
data or is refused, it cannot run anything.

A file is read only when it is a regular file of this user, reached without following a
symlink, within `MAX_CACHE_BYTES`, every member's digest matching and every table within
`MAX_CACHE_BYTES` once decoded. Anything else is refused (`CacheRefused`), and the caller
rebuilds the dataset from its sources.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import stat
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from cartohdf.core import memo

FORMAT = "cartohdf-dataset-1"
MANIFEST = "manifest.json"
MAX_CACHE_BYTES = 64 * 1024 * 1024  # one cache file, and one table once decoded (today ~3 MB)
MAX_MANIFEST_BYTES = 1024 * 1024


class CacheRefused(Exception):
    """The cache file is absent, not ours, damaged, or not of this key: rebuild instead."""


# -- writing -------------------------------------------------------------------------------


def encode(tree: Any, key: str, classes: Mapping[str, type]) -> bytes:
    """The archive of a dataclass tree (dataclasses of `classes`, dicts with text keys, frames,
    text, numbers, booleans, None).

    Raises
    ------
    CacheRefused
        If the tree holds anything else (it is then simply not cached).
    """
    members: dict[str, bytes] = {}
    shape = _node(tree, members, {c: n for n, c in classes.items()})
    manifest = {"format": FORMAT, "key": key, "tree": shape,
                "sha256": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()}}  # fmt: skip
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(_entry(MANIFEST), json.dumps(manifest, sort_keys=True))
        for name, body in members.items():
            archive.writestr(_entry(name), body)
    return buf.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # no date: same data, same bytes


def _node(value: Any, members: dict[str, bytes], names: Mapping[type, str]) -> dict[str, Any]:
    if isinstance(value, pd.DataFrame):
        return _frame_node(value, members)
    if dataclasses.is_dataclass(value) and type(value) in names:
        return {"dataclass": names[type(value)],
                "fields": {f.name: _node(getattr(value, f.name), members, names)
                           for f in dataclasses.fields(value)}}  # fmt: skip
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: _node(v, members, names) for k, v in value.items()}}
    if value is None or isinstance(value, str | bool | int | float):
        return {"value": value}
    raise CacheRefused(type(value).__name__)


def _frame_node(frame: pd.DataFrame, members: dict[str, bytes]) -> dict[str, Any]:
    if not all(isinstance(c, str) for c in frame.columns) or frame.attrs:
        raise CacheRefused("frame")
    name = f"t{len(members)}.parquet"
    plain = pd.DataFrame(frame, copy=True)
    geometries: dict[str, str | None] = {}
    for column in frame.columns:
        if isinstance(frame[column].dtype, gpd.array.GeometryDtype):
            crs = frame[column].crs
            geometries[column] = None if crs is None else crs.to_wkt()
            plain[column] = shapely.to_wkb(frame[column].to_numpy())  # WKB: doubles exactly
    buf = io.BytesIO()
    plain.to_parquet(buf, compression=None, index=not isinstance(frame.index, pd.RangeIndex))
    members[name] = buf.getvalue()
    node = {"frame": name, "dtypes": {c: str(t) for c, t in frame.dtypes.items()},
            "geometries": geometries,
            "active": frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None}  # fmt: skip
    if not _frame_equal(
        frame, _read_frame(node, members[name])
    ):  # never cache what reads back otherwise
        raise CacheRefused(name)
    return node


def _frame_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    except AssertionError:
        return False
    return type(a) is type(b) and getattr(a, "crs", None) == getattr(b, "crs", None)


# -- reading -------------------------------------------------------------------------------


def read_own_file(path: Path, limit: int = MAX_CACHE_BYTES) -> bytes:
    """The bytes of `path` if it is a regular file of this user, opened without following a
    symlink, with one link, at most `limit` bytes; else CacheRefused."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:  # absent, a symlink (ELOOP), a fifo's peer missing…
        raise CacheRefused(str(exc)) from None
    try:
        info = os.fstat(fd)  # of what was opened: no race between a check and the open
        if not _own_regular(info) or info.st_size > limit:
            raise CacheRefused("not a regular file of ours")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            body = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(body) > limit:
        raise CacheRefused("too big")
    return body


def _own_regular(info: os.stat_result) -> bool:
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and mine


def own_folder(folder: Path) -> bool:
    """Whether `folder` is a real folder (not a symlink) of this user."""
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and mine


def decode(body: bytes, key: str, classes: Mapping[str, type]) -> Any:
    """The dataclass tree an archive of `encode` holds, checked; else CacheRefused."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            manifest = json.loads(_member(archive, MANIFEST, MAX_MANIFEST_BYTES))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise CacheRefused("format")
            if manifest.get("key") != key:
                raise CacheRefused("key")
            digests = manifest["sha256"]

            def table(name: str) -> bytes:
                data = _member(archive, name, MAX_CACHE_BYTES)
                if hashlib.sha256(data).hexdigest() != digests[name]:
                    raise CacheRefused(f"digest of {name}")
                return data

            return _build(manifest["tree"], table, classes)
    except (zipfile.BadZipFile, KeyError, TypeError, ValueError, OSError, AttributeError) as exc:
        raise CacheRefused(type(exc).__name__) from None


def _member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    info = archive.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED or info.file_size > limit:
        raise CacheRefused(name)  # stored only: what is read is what the file's size says
    return archive.read(info)


def _build(node: Any, table: Callable[[str], bytes], classes: Mapping[str, type]) -> Any:
    if not isinstance(node, dict) or len(node) == 0:
        raise CacheRefused("node")
    if "value" in node:
        value = node["value"]
        if value is None or isinstance(value, str | bool | int | float):
            return value
        raise CacheRefused("value")
    if "dict" in node:
        return {str(k): _build(v, table, classes) for k, v in dict(node["dict"]).items()}
    if "dataclass" in node:
        cls = classes[node["dataclass"]]  # only the listed classes; a KeyError otherwise
        return cls(**{str(k): _build(v, table, classes) for k, v in dict(node["fields"]).items()})
    if "frame" in node:
        return _read_frame(node, table(str(node["frame"])))
    raise CacheRefused("node")


def _read_frame(node: Mapping[str, Any], body: bytes) -> pd.DataFrame:
    """A table back from its Parquet bytes, refused when it would decode beyond the limit.
    Text columns held as Python objects come back so (Parquet reads them as ``str``);
    geometry columns come back from WKB with their CRS (GeoParquet's PROJJSON costs a parse
    per table: 13 ms each)."""
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(io.BytesIO(body))
    meta = parquet.metadata
    decoded = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if decoded > MAX_CACHE_BYTES:  # checked before anything is decoded
        raise CacheRefused("table too big once decoded")
    frame = parquet.read(use_threads=False).to_pandas()
    for column, dtype in dict(node["dtypes"]).items():
        if dtype == "object" and str(frame[column].dtype) != "object":
            frame[column] = frame[column].astype(object)
    for column, crs in dict(node["geometries"]).items():
        wkb = frame[column].to_numpy(dtype=object)
        frame[column] = gpd.GeoSeries(shapely.from_wkb(wkb), index=frame.index,
                                      crs=None if crs is None else _crs(str(crs)))  # fmt: skip
    if node["active"] is None:
        return frame
    return gpd.GeoDataFrame(frame, geometry=str(node["active"]))


@memo.memoized(size=16)  # a file names one or two CRSs: the bound only guards a crafted one
def _crs(wkt: str) -> Any:
    """One CRS object per text: parsing one costs milliseconds, and a CRS is immutable."""
    import pyproj

    return pyproj.CRS.from_wkt(wkt)
