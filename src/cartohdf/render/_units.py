"""The levels below the zone: communes, EPCI or départements as a choropleth (or neutral under
circles), with statistical secrecy and zero-job units in colours of their own; the zones as
outlines over them; the compact payload that draws 3,800 communes in the browser.

Outlines are read only here, when a level is drawn (`data.load_level_outlines`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from cartohdf.core import memo, t, value
from cartohdf.data import STATUS_SECRET, STATUS_ZERO, Dataset, load_level_outlines
from cartohdf.indicators import Classes, ZoneValues
from cartohdf.render._circles import CIRCLE_FILL, CIRCLE_FILL_OPACITY, CIRCLE_LINE, circle_radius
from cartohdf.render._elements import DataLayer, Pane, layer_group
from cartohdf.render._words import year_label
from cartohdf.render._zones import (
    CIRCLES_FILL,
    HIGHLIGHT,
    ZONE_FILL_OPACITY,
    label_points,
    leaflet_style,
    selection_spec,
    shapes_of,
)
from cartohdf.view import (
    HATCH_COLOR,
    Area,
    Areas,
    Disc,
    Discs,
    LegendBlock,
    LegendRow,
    Line,
    Swatch,
    Title,
)

# a unit with no industrial job is white, out of the classes; a secret one keeps the class of
# its published figure (a lower bound), hatched
ZERO_COLOR = "#ffffff"
UNIT_LINES = {"commune": Line("#737373", 0.3), "epci": Line("#4d4d4d", 0.6),
              "departement": Line("#4d4d4d", 0.8)}  # fmt: skip
ZONE_OUTLINE = Line("#1a1a1a", 1.4)  # the zones over a level below them
UNITS_PANE = Pane("cartohdf-units", 395)  # their canvas: under the overlay pane (400), the zones' outlines


def unit_names(data: Dataset, area: str) -> dict[str, str]:
    """Each unit's name (an EPCI that no source names: « EPCI <SIREN> »)."""
    units = data.area_units(area)
    return {str(c): (str(n) if n else t("unit_no_name", "fr", code=c))
            for c, n in zip(units["code"], units["name"], strict=True)}  # fmt: skip


def unit_outlines(area: str, codes: list[str]) -> gpd.GeoDataFrame:
    """The outlines of the units drawn, in `codes` order."""
    outlines = load_level_outlines(area).set_index("code")
    return gpd.GeoDataFrame(outlines.loc[codes].reset_index(), crs=outlines.crs)


def unit_points(area: str) -> dict[str, tuple[float, float]]:
    """An inside point of every unit of a level, (lat, lng), computed once."""
    outlines = load_level_outlines(area)
    return memo.remember(outlines, ("unit_points",), lambda: label_points(outlines))


def unit_tip(v: float, status: str, kind: str, jobs: float, lang: str) -> tuple[str, ...]:
    """What a unit's hover text says under its name: its figure, and why it has none."""
    if status == STATUS_ZERO:
        return (t("unit_zero", lang),)
    if status == STATUS_SECRET:
        return (value(v, kind, lang), t("unit_at_least", lang, value=value(jobs, "count", lang))
                + " · " + t("unit_secret", lang))  # fmt: skip
    return (value(v, kind, lang),)


def _fill(code: str, status: str, classes: Classes | None) -> str:
    if status == STATUS_ZERO:
        return ZERO_COLOR
    return classes.color_of(code) if classes is not None else CIRCLES_FILL


def unit_areas(data: Dataset, area: str, codes: list[str], zv: ZoneValues, classes: Classes | None,
               status: pd.Series, jobs: pd.Series, lang: str) -> Areas:  # fmt: skip
    """The units drawn: each with its value, class and fill, and its hover text; a unit
    with no industrial job is white (out of the classes), a secret one hatched over the class
    of its published figure (a lower bound). A click selects one."""
    names = unit_names(data, area)
    kind = zv.indicator.kind
    # plain dicts: a pandas look-up per unit and series cost ~0.17 s for the région's communes
    values, statuses, counts = zv.values.to_dict(), status.to_dict(), jobs.to_dict()
    areas = []
    for code in codes:
        v, s = values.get(code, np.nan), str(statuses.get(code, ""))
        klass = classes.zone_class.get(code) if classes is not None and s != STATUS_ZERO else None
        areas.append(Area(code, _fill(code, s, classes), names[code], klass,
                          None if pd.isna(v) else float(v),
                          (names[code], *unit_tip(v, s, kind, float(counts.get(code, 0)), lang)),
                          pick=True))  # fmt: skip
    hatched = tuple(c for c in codes if statuses.get(c) == STATUS_SECRET)
    return Areas("units", shapes_of(unit_outlines(area, codes)), tuple(areas), UNIT_LINES[area],
                 ZONE_FILL_OPACITY, HIGHLIGHT, hatched)  # fmt: skip


def unit_discs(area: str, units: Areas, zv: ZoneValues, lang: str) -> Discs:
    """One circle per unit with jobs, on its inside point (counts: area proportional)."""
    points = unit_points(area)
    vmax = float(zv.values.max()) if zv.values.notna().any() else 0.0
    discs = []
    for a in units.areas:
        if a.value is None or a.value <= 0 or vmax <= 0:
            continue
        discs.append(Disc(points[a.code], circle_radius(a.value, vmax), a.code, a.tip))
    return Discs("circles", tuple(discs), CIRCLE_LINE, CIRCLE_FILL, CIRCLE_FILL_OPACITY)


def zone_outlines(data: Dataset, zoning: str) -> Areas:
    """The région's zones as outlines over a level below them (clicks pass through)."""
    zones = data.zones[zoning]
    areas = tuple(Area(str(c), name=str(n)) for c, n in zip(zones["code"], zones["name"], strict=True))
    return Areas("zones", shapes_of(zones), areas, ZONE_OUTLINE)


def unit_selection(area: str, code: str) -> Areas:
    """A thick outline over the selected unit."""
    from cartohdf.render._zones import SELECTED_LINE

    return Areas("selection", shapes_of(unit_outlines(area, [code])), (Area(code),), SELECTED_LINE)


def status_rows(lang: str) -> list[LegendRow]:
    """The legend's rows for a unit's status (after the classes)."""
    return [LegendRow(t("unit_secret", lang), Swatch("box", ZERO_COLOR, edge="#737373", hatch=True)),
            LegendRow(t("unit_zero", lang), Swatch("box", ZERO_COLOR, edge="#737373"))]  # fmt: skip


# -- folium ----------------------------------------------------------------------------------


def unit_payload(units: Areas) -> dict[str, Any]:
    """The compact payload `cartohdf.addUnits` draws: shared arcs, then per unit its code,
    name, hover lines and fill (an index into the colours), one style for all. A few tens of
    bytes a commune, where a feature of `addPolygons` takes about two hundred."""
    colors = sorted({a.fill for a in units.areas if a.fill})
    hatched = set(units.hatched)
    index = {c: i for i, c in enumerate(colors)}
    style = leaflet_style(units.line, None, units.fill_opacity)
    style.pop("fill", None), style.pop("interactive", None)
    style["fillOpacity"] = units.fill_opacity
    return {
        "arcs": list(units.shapes.arcs),
        "shapes": [list(s) for s in units.shapes.shapes],
        "codes": [a.code for a in units.areas],
        "names": [a.name for a in units.areas],
        "tips": [list(a.tip[1:]) for a in units.areas],
        "fills": [index[a.fill] if a.fill else -1 for a in units.areas],
        "hatched": [i for i, a in enumerate(units.areas) if a.code in hatched],
        "hatch": HATCH_COLOR,
        "colors": colors,
        "style": style,
        "highlight": {"weight": HIGHLIGHT.weight, "color": HIGHLIGHT.color},
    }


def units_layer(units: Areas, lang: str, selection: Any = None) -> folium.FeatureGroup:
    """The units as one layer; `selection` (the selected unit's pane): a click outlines it."""
    payload = unit_payload(units)
    if selection is not None:
        payload["select"] = selection_spec(selection)
    group = layer_group("units", t("units_layer", lang), control=False)
    DataLayer("addUnits", payload, layer="units", pane=UNITS_PANE).add_to(group)
    return group


def level_block(zones: LegendBlock, lang: str) -> LegendBlock:
    """The legend of a level: the zones' block (classes or circle sizes), then the units'
    statuses and the zones' outline."""
    outline = LegendRow(t("zones_layer", lang), Swatch("line", ZONE_OUTLINE.color, ZONE_OUTLINE.weight))
    return replace(zones, rows=(*zones.rows, *status_rows(lang), outline))


def level_title(data: Dataset, zoning: str, area: str, within: str, zv: ZoneValues, lang: str) -> Title:
    """Title of a level's map: the indicator and year, then the units and where."""
    where = (t("unit_within", lang, zone=f"{data.zone_name(zoning, within)} ({within})") if within
             else f"{t(f'unit_title.{area}', lang)} · Hauts-de-France")  # fmt: skip
    return Title(f"{zv.indicator.label(lang)} · {year_label(zv, lang)}", where)


def unit_circles_layer(circles: Discs, units: Areas, lang: str) -> folium.FeatureGroup:
    """The units' circles as one compact payload (`cartohdf.addDiscs`): per circle its point,
    radius and unit (whose name and hover lines the units' payload has already)."""
    index = {a.code: i for i, a in enumerate(units.areas)}
    style = leaflet_style(circles.line, circles.fill, circles.fill_opacity, "cartohdf-circle")
    payload = {
        "points": [[d.at[0], d.at[1], d.radius, index[d.code]] for d in circles.discs],
        "style": style,
    }
    group = layer_group("circles", t("circles_layer", lang), control=False)
    DataLayer("addDiscs", payload, layer="circles").add_to(group)
    return group
