"""What a user takes away: file names after the view, tables French Excel opens, the server
bound to this machine."""

from __future__ import annotations

import io
import tomllib
import zipfile

import pandas as pd
import pytest

from cartohdf.core import paths
from cartohdf.export import zone_table_csv, zone_table_csv_fr, zone_table_xlsx
from cartohdf.front.app import map_file_name, table_file_name
from cartohdf.state import MapState, resolve


@pytest.mark.parametrize(
    ("state", "name"),
    [(MapState(), "cartohdf_ze2010_industrial_share_2017.html"),
     (MapState(zone="2203", indicator="industrial_change", year=2016, base_year=2008),
      "cartohdf_ze2010_industrial_change_2008-2016_zone-2203.html"),
     (MapState(zoning="ze2020", indicator="specialisation", zone="3216"),
      "cartohdf_ze2020_specialisation_2024_zone-3216.html")],
)  # fmt: skip
def test_map_downloads_are_named_after_the_view(data, state, name):
    assert map_file_name(resolve(state, data), "html") == name


def test_table_downloads_name_the_zoning_and_the_import():
    assert table_file_name(MapState(), "csv") == "cartohdf_ze2010_zones.csv"
    state = MapState(zoning="ze2020", source="urssaf-2024")
    assert table_file_name(state, "xlsx") == "cartohdf_ze2020_zones_urssaf-2024.xlsx"


def test_the_excel_csv_has_a_bom_semicolons_and_decimal_commas(data):
    raw = zone_table_csv_fr(data, "ze2010")
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    text = raw.decode("utf-8-sig")
    header, first = text.split("\r\n")[:2]
    assert header.startswith("Code;Zone d’emploi;Zone interrégionale;Emplois industriels 1998;")
    assert "Thiérache" in text
    machine = pd.read_csv(io.StringIO(zone_table_csv(data, "ze2010")), dtype={"code": str})
    excel = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype={"Code": str})
    assert len(excel.columns) == len(machine.columns) and len(excel) == len(machine) == 28
    assert excel["Code"].tolist() == machine["code"].tolist()
    assert set(excel["Zone interrégionale"]) == {"oui", "non"}  # not True/False
    jobs = excel["Emplois industriels 2017"]
    assert jobs.dtype == "int64" and jobs.tolist() == machine["industrial_jobs_2017"].round().astype(int).tolist()
    assert "17501,0" not in text and "True" not in text
    share = excel["Part de l’industrie dans l’emploi salarié 2017 (%)"]
    assert share.tolist() == pytest.approx((machine["industrial_share_2017"] * 100).tolist(), abs=1e-4)
    change = excel["Évolution de l’emploi industriel 2007–2017 (%)"]
    assert change.tolist() == pytest.approx((machine["industrial_change_2007_2017"] * 100).tolist(), abs=1e-4)
    assert f"{share[0]}".replace(".", ",") in first  # a decimal comma


def test_the_excel_csv_speaks_the_interface_language(data):
    text = zone_table_csv_fr(data, "ze2020", lang="en").decode("utf-8-sig")
    assert text.startswith("Code;Employment zone;Inter-regional zone;Industrial jobs 2019;")
    assert ";yes;" in text or ";no;" in text


def test_the_xlsx_holds_the_same_table(data):
    raw = zone_table_xlsx(data, "ze2010")
    assert zipfile.is_zipfile(io.BytesIO(raw))
    book = pd.read_excel(io.BytesIO(raw), dtype={"Code": str})
    excel = pd.read_csv(io.BytesIO(zone_table_csv_fr(data, "ze2010")), sep=";", decimal=",",
                        encoding="utf-8-sig", dtype={"Code": str})  # fmt: skip
    assert list(book.columns) == list(excel.columns) and len(book) == 28
    column = "Part de l’industrie dans l’emploi salarié 2017 (%)"
    assert book[column].tolist() == pytest.approx(excel[column].tolist())
    assert book["Emplois industriels 2017"].dtype == "int64"


def test_the_app_serves_this_machine_only():
    config = tomllib.loads((paths.ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"


@pytest.mark.parametrize("fmt", ["csv-fr", "xlsx"])
def test_the_cli_writes_the_excel_tables_too(tmp_path, data, fmt):
    from click.testing import CliRunner

    from cartohdf.front.cli import main

    out = tmp_path / f"zones.{fmt}"
    result = CliRunner().invoke(main, ["export-data", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = zone_table_csv_fr(data, "ze2010") if fmt == "csv-fr" else None
    if expected is not None:
        assert out.read_bytes() == expected
    else:
        assert len(pd.read_excel(out, dtype={"Code": str})) == 28
