"""Stage 3 — state: `MapState` (the whole view), its URL/CLI codec, `resolve` against the data,
and the app's widget <-> state conversion."""

from cartohdf.state._codec import LAYER_ALIASES, PARAMS, from_query, to_cli_args, to_query
from cartohdf.state._mapstate import (
    COMPARE_RANGE,
    DEFAULT_INDICATOR,
    DEFAULT_LAYERS,
    MAX_BREAKS,
    MapState,
)
from cartohdf.state._resolve import check_sector, data_for, open_state, resolve, view_set
from cartohdf.state._widgets import (
    DEFAULT_SECTOR,
    DEFAULT_SECTOR_MEASURE,
    SECTOR_CHOICE,
    breaks_unit,
    chosen_indicator,
    controls_from_state,
    format_breaks,
    indicator_options,
    parse_breaks_text,
    state_from_controls,
)

__all__ = [
    "COMPARE_RANGE",
    "DEFAULT_INDICATOR",
    "DEFAULT_LAYERS",
    "DEFAULT_SECTOR",
    "DEFAULT_SECTOR_MEASURE",
    "LAYER_ALIASES",
    "MAX_BREAKS",
    "PARAMS",
    "SECTOR_CHOICE",
    "MapState",
    "breaks_unit",
    "check_sector",
    "chosen_indicator",
    "controls_from_state",
    "data_for",
    "format_breaks",
    "from_query",
    "indicator_options",
    "open_state",
    "parse_breaks_text",
    "resolve",
    "state_from_controls",
    "to_cli_args",
    "to_query",
    "view_set",
]
