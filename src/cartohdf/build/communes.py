"""The levels below the zone: communes of the current geography (COG 2024), their EPCI and
département, the Territoires d'industrie of each EPCI, and their outlines.

The raw commune polygons are of COG 2018 (3,808); the URSSAF file uses the current geography
(3,788 communes in 2024). Each 2018 commune is carried to its 2024 commune through the
`passage_cog_*` tables (a merger: the commune it joined; a 2024 split of a 2019 merger: itself
when its code still exists, else the 2024 commune it shares the longest border with), and the
2018 polygons are dissolved by 2024 commune. That coverage is simplified once, like the zones
(`shapely.coverage_simplify`, Lambert-93), and the EPCI and départements are unions of the
simplified communes, so the three levels share their borders.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from cartohdf.build.geometry import (
    LAMBERT93,
    ZONE_TOLERANCE_M,
    CommuneTable,
    boundary_error_m,
    simplify_atoms,
)
from cartohdf.build.raw import raw_paths, read_codes_csv, read_vector, require_columns, write_csv
from cartohdf.core import DEP_NAMES, TI_PROGRAMMES, CartohdfError, InputError
from cartohdf.data import feature_collection, round_geometry, write_geojson

PASSAGES = (  # (file role, old column, new column), in time order
    ("passage_2018_2019", "cod2018", "cod2019"),
    ("passage_2021_2022", "cod2021", "cod2022"),
    ("passage_2022_2023", "cod2022", "cod2023"),
    ("passage_2023_2024", "cod2023", "cod2024"),
)
LEVEL_FILES = {"commune": "communes_2024.geojson", "epci": "epci_2024.geojson",
               "departement": "departements_2024.geojson"}  # fmt: skip


def _successors(raw: Path) -> list[dict[str, set[str]]]:
    """For each passage table in time order: old code -> the new codes it went to."""
    paths = raw_paths(raw)
    steps = []
    for role, old, new in PASSAGES:
        table = read_codes_csv(paths[role], [old, new])
        step: dict[str, set[str]] = {}
        for a, b in zip(table[old], table[new], strict=True):
            step.setdefault(a, set()).add(b)
        steps.append(step)
    return steps


def codes_to_2024(communes: CommuneTable, raw: Path, current: set[str]) -> dict[str, str]:
    """Every 2018 commune code -> its 2024 commune (see the module's docstring for splits)."""
    steps = _successors(raw)
    candidates: dict[str, set[str]] = {}
    for code in communes.frame["commune_code"]:
        now = {code}
        for step in steps:
            now = set().union(*(step.get(c, {c}) for c in now))
        candidates[code] = now
    out = {c: next(iter(s)) for c, s in candidates.items() if len(s) == 1}
    polygons = communes.polygons.set_index("code").geometry
    for code, options in sorted(candidates.items()):
        if len(options) == 1:
            continue
        if code in options:
            out[code] = code
            continue
        # the 2024 commune whose own 2018 polygon shares the longest border with this one
        border = {o: polygons[code].intersection(polygons[o]).length for o in sorted(options)}
        out[code] = max(border, key=lambda o: (border[o], o))
    if set(out.values()) != current:
        raise InputError("err.communes_2024_mismatch", file=raw_paths(raw)["membership_2024"],
                         value=sorted(set(out.values()) ^ current)[:5])  # fmt: skip
    return out


def commune_tables(communes: CommuneTable, raw: Path) -> dict[str, pd.DataFrame]:
    """communes_2024.csv, commune_codes.csv, epci.csv and epci_territoires_industrie.csv."""
    paths = raw_paths(raw)
    t24 = read_codes_csv(paths["membership_2024"], ["CODGEO", "LIBGEO", "DEP", "EPCI", "ZE2020"])
    to_2024 = codes_to_2024(communes, raw, set(t24["CODGEO"]))
    frame = communes.frame.set_index("commune_code")
    units = t24.rename(columns={"CODGEO": "commune_code", "LIBGEO": "commune_name", "DEP": "dep",
                                "EPCI": "epci", "ZE2020": "ze2020"})  # fmt: skip
    # the zones of a 2024 commune are those the import gives its code (data/communes.csv), so
    # that its jobs add up to the zone tables; the ZE2020 of INSEE's 2024 table must agree
    units["ze2010"] = units["commune_code"].map(frame["ze2010"])
    if (units["ze2020"] != units["commune_code"].map(frame["ze2020"])).any():
        bad = units.loc[units["ze2020"] != units["commune_code"].map(frame["ze2020"]), "commune_code"]
        raise InputError("err.communes_2024_mismatch", file=paths["membership_2024"],
                         column="ZE2020", value=bad.iloc[0])  # fmt: skip
    units = units[["commune_code", "commune_name", "dep", "epci", "ze2010", "ze2020"]]
    units = units.sort_values("commune_code").reset_index(drop=True)
    codes = pd.DataFrame({"code": list(to_2024), "commune_code": list(to_2024.values())})
    codes = codes.sort_values("code").reset_index(drop=True)
    ti = epci_territoires(raw, communes, units)
    names = dict(zip(ti["epci"], ti["epci_name"], strict=False))
    epci = units.groupby("epci").agg(n_communes=("commune_code", "size"),
                                     deps=("dep", lambda d: " ".join(sorted(set(d))))).reset_index()  # fmt: skip
    epci.insert(1, "epci_name", epci["epci"].map(names).fillna(""))
    return {"communes_2024.csv": units, "commune_codes.csv": codes, "epci.csv": epci,
            "epci_territoires_industrie.csv": ti.drop(columns="epci_name")}  # fmt: skip


def _ti_members(raw: Path) -> list[tuple[str, str, str, str, str]]:
    """(programme, TI id, TI name, EPCI siren, EPCI name) as ANCT lists them, région only."""
    paths = raw_paths(raw)
    rows = []
    ti18 = read_vector(paths["ti_2018"])
    require_columns(ti18, ["id_ti", "lib_ti", "lib_groupement", "siren_groupement"], paths["ti_2018"])
    for _, r in ti18[ti18["id_ti"].str.startswith("ti-32")].iterrows():
        sirens = [s.strip() for s in r["siren_groupement"].split(",")]
        names = [n.strip() for n in r["lib_groupement"].split(",")]
        if len(names) != len(sirens):  # a name holding a comma: the names cannot be paired
            names = [""] * len(sirens)
        rows += [("2018", r["id_ti"], r["lib_ti"], s, n) for n, s in zip(names, sirens, strict=True)]
    ti23 = read_vector(paths["ti_2023"])
    require_columns(ti23, ["id_territoire", "lib_territoire", "liste_geo"], paths["ti_2023"])
    for _, r in ti23[ti23["id_territoire"].str.startswith("ti-32")].iterrows():
        for part in (p.strip() for p in r["liste_geo"].split(";") if p.strip()):
            if part.endswith(")") and "(" in part:
                name, siren = part[:-1].rsplit("(", 1)
                rows.append(("2023", r["id_territoire"], r["lib_territoire"], siren.strip(), name.strip()))
    return rows


def epci_territoires(raw: Path, communes: CommuneTable, units: pd.DataFrame) -> pd.DataFrame:
    """Which Territoire d'industrie each 2024 EPCI belongs to, by share of its communes.

    ANCT lists each territory's EPCI by SIREN, in the EPCI of its programme (2018 or 2023);
    a 2024 EPCI is in a territory for the share of its 2024 communes whose EPCI of the
    programme's vintage is listed (COG 2018 EPCI for 2018, COG 2024 EPCI for 2023)."""
    members = pd.DataFrame(_ti_members(raw), columns=["programme", "ti_id", "ti_name", "member", "epci_name"])
    epci_2018 = dict(zip(communes.frame["commune_code"], communes.frame["epci"], strict=True))
    rows = []
    for programme in TI_PROGRAMMES:
        listed = members[members["programme"] == programme]
        of_commune = (units["commune_code"].map(epci_2018) if programme == "2018" else units["epci"])
        for (ti_id, ti_name), group in listed.groupby(["ti_id", "ti_name"], sort=True):
            inside = of_commune.isin(set(group["member"]))
            share = inside.groupby(units["epci"]).mean()
            for epci, value in share[share > 0].items():
                rows.append({"programme": programme, "ti_id": ti_id, "ti_name": ti_name,
                             "epci": epci, "share_of_communes": round(float(value), 3)})  # fmt: skip
    out = pd.DataFrame(rows).sort_values(["programme", "ti_id", "epci"]).reset_index(drop=True)
    named = members[members["programme"] == "2023"].drop_duplicates("member")
    names = dict(zip(named["member"], named["epci_name"], strict=True))
    older = members[members["programme"] == "2018"].drop_duplicates("member")
    for siren, name in zip(older["member"], older["epci_name"], strict=True):
        if name:
            names.setdefault(siren, name)  # the 2023 list's name first (the current one)
    out["epci_name"] = out["epci"].map(names)
    return out


def level_outlines(communes: CommuneTable, to_2024: dict[str, str], units: pd.DataFrame,
                   tolerance: float = ZONE_TOLERANCE_M) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, Any]]:  # fmt: skip
    """Simplified outlines of the 2024 communes, EPCI and départements (EPSG:4326)."""
    polys = communes.polygons[["code", "geometry"]].copy()
    polys["commune_code"] = polys["code"].map(to_2024)
    exact = polys.dissolve("commune_code", sort=True).reset_index()[["commune_code", "geometry"]]
    if not shapely.coverage_is_valid(exact.geometry.values):
        raise CartohdfError("err.coverage_invalid")
    simple = simplify_atoms(exact, tolerance)
    info = units.set_index("commune_code")
    simple["epci"] = simple["commune_code"].map(info["epci"])
    simple["dep"] = simple["commune_code"].map(info["dep"])
    out: dict[str, gpd.GeoDataFrame] = {}
    for level, key in (("commune", "commune_code"), ("epci", "epci"), ("departement", "dep")):
        geoms = {str(c): shapely.coverage_union_all(g.geometry.values)
                 for c, g in simple.groupby(key, sort=True)}  # fmt: skip
        series = gpd.GeoSeries(list(geoms.values()), index=list(geoms), crs=LAMBERT93).to_crs(4326)
        rounded = [round_geometry(g) for g in series.values]
        if not shapely.is_valid(rounded).all() or not shapely.coverage_is_valid(rounded):
            raise CartohdfError("err.rounding_invalid", what=level)
        out[level] = gpd.GeoDataFrame({"code": list(geoms)}, geometry=rounded, crs=4326)
    measures = {"tolerance_m": tolerance, "boundary_error_m": boundary_error_m(exact.geometry, simple.geometry),
                "communes": len(out["commune"]), "epci": len(out["epci"]),
                "vertices_before": int(shapely.get_num_coordinates(exact.geometry.values).sum()),
                "vertices_after": int(shapely.get_num_coordinates(simple.geometry.values).sum())}  # fmt: skip
    return out, measures


def build_levels(raw: Path, communes: CommuneTable, geo_dir: Path, data_dir: Path,
                 log: Callable[[str], None]) -> dict[str, Any]:  # fmt: skip
    """Write the tables and outlines of the commune, EPCI and département levels."""
    log("communes 2024, EPCI et Territoires d'industrie par EPCI")
    tables = commune_tables(communes, raw)
    for name, table in tables.items():
        write_csv(table, data_dir / name)
    units = tables["communes_2024.csv"]
    to_2024 = dict(zip(tables["commune_codes.csv"]["code"], tables["commune_codes.csv"]["commune_code"], strict=True))
    log(f"contours des communes 2024, EPCI, départements (couverture, {ZONE_TOLERANCE_M:.0f} m)")
    outlines, measures = level_outlines(communes, to_2024, units)
    names = {"commune": dict(zip(units["commune_code"], units["commune_name"], strict=True)),
             "epci": dict(zip(tables["epci.csv"]["epci"], tables["epci.csv"]["epci_name"], strict=True)),
             "departement": DEP_NAMES}  # fmt: skip
    for level, gdf in outlines.items():
        feats = ((({"code": c, "name": names[level].get(c, "")}), g)
                 for c, g in zip(gdf["code"], gdf.geometry, strict=True))  # fmt: skip
        write_geojson(geo_dir / LEVEL_FILES[level], feature_collection(feats))
    return measures
