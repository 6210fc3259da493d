"""National geometry: every metropolitan zone of both zonings, and the part outside the région
of each inter-regional zone (so that those zones can be drawn whole on the regional map).

Sources (see ``data-raw/PROVENANCE.md``): ZE2010 from ANCT's national TopoJSON (overseas zones
01xx-06xx left out: they are repositioned insets there, not geographic); ZE2020 from the
mainland shapefile (its 287 codes must be exactly the metropolitan ZE2020 of
``zones_france.csv``). Areas, clipping and simplification in Lambert-93; stored in EPSG:4326.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from cartohdf.build.geometry import LAMBERT93, WGS84, ZONE_TOLERANCE_M, build_atoms, load_communes
from cartohdf.build.raw import read_vector, require_columns, write_csv
from cartohdf.core import CartohdfError, InputError
from cartohdf.data import COORD_DECIMALS, feature_collection, round_geometry, write_geojson

# National view: France is drawn at zoom 5-7 (about 3.3 to 0.8 km per screen pixel at 47°N);
# 1 km keeps the median boundary error near one pixel at zoom 7 (measures in the build report).
NATIONAL_TOLERANCE_M = 1000.0
# "National polygon minus the région" leaves, besides the real outside part (300+ km²),
# slivers along the regional border where the two sources' borders differ (measured: at most
# 0.63 km², mean width under 250 m). Pieces under this area are dropped.
MIN_OUTSIDE_PIECE_M2 = 1_000_000.0
MAX_OVERLAP_M2 = 10_000.0  # 0.01 km²: what the outside parts may share with the région
GRID = 10.0**-COORD_DECIMALS  # the committed coordinates' grid (degrees)
OVERSEAS_PREFIXES = ("01", "02", "03", "04", "06")
SOURCES = {
    "ze2010": (Path("zones_emploi") / "ze2010_ze_wgs84_utf8.topojson", "codgeo"),
    "ze2020": (Path("zones_emploi") / "ze2020_bdd_polygon_ze2020.shp", "Z'202"),
}

Log = Callable[[str], None]


def read_national(raw: Path, zoning: str, expected: list[str]) -> gpd.GeoSeries:
    """The metropolitan zones of one zoning, Lambert-93, indexed and sorted by code.

    The codes must be exactly `expected` (those of ``zones_france.csv``).
    """
    rel, column = SOURCES[zoning]
    path = raw / rel
    if path.suffix == ".topojson":  # the TopoJSON declares no CRS: it is lon/lat WGS84
        gdf = gpd.read_file(path).set_crs(WGS84, allow_override=True)
    else:
        gdf = read_vector(path)
    require_columns(gdf, [column], path)
    gdf = gdf[[column, "geometry"]].rename(columns={column: "code"})
    gdf["code"] = gdf["code"].astype(str)
    gdf = gdf[~gdf["code"].str[:2].isin(OVERSEAS_PREFIXES)]
    if gdf["code"].duplicated().any():
        dup = gdf.loc[gdf["code"].duplicated(), "code"].iloc[0]
        raise InputError("err.duplicate_key", file=path, column=column, value=dup)
    odd = sorted(set(gdf["code"]) ^ set(expected))
    if odd:
        raise InputError("err.zone_missing_in", file=path, value=odd[:10], source=zoning)
    series = gdf.set_index("code").sort_index().geometry.to_crs(LAMBERT93)
    if not shapely.coverage_is_valid(series.values):
        raise InputError("err.national_not_coverage", file=path)
    return series


def simplify_national(zones: gpd.GeoSeries, tolerance: float) -> tuple[gpd.GeoSeries, dict]:
    """Simplify as one coverage; every zone must stay a non-empty valid polygon, none lose a
    part. Returns the simplified zones and their measures."""
    simple = shapely.coverage_simplify(zones.values, tolerance)
    if not shapely.coverage_is_valid(simple) or not shapely.is_valid(simple).all():
        raise CartohdfError("err.simplification_broke")
    lost = shapely.is_empty(simple) | (
        shapely.get_num_geometries(simple) < shapely.get_num_geometries(zones.values)
    )
    if lost.any():
        raise CartohdfError("err.zone_lost", zones=list(zones.index[lost])[:5])
    dists = shapely.hausdorff_distance(zones.boundary.values, shapely.boundary(simple))
    p50, p90, p100 = np.percentile(dists, [50, 90, 100])
    measures = {
        "zones": len(zones),
        "vertices_before": int(shapely.get_num_coordinates(zones.values).sum()),
        "vertices_after": int(shapely.get_num_coordinates(simple).sum()),
        "boundary_error_m": {
            "median": round(float(p50), 1),
            "p90": round(float(p90), 1),
            "max": round(float(p100), 1),
        },
    }
    return gpd.GeoSeries(simple, index=zones.index, crs=LAMBERT93), measures


def to_wgs84_rounded(geoms: gpd.GeoSeries) -> dict[str, BaseGeometry]:
    """Lambert-93 -> EPSG:4326, coordinates on the committed grid, checked valid."""
    out = {str(code): round_geometry(g) for code, g in geoms.to_crs(WGS84).items()}
    values = np.array(list(out.values()))
    if not shapely.is_valid(values).all() or not shapely.coverage_is_valid(values):
        raise CartohdfError("err.rounding_invalid", what="France")
    return out


def _polygons(geom: BaseGeometry) -> np.ndarray:
    """The polygons of `geom` (an overlay may also return lines or points)."""
    parts = shapely.get_parts(geom)
    return parts[shapely.get_type_id(parts) == 3]


def _join(parts: np.ndarray) -> BaseGeometry:
    if len(parts) == 0:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


def drop_slivers(geom: BaseGeometry, crs: int = LAMBERT93) -> tuple[BaseGeometry, int]:
    """Keep the pieces of `geom` of at least MIN_OUTSIDE_PIECE_M2 (measured in Lambert-93)
    without moving any coordinate; also return how many pieces were dropped."""
    parts = _polygons(geom)
    areas = gpd.GeoSeries(parts, crs=crs).to_crs(LAMBERT93).area.to_numpy() if len(parts) else []
    keep = np.asarray(areas) >= MIN_OUTSIDE_PIECE_M2
    return _join(parts[keep]), int((~keep).sum())


def interregional_codes(geo_dir: Path, zoning: str) -> list[str]:
    """The zoning's inter-regional zones, as the regional file just written says."""
    zones = gpd.read_file(geo_dir / f"zones_{zoning}.geojson")
    return sorted(str(c) for c in zones.loc[zones["interregional"].astype(bool), "code"])


def outside_parts(
    whole: gpd.GeoSeries, region_exact: BaseGeometry, region_drawn_4326: BaseGeometry
) -> tuple[gpd.GeoSeries, dict[str, BaseGeometry], dict[str, int]]:
    """Each zone's part outside the région: exact (Lambert-93, for areas) and drawn (EPSG:4326).

    Exact: the national polygon minus the unsimplified région, slivers dropped. Drawn: the
    exact parts simplified as one coverage with the regional zones' tolerance, then clipped
    by the committed région outline on the committed grid (``grid_size``), so that the
    rounded parts share the région's vertices and cannot overlap it.
    """
    exact, slivers = {}, {}
    for code, geom in whole.items():
        exact[code], slivers[code] = drop_slivers(geom.difference(region_exact))
    exact_s = gpd.GeoSeries(exact, crs=LAMBERT93)
    simple = gpd.GeoSeries(
        shapely.coverage_simplify(exact_s.values, ZONE_TOLERANCE_M), index=exact_s.index,
        crs=LAMBERT93,
    ).to_crs(WGS84)  # fmt: skip
    drawn = {}
    for code, geom in simple.items():
        clipped = shapely.difference(round_geometry(geom), region_drawn_4326, grid_size=GRID)
        drawn[str(code)], n = drop_slivers(clipped, WGS84)
        slivers[str(code)] += n
        if drawn[str(code)].is_empty:
            raise CartohdfError("err.zone_lost", zones=[code])
        if _area_m2(drawn[str(code)].intersection(region_drawn_4326)) >= MAX_OVERLAP_M2:
            raise CartohdfError("err.outside_overlaps_region")
    return exact_s, drawn, slivers


def _area_m2(geom_4326: BaseGeometry) -> float:
    return float(gpd.GeoSeries([geom_4326], crs=WGS84).to_crs(LAMBERT93).area.iloc[0])


def whole_zone_rows(
    zoning: str,
    regional: dict[str, BaseGeometry],
    outside: gpd.GeoSeries,
) -> list[dict[str, Any]]:
    """Share of each whole zone inside the région and a point inside the whole zone.

    Whole zone = exact regional part (communes) + exact outside part, both Lambert-93.
    """
    rows = []
    for code in sorted(outside.index):
        inside, out = regional[code], outside[code]
        whole = shapely.union_all([inside, out])
        point = gpd.GeoSeries([whole.representative_point()], crs=LAMBERT93).to_crs(WGS84).iloc[0]
        rows.append(
            {
                "zoning": zoning,
                "code": code,
                "area_km2_region": round(inside.area / 1e6, 1),
                "area_km2_outside": round(out.area / 1e6, 1),
                "share_in_region": round(inside.area / (inside.area + out.area), 4),
                "lon": round(point.x, COORD_DECIMALS),
                "lat": round(point.y, COORD_DECIMALS),
            }
        )
    return rows


def build_france(
    raw: Path, geo_dir: Path, data_dir: Path, zones_france: pd.DataFrame, log: Log
) -> dict[str, Any]:
    """Write ``geo/zones_france_<zoning>.geojson``, ``geo/zones_outside_<zoning>.geojson`` and
    ``data/zones_interregional.csv``; return the measures for the build report.

    `zones_france` is the table written to ``data/zones_france.csv`` (codes, names, regions).
    """
    atoms = build_atoms(load_communes(raw))
    region_exact = shapely.coverage_union_all(atoms.geometry.values)
    region_drawn = gpd.read_file(geo_dir / "region.geojson").geometry.iloc[0]
    measures: dict[str, Any] = {
        "tolerance_m": NATIONAL_TOLERANCE_M,
        "min_outside_piece_km2": MIN_OUTSIDE_PIECE_M2 / 1e6,
    }
    rows: list[dict[str, Any]] = []
    for zoning in ("ze2010", "ze2020"):
        table = zones_france[zones_france["zoning"] == zoning].set_index("code").sort_index()
        log(f"{zoning} : zones de France métropolitaine ({len(table)})")
        exact = read_national(raw, zoning, list(table.index))
        simple, measures[zoning] = simplify_national(exact, NATIONAL_TOLERANCE_M)
        geoms = to_wgs84_rounded(simple)
        write_geojson(
            geo_dir / f"zones_france_{zoning}.geojson",
            feature_collection(
                ({"code": c, "name": str(table.loc[c, "name"]), "region": str(table.loc[c, "region"])}, g)
                for c, g in geoms.items()
            ),
        )  # fmt: skip
        codes = interregional_codes(geo_dir, zoning)
        log(f"{zoning} : parties hors région des zones interrégionales {', '.join(codes)}")
        outside, drawn, slivers = outside_parts(exact[codes], region_exact, region_drawn)
        write_geojson(
            geo_dir / f"zones_outside_{zoning}.geojson",
            feature_collection(
                ({"code": c, "name": str(table.loc[c, "name"])}, drawn[c]) for c in codes
            ),
        )
        regional = {c: shapely.coverage_union_all(g.geometry.values)
                    for c, g in atoms.groupby(zoning, sort=True) if c in codes}  # fmt: skip
        rows += whole_zone_rows(zoning, regional, outside)
        measures[zoning]["outside_slivers_dropped"] = slivers
    write_csv(pd.DataFrame(rows), data_dir / "zones_interregional.csv")
    return measures
