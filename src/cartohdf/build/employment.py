"""Employment tables: INSEE ESTEL by ZE2010 and URSSAF (third-party aggregation) by ZE2020."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cartohdf.build.raw import raw_paths, require_columns, require_file
from cartohdf.core import ESTEL_SECTORS, FRANCE, FRANCE_METRO, InputError, first_true

OVERSEAS_REGIONS = ("01", "02", "03", "04")  # Guadeloupe, Martinique, Guyane, La Réunion
URSSAF_YEARS = {"eff_19": 2019, "eff_22": 2022, "eff_23": 2023, "eff_24": 2024}


def read_estel(path: Path, id_columns: list[str]) -> pd.DataFrame:
    """Read an ESTEL export (5 title lines, years as columns, ',' thousands) into long form."""
    df = pd.read_csv(
        require_file(path), skiprows=5, thousands=",", dtype={c: str for c in id_columns}
    )
    require_columns(df, id_columns, path)
    year_cols = [c for c in df.columns if c not in id_columns]
    for col in year_cols:
        if not col.isdigit():
            raise InputError("err.year_column", file=path, column=col, expected="exp.year")
        bad = pd.to_numeric(df[col], errors="coerce").isna()
        if bad.any():
            i = first_true(bad)
            raise InputError(
                "err.not_a_number", file=path, row=i + 7, column=col, value=df[col].iloc[i]
            )
    df["zone_code"] = df["Zone_emploi"].str[:4]
    df["region"] = df["Region"].str[:2]
    long = df.melt(
        id_vars=[
            "zone_code",
            "region",
            *[c for c in id_columns if c not in ("Zone_emploi", "Region")],
        ],
        value_vars=year_cols,
        var_name="year",
        value_name="jobs",
    )
    long["year"] = long["year"].astype(int)
    long["jobs"] = long["jobs"].astype("int64")
    return long


def read_estel_salaried(path: Path) -> pd.DataFrame:
    """Estel salaried jobs, long, with their A5 sector checked (an unknown one names the file)."""
    sal = read_estel(path, ["Zone_emploi", "Region", "Activite"])
    sal["sector"] = sal["Activite"].str[:2]
    unknown = sorted(set(sal["sector"]) - set(ESTEL_SECTORS))
    if unknown:
        raise InputError("err.unknown_sector", file=path, column="Activite", value=unknown[0])
    return sal


def estel_tables(raw: Path, zone_codes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Salaried (by A5 sector) and non-salaried jobs for the region's zones + metropolitan France."""
    paths = raw_paths(raw)
    sal = read_estel_salaried(paths["estel_salaried"])
    non = read_estel(paths["estel_nonsalaried"], ["Zone_emploi", "Region"])

    out = []
    for df, keys in ((sal, ["sector", "year"]), (non, ["year"])):
        missing = sorted(set(zone_codes) - set(df["zone_code"]))
        if missing:
            raise InputError("err.zone_missing_in", value=missing, source="Estel")
        zones = df[df["zone_code"].isin(zone_codes)]
        metro = df[~df["region"].isin(OVERSEAS_REGIONS)].groupby(keys, as_index=False)["jobs"].sum()
        metro["zone_code"] = FRANCE_METRO
        table = pd.concat(
            [zones[["zone_code", *keys, "jobs"]], metro[["zone_code", *keys, "jobs"]]]
        )
        out.append(table.sort_values(["zone_code", *keys]).reset_index(drop=True))
    return out[0], out[1]


def _urssaf_long(path: Path, level: str, zone_codes: list[str]) -> pd.DataFrame:
    df = pd.read_csv(require_file(path), dtype={"code_ze": str, level: str})
    require_columns(df, ["code_ze", level, "a5", *URSSAF_YEARS], path)
    long = df.melt(
        id_vars=["code_ze", level], value_vars=list(URSSAF_YEARS), var_name="col", value_name="jobs"
    ).dropna(subset=["jobs"])
    long["year"] = long["col"].map(URSSAF_YEARS)
    long = long.rename(columns={"code_ze": "zone_code", level: "sector"})
    long["level"] = level
    france = long.groupby(["level", "sector", "year"], as_index=False)["jobs"].sum()
    france["zone_code"] = FRANCE
    missing = sorted(set(zone_codes) - set(long["zone_code"]))
    if missing:
        raise InputError("err.zone_missing_in", file=path, value=missing, source="Urssaf")
    zones = long[long["zone_code"].isin(zone_codes)]
    cols = ["zone_code", "level", "sector", "year", "jobs"]
    return pd.concat([zones[cols], france[cols]])


def urssaf_table(raw: Path, zone_codes: list[str]) -> pd.DataFrame:
    """Private salaried jobs by ZE2020 x A5 and A38, plus France (= sum of all zones).

    The France sum is checked against the publisher's own France table (A21 sections
    summed to A5), so a zone missing from the national file would be caught here.
    """
    paths = raw_paths(raw)
    table = pd.concat(
        [
            _urssaf_long(paths["urssaf_a5"], "a5", zone_codes),
            _urssaf_long(paths["urssaf_a38"], "a38", zone_codes),
        ]
    )
    fr = pd.read_csv(require_file(paths["urssaf_france"]), dtype={"code_ze": str})
    require_columns(fr, ["a21", "a5", *URSSAF_YEARS], paths["urssaf_france"])
    for col, year in URSSAF_YEARS.items():
        published = fr.groupby("a5")[col].sum()
        rows = table[
            (table["zone_code"] == FRANCE) & (table["level"] == "a5") & (table["year"] == year)
        ]
        ours = rows.set_index("sector")["jobs"]
        for sector, value in published.items():
            if abs(ours.get(sector, 0) - value) > 0.001 * value:
                raise InputError(
                    "err.france_total",
                    file=paths["urssaf_france"],
                    column=col,
                    value=f"{sector}: {ours.get(sector, 0)} vs {value}",
                )
    table["jobs"] = table["jobs"].round().astype("int64")
    return table.sort_values(["zone_code", "level", "sector", "year"]).reset_index(drop=True)


def urssaf_sector_labels(raw: Path) -> pd.DataFrame:
    """A5 and A38 sector codes with the publisher's short French labels."""
    paths = raw_paths(raw)
    rows = []
    for level in ("a5", "a38"):
        path = paths[f"urssaf_{level}"]
        df = pd.read_csv(require_file(path), dtype=str)
        require_columns(df, [level, "a5", "lib"], path)
        first = df.drop_duplicates(level).sort_values(level)
        for _, r in first.iterrows():
            rows.append({"level": level, "sector": r[level], "a5": r["a5"], "label_fr": r["lib"]})
    return pd.DataFrame(rows)
