"""The app's widget values <-> MapState (pure: the app only copies values in and out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cartohdf.core import LAYERS, CartohdfError, StateError, TextKey, stated
from cartohdf.indicators import IndicatorSet
from cartohdf.state._codec import bound_parts, parse_bounds
from cartohdf.state._mapstate import MAX_BREAKS, MapState

# Class bounds are typed in the unit the legend shows: percent for shares and changes (stored
# as fractions), jobs for counts, the index itself for quotients, the file's unit for a user
# indicator.
PERCENT_KINDS = ("share", "change")


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
        "w_indicator": state.indicator,
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
        "w_level": state.level,
        "w_within": state.within,
    }
    controls.update({f"w_{layer}": layer in state.layers for layer in LAYERS})
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
    kind = iset.get(controls["w_indicator"]).kind
    period = controls.get("w_period") or iset.default_change
    year, base = (period[1], period[0]) if kind == "change" else (controls.get("w_year"), None)
    params: dict[str, Any] = {
        "zoning": controls["w_zoning"], "indicator": controls["w_indicator"], "year": year,
        "base_year": base, "k": controls["w_k"], "palette": controls["w_palette"],
        "layers": frozenset(layer for layer in LAYERS if controls.get(f"w_{layer}")),
        "zone": controls.get("w_zone") or None, "basemap": controls["w_basemap"],
        "lang": controls["w_lang"], "source": controls.get("w_source") or "",
        "upload": controls.get("w_upload_key") or "",
        "scope": controls.get("w_scope") or "region",
        **levels_from_controls(controls),
    }  # fmt: skip
    if controls["w_scheme"] != "user":
        return MapState(scheme=controls["w_scheme"], **params), None
    try:
        breaks = parse_breaks_text(str(controls.get("w_breaks") or ""), kind)
        return MapState(scheme="user", breaks=breaks, **params), None
    except CartohdfError as exc:
        return MapState(scheme="quantiles", **params), exc
