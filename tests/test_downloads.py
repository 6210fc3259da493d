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
    assert header.startswith("code;name;interregional;")
    assert "Thiérache" in text
    machine = pd.read_csv(io.StringIO(zone_table_csv(data, "ze2010")), dtype={"code": str})
    excel = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype={"code": str})
    pd.testing.assert_frame_equal(machine, excel)  # the same values, in Excel's French dialect
    share = machine.loc[0, "industrial_share_2017"]
    assert f"{share}".replace(".", ",") in first and "." not in first.split(";", 3)[3].split(";")[0]


def test_the_xlsx_holds_the_same_table(data):
    raw = zone_table_xlsx(data, "ze2010")
    assert zipfile.is_zipfile(io.BytesIO(raw))
    book = pd.read_excel(io.BytesIO(raw), dtype={"code": str})
    machine = pd.read_csv(io.StringIO(zone_table_csv(data, "ze2010")), dtype={"code": str})
    assert list(book.columns) == list(machine.columns) and len(book) == 28
    assert book["industrial_share_2017"].tolist() == pytest.approx(
        machine["industrial_share_2017"].tolist()
    )


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
        assert len(pd.read_excel(out, dtype={"code": str})) == 28
