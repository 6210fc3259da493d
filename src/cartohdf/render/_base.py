"""The map frame (Leaflet map, offline, basemap tiles, sources) and the view's theme (zones,
circles, title, legend): the frame changes with the basemap and language only, so the app
keeps it while the indicator, classes or palette change."""

from __future__ import annotations

import datetime as dt

import folium

from cartohdf.core import t
from cartohdf.data import Dataset
from cartohdf.indicators import Classes, ZoneValues
from cartohdf.render._circles import circle_layer
from cartohdf.render._elements import (
    HtmlControl,
    Legend,
    MapControls,
    MapTitle,
    OfflineMap,
    Pane,
    TileWatcher,
    layer_group,
)
from cartohdf.render._legend import LegendEntry, legend_html, sources_html, title_html
from cartohdf.render._zones import outside_layer, region_outline, zone_layer

TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "&copy; OpenStreetMap contributors"),
    "light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
}


def base_map(
    data: Dataset,
    zoning: str,
    basemap: str,
    lang: str,
    generated: dt.date,
    script_urls: list[str] | None = None,
    scope: str = "region",
) -> OfflineMap:
    """The map frame: what does not change with the indicator, layers or zone.

    ``script_urls``: serve Leaflet and cartohdf.js from these URLs instead of inlining them
    (the Streamlit app serves them itself; the exported file inlines everything).
    """
    bounds = (data.zones[zoning] if scope == "region" else data.france_zones[zoning]).total_bounds
    m = OfflineMap(
        location=[round((bounds[1] + bounds[3]) / 2, 4), round((bounds[0] + bounds[2]) / 2, 4)],
        zoom_start=7.75,
        zoom_snap=0.25,
        tiles=None,
        zoom_control=False,  # ours, titled in the interface's language, and a metric scale
        script_urls=script_urls,
    )
    MapControls(t("zoom_in", lang), t("zoom_out", lang)).add_to(m)  # first: the scale at the bottom
    if basemap != "none":
        url, attr = TILES[basemap]
        tiles = folium.TileLayer(url, attr=attr, name=basemap, control=False, max_zoom=18)
        tiles.add_to(m)
        TileWatcher(t("basemap_offline", lang)).add_to(tiles)
    HtmlControl(
        sources_html(data, basemap, lang, generated, scope), "bottomleft", "cartohdf-panel"
    ).add_to(m)
    return m


def theme_layer(
    data: Dataset,
    zoning: str,
    zv: ZoneValues,
    classes: Classes | None,
    legend: list[LegendEntry],
    lang: str,
    scope: str = "region",
    selection: Pane | None = None,
) -> folium.FeatureGroup:
    """The view's theme, one group under every other layer: the zones (a choropleth, or neutral
    under proportional circles) of the région — its inter-regional zones whole — or of France
    with the région outlined, then the title and the legend. `selection`: the pane a selected
    zone's outline is drawn in (the app outlines a clicked zone at once)."""
    group = layer_group("theme", t("zones_layer", lang), control=False)
    parts = [zone_layer(data, zoning, zv, classes, lang, scope, selection)]
    outside = outside_layer(data, zoning, zv, classes, lang) if scope == "region" else None
    if outside is not None:
        parts.append(outside)  # beside the région's zones (they do not overlap)
    if scope == "france":
        parts.append(region_outline(data, lang))
    if classes is None:
        parts.append(circle_layer(data, zoning, zv, lang, scope))
    for part in parts:
        for child in list(part._children.values()):
            group.add_child(child)
    MapTitle(title_html(zoning, zv, lang, scope)).add_to(group)
    Legend(legend_html(legend, lang), t("legend_show", lang), t("legend_hide", lang)).add_to(group)
    return group
