"""The zone table users download, as CSV or GeoJSON (the map itself: `mapview.map_html`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cartohdf.dataset import Dataset, zone_table
from cartohdf.errors import InputError
from cartohdf.geojson_io import feature_collection

DECIMALS = 6


def zone_table_csv(data: Dataset, zoning: str) -> str:
    """The zone table as CSV text (shares and changes as fractions: 0.195 = 19.5 %)."""
    table = zone_table(data, zoning).drop(columns="geometry")
    return table.round(DECIMALS).to_csv(index=False, lineterminator="\n")


def zone_table_geojson(data: Dataset, zoning: str) -> str:
    """The zone table as GeoJSON (EPSG:4326), one feature per zone, sorted by code."""
    table = zone_table(data, zoning)
    feats = []
    for _, row in table.iterrows():
        props = {}
        for k, v in row.drop("geometry").items():
            if isinstance(v, float | np.floating):
                props[str(k)] = None if np.isnan(v) else round(float(v), DECIMALS)
            elif isinstance(v, np.bool_ | bool):
                props[str(k)] = bool(v)
            else:
                props[str(k)] = v
        feats.append((props, row["geometry"]))
    return json.dumps(
        feature_collection(feats), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def write_zone_table(data: Dataset, zoning: str, fmt: str, out: Path) -> None:
    """Write the zone table; nothing is written when the format is unknown."""
    if fmt == "csv":
        text = zone_table_csv(data, zoning)
    elif fmt == "geojson":
        text = zone_table_geojson(data, zoning)
    else:
        raise InputError("format inconnu", value=fmt, expected="csv ou geojson")
    out.write_text(text, encoding="utf-8")
