"""Readers for the raw files, each checked on load (build side only)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cartohdf.core import InputError, write_atomic


def require_file(path: Path) -> Path:
    if not path.is_file():
        raise InputError("err.raw_missing", file=path, expected="exp.raw_folder")
    return path


def require_columns(df: pd.DataFrame, columns: Iterable[str], file: Path) -> None:
    """Raise naming the first missing column."""
    for col in columns:
        if col not in df.columns:
            raise InputError(
                "err.missing_column",
                file=file,
                column=col,
                expected="exp.columns",
                columns=list(columns),
            )


def read_codes_csv(path: Path, columns: Iterable[str]) -> pd.DataFrame:
    """Read a CSV keeping every column as text (codes keep their leading zeros)."""
    cols = list(columns)
    df = pd.read_csv(require_file(path), dtype=str, keep_default_na=False)
    require_columns(df, cols, path)
    return df


def read_vector(path: Path) -> gpd.GeoDataFrame:
    """Read a vector file; a missing CRS is an error."""
    gdf = gpd.read_file(require_file(path))
    if gdf.crs is None:
        raise InputError("err.no_crs", file=path, expected="exp.a_crs")
    return gdf


def raw_paths(raw: Path) -> dict[str, Path]:
    """Every raw file the build reads, by role."""
    c = raw / "correspondances"
    return {
        "communes": raw / "communes" / "communes-hauts-de-france.geojson",
        "membership_2018": c / "table_appartenance_communes_2018_hdf.csv",
        "membership_2020": c / "table_appartenance_communes_2020_hdf.csv",
        "membership_2024": c / "table_appartenance_communes_2024_hdf.csv",
        "labels_ze2010": c / "libelles_ze2010_2018.csv",
        "labels_ze2020": c / "libelles_ze2020_2020.csv",
        "passage_2018_2019": c / "passage_cog_2018_2019_hdf.csv",
        "passage_2021_2022": c / "passage_cog_2021_2022_hdf.csv",
        "passage_2022_2023": c / "passage_cog_2022_2023_hdf.csv",
        "passage_2023_2024": c / "passage_cog_2023_2024_hdf.csv",
        "ti_2018": raw / "territoires_industrie" / "ti_2018-2022_polygone-4326_ti.geojson",
        "ti_2023": raw / "territoires_industrie" / "ti_2023-2027_ti_geom.geojson",
        "estel_salaried": raw / "emploi" / "estel" / "estel_ze2010_emploi_salarie_a5_1998_2017.csv",
        "estel_nonsalaried": raw
        / "emploi"
        / "estel"
        / "estel_ze2010_emploi_non_salarie_1998_2017.csv",
        "urssaf_a5": raw / "emploi" / "urssaf_ze2020" / "exdeco_pivot_urssaf_a5.csv",
        "urssaf_a38": raw / "emploi" / "urssaf_ze2020" / "exdeco_pivot_urssaf_a38.csv",
        "urssaf_france": raw / "emploi" / "urssaf_ze2020" / "exdeco_pivot_urssaf_france.csv",
    }


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a derived table whole or not at all (a failed build leaves the previous file)."""
    write_atomic(path, frame.to_csv(index=False, lineterminator="\n"))
