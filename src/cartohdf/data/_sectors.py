"""The industrial A38 sectors of the ZE2020 zones (``urssaf_a38_industry_ze2020.csv``), checked.

One row per area x industrial A38 sector x year: the région's zones, ``REG`` (the zones wholly
in the région) and ``FR`` (France including overseas, the reference of the specialisation
indices). Besides the schema, the loader checks what a hand edit would break: every
(area, sector, year) present, one base year (the first), shares equal to jobs / total jobs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cartohdf.core import FRANCE, INDUSTRIAL_A38, InputError, first_true, paths
from cartohdf.data._schema import Column, Schema, check_codes, read_csv_table

SECTOR_TABLE_FILE = "urssaf_a38_industry_ze2020.csv"
REGION_SUM = "REG"  # the sum of the zones wholly in the région
SECTOR_TABLE_SCHEMA = Schema(
    (
        Column("zone_code"),
        Column("sector", allowed=frozenset(INDUSTRIAL_A38)),
        Column("year", "int"),
        Column("jobs", "int"),
        Column("in_source", "bool"),
        Column("total_jobs", "int"),
        Column("share", "float"),
        Column("base_year", "int"),
        Column("change_jobs", "int"),
        Column("change", "float", required=False),  # empty: no jobs in the base year
        Column("specialisation", "float"),
    ),
    key=("zone_code", "sector", "year"),
)
SHARE_TOLERANCE = 1e-9  # shares are written with 10 decimals


def _line(i: int) -> int:
    return i + 2  # the header is line 1


def _refuse(df: pd.DataFrame, bad: pd.Series, path: Path, column: str, expected: str,
            **params: object) -> None:  # fmt: skip
    if bad.any():
        i = first_true(bad)
        raise InputError("err.invalid_value", file=path, row=_line(i), column=column,
                         value=df[column].iloc[i], expected=expected, **params)  # fmt: skip


def _check_complete(df: pd.DataFrame, path: Path) -> None:
    """Every area has every industrial sector for every year of the table."""
    areas, years = sorted(set(df["zone_code"])), sorted(set(df["year"]))
    expected = pd.MultiIndex.from_product([areas, INDUSTRIAL_A38, years])
    present = pd.MultiIndex.from_frame(df[["zone_code", "sector", "year"]])
    absent = expected.difference(present)
    if len(absent):
        zone, sector, year = absent[0]
        raise InputError("err.sector_row_missing", file=path, column="zone_code+sector+year",
                         value=f"{zone} / {sector} / {year}", expected="exp.every_sector_year")  # fmt: skip


def load_sector_table(
    data_dir: Path | None = None, zone_codes: Sequence[str] | None = None
) -> pd.DataFrame:
    """The industrial A38 sector table, validated, sorted by area, sector and year.

    `zone_codes`: the région's ZE2020 zones; each must be in the table, and no other zone.
    Integer columns come back as int64, shares, changes and indices as float64 (a change is
    NaN when the sector had no jobs in the base year).

    Raises
    ------
    InputError
        Naming the file, line, column and value of the first problem.
    """
    path = (data_dir or paths.DATA_DIR) / SECTOR_TABLE_FILE
    df = read_csv_table(path, SECTOR_TABLE_SCHEMA)
    areas = {REGION_SUM, FRANCE}
    if zone_codes is not None:
        check_codes(df, "zone_code", set(zone_codes) | areas, path)
        missing = sorted(set(zone_codes) - set(df["zone_code"]))
        if missing:
            raise InputError("err.zone_missing_in", file=path, value=missing, source="A38")
    absent = sorted(areas - set(df["zone_code"]))
    if absent:
        raise InputError("err.zone_missing_in", file=path, value=absent, source="A38")
    _refuse(df, df["base_year"] != df["year"].min(), path, "base_year", "exp.first_year",
            year=int(df["year"].min()))  # fmt: skip
    _refuse(
        df,
        (df["jobs"] < 0) | (df["jobs"] > df["total_jobs"]),
        path,
        "jobs",
        "exp.jobs_within_total",
    )
    _refuse(df, df["total_jobs"] <= 0, path, "total_jobs", "exp.positive_count")
    recomputed = df["jobs"].astype("float64") / df["total_jobs"].astype("float64")
    _refuse(
        df, (df["share"] - recomputed).abs() > SHARE_TOLERANCE, path, "share", "exp.share_of_total"
    )
    _refuse(df, ~np.isfinite(df["specialisation"]) | (df["specialisation"] < 0), path,
            "specialisation", "exp.non_negative")  # fmt: skip
    _check_complete(df, path)
    ints = {c: "int64" for c in ("year", "jobs", "total_jobs", "base_year", "change_jobs")}
    return df.astype(ints).sort_values(["zone_code", "sector", "year"]).reset_index(drop=True)
