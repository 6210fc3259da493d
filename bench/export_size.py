"""Size of the exported map vs a naive folium map of the same layers, measured in one run; and
the map of France (304 zones) against the regional map: file size and render time in Chromium
(median of --repeat loads, map drawn = every zone path attached and the legend shown).

Naive baseline: zones dissolved from the raw commune polygons (no simplification, default
precision), raw département / région / Territoires d'industrie polygons, all as folium.GeoJson,
and the same S3 and employer points as folium markers. Prints one figure per line.

Levels below the zone (same run): with a synthetic URSSAF import of every commune of the
région (tests/test_levels_view.py's file), the commune map of the région against the zone
map of the same data — HTML bytes, time to open in Chromium (every commune path attached and
the legend shown), time a click takes to answer in the exported file (the popup open after
the click event, on the page's clock) and in the app (click to the side panel's heading).

    python bench/export_size.py [--raw ../shared/data-raw] [--repeat 7] [--no-app]
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


ZONES_DRAWN = "() => document.querySelectorAll('path.cartohdf-zone').length > 0"
UNITS_DRAWN = "() => +(document.querySelector('.leaflet-container').dataset.cartohdfUnits || 0) > 0"


def render_seconds(paths_: list[Path], repeat: int, drawn: tuple[str, ...] = ()) -> list[float]:
    """Median time to draw each file in headless Chromium, loads interleaved (same conditions);
    `drawn`: per file, the JavaScript condition of its map drawn (default: a zone's path)."""
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
                page.wait_for_function(drawn[i] if drawn else ZONES_DRAWN)
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
    parser.add_argument("--no-app", action="store_true", help="skip the app's click times")
    parser.add_argument("--levels-only", action="store_true", help="only the levels' figures")
    args = parser.parse_args()
    if args.levels_only:
        levels(load_dataset(), args.repeat, not args.no_app)
        return 0
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
    levels(data, args.repeat, not args.no_app)
    return 0


# a click at each point of a grid over the map (on a zone's path, or on the units' canvas):
# the time its click handlers take (the popup is open when they return), on the page's clock
CLICK_MS = """() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const times = [];
  for (let i = 1; i < 8; i++) for (let j = 1; j < 8; j++) {
    const x = map.left + map.width * (0.15 + 0.5 * i / 8), y = map.top + map.height * (0.1 + 0.8 * j / 8);
    const el = document.elementFromPoint(x, y);
    if (!el || !(el.matches('path.cartohdf-zone') || el.matches('canvas'))) continue;
    const t0 = performance.now();
    el.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: x, clientY: y, view: window}));
    const t1 = performance.now();
    if (document.querySelector('.leaflet-popup')) times.push(t1 - t0);
    document.querySelector('.leaflet-popup-close-button')?.click();
  }
  times.sort((a, b) => a - b);
  return times.length ? times[Math.floor(times.length / 2)] : null;
}"""


def click_ms(path: Path, ready: str) -> float:
    """Median time of a click on the file's features, the file opened in Chromium and `ready`
    (a JavaScript condition) true."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(path.as_uri())
        page.wait_for_selector(".cartohdf-legend")
        page.wait_for_function(ready)
        ms = page.evaluate(CLICK_MS)
        browser.close()
    return float(ms)


def synthetic_import(data, folder: Path) -> str:
    """An import of every commune of the région (the tests' file), named « bench »."""
    from tests.test_levels_view import levels_import

    return str(levels_import(folder / "imports", data, name="bench"))


# where a feature's inside point is in the map's frame, if a click there reaches the map's
# shapes (not a control, a name or a marker over them)
APP_POINT = """([lat, lng]) => {
  const p = cartohdf.hostedMap().latLngToContainerPoint([lat, lng]);
  const box = cartohdf.hostedMap().getContainer().getBoundingClientRect();
  const x = box.left + p.x, y = box.top + p.y, el = document.elementFromPoint(x, y);
  return el && (el.matches('path.cartohdf-zone') || el.matches('canvas')) ? {x, y} : null;
}"""


# on the page's clock (epoch ms, comparable between the page and the map's frame): when the
# side panel's heading first showed each text, and when the map's frame got its last click
HEADING_CLOCK = """() => {
  window.__headings = {};
  new MutationObserver(() => {
    const h = document.querySelector('.cartohdf-side-title');
    if (h && !(h.textContent in window.__headings)) window.__headings[h.textContent] = performance.timeOrigin + performance.now();
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
CLICK_CLOCK = """() => window.addEventListener('click', (e) => { window.__click = performance.timeOrigin + e.timeStamp; },
                                     {capture: true})"""


def app_click_s(url: str, ready: str, points: dict[str, tuple[float, float]], names: dict[str, str],
                clicks: int) -> tuple[float, float]:  # fmt: skip
    """Median time from a click on features of the app's map (at their inside points) to
    their profile's heading in the side panel: on the page's clock (the click event to the
    heading in the document), and as Playwright sees it."""
    import statistics
    import time

    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, idle

    times: list[float] = []
    page_times: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        page.goto(url)
        inner = page.frame_locator("iframe.cartohdf-map").last
        inner.locator(".cartohdf-legend").wait_for(state="attached", timeout=120_000)
        idle(page, 120_000)
        frame = page.locator("iframe.cartohdf-map").last.element_handle().content_frame()
        frame.wait_for_function(ready, timeout=120_000)
        page.evaluate(HEADING_CLOCK)
        frame.evaluate(CLICK_CLOCK)
        codes = sorted(points)
        for code in codes[:: max(1, len(codes) // (4 * clicks))]:
            if len(times) >= clicks:
                break
            spot = frame.evaluate(APP_POINT, list(points[code]))
            if spot is None:
                continue
            box = page.locator("iframe.cartohdf-map").last.bounding_box()
            heading = page.get_by_role("heading", name=f"{names[code]} ({code})")
            # the pointer onto the feature first, its hover drawn (two frames): the click alone
            page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
            frame.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            start = time.perf_counter()
            page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
            try:
                heading.wait_for(timeout=15_000)
            except PlaywrightTimeout:  # the point was on something else at the click: not counted
                print(f"app_click_missed {code}")
                idle(page, 120_000)
                continue
            times.append(time.perf_counter() - start)
            shown = page.evaluate("(t) => window.__headings[t]", f"{names[code]} ({code})")
            page_times.append((shown - frame.evaluate("() => window.__click")) / 1000)
            idle(page, 120_000)
        browser.close()
    print(f"app_clicks_measured {len(times)}")
    return statistics.median(page_times), statistics.median(times)


def levels(data, repeat: int, app: bool) -> None:
    """The commune map of the région against the zone map, same data, same run."""
    import os
    import tempfile

    from cartohdf.data import dataset_for

    sys.path.insert(0, str(paths.ROOT))  # the tests' import file and browser settings
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["CARTOHDF_IMPORTS_DIR"] = synthetic_import(data, folder)
        view = dataset_for("bench", "")
        zone_state = MapState(zoning="ze2020", source="bench")
        htmls = {"zone": map_html(plan(zone_state, view), dt.date(2026, 1, 1)),
                 "commune": map_html(plan(MapState(zoning="ze2020", source="bench", level="commune"), view),
                                     dt.date(2026, 1, 1)),
                 "commune_jobs": map_html(plan(MapState(zoning="ze2020", source="bench", level="commune",
                                                        indicator="industrial_jobs"), view), dt.date(2026, 1, 1))}  # fmt: skip
        files = {}
        for name, html in htmls.items():
            files[name] = folder / f"{name}.html"
            files[name].write_text(html, encoding="utf-8")
            print(f"level_{name}_bytes {len(html.encode())}")
        zone_b = len(htmls["zone"].encode())
        print(f"commune_to_zone_bytes {len(htmls['commune'].encode()) / zone_b:.2f}")
        print(f"commune_jobs_to_zone_bytes {len(htmls['commune_jobs'].encode()) / zone_b:.2f}")
        zone_s, commune_s = render_seconds([files["zone"], files["commune"]], repeat, (ZONES_DRAWN, UNITS_DRAWN))
        print(f"level_zone_open_s {zone_s:.3f}")
        print(f"level_commune_open_s {commune_s:.3f}")
        print(f"commune_to_zone_open {commune_s / zone_s:.2f}")
        zone_ms, commune_ms = click_ms(files["zone"], ZONES_DRAWN), click_ms(files["commune"], UNITS_DRAWN)
        print(f"export_zone_click_ms {zone_ms:.2f}")
        print(f"export_commune_click_ms {commune_ms:.2f}")
        print(f"export_commune_to_zone_click {commune_ms / zone_ms:.2f}")
        if not app:
            return
        from tests.st_client import start_app

        proc, url = start_app(env={"CARTOHDF_IMPORTS_DIR": os.environ["CARTOHDF_IMPORTS_DIR"]})
        try:
            from cartohdf.render import label_points, unit_points

            zones = dict(zip(view.zones["ze2020"]["code"], view.zones["ze2020"]["name"], strict=True))
            communes = dict(zip(view.communes_2024["commune_code"], view.communes_2024["commune_name"], strict=True))
            zone_app = app_click_s(f"{url}/?source=bench&zoning=ze2020", ZONES_DRAWN,
                                   label_points(view.zones["ze2020"]), zones, repeat)  # fmt: skip
            commune_app = app_click_s(f"{url}/?source=bench&zoning=ze2020&level=commune", UNITS_DRAWN,
                                      unit_points("commune"), communes, repeat)  # fmt: skip
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        print(f"app_zone_click_page_ms {zone_app[0] * 1000:.1f}")
        print(f"app_commune_click_page_ms {commune_app[0] * 1000:.1f}")
        print(f"app_commune_to_zone_click_page {commune_app[0] / zone_app[0]:.2f}")
        print(f"app_zone_click_playwright_s {zone_app[1]:.3f}")
        print(f"app_commune_click_playwright_s {commune_app[1]:.3f}")
        print(f"app_commune_to_zone_click_playwright {commune_app[1] / zone_app[1]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
