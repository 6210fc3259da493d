"""Stage 5 — compose: the only place that decides what a view holds.

``plan(state, data)`` returns the plan of one view: its base (the map frame: basemap and
sources), the overlays in drawing order with which are shown — first the theme (zones, title,
legend), so that a new indicator swaps a layer instead of rebuilding the map — the selected zone, the view's bounds and
the legend entries. The app, `cartohdf export`, the download button and the benchmarks all
draw from a plan; none of them chooses layers, order or framing on its own.

What the view shows is described once, as data (`Plan.drawing`, a `cartohdf.view.Drawing`):
folium builds the overlays from it, matplotlib paints it; each part is computed when first
asked for (the app builds a layer at a time, and keeps what it built).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import folium
import pandas as pd

from cartohdf.core import S3_LAYERS, TI_PROGRAMMES, memo, t
from cartohdf.data import STATUS_ZERO, Dataset
from cartohdf.indicators import (
    Classes,
    ZoneValues,
    area_employment,
    classify,
    indicator_set,
    jobs_sector,
    level_set,
    national_set,
    unit_codes,
    unit_status,
    unit_values,
    zone_values,
)
from cartohdf.render import (
    FitView,
    LegendEntry,
    OfflineMap,
    Pane,
    ShowOnly,
    base_map,
    circle_discs,
    compared_areas,
    compared_layer,
    domains,
    employer_discs,
    employer_layer,
    employers_block,
    label_layer,
    layer_group,
    layer_name,
    legend_entry,
    level_block,
    level_title,
    map_sources,
    map_title,
    outline_areas,
    outline_blocks,
    outline_layer,
    outside_areas,
    region_areas,
    s3_blocks,
    s3_layer,
    s3_pair,
    selection_areas,
    selection_layer,
    territoire_areas,
    territoire_layer,
    theme_layer,
    unit_areas,
    unit_discs,
    unit_names,
    unit_selection,
    zone_areas,
    zone_labels,
    zone_outlines,
    zones_block,
)
from cartohdf.state import MapState, resolve
from cartohdf.view import (
    Areas,
    Bounds,
    Discs,
    Drawing,
    Label,
    LatLng,
    LegendBlock,
    Pair,
    Selection,
    Sources,
    Title,
)

# Bottom to top, above the zones. Outlines under the selection, so the selected zone's border
# stays whole; names above shapes; markers (employers, S3) on top.
DRAW_ORDER = ("departements", "ti2018", "ti2023", "compared", "selection", "labels", "employers", *S3_LAYERS)
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


class Parts:
    """The drawing of one view, each part described when first asked for and kept."""

    def __init__(self, state: MapState, data: Dataset, zv: ZoneValues,
                 classes: Classes | None) -> None:  # fmt: skip
        self.state, self.data, self.zv, self.classes = state, data, zv, classes

    @property
    def level(self) -> str | None:
        """The level below the zone the view draws (None: the zones)."""
        return None if self.state.level == "zone" else self.state.level

    @property
    @memo.derived
    def zones(self) -> Areas:
        s = self.state
        if self.level is not None:  # outlines over the units
            return zone_outlines(self.data, s.zoning)
        return zone_areas(self.data, s.zoning, self.zv, self.classes, s.lang, s.scope)

    @property
    @memo.derived
    def units(self) -> Areas | None:
        """The communes, EPCI or départements drawn (None at the zone level)."""
        s = self.state
        if self.level is None:
            return None
        assert s.year is not None  # resolved
        table = area_employment(self.data, self.level)
        status = unit_status(table, self.zv.indicator, s.year, s.base_year)
        jobs = table.sector_jobs(*jobs_sector(self.zv.indicator), s.year)
        return unit_areas(self.data, self.level, list(self.zv.values.index), self.zv,
                             self.classes, status, jobs, s.lang)  # fmt: skip

    @property
    @memo.derived
    def outside(self) -> Areas | None:
        s = self.state
        if s.scope != "region" or self.level is not None:
            return None
        return outside_areas(self.data, s.zoning, self.zv, self.classes, s.lang)

    @property
    @memo.derived
    def region_outline(self) -> Areas | None:
        return region_areas(self.data) if self.state.scope == "france" else None

    @property
    @memo.derived
    def circles(self) -> Discs | None:
        s = self.state
        if self.classes is not None:
            return None
        if self.level is not None:
            assert self.units is not None
            return unit_discs(self.level, self.units, self.zv, s.lang)
        return circle_discs(self.data, s.zoning, self.zv, s.lang, s.scope)

    @property
    @memo.derived
    def selection(self) -> Selection | None:
        s = self.state
        if s.zone is None:
            return None
        if self.level is not None:
            name = unit_names(self.data, self.level)[s.zone]
            return Selection(s.zone, name, unit_selection(self.level, s.zone))
        name = self.data.zone_name(s.zoning, s.zone)
        return Selection(s.zone, name, selection_areas(self.data, s.zoning, s.zone))

    @property
    @memo.derived
    def compared(self) -> Areas | None:
        s = self.state
        return compared_areas(self.data, s.zoning, s.compare) if s.compare else None

    @property
    @memo.derived
    def departements(self) -> tuple[Areas, ...]:
        return outline_areas(self.data)

    def territoires(self, programme: str) -> Areas:
        return self._once(f"ti{programme}", partial(territoire_areas, self.data, programme,
                                                    self.state.lang))  # type: ignore[return-value]  # fmt: skip

    def pair(self, domain_id: str) -> Pair:
        return self._once(f"s3_{domain_id}", partial(s3_pair, self.data, domain_id,
                                                     self.state.lang))  # type: ignore[return-value]  # fmt: skip

    def _once(self, key: str, make: Callable[[], object]) -> object:
        return memo.remember(self, key, make)

    @property
    @memo.derived
    def labels(self) -> tuple[Label, ...]:
        return zone_labels(self.data, self.state.zoning) if self.state.scope == "region" else ()

    @property
    @memo.derived
    def employers(self) -> Discs:
        return employer_discs(self.data, self.state.lang)

    @property
    @memo.derived
    def legend(self) -> tuple[LegendBlock, ...]:
        s = self.state
        blocks = [zones_block(self.data, s.zoning, self.zv, self.classes, s.lang,
                              s.scope if self.level is None else "level",
                              s.breaks if s.scheme == "user" else ())]  # fmt: skip
        if self.level is not None:
            blocks = [level_block(blocks[0], s.lang)]
        blocks += outline_blocks(s.lang)
        blocks.append(employers_block(self.data, s.lang))
        blocks += s3_blocks(self.data, s.lang)
        return tuple(blocks)

    @property
    @memo.derived
    def title(self) -> Title:
        s = self.state
        if self.level is not None:
            title = level_title(self.data, s.zoning, self.level, s.within, self.zv, s.lang)
        else:
            title = map_title(s.zoning, self.zv, s.lang, s.scope)
        if not s.compare:
            return title
        names = self.data.zone_names(s.zoning)
        zones = ", ".join(f"{names[c]} ({c})" for c in s.compare)
        return replace(title, subtitle=f"{title.subtitle} · {t('cmpz.html_note', s.lang, zones=zones)}")

    @property
    @memo.derived
    def sources(self) -> Sources:
        s = self.state
        return map_sources(self.data, s.basemap, s.lang, s.scope)

    @property
    @memo.derived
    def center(self) -> LatLng:
        """The middle of the région's (or France's) zones: where the map opens."""
        s = self.state
        zones = self.data.zones[s.zoning] if s.scope == "region" else self.data.france_zones[s.zoning]
        b = zones.total_bounds
        return (round((b[1] + b[3]) / 2, 4), round((b[0] + b[2]) / 2, 4))

    def drawing(self, bounds: Bounds, shown: tuple[str, ...]) -> Drawing:
        """The whole view as data."""
        return Drawing(
            lang=self.state.lang, title=self.title, zones=self.zones, outside=self.outside,
            region_outline=self.region_outline, circles=self.circles, selection=self.selection,
            departements=self.departements,
            territoires=tuple(self.territoires(p) for p in TI_PROGRAMMES),
            labels=self.labels, employers=self.employers,
            pairs=tuple(self.pair(domain_id) for _, domain_id, _ in domains(self.data)),
            legend=self.legend, sources=self.sources, bounds=bounds, shown=shown, compared=self.compared,
            units=self.units,
        )  # fmt: skip


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
    parts: Parts = field(compare=False, repr=False)

    @property
    @memo.derived
    def drawing(self) -> Drawing:
        """What the view shows, as data: every renderer draws from it."""
        return self.parts.drawing(self.view.bounds, self.view.layers)

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
        return (s.zoning, s.basemap, s.lang, s.source, s.upload, s.scope, s.level, s.within)

    def base(self, generated: dt.date, script_urls: list[str] | None = None) -> OfflineMap:
        """A fresh map frame: the Leaflet map, its basemap and sources (the theme — zones,
        title, legend — is the first overlay)."""
        s = self.state
        return base_map(self.parts.center, self.parts.sources, s.basemap, s.lang, generated,
                        script_urls)  # fmt: skip


def _bounds(frame: object, margin: float = 0.0) -> tuple[tuple[float, float], tuple[float, float]]:
    minx, miny, maxx, maxy = (float(v) for v in frame.total_bounds)  # type: ignore[attr-defined]
    dx, dy = (maxx - minx) * margin, (maxy - miny) * margin
    return ((round(miny - dy, 4), round(minx - dx, 4)), (round(maxy + dy, 4), round(maxx + dx, 4)))


def view_of(state: MapState, data: Dataset) -> View:
    """The région, or the selected zone with a margin that shows its neighbours (an
    inter-regional zone whole, its part outside the région included)."""
    zones = data.zones[state.zoning]
    if state.within:  # a zone's communes: that zone, its neighbours around
        return View(_bounds(zones[zones["code"] == state.within], ZONE_MARGIN))
    if state.zone is None or state.level != "zone":  # a unit selected: the level's frame kept
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


def _theme(parts: Parts, legend: tuple[LegendEntry, ...]) -> Overlay:
    """The view's theme (zones, title, legend): always shown, under every other layer. Its key
    is the state without what it does not depend on (layers, zone)."""
    state = parts.state
    key = ("theme", replace(state, layers=frozenset(), zone=None))

    def build() -> folium.FeatureGroup:
        return theme_layer(parts.zones, parts.outside, parts.region_outline, parts.circles,
                           parts.title, list(legend), state.lang, _pane("selection"),
                           parts.units)  # fmt: skip

    return Overlay("theme", t("zones_layer", state.lang), True, key, build)


def _pane(layer_id: str) -> Pane:
    """A layer's own pane, at its place in the drawing order."""
    return Pane(f"cartohdf-{layer_id.replace('_', '-')}", PANE_Z0 + DRAW_ORDER.index(layer_id))


def _names(parts: Parts) -> dict[str, str]:
    """The name of each layer the view may hold, in the layer control."""
    lang = parts.state.lang
    names = {layer_id: t(f"{layer_id}_layer", lang)
             for layer_id in ("departements", "labels", "employers",
                              *(f"ti{p}" for p in TI_PROGRAMMES))}  # fmt: skip
    names.update({f"s3_{domain_id}": layer_name(order, rows, lang)
                  for order, domain_id, rows in domains(parts.data)})  # fmt: skip
    return names


def _group(parts: Parts, layer_id: str, shown: bool, pane: Pane) -> folium.FeatureGroup:
    """The folium layer of one overlay, built from its part of the drawing (described when
    first asked for)."""
    lang = parts.state.lang
    if layer_id == "departements":
        return outline_layer(parts.departements, lang, shown, pane)
    if layer_id == "labels":
        return label_layer(parts.labels, lang, shown, pane)
    if layer_id == "employers":
        return employer_layer(parts.employers, lang, shown, pane)
    if layer_id == "selection":
        assert parts.selection is not None  # only a view with a selected zone has this layer
        return selection_layer(parts.selection.outline, lang, pane)
    if layer_id == "compared":
        assert parts.compared is not None  # only a view that compares zones has this layer
        return compared_layer(parts.compared, lang, pane)
    if layer_id.startswith("ti"):
        return territoire_layer(parts.territoires(layer_id.removeprefix("ti")), lang, shown, pane)
    return s3_layer(parts.pair(layer_id.removeprefix("s3_")), lang, shown, pane)


def _overlays(parts: Parts) -> tuple[Overlay, ...]:
    state = parts.state
    lang, visible = state.lang, state.layers
    names = _names(parts)
    out = []
    for layer_id in DRAW_ORDER:
        build = partial(_group, parts, layer_id, layer_id in visible, _pane(layer_id))
        key: tuple[object, ...]
        if layer_id == "selection":
            if state.zone is not None:
                key = (layer_id, state.zoning, state.level, state.zone, lang)
                out.append(Overlay(layer_id, t("selected", lang), True, key, build))
            continue
        if layer_id == "compared":
            if state.compare:
                key = (layer_id, state.zoning, state.compare, lang)
                out.append(Overlay(layer_id, t("cmpz.layer", lang), True, key, build))
            continue
        if layer_id not in names:  # an S3 domain the study tables do not have
            continue
        if layer_id == "labels" and state.scope == "france":  # 28 names on a map of France: noise
            continue
        shown = layer_id in visible
        key = (layer_id, state.zoning if layer_id == "labels" else "", lang, shown)
        out.append(Overlay(layer_id, names[layer_id], shown, key, build))
    return tuple(out)


def _unit_values(state: MapState, data: Dataset) -> tuple[ZoneValues, pd.Series]:
    """The units' values of a level (ranked among the units drawn), and those classified:
    a unit with no job is not put in a class (a secret one is, by its published figure)."""
    assert state.year is not None  # resolved
    iset = level_set(data, state.level, state.zoning)
    codes = unit_codes(data, state.level, state.zoning, state.within)
    zv = unit_values(iset, state.indicator, state.year, state.base_year, codes)
    status = unit_status(area_employment(data, state.level), zv.indicator, state.year, state.base_year)
    some = status.reindex(zv.values.index) != STATUS_ZERO
    return zv, zv.values[some.to_numpy()]


def plan(state: MapState, data: Dataset) -> Plan:
    """The plan of the view `state` asks for (resolved here against `data`).

    Raises StateError when the state names an indicator, year or zone `data` does not have.
    """
    state = resolve(state, data)
    assert state.year is not None  # resolved
    if state.level != "zone":
        zv, classified = _unit_values(state, data)
    else:
        # the région's zones, or every metropolitan zone (ranks and classes among all of them)
        iset = (
            indicator_set(data, state.zoning)
            if state.scope == "region"
            else national_set(data, state.zoning)
        )
        zv = zone_values(iset, state.indicator, state.year, state.base_year)
        classified = zv.values
    classes = (
        None
        if zv.indicator.kind == "count"  # counts are drawn as proportional circles
        else classify(
            classified, state.scheme, state.k, state.breaks, state.palette, zv.indicator.kind
        )
    )
    parts = Parts(state, data, zv, classes)
    legend = tuple(legend_entry(b) for b in parts.legend)
    overlays = (_theme(parts, legend), *_overlays(parts))
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
        parts=parts,
    )
