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
from cartohdf.render._html import card_html, tip_html
from cartohdf.render._topo import build_topology
from cartohdf.render._words import reference_label, year_label
from cartohdf.view import Area, Areas, Card, Line, Shapes

ZONE_LINE, ZONE_FILL_OPACITY = Line("#4d4d4d", 0.8), 0.85
HIGHLIGHT = Line("#000", 3)
SELECTED_LINE = Line("#000000", 4.5)
OUTSIDE_LINE, OUTSIDE_FILL_OPACITY = Line("#4d4d4d", 0.8, "4 3"), 0.35
REGION_LINE = Line("#000000", 2.5)
CIRCLES_FILL = "#ffffff"  # zones under proportional circles: no class, a neutral fill
# the class names cartohdf.css and cartohdf.js know a layer's shapes by
CLASS_NAMES = {"zones": "cartohdf-zone zone-{code}", "outside": "cartohdf-outside outside-{code}",
               "selection": "cartohdf-selected", "ti2018": "cartohdf-ti2018",
               "ti2023": "cartohdf-ti2023", "compared": "cartohdf-compared"}  # fmt: skip


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


def zone_card(
    code: str, name: str, interregional: bool, zv: ZoneValues, lang: str,
    share: float | None = None,
) -> Card:  # fmt: skip
    """Value, rank, regional and national references of one zone (and, for an inter-regional
    zone, that the figures are the whole zone's, and its part in the région)."""
    kind = zv.indicator.kind
    rank = zv.ranks.get(code)
    rows = (
        (f"{zv.indicator.label(lang)} ({year_label(zv, lang)})",
         value(zv.values.get(code, np.nan), kind, lang)),
        (t("rank", lang),
         t("rank_of", lang, rank=int(rank), n=zv.n_ranked) if rank is not None else "—"),
        (t("region_ref", lang, n=zv.n_regional), value(zv.region, kind, lang)),
        (reference_label(zv.source, lang), value(zv.reference, kind, lang)),
    )  # fmt: skip
    notes = (whole_zone_note(share, lang),) if interregional else ()
    return Card(f"{name} ({code})", rows, notes)


def shapes_of(frame: gpd.GeoDataFrame) -> Shapes:
    """A frame's polygons as shared arcs (EPSG:4326), in its row order."""
    topo = build_topology(list(frame.geometry))
    return Shapes(
        tuple(topo.arcs),
        tuple(tuple(tuple(tuple(ring) for ring in poly) for poly in shape) for shape in topo.shapes),
    )


def france_zones(data: Dataset, zoning: str) -> gpd.GeoDataFrame:
    """Every metropolitan zone of a zoning, with the `interregional` flag the layers read."""
    zones = data.france_zones[zoning]
    return zones.assign(interregional=zones["region"] == INTERREGIONAL)


def _figure(v: float) -> float | None:
    """A value as data: None for no value (JSON has no NaN)."""
    return None if pd.isna(v) else float(v)


def zone_areas(
    data: Dataset, zoning: str, zv: ZoneValues, classes: Classes | None, lang: str,
    scope: str = "region",
) -> Areas:  # fmt: skip
    """The zones as drawn: the région's, or every zone of France (`scope`), each with its
    value, class and fill (neutral under proportional circles), hover text and card; the
    région's can be selected."""
    zones = data.zones[zoning] if scope == "region" else france_zones(data, zoning)
    shares = region_shares(data, zoning)
    points = zone_points(data, zoning, scope)
    regional = set(data.zones[zoning]["code"])
    kind = zv.indicator.kind
    areas = []
    for code, name, interregional in zip(
        zones["code"], zones["name"], zones["interregional"], strict=True
    ):
        v = zv.values.get(code, np.nan)
        klass = classes.zone_class.get(code) if classes is not None else None
        areas.append(Area(
            code, classes.color_of(code) if classes is not None else CIRCLES_FILL, str(name),
            klass, _figure(v), (str(name), value(v, kind, lang)),
            zone_card(code, name, bool(interregional), zv, lang, shares.get(code)),
            points[code], code in regional,
        ))  # fmt: skip
    return Areas("zones", shapes_of(zones), tuple(areas), ZONE_LINE, ZONE_FILL_OPACITY, HIGHLIGHT)


def outside_areas(
    data: Dataset, zoning: str, zv: ZoneValues, classes: Classes | None, lang: str
) -> Areas | None:
    """The parts of the inter-regional zones outside the région, lighter and dashed, in their
    class colour: every figure is drawn on the whole polygon it describes. None when the
    zoning has none."""
    outside = data.outside_zones.get(zoning) if data.outside_zones else None
    if outside is None or outside.empty:
        return None
    shares = region_shares(data, zoning)
    kind = zv.indicator.kind
    areas = []
    for code, name in zip(outside["code"], outside["name"], strict=True):
        v = zv.values.get(code, np.nan)
        part = t("outside_part", lang, share=percent(1 - shares.get(code, 0.0), 0, lang))
        areas.append(Area(
            code, classes.color_of(code) if classes is not None else CIRCLES_FILL, str(name),
            classes.zone_class.get(code) if classes is not None else None, _figure(v),
            (str(name), value(v, kind, lang), part),
        ))  # fmt: skip
    return Areas("outside", shapes_of(outside), tuple(areas), OUTSIDE_LINE, OUTSIDE_FILL_OPACITY)


def region_areas(data: Dataset) -> Areas:
    """The région's outline, thick and not interactive (over the zones of France)."""
    codes = tuple(Area(str(c)) for c in data.region["code"])
    return Areas("region_outline", shapes_of(data.region), codes, REGION_LINE)


def selection_areas(data: Dataset, zoning: str, selected: str) -> Areas:
    """A thick outline over the selected zone (not interactive: clicks reach the zone below)."""
    zones = data.zones[zoning]
    zone = zones[zones["code"] == selected]
    return Areas("selection", shapes_of(zone), (Area(selected),), SELECTED_LINE)


COMPARED_LINE = Line("#7a0177", 3.5, "8 4")  # dashed purple: not the selection (black), a border or a link


def compared_areas(data: Dataset, zoning: str, codes: tuple[str, ...]) -> Areas:
    """A dashed outline over each compared zone, named (not interactive: clicks reach the
    zone below)."""
    zones = data.zones[zoning]
    chosen = zones[zones["code"].isin(codes)].sort_values("code")
    names = dict(zip(chosen["code"], chosen["name"], strict=True))
    areas = tuple(Area(c, name=names[c], tip=(f"{names[c]} ({c})",)) for c in sorted(codes))
    return Areas("compared", shapes_of(chosen), areas, COMPARED_LINE)


def compared_layer(compared: Areas, lang: str, pane: Pane) -> folium.FeatureGroup:
    """The compared zones' dashed outlines, with their names as hover text."""
    group = layer_group("compared", t("cmpz.layer", lang), control=False)
    DataLayer("addPolygons", polygon_payload(compared), layer="compared", pane=pane).add_to(group)
    return group


# -- folium ----------------------------------------------------------------------------------


def leaflet_style(line: Line, fill: str | None = None, fill_opacity: float | None = None,
                  class_name: str = "") -> dict[str, Any]:  # fmt: skip
    """Leaflet path options of a stroke and fill (no fill: an outline clicks pass through)."""
    style: dict[str, Any] = {"weight": line.weight}
    if line.color:
        style["color"] = line.color
    if line.dash:
        style["dashArray"] = line.dash
    if line.opacity != 1.0:
        style["opacity"] = line.opacity
    if fill is None:
        style.update(fill=False, interactive=False)
    else:
        style["fillColor"] = fill
        if fill_opacity is not None:
            style["fillOpacity"] = fill_opacity
    if class_name:
        style["className"] = class_name
    return style


SELECTED_OUTLINE = leaflet_style(SELECTED_LINE, class_name=CLASS_NAMES["selection"])


def polygon_payload(areas: Areas, lang: str = "", keyboard: bool = False) -> dict[str, Any]:
    """The compact payload `cartohdf.addPolygons` draws (shared arcs, escaped texts).

    `keyboard`: the shapes with an inside point are reachable with Tab, and Enter selects one
    as a click at that point would."""
    name = CLASS_NAMES.get(areas.layer, "")
    features = []
    for shape, a in zip(areas.shapes.shapes, areas.areas, strict=True):
        feat: dict[str, Any] = {
            "shape": shape,
            "style": leaflet_style(areas.line, a.fill, areas.fill_opacity,
                                   name.format(code=a.code)),
            "props": {"code": a.code},
        }  # fmt: skip
        if keyboard and a.at is not None:
            feat["props"]["name"] = t("zone_button", lang, name=a.name, code=a.code)
            feat["props"]["at"] = a.at
        if a.tip:
            feat["tooltip"] = tip_html(a.tip)
        if a.card is not None:
            feat["popup"] = card_html(a.card)
        features.append(feat)
    return {"arcs": list(areas.shapes.arcs), "features": features,
            "highlight": _highlight(areas.highlight)}  # fmt: skip


def _highlight(line: Line | None) -> dict[str, Any] | None:
    """The stroke under the pointer (its colour kept when the line names none)."""
    if line is None:
        return None
    return {"weight": line.weight, **({"color": line.color} if line.color else {})}


def zone_layer(zones: Areas, lang: str, selection: Pane | None = None) -> folium.FeatureGroup:
    """Choropleth (or neutral zones under proportional circles) with tooltip, highlight, popup.
    With `selection` (the selected zone's pane), a click on a zone of the région outlines it
    at once in the app."""
    payload = polygon_payload(zones, lang, keyboard=True)
    if selection is not None:  # the région's zones can be selected (not the rest of France)
        payload["select"] = selection_spec(selection)
        for feat, area in zip(payload["features"], zones.areas, strict=True):
            if area.pick:
                feat["props"]["pick"] = 1
    group = layer_group("zones", t("zones_layer", lang), control=False)
    DataLayer("addPolygons", payload, layer="zones").add_to(group)
    return group


def selection_spec(pane: Pane) -> dict[str, Any]:
    """How a selected zone is outlined, for the app's map to draw it at the click itself
    (the same style and pane as `selection_layer`); and a compared zone (`compared_layer`'s
    style), which the app's map draws from the view it is told."""
    return {"style": SELECTED_OUTLINE, "pane": {"name": pane.name, "z": pane.z},
            "compared": leaflet_style(COMPARED_LINE, class_name=CLASS_NAMES["compared"])}


def selection_layer(selection: Areas, lang: str, pane: Pane) -> folium.FeatureGroup:
    """A thick outline over the selected zone (not interactive: clicks reach the zone below)."""
    group = layer_group("selection", t("selected", lang), control=False)
    DataLayer("addPolygons", polygon_payload(selection),
              layer="selection", pane=pane).add_to(group)  # fmt: skip
    return group


def areas_layer(areas: Areas, name: str, pane: Pane | None = None,
                control: bool = False, show: bool = True) -> folium.FeatureGroup:  # fmt: skip
    """A layer of one set of polygons (the zones' outer parts, the région's outline)."""
    group = layer_group(areas.layer, name, show=show, control=control)
    DataLayer("addPolygons", polygon_payload(areas), layer=areas.layer, pane=pane).add_to(group)
    return group
