"""Inter-regional zones drawn whole: their part outside the région in their class colour, the
circle on the whole zone, and every text saying what the figures cover."""

from __future__ import annotations

import json
import re

import shapely

from cartohdf.compose import plan
from cartohdf.core import percent
from cartohdf.render import profile_html, zone_profile
from cartohdf.state import MapState
from tests.conftest import export_html


def _payloads(html: str, fn: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(rf"cartohdf\.{fn}\(\w+, (\{{.*\}})\);", html)]


def test_the_outside_parts_are_drawn_in_their_zone_class_colour(data):
    p = plan(MapState(), data)
    html = export_html(MapState(), data)
    outside = [pl for pl in _payloads(html, "addPolygons") if pl.get("layer") == "outside"]
    assert len(outside) == 1
    feats = {f["props"]["code"]: f for f in outside[0]["features"]}
    assert set(feats) == {"0055", "0056"}
    for code, f in feats.items():
        assert f["style"]["fillColor"] == p.classes.color_of(code)  # the whole zone's class
        assert f["style"]["dashArray"] and f["style"]["fillOpacity"] < 0.85
        assert "zone entière" in f["tooltip"]


def test_the_circle_of_an_inter_regional_zone_stands_on_the_whole_zone(data):
    html = export_html(MapState(indicator="industrial_jobs"), data)
    circles = next(pl for pl in _payloads(html, "addMarkers") if pl.get("layer") == "circles")
    whole = data.interregional.set_index(["zoning", "code"])
    for m in circles["markers"]:
        if "Roissy" in m["tooltip"]:
            row = whole.loc[("ze2010", "0056")]
            assert (m["lat"], m["lng"]) == (
                round(float(row["lat"]), 5),
                round(float(row["lon"]), 5),
            )
            national = data.france_zones["ze2010"].set_index("code").geometry["0056"]
            assert national.buffer(0.01).contains(shapely.Point(m["lng"], m["lat"]))
            from cartohdf.render._zones import zone_points

            assert (m["lat"], m["lng"]) != zone_points(data, "ze2010")[
                "0056"
            ]  # not the regional part's
            assert "la partie régionale fait" in m["popup"]
            break
    else:
        raise AssertionError("no circle for 0056")


def test_popups_and_profiles_say_whole_zone_and_the_part_in_the_region(data):
    share = float(
        data.interregional.set_index(["zoning", "code"]).loc[("ze2010", "0056"), "share_in_region"]
    )
    text = percent(share, 0, "fr")
    html = export_html(MapState(), data)
    assert f"la partie régionale fait {text} de sa surface" in html
    profile = profile_html(zone_profile(data, "ze2010", "0056", "fr"), "fr")
    assert f"la partie régionale fait {text} de sa surface" in profile
    assert "Aucune répartition des emplois" in profile
    english = profile_html(zone_profile(data, "ze2010", "0056", "en"), "en")
    assert "No split of its jobs" in english


def test_a_selected_inter_regional_zone_is_framed_whole(data):
    (south, west), (north, east) = plan(MapState(zone="0056"), data).view.bounds
    national = data.france_zones["ze2010"].set_index("code").geometry["0056"]
    minx, miny, maxx, maxy = national.bounds
    assert south < miny and west < minx and north > maxy and east > maxx
