"""The typed view: `compose` describes a map once, as data (`Plan.drawing`); folium builds the
Leaflet map from it and matplotlib paints it, neither reading the other's output back."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely
from matplotlib.path import Path

from cartohdf.compose import plan
from cartohdf.export import static_map
from cartohdf.export._atlas import atlas_context, class_label, geometry_path
from cartohdf.export._paint import arcs_l93, polygon_path, shape_rings
from cartohdf.indicators import NO_DATA_COLOR
from cartohdf.render import card_html, zone_profile
from cartohdf.render._legend import block_html
from cartohdf.render._zones import zone_layer
from cartohdf.state import from_query
from cartohdf.view import Drawing, Swatch
from tests.conftest import DAY

ALL_LAYERS = "s3,employers,ti2018,ti2023,departements,labels"
QUERIES = [
    {},
    {"layers": ALL_LAYERS, "zone": "2203"},
    {"indicator": "industrial_jobs", "layers": "employers"},  # circles
    {"scope": "france", "zoning": "ze2020", "lang": "en"},
]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("query", QUERIES)
def test_the_drawing_is_json_and_reads_back_equal(data, query):
    drawing = plan(from_query(query), data).drawing
    text = drawing.to_json()
    assert Drawing.from_json(text) == drawing
    assert text == plan(from_query(query), data).drawing.to_json()  # deterministic
    assert "<" not in text  # data, not markup: no tag anywhere
    assert json.loads(text)["shown"] == list(drawing.shown)


def test_zones_carry_their_class_fill_and_the_no_data_case(data):
    p = plan(from_query({}), data)
    zones = p.drawing.zones.areas
    assert [a.code for a in zones] == list(data.zones["ze2010"]["code"])
    for a in zones:
        assert a.fill == p.classes.color_of(a.code)
        assert (a.klass is None) == (a.value is None)
        if a.klass is not None:
            assert a.fill == p.classes.colors[a.klass]
    # a zone without a value: no class, the no-data fill, said so in the legend
    hole = dataclasses.replace(p.values, values=p.values.values.drop("2203"))
    from cartohdf.render import zone_areas

    classes = dataclasses.replace(p.classes, zone_class={
        c: k for c, k in p.classes.zone_class.items() if c != "2203"})  # fmt: skip
    areas = zone_areas(data, "ze2010", hole, classes, "fr")
    (gap,) = [a for a in areas.areas if a.code == "2203"]
    assert (gap.klass, gap.value, gap.fill) == (None, None, NO_DATA_COLOR)
    rows = p.drawing.legend[0].rows
    assert [r.klass for r in rows if r.klass is not None] == list(range(len(p.classes.colors)))
    assert any(r.swatch == Swatch("box", NO_DATA_COLOR) for r in rows)


def test_folium_writes_its_payload_from_the_typed_zones(data):
    p = plan(from_query({}), data)
    zones = p.drawing.zones
    first = dataclasses.replace(zones.areas[0], fill="#123456", tip=("Ici", "42"))
    changed = dataclasses.replace(zones, areas=(first, *zones.areas[1:]))
    script = next(iter(zone_layer(changed, "fr")._children.values())).script_text()
    payload = json.loads(re.match(r"cartohdf\.\w+\(\w+, (.*)\);$", script).group(1))
    feature = payload["features"][0]
    assert feature["style"]["fillColor"] == "#123456"
    assert feature["tooltip"] == "<b>Ici</b><br>42"
    assert feature["popup"] == card_html(first.card)
    assert p.legend[0].html == block_html(p.drawing.legend[0])  # the HTML legend, from the blocks


def test_the_print_paints_the_drawing_itself(data, monkeypatch):
    """A fill changed in the drawing is the fill printed: the print reads nothing else."""
    p = plan(from_query({"layers": "none"}), data)
    zones = p.drawing.zones
    areas = tuple(dataclasses.replace(a, fill="#ff00ff") if a.code == "2203" else a
                  for a in zones.areas)  # fmt: skip
    drawing = dataclasses.replace(p.drawing, zones=dataclasses.replace(zones, areas=areas))
    monkeypatch.setattr(type(p), "drawing", property(lambda _: drawing))  # the plan's drawing, replaced
    root = ET.fromstring(static_map(p, "svg", DAY))
    fills = {}
    for g in root.iter(f"{SVG}g"):
        if (g.get("id") or "").startswith("zones-"):
            style = next(g.iter(f"{SVG}path")).get("style", "")
            fills[g.get("id")] = re.search(r"fill: (#[0-9a-f]{6})", style).group(1)
    assert fills["zones-2203"] == "#ff00ff"
    assert fills["zones-3121"] == p.classes.color_of("3121")


def test_the_atlas_names_a_zone_s_class_by_its_index_not_its_colour(data, monkeypatch):
    atlas = atlas_context(data, "ze2010", "fr", DAY)
    drawing = atlas.plan.drawing
    rows = {r.klass: r.text for r in drawing.legend[0].rows if r.klass is not None}
    for area in drawing.zones.areas:
        assert class_label(atlas, area.code) == rows[area.klass]
    # two classes of one colour (a palette short of colours) stay two classes
    zones = drawing.zones
    same = tuple(dataclasses.replace(a, fill="#000000") for a in zones.areas)
    blocks = (dataclasses.replace(drawing.legend[0], rows=tuple(
        dataclasses.replace(r, swatch=Swatch("box", "#000000")) if r.klass is not None else r
        for r in drawing.legend[0].rows)), *drawing.legend[1:])  # fmt: skip
    twin = dataclasses.replace(drawing, zones=dataclasses.replace(zones, areas=same), legend=blocks)
    monkeypatch.setattr(type(atlas.plan), "drawing", property(lambda _: twin))
    labels = {class_label(atlas, a.code) for a in zones.areas}
    assert labels == set(rows.values())


def test_one_path_builder_for_arcs_and_shapely_rings(data):
    """The print's zones (shared arcs) and the atlas' outlines (shapely) go through one
    builder: the same polygon gives the same path, holes cut."""
    outer = [(0.0, 0.0), (0.0, 10.0), (10.0, 10.0), (10.0, 0.0), (0.0, 0.0)]  # clockwise
    hole = [(2.0, 2.0), (4.0, 2.0), (4.0, 4.0), (2.0, 4.0), (2.0, 2.0)]  # counter-clockwise
    path = geometry_path(shapely.Polygon(outer, [hole]))
    same = polygon_path([[np.array(outer), np.array(hole)]])
    assert np.array_equal(path.vertices, same.vertices)
    assert np.array_equal(path.codes, same.codes)
    ext, inner = path.vertices[:4], path.vertices[5:9]
    assert _area(ext) > 0 > _area(inner)  # outer ring counter-clockwise, the hole clockwise
    assert list(path.codes).count(Path.CLOSEPOLY) == 2
    zones = plan(from_query({}), data).drawing.zones
    rings = shape_rings(arcs_l93(zones.shapes.arcs), zones.shapes.shapes[0])
    drawn = polygon_path(rings)
    assert np.allclose(drawn.vertices[0], rings[0][0][0])  # each ring from its own first point
    assert list(drawn.codes).count(Path.CLOSEPOLY) == sum(len(p) for p in rings)


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2


def test_profile_strip_and_series_are_computed_once_and_drawn_by_both(data):
    from matplotlib.figure import Figure

    from cartohdf.export import _atlas, _static
    from cartohdf.render import profile_html

    p = zone_profile(data, "ze2010", "2203", "fr")
    assert p.jobs is not None and p.strip is not None
    assert p.jobs.values == tuple(float(v) for v in p.jobs_series.dropna())
    assert len(p.strip.france) + len(p.strip.region) == p.context.n_france
    html = profile_html(p, "fr")
    assert f">{p.strip.value_text}</text>" not in html  # the SVG travels as an image…
    assert p.strip.label.replace("’", "’") in html  # …its text as the image's alternative
    atlas = atlas_context(data, "ze2010", "fr", DAY)
    with _static.print_style():
        fig = Figure(figsize=_atlas.A4_PORTRAIT)
        _atlas.zone_page(fig, atlas, "2203")
        texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert {p.strip.value_text, p.strip.lo_text, p.strip.hi_text} <= set(texts)
