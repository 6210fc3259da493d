"""Writes that are whole or absent: every file cartohdf writes goes through here.

The bytes go to a temporary file in the target's own folder (same filesystem), are flushed
to disk, then renamed over the target in one step. A full disk, a file-size limit or a killed
process leaves the previous file as it was and no partial file behind; the error names the
path the user asked for.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from cartohdf.core._errors import CartohdfError
from cartohdf.core._text import TextKey

TMP_SUFFIX = ".cartohdf-part"  # every temporary file of ours ends so: never a user's file
_UMASK = os.umask(0o022)  # read once, at import (setting it is process-wide: not in threads)
os.umask(_UMASK)


class WriteError(CartohdfError):
    """A file could not be written whole (full disk, no permission, size limit…); nothing
    partial was left and an existing file at that path is unchanged."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = str(path)
        super().__init__("err.write_failed", path=Path(path), reason=reason)


OS_REASONS = {
    errno.ENOSPC: "oserr.no_space", errno.EDQUOT: "oserr.quota", errno.EFBIG: "oserr.too_big",
    errno.EACCES: "oserr.denied", errno.EPERM: "oserr.denied", errno.EROFS: "oserr.read_only",
    errno.ENOENT: "oserr.not_found", errno.ENOTDIR: "oserr.not_found", errno.EISDIR: "oserr.is_folder",
}  # fmt: skip


def os_reason(exc: BaseException) -> str:
    """Why an OS call failed, in the user's language where the cause is a common one (a
    catalogue key, translated when shown), else the system's own words."""
    if isinstance(exc, OSError) and exc.errno in OS_REASONS:
        return TextKey(OS_REASONS[exc.errno])
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else "") or type(exc).__name__


_reason = os_reason


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary file object whose content replaces `path` when the block ends without error.

    Raises
    ------
    WriteError
        If the folder cannot take the file (the temporary is removed; `path` is untouched).
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise WriteError(path, _reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # as a plain open() would (mkstemp makes it 0600)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteError(path, _reason(exc)) from None
        raise


def write_atomic(path: Path, data: bytes | str) -> int:
    """Write `data` (text as UTF-8) to `path` whole or not at all; return the bytes written.

    Raises
    ------
    WriteError
        If the file cannot be written whole; `path` keeps its previous content.
    """
    body = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_file(Path(path)) as fh:
        fh.write(body)
    return len(body)
