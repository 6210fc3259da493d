"""build-data regenerates the committed files byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartohdf.build import build_all
from cartohdf.build.run import DERIVED_DATA, DERIVED_GEO
from cartohdf.core import paths


@pytest.fixture(scope="module")
def rebuilt(raw_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rebuild")
    build_all(raw_dir, out / "geo", out / "data", lambda _m: None)
    return out


@pytest.mark.raw
@pytest.mark.parametrize("name", DERIVED_GEO)
def test_geo_rebuild_is_byte_identical(rebuilt, name):
    assert (rebuilt / "geo" / name).read_bytes() == (paths.GEO_DIR / name).read_bytes()


@pytest.mark.raw
@pytest.mark.parametrize("name", DERIVED_DATA)
def test_data_rebuild_is_byte_identical(rebuilt, name):
    assert (rebuilt / "data" / name).read_bytes() == (paths.DATA_DIR / name).read_bytes()


@pytest.mark.raw
def test_simplification_error_is_recorded(rebuilt):
    import json

    report = json.loads((rebuilt / "data" / "build_report.json").read_text())
    assert report["ze2010_zones"] == 28 and report["ze2020_zones"] == 24
    assert report["boundary_error_m"]["max"] < 500  # under two pixels at 300 m/pixel
    assert report["vertices_after"] < report["vertices_before"]


@pytest.mark.raw
def test_missing_raw_file_is_a_clear_error(raw_dir, tmp_path):
    from cartohdf.build.geometry import load_communes
    from cartohdf.core import InputError

    (tmp_path / "communes").mkdir()
    with pytest.raises(InputError, match=r"communes-hauts-de-france\.geojson"):
        load_communes(tmp_path)


@pytest.mark.raw
def test_national_geometry_built_twice_gives_the_same_bytes(raw_dir, rebuilt, tmp_path):
    import shutil

    import pandas as pd

    from cartohdf.build.france import build_france

    zones_france = pd.read_csv(rebuilt / "data" / "zones_france.csv", dtype=str)
    (tmp_path / "geo").mkdir()
    (tmp_path / "data").mkdir()
    for name in ("region.geojson", "zones_ze2010.geojson", "zones_ze2020.geojson"):
        shutil.copy(rebuilt / "geo" / name, tmp_path / "geo" / name)
    build_france(raw_dir, tmp_path / "geo", tmp_path / "data", zones_france, lambda _m: None)
    for zoning in ("ze2010", "ze2020"):
        for kind in ("france", "outside"):
            name = f"zones_{kind}_{zoning}.geojson"
            assert (tmp_path / "geo" / name).read_bytes() == (rebuilt / "geo" / name).read_bytes()
    name = "zones_interregional.csv"
    assert (tmp_path / "data" / name).read_bytes() == (rebuilt / "data" / name).read_bytes()
