"""Stage 3 — state: `MapState` (the whole view), its URL/CLI codec, `resolve` against the data,
and the app's widget <-> state conversion."""

from cartohdf.state._codec import LAYER_ALIASES, PARAMS, from_query, to_cli_args, to_query
from cartohdf.state._mapstate import DEFAULT_INDICATOR, DEFAULT_LAYERS, MAX_BREAKS, MapState
from cartohdf.state._resolve import data_for, open_state, resolve, view_set
from cartohdf.state._widgets import (
    breaks_unit,
    controls_from_state,
    format_breaks,
    parse_breaks_text,
    state_from_controls,
)

__all__ = [
    "DEFAULT_INDICATOR",
    "DEFAULT_LAYERS",
    "LAYER_ALIASES",
    "MAX_BREAKS",
    "PARAMS",
    "MapState",
    "breaks_unit",
    "controls_from_state",
    "data_for",
    "format_breaks",
    "from_query",
    "open_state",
    "parse_breaks_text",
    "resolve",
    "state_from_controls",
    "to_cli_args",
    "to_query",
    "view_set",
]
