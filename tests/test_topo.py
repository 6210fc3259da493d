"""The compact arc encoding rebuilds exactly the zones of geo/."""

from __future__ import annotations

import shapely
from hypothesis import given
from hypothesis import strategies as st

from cartohdf import data as sources
from cartohdf.render import build_topology, decode_points, encode_points, rings_from_topology

points = st.lists(
    st.tuples(st.integers(-9_000_000, 9_000_000), st.integers(-18_000_000, 18_000_000)), max_size=50
)


@given(points)
def test_polyline_round_trip(pts):
    assert decode_points(encode_points(pts)) == pts


@given(points)
def test_the_vectorised_encoder_writes_what_the_one_value_encoder_writes(pts):
    def _encode_value(v: int) -> str:  # the reference: one value, one loop
        v = ~(v << 1) if v < 0 else v << 1
        out = []
        while v >= 0x20:
            out.append(chr((0x20 | (v & 0x1F)) + 63))
            v >>= 5
        out.append(chr(v + 63))
        return "".join(out)

    expected, prev = [], (0, 0)
    for lat, lng in pts:
        expected.append(_encode_value(lat - prev[0]) + _encode_value(lng - prev[1]))
        prev = (lat, lng)
    assert encode_points(pts) == "".join(expected)


def _rebuild(topo, i):
    return shapely.MultiPolygon(
        [
            shapely.Polygon(
                [(x / 1e5, y / 1e5) for y, x in r[0]],
                [[(x / 1e5, y / 1e5) for y, x in h] for h in r[1:]],
            )
            for r in rings_from_topology(topo, i)
        ]
    )


def test_zones_are_rebuilt_exactly_and_arcs_are_shared():
    for zoning in ("ze2010", "ze2020"):
        zones = sources.load_zones(zoning)
        topo = build_topology(list(zones.geometry))
        rebuilt = [_rebuild(topo, i) for i in range(len(zones))]
        for a, b in zip(rebuilt, zones.geometry, strict=True):
            assert a.symmetric_difference(b).area < 1e-12
        assert shapely.coverage_is_valid(rebuilt)
        refs = [
            abs(r) if r >= 0 else ~r
            for shape in topo.shapes
            for poly in shape
            for ring in poly
            for r in ring
        ]
        assert len(refs) > len(topo.arcs)  # inner borders are referenced twice, stored once


def test_the_same_shapes_are_encoded_once_and_different_ones_apart():
    from shapely.geometry import box

    from cartohdf.render._topo import _build_topology

    zones = list(sources.load_zones("ze2010").geometry)
    first = build_topology(zones)
    assert (
        build_topology(list(sources.load_zones("ze2010").geometry)) is first
    )  # same shapes, read again
    assert first == _build_topology(zones)
    moved = [box(0, 0, 1, 1), box(1, 0, 2, 1)]
    assert build_topology(moved) != build_topology([box(0, 0, 1, 1), box(1, 0, 2, 2)])


@given(st.lists(points, max_size=6))
def test_many_lines_encode_as_each_alone(lines):
    from cartohdf.render._topo import encode_many

    assert encode_many(lines) == [encode_points(line) for line in lines]
