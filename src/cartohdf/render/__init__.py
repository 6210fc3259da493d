"""Stage 4 — render: one module per layer, the map frame (legend, title, sources), the compact
polygon encoding, our Leaflet elements and runtime (static/), and the zone and région panels.
Every builder takes explicit inputs; which layers a view has, in which order, is `compose`'s."""

from cartohdf.render._base import TILES, base_map, theme_layer
from cartohdf.render._circles import circle_discs
from cartohdf.render._elements import (
    DataLayer,
    FitView,
    OfflineMap,
    Pane,
    ShowOnly,
    assign_stable_ids,
    layer_group,
    leaflet_assets,
    own_assets,
    safe_json,
)
from cartohdf.render._employers import employer_discs, employer_layer
from cartohdf.render._html import card_html, esc, popup, tip_html
from cartohdf.render._labels import label_layer, zone_labels
from cartohdf.render._legend import (
    LegendEntry,
    day_text,
    employers_block,
    legend_entry,
    map_sources,
    map_title,
    outline_blocks,
    s3_blocks,
    sources_html,
    title_html,
    zones_block,
)
from cartohdf.render._outlines import outline_areas, outline_layer
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
from cartohdf.render._s3 import domains, layer_name, s3_layer, s3_pair
from cartohdf.render._territoires import territoire_areas, territoire_layer
from cartohdf.render._topo import (
    Topology,
    build_topology,
    decode_points,
    encode_points,
    rings_from_topology,
)
from cartohdf.render._words import reference_label, source_label, year_label
from cartohdf.render._zones import (
    label_points,
    outside_areas,
    region_areas,
    selection_areas,
    selection_layer,
    zone_areas,
    zone_card,
)

__all__ = [
    "PANEL_CSS",
    "TILES",
    "DataLayer",
    "FitView",
    "LegendEntry",
    "OfflineMap",
    "Pane",
    "ShowOnly",
    "Topology",
    "ZoneProfile",
    "assign_stable_ids",
    "base_map",
    "build_topology",
    "card_html",
    "circle_discs",
    "compare",
    "context_html",
    "context_text",
    "day_text",
    "decode_points",
    "domains",
    "employer_discs",
    "employer_layer",
    "employers_block",
    "encode_points",
    "esc",
    "figure_text",
    "key_figures",
    "label_layer",
    "label_points",
    "layer_group",
    "layer_name",
    "leaflet_assets",
    "legend_entry",
    "map_sources",
    "map_title",
    "outline_areas",
    "outline_blocks",
    "outline_layer",
    "outside_areas",
    "overview_html",
    "own_assets",
    "popup",
    "profile_html",
    "reference_label",
    "region_areas",
    "rings_from_topology",
    "s3_blocks",
    "s3_layer",
    "s3_pair",
    "safe_json",
    "selection_areas",
    "selection_layer",
    "similar_table",
    "source_label",
    "sources_html",
    "sparkline_svg",
    "strip_indicator",
    "strip_svg",
    "study_zones_for",
    "table_html",
    "territoire_areas",
    "territoire_layer",
    "theme_layer",
    "tip_html",
    "title_html",
    "verbatim",
    "year_label",
    "zone_areas",
    "zone_card",
    "zone_labels",
    "zone_profile",
    "zones_block",
]
