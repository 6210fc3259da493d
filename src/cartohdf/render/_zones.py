"""The zones: choropleth (or neutral shapes under circles), their popups, the selected zone."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from cartohdf.core import INTERREGIONAL, memo, percent, t, value
from cartohdf.data import Dataset
from cartohdf.indicators import Classes, ZoneValues
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._html import esc, popup
from cartohdf.render._topo import build_topology
from cartohdf.render._words import reference_label, year_label

SELECTED_STYLE = {"color": "#000000", "weight": 4.5}
ZONE_STYLE = {"color": "#4d4d4d", "weight": 0.8, "fillOpacity": 0.85}
HIGHLIGHT = {"weight": 3, "color": "#000"}


def label_points(zones: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    """A point inside each zone, (lat, lng), computed in Lambert-93 for stability."""
    pts = zones.to_crs(2154).geometry.representative_point().to_crs(4326)
    return {
        code: (round(p.y, 5), round(p.x, 5)) for code, p in zip(zones["code"], pts, strict=True)
    }


def zone_points(
    data: Dataset, zoning: str, scope: str = "region"
) -> dict[str, tuple[float, float]]:
    """`label_points` of a dataset's zones (the région's, or France's), computed once."""
    key = zoning if scope == "region" else f"france:{zoning}"
    zones = data.zones[zoning] if scope == "region" else data.france_zones[zoning]
    return memo.remember(data, ("zone_points", key), lambda: label_points(zones))


def region_shares(data: Dataset, zoning: str) -> dict[str, float]:
    """Inter-regional zones: the share of the whole zone's area inside the région."""
    rows = whole_zones(data, zoning)
    return dict(zip(rows["code"], rows["share_in_region"].astype(float), strict=True))


def whole_zones(data: Dataset, zoning: str) -> pd.DataFrame:
    """The inter-regional zones of a zoning: share in the région, whole zone's inside point
    (none in a dataset built without them)."""
    table = data.interregional
    if table is None or "zoning" not in table.columns:
        return pd.DataFrame(columns=["code", "share_in_region", "lat", "lon"])
    return table[table["zoning"] == zoning]


def whole_zone_note(share: float | None, lang: str) -> str:
    """What the map shows of an inter-regional zone, and which part of it is in the région."""
    if share is None:
        return t("interregional_note", lang)
    return t("interregional_whole", lang, share=percent(share, 0, lang))


def zone_popup(
    code: str, name: str, interregional: bool, zv: ZoneValues, lang: str,
    share: float | None = None,
) -> str:  # fmt: skip
    """Value, rank, regional and national references of one zone (and, for an inter-regional
    zone, that the figures are the whole zone's, and its part in the région)."""
    kind = zv.indicator.kind
    rank = zv.ranks.get(code)
    rows = [
        (esc(f"{zv.indicator.label(lang)} ({year_label(zv, lang)})"),
         esc(value(zv.values.get(code, np.nan), kind, lang))),
        (esc(t("rank", lang)),
         esc(t("rank_of", lang, rank=int(rank), n=zv.n_ranked)) if rank is not None else "—"),
        (esc(t("region_ref", lang, n=zv.n_regional)), esc(value(zv.region, kind, lang))),
        (esc(reference_label(zv.source, lang)), esc(value(zv.reference, kind, lang))),
    ]  # fmt: skip
    notes = [whole_zone_note(share, lang)] if interregional else []
    return popup(f"{name} ({code})", rows, notes)


def polygon_payload(
    zones: gpd.GeoDataFrame,
    styles: dict[str, dict[str, Any]],
    tooltips: dict[str, str],
    popups: dict[str, str],
    highlight: dict[str, Any] | None,
    key: str = "code",
    keyboard: dict[str, tuple[str, tuple[float, float]]] | None = None,
) -> dict[str, Any]:
    """The compact payload `cartohdf.addPolygons` draws (shared arcs, escaped texts).

    `keyboard`: code -> (accessible name, inside point) of shapes reachable with Tab, which
    Enter selects as a click at that point would."""
    topo = build_topology(list(zones.geometry))
    features = []
    for i, code in enumerate(zones[key]):
        feat: dict[str, Any] = {
            "shape": topo.shapes[i],
            "style": styles[code],
            "props": {"code": code},
        }
        if keyboard and code in keyboard:
            feat["props"]["name"], feat["props"]["at"] = keyboard[code]
        if code in tooltips:
            feat["tooltip"] = tooltips[code]
        if code in popups:
            feat["popup"] = popups[code]
        features.append(feat)
    return {"arcs": topo.arcs, "features": features, "highlight": highlight}


def france_zones(data: Dataset, zoning: str) -> gpd.GeoDataFrame:
    """Every metropolitan zone of a zoning, with the `interregional` flag the layers read."""
    zones = data.france_zones[zoning]
    return zones.assign(interregional=zones["region"] == INTERREGIONAL)


def zone_layer(
    data: Dataset, zoning: str, zv: ZoneValues, classes: Classes | None, lang: str,
    scope: str = "region", selection: Pane | None = None,
) -> folium.FeatureGroup:  # fmt: skip
    """Choropleth (or neutral zones under proportional circles) with tooltip, highlight, popup:
    the région's zones, or every zone of France (`scope`). With `selection` (the selected
    zone's pane), a click on a zone of the région outlines it at once in the app."""
    zones = data.zones[zoning] if scope == "region" else france_zones(data, zoning)
    shares = region_shares(data, zoning)
    styles, tooltips, popups = {}, {}, {}
    for code, name, interregional in zip(
        zones["code"], zones["name"], zones["interregional"], strict=True
    ):
        fill = classes.color_of(code) if classes is not None else "#ffffff"
        styles[code] = {**ZONE_STYLE, "fillColor": fill, "className": f"cartohdf-zone zone-{code}"}
        shown = value(zv.values.get(code, np.nan), zv.indicator.kind, lang)
        tooltips[code] = f"<b>{esc(name)}</b><br>{esc(shown)}"
        popups[code] = zone_popup(code, name, bool(interregional), zv, lang, shares.get(code))
    points = zone_points(data, zoning, scope)
    keyboard = {
        code: (t("zone_button", lang, name=name, code=code), points[code])
        for code, name in zip(zones["code"], zones["name"], strict=True)
    }
    payload = polygon_payload(zones, styles, tooltips, popups, HIGHLIGHT, keyboard=keyboard)
    if selection is not None:  # the région's zones can be selected (not the rest of France)
        payload["select"] = selection_spec(selection)
        regional = set(data.zones[zoning]["code"])
        for feat in payload["features"]:
            if feat["props"]["code"] in regional:
                feat["props"]["pick"] = 1
    group = layer_group("zones", t("zones_layer", lang), control=False)
    DataLayer("addPolygons", payload, layer="zones").add_to(group)
    return group


SELECTED_OUTLINE = {**SELECTED_STYLE, "fill": False, "interactive": False,
                    "className": "cartohdf-selected"}  # fmt: skip


def selection_spec(pane: Pane) -> dict[str, Any]:
    """How a selected zone is outlined, for the app's map to draw it at the click itself
    (the same style and pane as `selection_layer`)."""
    return {"style": SELECTED_OUTLINE, "pane": {"name": pane.name, "z": pane.z}}


def selection_layer(
    data: Dataset, zoning: str, selected: str, lang: str, pane: Pane
) -> folium.FeatureGroup:
    """A thick outline over the selected zone (not interactive: clicks reach the zone below)."""
    zones = data.zones[zoning]
    zone = zones[zones["code"] == selected]
    style = SELECTED_OUTLINE
    group = layer_group("selection", t("selected", lang), control=False)
    DataLayer("addPolygons", polygon_payload(zone, {selected: style}, {}, {}, None),
              layer="selection", pane=pane).add_to(group)  # fmt: skip
    return group


OUTSIDE_STYLE = {"color": "#4d4d4d", "weight": 0.8, "dashArray": "4 3", "fillOpacity": 0.35}


def outside_layer(
    data: Dataset, zoning: str, zv: ZoneValues, classes: Classes | None, lang: str
) -> folium.FeatureGroup | None:
    """The parts of the inter-regional zones outside the région, lighter and dashed, in their
    class colour: every figure is drawn on the whole polygon it describes. None when the
    zoning has none."""
    outside = data.outside_zones.get(zoning) if data.outside_zones else None
    if outside is None or outside.empty:
        return None
    shares = region_shares(data, zoning)
    styles, tooltips = {}, {}
    for code, name in zip(outside["code"], outside["name"], strict=True):
        fill = classes.color_of(code) if classes is not None else "#ffffff"
        styles[code] = {
            **OUTSIDE_STYLE,
            "fillColor": fill,
            "className": f"cartohdf-outside outside-{code}",
        }
        shown = value(zv.values.get(code, np.nan), zv.indicator.kind, lang)
        tooltips[code] = (f"<b>{esc(name)}</b><br>{esc(shown)}<br>"
                          f"{esc(t('outside_part', lang, share=percent(1 - shares.get(code, 0.0), 0, lang)))}")  # fmt: skip
    group = layer_group("outside", t("outside_layer", lang), control=False)
    DataLayer("addPolygons", polygon_payload(outside, styles, tooltips, {}, None),
              layer="outside").add_to(group)  # fmt: skip
    return group


def region_outline(data: Dataset, lang: str) -> folium.FeatureGroup:
    """The région's outline, thick and not interactive (over the zones of France)."""
    styles = {c: {"color": "#000000", "weight": 2.5, "fill": False, "interactive": False}
              for c in data.region["code"]}  # fmt: skip
    group = layer_group("region_outline", t("region_outline", lang), control=False)
    DataLayer("addPolygons", polygon_payload(data.region, styles, {}, {}, None),
              layer="region_outline").add_to(group)  # fmt: skip
    return group
