"""The command line, as a user runs it."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from cartohdf.front.cli import main
from cartohdf.indicators import indicator_set


def _commands():
    return sorted(main.commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_text(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert main.commands[name].help and len(main.commands[name].help) > 20


def test_export_data_csv(tmp_path, data):
    out = tmp_path / "ze2010.csv"
    result = CliRunner().invoke(
        main, ["export-data", "--zoning", "ze2010", "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype={"code": str})
    assert len(table) == 28 and list(table.columns[:2]) == ["code", "name"]
    assert "industrial_share_2017" in table and "industrial_change_2007_2017" in table
    row = table.set_index("code").loc["2203"]
    assert (
        row["industrial_jobs_2017"]
        == indicator_set(data, "ze2010").values("industrial_jobs", 2017)["2203"]
    )


def test_export_data_geojson(tmp_path):
    out = tmp_path / "ze2020.geojson"
    result = CliRunner().invoke(
        main, ["export-data", "--zoning", "ze2020", "--format", "geojson", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    fc = json.loads(out.read_text())
    assert len(fc["features"]) == 24
    props = fc["features"][0]["properties"]
    assert (
        props["code"] == "0054"
        and "industrial_share_2024" in props
        and "specialisation_ch_2019" in props
    )


def test_export_data_bad_zoning_is_one_line_error(tmp_path):
    result = CliRunner().invoke(
        main, ["export-data", "--zoning", "ze1999", "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code != 0
    assert "ze2010" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.csv").exists()


def test_compare_study_lists_study_and_open_data_values():
    result = CliRunner().invoke(main, ["compare-study"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "280\u202f467" in out and "268\u202f360" in out  # study vs Estel 2017 (French spacing)
    assert "−20,9\u202f%" in out and "−21,5\u202f%" in out
    assert "23\u202f875 M€" in out  # carried verbatim, French format
    assert "ACOSS" in out and "Estel" in out
    assert "Repris tels quels" in out


def test_compare_study_csv():
    result = CliRunner().invoke(main, ["compare-study", "--format", "csv"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(__import__("io").StringIO(result.output))
    assert len(table) >= 15 and "Différence de définition" in table


def test_build_data_with_missing_raw_dir(tmp_path):
    result = CliRunner().invoke(
        main, ["build-data", "--raw", str(tmp_path / "none"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "introuvable" in result.output and "Traceback" not in result.output


def test_compare_study_in_english():
    result = CliRunner(env={"CARTOHDF_LANG": "en"}).invoke(main, ["compare-study"])
    assert result.exit_code == 0, result.output
    assert "Industrial jobs, région, 2017" in result.output and "280,467" in result.output
    assert "Emplois industriels" not in result.output


def test_exports_are_byte_identical_across_processes(tmp_path):
    """Two fresh processes with different hash seeds write the same file (no set/dict order leaks)."""
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"map_{seed}.html"
        args = ["export", "--out", str(out), "--date", "2026-11-26", "--zone", "2203",
                "--layers", "s3,employers,ti2018,ti2023,departements,labels", "--lang", "en"]  # fmt: skip
        done = subprocess.run([sys.executable, "-m", "cartohdf.front.cli", *args], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    for fmt_, name in (("csv", "zones.csv"), ("geojson", "zones.geojson")):
        files = []
        for seed in ("1", "2"):
            out = tmp_path / f"{seed}_{name}"
            subprocess.run([sys.executable, "-m", "cartohdf.front.cli", "export-data", "--format", fmt_,
                            "--zoning", "ze2020", "--out", str(out)], env={**os.environ, "PYTHONHASHSEED": seed},
                           check=True, capture_output=True)  # fmt: skip
            files.append(out.read_bytes())
        assert files[0] == files[1]
