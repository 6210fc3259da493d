"""The command line, as a user runs it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cartohdf.core import paths
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
    table = pd.read_csv(__import__("io").StringIO(result.output))
    assert len(table) >= 15 and "Différence de définition" in table


def test_build_data_with_missing_raw_dir(tmp_path):
    result = CliRunner().invoke(
        main, ["build-data", "--raw", str(tmp_path / "none"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "introuvable" in result.output and "Traceback" not in result.output


def test_library_never_imports_streamlit():
    for path in Path(paths.ROOT, "src", "cartohdf").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] in ("streamlit", "streamlit_folium") for n in names), (
                path
            )
