"""Deterministic GeoJSON writing: sorted features, rounded coordinates, sorted keys."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from cartohdf.core import write_atomic

COORD_DECIMALS = 5  # 1e-5 degree is about 1 m: far below a pixel at regional zoom


def round_geometry(geom: BaseGeometry, decimals: int = COORD_DECIMALS) -> BaseGeometry:
    """Round every coordinate; shared vertices round to the same value, so shared edges stay shared."""
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def feature_collection(
    features: Iterable[tuple[Mapping[str, Any], BaseGeometry]],
) -> dict[str, Any]:
    """Build a FeatureCollection dict from (properties, geometry) pairs, in the given order."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": dict(props), "geometry": mapping(geom)}
            for props, geom in features
        ],
    }


def dumps(obj: Any) -> str:
    """Compact, key-sorted JSON: the same object always gives the same text."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def write_geojson(path: Path, collection: Mapping[str, Any]) -> None:
    """Write one feature per line so diffs of geo/ stay readable; whole or not at all."""
    lines = ['{"type":"FeatureCollection","features":[']
    feats = list(collection["features"])
    for i, feat in enumerate(feats):
        lines.append(dumps(feat) + ("," if i < len(feats) - 1 else ""))
    lines.append("]}")
    write_atomic(path, "\n".join(lines) + "\n")
