"""The map of France: every metropolitan zone, classes among all of them, the région outlined;
the same state in links, flags and the app."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from cartohdf.compose import plan
from cartohdf.core import StateError, paths
from cartohdf.indicators import national_set
from cartohdf.state import MapState, from_query
from tests.conftest import DAY, app_map, export_html

APP = str(paths.ROOT / "streamlit_app.py")


def _polygons(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r"cartohdf\.addPolygons\(\w+, (\{.*\})\);", html)]


@pytest.mark.parametrize(("zoning", "n"), [("ze2010", 304), ("ze2020", 287)])
def test_the_map_of_france_draws_every_zone_with_national_classes(data, zoning, n):
    state = MapState(zoning=zoning, scope="france")
    p = plan(state, data)
    html = export_html(state, data)
    zones = next(pl for pl in _polygons(html) if pl["layer"] == "zones")
    assert len(zones["features"]) == n
    assert {f["props"]["code"] for f in zones["features"]} == set(data.france_zones[zoning]["code"])
    # classes among France's zones: the last bound is France's maximum, not the région's
    values = national_set(data, zoning).values("industrial_share", p.state.year)
    assert p.classes.bins[-1] == pytest.approx(float(np.nanmax(values)))
    assert len(p.classes.zone_class) == n
    assert any(pl["layer"] == "region_outline" for pl in _polygons(html))
    assert "France métropolitaine, Hauts-de-France en gras" in html
    assert "labels" not in {o.id for o in p.shown}  # 28 names on France: noise
    # a région zone keeps its rank among France's zones in its popup
    thierache = next(
        f
        for f in zones["features"]
        if f["props"]["code"] == ("2203" if zoning == "ze2010" else "3205")
    )
    assert f"sur {n} zones" in thierache["popup"]


def test_scope_is_in_links_and_flags_and_refuses_own_data():
    state = from_query({"scope": "france", "zone": "2203"})
    assert state.scope == "france" and state.to_query() == {"zone": "2203", "scope": "france"}
    assert "--scope" in state.to_cli_args()
    with pytest.raises(StateError, match="données intégrées"):
        MapState(scope="france", upload="0123456789abcdef", indicator="user")
    with pytest.raises(StateError, match="scope"):
        from_query({"scope": "monde"})


def test_the_cli_exports_the_map_of_france(tmp_path, data):
    from cartohdf.front.cli import main

    out = tmp_path / "france.html"
    result = CliRunner().invoke(main, ["export", "--scope", "france", "--out", str(out), "--date", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == export_html(MapState(scope="france"), data)


def test_the_app_opens_a_link_to_the_map_of_france():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["scope"] = "france"
    at.run()
    assert not at.exception and not at.error
    assert at.radio(key="w_scope").value == "france"
    page, _ = app_map(at)
    zones = next(pl for pl in _polygons(page) if pl["layer"] == "zones")
    assert len(zones["features"]) == 304
    at.radio(key="w_scope").set_value("region").run()
    assert "scope" not in at.query_params


def test_a_click_outside_the_region_says_why_no_profile_opens(data):
    from cartohdf.front.app import outside_zone_text

    text = outside_zone_text(data, "ze2010", "5203", "fr")
    assert text is not None and "Nantes" in text and "Pays de la Loire" in text
    assert "hors des Hauts-de-France" in text
    france = data.france_zones["ze2020"]
    nantes = france[france["name"] == "Nantes"]["code"].iloc[0]
    assert "is outside Hauts-de-France" in outside_zone_text(data, "ze2020", nantes, "en")
    assert outside_zone_text(data, "ze2010", "3111", "fr") is None  # a zone of the région: selected
    for crafted in (None, "", "9999", "../5203", 5203, ["5203"]):
        assert outside_zone_text(data, "ze2010", crafted, "fr") is None


def test_the_app_shows_what_a_click_outside_the_region_means():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["scope"] = "france"
    at.session_state["outside_click"] = "Nantes (5207) (Pays de la Loire) est hors des Hauts-de-France"
    at.run()
    assert any("hors des Hauts-de-France" in i.value.replace("\\", "") for i in at.info)
    at.radio(key="w_scope").set_value("region").run()
    assert not any("hors des Hauts-de-France" in i.value.replace("\\", "") for i in at.info)
