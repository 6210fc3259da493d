"""The map as HTML: one fragment per layer, determinism, no external resources, escaping."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner

from cartohdf.compose import plan
from cartohdf.core import ZONINGS
from cartohdf.front.cli import main
from cartohdf.indicators import indicator_set
from cartohdf.state import MapState, from_query
from tests.conftest import DAY, export_html


def map_html(state, data, day=DAY):
    return export_html(state, data, day)


ALL = from_query({"layers": "s3,employers,ti2018,ti2023,departements,labels"})
EVIL = "</script><img src=x onerror=alert(1)>"


def payloads(html: str, fn: str) -> list[dict]:
    out = []
    for line in html.splitlines():
        m = re.match(rf"\s*cartohdf\.{fn}\(\w+, (.*)\);\s*$", line)
        if m:
            out.append(json.loads(m.group(1)))
    return out


@pytest.fixture(scope="module")
def html_all(data):
    return map_html(ALL, data, DAY)


def test_zone_layer_has_every_zone_with_tooltip_popup_and_class_colour(data, html_all):
    zones = payloads(html_all, "addPolygons")[0]
    assert len(zones["features"]) == 28
    codes = [f["props"]["code"] for f in zones["features"]]
    assert codes == sorted(data.zones["ze2010"]["code"])
    thierache = zones["features"][codes.index("2203")]
    assert "La Thiérache" in thierache["tooltip"] and "26,8" in thierache["tooltip"]
    assert "2e sur 28 zones" in thierache["popup"]  # second highest industrial share in 2017
    bresle = zones["features"][codes.index("0055")]
    assert "interrégionale" in bresle["popup"]
    assert zones["highlight"]["weight"] == 3
    fills = {f["style"]["fillColor"] for f in zones["features"]}
    assert len(fills) == 5


def test_popup_gives_rank_region_and_france(data, html_all):
    zones = payloads(html_all, "addPolygons")[0]
    bresle = next(f for f in zones["features"] if f["props"]["code"] == "0055")
    assert "1e sur 28 zones" in bresle["popup"]  # highest industrial share in 2017
    assert "14,1" in bresle["popup"] and "12,7" in bresle["popup"]  # région, France métropolitaine


def test_s3_layers_one_per_domain_with_two_markers_and_a_line(html_all):
    s3 = [
        p
        for p in payloads(html_all, "addMarkers")
        if any("cartohdf-s3" in m.get("icon", "") for m in p["markers"])
    ]
    assert len(s3) == 7
    for p in s3:
        assert (
            len(p["markers"]) == 2 and len(p["lines"]) == 1 and len(p["lines"][0]["latlngs"]) == 2
        )
    assert (
        '"S3 \\u00b7 6. \\u00c9nergie"' in html_all
    )  # layer control entry (folium writes names with tojson)


def test_markers_of_one_place_do_not_overlap(html_all):
    markers = [m for p in payloads(html_all, "addMarkers") for m in p["markers"] if m.get("cls")]
    positions = [(m["lat"], m["lng"]) for m in markers]
    assert len(positions) == len(set(positions)) == 14 + 21


def test_employers_layer_has_21_markers_with_naf_and_placement_note(html_all):
    emp = [
        m
        for p in payloads(html_all, "addMarkers")
        for m in p["markers"]
        if m.get("cls") == "employer"
    ]
    assert len(emp) == 21
    assert any("2910Z" in m["popup"] for m in emp)
    assert all("pas sur le site" in m["popup"] for m in emp)
    sizes = {m["style"]["radius"] for m in emp}
    assert len(sizes) == 2


def test_territoires_and_outlines(html_all):
    polys = payloads(html_all, "addPolygons")
    counts = sorted(len(p["features"]) for p in polys)
    assert counts == sorted([28, 2, 5, 1, 14, 17])  # zones, their parts outside, outlines, TI
    assert "Territoires d" in html_all and "EPCI membres" in html_all


def test_legend_title_sources_and_date(html_all):
    assert "cartohdf-legend" in html_all
    assert "6,5\u202f% – 11,4\u202f%" in html_all
    assert "pas de donnée" in html_all
    assert "Sources et licences" in html_all and "26/11/2026" in html_all
    assert "Part de l" in html_all and "2017" in html_all


def test_counts_are_proportional_circles_not_a_choropleth(data):
    html = map_html(from_query({"indicator": "industrial_jobs"}), data, DAY)
    circles = [
        m
        for p in payloads(html, "addMarkers")
        for m in p["markers"]
        if "cartohdf-circle" in str(m.get("style"))
    ]
    assert len(circles) == 28
    by_radius = sorted(circles, key=lambda m: m["style"]["radius"])
    assert "Roissy" in by_radius[-1]["tooltip"]  # most industrial jobs (whole zone)
    zones = payloads(html, "addPolygons")[0]
    assert {f["style"]["fillColor"] for f in zones["features"]} == {"#ffffff"}


def _shown_layers(html: str) -> set[str]:
    """Layer-control names of the overlays added to the map at load."""
    names = dict((v, k) for k, v in re.findall(r'"([^"]+)" : (feature_group_\d+),', html))
    shown = set(re.findall(r"(feature_group_\d+)\.addTo\(map_\d+\);", html))
    return {json.loads(f'"{names[g]}"') for g in shown if g in names}


def test_layers_in_the_state_decide_visibility(data):
    assert _shown_layers(map_html(from_query({"layers": "s3_energy"}), data, DAY)) == {
        "S3 · 6. Énergie"
    }
    shown = _shown_layers(map_html(from_query({"layers": "employers,ti2023,labels"}), data, DAY))
    assert shown == {
        "Grands employeurs industriels (2018)",
        "Territoires d’industrie 2023-2027",
        "Noms des zones",
    }
    assert (
        len(_shown_layers(map_html(MapState(), data, DAY))) == 7 + 2
    )  # default: S3, outlines, names


def test_deterministic_same_bytes(data):
    a = map_html(ALL, data, DAY)
    b = map_html(ALL, data, DAY)
    assert a == b
    assert map_html(replace(ALL, lang="en"), data, DAY) != a


def test_no_external_resource_other_than_tiles(data, html_all):
    assert not re.search(r"<script[^>]+src=", html_all)
    assert not re.search(r"<link[^>]+href=", html_all)
    assert not re.search(r"url\((?!data:|#)", html_all)  # a fragment (#id) is in the page itself
    assert "tile.openstreetmap.org" not in html_all and "cartocdn" not in html_all
    osm = map_html(replace(ALL, basemap="osm"), data, DAY)
    hosts = set(re.findall(r"https://([a-z.{}]+)/\{z\}", osm))
    assert hosts == {"tile.openstreetmap.org"}


def test_data_text_is_escaped_everywhere(data):
    zones = data.zones["ze2010"].copy()
    zones.loc[zones["code"] == "2203", "name"] = EVIL
    employers = data.study.employers.copy()
    employers.loc[0, "name"] = EVIL
    evil_data = replace(
        data, zones={**data.zones, "ze2010": zones}, study=replace(data.study, employers=employers)
    )
    html = map_html(replace(ALL, zone="2203"), evil_data, DAY)
    assert EVIL not in html
    assert "<img src=x" not in html
    assert html.count("</script>") == html.count("<script>") + html.count(
        "<script type"
    )  # nothing closes early
    zones_payload = payloads(html, "addPolygons")[0]
    tip = next(f["tooltip"] for f in zones_payload["features"] if f["props"]["code"] == "2203")
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in tip


def test_export_command_writes_the_same_bytes_as_the_library(tmp_path, data):
    out = tmp_path / "map.html"
    state = from_query({"layers": "s3,employers", "zone": "2203"})
    result = CliRunner().invoke(
        main, ["export", "--out", str(out), *state.to_cli_args(), "--date", "2026-11-26"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == map_html(state, data, DAY)


def test_every_indicator_and_zoning_renders(data):
    for zoning in ZONINGS:
        for ind in indicator_set(data, zoning).indicators:
            html = map_html(MapState(zoning=zoning, indicator=ind), data, DAY)
            assert len(payloads(html, "addPolygons")[0]["features"]) == len(data.zones[zoning])


def test_overlays_are_separate_from_the_base(data):
    from cartohdf.render import assign_stable_ids

    p = plan(from_query({"zone": "2203"}), data)
    assert [o.id for o in p.overlays][:5] == [
        "theme",
        "departements",
        "ti2018",
        "ti2023",
        "selection",
    ]
    assert len([o for o in p.overlays if o.id.startswith("s3_")]) == 7

    def base_html(params):
        base = plan(from_query(params), data).base(DAY)
        assign_stable_ids(base.get_root())
        return base.get_root().render()

    # toggling layers, selecting a zone or changing the indicator leaves the map frame unchanged:
    # the theme (choropleth, title, legend) is the first overlay
    assert base_html({"layers": "employers"}) == base_html({"layers": "s3", "zone": "3111"})
    assert base_html({"layers": "employers"}) == base_html(
        {"indicator": "specialisation", "k": "4"}
    )
    assert base_html({"layers": "employers"}) != base_html({"basemap": "osm"})
    theme = {o.id: o for o in p.overlays}["theme"]
    assert (
        theme.shown
        and theme.key != {o.id: o for o in plan(from_query({"k": "4"}), data).overlays}["theme"].key
    )


def test_app_variant_links_its_scripts_instead_of_inlining(data):
    m = plan(MapState(), data).base(
        DAY, script_urls=["/app/static/leaflet.js", "/app/static/cartohdf.js"]
    )
    html = m.get_root().render()
    assert '<script src="/app/static/leaflet.js"></script>' in html
    assert "t.Map=" not in html and "window.cartohdf =" not in html  # not inlined
    assert "t.Map=" in map_html(MapState(), data, DAY)  # (present when inlined)
