"""Stage 4 — render: one module per layer, the map frame (legend, title, sources), the compact
polygon encoding, our Leaflet elements and runtime (static/), and the zone and région panels.
Every builder takes explicit inputs; which layers a view has, in which order, is `compose`'s."""

from cartohdf.render._base import TILES, base_map, theme_layer
from cartohdf.render._elements import (
    DataLayer,
    FitView,
    OfflineMap,
    Pane,
    ScriptElement,
    ShowOnly,
    assign_stable_ids,
    layer_group,
    leaflet_assets,
    own_assets,
    safe_json,
)
from cartohdf.render._employers import employer_layer
from cartohdf.render._html import esc, popup
from cartohdf.render._labels import label_layer
from cartohdf.render._legend import (
    LegendEntry,
    employers_entry,
    outline_entries,
    s3_entries,
    sources_html,
    title_html,
    zones_entry,
)
from cartohdf.render._outlines import outline_layer
from cartohdf.render._overview import compare, figure_text, key_figures, verbatim
from cartohdf.render._panel import (
    PANEL_CSS,
    context_html,
    context_text,
    overview_html,
    profile_html,
    similar_table,
    sparkline_svg,
    strip_svg,
    table_html,
)
from cartohdf.render._profile import ZoneProfile, strip_indicator, study_zones_for, zone_profile
from cartohdf.render._s3 import domains, layer_name, s3_layer
from cartohdf.render._territoires import territoire_layer
from cartohdf.render._topo import (
    Topology,
    build_topology,
    decode_points,
    encode_points,
    rings_from_topology,
)
from cartohdf.render._words import reference_label, source_label, year_label
from cartohdf.render._zones import label_points, selection_layer, zone_popup

__all__ = [
    "PANEL_CSS",
    "TILES",
    "DataLayer",
    "FitView",
    "LegendEntry",
    "OfflineMap",
    "Pane",
    "ScriptElement",
    "ShowOnly",
    "Topology",
    "ZoneProfile",
    "assign_stable_ids",
    "base_map",
    "build_topology",
    "compare",
    "context_html",
    "context_text",
    "decode_points",
    "domains",
    "employer_layer",
    "employers_entry",
    "encode_points",
    "esc",
    "figure_text",
    "key_figures",
    "label_layer",
    "label_points",
    "layer_group",
    "layer_name",
    "leaflet_assets",
    "outline_entries",
    "outline_layer",
    "overview_html",
    "own_assets",
    "popup",
    "profile_html",
    "reference_label",
    "rings_from_topology",
    "s3_entries",
    "s3_layer",
    "safe_json",
    "selection_layer",
    "similar_table",
    "source_label",
    "sources_html",
    "sparkline_svg",
    "strip_indicator",
    "strip_svg",
    "study_zones_for",
    "table_html",
    "territoire_layer",
    "theme_layer",
    "title_html",
    "verbatim",
    "year_label",
    "zone_popup",
    "zone_profile",
    "zones_entry",
]
