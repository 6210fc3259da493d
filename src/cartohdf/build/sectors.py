"""Industrial A38 sectors by ZE2020: the tidy table behind the sector views.

One row per area x industrial A38 sector x year of the URSSAF aggregation
(``exdeco_pivot_urssaf_a38``): every zone of the région (0054 and 0058 whole), ``REG`` (the sum
of the zones wholly in the région, as for every regional value) and ``FR`` (the sum of all the
file's zones, overseas included: the reference of the specialisation indices, as in the
regional indicators). An empty source cell, or a sector without a row for a zone, is 0 jobs
(the project's convention, see data/README.md) and is flagged ``in_source = false``.

The build checks what it computes against what the publisher printed next to the counts
(2024 share, 2019-2024 change and specialisation index, rounded to 2 decimals), and that the
A38 sectors add up to the A5 totals used as denominators.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cartohdf.build.employment import URSSAF_YEARS
from cartohdf.build.geometry import is_interregional, regional_commune_counts, zone_labels
from cartohdf.build.raw import raw_paths, require_columns, require_file, write_csv
from cartohdf.core import FRANCE, INDUSTRIAL_A38, InputError

SECTOR_FILE = "urssaf_a38_industry_ze2020.csv"
REGION_SUM = "REG"
COLUMNS = ("zone_code", "sector", "year", "jobs", "in_source", "total_jobs", "share",
           "base_year", "change_jobs", "change", "specialisation")  # fmt: skip
DECIMALS = 10  # even one job in 400,000 (Lille) keeps 5 significant digits
# the publisher's figures are rounded to 2 decimals: ours must be within half a unit of them
PUBLISHED_TOLERANCE = 0.005 + 1e-6
PUBLISHED = {"pct_24": ("share", 100.0), "evol_1924": ("change", 100.0),
             "is_24": ("specialisation", 1.0)}  # fmt: skip


def _read(path: Path, level: str, extra: Sequence[str] = ()) -> pd.DataFrame:
    df = pd.read_csv(require_file(path), dtype={"code_ze": str, level: str})
    require_columns(df, ["code_ze", level, *URSSAF_YEARS, *extra], path)
    return df


def _long(df: pd.DataFrame, level: str) -> pd.DataFrame:
    """zone_code, sector, year, jobs (NaN where the source cell is empty)."""
    long = df.melt(id_vars=["code_ze", level], value_vars=list(URSSAF_YEARS), var_name="col",
                   value_name="jobs")  # fmt: skip
    long["year"] = long["col"].map(URSSAF_YEARS)
    return long.rename(columns={"code_ze": "zone_code", level: "sector"})[
        ["zone_code", "sector", "year", "jobs"]
    ]


def _totals(a5_path: Path, a38: pd.DataFrame, a38_path: Path) -> pd.DataFrame:
    """zone_code, year, total_jobs: every zone's private salaried jobs (the sum of its A5
    sectors, the denominator of every URSSAF share); its A38 sectors must add up to it."""
    totals = _long(_read(a5_path, "a5"), "a5").groupby(["zone_code", "year"])["jobs"].sum()
    by_a38 = _long(a38, "a38").groupby(["zone_code", "year"])["jobs"].sum()
    gap = (by_a38.reindex(totals.index.union(by_a38.index), fill_value=0)
           - totals.reindex(by_a38.index.union(totals.index), fill_value=0)).abs()  # fmt: skip
    if (gap > 0.5).any():
        zone, year = gap[gap > 0.5].index[0]
        raise InputError("err.sector_total", file=a38_path, column="a38", value=f"{zone} {year}")
    return totals.rename("total_jobs").reset_index()


def _grid(long: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Every (zone, industrial sector, year) of `codes`, 0 jobs where the source has no value."""
    index = pd.MultiIndex.from_product([sorted(codes), INDUSTRIAL_A38, sorted(URSSAF_YEARS.values())],
                                       names=["zone_code", "sector", "year"])  # fmt: skip
    jobs = long.set_index(["zone_code", "sector", "year"])["jobs"].reindex(index)
    return pd.DataFrame({"jobs": jobs.fillna(0.0), "in_source": jobs.notna()}).reset_index()


def _sum_of(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """One pseudo-zone `code`: the sum of the rows of `frame` (in the source if any of them is)."""
    keys = [k for k in ("sector", "year") if k in frame.columns]
    sums = {c: (c, "any" if c == "in_source" else "sum") for c in frame.columns
            if c not in ("zone_code", *keys)}  # fmt: skip
    return frame.groupby(keys, as_index=False).agg(**sums).assign(zone_code=code)


def sector_table(
    raw: Path, zone_codes: Sequence[str], regional_codes: Sequence[str]
) -> pd.DataFrame:
    """The tidy table (columns `COLUMNS`, floats unrounded), sorted by zone, sector and year.

    `zone_codes`: the région's ZE2020 zones; `regional_codes`: those wholly in it (``REG``).
    """
    paths = raw_paths(raw)
    a38 = _read(paths["urssaf_a38"], "a38", list(PUBLISHED))
    missing = sorted(set(zone_codes) - set(a38["code_ze"]))
    if missing:
        raise InputError(
            "err.zone_missing_in", file=paths["urssaf_a38"], value=missing, source="Urssaf"
        )
    totals = _totals(paths["urssaf_a5"], a38, paths["urssaf_a38"])
    every = _grid(_long(a38[a38["a38"].isin(INDUSTRIAL_A38)], "a38"), sorted(set(a38["code_ze"])))
    zones = every[every["zone_code"].isin(zone_codes)]
    regional = zones["zone_code"].isin(regional_codes)
    jobs = pd.concat([zones, _sum_of(zones[regional], REGION_SUM), _sum_of(every, FRANCE)])
    zone_totals = totals[totals["zone_code"].isin(zone_codes)]
    total = pd.concat([
        zone_totals,
        _sum_of(zone_totals[zone_totals["zone_code"].isin(regional_codes)], REGION_SUM),
        _sum_of(totals, FRANCE),
    ])  # fmt: skip
    table = _measures(jobs, total)
    _check_published(table, a38, paths["urssaf_a38"])
    return table


def _measures(jobs: pd.DataFrame, total: pd.DataFrame) -> pd.DataFrame:
    """Share, change since the file's first year, specialisation (share / France's share)."""
    t = jobs.merge(total, on=["zone_code", "year"], how="left", validate="many_to_one")
    t["share"] = t["jobs"] / t["total_jobs"]
    base_year = int(t["year"].min())
    first = t.merge(t.loc[t["year"] == base_year, ["zone_code", "sector", "jobs"]],
                    on=["zone_code", "sector"], how="left", validate="many_to_one")["jobs_y"]  # fmt: skip
    t["base_year"] = base_year
    t["change_jobs"] = t["jobs"] - first.to_numpy()
    t["change"] = t["jobs"] / first.replace(0, np.nan).to_numpy() - 1
    france = t.loc[t["zone_code"] == FRANCE, ["sector", "year", "share"]]
    fr_share = t.merge(france, on=["sector", "year"], how="left", validate="many_to_one")["share_y"]
    t["specialisation"] = t["share"] / fr_share.to_numpy()
    for col in ("jobs", "total_jobs", "change_jobs"):
        t[col] = t[col].round().astype("int64")
    return t.sort_values(["zone_code", "sector", "year"]).reset_index(drop=True)[list(COLUMNS)]


def _check_published(table: pd.DataFrame, a38: pd.DataFrame, path: Path) -> None:
    """Our 2024 share, 2019-2024 change and specialisation agree with the publisher's own."""
    last = table[table["year"] == max(URSSAF_YEARS.values())]
    ours = a38.merge(last, left_on=["code_ze", "a38"], right_on=["zone_code", "sector"],
                     validate="one_to_one")  # fmt: skip
    for column, (measure, scale) in PUBLISHED.items():
        given = ours[column].notna()
        gap = (ours.loc[given, measure] * scale - ours.loc[given, column]).abs()
        if (gap > PUBLISHED_TOLERANCE).any():
            row = ours.loc[gap[gap > PUBLISHED_TOLERANCE].index[0]]
            raise InputError("err.published_mismatch", file=path, column=column,
                             value=f"{row['code_ze']} {row['a38']}: {row[column]}")  # fmt: skip


def format_table(table: pd.DataFrame) -> pd.DataFrame:
    """The table as written: fractions and indices to `DECIMALS` decimals (no « -0 »), an
    undefined change (no jobs in the first year) as an empty cell, booleans as true/false."""
    out = table.copy()
    for col in ("share", "change", "specialisation"):
        out[col] = [_fixed(v) for v in table[col].tolist()]
    out["in_source"] = table["in_source"].map({True: "true", False: "false"})
    return out


def _fixed(value: float) -> str:
    if value != value:  # NaN
        return ""
    return f"{round(value, DECIMALS) + 0.0:.{DECIMALS}f}"


def write_sector_table(raw: Path, communes: pd.DataFrame, data_dir: Path) -> int:
    """Write `SECTOR_FILE` for the région's ZE2020 zones (from `communes`); return its rows."""
    labels = zone_labels(raw_paths(raw)["labels_ze2020"], "ZE2020")
    counts = regional_commune_counts(communes, "ze2020")
    codes = sorted(communes["ze2020"].unique())
    regional = [c for c in codes if not is_interregional(c, labels, counts)]
    table = sector_table(raw, codes, regional)
    write_csv(format_table(table), data_dir / SECTOR_FILE)
    return len(table)
