"""Paint a plan's layers and legend on a matplotlib axes, from the very payloads the HTML map
sends to the browser: the same shapes, positions, colours, sizes and legend entries.

Each layer of the HTML map is a `DataLayer` whose JSON payload `cartohdf.js` draws. Here the
same payloads are drawn on paper: polygons from their shared-arc topology (reprojected to
Lambert-93), markers (discs sized in pixels, numbered S3 discs, zone names), dashed links. The
legend is read from the plan's `LegendEntry` HTML, so a class label cannot differ from the
HTML legend's. Matplotlib is imported by the functions that draw, never at module import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import numpy as np

from cartohdf.core import memo
from cartohdf.render import DataLayer, decode_points

if TYPE_CHECKING:
    import pyproj
    from matplotlib.axes import Axes

PX = 0.75  # one CSS pixel, in points: the HTML map's sizes carry over to paper
SCALE = 100_000  # topology coordinates are in 1e-5 degrees
LABEL_PT = 7.0
S3_DISC_PX, S3_TEXT_PX, S3_BORDER_PX = 20.0, 11.0, 1.5  # .cartohdf-s3 in cartohdf.css
TEXT_COLOR = "#222222"


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


def data_layers(element: Any) -> Iterator[DataLayer]:
    """Every DataLayer under a folium element, in the order the page would run them."""
    for child in element._children.values():
        if isinstance(child, DataLayer):
            yield child
        yield from data_layers(child)


# -- polygons ------------------------------------------------------------------------------


def _arcs_l93(arcs: list[str]) -> list[np.ndarray]:
    """Decoded arcs as (n, 2) arrays of Lambert-93 metres (one projection call for all)."""
    decoded = [np.asarray(decode_points(a), dtype=float).reshape(-1, 2) / SCALE for a in arcs]
    if not decoded:
        return []
    stacked = np.concatenate(decoded)
    x, y = project(stacked[:, 0], stacked[:, 1])
    xy = np.column_stack([x, y])
    return np.split(xy, np.cumsum([len(a) for a in decoded])[:-1])


def _ring(arcs: list[np.ndarray], refs: list[int]) -> np.ndarray:
    parts = []
    for i, r in enumerate(refs):
        pts = arcs[r] if r >= 0 else arcs[~r][::-1]
        parts.append(pts if i == 0 else pts[1:])
    return np.concatenate(parts)


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2


def shape_path(arcs: list[np.ndarray], shape: list[list[list[int]]]) -> Any:
    """One feature (polygons -> rings -> arc references) as one matplotlib Path: outer rings
    counter-clockwise, holes clockwise, so the non-zero fill rule of every backend cuts holes."""
    from matplotlib.path import Path

    verts, codes = [], []
    for polygon in shape:
        for i, refs in enumerate(polygon):
            ring = _ring(arcs, refs)
            if (_signed_area(ring) > 0) != (i == 0):
                ring = ring[::-1]
            verts += [ring, ring[:1]]
            codes += [Path.MOVETO, *[Path.LINETO] * (len(ring) - 1), Path.CLOSEPOLY]
    return Path(np.concatenate(verts), codes)


def _dashes(dash_array: str | None, width_pt: float) -> Any:
    if not dash_array:
        return "solid"
    on_off = tuple(float(v) * PX / max(width_pt, 0.1) for v in dash_array.split())
    return (0, on_off)  # in line widths: matplotlib scales dashes by the width


def shape_geometry(arcs: list[np.ndarray], shape: list[list[list[int]]]) -> Any:
    """One feature as a shapely (multi)polygon: the area its name must stay over."""
    import shapely

    polygons = [shapely.Polygon(_ring(arcs, p[0]), [_ring(arcs, r) for r in p[1:]]) for p in shape]
    return shapely.make_valid(shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0])


def paint_polygons(ax: Axes, payload: dict[str, Any], zorder: float, marks: Marks) -> None:
    """Every feature of an ``addPolygons`` payload, one patch each (id ``<layer>-<code>``)."""
    from matplotlib.patches import PathPatch

    arcs = _arcs_l93(payload["arcs"])
    layer = payload.get("layer", "")
    for feature in payload["features"]:
        if layer == "zones":
            marks.zones[feature["props"]["code"]] = shape_geometry(arcs, feature["shape"])
        style = feature["style"]
        width = float(style.get("weight", 1.0)) * PX
        filled = style.get("fill", True)
        patch = PathPatch(
            shape_path(arcs, feature["shape"]),
            facecolor=style.get("fillColor", "none") if filled else "none",
            edgecolor=style.get("color", "#000000"),
            linewidth=width,
            linestyle=_dashes(style.get("dashArray"), width),
            zorder=zorder,
            joinstyle="round",
        )
        if filled and "fillOpacity" in style and layer != "zones":  # zones print opaque
            patch.set_facecolor(_with_alpha(style["fillColor"], float(style["fillOpacity"])))
        patch.set_gid(f"{layer}-{feature['props']['code']}")
        ax.add_patch(patch)


def _with_alpha(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(color, alpha)


# -- markers, labels, links ----------------------------------------------------------------

_ICON = re.compile(r"background:(#[0-9A-Fa-f]{3,8});color:(#[0-9A-Fa-f]{3,8})'>([^<]*)<")
_TAGS = re.compile(r"<[^>]+>")


def icon_parts(icon_html: str) -> tuple[str, str, str]:
    """(disc colour, text colour, number) of a numbered S3 disc (`render.s3_icon`)."""
    m = _ICON.search(icon_html)
    if m is None:
        raise ValueError(f"not an S3 icon: {icon_html!r}")
    return m.group(1), m.group(2), m.group(3)


def _plain(html_text: str) -> str:
    import html

    return html.unescape(_TAGS.sub("", html_text))


def symbol_size(marker: dict[str, Any]) -> float:
    """A marker's outer diameter in points (border included); 0 for a name."""
    if "label" in marker:
        return 0.0
    if "icon" in marker:
        return (S3_DISC_PX + S3_BORDER_PX) * PX
    s = marker["style"]
    return (2 * float(s["radius"]) + float(s.get("weight", 1))) * PX


def paint_markers(ax: Axes, payload: dict[str, Any], zorder: float, marks: Marks) -> None:
    """An ``addMarkers`` payload: links first, then discs and numbered discs; names are left
    to the layout (`marks`), which places them once every symbol is known."""
    layer = payload.get("layer", "")
    for line in payload.get("lines", []):
        lat, lng = np.asarray(line["latlngs"], dtype=float).T
        x, y = project(lat, lng)
        style = line["style"]
        width = float(style.get("weight", 1)) * PX
        (artist,) = ax.plot(x, y, color=style["color"], linewidth=width, zorder=zorder,
                            alpha=float(style.get("opacity", 1.0)),
                            linestyle=_dashes(style.get("dashArray"), width))  # fmt: skip
        artist.set_gid(f"{layer}-link")
    markers = payload.get("markers", [])
    if not markers:
        return
    lat, lng = np.array([[m["lat"], m["lng"]] for m in markers], dtype=float).T
    xs, ys = project(lat, lng)
    for m, x, y in zip(markers, xs, ys, strict=True):
        if "label" in m:
            marks.labels.append((float(x), float(y), _plain(m["label"])))
        elif "icon" in m:
            disc, text, number = icon_parts(m["icon"])
            (dot,) = ax.plot([x], [y], marker="o", markersize=S3_DISC_PX * PX,
                             markerfacecolor=disc, markeredgecolor=TEXT_COLOR,
                             markeredgewidth=S3_BORDER_PX * PX, linestyle="none",
                             zorder=zorder, gid=f"{layer}-disc")  # fmt: skip
            num = ax.text(x, y, number, ha="center", va="center_baseline",
                          fontsize=S3_TEXT_PX * PX, fontweight="bold", color=text,
                          zorder=zorder + 0.01, clip_on=True)  # fmt: skip
            marks.symbols.append((float(x), float(y), symbol_size(m), [dot, num]))
        else:
            s = m["style"]
            (dot,) = ax.plot([x], [y], marker="o", markersize=2 * float(s["radius"]) * PX,
                             markerfacecolor=_with_alpha(s["fillColor"],
                                                         float(s.get("fillOpacity", 1))),
                             markeredgecolor=s.get("color", "none"),
                             markeredgewidth=float(s.get("weight", 1)) * PX,
                             linestyle="none", zorder=zorder, gid=f"{layer}-marker")  # fmt: skip
            marks.symbols.append((float(x), float(y), symbol_size(m), [dot]))


def layer_symbols(layer: DataLayer) -> list[tuple[float, float, float]]:
    """The round symbols of one DataLayer: (x, y) in Lambert-93, diameter in points."""
    if layer.fn != "addMarkers":
        return []
    markers = [m for m in json.loads(layer.payload).get("markers", []) if "label" not in m]
    if not markers:
        return []
    lat, lng = np.array([[m["lat"], m["lng"]] for m in markers], dtype=float).T
    xs, ys = project(lat, lng)
    return [(float(x), float(y), symbol_size(m)) for m, x, y in zip(markers, xs, ys, strict=True)]


def paint_layer(ax: Axes, layer: DataLayer, zorder: float, marks: Marks) -> None:
    """One DataLayer of the HTML map, on paper (names and symbols noted in `marks`)."""
    payload = json.loads(layer.payload)
    if layer.fn == "addPolygons":
        paint_polygons(ax, payload, zorder, marks)
    elif layer.fn == "addMarkers":
        paint_markers(ax, payload, zorder, marks)
    else:
        raise ValueError(f"no static drawing for {layer.fn}")


# -- legend --------------------------------------------------------------------------------

_BLOCKS = {"lg-title", "unit", "src", "lg-sub", "row", "s3row"}
_SWATCHES = {"sw", "mk", "ln", "cartohdf-s3"}


@dataclass(frozen=True)
class LegendItem:
    """One line of a legend: ``kind`` is the block's class (lg-title, unit, row, s3row, src,
    lg-sub); ``swatch`` the class and style of its swatch, if any; ``number`` an S3 disc's."""

    kind: str
    text: str
    swatch: tuple[str, dict[str, str]] | None = None
    number: str = ""


def _style(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(";"):
        if ":" in part:
            k, v = part.split(":", 1)
            out[k.strip()] = v.strip()
    return out


class _LegendParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[LegendItem] = []
        self._stack: list[str] = []
        self._text: list[str] = []
        self._swatch: tuple[str, dict[str, str]] | None = None
        self._number: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        cls = a.get("class") or ""
        if cls in _BLOCKS:
            self._text, self._swatch, self._number = [], None, []
        elif cls in _SWATCHES:
            self._swatch = (cls, _style(a.get("style") or ""))
        self._stack.append(cls)

    def handle_endtag(self, tag: str) -> None:
        cls = self._stack.pop() if self._stack else ""
        if cls in _BLOCKS:
            text = re.sub(r"[ \t\r\n]+", " ", "".join(self._text)).strip()  # keeps U+202F
            self.items.append(LegendItem(cls, text, self._swatch, "".join(self._number)))

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "cartohdf-s3":
            self._number.append(data)
        else:
            self._text.append(data)


def legend_items(entry_html: str) -> list[LegendItem]:
    """The lines of one legend entry, read from its HTML (texts unescaped)."""
    parser = _LegendParser()
    parser.feed(entry_html)
    parser.close()
    return parser.items


def html_texts(fragment: str, tags: tuple[str, ...]) -> list[str]:
    """The text of each element `tags` names in an HTML fragment (title, sources), in order."""
    found: list[tuple[int, str]] = []
    for tag in tags:
        for m in re.finditer(rf"<{tag}\b[^>]*>(.*?)</{tag}>", fragment, flags=re.S):
            found.append((m.start(), _plain(m.group(1))))
    return [text for _, text in sorted(found)]
