"""Territoires d'industrie of one programme: dashed outlines with names and member EPCIs."""

from __future__ import annotations

import folium

from cartohdf.core import t
from cartohdf.data import Dataset
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._html import esc, popup
from cartohdf.render._zones import polygon_payload

TI_COLORS = {"2018": "#7b3294", "2023": "#008837"}
TI_STYLE = {"weight": 2.2, "dashArray": "5 4", "fillOpacity": 0.06}


def territoire_layer(
    data: Dataset, programme: str, lang: str, show: bool, pane: Pane
) -> folium.FeatureGroup:
    """One programme's territories."""
    layer_id = f"ti{programme}"
    ti = data.territoires[programme].rename(columns={"id": "code"})
    color = TI_COLORS[programme]
    name = t(f"{layer_id}_layer", lang)
    styles, tips, pops = {}, {}, {}
    for _, r in ti.iterrows():
        code = r["code"]
        styles[code] = {
            **TI_STYLE,
            "color": color,
            "fillColor": color,
            "className": f"cartohdf-{layer_id}",
        }
        tips[code] = f"<b>{esc(r['name'])}</b><br>{esc(name)}"
        members = ", ".join(str(m) for m in r["epci_names"])
        pops[code] = popup(str(r["name"]), [(esc(t("programme", lang)), esc(name)),
                                            (esc(t("members", lang)), esc(members))])  # fmt: skip
    group = layer_group(layer_id, name, show=show)
    DataLayer("addPolygons", polygon_payload(ti, styles, tips, pops, {"weight": 3.5}),
              layer=layer_id, pane=pane).add_to(group)  # fmt: skip
    return group
