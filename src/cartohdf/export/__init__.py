"""Stage 6 — export: what a user takes away, each drawn from a plan or from the data behind
it. The standalone HTML map; the zone table as CSV and GeoJSON."""

from cartohdf.export._html import build_map, map_html, write_map
from cartohdf.export._tables import (
    FORMATS,
    write_zone_table,
    zone_table,
    zone_table_bytes,
    zone_table_csv,
    zone_table_csv_fr,
    zone_table_geojson,
    zone_table_xlsx,
)

__all__ = [
    "FORMATS",
    "build_map",
    "map_html",
    "write_map",
    "write_zone_table",
    "zone_table",
    "zone_table_bytes",
    "zone_table_csv",
    "zone_table_csv_fr",
    "zone_table_geojson",
    "zone_table_xlsx",
]
