"""Territoires d'industrie of one programme: dashed outlines with names and member EPCIs."""

from __future__ import annotations

import folium

from cartohdf.core import t
from cartohdf.data import Dataset
from cartohdf.render._elements import Pane
from cartohdf.render._zones import areas_layer, shapes_of
from cartohdf.view import Area, Areas, Card, Line

TI_COLORS = {"2018": "#7b3294", "2023": "#008837"}
TI_WEIGHT, TI_DASH, TI_FILL_OPACITY = 2.2, "5 4", 0.06
TI_HIGHLIGHT = Line("", 3.5)  # thicker, in its own colour


def territoire_areas(data: Dataset, programme: str, lang: str) -> Areas:
    """One programme's territories, tinted in its colour, with their member EPCIs."""
    layer_id = f"ti{programme}"
    ti = data.territoires[programme]
    color = TI_COLORS[programme]
    name = t(f"{layer_id}_layer", lang)
    areas = []
    for _, r in ti.iterrows():
        members = ", ".join(str(m) for m in r["epci_names"])
        card = Card(str(r["name"]), ((t("programme", lang), name), (t("members", lang), members)))
        areas.append(Area(str(r["id"]), color, str(r["name"]), tip=(str(r["name"]), name),
                          card=card))  # fmt: skip
    return Areas(layer_id, shapes_of(ti), tuple(areas), Line(color, TI_WEIGHT, TI_DASH),
                 TI_FILL_OPACITY, TI_HIGHLIGHT)  # fmt: skip


def territoire_layer(areas: Areas, lang: str, show: bool, pane: Pane) -> folium.FeatureGroup:
    """One programme's layer (in the layer control)."""
    return areas_layer(areas, t(f"{areas.layer}_layer", lang), pane, control=True, show=show)
