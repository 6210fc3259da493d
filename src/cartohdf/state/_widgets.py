"""The app's widget values <-> MapState (pure: the app only copies values in and out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cartohdf.core import LAYERS, CartohdfError, stated
from cartohdf.indicators import IndicatorSet
from cartohdf.state._codec import parse_bounds
from cartohdf.state._mapstate import MapState


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
        "w_breaks": " ; ".join(stated(b, state.lang) for b in state.breaks),
        "w_zone": state.zone or "",
        "w_source": state.source,
        "w_upload_key": state.upload,
    }
    controls.update({f"w_{layer}": layer in state.layers for layer in LAYERS})
    return controls


def parse_breaks_text(text: str) -> tuple[float, ...]:
    """Class bounds as typed in the app: separated by « ; », decimal commas allowed."""
    return parse_bounds(text, ";", "state.bad_breaks_typed")


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
    }  # fmt: skip
    if controls["w_scheme"] != "user":
        return MapState(scheme=controls["w_scheme"], **params), None
    try:
        breaks = parse_breaks_text(str(controls.get("w_breaks") or ""))
        return MapState(scheme="user", breaks=breaks, **params), None
    except CartohdfError as exc:
        return MapState(scheme="quantiles", **params), exc
