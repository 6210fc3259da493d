"""National geometry: every metropolitan zone of a zoning, the part outside the région of each
inter-regional zone, and the whole-zone figures of those zones (share inside the région, a point
inside the whole zone). Validated like the regional files, and against them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cartohdf.core import ZONINGS, InputError, first_true, paths
from cartohdf.data._schema import Column, Schema, read_csv_table, read_geo

FRANCE_ZONE_SCHEMA = Schema(
    (Column("code", "code4"), Column("name"), Column("region", "region")), key=("code",)
)
OUTSIDE_ZONE_SCHEMA = Schema((Column("code", "code4"), Column("name")), key=("code",))
INTERREGIONAL_SCHEMA = Schema(
    (
        Column("zoning", allowed=frozenset(ZONINGS)),
        Column("code", "code4"),
        Column("area_km2_region", "float"),
        Column("area_km2_outside", "float"),
        Column("share_in_region", "float"),
        Column("lon", "float"),
        Column("lat", "float"),
    ),
    key=("zoning", "code"),
)


def _same_codes(found: Sequence[str], expected: Sequence[str], file: Path, source: str) -> None:
    odd = sorted(set(found) ^ set(expected))
    if odd:
        raise InputError("err.zone_missing_in", file=file, value=odd[:10], source=source)


def load_france_zones(
    zoning: str, geo_dir: Path | None = None, regions: Mapping[str, str] | None = None
) -> gpd.GeoDataFrame:
    """Every metropolitan zone of `zoning` (code, name, region), EPSG:4326, sorted by code.

    `regions` (code -> region, as in ``zones_france.csv``), when given, must match the file
    zone for zone.
    """
    path = (geo_dir or paths.GEO_DIR) / f"zones_france_{zoning}.geojson"
    gdf = read_geo(path, FRANCE_ZONE_SCHEMA).sort_values("code").reset_index(drop=True)
    if regions is not None:
        _same_codes(list(gdf["code"]), list(regions), path, "zones_france.csv")
        bad = gdf["region"] != gdf["code"].map(regions)
        if bad.any():
            i = first_true(bad)
            raise InputError("err.invalid_value", file=path, row=i + 1, column="region",
                             value=gdf["region"].iloc[i], expected="exp.region_as_listed")  # fmt: skip
    return gdf


def load_outside_zones(
    zoning: str, geo_dir: Path | None = None, codes: Sequence[str] | None = None
) -> gpd.GeoDataFrame:
    """The part outside the région of each inter-regional zone (`codes`, when given: exactly
    those), EPSG:4326, sorted by code."""
    path = (geo_dir or paths.GEO_DIR) / f"zones_outside_{zoning}.geojson"
    gdf = read_geo(path, OUTSIDE_ZONE_SCHEMA).sort_values("code").reset_index(drop=True)
    if codes is not None:
        _same_codes(list(gdf["code"]), codes, path, zoning)
    return gdf


def load_interregional(
    data_dir: Path | None = None, codes: Mapping[str, Sequence[str]] | None = None
) -> pd.DataFrame:
    """Whole-zone figures of the inter-regional zones: areas (km², Lambert-93) inside and
    outside the région, ``share_in_region`` (strictly between 0 and 1) and ``lon``/``lat``, a
    point inside the whole zone. `codes` maps each zoning to its inter-regional zones."""
    path = (data_dir or paths.DATA_DIR) / "zones_interregional.csv"
    df = read_csv_table(path, INTERREGIONAL_SCHEMA)
    share = df["share_in_region"]
    bad = (share <= 0) | (share >= 1)
    if bad.any():
        i = first_true(bad)
        raise InputError("err.invalid_value", file=path, row=i + 2, column="share_in_region",
                         value=share.iloc[i], expected="exp.fraction_open")  # fmt: skip
    for zoning, expected in (codes or {}).items():
        _same_codes(list(df.loc[df["zoning"] == zoning, "code"]), expected, path, zoning)
    return df.sort_values(["zoning", "code"]).reset_index(drop=True)
