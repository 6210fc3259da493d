"""Proportional circles for counts (industrial jobs): area proportional to the value."""

from __future__ import annotations

import math

import folium
import numpy as np
import pandas as pd

from cartohdf.core import t, value
from cartohdf.data import Dataset
from cartohdf.indicators import ZoneValues
from cartohdf.render._elements import DataLayer, layer_group
from cartohdf.render._html import card_html, tip_html
from cartohdf.render._zones import (
    france_zones,
    leaflet_style,
    region_shares,
    whole_zones,
    zone_card,
    zone_points,
)
from cartohdf.view import Disc, Discs, Line

MAX_CIRCLE_PX = 30.0
CIRCLE_LINE, CIRCLE_FILL, CIRCLE_FILL_OPACITY = Line("#08519c", 1), "#3182bd", 0.55


def circle_radius(v: float, vmax: float) -> float:
    """Radius in pixels: the largest value gets MAX_CIRCLE_PX, areas proportional."""
    return round(MAX_CIRCLE_PX * math.sqrt(float(v) / vmax), 2)


def circle_discs(
    data: Dataset, zoning: str, zv: ZoneValues, lang: str, scope: str = "region"
) -> Discs:
    """One circle per zone with a value, on the zone's inside point (an inter-regional zone's
    circle stands for the whole zone: on the whole zone's inside point)."""
    zones = data.zones[zoning] if scope == "region" else france_zones(data, zoning)
    points = dict(zone_points(data, zoning, scope))
    rows = whole_zones(data, zoning)
    if scope == "france":  # France's zones are whole already: their own inside points
        rows = rows.iloc[0:0]
    points.update({c: (round(float(la), 5), round(float(lo), 5))
                   for c, la, lo in zip(rows["code"], rows["lat"], rows["lon"], strict=True)})  # fmt: skip
    shares = region_shares(data, zoning)
    vmax = float(zv.values.max())
    discs = []
    for code, name, interregional in zip(
        zones["code"], zones["name"], zones["interregional"], strict=True
    ):
        v = zv.values.get(code, np.nan)
        if pd.isna(v) or vmax <= 0:
            continue
        tip = (str(name), f"{value(v, 'count', lang)} {zv.indicator.unit(lang)}")
        card = zone_card(code, name, bool(interregional), zv, lang, shares.get(code))
        discs.append(Disc(points[code], circle_radius(v, vmax), code, tip, card))
    return Discs("circles", tuple(discs), CIRCLE_LINE, CIRCLE_FILL, CIRCLE_FILL_OPACITY)


def disc_markers(discs: Discs, class_name: str, cls: str = "") -> list[dict[str, object]]:
    """The markers `cartohdf.addMarkers` draws for round symbols (`class_name` may name the
    disc's zone as ``{code}``; `cls`: the marker's own class)."""
    markers = []
    for d in discs.discs:
        style = {**leaflet_style(discs.line, discs.fill, discs.fill_opacity,
                                 class_name.format(code=d.code)), "radius": d.radius}  # fmt: skip
        marker: dict[str, object] = {"lat": d.at[0], "lng": d.at[1], "style": style}
        if d.tip:
            marker["tooltip"] = tip_html(d.tip)
        if d.card is not None:
            marker["popup"] = card_html(d.card)
        if d.code:
            marker["props"] = {"code": d.code}  # a click selects the zone, as one on its shape
        if cls:
            marker["cls"] = cls
        markers.append(marker)
    return markers


def circle_layer(circles: Discs, lang: str) -> folium.FeatureGroup:
    """The proportional circles, over the zones."""
    markers = disc_markers(circles, "cartohdf-circle circle-{code}")
    group = layer_group("circles", t("circles_layer", lang), control=False)
    DataLayer("addMarkers", {"markers": markers}, layer="circles").add_to(group)
    return group
