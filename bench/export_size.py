"""Size of the exported map vs a naive folium map of the same layers, measured in one run.

Naive baseline: zones dissolved from the raw commune polygons (no simplification, default
precision), raw département / région / Territoires d'industrie polygons, all as folium.GeoJson,
and the same S3 and employer points as folium markers. Prints one figure per line.

    python bench/export_size.py [--raw ../shared/data-raw]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import shapely

from cartohdf.compose import plan
from cartohdf.core import paths
from cartohdf.data import load_dataset
from cartohdf.export import map_html
from cartohdf.render import build_topology, rings_from_topology
from cartohdf.state import MapState, from_query


def naive_map(raw: Path, data) -> folium.Map:
    communes = gpd.read_file(raw / "communes" / "communes-hauts-de-france.geojson")
    table = pd.read_csv(
        raw / "correspondances" / "table_appartenance_communes_2018_hdf.csv", dtype=str
    )
    communes = communes.merge(table[["CODGEO", "ZE2010"]], left_on="code", right_on="CODGEO")
    zones = communes.dissolve("ZE2010").reset_index()[["ZE2010", "geometry"]]
    m = folium.Map(location=[50, 2.8], zoom_start=8, tiles=None)
    folium.GeoJson(zones, tooltip=folium.GeoJsonTooltip(["ZE2010"]), name="zones").add_to(m)
    for name in ("departements-hauts-de-france.geojson", "region-hauts-de-france.geojson"):
        folium.GeoJson(gpd.read_file(raw / "admin" / name), name=name).add_to(m)
    for name, col in (
        ("ti_2018-2022_polygone-4326_ti.geojson", "id_ti"),
        ("ti_2023-2027_ti_geom.geojson", "id_territoire"),
    ):
        ti = gpd.read_file(raw / "territoires_industrie" / name)
        folium.GeoJson(ti[ti[col].str.startswith("ti-32")][[col, "geometry"]], name=name).add_to(m)
    communes_pts = data.communes.set_index("commune_code")
    for _, r in data.study.s3_domains.iterrows():
        c = communes_pts.loc[r["anchor_commune_code"]]
        folium.CircleMarker(
            [c["lat"], c["lon"]], tooltip=r["domain_fr"], popup=r["territory"]
        ).add_to(m)
    for _, r in data.study.employers.iterrows():
        folium.CircleMarker([50, 3], tooltip=r["name"], popup=r["naf_label"]).add_to(m)
    folium.LayerControl().add_to(m)
    return m


def geometry_bytes(html: str, pattern: str) -> int:
    return sum(len(line) for line in html.splitlines() if re.search(pattern, line))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=paths.DEFAULT_RAW_DIR)
    args = parser.parse_args()
    data = load_dataset()
    state = from_query({"layers": "s3,employers,ti2018,ti2023,departements,labels"})
    ours = map_html(plan(state, data), dt.date(2026, 1, 1))
    naive = naive_map(args.raw, data).get_root().render()
    ours_geo = geometry_bytes(ours, r"^\s*cartohdf\.addPolygons\(")
    naive_geo = geometry_bytes(naive, r"_add\(\{")
    zones = data.zones[MapState().zoning]
    topo = build_topology(list(zones.geometry))
    decoded = [
        shapely.MultiPolygon(
            [
                shapely.Polygon(
                    [(x / 1e5, y / 1e5) for y, x in r[0]],
                    [[(x / 1e5, y / 1e5) for y, x in h] for h in r[1:]],
                )
                for r in rings_from_topology(topo, i)
            ]
        )
        for i in range(len(zones))
    ]
    print(f"naive_total_bytes {len(naive.encode())}")
    print(f"ours_total_bytes {len(ours.encode())}")
    print(f"total_ratio {len(ours.encode()) / len(naive.encode()):.3f}")
    print(f"naive_geometry_bytes {naive_geo}")
    print(f"ours_geometry_bytes {ours_geo}")
    print(f"geometry_ratio {ours_geo / naive_geo:.3f}")
    print(f"decoded_zones_coverage_valid {bool(shapely.coverage_is_valid(decoded))}")
    print(f"naive_has_cdn_links {bool(re.search(r'<script src=.https?://', naive))}")
    print(f"ours_has_cdn_links {bool(re.search(r'<script src=.https?://', ours))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
