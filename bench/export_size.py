"""Size of the exported map vs a naive folium map of the same layers, measured in one run; and
the map of France (304 zones) against the regional map: file size and render time in Chromium
(median of --repeat loads, map drawn = every zone path attached and the legend shown).

Naive baseline: zones dissolved from the raw commune polygons (no simplification, default
precision), raw département / région / Territoires d'industrie polygons, all as folium.GeoJson,
and the same S3 and employer points as folium markers. Prints one figure per line.

    python bench/export_size.py [--raw ../shared/data-raw] [--repeat 7]
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


def render_seconds(paths_: list[Path], repeat: int) -> list[float]:
    """Median time to draw each file in headless Chromium, loads interleaved (same conditions)."""
    import statistics
    import time

    sys.path.insert(0, str(paths.ROOT))
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    times: list[list[float]] = [[] for _ in paths_]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for _ in range(repeat):
            for i, path in enumerate(paths_):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                start = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_selector(".cartohdf-legend")
                page.wait_for_function(
                    "() => document.querySelectorAll('path.cartohdf-zone').length > 0"
                )
                times[i].append(time.perf_counter() - start)
                page.close()
        browser.close()
    return [statistics.median(t) for t in times]


def geometry_bytes(html: str, pattern: str) -> int:
    return sum(len(line) for line in html.splitlines() if re.search(pattern, line))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=paths.DEFAULT_RAW_DIR)
    parser.add_argument("--repeat", type=int, default=7)
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
    # the map of France against the regional map (default layers), same run
    import tempfile

    region = map_html(plan(MapState(), data), dt.date(2026, 1, 1))
    france = map_html(plan(MapState(scope="france"), data), dt.date(2026, 1, 1))
    print(f"region_map_bytes {len(region.encode())}")
    print(f"france_map_bytes {len(france.encode())}")
    print(f"france_to_region_size {len(france.encode()) / len(region.encode()):.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        files = [Path(tmp) / "region.html", Path(tmp) / "france.html"]
        for path, html in zip(files, (region, france), strict=True):
            path.write_text(html, encoding="utf-8")
        region_s, france_s = render_seconds(files, args.repeat)
    print(f"region_render_s {region_s:.3f}")
    print(f"france_render_s {france_s:.3f}")
    print(f"france_to_region_render {france_s / region_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
