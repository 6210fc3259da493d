"""Helpers of the Streamlit viewer that need no Streamlit: URL state, clicks, view, assets."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import shapely

from cartohdf import fmt
from cartohdf.dataset import Dataset
from cartohdf.elements import leaflet_assets, own_assets
from cartohdf.errors import CartohdfError
from cartohdf.indicators import IndicatorSet
from cartohdf.mapstate import LAYERS, MapState, from_query
from cartohdf.mapview import resolve

STATIC_URL = "app/static"  # Streamlit's static serving (server.enableStaticServing)


def state_from_url(
    params: Mapping[str, str | list[str]], data: Dataset
) -> tuple[MapState, str | None]:
    """The state a shared link asks for, or the defaults and a message saying what was wrong."""
    try:
        return resolve(from_query(params), data), None
    except CartohdfError as exc:
        return resolve(MapState(), data), str(exc)


def zone_at(data: Dataset, zoning: str, lat: float, lng: float) -> str | None:
    """Code of the zone containing a clicked point (the same simplified polygons as drawn)."""
    zones = data.zones[zoning]
    hits = zones[zones.geometry.intersects(shapely.Point(lng, lat))]
    return str(hits["code"].iloc[0]) if len(hits) else None


def view_for(
    fit: list[list[float]], width_px: int = 560, height_px: int = 700
) -> tuple[list[float], int]:
    """Centre and Web-Mercator zoom that show the bounds [[south, west], [north, east]]."""
    (south, west), (north, east) = fit
    centre = [round((south + north) / 2, 5), round((west + east) / 2, 5)]

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    x_frac = (east - west) / 360
    y_frac = (merc_y(north) - merc_y(south)) / (2 * math.pi)
    # the zone gets 70 % of the map: a margin, and room for the legend in the corner
    zoom = min(
        math.log2(0.7 * width_px / 256 / max(x_frac, 1e-9)),
        math.log2(0.7 * height_px / 256 / max(y_frac, 1e-9)),
    )
    return centre, max(5, min(12, int(zoom)))


def write_static_scripts(static_dir: Path) -> list[str]:
    """Write Leaflet and cartohdf.js where Streamlit serves static files; return their URLs.

    Leaflet comes from the installed `django-js-lib-leaflet` package; nothing is fetched.
    Files are rewritten only when their content changed.
    """
    static_dir.mkdir(parents=True, exist_ok=True)
    urls = []
    for name, text in (("leaflet.js", leaflet_assets()[0]), ("cartohdf.js", own_assets()[0])):
        path = static_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        urls.append(f"/{STATIC_URL}/{name}")
    return urls


def zone_fit(data: Dataset, zoning: str, code: str) -> list[list[float]]:
    """[[south, west], [north, east]] of one zone."""
    zones = data.zones[zoning]
    minx, miny, maxx, maxy = zones[zones["code"] == code].total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def md_escape(text: str) -> str:
    """Text from a user file, safe to show in Streamlit markdown (no links, no emphasis)."""
    return "".join("\\" + ch if ch in "\\`*_[]<>~|$" else ch for ch in text)


def controls_from_state(state: MapState, iset: IndicatorSet) -> dict[str, Any]:
    """The app's widget values (keys ``w_*``) that show a resolved state."""
    change = iset.get(state.indicator).kind == "change"
    controls: dict[str, Any] = {
        "w_lang": state.lang,
        "w_zoning": state.zoning,
        "w_indicator": state.indicator,
        "w_year": iset.years[-1] if change else state.year,
        "w_period": (state.base_year, state.year) if change else iset.default_change,
        "w_scheme": state.scheme,
        "w_k": state.k,
        "w_palette": state.palette,
        "w_basemap": state.basemap,
        "w_breaks": " ; ".join(fmt.stated(b, state.lang) for b in state.breaks),
        "w_zone": state.zone or "",
    }
    controls.update({f"w_{layer}": layer in state.layers for layer in LAYERS})
    return controls


def state_from_controls(
    controls: Mapping[str, Any], iset: IndicatorSet
) -> tuple[MapState, str | None]:
    """The state the widgets ask for, and a message if the typed class breaks were unusable."""
    kind = iset.get(controls["w_indicator"]).kind
    period = controls.get("w_period") or iset.default_change
    year, base = (period[1], period[0]) if kind == "change" else (controls.get("w_year"), None)
    params: dict[str, Any] = {
        "zoning": controls["w_zoning"], "indicator": controls["w_indicator"], "year": year,
        "base_year": base, "k": controls["w_k"], "palette": controls["w_palette"],
        "layers": frozenset(layer for layer in LAYERS if controls.get(f"w_{layer}")),
        "zone": controls.get("w_zone") or None, "basemap": controls["w_basemap"], "lang": controls["w_lang"],
    }  # fmt: skip
    if controls["w_scheme"] != "user":
        return MapState(scheme=controls["w_scheme"], **params), None
    try:
        text = str(controls.get("w_breaks") or "")
        breaks = tuple(
            float(b.strip().replace(" ", "").replace(",", "."))
            for b in text.split(";")
            if b.strip()
        )
        return MapState(scheme="user", breaks=breaks, **params), None
    except (ValueError, CartohdfError) as exc:
        return MapState(scheme="quantiles", **params), str(exc)
