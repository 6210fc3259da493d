"""Place map labels as a cartographer would: each name inside its zone, clear of the other
names, of the symbols and of the frame's edge, with a white halo; a name that finds no room
is left out rather than drawn over something else.

Greedy and deterministic: the labels are taken in a fixed order (the selected zone first,
then the smallest zones, which have the fewest places to go), and each tries candidate
positions in a fixed order — its zone's inside point, then offsets around it that stay inside
the zone, on one line then on two. Every test is made on the real text boxes, measured by the
figure's renderer (`Text.get_window_extent`), in display pixels.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shapely

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

HALO_PT = 2.4  # width of the white stroke around each name (half of it outside the glyphs)
GAP_PT = 1.0  # free space kept between a name and anything else
EDGE_PT = 2.0  # free space kept inside the frame
RINGS = 3  # rings of candidate offsets whose centre stays over the zone
OUTER_RINGS = 3  # then rings further out whose box still touches the zone (a small zone)
DIRECTIONS = ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))
EDGE_SHARE = 0.03  # an inside point this close to the frame's edge is moved inwards


@dataclass(frozen=True)
class LabelSpec:
    """A name to place near (x, y) in map units; `zone` the area it names (None: anywhere)."""

    x: float
    y: float
    text: str
    zone: Any = None  # shapely geometry, map units
    first: bool = False  # placed before the others (the selected zone)


@dataclass(frozen=True)
class Circle:
    """A round symbol on the figure: centre and radius in display pixels."""

    x: float
    y: float
    r: float


@dataclass(frozen=True)
class LabelStyle:
    size: float = 7.0
    weight: str = "bold"
    color: str = "#222222"
    gid: str = "labels-label"
    zorder: float = 50.0


def two_lines(text: str) -> str | None:
    """The name broken at the space nearest its middle (a line never starts with a dash)."""
    spaces = [i for i, c in enumerate(text) if c == " " and not text[i + 1 :].startswith("- ")]
    if not spaces:
        return None
    i = min(spaces, key=lambda s: (abs(s - len(text) / 2), s))
    return f"{text[:i]}\n{text[i + 1 :]}"


def offsets(w: float, h: float) -> Iterator[tuple[float, float]]:
    """Candidate offsets in points for a box `w` x `h` points: none, then rings around."""
    yield 0.0, 0.0
    for k in range(1, RINGS + OUTER_RINGS + 1):
        for dx, dy in DIRECTIONS:
            yield dx * k * w / 4, dy * k * h * 0.8


def _hits(box: Bbox, other: Bbox) -> bool:
    return box.x0 < other.x1 and other.x0 < box.x1 and box.y0 < other.y1 and other.y0 < box.y1


def _hits_circle(box: Bbox, c: Circle) -> bool:
    nx, ny = min(max(c.x, box.x0), box.x1), min(max(c.y, box.y0), box.y1)
    return (nx - c.x) ** 2 + (ny - c.y) ** 2 < c.r**2


def anchor(spec: LabelSpec, area: Any) -> tuple[float, float] | None:
    """Where a name starts from: its inside point if well inside the frame (`area`, map units),
    else the centre of the largest inscribed circle of the zone's part in the frame."""
    if spec.zone is None or shapely.contains_xy(area, spec.x, spec.y):
        return spec.x, spec.y
    part = shapely.intersection(spec.zone, area)
    if part.is_empty or part.area == 0:
        return None
    if part.geom_type != "Polygon":
        part = max(getattr(part, "geoms", []), key=lambda g: (g.area, g.bounds))
        if part.geom_type != "Polygon":
            return None
    xmin, ymin, xmax, ymax = part.bounds
    from shapely.ops import polylabel

    p = polylabel(part, tolerance=max(xmax - xmin, ymax - ymin) / 200)
    return p.x, p.y


class Placer:
    """Names placed so far on one axes, and what they must keep clear of."""

    def __init__(self, ax: Axes, renderer: Any, boxes: list[Bbox], circles: list[Circle],
                 style: LabelStyle) -> None:  # fmt: skip
        self.ax, self.renderer, self.style = ax, renderer, style
        self.px = ax.figure.dpi / 72  # display pixels per point
        frame = ax.get_window_extent(renderer)
        self.frame = frame.padded(-EDGE_PT * self.px)
        self.boxes, self.circles = list(boxes), circles

    def _text(self, x: float, y: float, text: str, dx: float, dy: float, halo: bool) -> Text:
        from matplotlib import patheffects
        from matplotlib.transforms import ScaledTranslation

        s = self.style
        shift = ScaledTranslation(dx / 72, dy / 72, self.ax.figure.dpi_scale_trans)
        artist = self.ax.text(x, y, text, ha="center", va="center", fontsize=s.size,
                              fontweight=s.weight, color="white" if halo else s.color,
                              linespacing=1.05, transform=self.ax.transData + shift,
                              zorder=s.zorder - 0.01 if halo else s.zorder,
                              gid=f"{s.gid}-halo" if halo else s.gid, clip_on=False)  # fmt: skip
        if halo:  # the halo alone is a stroked outline: the name itself stays text in SVG/PDF
            artist.set_path_effects([patheffects.Stroke(linewidth=HALO_PT, foreground="white")])
        return artist

    def free(self, box: Bbox) -> bool:
        """A name's box (halo and gap included) clear of the frame, names and symbols."""
        inside = (box.x0 >= self.frame.x0 and box.x1 <= self.frame.x1
                  and box.y0 >= self.frame.y0 and box.y1 <= self.frame.y1)  # fmt: skip
        return (inside and not any(_hits(box, b) for b in self.boxes)
                and not any(_hits_circle(box, c) for c in self.circles))  # fmt: skip

    def candidates(
        self, spec: LabelSpec, x: float, y: float
    ) -> Iterator[tuple[str, float, float, Bbox]]:
        """(text, dx, dy, box) in order: nearest first, one line before two at each ring."""
        pad = (HALO_PT / 2 + GAP_PT) * self.px
        variants = [v for v in (spec.text, two_lines(spec.text)) if v]
        boxes = {}
        for v in variants:
            probe = self._text(x, y, v, 0.0, 0.0, halo=False)
            boxes[v] = probe.get_window_extent(self.renderer).padded(pad)
            probe.remove()
        rings = {v: list(offsets(b.width / self.px, b.height / self.px)) for v, b in boxes.items()}
        to_data = self.ax.transData.inverted()
        for i in range(1 + (RINGS + OUTER_RINGS) * len(DIRECTIONS)):
            for v in variants:
                dx, dy = rings[v][i]
                box = boxes[v].translated(dx * self.px, dy * self.px)
                if i and spec.zone is not None and not self._over(spec.zone, box, to_data, i):
                    continue
                yield v, dx, dy, box

    @staticmethod
    def _over(zone: Any, box: Bbox, to_data: Any, i: int) -> bool:
        """A moved name stays over its zone: its centre in the first rings, some of its box
        in the outer ones."""
        (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
        if i <= RINGS * len(DIRECTIONS):
            return bool(shapely.contains_xy(zone, (x0 + x1) / 2, (y0 + y1) / 2))
        return bool(shapely.intersects(zone, shapely.box(x0, y0, x1, y1)))

    def place(self, spec: LabelSpec, area: Any) -> Text | None:
        """Draw the name at its first free candidate (with its halo); None if none is free."""
        start = anchor(spec, area)
        if start is None:
            return None
        for text, dx, dy, box in self.candidates(spec, *start):
            if self.free(box):
                self.boxes.append(box)
                self._text(*start, text, dx, dy, halo=True)
                return self._text(*start, text, dx, dy, halo=False)
        return None


def order(specs: list[LabelSpec]) -> list[LabelSpec]:
    """The selected zone first, then the smallest zones (fewest places to go), by name."""
    return sorted(specs, key=lambda s: (not s.first, s.zone.area if s.zone is not None else 0.0,
                                        s.text))  # fmt: skip


def place_labels(ax: Axes, specs: list[LabelSpec], circles: list[Circle], boxes: list[Bbox],
                 renderer: Any, style: LabelStyle | None = None) -> list[Text]:  # fmt: skip
    """Place `specs` on `ax` (its limits final), clear of the `circles` and `boxes` (display
    pixels); returns the names drawn, in placing order."""
    placer = Placer(ax, renderer, boxes, circles, style or LabelStyle())
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    inset = EDGE_SHARE * max(xmax - xmin, ymax - ymin)
    area = shapely.box(xmin + inset, ymin + inset, xmax - inset, ymax - inset)
    placed = [placer.place(spec, area) for spec in order(specs)]
    return [p for p in placed if p is not None]


def renderer_of(fig: Any) -> Any:
    """The figure's Agg renderer (the figure gets an Agg canvas if it has none): text boxes
    are measured at the figure's dpi, the same for every output format."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    return canvas.get_renderer()
