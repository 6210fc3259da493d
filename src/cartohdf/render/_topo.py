"""Compact polygon encoding for the exported map: shared arcs, stored once, polyline-encoded.

Zones form a coverage: every inner border belongs to two zones. Writing each zone as plain
GeoJSON writes every inner border twice, with full decimal text. Here borders are split into
arcs at junctions (vertices where three or more edges meet), each arc is stored once and
referenced by index (``~i`` for the reversed arc, as in TopoJSON), and coordinates are
written as integer deltas in the encoded-polyline alphabet (1e-5 degree units). The browser
rebuilds the rings with `cartohdf.js` (our own decoder, inlined in the page).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from cartohdf.core import memo
from cartohdf.view import decode_points

SCALE = 100_000  # 1e-5 degree, the precision of geo/

Point = tuple[int, int]


@dataclass(frozen=True)
class Topology:
    """Encoded arcs and, per feature, polygons -> rings -> arc references."""

    arcs: list[str]
    shapes: list[list[list[list[int]]]]


def _polygons(geom: BaseGeometry) -> list[shapely.Polygon]:
    if isinstance(geom, shapely.Polygon):
        return [geom]
    if isinstance(geom, shapely.MultiPolygon):
        return list(geom.geoms)
    raise TypeError(f"polygon expected, got {geom.geom_type}")


def _ring_points(ring: shapely.LinearRing) -> list[Point]:
    """(lat, lng) in 1e-5 degrees, repeated points dropped, the ring left open."""
    xy = np.asarray(ring.coords)
    pts = np.round(xy[:, ::-1] * SCALE).astype(np.int64)  # half to even, like round()
    keep = np.ones(len(pts), dtype=bool)
    keep[1:] = (pts[1:] != pts[:-1]).any(axis=1)
    dedup: list[Point] = list(map(tuple, pts[keep].tolist()))
    return dedup[:-1] if dedup[0] == dedup[-1] else dedup


_SHIFTS = 5 * np.arange(13)  # 13 groups of 5 bits hold any int64


def encode_points(points: Sequence[Point]) -> str:
    """Encoded-polyline text of integer (lat, lng) points, as deltas."""
    return encode_many([points])[0]


def encode_many(lines: Sequence[Sequence[Point]]) -> list[str]:
    """:func:`encode_points` of many lines at once (numpy: every value's 5-bit groups together,
    low first, all but the last flagged with 0x20; deltas restart at each line)."""
    lengths = np.array([len(line) for line in lines], dtype=np.int64)
    if not lengths.sum():
        return ["" for _ in lines]
    arr = np.array([p for line in lines for p in line], dtype=np.int64).reshape(-1, 2)
    previous = np.vstack([np.zeros((1, 2), dtype=np.int64), arr[:-1]])
    starts = np.cumsum(lengths) - lengths
    previous[starts[lengths > 0]] = 0
    deltas = (arr - previous).ravel()
    zigzag = np.where(deltas < 0, ~(deltas << 1), deltas << 1)
    groups = (zigzag[:, None] >> _SHIFTS) & 0x1F
    count = 1 + ((zigzag[:, None] >> _SHIFTS[1:]) > 0).sum(axis=1)
    position = np.arange(len(_SHIFTS))
    chars = groups + 63 + np.where(position < (count - 1)[:, None], 0x20, 0)
    text = chars[position < count[:, None]].astype(np.uint8).tobytes().decode("ascii")
    total = np.concatenate([[0], np.cumsum(count)])  # characters before each value
    bounds = total[2 * np.concatenate([starts, [len(arr)]])].tolist()
    return [text[a:b] for a, b in pairwise(bounds)]


# decode_points (the inverse of encode_points) lives in cartohdf.view, with the shapes it reads


_TOPOLOGIES = memo.table(size=64)  # the shapes every map draws, and a few more


def build_topology(geoms: Sequence[BaseGeometry]) -> Topology:
    """Split the rings of `geoms` (EPSG:4326) into shared arcs and encode them.

    The same shapes (zones, outlines: every map draws them) are encoded once: results are
    kept by a digest of the shapes' WKB, the least recently used dropped past 64.
    """
    key = hashlib.sha256(b"".join(shapely.to_wkb(list(geoms)))).digest()
    return _TOPOLOGIES.get(key, lambda: _build_topology(geoms))


def _build_topology(geoms: Sequence[BaseGeometry]) -> Topology:
    rings_by_shape: list[list[list[Point]]] = []
    neighbours: dict[Point, set[Point]] = defaultdict(set)
    for geom in geoms:
        shape_rings = []
        for poly in _polygons(geom):
            for ring in (poly.exterior, *poly.interiors):
                pts = _ring_points(ring)
                n = len(pts)
                for i, p in enumerate(pts):
                    neighbours[p].update((pts[i - 1], pts[(i + 1) % n]))
                shape_rings.append(pts)
        rings_by_shape.append(shape_rings)

    arc_index: dict[tuple[Point, ...], int] = {}
    arcs: list[list[Point]] = []

    def ref(arc: list[Point]) -> int:
        key = tuple(arc)
        if key in arc_index:
            return arc_index[key]
        rkey = key[::-1]
        if rkey in arc_index:
            return ~arc_index[rkey]
        arc_index[key] = len(arcs)
        arcs.append(arc)
        return arc_index[key]

    shapes: list[list[list[list[int]]]] = []
    for geom, shape_rings in zip(geoms, rings_by_shape, strict=True):
        refs_by_ring = []
        for pts in shape_rings:
            junctions = [i for i, p in enumerate(pts) if len(neighbours[p]) > 2]
            if not junctions:
                start = pts.index(min(pts))  # canonical start: the same ring seen twice matches
                loop = pts[start:] + pts[:start]
                refs_by_ring.append([_closed_ref(loop, ref)])
                continue
            start = junctions[0]
            loop = pts[start:] + pts[:start]
            cuts = [j - start for j in junctions] + [len(pts)]
            loop.append(loop[0])
            refs_by_ring.append([ref(loop[a : b + 1]) for a, b in pairwise(cuts)])
        # regroup rings into polygons (exterior first, then holes), as in the input
        polys, k = [], 0
        for poly in _polygons(geom):
            count = 1 + len(poly.interiors)
            polys.append(refs_by_ring[k : k + count])
            k += count
        shapes.append(polys)
    return Topology(arcs=encode_many(arcs), shapes=shapes)


def _closed_ref(loop: list[Point], ref: object) -> int:
    """A ring with no junction is one closed arc; its reverse starts at the same point."""
    closed = [*loop, loop[0]]
    forward = ref(closed)  # type: ignore[operator]
    return int(forward)


def rings_from_topology(topo: Topology, shape: int) -> list[list[list[Point]]]:
    """Rebuild one feature's polygons -> rings -> points (lat, lng), closed."""
    decoded = [decode_points(a) for a in topo.arcs]
    out = []
    for poly in topo.shapes[shape]:
        rings = []
        for refs in poly:
            ring: list[Point] = []
            for r in refs:
                pts = decoded[r] if r >= 0 else list(reversed(decoded[~r]))
                ring.extend(pts if not ring else pts[1:])
            rings.append(ring)
        out.append(rings)
    return out
