"""Everything the map needs, loaded once and validated: zones, indicators, outlines, seed tables."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cartohdf import paths, seed, sources
from cartohdf.indicators import (
    Indicator,
    IndicatorSet,
    build_indicator_set,
    export_frame,
    with_user_values,
)
from cartohdf.userdata import USER_ID, UserIndicator


@dataclass(frozen=True)
class Dataset:
    """All committed data, validated. Read-only; share it freely."""

    zones: dict[str, gpd.GeoDataFrame]
    indicators: dict[str, IndicatorSet]
    departements: gpd.GeoDataFrame
    region: gpd.GeoDataFrame
    territoires: dict[str, gpd.GeoDataFrame]
    zone_territoires: pd.DataFrame
    communes: pd.DataFrame
    study: seed.StudyTables

    def zone_name(self, zoning: str, code: str) -> str:
        zones = self.zones[zoning]
        match = zones.loc[zones["code"] == code, "name"]
        return str(match.iloc[0]) if len(match) else code


def load_dataset_from(root: Path) -> Dataset:
    """Load and validate every committed file under `root` (which holds geo/ and data/)."""
    geo_dir, data_dir = root / "geo", root / "data"
    zones = {z: sources.load_zones(z, geo_dir) for z in sources.ZONINGS}
    codes10 = list(zones["ze2010"]["code"])
    codes20 = list(zones["ze2020"]["code"])
    sectors = sources.load_sector_labels(data_dir)
    communes = sources.load_communes(data_dir)
    indicator_sets = {
        "ze2010": build_indicator_set(
            sources.load_estel(data_dir, codes10), _regional(zones["ze2010"])
        ),
        "ze2020": build_indicator_set(
            sources.load_urssaf(data_dir, codes20), _regional(zones["ze2020"]), sectors
        ),
    }
    return Dataset(
        zones=zones,
        indicators=indicator_sets,
        departements=sources.load_departements(geo_dir),
        region=sources.load_region(geo_dir),
        territoires={p: sources.load_territoires(p, geo_dir) for p in ("2018", "2023")},
        zone_territoires=sources.load_zone_territoires(data_dir),
        communes=communes,
        study=seed.load_study(data_dir / "seed", set(codes10), communes["commune_code"]),
    )


def _regional(zones: gpd.GeoDataFrame) -> list[str]:
    return list(zones.loc[~zones["interregional"], "code"])


@cache
def load_dataset() -> Dataset:
    """The embedded dataset (cached for the process)."""
    return load_dataset_from(paths.ROOT)


def zone_table(
    data: Dataset, zoning: str, change_years: tuple[int, int] | None = None
) -> gpd.GeoDataFrame:
    """One row per zone: code, name, inter-regional flag, every indicator and year, geometry."""
    zones = data.zones[zoning][["code", "name", "interregional", "geometry"]]
    values = export_frame(data.indicators[zoning], change_years)
    table = zones.merge(values, left_on="code", right_index=True, how="left", validate="one_to_one")
    return gpd.GeoDataFrame(table, geometry="geometry", crs=data.zones[zoning].crs)


def with_user_indicator(data: Dataset, user: UserIndicator) -> Dataset:
    """A copy of `data` whose zoning offers the user's indicator (id ``user``)."""
    indicator = Indicator(
        USER_ID, "value", user.label, user.label, user.unit, user.unit,
        f"Indicateur importé du fichier « {user.file_name} ».",
        f"Indicator imported from the file '{user.file_name}'.",
    )  # fmt: skip
    iset = with_user_values(data.indicators[user.zoning], indicator, user.values)
    return replace(data, indicators={**data.indicators, user.zoning: iset})


def user_zones(data: Dataset) -> dict[str, list[str]]:
    """Zone codes of each zoning, for checking user files."""
    return {z: list(frame["code"]) for z, frame in data.zones.items()}


def with_employment_import(data: Dataset, import_dir: Path) -> Dataset:
    """A copy of `data` whose indicators come from an URSSAF import, for both zonings."""
    sectors = sources.load_sector_labels()
    sets = {}
    for zoning, zones in data.zones.items():
        table = sources.load_import(import_dir, zoning, list(zones["code"]))
        sets[zoning] = build_indicator_set(table, _regional(zones), sectors)
    return replace(data, indicators=sets)
