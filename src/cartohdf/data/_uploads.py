"""Uploaded indicator files, kept on disk by content, so a link can name one.

An upload is stored once, under a key made from its bytes and how it was read (file name,
chosen column, zoning): ``<cache>/uploads/<key>.upload``, a JSON header line then the bytes.
The folder is bounded in count and bytes; the least recently used files go first. Nothing
is kept in process memory: every session, and a link opened later, reads the same file.

The folder is writable by the user, so nothing in it is trusted: only regular files owned by
this user are read, touched or counted (a planted link or pipe is never followed), every file
is written whole or not at all (``core.atomic_file``), and the only temporaries removed are
our own (``TMP_SUFFIX``) left by a process that died.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from cartohdf.core import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOADS_PER_SESSION,
    TMP_SUFFIX,
    InputError,
    WriteError,
    atomic_file,
    os_reason,
    paths,
)

UPLOAD_KEY = re.compile(r"^[0-9a-f]{16}$")
MAX_ENTRIES = 200
MAX_CACHE_BYTES = 200 * 1024 * 1024
MAX_HEADER_BYTES = 4096  # the JSON line before the bytes (a file name, a column, a zoning)
SUFFIX = ".upload"
STALE_TMP_S = 3600.0  # a temporary this old was left by a process that died mid-write
_TMP_NAME = re.compile(rf"^\.[0-9a-f]{{16}}\{SUFFIX}\..+{re.escape(TMP_SUFFIX)}$")


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


def _ours(st: os.stat_result) -> bool:
    """A regular file of this user (not a link, folder, pipe or device, not someone else's)."""
    return stat.S_ISREG(st.st_mode) and (not hasattr(os, "getuid") or st.st_uid == os.getuid())


def _open_ours(path: Path) -> int | None:
    """A read descriptor on `path` if it is a regular file of ours, never following a link
    (nor blocking on a pipe); None otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    if _ours(os.fstat(fd)):
        return fd
    os.close(fd)
    return None


def check_session_uploads(stored: Collection[str], key: str,
                          max_uploads: int = MAX_UPLOADS_PER_SESSION) -> None:  # fmt: skip
    """Refuse a new upload from a session that already keeps `max_uploads` different ones (so
    that one session cannot evict everyone's); the same file again is always fine.

    Raises
    ------
    InputError
        When `key` is new and the session's count is reached.
    """
    if key not in stored and len(stored) >= max_uploads:
        raise InputError("err.session_uploads", expected="exp.max_session_uploads", max=max_uploads)


def store_upload(
    raw: bytes,
    name: str,
    column: str | None = None,
    zoning: str | None = None,
    folder: Path | None = None,
) -> str:
    """Keep an upload (whole or not at all: a reader never sees half a file); return its key.

    Raises
    ------
    WriteError
        If the cache folder cannot take it (full disk, no permission); the path is named.
    """
    folder = folder or uploads_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(folder, os_reason(exc)) from None
    key = upload_key(raw, name, column, zoning)
    path = folder / f"{key}{SUFFIX}"
    fd = _open_ours(path)
    if fd is not None:
        try:
            os.utime(fd)  # most recently used (the file itself, through its descriptor)
        finally:
            os.close(fd)
    else:  # absent, or something else planted under our name: replaced, never followed
        header = json.dumps({"name": name, "column": column, "zoning": zoning}, ensure_ascii=False)
        with atomic_file(path) as fh:
            fh.write(header.encode("utf-8") + b"\n" + raw)
    evict(folder, keep=key)
    return key


def read_upload(key: str, folder: Path | None = None) -> StoredUpload | None:
    """The upload stored under `key`, or None when it is not (or no longer) there, or is not a
    regular file of ours, or is damaged."""
    if not UPLOAD_KEY.fullmatch(key):
        return None
    fd = _open_ours((folder or uploads_dir()) / f"{key}{SUFFIX}")
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            blob = fh.read(MAX_HEADER_BYTES + MAX_UPLOAD_BYTES + 2)
            with contextlib.suppress(OSError):
                os.utime(fh.fileno())
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


def _remove_stale_temporary(entry: os.DirEntry[str], now: float) -> None:
    """Remove one of our temporaries (named so by `atomic_file`) left by a dead process."""
    with contextlib.suppress(OSError):
        st = entry.stat(follow_symlinks=False)
        if _ours(st) and now - st.st_mtime > STALE_TMP_S:
            os.unlink(entry.path)


def evict(folder: Path, keep: str = "", max_entries: int = MAX_ENTRIES,
          max_bytes: int = MAX_CACHE_BYTES, now: float | None = None) -> list[str]:  # fmt: skip
    """Remove the least recently used uploads until the folder is within bounds, and our
    temporaries older than an hour. Only regular files of ours are counted or removed."""
    now = time.time() if now is None else now
    entries = []
    with os.scandir(folder) as listing:
        for entry in listing:
            if _TMP_NAME.fullmatch(entry.name):
                _remove_stale_temporary(entry, now)
                continue
            if not (
                entry.name.endswith(SUFFIX) and UPLOAD_KEY.fullmatch(entry.name[: -len(SUFFIX)])
            ):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if _ours(st):
                entries.append((st.st_mtime, entry.name, st.st_size, entry.path))
    entries.sort()
    count, total = len(entries), sum(e[2] for e in entries)
    removed = []
    for _mtime, name, size, path in entries:
        if count <= max_entries and total <= max_bytes:
            break
        if name == f"{keep}{SUFFIX}":
            continue
        try:
            os.unlink(path)
        except OSError:
            continue
        count, total = count - 1, total - size
        removed.append(name.removesuffix(SUFFIX))
    return removed
