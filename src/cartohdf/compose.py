"""Stage 5 — compose: the only place that decides what a view holds.

``plan(state, data)`` returns the plan of one view: its base (the map frame: basemap and
sources), the overlays in drawing order with which are shown — first the theme (zones, title,
legend), so that a new indicator swaps a layer instead of rebuilding the map — the selected zone, the view's bounds and
the legend entries. The app, `cartohdf export`, the download button and the benchmarks all
draw from a plan; none of them chooses layers, order or framing on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import folium
import pandas as pd

from cartohdf.core import S3_LAYERS, TI_PROGRAMMES, t
from cartohdf.data import Dataset
from cartohdf.indicators import (
    Classes,
    ZoneValues,
    classify,
    indicator_set,
    national_set,
    zone_values,
)
from cartohdf.render import (
    FitView,
    LegendEntry,
    OfflineMap,
    Pane,
    ShowOnly,
    base_map,
    domains,
    employer_layer,
    employers_entry,
    label_layer,
    layer_group,
    layer_name,
    outline_entries,
    outline_layer,
    s3_entries,
    s3_layer,
    selection_layer,
    territoire_layer,
    theme_layer,
    zones_entry,
)
from cartohdf.state import MapState, resolve

# Bottom to top, above the zones. Outlines under the selection, so the selected zone's border
# stays whole; names above shapes; markers (employers, S3) on top.
DRAW_ORDER = ("departements", "ti2018", "ti2023", "selection", "labels", "employers", *S3_LAYERS)
PANE_Z0 = 410  # Leaflet's overlay pane is 400, its marker pane 600
ZONE_MARGIN = 0.5  # a selected zone is framed with half its extent around it: neighbours show
VIEW_MARGIN_PX = 12  # room kept around the bounds, beyond the controls' own size


@dataclass(frozen=True)
class Overlay:
    """One layer above the zones. ``build`` makes a fresh FeatureGroup each call; ``key``
    says what it depends on (equal keys, equal groups), for caches."""

    id: str
    name: str
    shown: bool
    key: tuple[object, ...]
    build: Callable[[], folium.FeatureGroup] = field(compare=False, repr=False)


@dataclass(frozen=True)
class View:
    """What the map frames: [[south, west], [north, east]], and a margin in pixels that is
    added to the measured size of the controls in the corners."""

    bounds: tuple[tuple[float, float], tuple[float, float]]
    margin_px: int = VIEW_MARGIN_PX
    layers: tuple[str, ...] = ()  # the overlays shown, by id
    overlays: tuple[str, ...] = ()  # every overlay of the view but its theme, by id
    zone: str | None = None  # the selected zone

    def group(self) -> folium.FeatureGroup:
        """The view as a layer, added last: it frames the map (once per distinct bounds) and
        takes off it the layers the view does not show (the app's map holds them all)."""
        group = layer_group("view", "view", control=False)
        bounds = [list(self.bounds[0]), list(self.bounds[1])]
        FitView(bounds, self.margin_px, self.zone).add_to(group)
        ShowOnly(list(self.layers), list(self.overlays), self.zone).add_to(group)
        return group


@dataclass(frozen=True)
class Plan:
    """Everything one view needs, decided once."""

    state: MapState  # resolved: years filled in
    overlays: tuple[Overlay, ...]  # drawing order
    view: View
    legend: tuple[LegendEntry, ...]  # zones first, then one per layer that has an entry
    data: Dataset = field(compare=False, repr=False)
    values: ZoneValues = field(compare=False, repr=False)
    classes: Classes | None = field(compare=False, repr=False)

    @property
    def shown(self) -> tuple[Overlay, ...]:
        """The overlays on the map, in drawing order."""
        return tuple(o for o in self.overlays if o.shown)

    @property
    def legend_shown(self) -> tuple[LegendEntry, ...]:
        """The legend entries of what is on the map (the zones' entry and shown layers')."""
        on = {o.id for o in self.shown}
        return tuple(e for e in self.legend if e.layer is None or e.layer in on)

    @property
    def base_key(self) -> tuple[str, ...]:
        """What the base depends on: equal keys, equal bases. Not the indicator, classes,
        palette, layers or zone: changing those leaves the map itself in place."""
        s = self.state
        return (s.zoning, s.basemap, s.lang, s.source, s.upload, s.scope)

    def base(self, generated: dt.date, script_urls: list[str] | None = None) -> OfflineMap:
        """A fresh map frame: the Leaflet map, its basemap and sources (the theme — zones,
        title, legend — is the first overlay)."""
        s = self.state
        return base_map(self.data, s.zoning, s.basemap, s.lang, generated, script_urls, s.scope)


def _bounds(frame: object, margin: float = 0.0) -> tuple[tuple[float, float], tuple[float, float]]:
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)  # type: ignore[attr-defined]
    dx, dy = (maxx - minx) * margin, (maxy - miny) * margin
    return ((round(miny - dy, 4), round(minx - dx, 4)), (round(maxy + dy, 4), round(maxx + dx, 4)))


def view_of(state: MapState, data: Dataset) -> View:
    """The région, or the selected zone with a margin that shows its neighbours (an
    inter-regional zone whole, its part outside the région included)."""
    zones = data.zones[state.zoning]
    if state.zone is None:
        return View(_bounds(zones if state.scope == "region" else data.france_zones[state.zoning]))
    zone = zones[zones["code"] == state.zone]
    outside = (data.outside_zones or {}).get(state.zoning)
    if outside is not None and state.zone in set(outside["code"]):
        zone = pd.concat(
            [
                zone[["code", "geometry"]],
                outside[outside["code"] == state.zone][["code", "geometry"]],
            ]
        )
    return View(_bounds(zone, ZONE_MARGIN))


def _theme(
    state: MapState,
    data: Dataset,
    zv: ZoneValues,
    classes: Classes | None,
    legend: tuple[LegendEntry, ...],
) -> Overlay:
    """The view's theme (zones, title, legend): always shown, under every other layer. Its key
    is the state without what it does not depend on (layers, zone)."""
    key = ("theme", replace(state, layers=frozenset(), zone=None))
    build = partial(
        theme_layer, data, state.zoning, zv, classes, list(legend), state.lang, state.scope,
        _pane("selection"),
    )  # fmt: skip
    return Overlay("theme", t("zones_layer", state.lang), True, key, build)


def _pane(layer_id: str) -> Pane:
    """A layer's own pane, at its place in the drawing order."""
    return Pane(f"cartohdf-{layer_id.replace('_', '-')}", PANE_Z0 + DRAW_ORDER.index(layer_id))


def _overlays(state: MapState, data: Dataset) -> tuple[Overlay, ...]:
    lang, visible = state.lang, state.layers
    specs: dict[str, tuple[str, Callable[..., folium.FeatureGroup], tuple[object, ...]]] = {
        "departements": (t("departements_layer", lang), outline_layer, (data, lang)),
        "labels": (t("labels_layer", lang), partial(label_layer, data, state.zoning), (lang,)),
        "employers": (t("employers_layer", lang), employer_layer, (data, lang)),
    }
    for programme in TI_PROGRAMMES:
        specs[f"ti{programme}"] = (t(f"ti{programme}_layer", lang), partial(territoire_layer, data, programme),
                                   (lang,))  # fmt: skip
    for order, domain_id, rows in domains(data):
        specs[f"s3_{domain_id}"] = (
            layer_name(order, rows, lang),
            partial(s3_layer, data, domain_id),
            (lang,),
        )
    out = []
    for layer_id in DRAW_ORDER:
        pane = _pane(layer_id)
        if layer_id == "selection":
            if state.zone is None:
                continue
            build = partial(selection_layer, data, state.zoning, state.zone, lang, pane)
            out.append(
                Overlay(
                    layer_id,
                    t("selected", lang),
                    True,
                    (layer_id, state.zoning, state.zone, lang),
                    build,
                )
            )
            continue
        if layer_id not in specs:  # an S3 domain the study tables do not have
            continue
        if layer_id == "labels" and state.scope == "france":  # 28 names on a map of France: noise
            continue
        name, builder, args = specs[layer_id]
        shown = layer_id in visible
        key: tuple[object, ...] = (
            layer_id,
            state.zoning if layer_id == "labels" else "",
            lang,
            shown,
        )
        out.append(Overlay(layer_id, name, shown, key, partial(builder, *args, shown, pane)))
    return tuple(out)


def _legend(
    state: MapState, data: Dataset, zv: ZoneValues, classes: Classes | None
) -> tuple[LegendEntry, ...]:
    lang = state.lang
    entries = [zones_entry(data, state.zoning, zv, classes, lang, state.scope,
                            state.breaks if state.scheme == "user" else ())]
    entries += outline_entries(lang)
    entries.append(employers_entry(data, lang))
    entries += s3_entries(data, lang)
    return tuple(entries)


def plan(state: MapState, data: Dataset) -> Plan:
    """The plan of the view `state` asks for (resolved here against `data`).

    Raises StateError when the state names an indicator, year or zone `data` does not have.
    """
    state = resolve(state, data)
    # the région's zones, or every metropolitan zone (ranks and classes among all of them)
    iset = (
        indicator_set(data, state.zoning)
        if state.scope == "region"
        else national_set(data, state.zoning)
    )
    assert state.year is not None  # resolved
    zv = zone_values(iset, state.indicator, state.year, state.base_year)
    classes = (
        None
        if zv.indicator.kind == "count"  # counts are drawn as proportional circles
        else classify(
            zv.values, state.scheme, state.k, state.breaks, state.palette, zv.indicator.kind
        )
    )
    legend = _legend(state, data, zv, classes)
    overlays = (_theme(state, data, zv, classes, legend), *_overlays(state, data))
    others = tuple(o.id for o in overlays if o.id != "theme")
    shown = tuple(o.id for o in overlays if o.shown and o.id != "theme")
    return Plan(
        state=state,
        overlays=overlays,
        view=replace(view_of(state, data), layers=shown, overlays=others, zone=state.zone),
        legend=legend,
        data=data,
        values=zv,
        classes=classes,
    )
