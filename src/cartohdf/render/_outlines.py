"""Départements (thin) and région (thick) outlines, not interactive."""

from __future__ import annotations

import folium

from cartohdf.core import t
from cartohdf.data import Dataset
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._zones import polygon_payload, shapes_of
from cartohdf.view import Area, Areas, Line

OUTLINE_COLOR = "#252525"
DEP_WEIGHT, REGION_WEIGHT = 1.6, 2.6


def outline_areas(data: Dataset) -> tuple[Areas, ...]:
    """The départements' outlines, then the région's (thicker)."""
    return tuple(
        Areas("departements", shapes_of(frame), tuple(Area(str(c)) for c in frame["code"]),
              Line(OUTLINE_COLOR, weight))
        for frame, weight in ((data.departements, DEP_WEIGHT), (data.region, REGION_WEIGHT))
    )  # fmt: skip


def outline_layer(outlines: tuple[Areas, ...], lang: str, show: bool,
                  pane: Pane) -> folium.FeatureGroup:  # fmt: skip
    """Both outlines in one layer."""
    group = layer_group("departements", t("departements_layer", lang), show=show)
    for areas in outlines:
        DataLayer("addPolygons", polygon_payload(areas), layer="departements",
                  pane=pane).add_to(group)  # fmt: skip
    return group
