"""Zones, outlines and Territoires d'industrie, built from the commune polygons.

The communes are first dissolved into *atoms* (one per ZE2010 x ZE2020 x département
combination). The atoms form a coverage that is simplified once, in Lambert-93; every
published layer (both zonings, départements, région) is then a union of simplified atoms,
so all layers share exactly the same borders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from cartohdf.build.raw import raw_paths, read_codes_csv, read_vector, require_columns, write_csv
from cartohdf.core import DEP_NAMES, HDF_DEPS, CartohdfError, InputError
from cartohdf.data import feature_collection, round_geometry, write_geojson

LAMBERT93 = 2154
WGS84 = 4326
# Visvalingam-based coverage simplification; the measured boundary error is recorded in
# geo/README.md (at ~300 m per screen pixel, errors below half a pixel are invisible).
ZONE_TOLERANCE_M = 150.0
TI_TOLERANCE_M = 150.0

Log = Callable[[str], None]


@dataclass(frozen=True)
class CommuneTable:
    """Every HdF commune (COG 2018) with its zones and anchor point."""

    frame: pd.DataFrame  # commune_code, commune_name, dep, epci, ze2010, commune_code_2019, ze2020
    polygons: gpd.GeoDataFrame  # Lambert-93, index aligned with frame


def load_communes(raw: Path) -> CommuneTable:
    """Join the 3,808 commune polygons to their ZE2010 (COG 2018) and ZE2020 (COG 2020)."""
    paths = raw_paths(raw)
    polys = read_vector(paths["communes"])
    require_columns(polys, ["code", "nom"], paths["communes"])
    t18 = read_codes_csv(paths["membership_2018"], ["CODGEO", "DEP", "EPCI", "ZE2010"])
    t20 = read_codes_csv(paths["membership_2020"], ["CODGEO", "ZE2020"])
    passage = read_codes_csv(paths["passage_2018_2019"], ["cod2018", "cod2019"])
    to_2019 = dict(zip(passage["cod2018"], passage["cod2019"], strict=True))

    polys = polys.to_crs(LAMBERT93).sort_values("code").reset_index(drop=True)
    if polys["code"].duplicated().any():
        dup = polys.loc[polys["code"].duplicated(), "code"].iloc[0]
        raise InputError("err.duplicate_commune", file=paths["communes"], column="code", value=dup)
    frame = polys[["code", "nom"]].rename(columns={"code": "commune_code", "nom": "commune_name"})
    frame = frame.merge(
        t18[["CODGEO", "DEP", "EPCI", "ZE2010"]].rename(
            columns={"CODGEO": "commune_code", "DEP": "dep", "EPCI": "epci", "ZE2010": "ze2010"}
        ),
        on="commune_code",
        how="left",
        validate="one_to_one",
    )
    frame["commune_code_2019"] = frame["commune_code"].map(lambda c: to_2019.get(c, c))
    frame = frame.merge(
        t20[["CODGEO", "ZE2020"]].rename(
            columns={"CODGEO": "commune_code_2019", "ZE2020": "ze2020"}
        ),
        on="commune_code_2019",
        how="left",
        validate="many_to_one",
    )
    for col, file in (("ze2010", paths["membership_2018"]), ("ze2020", paths["membership_2020"])):
        missing = frame.loc[frame[col].isna(), "commune_code"].tolist()
        if missing:
            raise InputError(
                "err.communes_without_zone", file=file, value=missing[:5], n=len(missing)
            )
    if not frame["dep"].isin(HDF_DEPS).all():
        bad = frame.loc[~frame["dep"].isin(HDF_DEPS), "dep"].iloc[0]
        raise InputError(
            "err.dep_outside", column="DEP", value=bad, expected="exp.one_of", allowed=HDF_DEPS
        )
    return CommuneTable(frame=frame, polygons=polys)


def build_atoms(communes: CommuneTable) -> gpd.GeoDataFrame:
    """Dissolve communes into the finest common partition of both zonings and départements."""
    gdf = gpd.GeoDataFrame(
        communes.frame[["ze2010", "ze2020", "dep"]],
        geometry=communes.polygons.geometry.values,
        crs=communes.polygons.crs,
    )
    atoms = gdf.dissolve(["ze2010", "ze2020", "dep"], sort=True).reset_index()
    if not shapely.coverage_is_valid(atoms.geometry.values):
        raise CartohdfError("err.coverage_invalid")
    return atoms


def simplify_atoms(atoms: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify the atoms as one coverage (shared borders stay shared)."""
    simplified = shapely.coverage_simplify(atoms.geometry.values, tolerance)
    if not shapely.coverage_is_valid(simplified):
        raise CartohdfError("err.simplification_broke")
    out = atoms.copy()
    out["geometry"] = simplified
    return out


def boundary_error_m(original: gpd.GeoSeries, simplified: gpd.GeoSeries) -> dict[str, float]:
    """Hausdorff distance between original and simplified atom boundaries (metres)."""
    dists = shapely.hausdorff_distance(original.boundary.values, simplified.boundary.values)
    p50, p90, p100 = np.percentile(dists, [50, 90, 100])
    return {
        "median": round(float(p50), 1),
        "p90": round(float(p90), 1),
        "max": round(float(p100), 1),
    }


def _union_by(atoms: gpd.GeoDataFrame, key: str) -> dict[str, BaseGeometry]:
    return {
        str(code): shapely.coverage_union_all(group.geometry.values)
        for code, group in atoms.groupby(key, sort=True)
    }


def _to_wgs84(geoms: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    series = gpd.GeoSeries(list(geoms.values()), index=list(geoms.keys()), crs=LAMBERT93)
    out = series.to_crs(WGS84)
    return {code: round_geometry(geom) for code, geom in out.items()}


def _check_rounded_coverage(geoms: dict[str, BaseGeometry], what: str) -> None:
    values = np.array(list(geoms.values()))
    if not shapely.is_valid(values).all() or not shapely.coverage_is_valid(values):
        raise CartohdfError("err.rounding_invalid", what=what)


def zone_labels(path: Path, level: str) -> pd.DataFrame:
    """INSEE labels and whole-zone commune counts of one zoning."""
    labels = read_codes_csv(path, ["NIVGEO", "CODGEO", "LIBGEO", "NB_COM"])
    labels = labels[labels["NIVGEO"] == level]
    return labels.set_index("CODGEO")


def regional_commune_counts(communes: pd.DataFrame, key: str) -> pd.Series:
    """Communes of the région in each zone, counted in the zoning's own COG vintage (2018 for
    ZE2010, 2019/2020 for ZE2020)."""
    code_col = "commune_code" if key == "ze2010" else "commune_code_2019"
    return communes.groupby(key)[code_col].nunique()


def is_interregional(code: str, labels: pd.DataFrame, regional_counts: pd.Series) -> bool:
    """A zone is inter-regional when INSEE counts more communes in it than the région holds."""
    if code not in labels.index:
        raise InputError("err.zone_without_label", column="CODGEO", value=code)
    return int(str(labels.loc[code, "NB_COM"])) > int(regional_counts[code])


def write_zones(
    path: Path,
    geoms: dict[str, BaseGeometry],
    communes: pd.DataFrame,
    key: str,
    labels: pd.DataFrame,
    area_km2: dict[str, float],
) -> None:
    """Write one zoning (see `is_interregional`)."""
    regional_counts = regional_commune_counts(communes, key)
    feats = []
    for code, geom in sorted(geoms.items()):
        interregional = is_interregional(code, labels, regional_counts)  # checks the label
        whole = int(str(labels.loc[code, "NB_COM"]))
        props: dict[str, Any] = {
            "code": code,
            "name": str(labels.loc[code, "LIBGEO"]),
            "interregional": interregional,
            "n_communes_region": int(regional_counts[code]),
            "n_communes_zone": whole,
            "area_km2_region": round(area_km2[code], 1),
        }
        feats.append((props, geom))
    write_geojson(path, feature_collection(feats))


def _parse_ti_2023_members(text: str) -> tuple[list[str], list[str]]:
    names, sirens = [], []
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        if part.endswith(")") and "(" in part:
            name, siren = part[:-1].rsplit("(", 1)
            names.append(name.strip())
            sirens.append(siren.strip())
        else:
            names.append(part)
            sirens.append("")
    return names, sirens


def load_territoires(raw: Path) -> dict[str, gpd.GeoDataFrame]:
    """The region's Territoires d'industrie of both programmes, Lambert-93, normalised columns."""
    paths = raw_paths(raw)
    out: dict[str, gpd.GeoDataFrame] = {}
    ti18 = read_vector(paths["ti_2018"])
    require_columns(
        ti18, ["id_ti", "lib_ti", "lib_groupement", "siren_groupement"], paths["ti_2018"]
    )
    ti18 = ti18[ti18["id_ti"].str.startswith("ti-32")].copy()
    ti18["epci_names"] = ti18["lib_groupement"].map(lambda s: [x.strip() for x in s.split(",")])
    ti18["epci_sirens"] = ti18["siren_groupement"].map(lambda s: [x.strip() for x in s.split(",")])
    out["2018"] = ti18.rename(columns={"id_ti": "id", "lib_ti": "name"})
    ti23 = read_vector(paths["ti_2023"])
    require_columns(ti23, ["id_territoire", "lib_territoire", "liste_geo"], paths["ti_2023"])
    ti23 = ti23[ti23["id_territoire"].str.startswith("ti-32")].copy()
    members = ti23["liste_geo"].map(_parse_ti_2023_members)
    ti23["epci_names"] = members.map(lambda m: m[0])
    ti23["epci_sirens"] = members.map(lambda m: m[1])
    out["2023"] = ti23.rename(columns={"id_territoire": "id", "lib_territoire": "name"})
    for key, gdf in out.items():
        gdf = gdf[["id", "name", "epci_names", "epci_sirens", "geometry"]].to_crs(LAMBERT93)
        out[key] = gdf.sort_values("id").reset_index(drop=True)
    return out


def write_territoires(path: Path, ti: gpd.GeoDataFrame, programme: str) -> None:
    """Simplified outlines (each on its own: they are not a shared-border coverage)."""
    simplified = ti.geometry.simplify(TI_TOLERANCE_M, preserve_topology=True)
    wgs = gpd.GeoSeries(simplified.values, crs=LAMBERT93).to_crs(WGS84)
    feats = []
    for (_, row), geom in zip(ti.iterrows(), wgs, strict=True):
        props = {
            "id": row["id"],
            "name": row["name"],
            "programme": programme,
            "epci_names": row["epci_names"],
            "epci_sirens": row["epci_sirens"],
        }
        feats.append((props, shapely.make_valid(round_geometry(geom))))
    write_geojson(path, feature_collection(feats))


def zone_territoire_overlaps(
    zones: dict[str, dict[str, BaseGeometry]], tis: dict[str, gpd.GeoDataFrame]
) -> pd.DataFrame:
    """Share of each zone's regional area covered by each Territoire d'industrie (>= 5 %)."""
    rows = []
    for zoning, geoms in zones.items():
        for code, zone in sorted(geoms.items()):
            zone_area = zone.area
            for programme, ti in sorted(tis.items()):
                for _, t in ti.iterrows():
                    share = zone.intersection(t.geometry).area / zone_area
                    if share >= 0.05:
                        rows.append(
                            {
                                "zoning": zoning,
                                "zone_code": code,
                                "programme": programme,
                                "ti_id": t["id"],
                                "ti_name": t["name"],
                                "share_of_zone_area": round(share, 3),
                            }
                        )
    return pd.DataFrame(rows)


def build_geometry(raw: Path, geo_dir: Path, data_dir: Path, log: Log) -> dict[str, Any]:
    """Build every file of geo/ plus the commune and zone-TI tables; return measurements."""
    paths = raw_paths(raw)
    log("communes : lecture et rattachement aux zones")
    communes = load_communes(raw)
    log("atomes ZE2010 x ZE2020 x département : dissolution")
    atoms = build_atoms(communes)
    log(f"simplification en couverture (Lambert-93, tolérance {ZONE_TOLERANCE_M:.0f} m)")
    simple = simplify_atoms(atoms, ZONE_TOLERANCE_M)
    error_m = boundary_error_m(atoms.geometry, simple.geometry)

    labels10 = zone_labels(paths["labels_ze2010"], "ZE2010")
    labels20 = zone_labels(paths["labels_ze2020"], "ZE2020")
    frame = communes.frame
    measures: dict[str, Any] = {
        "tolerance_m": ZONE_TOLERANCE_M,
        "boundary_error_m": error_m,
        "atoms": len(atoms),
        "vertices_before": int(shapely.get_num_coordinates(atoms.geometry.values).sum()),
        "vertices_after": int(shapely.get_num_coordinates(simple.geometry.values).sum()),
    }
    exact: dict[str, dict[str, BaseGeometry]] = {}
    for zoning, labels in (("ze2010", labels10), ("ze2020", labels20)):
        log(f"{zoning} : union des atomes par zone")
        geoms = _to_wgs84(_union_by(simple, zoning))
        _check_rounded_coverage(geoms, zoning)
        exact[zoning] = _union_by(atoms, zoning)
        area = {code: g.area / 1e6 for code, g in exact[zoning].items()}
        write_zones(geo_dir / f"zones_{zoning}.geojson", geoms, frame, zoning, labels, area)
        measures[f"{zoning}_zones"] = len(geoms)

    log("départements et région")
    deps = _to_wgs84(_union_by(simple, "dep"))
    _check_rounded_coverage(deps, "départements")
    write_geojson(
        geo_dir / "departements.geojson",
        feature_collection(({"code": c, "name": DEP_NAMES[c]}, g) for c, g in sorted(deps.items())),
    )
    region = _to_wgs84({"32": shapely.coverage_union_all(simple.geometry.values)})
    write_geojson(
        geo_dir / "region.geojson",
        feature_collection([({"code": "32", "name": "Hauts-de-France"}, region["32"])]),
    )

    log("Territoires d'industrie (2018-2022 et 2023-2027)")
    tis = load_territoires(raw)
    for programme, ti in tis.items():
        write_territoires(geo_dir / f"territoires_industrie_{programme}.geojson", ti, programme)
        measures[f"ti_{programme}"] = len(ti)
    overlaps = zone_territoire_overlaps(exact, tis)
    write_csv(overlaps, data_dir / "zone_territoires_industrie.csv")

    log("table des communes")
    points = communes.polygons.geometry.representative_point().to_crs(WGS84)
    table = frame.copy()
    table["lon"] = np.round(points.x.values, 5)
    table["lat"] = np.round(points.y.values, 5)
    write_csv(table, data_dir / "communes.csv")
    return measures
