"""URSSAF imports: only counts that can exist, whole rows, years in range, in both engines; the
imports folder never loses an import (marked temporaries, one-step swap, killed processes);
damaged imports and failed writes end in a plain message."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cartohdf.core import MAX_JOBS_PER_CELL, CartohdfError, InputError, WriteError, paths
from cartohdf.data import dataset_for, import_urssaf, list_imports
from cartohdf.data._imports import aggregate, aggregate_pandas, read_header
from cartohdf.data._imports_arrow import aggregate_arrow
from cartohdf.data._imports_store import import_digest, marker_path
from tests.conftest import component_data
from tests.test_urssaf_import import _tiny_urssaf

YEAR = "Effectifs salariés 2019"


def _variant(tmp_path: Path, old: bytes, new: bytes, name: str = "v.csv") -> Path:
    plain = tmp_path / "plain.csv"
    _tiny_urssaf(plain)
    path = tmp_path / name
    raw = plain.read_bytes()
    assert old in raw
    path.write_bytes(raw.replace(old, new))
    return path


def _refused_by_both(path: Path, communes) -> list[InputError]:
    """Each engine refuses `path` (Arrow may give way to pandas): the errors, pandas' last."""
    header = read_header(path)
    errors = []
    try:
        fast = aggregate_arrow(path, header, communes)
    except InputError as exc:
        errors.append(exc)
    else:
        assert fast is None, "the Arrow engine imported what pandas must refuse"
    with pytest.raises(InputError) as err:
        aggregate_pandas(path, header, communes, chunk_rows=1)
    errors.append(err.value)
    with pytest.raises(InputError) as whole:
        aggregate(path, communes)
    assert whole.value.message("en") == err.value.message("en")
    return errors


@pytest.mark.parametrize(
    "cell",
    [
        b"1e19",
        b"1" + b"0" * 29,
        b"-5",
        b"-1",
        b"12,5",
        b"1e308",
        str(MAX_JOBS_PER_CELL + 1).encode(),
    ],
)
def test_a_count_that_cannot_exist_is_refused_naming_the_cell(tmp_path, data, cell):
    path = _variant(tmp_path, b";120\r\n", b";" + cell + b"\r\n")
    *_, err = _refused_by_both(path, data.communes)
    assert (err.row, err.column, err.value) == (2, YEAR, cell.decode())
    assert "10 000 000" in err.message("fr").replace("\u202f", " ")


def test_two_huge_counts_never_sum_to_infinity(tmp_path, data):
    path = _variant(tmp_path, b";40\r\n", b";1e308\r\n")
    path.write_bytes(path.read_bytes().replace(b";120\r\n", b";1e308\r\n"))
    *_, err = _refused_by_both(path, data.communes)
    assert err.row == 2 and err.value == "1e308"


def test_the_bound_itself_is_a_count_both_engines_read_alike(tmp_path, data):
    path = _variant(tmp_path, b";120\r\n", f";{MAX_JOBS_PER_CELL}\r\n".encode())
    header = read_header(path)
    fast = aggregate_arrow(path, header, data.communes)
    assert fast is not None
    tables, _ = aggregate_pandas(path, header, data.communes)
    for name, table in tables.items():
        assert fast[0][name].to_csv(index=False) == table.to_csv(index=False), name
    assert tables["ze2010"]["jobs"].max() == MAX_JOBS_PER_CELL


@pytest.mark.parametrize(
    "row", [b"80;80021;GS3 Commerce\r\n", b"80;80021;GS3 Commerce;GZ Commerce;40;7\r\n"]
)
def test_a_row_without_the_headers_field_count_is_refused(tmp_path, data, row):
    path = _variant(tmp_path, b"80;80021;GS3 Commerce;GZ Commerce;40\r\n", row)
    *_, err = _refused_by_both(path, data.communes)
    assert err.row == 3 and "5" in err.message("en")


@pytest.mark.parametrize("year", [b"0999", b"9999", b"1989", b"2100", "２０１９".encode()])
def test_a_year_header_outside_the_period_is_refused_plainly(tmp_path, data, year):
    path = _variant(tmp_path, b"salari\xc3\xa9s 2019", b"salari\xc3\xa9s " + year)
    with pytest.raises(InputError) as err:
        import_urssaf(path, data.communes, tmp_path / "imports")
    assert "1990" in err.value.message("en") or "Effectifs" in err.value.message("en")


def test_the_period_bounds_are_years(tmp_path, data):
    for year in (b"1990", b"2099"):
        path = _variant(tmp_path, b"salari\xc3\xa9s 2019", b"salari\xc3\xa9s " + year)
        _, summary = aggregate(path, data.communes)
        assert summary.years == [int(year)]


def test_a_header_only_file_is_a_plain_message(tmp_path, data):
    path = tmp_path / "empty.csv"
    _tiny_urssaf(path)
    path.write_bytes(path.read_bytes().split(b"\r\n")[0] + b"\r\n")
    _refused_by_both(path, data.communes)
    with pytest.raises(InputError, match="aucune ligne de données"):
        import_urssaf(path, data.communes, tmp_path / "imports")


# -- the imports folder -------------------------------------------------------------------------


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _marked(folder: Path, pid: int, role: str = "new", name: str = "mine", host: str = "") -> Path:
    import socket

    folder.mkdir()
    (folder / "employment_ze2010.csv").write_text("partial")
    marker = {"pid": pid, "host": host or socket.gethostname(), "name": name, "role": role,
              "folder": folder.name}  # fmt: skip
    marker_path(folder).write_text(json.dumps(marker))
    return folder


def test_only_marked_folders_of_dead_processes_are_removed(tmp_path, data):
    imports = tmp_path / "imports"
    imports.mkdir()
    backup = imports / ".backup-12345-old-copy"  # looks like an old temporary: it is not ours
    backup.mkdir()
    (backup / "notes.txt").write_text("keep me")
    dead = _dead_pid()
    abandoned = _marked(imports / ".mine-xyz", dead)
    living = _marked(imports / ".mine-abc", os.getpid())
    elsewhere = _marked(imports / ".mine-def", dead, host="another-host")
    unmarked = imports / f".mine-{dead}-q1w2e3"
    unmarked.mkdir()
    source = tmp_path / "urssaf.csv"
    _tiny_urssaf(source)
    import_urssaf(source, data.communes, imports, name="mine")
    assert (backup / "notes.txt").read_text() == "keep me"
    assert not abandoned.exists() and living.exists() and elsewhere.exists() and unmarked.exists()
    assert list_imports(imports) == ["mine"] and not marker_path(abandoned).exists()
    left = {".lock", "mine", backup.name, living.name, elsewhere.name, unmarked.name}
    assert {p.name for p in imports.iterdir()} == left | {
        marker_path(f).name for f in (living, elsewhere)
    }


CHILD = """
import os, signal, sys, resource
from pathlib import Path
from cartohdf.core import CartohdfError
from cartohdf.data import _imports, _imports_store as store, import_urssaf, load_communes

mode, source, out, name = sys.argv[1:5]
die = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
if mode == "after_exchange":
    real = store._exchange
    store._exchange = lambda a, b: (real(a, b), die())[0]
elif mode == "between_renames":
    store._exchange = lambda a, b: False
    real_rename = os.rename
    def rename(a, b):
        real_rename(a, b)
        if str(b).endswith(".previous"):
            die()
    os.rename = rename
elif mode == "during_removal":  # killed while removing the previous import: its files gone
    def partial(path, *a, **k):
        for f in Path(path).iterdir():
            f.unlink()
        die()
    store.shutil.rmtree = partial
elif mode == "before_swap":
    _imports.swap_into_place = die
elif mode == "fsize":
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (250, 250))
try:
    import_urssaf(Path(source), load_communes(), Path(out), name=name)
except CartohdfError as exc:
    print(exc.message("fr"))
    sys.exit(2)
"""


def _child(
    mode: str, source: Path, imports: Path, name: str = "mine"
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT / "src")}
    return subprocess.run([sys.executable, "-c", CHILD, mode, str(source), str(imports), name],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip


def _two_sources(tmp_path: Path) -> tuple[Path, Path]:
    first = tmp_path / "first.csv"
    _tiny_urssaf(first)
    return first, _variant(tmp_path, b";120\r\n", b";121\r\n", "second.csv")


def _digest_of(imports: Path) -> str:
    return json.loads((imports / "mine" / "meta.json").read_text())["sha256"]


@pytest.mark.parametrize(
    "mode", ["after_exchange", "during_removal", "between_renames", "before_swap"]
)
def test_an_import_killed_while_swapping_never_loses_an_import(tmp_path, data, mode):
    first, second = _two_sources(tmp_path)
    imports = tmp_path / "imports"
    import_urssaf(first, data.communes, imports, name="mine")
    old = _digest_of(imports)
    killed = _child(mode, second, imports)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if mode in ("after_exchange", "during_removal"):  # the new import is in place, whole
        assert list_imports(imports) == ["mine"] and _digest_of(imports) != old
        dataset_for("mine", imports_dir=imports)
    elif mode == "before_swap":  # the previous import is still in place
        assert list_imports(imports) == ["mine"] and _digest_of(imports) == old
    # the next import (of another name) tidies up and never removes an import
    import_urssaf(first, data.communes, imports, name="other")
    assert list_imports(imports) == ["mine", "other"]
    new = mode in ("after_exchange", "during_removal")
    assert _digest_of(imports) == (import_digest("mine", imports) if new else old)
    assert sorted(p.name for p in imports.iterdir()) == [".lock", "mine", "other"]
    dataset_for("mine", imports_dir=imports)


def test_a_write_that_fails_leaves_the_previous_import_and_names_the_file(tmp_path, data):
    first, second = _two_sources(tmp_path)
    imports = tmp_path / "imports"
    import_urssaf(first, data.communes, imports, name="mine")
    before = {p.name: p.read_bytes() for p in (imports / "mine").iterdir()}
    failed = _child("fsize", second, imports)
    assert failed.returncode == 2 and "Traceback" not in failed.stderr, failed.stderr
    assert str(imports / "mine") in failed.stdout and "rien n’a été modifié" in failed.stdout
    assert {p.name: p.read_bytes() for p in (imports / "mine").iterdir()} == before
    assert sorted(p.name for p in imports.iterdir()) == [".lock", "mine"]


def test_a_failed_write_in_process_raises_a_write_error(tmp_path, data, monkeypatch):
    source = tmp_path / "urssaf.csv"
    _tiny_urssaf(source)

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError) as err:
        import_urssaf(source, data.communes, tmp_path / "imports", name="mine")
    assert str(tmp_path / "imports" / "mine") in err.value.message("en")
    assert [p.name for p in (tmp_path / "imports").iterdir()] == []


# -- damaged imports --------------------------------------------------------------------------


@pytest.fixture()
def imported(tmp_path, data) -> Path:
    source = tmp_path / "urssaf.csv"
    _tiny_urssaf(source)
    target, _ = import_urssaf(source, data.communes, tmp_path / "imports", name="mine")
    return target


def _damage_message(imported: Path) -> str:
    with pytest.raises(CartohdfError) as err:
        dataset_for("mine", imports_dir=imported.parent)
    message = err.value.message("fr")
    assert "import-urssaf" in message and "build-data" not in message, message
    return message


def test_a_table_too_large_is_refused_before_it_is_read(imported, monkeypatch):
    table = imported / "employment_ze2010.csv"
    with table.open("r+b") as fh:
        fh.truncate(61_000_000)  # sparse: 61 MB said, nothing to read
    import pandas as pd

    monkeypatch.setattr(
        pd, "read_csv", lambda *a, **k: pytest.fail("read before its size was checked")
    )
    assert "trop gros" in _damage_message(imported)


@pytest.mark.parametrize(
    ("old", "new"),
    [(b"zone_code", b"zone_c\xe9de"), (b"\nFR,", b"\nFR,\xff"),
     (b"3111,a5,BE,2019,120", b"3111,a5,BE,2019,1e19"), (b"3111,a5,BE,2019,120", b"3111,a5,BE,2019,-120")],
)  # fmt: skip
def test_a_damaged_table_is_a_plain_message_saying_to_import_again(imported, old, new):
    table = imported / "employment_ze2010.csv"
    raw = table.read_bytes()
    assert old in raw
    table.write_bytes(raw.replace(old, new, 1))
    _damage_message(imported)


def test_a_missing_table_says_to_import_again(imported):
    (imported / "employment_ze2020.csv").unlink()
    assert "introuvable" in _damage_message(imported)


# -- an import replaced under its name is seen at once --------------------------------------


def test_the_app_sees_an_import_replaced_under_the_same_name(tmp_path, monkeypatch, data):
    from streamlit.testing.v1 import AppTest

    imports = tmp_path / "imports"
    monkeypatch.setenv("CARTOHDF_IMPORTS_DIR", str(imports))
    one_year = tmp_path / "one.csv"
    _tiny_urssaf(one_year)
    import_urssaf(one_year, data.communes, imports, name="essai")

    def years() -> list[object]:
        at = AppTest.from_file(str(paths.ROOT / "streamlit_app.py"), default_timeout=120)
        at.query_params["source"] = "essai"
        at.run()
        assert not at.exception and at.selectbox(key="w_source").value == "essai"
        return list(at.selectbox(key="w_year").options)

    assert years() == ["2019"]
    two_years = tmp_path / "two.csv"
    raw = one_year.read_bytes().replace(
        b"salari\xc3\xa9s 2019", "salariés 2019;Effectifs salariés 2020".encode()
    )
    two_years.write_bytes(
        raw.replace(b";120\r\n", b";120;130\r\n").replace(b";40\r\n", b";40;41\r\n")
    )
    import_urssaf(two_years, data.communes, imports, name="essai")
    assert import_digest("essai", imports) != ""
    assert years() == ["2019", "2020"]
    # the same years, other counts: what the app drew from the old import is drawn again
    def pages() -> str:
        at = AppTest.from_file(str(paths.ROOT / "streamlit_app.py"), default_timeout=120)
        at.query_params["source"] = "essai"
        at.session_state["all_pages"] = True  # every zone's profile, not the overview alone
        at.run()
        return json.dumps(component_data(at, "pages"), sort_keys=True)

    before = pages()
    two_years.write_bytes(two_years.read_bytes().replace(b";120;130\r\n", b";120;930\r\n"))
    import_urssaf(two_years, data.communes, imports, name="essai")
    assert pages() != before


@pytest.mark.parametrize("end", [b"\r", b"\n"])
def test_any_line_end_gives_the_same_import(tmp_path, data, end):
    crlf = tmp_path / "crlf.csv"
    _tiny_urssaf(crlf)
    other = tmp_path / "other.csv"
    other.write_bytes(crlf.read_bytes().replace(b"\r\n", end))
    assert read_header(other) == read_header(crlf)  # CR only: the header is the first line
    (tables, _), (same, _) = aggregate(crlf, data.communes), aggregate(other, data.communes)
    for name, table in tables.items():
        assert same[name].to_csv(index=False) == table.to_csv(index=False), name


def test_bytes_not_utf8_are_refused_by_both_engines_even_in_a_column_not_read(tmp_path, data):
    path = tmp_path / "latin1.csv"
    _tiny_urssaf(path)
    lines = path.read_bytes().split(b"\r\n")
    lines = [
        lines[0] + b";Nom commune",
        lines[1] + b";Lille",
        lines[2] + ";Amiens é".encode("latin-1"),
        b"",
    ]
    path.write_bytes(b"\r\n".join(lines))
    _refused_by_both(path, data.communes)
