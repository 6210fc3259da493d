"""The committed geometry: zone lists, coverage validity, commune membership."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from cartohdf import data as sources

ZE2010 = ["0055", "0056", *[f"22{i:02d}" for i in range(1, 12)],
          *[f"31{i}" for i in range(10, 18)], *[f"31{i}" for i in range(21, 28)]]  # fmt: skip
ZE2020 = ["0054", "0058", *[f"32{i:02d}" for i in range(1, 23)]]


def test_ze2010_has_the_28_zones_of_the_study():
    zones = sources.load_zones("ze2010")
    assert list(zones["code"]) == sorted(ZE2010)
    assert len(zones) == 28
    assert set(zones.loc[zones["interregional"], "code"]) == {"0055", "0056"}
    assert zones.set_index("code").loc["2203", "name"] == "La Thiérache"


def test_ze2020_has_24_zones():
    zones = sources.load_zones("ze2020")
    assert list(zones["code"]) == sorted(ZE2020)
    assert set(zones.loc[zones["interregional"], "code"]) == {"0054", "0058"}


def test_zones_and_departements_are_valid_coverages():
    for layer in (
        sources.load_zones("ze2010"),
        sources.load_zones("ze2020"),
        sources.load_departements(),
    ):
        geoms = layer.geometry.values
        assert shapely.is_valid(geoms).all()
        assert shapely.coverage_is_valid(geoms)


def test_both_zonings_and_departements_cover_the_same_region():
    region = sources.load_region().geometry.iloc[0]
    for layer in (
        sources.load_zones("ze2010"),
        sources.load_zones("ze2020"),
        sources.load_departements(),
    ):
        union = shapely.coverage_union_all(layer.geometry.values)
        assert union.symmetric_difference(region).area / region.area < 1e-9


def test_every_commune_lies_in_exactly_one_zone_its_own():
    communes = sources.load_communes()
    assert len(communes) == 3808
    points = gpd.GeoDataFrame(
        communes, geometry=gpd.points_from_xy(communes["lon"], communes["lat"]), crs=4326
    )
    for zoning in ("ze2010", "ze2020"):
        zones = sources.load_zones(zoning)[["code", "geometry"]]
        joined = gpd.sjoin(points, zones, how="left", predicate="within")
        per_commune = joined.groupby("commune_code").size()
        assert (per_commune == 1).all()
        assert (joined["code"] == joined[zoning]).all()


def test_coordinates_are_rounded_to_five_decimals():
    zones = sources.load_zones("ze2010")
    coords = shapely.get_coordinates(zones.geometry.values)
    assert np.allclose(coords, np.round(coords, 5), atol=0, rtol=0)


def test_territoires_industrie_of_both_programmes():
    ti18 = sources.load_territoires("2018")
    ti23 = sources.load_territoires("2023")
    assert len(ti18) == 14 and len(ti23) == 17
    assert ti18["id"].str.startswith("ti-32").all()
    assert "Thiérache" in set(ti18["name"])
    assert all(len(m) >= 1 for m in ti18["epci_names"])
