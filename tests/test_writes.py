"""Writes are whole or absent: a file-size limit (as a full disk) leaves the previous file and
no temporary behind, and the message names the path."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cartohdf.core import TMP_SUFFIX, WriteError, write_atomic

LIMITED = """
import resource, sys
from pathlib import Path
from cartohdf.core import CartohdfError, write_atomic
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), resource.RLIM_INFINITY))
try:
    write_atomic(Path(sys.argv[1]), b"x" * int(sys.argv[3]))
except CartohdfError as exc:
    print(exc.message("en"))
    sys.exit(2)
"""


def limited_write(path, limit: int, size: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", LIMITED, str(path), str(limit), str(size)],
                          capture_output=True, text=True, check=False)  # fmt: skip


def test_a_write_over_the_size_limit_keeps_the_old_file_and_leaves_nothing(tmp_path):
    target = tmp_path / "zones.csv"
    target.write_bytes(b"good")
    done = limited_write(target, 1000, 5000)
    assert done.returncode == 2, done.stderr
    assert str(target) in done.stdout and "nothing was changed" in done.stdout
    assert "larger than the system allows" in done.stdout  # EFBIG, in the user's words
    assert target.read_bytes() == b"good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zones.csv"]


def test_a_write_within_the_limit_is_whole(tmp_path):
    target = tmp_path / "zones.csv"
    assert limited_write(target, 10_000, 5000).returncode == 0
    assert target.read_bytes() == b"x" * 5000
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def test_a_folder_that_cannot_be_written_is_named(tmp_path):
    with pytest.raises(WriteError) as err:
        write_atomic(tmp_path / "missing" / "map.html", "<html>")
    assert str(tmp_path / "missing" / "map.html") in err.value.message("fr")


def test_an_error_while_writing_removes_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_text("before")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(WriteError) as err:
        write_atomic(target, "after")
    assert "disque plein" in err.value.message("fr") and "no space left" in err.value.message("en")
    assert target.read_text() == "before"
    assert not list(tmp_path.glob(f"*{TMP_SUFFIX}"))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask

