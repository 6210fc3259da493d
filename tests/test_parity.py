"""What you download is what you saw: the app's map and the exported file draw the same layers,
in the same order, with the same framing (both come from `compose.plan`)."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from cartohdf.core import LAYERS, paths
from cartohdf.state import MapState
from tests.conftest import app_map, export_html

APP = str(paths.ROOT / "streamlit_app.py")
CALL = re.compile(r"cartohdf\.(\w+)\((feature_group_\w+), (\{.*\})\);\s*$")
ADDED = re.compile(r"(feature_group_\w+)\.addTo\(\w+\)|\w+\.addLayer\((feature_group_\w+)\)")


def drawn(*scripts: str) -> tuple[list[str], dict | None]:
    """The layers a page leaves on its map, in order, and the view it frames. The view takes
    off the map the layers it does not show (the app's map is given all of them)."""
    layers_of: dict[str, list[str]] = {}  # a group may hold several (the theme: zones, circles)
    order: list[str] = []
    view = None
    hidden: set[str] = set()
    for script in scripts:
        for line in script.splitlines():
            if m := CALL.match(line.strip()):
                fn, group, payload = m.groups()
                body = json.loads(payload)
                if fn == "fitView":
                    layers_of.setdefault(group, []).append("view")
                    view = body
                elif fn == "showOnly":
                    hidden = set(body["all"]) - set(body["shown"])
                elif "layer" in body:
                    layers_of.setdefault(group, []).append(body["layer"])
            for a, b in ADDED.findall(line):
                if (a or b) not in order:  # adding a layer twice draws it once
                    order.append(a or b)
    return [layer for g in order for layer in layers_of.get(g, []) if layer not in hidden], view


def app_drawn(state: MapState) -> tuple[list[str], dict | None]:
    """What the app's map shows: its page's layers (every layer of the view, hidden ones
    included, none added but the theme) less those its view does not show, the selected
    zone's outline (drawn by the page in the selection's pane, at its place in the drawing
    order), and the view's frame."""
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in state.to_query().items():
        at.query_params[k] = v
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    page, view = app_map(at)
    assert "showOnly" not in page and "fitView" not in page and "L.control.layers" not in page
    layers = [json.loads(m.group(3)) for m in map(CALL.match, map(str.strip, page.splitlines())) if m]
    hidden = set(view["all"]) - set(view["shown"])
    drawn_ = [body["layer"] for body in layers if "layer" in body and body["layer"] not in hidden]
    if view["zone"]:
        pane = next(b["select"]["pane"]["z"] for b in layers if b.get("layer") == "zones")
        z = {b["layer"]: b["pane"]["z"] for b in layers if "pane" in b}
        drawn_.insert(next((i for i, x in enumerate(drawn_) if z.get(x, 0) > pane), len(drawn_)), "selection")
    frame = {"bounds": view["bounds"], "margin": view["margin"], "zone": view["zone"]}
    return [*drawn_, "view"], frame


states = st.builds(
    MapState,
    zoning=st.just("ze2010"),
    indicator=st.sampled_from(["industrial_share", "industrial_jobs", "industrial_change", "specialisation"]),
    layers=st.frozensets(st.sampled_from(LAYERS)),
    zone=st.one_of(st.none(), st.sampled_from(["2203", "0055", "3111", "2209", "3123"])),
    lang=st.sampled_from(["fr", "en"]),
) | st.builds(
    MapState,
    zoning=st.just("ze2020"),
    indicator=st.sampled_from(["industrial_share", "specialisation_ch", "industrial_jobs", "sector_jobs_cl",
                               "sector_change_ch", "sector_share_cg"]),
    layers=st.frozensets(st.sampled_from(LAYERS)),
    zone=st.one_of(st.none(), st.sampled_from(["3216", "3205", "0058"])),
    lang=st.sampled_from(["fr", "en"]),
)  # fmt: skip


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(states)
def test_the_app_draws_what_the_export_draws(data, state):
    app_layers, app_view = app_drawn(state)
    export_layers, export_view = drawn(export_html(state, data))
    assert app_layers == export_layers
    assert app_view == export_view is not None
    # and it is the view asked for: zones first, the layers shown, the view last
    assert app_layers[0] == "zones" and app_layers[-1] == "view"
    shown = {x for x in app_layers if x not in ("zones", "outside", "circles", "view", "selection")}
    assert shown == set(state.layers)
    assert ("selection" in app_layers) == (state.zone is not None)


def test_the_selected_zone_is_drawn_above_the_outlines(data):
    state = MapState(zone="2203", layers=frozenset({"departements", "ti2018", "ti2023", "labels"}))
    layers, _ = drawn(export_html(state, data))
    assert layers.index("selection") > max(
        layers.index(x) for x in ("departements", "ti2018", "ti2023")
    )
    assert app_drawn(state)[0] == layers
