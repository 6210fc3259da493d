"""The only composer: MapState + Dataset -> folium.Map (app, CLI and export all call this)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import folium
import geopandas as gpd
import numpy as np

from cartohdf import fmt, layers
from cartohdf.classify import NO_DATA_COLOR, Classes, classify
from cartohdf.dataset import Dataset
from cartohdf.elements import HtmlControl, MapTitle, OfflineMap, TileWatcher, assign_stable_ids
from cartohdf.errors import StateError
from cartohdf.i18n import t
from cartohdf.mapstate import MapState
from cartohdf.popups import esc

TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "&copy; OpenStreetMap contributors"),
    "light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
}


def resolve(state: MapState, data: Dataset) -> MapState:
    """Check the data-dependent parts of a state and fill its default years.

    Raises StateError listing the allowed values (indicators and years of the zoning, zone codes).
    """
    iset = data.indicators[state.zoning]
    ind = iset.get(state.indicator)
    years = iset.years
    year = state.year if state.year is not None else years[-1]
    base = state.base_year
    if ind.kind == "change":
        default0, default1 = iset.default_change
        year = state.year if state.year is not None else default1
        base = base if base is not None else default0
        if base >= year:
            raise StateError(
                f"year : la période doit aller d'une année à une année postérieure ({base}-{year})"
            )
    else:
        base = None
    for y in (year, base):
        if y is not None and y not in years:
            raise StateError(
                f"year : {y} absent pour {state.zoning} ; années possibles : {years[0]}–{years[-1]}"
                if state.zoning == "ze2010"
                else f"year : {y} absent pour {state.zoning} ; années possibles : {', '.join(map(str, years))}"
            )
    codes = list(data.zones[state.zoning]["code"])
    if state.zone is not None and state.zone not in codes:
        raise StateError(
            f"zone : {state.zone!r} inconnue pour {state.zoning} ; zones possibles : {', '.join(codes)}"
        )
    return replace(state, year=year, base_year=base)


def zone_values(state: MapState, data: Dataset) -> layers.ZoneValues:
    """The indicator values of a resolved state, with region and France references."""
    iset = data.indicators[state.zoning]
    ind = iset.get(state.indicator)
    assert state.year is not None  # resolved
    year_label = f"{state.base_year}–{state.year}" if state.base_year else str(state.year)
    if ind.kind == "value":  # a user file: no year of ours applies
        year_label = t("user_file", state.lang)
    ref_label = (
        t("ref_france", state.lang) if state.zoning == "ze2010" else t("ref_france_all", state.lang)
    )
    return layers.ZoneValues(
        indicator=ind,
        year_label=year_label,
        values=iset.values(state.indicator, state.year, state.base_year),
        region=iset.region_value(state.indicator, state.year, state.base_year),
        reference=iset.reference_value(state.indicator, state.year, state.base_year),
        reference_label=ref_label,
        n_regional=len(iset.regional_zones),
    )


def zone_classes(state: MapState, zv: layers.ZoneValues) -> Classes | None:
    """Classes of the choropleth; None for counts (drawn as circles)."""
    if zv.indicator.kind == "count":
        return None
    return classify(
        zv.values, state.scheme, state.k, state.breaks, state.palette, zv.indicator.kind
    )


def legend_html(
    state: MapState, data: Dataset, zv: layers.ZoneValues, classes: Classes | None
) -> str:
    """Legend: title, unit, year, class bounds (French format), no-data swatch, source."""
    lang, kind = state.lang, zv.indicator.kind
    table = data.indicators[state.zoning].table
    parts = [
        f"<h4>{esc(zv.indicator.label(lang))}</h4>",
        f"<div class='unit'>{esc(zv.indicator.unit(lang))} · {esc(zv.year_label)}</div>",
    ]
    if classes is None:
        vmax = float(zv.values.max())
        for share in (1.0, 0.25, 0.0625):
            size = 2 * layers.MAX_CIRCLE_PX * share**0.5
            parts.append(
                f"<div class='row'><span class='mk' style='width:{size:.0f}px;height:{size:.0f}px;"
                f"background:#3182bd88'></span>{esc(fmt.number(vmax * share, 0, lang))}</div>"
            )
        parts.append(f"<div class='unit'>{esc(t('circle_legend', lang))}</div>")
    else:
        for (lo, hi), color in zip(classes.bounds(), classes.colors, strict=True):
            text = f"{fmt.value(lo, kind, lang)} – {fmt.value(hi, kind, lang)}"
            parts.append(
                f"<div class='row'><span class='sw' style='background:{color}'></span>{esc(text)}</div>"
            )
        parts.append(
            f"<div class='row'><span class='sw' style='background:{NO_DATA_COLOR}'></span>"
            f"{esc(t('no_data', lang))}</div>"
        )
    for band, r in layers.employer_bands(data):
        parts.append(
            f"<div class='row'><span class='mk' style='width:{2 * r:.0f}px;height:{2 * r:.0f}px;"
            f"background:{layers.EMPLOYER_COLOR}'></span>{esc(t('size_band_label', lang, band=band))}</div>"
        )
    parts.append(layers.s3_legend(data, lang))
    source = zv.indicator.definition(lang) if zv.indicator.kind == "value" else table.source
    parts.append(f"<div class='src'>{esc(t('source', lang))} : {esc(source)}</div>")
    return "".join(parts)


def sources_html(state: MapState, generated: dt.date) -> str:
    """Sources and licences of everything drawn, and the generation date."""
    lang = state.lang
    items = [
        "Zones d'emploi : Insee (zonages 2010 et 2020) ; contours IGN ADMIN EXPRESS COG 2018, "
        "Licence Ouverte 2.0 ; appartenance communale © Insee et package R COGugaison (ODbL 1.0)",
        "Emploi ZE2010 : Insee, Estimations d'emploi (Estel) 1998-2017, Licence Ouverte 2.0",
        "Emploi ZE2020 : Urssaf, effectifs salariés privés, agrégation tierce (ODbL 1.0)",
        "Domaines S3, grands employeurs : étude « L'industrie : un moteur essentiel de l'économie "
        "régionale », Hauts-de-France, 2019 (employeurs : Insee, Sirène 2018)",
        "Territoires d'industrie : ANCT, Licence Ouverte 2.0",
    ]
    if state.basemap != "none":
        items.append(
            "Fond de carte : © OpenStreetMap contributors"
            + (" © CARTO" if state.basemap == "light" else "")
        )
    day = generated.strftime("%d/%m/%Y") if lang == "fr" else generated.isoformat()
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return (
        f"<details class='cartohdf-sources'><summary>{esc(t('sources_title', lang))}</summary>"
        f"<ul>{lis}</ul></details><div>{esc(t('generated', lang, date=day))}</div>"
    )


def title_html(state: MapState, data: Dataset, zv: layers.ZoneValues) -> str:
    """Title: indicator, year, zoning."""
    lang = state.lang
    return (
        f"<h3>{esc(zv.indicator.label(lang))} · {esc(zv.year_label)}</h3>"
        f"<p>{esc(t('zoning_' + state.zoning, lang))} · Hauts-de-France</p>"
    )


@dataclass
class MapParts:
    """A map split the way the app needs it: the base (what changes with the indicator) and
    the overlays (what the user toggles), keyed by layer id, in drawing order."""

    base: OfflineMap
    overlays: dict[str, folium.FeatureGroup]
    fit: list[list[float]]  # [[south, west], [north, east]] of the view


def _bounds(frame: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = (float(np.round(v, 4)) for v in frame.total_bounds)
    return [[miny, minx], [maxy, maxx]]


def base_map(
    state: MapState,
    data: Dataset,
    generated: dt.date | None = None,
    script_urls: list[str] | None = None,
) -> OfflineMap:
    """Zones (choropleth or circles), basemap, title, legend and sources of a resolved state.

    ``script_urls``: serve Leaflet and cartohdf.js from these URLs instead of inlining them
    (the Streamlit app serves them itself; the exported file inlines everything).
    """
    lang = state.lang
    (south, west), (north, east) = _bounds(data.zones[state.zoning])
    # the initial view (used by the app; the export fits the bounds) leaves room on the right
    # for the legend; quarter zoom steps let the région fill a narrow map
    m = OfflineMap(
        location=[round((south + north) / 2 + 0.05, 4), round((west + east) / 2 + 0.55, 4)],
        zoom_start=7.75,
        zoom_snap=0.25,
        tiles=None,
        control_scale=True,
        script_urls=script_urls,
    )
    if state.basemap != "none":
        url, attr = TILES[state.basemap]
        tiles = folium.TileLayer(url, attr=attr, name=state.basemap, control=False, max_zoom=18)
        tiles.add_to(m)
        TileWatcher(t("basemap_offline", lang)).add_to(tiles)
    zv = zone_values(state, data)
    classes = zone_classes(state, zv)
    layers.zone_layer(data, state.zoning, zv, classes, lang).add_to(m)
    if classes is None:
        layers.circle_layer(data, state.zoning, zv, lang).add_to(m)
    MapTitle(title_html(state, data, zv)).add_to(m)
    HtmlControl(
        legend_html(state, data, zv, classes), "bottomright", "cartohdf-panel cartohdf-legend"
    ).add_to(m)
    HtmlControl(
        sources_html(state, generated or dt.date.today()), "bottomleft", "cartohdf-panel"
    ).add_to(m)
    return m


def overlay_layers(state: MapState, data: Dataset) -> dict[str, folium.FeatureGroup]:
    """Every toggleable layer (shown or not per the state), plus the selected-zone outline."""
    lang, visible = state.lang, set(state.layers)
    out: dict[str, folium.FeatureGroup] = {
        "departements": layers.outline_layer(data, lang, "departements" in visible),
        "ti2018": layers.territoire_layer(data, "2018", lang, "ti2018" in visible),
        "ti2023": layers.territoire_layer(data, "2023", lang, "ti2023" in visible),
    }
    if state.zone is not None:
        out["selection"] = layers.selection_layer(data, state.zoning, state.zone, lang)
    out["labels"] = layers.label_layer(data, state.zoning, lang, "labels" in visible)
    out["employers"] = layers.employer_layer(data, lang, "employers" in visible)
    out.update(layers.s3_layers(data, visible, lang))
    return out


def map_parts(
    state: MapState,
    data: Dataset,
    generated: dt.date | None = None,
    script_urls: list[str] | None = None,
) -> MapParts:
    """Base map and overlays of `state` (resolved here)."""
    state = resolve(state, data)
    zones = data.zones[state.zoning]
    fit = _bounds(zones[zones["code"] == state.zone]) if state.zone else _bounds(zones)
    return MapParts(base_map(state, data, generated, script_urls), overlay_layers(state, data), fit)


def build_map(state: MapState, data: Dataset, generated: dt.date | None = None) -> folium.Map:
    """Compose the whole map of `state`, with a layer control, as exported.

    Same state, data and date give the same HTML, byte for byte.
    """
    parts = map_parts(state, data, generated)
    m = parts.base
    for group in parts.overlays.values():
        group.add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    m.fit_bounds(parts.fit, padding=(40, 40))  # a margin around the région or the selected zone
    assign_stable_ids(m.get_root())
    return m


def map_html(state: MapState, data: Dataset, generated: dt.date | None = None) -> str:
    """The standalone HTML file of the map (everything inlined)."""
    return build_map(state, data, generated).get_root().render()
