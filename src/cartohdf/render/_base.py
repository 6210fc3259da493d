"""The map frame (Leaflet map, offline, basemap tiles, sources) and the view's theme (zones,
circles, title, legend): the frame changes with the basemap and language only, so the app
keeps it while the indicator, classes or palette change."""

from __future__ import annotations

import datetime as dt

import folium

from cartohdf.core import t
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
from cartohdf.render._units import unit_circles_layer, units_layer
from cartohdf.render._zones import areas_layer, zone_layer
from cartohdf.view import Areas, Discs, LatLng, Sources, Title

TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "&copy; OpenStreetMap contributors"),
    "light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
}


def base_map(
    center: LatLng,
    sources: Sources,
    basemap: str,
    lang: str,
    generated: dt.date,
    script_urls: list[str] | None = None,
) -> OfflineMap:
    """The map frame: what does not change with the indicator, layers or zone.

    ``script_urls``: serve Leaflet and cartohdf.js from these URLs instead of inlining them
    (the Streamlit app serves them itself; the exported file inlines everything).
    """
    m = OfflineMap(
        location=list(center),
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
    HtmlControl(sources_html(sources, lang, generated), "bottomleft", "cartohdf-panel").add_to(m)
    return m


def theme_layer(
    zones: Areas,
    outside: Areas | None,
    region: Areas | None,
    circles: Discs | None,
    title: Title,
    legend: list[LegendEntry],
    lang: str,
    selection: Pane | None = None,
    units: Areas | None = None,
) -> folium.FeatureGroup:
    """The view's theme, one group under every other layer: the zones (a choropleth, or neutral
    under proportional circles) of the région — its inter-regional zones whole — or of France
    with the région outlined, then the title and the legend. `selection`: the pane a selected
    zone's outline is drawn in (the app outlines a clicked zone at once). `units`: a level
    below the zone (communes, EPCI, départements), drawn under the zones' outlines."""
    group = layer_group("theme", t("zones_layer", lang), control=False)
    parts = [] if units is None else [units_layer(units, lang, selection)]
    parts.append(zone_layer(zones, lang, None if units is not None else selection))
    if outside is not None:
        parts.append(areas_layer(outside, t("outside_layer", lang)))  # beside the région's zones
    if region is not None:
        parts.append(areas_layer(region, t("region_outline", lang)))
    if circles is not None and units is not None:
        parts.append(unit_circles_layer(circles, units, lang))
    elif circles is not None:
        parts.append(circle_layer(circles, lang))
    for part in parts:
        for child in list(part._children.values()):
            group.add_child(child)
    MapTitle(title_html(title)).add_to(group)
    Legend(legend_html(legend, lang), t("legend_show", lang), t("legend_hide", lang)).add_to(group)
    return group
