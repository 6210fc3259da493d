"""What lets the browser answer a click or a layer box before the server: the map holds every
layer and the view names the shown ones; the zones carry how a selection is outlined; the
side panel holds every zone's profile; the layer panel's answers are checked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import folium
import pytest
from streamlit.testing.v1 import AppTest

from cartohdf.compose import plan
from cartohdf.core import OTHER_LAYERS, S3_LAYERS, paths
from cartohdf.front.app import layers_data, packed, pages_data, shown_layers, side_data, unpacked
from cartohdf.render import profile_html, zone_profile
from cartohdf.state import MapState
from tests.conftest import app_map, component_data, zone_picker


def test_the_view_names_its_shown_layers_among_all_of_them(data):
    p = plan(MapState(layers=frozenset({"employers", "s3_energy"}), zone="2203"), data)
    assert set(p.view.layers) == {"employers", "s3_energy", "selection"}
    assert set(p.view.overlays) == {o.id for o in p.overlays} - {"theme"}
    assert set(p.view.overlays) >= set(S3_LAYERS) | {"employers", "labels", "departements"}
    script = p.view.group().add_to(folium.Map()).get_root().render()
    call = re.search(r"cartohdf\.showOnly\([^,]+, (\{.*?\})\);", script)
    assert call is not None
    told = json.loads(call.group(1))
    assert told == {"shown": list(p.view.layers), "all": list(p.view.overlays), "zone": "2203"}


def test_the_zones_of_the_region_say_how_a_click_outlines_them(data):
    from cartohdf.render import Pane
    from cartohdf.render._zones import COMPARED_LINE, SELECTED_OUTLINE, leaflet_style, zone_layer

    p = plan(MapState(scope="france"), data)
    group = zone_layer(p.drawing.zones, "fr", Pane("sel", 413))
    text = group.add_to(folium.Map()).get_root().render()
    payload = json.loads(re.search(r"cartohdf\.addPolygons\([^,]+, (\{.*\})\);", text).group(1))
    assert payload["select"] == {"style": SELECTED_OUTLINE, "pane": {"name": "sel", "z": 413},
                                 "compared": leaflet_style(COMPARED_LINE, class_name="cartohdf-compared")}
    picked = {f["props"]["code"] for f in payload["features"] if f["props"].get("pick")}
    assert picked == set(data.zones["ze2010"]["code"])  # the région's 28, not France's 304
    assert len(payload["features"]) == 304


def test_the_side_panel_is_given_every_zone_and_escapes_the_headings():
    pages = {"2203": ("La <b>Thiérache</b> (2203)", "<p>profil</p>"), "3113": ("Arras", "<p>x</p>")}
    overview = ("Vue & chiffres", "<ul></ul>")
    data = pages_data(pages, overview)
    assert set(data["zones"]) == {"2203", "3113"}
    assert data["zones"]["2203"]["heading"] == "La &lt;b&gt;Thiérache&lt;/b&gt; (2203)"
    assert data["zones"]["2203"]["html"] == "<p>profil</p>"  # already escaped by render
    assert data["overview"] == {"heading": "Vue &amp; chiffres", "html": "<ul></ul>"}
    side = side_data("2203", "k1", "fr")
    assert side == {"kind": "side", "selected": "2203", "pages": "k1", "clear": "Vue régionale", "compare": "",
                    "compared": [], "add": "Comparer", "remove": "Retirer de la comparaison",
                    "leave": "Quitter la comparaison"}  # fmt: skip
    none = side_data(None, "k1", "en")
    assert none["selected"] == "" and none["clear"] == "Whole région"


def test_a_payload_is_packed_the_same_way_every_time_and_reads_back():
    value = {"html": "<p>é</p>" * 500, "zones": {"2203": 1}}
    key, payload = packed(value)
    assert packed(value) == (key, payload)  # no time stamp: a browser that holds it gets a reference
    assert unpacked(payload) == value
    assert len(payload) < len(json.dumps(value)) / 4
    assert packed({**value, "zones": {"2203": 2}})[0] != key


def test_the_layer_panel_ticks_what_the_view_shows():
    s3 = [("s3_energy", "6. Énergie"), ("s3_health_nutrition", "2. Santé <nutrition>")]
    other = [("employers", "Grands employeurs")]
    data = layers_data(s3, other, {"s3_energy", "selection"}, "fr")
    assert data["shown"] == ["s3_energy"]
    assert [i["id"] for g in data["groups"] for i in g["items"]] == [
        "s3_energy",
        "s3_health_nutrition",
        "employers",
    ]
    assert data["groups"][0]["items"][1]["label"] == "2. Santé &lt;nutrition&gt;"
    assert data["groups"][0]["bulk"] == {"all": "Tous", "none": "Aucun"}
    assert data["groups"][1]["bulk"] is None


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (["s3_energy", "labels"], {"s3_energy", "labels"}),
        ([], set()),
        (["s3_energy", "../etc", "selection"], {"s3_energy"}),  # unknown names are dropped
        ("s3_energy", None),  # not a list: nothing changes
        ([1, 2], None),
        (None, None),
    ],
)
def test_what_the_layer_panel_sends_is_checked(sent, expected):
    assert shown_layers(sent, (*S3_LAYERS, *OTHER_LAYERS)) == expected


def test_the_app_gives_the_panel_every_zone_profile_of_the_view(data):
    at = AppTest.from_file(str(paths.ROOT / "streamlit_app.py"), default_timeout=120).run()
    # until the first map is drawn: the overview alone, and the map is asked to say when
    first = component_data(at, "pages")
    assert first["partial"] and first["zones"] == {} and first["overview"]["heading"]
    assert component_data(at, "map")["tellDrawn"] is True
    at.session_state["all_pages"] = True  # what the map's "drawn" trigger calls on_map_drawn for
    at.run()
    assert component_data(at, "map")["tellDrawn"] is False
    pages = component_data(at, "pages")
    assert "partial" not in pages and pages["overview"] == first["overview"]
    assert component_data(at, "side")["selected"] == ""
    assert set(pages["zones"]) == set(data.zones["ze2010"]["code"])
    p = zone_profile(data, "ze2010", "2203", "fr")
    assert pages["zones"]["2203"]["heading"] == "La Thiérache (2203)"
    # the map shows the strip's indicator: its class bounds are drawn on the strip
    assert pages["zones"]["2203"]["html"] != profile_html(p, "fr")
    assert "Rang dans la région : 2 / 28" in pages["zones"]["2203"]["html"]
    page, view = component_data(at, "page"), component_data(at, "map")
    zone_picker(at).select("3121").run()
    # a zone chosen: the selection and the map's view change; the pages and the map page do not
    side = component_data(at, "side")
    assert side["selected"] == "3121" and side["pages"] == component_data(at, "side")["pages"]
    assert component_data(at, "pages") == pages and component_data(at, "page") == page
    assert component_data(at, "map")["view"]["zone"] == "3121" and view["view"]["zone"] == ""
    assert component_data(at, "map")["page"] == view["page"]
    # another indicator: the strip has no class bounds, one set of pages serves every such view
    at.selectbox(key="w_indicator").select("industrial_jobs").run()
    jobs = component_data(at, "pages")
    assert jobs["zones"]["2203"]["html"] == profile_html(p, "fr")
    assert component_data(at, "map")["page"] != view["page"]  # another theme: another page
    at.selectbox(key="w_indicator").select("specialisation").run()
    assert component_data(at, "pages") == jobs


def test_a_sessions_first_run_mounts_the_component_before_anything_else():
    """The browser fetches the component's modules, and the map page's scripts, while the app
    imports and loads its data (not queued behind the sidebar's scripts); the page's style then
    takes the mount's place."""
    at = AppTest.from_file(str(paths.ROOT / "streamlit_app.py"), default_timeout=120).run()
    first = at.main[0]  # the first element of the page, in the order the script drew it
    assert first.type == "flex_container" and first.proto.flex_container and "store_boot" in str(first.proto)
    boot = first.children[0]
    assert boot.type == "bidi_component" and json.loads(boot.proto.json)["kind"] == "boot"
    scripts = json.loads(boot.proto.json)["scripts"]  # the very scripts the map page names
    assert [u.rsplit("/", 1)[1] for u in scripts] == ["leaflet.js", "cartohdf.js"]
    assert all(f'<script src="{u}"></script>' in app_map(at)[0] for u in scripts)
    title = at.main[1]
    at.run()  # a rerun: the modules are in the page already; the other elements keep their places
    assert at.main[0].type == "empty" and at.main[1].type == title.type == "title"
    assert all(json.loads(c.proto.json)["kind"] != "boot" for c in at.get("bidi_component"))


def test_the_boot_mount_names_the_map_scripts_before_the_heavy_imports():
    """The first message names the map page's scripts: finding them imports neither pandas
    nor folium (nor cartohdf.render, which imports both), so it is sent at once."""
    probe = ("import sys; from cartohdf.front import assets; assets.script_folders(); "
             "print(sorted(m for m in ('pandas', 'folium', 'geopandas', 'cartohdf.render') if m in sys.modules))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(paths.ROOT / "src")})  # fmt: skip
    assert out.stdout.strip() == "[]"
