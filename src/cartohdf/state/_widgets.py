"""The app's widget values <-> MapState (pure: the app only copies values in and out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cartohdf.core import INDUSTRIAL_A38, LAYERS, CartohdfError, StateError, TextKey, stated
from cartohdf.indicators import SECTOR_MAP_MEASURES, IndicatorSet, sector_indicator, sector_of
from cartohdf.state._codec import bound_parts, parse_bounds
from cartohdf.state._mapstate import COMPARE_RANGE, MAX_BREAKS, MapState

# Class bounds are typed in the unit the legend shows: percent for shares and changes (stored
# as fractions), jobs for counts, the index itself for quotients, the file's unit for a user
# indicator.
PERCENT_KINDS = ("share", "change")


# The indicator box offers one entry for every sector map (when the data have the sector
# table); the sector and its measure are then two widgets of their own: 64 entries in one box
# were too many to read.
SECTOR_CHOICE = "sector"
DEFAULT_SECTOR, DEFAULT_SECTOR_MEASURE = "CH", "jobs"  # metallurgy: the study's largest loss


def indicator_options(iset: IndicatorSet) -> list[str]:
    """The indicator box's entries: the indicators, every sector map as one entry (ZE2020,
    built-in data) instead of one per sector and measure."""
    if iset.sectors is None:
        return list(iset.indicators)
    return [i.id for i in iset.indicators.values() if i.sector is None] + [SECTOR_CHOICE]


def chosen_indicator(controls: Mapping[str, Any], iset: IndicatorSet) -> str:
    """The indicator id the widgets name (the sector entry: its sector and measure)."""
    chosen = str(controls.get("w_indicator"))
    if chosen != SECTOR_CHOICE:
        return chosen
    code = controls.get("w_sector") or DEFAULT_SECTOR
    measure = controls.get("w_sector_measure") or DEFAULT_SECTOR_MEASURE
    return sector_indicator(str(code), str(measure)).id


def sector_controls(indicator: str, iset: IndicatorSet) -> dict[str, Any]:
    """The indicator box, sector and measure widgets that show `indicator`."""
    named = sector_of(indicator)
    if iset.sectors is None or named is None or named[0] not in INDUSTRIAL_A38:
        return {"w_indicator": indicator}
    code, measure = named
    assert measure in SECTOR_MAP_MEASURES  # sector_of names one
    return {"w_indicator": SECTOR_CHOICE, "w_sector": code, "w_sector_measure": measure}


def breaks_scale(kind: str) -> float:
    """From a stored value to the unit the legend shows (100 for shares and changes)."""
    return 100.0 if kind in PERCENT_KINDS else 1.0


def breaks_unit(kind: str) -> str:
    """The catalogue key naming that unit, for labels and messages."""
    return f"breaks_unit.{kind if kind in ('share', 'change', 'count', 'index') else 'value'}"


def format_breaks(breaks: tuple[float, ...], kind: str, lang: str = "fr") -> str:
    """Stored bounds as the app's text box shows them (« 15 ; 20 ; 25 » for 0.15, 0.2, 0.25)."""
    scale = breaks_scale(kind)
    return " ; ".join(stated(round(b * scale, 10), lang) for b in breaks)


def controls_from_state(state: MapState, iset: IndicatorSet) -> dict[str, Any]:
    """The app's widget values (keys ``w_*``) that show a resolved state."""
    change = iset.get(state.indicator).kind == "change"
    controls: dict[str, Any] = {
        "w_lang": state.lang,
        "w_zoning": state.zoning,
        "w_year": iset.years[-1] if change else state.year,
        "w_period": (state.base_year, state.year) if change else iset.default_change,
        "w_scheme": state.scheme,
        "w_k": state.k,
        "w_palette": state.palette,
        "w_basemap": state.basemap,
        "w_breaks": format_breaks(state.breaks, iset.get(state.indicator).kind, state.lang),
        "w_zone": state.zone or "",
        "w_source": state.source,
        "w_upload_key": state.upload,
        "w_scope": state.scope,
        "w_compare": list(state.compare),
        "w_level": state.level,
        "w_within": state.within,
    }
    controls.update({f"w_{layer}": layer in state.layers for layer in LAYERS})
    controls.update(sector_controls(state.indicator, iset))
    return controls


def parse_breaks_text(text: str, kind: str = "value") -> tuple[float, ...]:
    """Class bounds as typed in the app, in the unit the legend shows, separated by « ; »
    (decimal commas allowed); the stored values. Raises StateError naming the value at fault,
    why, and an example in that unit."""
    unit = breaks_unit(kind)
    example = {"unit": TextKey(unit), "example": TextKey(f"breaks_example.{unit}")}
    parts = bound_parts(text, ";")
    if not parts:
        raise StateError("breaks.empty", **example)
    typed = parse_bounds(text, ";", "breaks.not_a_number", **example)
    for i, (part, number) in enumerate(zip(parts, typed, strict=True)):
        if kind == "share" and not 0 <= number <= 100:
            raise StateError("breaks.share_range", value=part, **example)
        if i and number <= typed[i - 1]:
            raise StateError("breaks.order", value=part, previous=parts[i - 1], **example)
    if len(typed) > MAX_BREAKS:
        raise StateError("breaks.too_many", n=len(typed), max=MAX_BREAKS)
    scale = breaks_scale(kind)
    return tuple(round(v / scale, 12) for v in typed)


def compared(picked: Any) -> tuple[str, ...]:
    """The zones the comparison widget holds, as the state compares them: distinct, in the
    order picked, the first six; none while fewer than two are picked (one zone compares
    nothing yet: the widget keeps it until a second one comes)."""
    codes = tuple(dict.fromkeys(str(c) for c in (picked or ()) if c))[: COMPARE_RANGE[1]]
    return codes if len(codes) >= COMPARE_RANGE[0] else ()
def levels_from_controls(controls: Mapping[str, Any]) -> dict[str, str]:
    """The map's level and zone filter: the zones whenever no import is chosen (its levels
    need one), communes of one zone only at the commune level."""
    level = str(controls.get("w_level") or "zone") if controls.get("w_source") else "zone"
    within = str(controls.get("w_within") or "") if level == "commune" else ""
    return {"level": level, "within": within}


def state_from_controls(
    controls: Mapping[str, Any], iset: IndicatorSet
) -> tuple[MapState, CartohdfError | None]:
    """The state the widgets ask for, and why the typed class bounds were set aside, if they were."""
    indicator = chosen_indicator(controls, iset)
    kind = iset.get(indicator).kind
    period = controls.get("w_period") or iset.default_change
    year, base = (period[1], period[0]) if kind == "change" else (controls.get("w_year"), None)
    params: dict[str, Any] = {
        "zoning": controls["w_zoning"], "indicator": indicator, "year": year,
        "base_year": base, "k": controls["w_k"], "palette": controls["w_palette"],
        "layers": frozenset(layer for layer in LAYERS if controls.get(f"w_{layer}")),
        "zone": controls.get("w_zone") or None, "basemap": controls["w_basemap"],
        "lang": controls["w_lang"], "source": controls.get("w_source") or "",
        "upload": controls.get("w_upload_key") or "",
        "scope": controls.get("w_scope") or "region",
        "compare": compared(controls.get("w_compare")),
        **levels_from_controls(controls),
    }  # fmt: skip
    if controls["w_scheme"] != "user":
        return MapState(scheme=controls["w_scheme"], **params), None
    try:
        breaks = parse_breaks_text(str(controls.get("w_breaks") or ""), kind)
        return MapState(scheme="user", breaks=breaks, **params), None
    except CartohdfError as exc:
        return MapState(scheme="quantiles", **params), exc
