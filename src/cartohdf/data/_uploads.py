"""Uploaded indicator files, kept on disk by content, so a link can name one.

An upload is stored once, under a key made from its bytes and how it was read (file name,
chosen column, zoning): ``<cache>/uploads/<key>.upload``, a JSON header line then the bytes.
The folder is bounded in count and bytes; the least recently used files go first. Nothing
is kept in process memory: every session, and a link opened later, reads the same file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cartohdf.core import paths

UPLOAD_KEY = re.compile(r"^[0-9a-f]{16}$")
MAX_ENTRIES = 200
MAX_CACHE_BYTES = 200 * 1024 * 1024
SUFFIX = ".upload"


@dataclass(frozen=True)
class StoredUpload:
    """An upload as the user gave it: bytes, file name, and the reading choices."""

    key: str
    raw: bytes
    name: str
    column: str | None = None
    zoning: str | None = None


def uploads_dir() -> Path:
    """Where uploads are kept (under the user's cache directory)."""
    return paths.user_cache_dir() / "uploads"


def upload_key(raw: bytes, name: str, column: str | None = None, zoning: str | None = None) -> str:
    """The content key of an upload: 16 hex digits of SHA-256 over its bytes and choices."""
    header = json.dumps([name, column, zoning], ensure_ascii=False).encode()
    return hashlib.sha256(header + b"\0" + raw).hexdigest()[:16]


def store_upload(
    raw: bytes,
    name: str,
    column: str | None = None,
    zoning: str | None = None,
    folder: Path | None = None,
) -> str:
    """Keep an upload (atomically: a reader never sees half a file); return its key."""
    folder = folder or uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key = upload_key(raw, name, column, zoning)
    path = folder / f"{key}{SUFFIX}"
    if path.is_file():
        os.utime(path)  # most recently used
    else:
        header = json.dumps({"name": name, "column": column, "zoning": zoning}, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(header.encode("utf-8") + b"\n" + raw)
        os.replace(tmp, path)
    evict(folder, keep=key)
    return key


def read_upload(key: str, folder: Path | None = None) -> StoredUpload | None:
    """The upload stored under `key`, or None when it is not (or no longer) there."""
    if not UPLOAD_KEY.fullmatch(key):
        return None
    path = (folder or uploads_dir()) / f"{key}{SUFFIX}"
    try:
        blob = path.read_bytes()
        os.utime(path)
    except OSError:
        return None
    header, sep, raw = blob.partition(b"\n")
    try:
        meta = json.loads(header.decode("utf-8")) if sep else None
    except (UnicodeDecodeError, ValueError):
        meta = None
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str):
        return None  # damaged: as if absent (the user is told to upload the file again)
    column, zoning = meta.get("column"), meta.get("zoning")
    if upload_key(raw, meta["name"], column, zoning) != key:
        return None
    return StoredUpload(key, raw, meta["name"], column, zoning)


def evict(folder: Path, keep: str = "", max_entries: int = MAX_ENTRIES,
          max_bytes: int = MAX_CACHE_BYTES) -> list[str]:  # fmt: skip
    """Remove the least recently used uploads until the folder is within bounds."""
    entries = []
    for p in folder.glob(f"*{SUFFIX}"):
        try:
            st = p.stat()
        except OSError:
            continue
        entries.append((st.st_mtime, p.name, st.st_size, p))
    entries.sort()
    count, total = len(entries), sum(e[2] for e in entries)
    removed = []
    for _mtime, name, size, path in entries:
        if count <= max_entries and total <= max_bytes:
            break
        if name == f"{keep}{SUFFIX}":
            continue
        try:
            path.unlink()
        except OSError:
            continue
        count, total = count - 1, total - size
        removed.append(name.removesuffix(SUFFIX))
    return removed
