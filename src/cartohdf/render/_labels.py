"""Zone names, drawn by us (readable with no basemap)."""

from __future__ import annotations

import folium

from cartohdf.core import t
from cartohdf.data import Dataset
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._html import esc
from cartohdf.render._zones import zone_points
from cartohdf.view import Label


def zone_labels(data: Dataset, zoning: str) -> tuple[Label, ...]:
    """One name per zone of the région, on its inside point."""
    zones = data.zones[zoning]
    points = zone_points(data, zoning)
    return tuple(Label(str(c), str(n), points[c])
                 for c, n in zip(zones["code"], zones["name"], strict=True))  # fmt: skip


def label_layer(labels: tuple[Label, ...], lang: str, show: bool,
                pane: Pane) -> folium.FeatureGroup:  # fmt: skip
    """One label per zone, on its inside point (markers: above every pane of shapes)."""
    markers = [
        {"lat": lb.at[0], "lng": lb.at[1], "label": f"<span>{esc(lb.text)}</span>",
         "className": "cartohdf-label"}
        for lb in labels
    ]  # fmt: skip
    group = layer_group("labels", t("labels_layer", lang), show=show)
    DataLayer("addMarkers", {"markers": markers}, layer="labels", pane=pane).add_to(group)
    return group
