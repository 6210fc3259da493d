"""Paint a view's drawing (`cartohdf.view.Drawing`) on a matplotlib axes: the very objects the
HTML map is built from — the same shapes, positions, colours and sizes.

Polygons come as shared arcs (reprojected here to Lambert-93), symbols as discs sized in CSS
pixels (0.75 pt each), S3 pairs as numbered discs and a dashed link, names as points for the
layout to place. Matplotlib is imported by the functions that draw, never at module import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from cartohdf.core import memo
from cartohdf.view import HATCH_COLOR, Areas, Discs, Drawing, Label, Pair, decode_points

if TYPE_CHECKING:
    import pyproj
    from matplotlib.axes import Axes

PX = 0.75  # one CSS pixel, in points: the HTML map's sizes carry over to paper
SCALE = 100_000  # topology coordinates are in 1e-5 degrees
LABEL_PT = 7.0
S3_DISC_PX, S3_TEXT_PX, S3_BORDER_PX = 20.0, 11.0, 1.5  # .cartohdf-s3 in cartohdf.css
TEXT_COLOR = "#222222"

Layer = Areas | Discs | Pair | tuple[Label, ...]


@dataclass
class Marks:
    """What the painters leave for the layout: names to place, round symbols (centre in map
    units, diameter in points, their artists) and the zones' outlines (map units)."""

    labels: list[tuple[float, float, str]] = field(default_factory=list)
    symbols: list[tuple[float, float, float, list[Any]]] = field(default_factory=list)
    zones: dict[str, Any] = field(default_factory=dict)


@memo.memoized()
def _to_l93() -> pyproj.Transformer:
    import pyproj

    return pyproj.Transformer.from_crs(4326, 2154, always_xy=True)


def project(lat: np.ndarray, lng: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Degrees (WGS 84) to Lambert-93 metres (EPSG:2154)."""
    x, y = _to_l93().transform(np.asarray(lng, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


def shown_layers(drawing: Drawing) -> list[Layer]:
    """The drawing's layers on the map, bottom to top: the zones (their outer parts, the
    région's outline over France, the circles), then each shown overlay in drawing order."""
    on = set(drawing.shown)
    out: list[Layer] = [] if drawing.units is None else [drawing.units]
    out.append(drawing.zones)
    out += [x for x in (drawing.outside, drawing.region_outline, drawing.circles) if x is not None]
    if "departements" in on:
        out += drawing.departements
    out += [ti for ti in drawing.territoires if ti.layer in on]
    if drawing.compared is not None:
        out.append(drawing.compared)
    if drawing.selection is not None:
        out.append(drawing.selection.outline)
    if "labels" in on and drawing.labels:
        out.append(drawing.labels)
    if "employers" in on:
        out.append(drawing.employers)
    out += [pair for pair in drawing.pairs if pair.layer in on]
    return out


# -- polygons ------------------------------------------------------------------------------


def arcs_l93(arcs: Sequence[str]) -> list[np.ndarray]:
    """Decoded arcs as (n, 2) arrays of Lambert-93 metres (one projection call for all)."""
    decoded = [np.asarray(decode_points(a), dtype=float).reshape(-1, 2) / SCALE for a in arcs]
    if not decoded:
        return []
    stacked = np.concatenate(decoded)
    x, y = project(stacked[:, 0], stacked[:, 1])
    xy = np.column_stack([x, y])
    return np.split(xy, np.cumsum([len(a) for a in decoded])[:-1])


def _ring(arcs: list[np.ndarray], refs: Sequence[int]) -> np.ndarray:
    parts = []
    for i, r in enumerate(refs):
        pts = arcs[r] if r >= 0 else arcs[~r][::-1]
        parts.append(pts if i == 0 else pts[1:])
    return np.concatenate(parts)


def shape_rings(arcs: list[np.ndarray], shape: Sequence[Sequence[Sequence[int]]]) -> list[list[np.ndarray]]:
    """One feature's polygons -> rings (exterior first) as (n, 2) arrays."""
    return [[_ring(arcs, refs) for refs in polygon] for polygon in shape]


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2


def polygon_path(polygons: Iterable[Sequence[np.ndarray]]) -> Any:
    """Polygons (each its rings, exterior first; a ring may repeat its first point at its end)
    as one matplotlib Path: outer rings counter-clockwise, holes clockwise, so the non-zero
    fill rule of every backend cuts holes."""
    from matplotlib.path import Path

    verts, codes = [], []
    for polygon in polygons:
        for i, ring in enumerate(polygon):
            if len(ring) > 1 and np.array_equal(ring[0], ring[-1]):
                ring = ring[:-1]  # CLOSEPOLY closes it
            if (_signed_area(ring) > 0) != (i == 0):
                ring = np.concatenate([ring[:1], ring[1:][::-1]])  # reversed, from the same start
            verts += [ring, ring[:1]]
            codes += [Path.MOVETO, *[Path.LINETO] * (len(ring) - 1), Path.CLOSEPOLY]
    return Path(np.concatenate(verts), codes)


def _dashes(dash_array: str, width_pt: float) -> Any:
    if not dash_array:
        return "solid"
    on_off = tuple(float(v) * PX / max(width_pt, 0.1) for v in dash_array.split())
    return (0, on_off)  # in line widths: matplotlib scales dashes by the width


def rings_geometry(rings: list[list[np.ndarray]]) -> Any:
    """One feature as a shapely (multi)polygon: the area its name must stay over."""
    import shapely

    polygons = [shapely.Polygon(p[0], p[1:]) for p in rings]
    return shapely.make_valid(shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0])


def paint_areas(ax: Axes, areas: Areas, zorder: float, marks: Marks) -> None:
    """Every feature of a layer of polygons, one patch each (id ``<layer>-<code>``); the zones
    print opaque (their translucency lets the basemap through, and paper has none)."""
    from matplotlib.patches import PathPatch

    arcs = arcs_l93(areas.shapes.arcs)
    line = areas.line
    width = float(line.weight) * PX
    hatched = set(areas.hatched)
    for shape, area in zip(areas.shapes.shapes, areas.areas, strict=True):
        rings = shape_rings(arcs, shape)
        if areas.layer == "zones":
            marks.zones[area.code] = rings_geometry(rings)
        face: Any = "none"
        if area.fill is not None:
            translucent = areas.fill_opacity is not None and areas.layer not in ("zones", "units")
            face = _with_alpha(area.fill, areas.fill_opacity) if translucent else area.fill  # type: ignore[arg-type]
        patch = PathPatch(polygon_path(rings), facecolor=face, edgecolor=line.color,
                          linewidth=width, linestyle=_dashes(line.dash, width), zorder=zorder,
                          joinstyle="round")  # fmt: skip
        if area.code in hatched:  # a statistical secret: stripes over the class colour
            patch.set_hatch("/////")
            patch.set_hatchcolor(HATCH_COLOR)
            patch.set_hatch_linewidth(0.4)
        patch.set_gid(f"{areas.layer}-{area.code}")
        ax.add_patch(patch)


def _with_alpha(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(color, alpha)


# -- symbols, names, links -----------------------------------------------------------------


def _xy(points: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    lat, lng = np.array(points, dtype=float).reshape(-1, 2).T
    return project(lat, lng)


def disc_size(discs: Discs, radius: float) -> float:
    """A disc's outer diameter in points (its edge included)."""
    return (2 * float(radius) + float(discs.line.weight)) * PX


PAIR_DISC_PT = (S3_DISC_PX + S3_BORDER_PX) * PX


def symbols(layer: Layer) -> list[tuple[float, float, float]]:
    """The round symbols of one layer: (x, y) in Lambert-93, diameter in points."""
    if isinstance(layer, Discs) and layer.discs:
        xs, ys = _xy([d.at for d in layer.discs])
        sizes = [disc_size(layer, d.radius) for d in layer.discs]
        return [(float(x), float(y), s) for x, y, s in zip(xs, ys, sizes, strict=True)]
    if isinstance(layer, Pair):
        xs, ys = _xy([h.at for h in layer.heads])
        return [(float(x), float(y), PAIR_DISC_PT) for x, y in zip(xs, ys, strict=True)]
    return []


def paint_discs(ax: Axes, discs: Discs, zorder: float, marks: Marks) -> None:
    """Round symbols sized in CSS pixels, in their translucent fill."""
    if not discs.discs:
        return
    face = _with_alpha(discs.fill, discs.fill_opacity)
    for (x, y, size), d in zip(symbols(discs), discs.discs, strict=True):
        (dot,) = ax.plot([x], [y], marker="o", markersize=2 * float(d.radius) * PX,
                         markerfacecolor=face, markeredgecolor=discs.line.color,
                         markeredgewidth=float(discs.line.weight) * PX, linestyle="none",
                         zorder=zorder, gid=f"{discs.layer}-marker")  # fmt: skip
        marks.symbols.append((x, y, size, [dot]))


def paint_pair(ax: Axes, pair: Pair, zorder: float, marks: Marks) -> None:
    """An S3 domain: the dashed link, then its two numbered discs."""
    xs, ys = _xy([h.at for h in pair.heads])
    link = pair.link
    width = float(link.weight) * PX
    (artist,) = ax.plot(xs, ys, color=link.color, linewidth=width, zorder=zorder,
                        alpha=float(link.opacity), linestyle=_dashes(link.dash, width))  # fmt: skip
    artist.set_gid(f"{pair.layer}-link")
    for x, y in zip(xs, ys, strict=True):
        (dot,) = ax.plot([x], [y], marker="o", markersize=S3_DISC_PX * PX,
                         markerfacecolor=pair.color, markeredgecolor=TEXT_COLOR,
                         markeredgewidth=S3_BORDER_PX * PX, linestyle="none",
                         zorder=zorder, gid=f"{pair.layer}-disc")  # fmt: skip
        num = ax.text(x, y, str(pair.order), ha="center", va="center_baseline",
                      fontsize=S3_TEXT_PX * PX, fontweight="bold", color=pair.text_color,
                      zorder=zorder + 0.01, clip_on=True)  # fmt: skip
        marks.symbols.append((float(x), float(y), PAIR_DISC_PT, [dot, num]))


def paint_layer(ax: Axes, layer: Layer, zorder: float, marks: Marks) -> None:
    """One layer of the drawing on paper (names and symbols noted in `marks`)."""
    if isinstance(layer, Areas):
        paint_areas(ax, layer, zorder, marks)
    elif isinstance(layer, Discs):
        paint_discs(ax, layer, zorder, marks)
    elif isinstance(layer, Pair):
        paint_pair(ax, layer, zorder, marks)
    else:  # names: placed by the layout once every symbol is known
        xs, ys = _xy([lb.at for lb in layer])
        marks.labels += [(float(x), float(y), lb.text) for x, y, lb in zip(xs, ys, layer, strict=True)]


def drawn_bounds(drawing: Drawing) -> tuple[float, float, float, float]:
    """The bounds of the zones the map draws (the région's with the outer parts of its
    inter-regional zones, or France's), in Lambert-93."""
    arcs = [a for areas in (drawing.zones, drawing.outside) if areas is not None
            for a in arcs_l93(areas.shapes.arcs)]  # fmt: skip
    xy = np.concatenate(arcs)
    return (float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()),
            float(xy[:, 1].max()))  # fmt: skip
