"""Each loader rejects each class of bad input with a message naming file, line, column, value."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cartohdf.core import CartohdfError, InputError, paths
from cartohdf.data import _files as sources
from cartohdf.data._schema import read_geo

CODES10 = list(sources.load_zones("ze2010")["code"])


def _copy_data(tmp_path: Path) -> Path:
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_good_data_loads():
    table = sources.load_estel(paths.DATA_DIR, CODES10)
    assert set(table.jobs["zone_code"]) == set(CODES10)
    assert set(table.reference["zone_code"]) == {"FRM"}


def test_missing_column(tmp_path):
    d = _copy_data(tmp_path)
    _edit(d / "estel_salaried_ze2010.csv", "zone_code,sector,year,jobs", "zone,sector,year,jobs")
    with pytest.raises(InputError) as err:
        sources.load_estel(d, CODES10)
    msg = str(err.value)
    assert "estel_salaried_ze2010.csv" in msg and "zone_code" in msg and "manquante" in msg


def test_non_numeric_value_names_line_column_and_value(tmp_path):
    d = _copy_data(tmp_path)
    _edit(d / "estel_salaried_ze2010.csv", "0055,AZ,1998,", "0055,AZ,1998,12x")
    with pytest.raises(InputError) as err:
        sources.load_estel(d, CODES10)
    e = err.value
    assert (e.row, e.column) == (2, "jobs") and e.value.startswith("12x")
    assert "ligne 2" in str(e) and "nombre entier" in str(e)


def test_duplicate_key(tmp_path):
    d = _copy_data(tmp_path)
    path = d / "estel_nonsalaried_ze2010.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(InputError, match="clé en double") as err:
        sources.load_estel_nonsalaried(d, CODES10)
    assert err.value.row == len(lines) + 1


def test_unknown_zone_code(tmp_path):
    d = _copy_data(tmp_path)
    _edit(d / "estel_salaried_ze2010.csv", "\n0055,AZ,1998,", "\n9999,AZ,1998,")
    with pytest.raises(InputError, match="code de zone inconnu") as err:
        sources.load_estel(d, CODES10)
    assert err.value.value == "9999"


def test_code_that_lost_its_leading_zero_is_rejected(tmp_path):
    d = _copy_data(tmp_path)
    _edit(d / "estel_salaried_ze2010.csv", "\n0055,AZ,1998,", "\n55,AZ,1998,")
    with pytest.raises(InputError, match="4 chiffres"):
        sources.load_estel(d, CODES10)


def test_unknown_sector(tmp_path):
    d = _copy_data(tmp_path)
    _edit(d / "estel_salaried_ze2010.csv", "\n0055,AZ,1998,", "\n0055,ZZ,1998,")
    with pytest.raises(InputError, match="sector"):
        sources.load_estel(d, CODES10)


def test_missing_file_says_how_to_fix(tmp_path):
    with pytest.raises(InputError, match="build-data"):
        sources.load_urssaf(tmp_path, ["3201"])


def _copy_geo(tmp_path: Path) -> Path:
    shutil.copytree(paths.GEO_DIR, tmp_path / "geo")
    return tmp_path / "geo"


def test_geojson_without_crs_is_rejected(tmp_path):
    g = _copy_geo(tmp_path)
    path = g / "zones_ze2010.geojson"
    # a shapefile has no implicit CRS: write the zones without a .prj
    zones = sources.load_zones("ze2010")
    shp = tmp_path / "zones.shp"
    zones.set_crs(None, allow_override=True).to_file(shp)
    with pytest.raises(InputError, match="coordonnées"):
        read_geo(shp, sources.ZONE_SCHEMA)
    assert path.exists()


def test_geojson_in_wrong_crs_is_rejected(tmp_path):
    zones = sources.load_zones("ze2010").to_crs(2154)
    out = tmp_path / "zones.gpkg"
    zones.to_file(out)
    with pytest.raises(InputError, match="EPSG:4326"):
        read_geo(out, sources.ZONE_SCHEMA)


def test_duplicate_zone_in_geojson(tmp_path):
    g = _copy_geo(tmp_path)
    path = g / "zones_ze2010.geojson"
    fc = json.loads(path.read_text())
    fc["features"].append(fc["features"][0])
    path.write_text(json.dumps(fc))
    with pytest.raises(InputError, match="clé en double") as err:
        sources.load_zones("ze2010", g)
    assert err.value.value == "0055"


def test_unknown_zoning():
    with pytest.raises(CartohdfError, match="ze2010, ze2020"):
        sources.load_zones("ze1990")
