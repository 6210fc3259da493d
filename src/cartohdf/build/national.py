"""National tables: every metropolitan zone of both zonings, for ranking the region's zones
among France's (ZE2010 from INSEE Estel, ZE2020 from the URSSAF aggregation).

Written wide (one column per year) to stay small: a long table of the 304 ZE2010 zones would
be three times the size. Overseas zones are recognised by their region: Estel's ``Region``
column (01-04) for ZE2010; for ZE2020 the code's first two digits, which are the region's
code for every zone lying in one region (01-04 and 06 overseas; 00 for inter-regional zones),
and the metropolitan codes found must be exactly those of the mainland ZE2020 geometry.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cartohdf.build.employment import OVERSEAS_REGIONS, URSSAF_YEARS, read_estel_salaried
from cartohdf.build.geometry import zone_labels
from cartohdf.build.raw import raw_paths, read_vector, require_columns, require_file
from cartohdf.core import (
    FRANCE,
    FRANCE_METRO,
    INDUSTRIAL_A38,
    INTERREGIONAL,
    InputError,
)

OVERSEAS_ZE2020 = (*OVERSEAS_REGIONS, "06")  # ZE2020 codes 01xx-04xx and 06xx (Mayotte)
ZE2020_GEOMETRY = Path("zones_emploi") / "ze2020_bdd_polygon_ze2020.shp"


def _wide(long: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per key, one column per year (ascending); a missing cell stays empty."""
    wide = long.pivot_table(index=keys, columns="year", values="jobs", aggfunc="sum")
    wide = wide.sort_index(axis=1).astype("Int64")
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index().sort_values(keys).reset_index(drop=True)


def estel_france(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(zones, salaried jobs) of the 304 metropolitan ZE2010, plus FRM (their sum)."""
    paths = raw_paths(raw)
    sal = read_estel_salaried(paths["estel_salaried"])
    metro = sal[~sal["region"].isin(OVERSEAS_REGIONS)]
    ref = (
        metro.groupby(["sector", "year"], as_index=False)["jobs"]
        .sum()
        .assign(zone_code=FRANCE_METRO)
    )
    jobs = _wide(pd.concat([metro, ref]), ["zone_code", "sector"])
    regions = metro.drop_duplicates("zone_code").set_index("zone_code")["region"]
    regions = regions.where(regions != "IN", INTERREGIONAL)
    return _zone_rows("ze2010", regions, zone_labels(paths["labels_ze2010"], "ZE2010")), jobs


def _urssaf_long(path: Path, level: str) -> pd.DataFrame:
    df = pd.read_csv(require_file(path), dtype={"code_ze": str, level: str})
    require_columns(df, ["code_ze", level, *URSSAF_YEARS], path)
    if level == "a38":
        df = df[df[level].isin(INDUSTRIAL_A38)]
    long = df.melt(
        id_vars=["code_ze", level], value_vars=list(URSSAF_YEARS), var_name="col", value_name="jobs"
    ).dropna(subset=["jobs"])
    long["year"] = long["col"].map(URSSAF_YEARS)
    long["jobs"] = long["jobs"].round().astype("int64")
    return long.rename(columns={"code_ze": "zone_code", level: "sector"}).assign(level=level)


def urssaf_france(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(zones, private salaried jobs) of the 287 metropolitan ZE2020, plus FRM (their sum) and
    FR (all 305 zones, overseas included: the reference of the regional URSSAF table).

    A5 sectors and the 16 industrial A38 sectors (what the indicators use).
    """
    paths = raw_paths(raw)
    long = pd.concat(
        [_urssaf_long(paths["urssaf_a5"], "a5"), _urssaf_long(paths["urssaf_a38"], "a38")]
    )
    keys = ["level", "sector", "year"]
    overseas = long["zone_code"].str[:2].isin(OVERSEAS_ZE2020)
    metro = long[~overseas]
    refs = [
        long.groupby(keys, as_index=False)["jobs"].sum().assign(zone_code=FRANCE),
        metro.groupby(keys, as_index=False)["jobs"].sum().assign(zone_code=FRANCE_METRO),
    ]
    jobs = _wide(pd.concat([metro, *refs]), ["zone_code", "level", "sector"])
    codes = sorted(metro["zone_code"].unique())
    shp = raw / ZE2020_GEOMETRY
    mainland = set(read_vector(shp).iloc[:, 0].astype(str))
    if set(codes) != mainland:
        odd = sorted(set(codes) ^ mainland)
        raise InputError("err.zone_missing_in", file=shp, value=odd, source="Urssaf")
    prefix = pd.Series([c[:2] for c in codes], index=codes)
    regions = prefix.where(prefix != "00", INTERREGIONAL)
    return _zone_rows("ze2020", regions, zone_labels(paths["labels_ze2020"], "ZE2020")), jobs


def _zone_rows(zoning: str, regions: pd.Series, labels: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for code, region in sorted((str(c), str(r)) for c, r in regions.items()):
        if code not in labels.index:
            raise InputError("err.zone_without_label", column="CODGEO", value=code)
        rows.append({"zoning": zoning, "code": code, "name": str(labels.loc[code, "LIBGEO"]),
                     "region": region})  # fmt: skip
    return pd.DataFrame(rows)


def national_tables(raw: Path) -> dict[str, pd.DataFrame]:
    """The national files, by name."""
    zones10, estel = estel_france(raw)
    zones20, urssaf = urssaf_france(raw)
    return {
        "zones_france.csv": pd.concat([zones10, zones20], ignore_index=True),
        "estel_salaried_france_ze2010.csv": estel,
        "urssaf_france_ze2020.csv": urssaf,
    }
