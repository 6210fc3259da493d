"""Stage 6 — export: what a user takes away, each drawn from a plan or from the data behind
it. The standalone HTML map; the same map as SVG, PNG or PDF; the zone table as CSV and
GeoJSON; the atlas of the zones and one zone's portrait as PDF."""

from cartohdf.export._atlas import atlas_pdf, locator_frame, portrait_pdf
from cartohdf.export._comparison import (
    COMPARE_FORMATS,
    ComparedView,
    compared_view,
    comparison_bytes,
    comparison_pdf,
    map_file,
    write_comparison,
)
from cartohdf.export._html import build_map, map_document, map_html, write_map
from cartohdf.export._static import (
    MAP_FORMATS,
    STATIC_FORMATS,
    Frame,
    format_of,
    map_frame,
    static_map,
)
from cartohdf.export._tables import (
    FORMATS,
    national_zone_table,
    unit_people_table,
    unit_table_bytes,
    unit_table_geojson,
    write_zone_table,
    zone_table,
    zone_table_bytes,
    zone_table_csv,
    zone_table_csv_fr,
    zone_table_geojson,
    zone_table_xlsx,
)

__all__ = [
    "COMPARE_FORMATS",
    "FORMATS",
    "MAP_FORMATS",
    "STATIC_FORMATS",
    "ComparedView",
    "Frame",
    "atlas_pdf",
    "build_map",
    "compared_view",
    "comparison_bytes",
    "comparison_pdf",
    "format_of",
    "locator_frame",
    "map_document",
    "map_file",
    "map_frame",
    "map_html",
    "national_zone_table",
    "portrait_pdf",
    "static_map",
    "unit_people_table",
    "unit_table_bytes",
    "unit_table_geojson",
    "write_comparison",
    "write_map",
    "write_zone_table",
    "zone_table",
    "zone_table_bytes",
    "zone_table_csv",
    "zone_table_csv_fr",
    "zone_table_geojson",
    "zone_table_xlsx",
]
