"""What the app's own map component is given: the view's map page, built once per view and
kept in the browser, and the small view a click or a tick changes.

The page is the plan's folium map — base, then every layer of the view, hidden ones included
(the layer panel shows one at once) — as the HTML download builds it, but for three things:
its scripts are served by the app instead of inlined, it has no Leaflet layer control (the
app has its own panel), and the selection, framing and shown layers come from the view
(`view_message`) instead of being written in it. So one page serves every zone and every
combination of layers of a view, and a click sends a few hundred bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import json
from dataclasses import replace
from typing import Any

from cartohdf.compose import Plan, plan
from cartohdf.export import map_document
from cartohdf.render import ScriptElement, assign_stable_ids, safe_json
from cartohdf.state import MapState


class HostReady(ScriptElement):
    """The page's last script: tells the app's map component that the map is drawn."""

    def script_text(self) -> str:
        return f"cartohdf.host({self.parent_name()});"

    def __init__(self) -> None:
        super().__init__()
        self._name = "HostReady"


def page_state(state: MapState) -> MapState:
    """The state a view's page is built from: the view without its zone, layers and
    compared zones (those come with each answer, in the view message)."""
    return replace(state, zone=None, layers=frozenset(), compare=())


def app_page(state: MapState, data: Any, day: dt.date, script_urls: list[str]) -> str:
    """The map page of a view (`state` as `page_state` gives it): every overlay but the
    selection, each hidden until the view shows it (the theme is always shown)."""
    view = plan(page_state(state), data)
    m = view.base(day, script_urls)
    for overlay in view.overlays:
        if overlay.id != "selection":
            overlay.build().add_to(m)
    HostReady().add_to(m)
    assign_stable_ids(m.get_root())
    return map_document(m.get_root().render(), view)


def view_message(view: Plan) -> dict[str, Any]:
    """What the map is told of a view: the zone ("" for none), the zones compared (outlined
    by the page itself), the layers shown among every layer of the page, the frame."""
    every = [layer for layer in view.view.overlays if layer not in ("selection", "compared")]
    return {
        "zone": view.state.zone or "",
        "compare": list(view.state.compare),
        "shown": [layer for layer in view.view.layers if layer in every],
        "all": every,
        "bounds": [list(view.view.bounds[0]), list(view.view.bounds[1])],
        "margin": view.view.margin_px,
    }


def packed(value: Any) -> tuple[str, str]:
    """A payload for the component's store: its key (a digest of its content) and its JSON,
    gzipped with no time stamp (the same payload, the same bytes: Streamlit then sends a
    reference instead of the payload to a browser that holds it) and in base64."""
    text = safe_json(value).encode("utf-8")
    key = hashlib.sha256(text).hexdigest()[:20]
    return key, base64.b64encode(gzip.compress(text, compresslevel=9, mtime=0)).decode("ascii")


def unpacked(payload: str) -> Any:
    """The value of a packed payload (what the browser's store reads)."""
    return json.loads(gzip.decompress(base64.b64decode(payload)).decode("utf-8"))
