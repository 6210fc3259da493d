"""The upload cache trusts nothing in its folder: no link followed, whole writes only, only
its own stale temporaries removed, and one session cannot fill it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cartohdf.core import MAX_UPLOADS_PER_SESSION, TMP_SUFFIX, InputError, WriteError
from cartohdf.data import check_session_uploads, read_upload, store_upload, upload_key
from cartohdf.data._uploads import evict

CSV = b"code;v\n0055;1\n2203;2\n"
ROOT = Path(__file__).resolve().parents[1]
PAST = 1_000_000_000.0  # a fixed mtime, far in the past


def planted(tmp_path: Path) -> tuple[Path, str, Path]:
    """A valid upload kept elsewhere, and a link to it planted in the cache under its key."""
    elsewhere, cache = tmp_path / "elsewhere", tmp_path / "cache"
    key = store_upload(CSV, "f.csv", folder=elsewhere)
    target = elsewhere / f"{key}.upload"
    os.utime(target, (PAST, PAST))
    cache.mkdir()
    (cache / f"{key}.upload").symlink_to(target)
    return cache, key, target


def test_a_planted_link_is_never_followed_read_or_touched(tmp_path):
    cache, key, target = planted(tmp_path)
    assert read_upload(key, cache) is None
    assert evict(cache, max_entries=0, max_bytes=0) == []  # not counted, not removed
    assert target.stat().st_mtime == PAST and (cache / f"{key}.upload").is_symlink()


def test_storing_over_a_planted_link_replaces_the_link_not_its_target(tmp_path):
    cache, key, target = planted(tmp_path)
    assert store_upload(CSV, "f.csv", folder=cache) == key
    path = cache / f"{key}.upload"
    assert not path.is_symlink() and path.is_file() and target.stat().st_mtime == PAST
    assert read_upload(key, cache).raw == CSV


def test_only_our_own_stale_temporaries_are_removed(tmp_path):
    key = store_upload(CSV, "f.csv", folder=tmp_path)
    names = {
        "stale": f".{key}.upload.k2j4x9{TMP_SUFFIX}",  # ours, from a process that died
        "fresh": f".{'1' * 16}.upload.a8c1qq{TMP_SUFFIX}",  # ours, being written now
        "backup": ".backup-12345-old-copy.tmp",  # someone else's
        "other": f"notes{TMP_SUFFIX}",
    }
    for label, name in names.items():
        (tmp_path / name).write_bytes(b"x")
        if label != "fresh":
            os.utime(tmp_path / name, (PAST, PAST))
    evict(tmp_path, now=PAST + 7200)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{key}.upload", names["fresh"], names["backup"], names["other"]]
    )


def test_a_full_disk_leaves_nothing_partial_and_names_the_cache(tmp_path):
    # a file-size limit in a child process stands for a full disk
    script = "\n".join([
        "import resource, signal, sys",
        "from pathlib import Path",
        "from cartohdf.core import CartohdfError",
        "from cartohdf.data import store_upload",
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)",
        "resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))",
        "try:",
        "    store_upload(b'code;v\\n' + b'0055;1\\n' * 5000, 'f.csv', folder=Path(sys.argv[1]))",
        "except CartohdfError as exc:",
        "    print(exc.message('en'))",
    ])  # fmt: skip
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})  # fmt: skip
    assert run.stdout.startswith(f"cannot write {tmp_path}/"), run.stderr[-800:]
    assert run.stdout.rstrip().endswith("(file larger than the system allows); nothing was changed")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_cache_folder_is_named(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(WriteError) as err:
        store_upload(CSV, "f.csv", folder=blocker / "uploads")
    assert str(blocker / "uploads") in err.value.message("en")


def test_one_session_keeps_a_bounded_number_of_uploads():
    keys = [upload_key(CSV + str(i).encode(), "f.csv") for i in range(MAX_UPLOADS_PER_SESSION)]
    check_session_uploads(set(keys[:-1]), keys[-1])  # the last one allowed
    check_session_uploads(set(keys), keys[0])  # the same file again: always fine
    with pytest.raises(InputError) as err:
        check_session_uploads(set(keys), upload_key(b"new", "g.csv"))
    assert err.value.message("fr") == (
        "trop de fichiers différents chargés dans cette session ; "
        f"attendu : {MAX_UPLOADS_PER_SESSION} fichiers au plus par session"
    )


def test_the_app_counts_the_session_uploads():
    source = (ROOT / "src" / "cartohdf" / "front" / "session.py").read_text(encoding="utf-8")
    body = source[source.index("def on_upload") : source.index("def remove_upload")]
    assert body.index("check_session_uploads(") < body.index("parse_upload_isolated(")
    assert "stored.add(key)" in body and "except OSError" not in body
