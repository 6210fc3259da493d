"""Zone names, drawn by us (readable with no basemap)."""

from __future__ import annotations

import folium

from cartohdf.core import t
from cartohdf.data import Dataset
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._html import esc
from cartohdf.render._zones import zone_points


def label_layer(
    data: Dataset, zoning: str, lang: str, show: bool, pane: Pane
) -> folium.FeatureGroup:
    """One label per zone, on its inside point (markers: above every pane of shapes)."""
    zones = data.zones[zoning]
    points = zone_points(data, zoning)
    markers = [
        {"lat": points[c][0], "lng": points[c][1], "label": f"<span>{esc(n)}</span>",
         "className": "cartohdf-label"}
        for c, n in zip(zones["code"], zones["name"], strict=True)
    ]  # fmt: skip
    group = layer_group("labels", t("labels_layer", lang), show=show)
    DataLayer("addMarkers", {"markers": markers}, layer="labels", pane=pane).add_to(group)
    return group
