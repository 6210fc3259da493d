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
from cartohdf.render._html import esc
from cartohdf.render._zones import (
    france_zones,
    region_shares,
    whole_zones,
    zone_points,
    zone_popup,
)

MAX_CIRCLE_PX = 30.0
CIRCLE_STYLE = {"color": "#08519c", "weight": 1, "fillColor": "#3182bd", "fillOpacity": 0.55}


def circle_radius(v: float, vmax: float) -> float:
    """Radius in pixels: the largest value gets MAX_CIRCLE_PX, areas proportional."""
    return round(MAX_CIRCLE_PX * math.sqrt(float(v) / vmax), 2)


def circle_layer(
    data: Dataset, zoning: str, zv: ZoneValues, lang: str, scope: str = "region"
) -> folium.FeatureGroup:
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
    markers = []
    for code, name, interregional in zip(
        zones["code"], zones["name"], zones["interregional"], strict=True
    ):
        v = zv.values.get(code, np.nan)
        if pd.isna(v) or vmax <= 0:
            continue
        lat, lng = points[code]
        markers.append({
            "lat": lat, "lng": lng,
            "style": {**CIRCLE_STYLE, "radius": circle_radius(v, vmax), "className": f"cartohdf-circle circle-{code}"},
            "tooltip": f"<b>{esc(name)}</b><br>{esc(value(v, 'count', lang))} {esc(zv.indicator.unit(lang))}",
            "popup": zone_popup(code, name, bool(interregional), zv, lang, shares.get(code)),
            "props": {"code": code},  # a click selects the zone, as one on its shape
        })  # fmt: skip
    group = layer_group("circles", t("circles_layer", lang), control=False)
    DataLayer("addMarkers", {"markers": markers}, layer="circles").add_to(group)
    return group
