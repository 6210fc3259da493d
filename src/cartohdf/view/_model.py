"""The typed view: what a map shows, as plain data that every renderer draws from.

Frozen dataclasses of strings, numbers and tuples (JSON-serialisable, `to_json` / `from_json`
round-trip): zones with their class and fill, circles, S3 pairs, outlines, names, the
selection, the legend's blocks, the title, the sources and the framing. Sizes are CSS pixels
(the print multiplies them by 0.75 pt); points are (lat, lng) in degrees; polygons are shared
arcs, polyline-encoded (1e-5 degree, `decode_points`). No HTML, CSS or script here: folium
writes its payloads from these objects, matplotlib paints them, neither reads the other.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from typing import Any

LatLng = tuple[float, float]  # degrees
HATCH_COLOR = "#262626"  # the stripes of a hatched area or swatch (statistical secrecy), everywhere
Bounds = tuple[tuple[float, float], tuple[float, float]]  # (south, west), (north, east)


@dataclass(frozen=True)
class Line:
    """A stroke: colour, width (px), dash pattern in px (« 5 4 »; "" for solid), opacity.
    As a highlight, an empty colour keeps the shape's own."""

    color: str
    weight: float
    dash: str = ""
    opacity: float = 1.0


@dataclass(frozen=True)
class Card:
    """What a click on a feature tells: a title, named values, notes under them."""

    title: str
    rows: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shapes:
    """Polygons sharing their borders: encoded arcs, and per feature its polygons -> rings ->
    arc references (``~i``: arc i reversed), as TopoJSON does."""

    arcs: tuple[str, ...]
    shapes: tuple[tuple[tuple[tuple[int, ...], ...], ...], ...]


@dataclass(frozen=True)
class Area:
    """One polygon feature. ``fill`` None: an outline only, which clicks pass through.
    Zones: ``klass`` is the class index (None with no value, or with no classes: under
    circles), ``value`` the zone's figure (None: no data), ``pick`` a zone of the région
    (a click selects it), ``at`` its inside point."""

    code: str
    fill: str | None = None
    name: str = ""
    klass: int | None = None
    value: float | None = None
    tip: tuple[str, ...] = ()  # hover text, one line each, the first in bold
    card: Card | None = None
    at: LatLng | None = None
    pick: bool = False


@dataclass(frozen=True)
class Areas:
    """A layer of polygons: the zones, their outer parts, the région's outline, the
    selection, a Territoires d'industrie programme, the départements."""

    layer: str
    shapes: Shapes
    areas: tuple[Area, ...]
    line: Line
    fill_opacity: float | None = None
    highlight: Line | None = None  # the stroke under the pointer
    hatched: tuple[str, ...] = ()  # codes drawn hatched over their fill (a statistical secret)


@dataclass(frozen=True)
class Disc:
    """A round symbol (a zone's circle, an employer); ``code``: the zone it stands for."""

    at: LatLng
    radius: float
    code: str = ""
    tip: tuple[str, ...] = ()
    card: Card | None = None


@dataclass(frozen=True)
class Discs:
    """Round symbols of one layer, one style."""

    layer: str
    discs: tuple[Disc, ...]
    line: Line
    fill: str
    fill_opacity: float


@dataclass(frozen=True)
class Label:
    """A zone's name on its inside point."""

    code: str
    text: str
    at: LatLng


@dataclass(frozen=True)
class Head:
    """One lead territory (tête de réseau) of an S3 domain."""

    territory: str
    at: LatLng
    tip: tuple[str, ...] = ()
    card: Card | None = None


@dataclass(frozen=True)
class Pair:
    """An S3 domain: its two lead territories as numbered discs, and the link between them."""

    domain: str  # its id; the layer is ``s3_<domain>``
    order: int  # the number on the discs
    name: str
    heads: tuple[Head, ...]
    color: str
    text_color: str
    link: Line

    @property
    def layer(self) -> str:
        return f"s3_{self.domain}"


@dataclass(frozen=True)
class Swatch:
    """A legend row's symbol: ``box`` (a fill; ``edge`` its border, dashed or not), ``line``
    (``size``: its width), ``disc`` (``size``: its diameter) or ``number`` (an S3 disc)."""

    shape: str
    color: str
    size: float = 0.0
    dash: bool = False
    edge: str = ""
    opacity: float = 1.0
    text: str = ""
    text_color: str = ""
    hatch: bool = False  # dark diagonal stripes over the colour (statistical secrecy)


@dataclass(frozen=True)
class LegendRow:
    """One line of the legend; ``klass``: the zones' class it stands for; ``hint``: more
    said on hover (an S3 domain's pair). A row with no swatch is a note on the rows above."""

    text: str
    swatch: Swatch | None = None
    klass: int | None = None
    hint: str = ""


@dataclass(frozen=True)
class LegendBlock:
    """One block of the legend; ``layer`` None for the zones' (always shown)."""

    layer: str | None
    title: str = ""
    unit: str = ""
    rows: tuple[LegendRow, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Title:
    text: str
    subtitle: str


@dataclass(frozen=True)
class Sources:
    """Sources and licences of what is drawn; ``basemap``: the basemap's line ("" for none).
    The generation date is the renderer's (a plan has none)."""

    title: str
    items: tuple[str, ...]
    basemap: str = ""


@dataclass(frozen=True)
class Selection:
    code: str
    name: str
    outline: Areas


@dataclass(frozen=True)
class Drawing:
    """Everything a view shows, drawn by folium, the browser and matplotlib alike. Layers are
    listed whole; ``shown`` names the overlays on the map (the zones always are)."""

    lang: str
    title: Title
    zones: Areas
    outside: Areas | None
    region_outline: Areas | None  # over France's zones
    circles: Discs | None  # counts: proportional circles over neutral zones
    selection: Selection | None
    departements: tuple[Areas, ...]  # the départements' outlines, then the région's
    territoires: tuple[Areas, ...]  # one per programme
    labels: tuple[Label, ...]
    employers: Discs
    pairs: tuple[Pair, ...]
    legend: tuple[LegendBlock, ...]
    sources: Sources
    bounds: Bounds
    shown: tuple[str, ...]
    compared: Areas | None = None  # the zones compared side by side, outlined and named
    units: Areas | None = None  # a level below the zone (communes, EPCI…): under the zones

    def legend_shown(self) -> tuple[LegendBlock, ...]:
        """The legend blocks of what is on the map (the zones' and the shown layers')."""
        return tuple(b for b in self.legend if b.layer is None or b.layer in self.shown)

    def to_json(self) -> str:
        """The drawing as deterministic JSON (`from_json` reads it back equal)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"), allow_nan=False)  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> Drawing:
        return _build(cls, json.loads(text))


def _build(kind: Any, raw: Any) -> Any:
    """`raw` (parsed JSON) as an instance of the annotated type `kind`: dataclasses by field,
    tuples (fixed or variadic) from lists, optional values."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if raw is None:
            return None
        (inner,) = [a for a in typing.get_args(kind) if a is not type(None)]
        return _build(inner, raw)
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in raw)
        return tuple(_build(a, v) for a, v in zip(args, raw, strict=True))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = {f.name for f in dataclasses.fields(kind)}
        return kind(**{k: _build(hints[k], v) for k, v in raw.items() if k in fields})
    if kind is float and isinstance(raw, int):
        return float(raw)
    return raw


@dataclass(frozen=True)
class Series:
    """A yearly series drawn as a line scaled to its own range (a zone's industrial jobs):
    its values, their range and the texts written beside it, worded once."""

    years: tuple[str, ...]
    values: tuple[float, ...]
    lo: float
    hi: float
    first_text: str
    last_text: str
    lo_text: str
    hi_text: str
    label: str  # the chart in words (its accessible text)


@dataclass(frozen=True)
class Strip:
    """Every metropolitan zone on the indicator's axis (the national strip): the other
    zones' values, the région's, the zone's own; the axis' ends; the texts, worded once."""

    france: tuple[float, ...]
    region: tuple[float, ...]
    value: float
    lo: float
    hi: float
    value_text: str
    lo_text: str
    hi_text: str
    label: str


@dataclass(frozen=True)
class SectorMix:
    """A zone's industrial jobs by A38 sector against the région's and France's: each
    sector's share of the area's industrial jobs in `year` (fractions; NaN: not known)."""

    year: int
    sectors: tuple[str, ...]  # A38 codes, in code order
    zone: tuple[float, ...]
    region: tuple[float, ...]
    france: tuple[float, ...]


def decode_points(text: str) -> list[tuple[int, int]]:
    """An encoded polyline's points, (lat, lng) in 1e-5 degrees."""
    values, shift, result = [], 0, 0
    for ch in text:
        b = ord(ch) - 63
        result |= (b & 0x1F) << shift
        shift += 5
        if b < 0x20:
            values.append(~(result >> 1) if result & 1 else result >> 1)
            shift, result = 0, 0
    pts, lat, lng = [], 0, 0
    for dlat, dlng in zip(values[0::2], values[1::2], strict=True):
        lat, lng = lat + dlat, lng + dlng
        pts.append((lat, lng))
    return pts
