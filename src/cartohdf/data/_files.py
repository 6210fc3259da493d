"""The file catalogue: every committed file of geo/ and data/, with its schema and loader.

Each loader returns a frame already validated (see ``_schema``); later stages trust it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cartohdf.core import (
    ESTEL_SECTORS,
    FRANCE,
    FRANCE_METRO,
    HDF_DEPS,
    TI_PROGRAMMES,
    ZONINGS,
    InputError,
    paths,
)
from cartohdf.data._schema import Column, Schema, check_codes, read_csv_table, read_geo

if TYPE_CHECKING:  # geopandas is imported where a GeoJSON is read, not with the tables
    import geopandas as gpd

ZONE_SCHEMA = Schema(
    (
        Column("code", "code4"),
        Column("name"),
        Column("interregional", "bool"),
        Column("n_communes_region", "int"),
        Column("n_communes_zone", "int"),
        Column("area_km2_region", "float"),
    ),
    key=("code",),
)
OUTLINE_SCHEMA = Schema((Column("code"), Column("name")), key=("code",))
TI_SCHEMA = Schema(
    (Column("id"), Column("name"), Column("programme", allowed=frozenset(TI_PROGRAMMES))),
    key=("id",),
)
ESTEL_SALARIED_SCHEMA = Schema(
    (
        Column("zone_code", "zone_or_ref"),
        Column("sector", allowed=frozenset(ESTEL_SECTORS)),
        Column("year", "int"),
        Column("jobs", "int"),
    ),
    key=("zone_code", "sector", "year"),
)
ESTEL_NONSALARIED_SCHEMA = Schema(
    (Column("zone_code", "zone_or_ref"), Column("year", "int"), Column("jobs", "int")),
    key=("zone_code", "year"),
)
URSSAF_SCHEMA = Schema(
    (
        Column("zone_code", "zone_or_ref"),
        Column("level", allowed=frozenset({"a5", "a38"})),
        Column("sector"),
        Column("year", "int"),
        Column("jobs", "int"),
    ),
    key=("zone_code", "level", "sector", "year"),
)
COMMUNE_SCHEMA = Schema(
    (
        Column("commune_code", "code5"),
        Column("commune_name"),
        Column("dep", allowed=frozenset(HDF_DEPS)),
        Column("epci"),
        Column("ze2010", "code4"),
        Column("commune_code_2019", "code5"),
        Column("ze2020", "code4"),
        Column("lon", "float"),
        Column("lat", "float"),
    ),
    key=("commune_code",),
)
ZONE_TI_SCHEMA = Schema(
    (
        Column("zoning", allowed=frozenset(ZONINGS)),
        Column("zone_code", "code4"),
        Column("programme", allowed=frozenset(TI_PROGRAMMES)),
        Column("ti_id"),
        Column("ti_name"),
        Column("share_of_zone_area", "float"),
    ),
    key=("zoning", "zone_code", "programme", "ti_id"),
)
SECTOR_SCHEMA = Schema(
    (
        Column("level", allowed=frozenset({"a5", "a38"})),
        Column("sector"),
        Column("a5"),
        Column("label_fr"),
    ),
    key=("level", "sector"),
)


@dataclass(frozen=True)
class EmploymentTable:
    """Jobs by zone x sector x year for one zoning, with the reference area's figures.

    ``jobs`` is long: zone_code, level, sector, year, jobs (the region's zones only);
    ``reference`` has the same columns for the national reference area. ``source`` names
    where the table comes from: ``estel``, ``urssaf`` or ``import`` (then ``import_file``
    is the imported file's name); front ends word it with the text catalogue.
    """

    zoning: str
    jobs: pd.DataFrame
    reference: pd.DataFrame
    source: str
    import_file: str = ""

    @property
    def reference_code(self) -> str:
        """FRM (metropolitan France) for Estel; FR (France) for URSSAF and imports."""
        return FRANCE_METRO if self.source == "estel" else FRANCE


def load_zones(zoning: str, geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The region's employment zones of one zoning (``ze2010`` or ``ze2020``), sorted by code."""
    if zoning not in ZONINGS:
        raise InputError("err.unknown_zoning", value=zoning, expected="exp.one_of", allowed=ZONINGS)
    path = (geo_dir or paths.GEO_DIR) / f"zones_{zoning}.geojson"
    return read_geo(path, ZONE_SCHEMA).sort_values("code").reset_index(drop=True)


def load_departements(geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The five départements of the region."""
    return read_geo((geo_dir or paths.GEO_DIR) / "departements.geojson", OUTLINE_SCHEMA)


def load_region(geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The région outline."""
    return read_geo((geo_dir or paths.GEO_DIR) / "region.geojson", OUTLINE_SCHEMA)


def load_territoires(programme: str, geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Territoires d'industrie of one programme (``2018`` or ``2023``)."""
    return read_geo(
        (geo_dir or paths.GEO_DIR) / f"territoires_industrie_{programme}.geojson", TI_SCHEMA
    )


def employment_table(
    df: pd.DataFrame, zoning: str, source: str, import_file: str = ""
) -> EmploymentTable:
    """Split a validated long jobs table into the region's zones and the reference area."""
    df = df.assign(jobs=df["jobs"].astype("int64"), year=df["year"].astype("int64"))
    ref = df["zone_code"] == (FRANCE_METRO if source == "estel" else FRANCE)
    return EmploymentTable(
        zoning=zoning,
        jobs=df[~ref].reset_index(drop=True),
        reference=df[ref].reset_index(drop=True),
        source=source,
        import_file=import_file,
    )


def load_estel(
    data_dir: Path | None = None, zone_codes: Sequence[str] | None = None
) -> EmploymentTable:
    """INSEE ESTEL salaried jobs by ZE2010 x A5 sector, 1998-2017."""
    path = (data_dir or paths.DATA_DIR) / "estel_salaried_ze2010.csv"
    df = read_csv_table(path, ESTEL_SALARIED_SCHEMA)
    known = set(zone_codes or load_zones("ze2010")["code"]) | {FRANCE_METRO}
    check_codes(df, "zone_code", known, path)
    df["level"] = "a5"
    return employment_table(df, "ze2010", "estel")


def load_estel_nonsalaried(
    data_dir: Path | None = None, zone_codes: Sequence[str] | None = None
) -> pd.DataFrame:
    """INSEE ESTEL non-salaried jobs by ZE2010, 1998-2017 (FRM = metropolitan France)."""
    path = (data_dir or paths.DATA_DIR) / "estel_nonsalaried_ze2010.csv"
    df = read_csv_table(path, ESTEL_NONSALARIED_SCHEMA)
    check_codes(
        df, "zone_code", set(zone_codes or load_zones("ze2010")["code"]) | {FRANCE_METRO}, path
    )
    return df


def load_urssaf(
    data_dir: Path | None = None, zone_codes: Sequence[str] | None = None
) -> EmploymentTable:
    """URSSAF private salaried jobs by ZE2020 x A5/A38 sector, 2019 and 2022-2024."""
    path = (data_dir or paths.DATA_DIR) / "urssaf_ze2020.csv"
    df = read_csv_table(path, URSSAF_SCHEMA)
    check_codes(df, "zone_code", set(zone_codes or load_zones("ze2020")["code"]) | {FRANCE}, path)
    return employment_table(df, "ze2020", "urssaf")


def load_communes(data_dir: Path | None = None) -> pd.DataFrame:
    """The 3,808 communes (COG 2018) with their zones and an inside point."""
    return read_csv_table((data_dir or paths.DATA_DIR) / "communes.csv", COMMUNE_SCHEMA)


def load_zone_territoires(data_dir: Path | None = None) -> pd.DataFrame:
    """Which Territoires d'industrie cover each zone, with the share of the zone's area."""
    return read_csv_table(
        (data_dir or paths.DATA_DIR) / "zone_territoires_industrie.csv", ZONE_TI_SCHEMA
    )


def load_sector_labels(data_dir: Path | None = None) -> pd.DataFrame:
    """A5/A38 sector codes and their French labels (as published with the URSSAF aggregation)."""
    return read_csv_table((data_dir or paths.DATA_DIR) / "urssaf_sectors.csv", SECTOR_SCHEMA)
