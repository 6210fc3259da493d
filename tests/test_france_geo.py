"""National geometry (every metropolitan zone) and the inter-regional zones drawn whole."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from cartohdf.core import InputError, paths
from cartohdf.data import (
    load_france_zones,
    load_interregional,
    load_outside_zones,
    load_region,
    load_zones,
)

ZONINGS = ("ze2010", "ze2020")
COUNTS = {"ze2010": 304, "ze2020": 287}
INTERREGIONAL = {"ze2010": ["0055", "0056"], "ze2020": ["0054", "0058"]}
KM2 = 1e6


def lambert(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return gdf.to_crs(2154).set_index("code").geometry


@pytest.fixture(scope="module")
def listed() -> pd.DataFrame:
    return pd.read_csv(paths.DATA_DIR / "zones_france.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def region() -> shapely.Geometry:
    return lambert(load_region()).iloc[0]


# -- national zones ---------------------------------------------------------------------------


@pytest.mark.parametrize("zoning", ZONINGS)
def test_france_zones_are_the_metropolitan_zones_of_zones_france_csv(zoning, listed):
    zones = load_france_zones(zoning)
    rows = listed[listed["zoning"] == zoning]
    assert len(zones) == COUNTS[zoning]
    assert list(zones["code"]) == sorted(rows["code"])
    expected = rows.set_index("code")
    assert (zones.set_index("code")["region"] == expected["region"]).all()
    assert (zones.set_index("code")["name"] == expected["name"]).all()
    assert not zones["code"].str[:2].isin(["01", "02", "03", "04", "06"]).any()  # no overseas
    assert zones.crs.to_epsg() == 4326


@pytest.mark.parametrize("zoning", ZONINGS)
def test_france_zones_are_a_valid_coverage_with_no_empty_zone(zoning):
    geoms = load_france_zones(zoning).geometry.values
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    assert (shapely.area(geoms) > 0).all()
    assert shapely.coverage_is_valid(geoms)
    coords = shapely.get_coordinates(geoms)
    assert np.array_equal(coords, np.round(coords, 5))


@pytest.mark.parametrize("zoning", ZONINGS)
def test_national_polygons_of_the_region_zones_sit_on_the_regional_ones(zoning, region):
    national = lambert(load_france_zones(zoning))
    regional = lambert(load_zones(zoning))
    assert set(regional.index) <= set(national.index)  # every zone of the région is there
    for code, part in regional.items():
        inside = national[code].intersection(region)  # whole inter-regional zones: their part
        assert abs(inside.area / part.area - 1) < 0.05, code  # measured: 3.6 % at most
        iou = inside.intersection(part).area / inside.union(part).area
        assert iou > 0.9, code  # measured: 0.91 to 0.99


# -- inter-regional zones drawn whole ---------------------------------------------------------


@pytest.mark.parametrize("zoning", ZONINGS)
def test_outside_parts_are_those_of_the_interregional_zones(zoning):
    outside = load_outside_zones(zoning)
    zones = load_zones(zoning)
    assert list(outside["code"]) == INTERREGIONAL[zoning]
    assert list(outside["code"]) == sorted(zones.loc[zones["interregional"], "code"])
    names = zones.set_index("code")["name"]
    assert (outside.set_index("code")["name"] == names[outside["code"]]).all()
    geoms = outside.geometry.values
    assert shapely.is_valid(geoms).all() and not shapely.is_empty(geoms).any()
    pieces = shapely.area(shapely.get_parts(lambert(outside).values))
    assert pieces.min() >= 1 * KM2  # no sliver left


@pytest.mark.parametrize("zoning", ZONINGS)
def test_outside_parts_do_not_overlap_the_region(zoning, region):
    outside = lambert(load_outside_zones(zoning))
    for code, part in outside.items():
        assert part.intersection(region).area < 0.01 * KM2, code  # measured: 547 m² at most
    assert shapely.coverage_is_valid(outside.values)  # nor each other


@pytest.mark.parametrize("zoning", ZONINGS)
def test_regional_plus_outside_part_is_the_national_polygon(zoning):
    national = lambert(load_france_zones(zoning))
    regional = lambert(load_zones(zoning))
    outside = lambert(load_outside_zones(zoning))
    for code, part in outside.items():
        whole = national[code]
        assert abs((regional[code].area + part.area) / whole.area - 1) < 0.01, code  # 0.6 %
        drawn = shapely.union_all([regional[code], part])
        assert drawn.symmetric_difference(whole).area / whole.area < 0.04, code  # 2.9 %


def test_share_inside_the_region_and_whole_zone_point():
    table = load_interregional()
    assert [(z, c) for z in ZONINGS for c in INTERREGIONAL[z]] == list(
        zip(table["zoning"], table["code"], strict=True)
    )
    assert ((table["share_in_region"] > 0) & (table["share_in_region"] < 1)).all()
    ratio = table["area_km2_region"] / (table["area_km2_region"] + table["area_km2_outside"])
    assert np.allclose(ratio, table["share_in_region"], atol=1e-3)
    for zoning in ZONINGS:
        regional = lambert(load_zones(zoning))
        outside = lambert(load_outside_zones(zoning))
        national = lambert(load_france_zones(zoning))
        rows = table[table["zoning"] == zoning]
        points = gpd.GeoSeries(gpd.points_from_xy(rows["lon"], rows["lat"]), crs=4326)
        for code, point in zip(rows["code"], points.to_crs(2154), strict=True):
            drawn = shapely.union_all([regional[code], outside[code]])
            assert drawn.contains(point) and national[code].contains(point), code
            # the share, checked against the committed (simplified) polygons
            share = regional[code].area / drawn.area
            assert abs(share - rows.set_index("code").loc[code, "share_in_region"]) < 0.02


def test_the_share_must_lie_strictly_between_0_and_1(tmp_path):
    text = (paths.DATA_DIR / "zones_interregional.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    cells = lines[1].split(",")
    cells[4] = "1.0"
    (tmp_path / "zones_interregional.csv").write_text(
        "\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="share_in_region"):
        load_interregional(tmp_path)


def test_a_france_zone_missing_is_an_error(tmp_path):
    zones = load_france_zones("ze2010")
    regions = dict(zip(zones["code"], zones["region"], strict=True))
    zones.iloc[1:].to_file(tmp_path / "zones_france_ze2010.geojson", driver="GeoJSON")
    with pytest.raises(InputError, match="0050"):
        load_france_zones("ze2010", tmp_path, regions)


def test_the_dataset_carries_the_national_geometry(data):
    for zoning in ZONINGS:
        assert len(data.france_zones[zoning]) == COUNTS[zoning]
        assert data.france_zones[zoning].crs.to_epsg() == 4326
        assert list(data.outside_zones[zoning]["code"]) == INTERREGIONAL[zoning]
    assert len(data.interregional) == 4
