"""Complete or nothing: files cut anywhere are refused as truncated, an import killed at any
moment leaves nothing the app lists, two imports of one name cannot corrupt each other."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cartohdf.core import InputError
from cartohdf.data import import_urssaf, list_imports, load_import, parse_indicator
from tests.test_urssaf_import import _tiny_urssaf

ZONES = {"ze2010": ["0055", "2203", "3111"], "ze2020": ["3201", "3216"]}
INDICATOR = 'Code zone;"Taux; chômage (%)";Commentaire\n55;12,5;"zone « Bresle »"\n2203;7;ok\n3111;3,25;"dit ""oui"""\n'.encode()


def test_an_indicator_file_cut_anywhere_is_refused_as_truncated():
    header_end = INDICATOR.index(b"\n") + 1
    refused = 0
    for k in range(header_end + 1, len(INDICATOR)):
        if INDICATOR[k - 1 : k] == b"\n":
            continue  # cut between two rows: a shorter, complete file
        with pytest.raises(InputError) as err:
            parse_indicator(INDICATOR[:k], "cut.csv", ZONES)
        assert "tronqué" in str(err.value) and "truncated" in err.value.message("en"), (
            k,
            str(err.value),
        )
        refused += 1
    assert refused > 50  # inside quoted fields, mid-row, mid-line, inside « é »


def _urssaf_rows(path: Path, n: int, seed: int = 0) -> None:
    """`n` rows in the national layout, communes of the région and elsewhere."""
    import random

    rng = random.Random(seed)
    header = "Code département;Code commune;Grand secteur d'activité;Secteur NA38;Effectifs salariés 2019;Effectifs salariés 2020"
    communes = ["59350", "80021", "62041", "02691", "60057", "76540", "75056"]
    sectors = [
        "GS1 Industrie;CH Métallurgie",
        "GS3 Commerce;GZ Commerce",
        "GS2 Construction;FZ Construction",
    ]
    lines = [header]
    for _ in range(n):
        c = rng.choice(communes)
        lines.append(
            f"{c[:2]};{c};{rng.choice(sectors)};{rng.randint(0, 500)};{rng.choice(['', str(rng.randint(0, 500))])}"
        )
    path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def test_an_urssaf_file_cut_anywhere_is_refused_and_writes_nothing(tmp_path, data):
    source = tmp_path / "full.csv"
    _urssaf_rows(source, 300)
    raw = source.read_bytes()
    imports = tmp_path / "imports"
    for fraction in (0.31, 0.5, 0.6, 0.77, 0.999):
        k = int(len(raw) * fraction)
        while raw[k - 1 : k] in (b"\n", b"\r"):
            k += 1  # not at a line end
        cut = tmp_path / "cut.csv"
        cut.write_bytes(raw[:k])
        with pytest.raises(InputError, match="tronqué"):
            import_urssaf(cut, data.communes, imports, name="cut")
        assert list_imports(imports) == []
    quoted = tmp_path / "quoted.csv"
    quoted.write_bytes(raw + b'59;59350;"GS1 Industrie;CH M\r\n')  # an unclosed quote at the end
    with pytest.raises(InputError, match="tronqué"):
        import_urssaf(quoted, data.communes, imports, name="cut")


def test_an_import_placing_no_row_of_the_region_is_refused(tmp_path, data):
    elsewhere = tmp_path / "paris.csv"
    elsewhere.write_bytes(
        "Code département;Code commune;Grand secteur d'activité;Secteur NA38;Effectifs salariés 2019\r\n"
        "75;75056;GS1 Industrie;CH Métallurgie;10\r\n".encode()
    )
    from click.testing import CliRunner

    from cartohdf.front.cli import main

    result = CliRunner().invoke(
        main, ["import-urssaf", str(elsewhere), "--out", str(tmp_path / "imports")]
    )
    assert (
        result.exit_code == 2
        and "rien n’a été écrit" in result.output
        and "Traceback" not in result.output
    )
    assert list_imports(tmp_path / "imports") == []


def _import_process(source: Path, imports: Path, name: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cartohdf.front.cli", "import-urssaf", str(source), "--out", str(imports),
         "--name", name],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _complete(imports: Path, name: str, data) -> bool:
    folder = imports / name
    for zoning, zones in data.zones.items():
        load_import(folder, zoning, list(zones["code"]))  # raises if anything is missing or cut
    return True


def test_an_import_killed_at_any_moment_leaves_only_complete_imports(tmp_path, data):
    big = tmp_path / "big.csv"
    _urssaf_rows(big, 120_000, seed=1)
    imports = tmp_path / "imports"
    start = time.monotonic()
    assert _import_process(big, imports, "big").wait() == 0
    duration = time.monotonic() - start
    before = (imports / "big" / "meta.json").read_bytes()
    for fraction in (0.3, 0.6, 0.85, 0.95, 0.99):
        process = _import_process(big, imports, "big")
        deadline = time.monotonic() + duration * fraction
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        # whatever the moment: the app lists the import, complete, and nothing else
        assert list_imports(imports) == ["big"]
        assert _complete(imports, "big", data)
        visible = [p.name for p in imports.iterdir() if not p.name.startswith(".")]
        assert visible == ["big"]
    assert _import_process(big, imports, "big").wait() == 0
    assert (imports / "big" / "meta.json").read_bytes() == before  # same file, same import
    leftovers = [p.name for p in imports.iterdir() if p.name.startswith(".big-")]
    assert leftovers == []  # the killed imports' temporary folders were cleaned up


def test_two_imports_of_one_name_at_once_do_not_corrupt_each_other(tmp_path, data):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    _urssaf_rows(a, 20_000, seed=2)
    _urssaf_rows(b, 20_000, seed=3)
    imports = tmp_path / "imports"
    for _ in range(3):
        first, second = _import_process(a, imports, "same"), _import_process(b, imports, "same")
        assert first.wait() == 0, first.stderr.read() if first.stderr else ""
        assert second.wait() == 0, second.stderr.read() if second.stderr else ""
        assert list_imports(imports) == ["same"] and _complete(imports, "same", data)
        meta = (imports / "same" / "meta.json").read_text(encoding="utf-8")
        assert ('"a.csv"' in meta) != ('"b.csv"' in meta)  # one whole import, not a mix


def test_a_tiny_valid_file_still_imports(tmp_path, data):
    source = tmp_path / "ok.csv"
    _tiny_urssaf(source)
    target, summary = import_urssaf(source, data.communes, tmp_path / "imports")
    assert summary.rows == 2 and list_imports(tmp_path / "imports") == [target.name]
