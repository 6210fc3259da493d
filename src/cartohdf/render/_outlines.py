"""Départements (thin) and région (thick) outlines, not interactive."""

from __future__ import annotations

import folium

from cartohdf.core import t
from cartohdf.data import Dataset
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._zones import polygon_payload

OUTLINE_COLOR = "#252525"
DEP_WEIGHT, REGION_WEIGHT = 1.6, 2.6


def outline_layer(data: Dataset, lang: str, show: bool, pane: Pane) -> folium.FeatureGroup:
    """Both outlines in one layer."""
    group = layer_group("departements", t("departements_layer", lang), show=show)
    for frame, weight in ((data.departements, DEP_WEIGHT), (data.region, REGION_WEIGHT)):
        styles = {
            c: {"color": OUTLINE_COLOR, "weight": weight, "fill": False, "interactive": False}
            for c in frame["code"]
        }
        DataLayer("addPolygons", polygon_payload(frame, styles, {}, {}, None),
                  layer="departements", pane=pane).add_to(group)  # fmt: skip
    return group
