"""The national tables: every metropolitan zone of both zonings, validated like the regional ones.

``zones_france.csv`` lists the zones (code, name, region); the jobs tables have one column per
year. They are checked with the same schema checker (the schema takes its year columns from
the file's header, each of which must be a year), then put in the long layout of the regional
tables, so that the same maths give every zone's indicators.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cartohdf.core import ESTEL_SECTORS, FRANCE, FRANCE_METRO, ZONINGS, InputError, paths
from cartohdf.data._files import EmploymentTable
from cartohdf.data._schema import Column, Schema, check_codes, read_csv_table, validate_frame

NATIONAL_ZONE_SCHEMA = Schema(
    (
        Column("zoning", allowed=frozenset(ZONINGS)),
        Column("code", "code4"),
        Column("name"),
        Column("region", "region"),
    ),
    key=("zoning", "code"),
)
# zoning -> (file, source, identifying columns, reference codes present)
NATIONAL_FILES: dict[str, tuple[str, str, tuple[Column, ...], tuple[str, ...]]] = {
    "ze2010": (
        "estel_salaried_france_ze2010.csv",
        "estel",
        (Column("zone_code", "zone_or_ref"), Column("sector", allowed=frozenset(ESTEL_SECTORS))),
        (FRANCE_METRO,),
    ),
    "ze2020": (
        "urssaf_france_ze2020.csv",
        "urssaf",
        (
            Column("zone_code", "zone_or_ref"),
            Column("level", allowed=frozenset({"a5", "a38"})),
            Column("sector"),
        ),
        (FRANCE_METRO, FRANCE),
    ),
}


@dataclass(frozen=True)
class NationalTables:
    """The metropolitan zones of both zonings and their jobs.

    ``zones``: zoning, code, name, region (two-digit INSEE region code, ``INT`` for a zone
    spanning several regions). ``employment[zoning]`` holds the metropolitan zones' jobs, with
    the reference of the regional table of the same source (FRM for Estel, FR = France
    including overseas for URSSAF), so that indicator values are the regional ones;
    ``metro_reference[zoning]`` holds the FRM rows (metropolitan France, the sum of the zones).
    """

    zones: pd.DataFrame
    employment: dict[str, EmploymentTable]
    metro_reference: dict[str, pd.DataFrame]

    def codes(self, zoning: str) -> list[str]:
        """The metropolitan zone codes of a zoning, sorted."""
        return sorted(self.zones.loc[self.zones["zoning"] == zoning, "code"])

    def names(self, zoning: str) -> dict[str, str]:
        z = self.zones[self.zones["zoning"] == zoning]
        return dict(zip(z["code"], z["name"], strict=True))

    def regions(self, zoning: str) -> dict[str, str]:
        z = self.zones[self.zones["zoning"] == zoning]
        return dict(zip(z["code"], z["region"], strict=True))


def read_wide_jobs(path: Path, ids: Sequence[Column], known: set[str]) -> pd.DataFrame:
    """A jobs table with one column per year, validated (zone codes among `known`), in long
    form (empty cells left out)."""
    if not path.is_file():
        raise InputError("err.file_not_found", file=path, expected="exp.run_build_data")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    names = [c.name for c in ids]
    years = [c for c in df.columns if c not in names]
    for col in years:
        if not (len(col) == 4 and col.isdigit()):
            raise InputError("err.year_column", file=path, column=col, expected="exp.year")
    schema = Schema((*ids, *(Column(y, "int", required=False) for y in years)), key=tuple(names))
    checked = validate_frame(df, schema, path)
    check_codes(checked, "zone_code", known, path)
    long = checked.melt(id_vars=names, value_vars=years, var_name="year", value_name="jobs")
    long = long.dropna(subset=["jobs"])
    return long.assign(year=long["year"].astype("int64"), jobs=long["jobs"].astype("int64"))


def load_national(
    data_dir: Path | None = None, regional: Mapping[str, Sequence[str]] | None = None
) -> NationalTables:
    """Read and check the national tables; every zone of the region must be in them.

    `regional` maps each zoning to the region's zone codes (all metropolitan).
    """
    folder = data_dir or paths.DATA_DIR
    zones_path = folder / "zones_france.csv"
    zones = read_csv_table(zones_path, NATIONAL_ZONE_SCHEMA)
    employment, metro = {}, {}
    for zoning, (name, source, ids, refs) in NATIONAL_FILES.items():
        path = folder / name
        codes = set(zones.loc[zones["zoning"] == zoning, "code"])
        missing = sorted(set((regional or {}).get(zoning, ())) - codes)
        if missing:
            raise InputError("err.zone_missing_in", file=zones_path, value=missing, source=zoning)
        long = read_wide_jobs(path, ids, codes | set(refs))
        if "level" not in long:
            long["level"] = "a5"
        absent = sorted(codes - set(long["zone_code"]))
        if absent:
            raise InputError("err.zone_missing_in", file=path, value=absent, source=source)
        long = long[["zone_code", "level", "sector", "year", "jobs"]]
        is_ref = long["zone_code"].isin(refs)
        reference = FRANCE_METRO if source == "estel" else FRANCE
        employment[zoning] = EmploymentTable(
            zoning=zoning,
            jobs=long[~is_ref].reset_index(drop=True),
            reference=long[long["zone_code"] == reference].reset_index(drop=True),
            source=source,
        )
        metro[zoning] = long[long["zone_code"] == FRANCE_METRO].reset_index(drop=True)
    return NationalTables(zones=zones, employment=employment, metro_reference=metro)
