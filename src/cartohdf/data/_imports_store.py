"""The imports folder: where an import is written, swapped into place, listed and read back.

An import is written in a temporary folder of its own (``imports/.<name>-…``), named by a
marker file beside it (``.<name>-….cartohdf-import-in-progress``) written before the folder is
made and removed only after it is gone: the marker names the process (pid and host) and the
folder. Only folders named by a marker whose process is gone are ever removed; nothing is
guessed from a folder's name. The finished folder takes the place of a previous import of the
same name in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``), so that the name always
lists a complete import, the previous one until the new one. Where the system cannot exchange
two folders, two renames are used and a previous import caught between them (process killed)
is put back by the next import. Every file of an import is size-checked before it is read.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import io
import json
import os
import re
import secrets
import shutil
import socket
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from cartohdf.core import (
    FRANCE,
    MAX_IMPORT_FILE_BYTES,
    InputError,
    WriteError,
    first_true,
    memo,
    parse_numbers,
    paths,
    write_atomic,
)
from cartohdf.data._files import URSSAF_SCHEMA, EmploymentTable, employment_table
from cartohdf.data._schema import check_codes, validate_frame

IMPORT_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$")
MARKER = ".cartohdf-import-in-progress"  # the suffix of a marker, beside the folder it names
MARKER_MAX_BYTES = 4096
# what a marked folder holds: an import being written, or the import it replaces
NEW, PREVIOUS = "new", "previous"


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def marker_path(folder: Path) -> Path:
    """The marker of `folder`: a file beside it (a folder's own files go when it is removed,
    its marker only after it is gone, so a kill at any moment leaves the folder marked)."""
    return folder.with_name(folder.name + MARKER)


def marked_workdir(out_dir: Path, name: str) -> Path:
    """A new temporary folder in `out_dir` for import `name`, its marker written before it."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for _ in range(100):
            work = out_dir / f".{name}-{secrets.token_hex(4)}"
            if not os.path.lexists(work) and not os.path.lexists(marker_path(work)):
                break
        mark(work, name, NEW)
        os.mkdir(work, 0o755)
    except (OSError, WriteError) as exc:  # name the import the user asked for, not our temporary
        reason = str(exc.params["reason"]) if isinstance(exc, WriteError) else _reason(exc)
        raise WriteError(out_dir / name, reason) from None
    return work


def mark(folder: Path, name: str, role: str) -> None:
    """Write (atomically) the marker saying which process holds `folder`, and for what."""
    marker = {"pid": os.getpid(), "host": socket.gethostname(), "name": name, "role": role,
              "folder": folder.name}  # fmt: skip
    write_atomic(marker_path(folder), json.dumps(marker) + "\n")


def _marker_in(path: Path) -> dict[str, object] | None:
    """The marker at `path` if it is a small regular file of ours naming its folder, else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        raw = fh.read(MARKER_MAX_BYTES + 1)
    try:
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MARKER_MAX_BYTES else None
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int) or data["pid"] <= 0:
        return None  # (0 or a negative pid would name a process group: never ours)
    if data.get("folder") != path.name.removesuffix(MARKER):
        return None
    return data


def _alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would interrupt it: never take it for dead
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):  # another user's process, or not a pid
        return True
    return True


def remove_abandoned(out_dir: Path) -> None:
    """Clean up after imports that were killed: only hidden folders named by a marker of ours,
    written on this host by a process that is gone. A previous import left aside by a kill
    between two renames is put back if its name is free; any other marked folder is removed,
    then its marker."""
    with contextlib.suppress(OSError):  # tidying is best effort: an import never fails for it
        with os.scandir(out_dir) as entries:
            markers = [Path(e.path) for e in entries
                       if e.name.startswith(".") and e.name.endswith(MARKER) and e.is_file(follow_symlinks=False)]  # fmt: skip
        host = socket.gethostname()
        for marker in markers:
            with contextlib.suppress(OSError):  # one we cannot tidy does not stop the others
                _tidy(marker, out_dir, host)


def _tidy(marker_file: Path, out_dir: Path, host: str) -> None:
    marker = _marker_in(marker_file)
    if marker is None or marker.get("host") != host or _alive(int(str(marker["pid"]))):
        return
    folder = out_dir / str(marker["folder"])
    name = str(marker.get("name", ""))
    home = out_dir / name
    if folder.is_dir() and not folder.is_symlink():
        if marker.get("role") == PREVIOUS and _is_import_name(name) and not os.path.lexists(home):
            os.rename(folder, home)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if not os.path.lexists(folder):
        marker_file.unlink()


def _is_import_name(name: str) -> bool:
    return bool(IMPORT_NAME.fullmatch(name)) and ".." not in name


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # glibc before 2.28
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_into_place(work: Path, target: Path, name: str) -> None:
    """Put the finished folder `work` at `target`, replacing a previous import in one step.

    Called with the imports folder locked. Whatever moment a kill comes, the folder at the
    path `work` is marked NEW (it holds the new import, or after the exchange the previous
    one: either is to be removed) and `target` is a complete import, old or new.
    """
    try:
        if not target.exists():
            os.rename(work, target)
        elif _exchange(work, target):
            shutil.rmtree(work)  # now the previous import
        else:
            aside = work.with_name(work.name + ".previous")
            mark(aside, name, PREVIOUS)
            os.rename(target, aside)  # a kill here: the next import puts it back
            try:
                os.rename(work, target)
            except OSError:
                os.rename(aside, target)
                raise
            shutil.rmtree(aside)
            marker_path(aside).unlink()
        marker_path(work).unlink()
    except OSError as exc:
        raise WriteError(target, _reason(exc)) from None


def discard(work: Path) -> None:
    """Remove a temporary folder of ours that was not swapped into place, then its marker."""
    shutil.rmtree(work, ignore_errors=True)
    if not os.path.lexists(work):
        marker_path(work).unlink(missing_ok=True)


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """An exclusive lock (POSIX) on the imports folder: imports swap their folders one at a time."""
    lock_path = out_dir / ".lock"
    try:
        fh = lock_path.open("a")
    except OSError as exc:
        raise WriteError(lock_path, _reason(exc)) from None
    with fh:
        try:
            import fcntl
        except ImportError:  # Windows: no lock; each import still uses its own temporary folder
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def list_imports(base: Path | None = None) -> list[str]:
    """Names of the imports available (folders holding a meta.json), sorted."""
    root = base or paths.imports_dir()
    if not root.is_dir():
        return []
    # temporary folders of an import in progress (or killed) start with a dot: never listed
    return sorted(
        p.parent.name for p in root.glob("*/meta.json") if IMPORT_NAME.fullmatch(p.parent.name)
    )


def read_import_file(path: Path) -> str:
    """The text of one file of an import, its size checked before anything is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise InputError("err.file_not_found", file=path, expected="exp.run_import") from None
    except OSError:
        raise InputError("err.import_unreadable", file=path, expected="exp.run_import") from None
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        raw = fh.read(MAX_IMPORT_FILE_BYTES + 1) if size <= MAX_IMPORT_FILE_BYTES else b""
    if size > MAX_IMPORT_FILE_BYTES or len(raw) > MAX_IMPORT_FILE_BYTES:
        raise InputError("err.import_file_too_large", file=path, expected="exp.run_import",
                         max_mb=MAX_IMPORT_FILE_BYTES // 1_000_000)  # fmt: skip
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("err.import_not_utf8", file=path, expected="exp.run_import") from None


def read_meta(import_dir: Path) -> dict[str, object]:
    """An import's meta.json, checked to be a JSON object."""
    meta_path = import_dir / "meta.json"
    if not meta_path.is_file():
        raise InputError("err.import_incomplete", file=import_dir, expected="exp.run_import")
    try:
        meta = json.loads(read_import_file(meta_path))
    except ValueError:
        meta = None
    if not isinstance(meta, dict):
        raise InputError("err.import_meta", file=meta_path, expected="exp.run_import")
    return meta


def import_digest(name: str, imports_dir: Path | None = None) -> str:
    """What identifies the content of import `name` (its source file's SHA-256, from its
    meta.json); ``""`` if there is none or it cannot be read (loading it then says why).
    Caches of an import are keyed by it, so an import replaced under its name is read again.
    The app asks at every rerun: meta.json is parsed again only when its file changes (a
    replaced import is a new folder, so a new file)."""
    if not _is_import_name(name):
        return ""
    meta_path = (imports_dir or paths.imports_dir()) / name / "meta.json"
    try:
        st = meta_path.stat()
    except OSError:
        return ""
    try:
        return _meta_digest((str(meta_path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
    except InputError:
        return ""


@memo.memoized(size=64)
def _meta_digest(identity: tuple[str, int, int, int, int]) -> str:
    """The digest a meta.json names, by the file's identity (path, device, inode, size, mtime)."""
    return str(read_meta(Path(identity[0]).parent).get("sha256", ""))


def damaged(exc: InputError) -> InputError:
    """The same finding, with the advice for an import: run the import again."""
    where: dict[str, object] = {"file": exc.file, "row": exc.row, "column": exc.column}
    if exc.has_value:
        where["value"] = exc.value
    params = {k: v for k, v in exc.params.items() if k not in ("file", "row", "column", "value")}
    return InputError(exc.problem, expected="exp.run_import", **where, **params)  # type: ignore[arg-type]


def _check_jobs_fit(df: pd.DataFrame, path: Path) -> None:
    """Counts beyond 2^53 are not whole numbers any more (nor int64 beyond 9.2e18): refused
    before the table is typed."""
    if "jobs" not in df.columns:
        return
    nums, _ = parse_numbers(df["jobs"])
    huge = nums.abs() > 2**53
    if huge.any():
        row = first_true(huge)
        raise InputError("err.jobs_impossible", file=path, row=row + 2, column="jobs",
                         value=df["jobs"].iloc[row], expected="exp.run_import")  # fmt: skip


def load_import(import_dir: Path, zoning: str, zone_codes: Sequence[str]) -> EmploymentTable:
    """Employment tables written by `cartohdf import-urssaf` (same layout as urssaf_ze2020.csv)."""
    meta = read_meta(import_dir)
    path = import_dir / f"employment_{zoning}.csv"
    text = read_import_file(path)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        _check_jobs_fit(df, path)
        df = validate_frame(df, URSSAF_SCHEMA, path)
        check_codes(df, "zone_code", set(zone_codes) | {FRANCE}, path)
    except InputError as exc:
        raise damaged(exc) from None
    except (ValueError, TypeError, OverflowError):  # unparsable, or a count too large for int64
        raise InputError("err.csv_unreadable", file=path, expected="exp.run_import") from None
    if (df["jobs"] < 0).any():
        row = int((df["jobs"] < 0).to_numpy().nonzero()[0][0])
        raise InputError("err.jobs_impossible", file=path, row=row + 2, column="jobs",
                         value=int(df["jobs"].iloc[row]), expected="exp.run_import")  # fmt: skip
    if (df["zone_code"] != FRANCE).sum() == 0:
        raise InputError("err.import_no_region", file=import_dir, expected="exp.urssaf_with_region")
    source_file = meta.get("source_file")
    return employment_table(df, zoning, "import", str(source_file or import_dir.name))
