"""The map frame: Leaflet map (offline), basemap tiles, zones, title, legend and sources."""

from __future__ import annotations

import datetime as dt

import folium

from cartohdf.core import t
from cartohdf.data import Dataset
from cartohdf.indicators import Classes, ZoneValues
from cartohdf.render._circles import circle_layer
from cartohdf.render._elements import HtmlControl, Legend, MapTitle, OfflineMap, TileWatcher
from cartohdf.render._legend import LegendEntry, legend_html, sources_html, title_html
from cartohdf.render._zones import zone_layer

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
    zv: ZoneValues,
    classes: Classes | None,
    legend: list[LegendEntry],
    basemap: str,
    lang: str,
    generated: dt.date,
    script_urls: list[str] | None = None,
) -> OfflineMap:
    """Everything of a view that does not change when layers are toggled or a zone selected.

    ``script_urls``: serve Leaflet and cartohdf.js from these URLs instead of inlining them
    (the Streamlit app serves them itself; the exported file inlines everything).
    """
    bounds = data.zones[zoning].total_bounds
    m = OfflineMap(
        location=[round((bounds[1] + bounds[3]) / 2, 4), round((bounds[0] + bounds[2]) / 2, 4)],
        zoom_start=7.75,
        zoom_snap=0.25,
        tiles=None,
        control_scale=True,
        script_urls=script_urls,
    )
    if basemap != "none":
        url, attr = TILES[basemap]
        tiles = folium.TileLayer(url, attr=attr, name=basemap, control=False, max_zoom=18)
        tiles.add_to(m)
        TileWatcher(t("basemap_offline", lang)).add_to(tiles)
    zone_layer(data, zoning, zv, classes, lang).add_to(m)
    if classes is None:
        circle_layer(data, zoning, zv, lang).add_to(m)
    MapTitle(title_html(zoning, zv, lang)).add_to(m)
    Legend(legend_html(legend, lang), t("legend_show", lang), t("legend_hide", lang)).add_to(m)
    HtmlControl(
        sources_html(data, basemap, lang, generated), "bottomleft", "cartohdf-panel"
    ).add_to(m)
    return m
