"""Zones compared in the app (issue 21, item 1): the session's callbacks on a dict, and the
app's flow with AppTest (multi-select -> the panel's payload holds the comparison; the link;
the downloads)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from cartohdf.core import paths
from cartohdf.front import session as s
from cartohdf.front.app import unpacked
from cartohdf.state import MapState
from tests.conftest import component_data

APP = str(paths.ROOT / "streamlit_app.py")


def _session(**values) -> dict:
    ss = {"w_zoning": "ze2010", "w_lang": "fr", "w_zone": "2203", **values}
    return ss


# -- the callbacks ---------------------------------------------------------------------------


def test_a_shift_click_adds_then_removes_a_zone():
    ss = _session(w_compare=["2209"])
    ss["map"] = {"compare": {"code": "2205", "n": 1}}
    s.on_map_compare(ss)
    assert ss["w_compare"] == ["2209", "2205"]
    assert ss["w_zone"] == ""  # two zones: the panel shows them side by side
    ss["map"] = {"compare": {"code": "2209", "n": 2}}
    s.on_map_compare(ss)
    assert ss["w_compare"] == ["2205"]


def test_the_profile_button_adds_the_zone_and_keeps_the_profile_until_there_are_two():
    ss = _session()
    ss["side_panel"] = {"compare": {"code": "2203", "n": 1}}
    s.on_side_compare(ss)
    assert ss["w_compare"] == ["2203"] and ss["w_zone"] == "2203"
    assert s.compare_hint(ss, "fr") == "Choisissez au moins une autre zone pour comparer."
    ss["w_zone"] = "2209"
    ss["side_panel"] = {"compare": {"code": "2209", "n": 2}}
    s.on_side_compare(ss)
    assert ss["w_compare"] == ["2203", "2209"] and ss["w_zone"] == ""
    assert s.compare_hint(ss, "fr") is None
    s.leave_compare(ss)
    assert ss["w_compare"] == []


@pytest.mark.parametrize("crafted", [None, "", "9999", "3216", 2203, {"x": 1}, ["2203"]])
def test_a_crafted_message_changes_nothing(crafted):
    ss = _session(w_compare=["2209", "2205"])
    ss["map"] = {"compare": {"code": crafted}}
    s.on_map_compare(ss)
    ss["map"] = {"compare": crafted}
    s.on_map_compare(ss)
    assert ss["w_compare"] == ["2209", "2205"]


def test_six_zones_at_most():
    six = ["2201", "2202", "2203", "2204", "2205", "2206"]
    ss = _session(w_compare=list(six))
    ss["map"] = {"compare": {"code": "2207", "n": 1}}
    s.on_map_compare(ss)
    assert ss["w_compare"] == six


def test_the_scatter_pickers_are_kept_and_checked():
    ss = _session()
    ss["side_panel"] = {"scatter": {"x": "industrial_jobs", "y": 3}}
    s.on_scatter(ss)
    assert s.compare_axes(ss) == ("industrial_jobs", None)


def test_the_comparison_downloads():
    state = MapState(compare=("2203", "2209"), year=2017)
    (title, items), = s.comparison_downloads(state)
    assert title == "cmpz.dl_group"
    names = [name for _, _, name in items]
    assert names == [f"cartohdf_ze2010_comparaison_2203-2209.{e}" for e in ("csv", "xlsx", "pdf")]
    assert items[0][1].startswith("\ufeff".encode())
    assert s.comparison_downloads(MapState()) == []


# -- the app ---------------------------------------------------------------------------------


def _compare_page(at: AppTest) -> dict:
    parts = [json.loads(c.proto.json) for c in at.get("bidi_component") if c.proto.component_name == "cartohdf.ui"]
    return unpacked(next(p["packed"] for p in parts if p["kind"] == "store" and p["name"] == "compare"))


def test_picking_zones_gives_the_panel_the_comparison():
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert component_data(at, "side")["compare"] == "" and _compare_page(at) is None
    at.multiselect(key="w_compare").set_value(["2203"]).run()
    assert any("Choisissez au moins une autre zone" in c.value for c in at.caption)
    assert component_data(at, "side")["compare"] == ""
    at.multiselect(key="w_compare").set_value(["2203", "2209", "2205"]).run()
    assert not at.exception and not at.error
    side = component_data(at, "side")
    assert side["compare"] and side["compared"] == ["2203", "2209", "2205"]
    assert side["clear"] == "Retour à la comparaison"
    page = _compare_page(at)
    assert page["heading"] == "Comparaison de zones"
    html = page["html"]
    for words in ("La Thiérache (2203)", "Abbeville (2209)", "Emplois industriels, indice base 100 en 1998",
                  "<title id='cmpi-ze2010-t'>", "<desc id='cmps-ze2010-d'>", "Source : Emploi ZE2010"):
        assert words in html, words
    assert at.query_params["compare"] == "2203,2209,2205"
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Comparaison (CSV pour Excel)", "Comparaison (XLSX)", "Comparaison (rapport PDF)"} <= set(labels)


def test_a_link_opens_the_comparison_and_a_bad_one_names_the_code():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["compare"] = "2203,2209"
    at.run()
    assert at.multiselect(key="w_compare").value == ["2203", "2209"]
    assert component_data(at, "side")["compare"]
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["compare"] = "2203,9999"
    at.run()
    assert not at.exception
    assert any("« 9999 » inconnue" in e.value for e in at.error)


def test_the_multi_select_keeps_only_the_map_s_zones():
    """A file uploaded in the other zoning changes the zoning under the widget: codes of the
    old one would make Streamlit refuse the widget."""
    ss = _session(w_compare=["2203", "3216", "2209"])
    args = s.compare_widget(ss, {"2203": "La Thiérache", "2209": "Abbeville"}, "fr")
    assert ss["w_compare"] == ["2203", "2209"]
    assert args["max_selections"] == 6 and args["format_func"]("2209") == "Abbeville (2209)"


def test_a_comparison_changed_from_the_map_redraws_the_sidebar_choice():
    """The comparison's choice is in the sidebar (a click, which reruns the map's part only,
    does not send its options again): a Shift+click or the profile's « Comparer » changes it
    from the map's part, and the whole page is drawn again so that the choice shows it."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert [m.key for m in at.sidebar.multiselect] == ["w_compare"]
    assert at.session_state["compare_drawn"] == []
    stale = {"w_compare": ["2203", "2209"], "compare_drawn": [], "w_level": "zone", "level_drawn": "zone"}
    assert s.sidebar_stale(stale) and not s.sidebar_stale({**stale, "compare_drawn": ["2203", "2209"]})
