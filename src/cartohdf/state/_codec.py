"""A MapState to and from URL query parameters and `cartohdf export` flags (the same names)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cartohdf.core import LAYERS, S3_LAYERS, StateError, parse_int, parse_number
from cartohdf.state._mapstate import MapState, _check_choice

PARAMS = (
    "zoning",
    "indicator",
    "year",
    "scheme",
    "k",
    "breaks",
    "palette",
    "layers",
    "zone",
    "basemap",
    "lang",
    "source",
    "upload",
    "scope",
    "compare",
    "level",
    "within",
)
LAYER_ALIASES = {"s3": S3_LAYERS}
MAX_PARAM_CHARS = 2000  # a link longer than this was not made by cartohdf


def to_query(
    state: MapState, defaults: bool = False, base: MapState | None = None
) -> dict[str, str]:
    """URL query parameters: those that differ from `base` (the default state), or all."""
    base = base or MapState()
    out: dict[str, str] = {}
    for name in PARAMS:
        text = _to_text(state, name)
        if defaults or text != _to_text(base, name):
            out[name] = text
    return out


def to_cli_args(state: MapState) -> list[str]:
    """The `cartohdf export` flags that rebuild this state."""
    args: list[str] = []
    for name, text in to_query(state, defaults=True).items():
        if text != "":
            args += [f"--{name}", text]
    return args


def _to_text(state: MapState, name: str) -> str:
    if name == "year":
        if state.year is None:
            return ""
        return f"{state.base_year}-{state.year}" if state.base_year is not None else str(state.year)
    if name == "layers":
        layers = set(state.layers)
        parts = []
        if set(S3_LAYERS) <= layers:
            parts.append("s3")
            layers -= set(S3_LAYERS)
        parts += sorted(layers)
        return ",".join(parts) if parts else "none"
    if name == "breaks":
        return ",".join(f"{b:g}" for b in state.breaks)
    if name == "compare":
        return ",".join(state.compare)
    value = getattr(state, name)
    return "" if value is None else str(value)


def _parse_year(text: str) -> tuple[int | None, int | None]:
    text = text.strip()
    if not text:
        return None, None
    try:
        if "-" in text[1:]:
            y0, y1 = (parse_int(p) for p in text.split("-", 1))
            return y1, y0
        return parse_int(text), None
    except ValueError:
        raise StateError("state.bad_year", value=text) from None


def _parse_layers(text: str) -> frozenset[str]:
    text = text.strip()
    if text in ("", "none"):
        return frozenset()
    out: set[str] = set()
    for part in (p.strip() for p in text.split(",") if p.strip()):
        if part in LAYER_ALIASES:
            out |= set(LAYER_ALIASES[part])
        else:
            _check_choice("layers", part, (*LAYERS, *LAYER_ALIASES, "none"))
            out.add(part)
    return frozenset(out)


def bound_parts(text: str, sep: str) -> list[str]:
    """The bounds of a text as typed, one per part between separators (blank parts dropped)."""
    return [p.strip() for p in text.split(sep) if p.strip()]


def parse_bounds(text: str, sep: str = ",", problem: str = "state.bad_breaks",
                 **params: Any) -> tuple[float, ...]:  # fmt: skip
    """Class bounds: numbers separated by `sep` (``,`` in links and flags, ``;`` where
    decimal commas are typed); raises StateError `problem` naming the first non-number (with
    `params`: what else the message says). The one reader of typed class bounds."""
    out = []
    for part in bound_parts(text, sep):
        try:
            value = parse_number(part)
        except ValueError:
            value = None
        if value is None:
            raise StateError(problem, value=part, **params)
        out.append(value)
    return tuple(out)


def from_query(params: Mapping[str, str | list[str]]) -> MapState:
    """Build a state from URL query parameters (or CLI flags); unknown values raise StateError.

    A repeated parameter counts once, with its last value (as browsers and Streamlit do).
    """
    values: dict[str, object] = {}
    for name, raw in params.items():
        text = raw[-1] if isinstance(raw, list) else raw
        text = "" if text is None else str(text)
        if name not in PARAMS:
            raise StateError("state.unknown_param", name=name, allowed=list(PARAMS))
        if len(text) > MAX_PARAM_CHARS:
            raise StateError("state.param_too_long", name=name, n=len(text))
        if name == "year":
            values["year"], values["base_year"] = _parse_year(text)
        elif name == "k":
            try:
                values["k"] = parse_int(text)
            except ValueError:
                raise StateError("state.bad_k", value=text) from None
        elif name == "breaks":
            values["breaks"] = parse_bounds(text)
        elif name == "layers":
            values["layers"] = _parse_layers(text)
        elif name == "zone":
            values["zone"] = text.strip() or None
        elif name == "compare":
            values["compare"] = tuple(bound_parts(text, ","))
        else:
            values[name] = text.strip()
    return MapState(**values)  # type: ignore[arg-type]
