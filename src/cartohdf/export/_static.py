"""The static map: SVG, PDF or PNG of a plan, laid out for an A4 landscape page.

Drawn with matplotlib (Agg and the vector backends; no browser, no pyplot state) from the same
plan as the HTML map: its zones and overlays are the HTML map's own layer payloads
(`_paint`), its legend the plan's legend entries, its title and sources the HTML map's.
Projection: Lambert-93 (EPSG:2154). Text stays text in SVG and PDF (DejaVu Sans, shipped with
matplotlib; embedded as TrueType in the PDF). The same plan and date give the same bytes: no
creation date, fixed ids (``svg.hashsalt``), one font.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from cartohdf.compose import Plan
from cartohdf.core import CartohdfError, t
from cartohdf.export._frame import (
    Frame,
    clipped,
    frame_with_symbols,
    whole,
)
from cartohdf.export._labels import Circle, LabelSpec, LabelStyle, place_labels, renderer_of
from cartohdf.export._paint import (
    LABEL_PT,
    PX,
    TEXT_COLOR,
    LegendItem,
    Marks,
    data_layers,
    html_texts,
    layer_symbols,
    legend_items,
    paint_layer,
    project,
)
from cartohdf.export._typeset import elision_features
from cartohdf.render import DataLayer, LegendEntry, sources_html, title_html

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAP_FORMATS = ("html", "svg", "png", "pdf")
STATIC_FORMATS = ("svg", "png", "pdf")
A4_LANDSCAPE = (3508 / 300, 2480 / 300)  # inches: A4 at 300 dpi to the pixel
PNG_DPI = 300
FONT = "DejaVu Sans"  # ships with matplotlib; French glyphs, narrow no-break space, « − »
MAP_BOX = (0.03, 0.115, 0.64, 0.77)  # left, bottom, width, height (figure fraction)
LEGEND_RIGHT = 0.975
ZONE_PAD = 0.0  # a zone's view already holds its neighbours (compose.ZONE_MARGIN)
GREY = "#555555"
RC: dict[str, Any] = {
    "font.family": FONT,
    "svg.fonttype": "none",  # SVG text as <text>, editable, naming its font family
    "svg.hashsalt": "cartohdf",  # fixed ids: same plan, same SVG
    "pdf.fonttype": 42,  # TrueType embedded: PDF text stays text
    "pdf.compression": 9,
    "lines.scale_dashes": True,
    "axes.unicode_minus": True,
    "text.parse_math": False,  # labels and names are the user's text: « $x$ » is not mathtext
}
METADATA = {
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
    "png": {"Software": None},
}


@contextlib.contextmanager
def print_style() -> Iterator[None]:
    """The rc settings of every static output, for this block only (never global)."""
    import matplotlib

    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
        yield


def view_bounds_l93(plan: Plan) -> tuple[float, float, float, float]:
    """The plan's view (south-west, north-east in degrees) in Lambert-93: the box of its
    projected outline."""
    (s, w), (n, e) = plan.view.bounds
    steps = np.linspace(0, 1, 9)
    lat = np.concatenate([s + (n - s) * steps, np.full(9, n), s + (n - s) * steps, np.full(9, s)])
    lng = np.concatenate([np.full(9, w), w + (e - w) * steps, np.full(9, e), w + (e - w) * steps])
    x, y = project(lat, lng)
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def plan_layers(plan: Plan, generated: dt.date) -> list[DataLayer]:
    """The plan's zones, then every shown overlay, in drawing order (built once)."""
    layers = list(data_layers(plan.base(generated)))
    for overlay in plan.shown:
        layers += list(data_layers(overlay.build()))
    return layers


def map_frame(plan: Plan, figsize: tuple[float, float] = A4_LANDSCAPE,
              box: tuple[float, float, float, float] = MAP_BOX,
              layers: list[DataLayer] | None = None) -> Frame:  # fmt: skip
    """Where `static_map` puts the plan's view on its page (for tests and readers of the PNG):
    the région at true scale beside its legend; a selected zone and its neighbours filling
    the map's box; both widened to hold their symbols whole."""
    if layers is None:
        layers = plan_layers(plan, dt.date(2000, 1, 1))  # the date only dates the sources
    symbols = [s for layer in layers for s in layer_symbols(layer)]
    if plan.state.zone is None:
        return frame_with_symbols(view_bounds_l93(plan), symbols, box, figsize)
    within = drawn_bounds(plan)
    view = clipped(view_bounds_l93(plan), within)
    return frame_with_symbols(view, symbols, box, figsize, ZONE_PAD, True, within)


def drawn_bounds(plan: Plan) -> tuple[float, float, float, float]:
    """The bounds of the zones the map draws (the région's with the outer parts of its
    inter-regional zones, or France's), in Lambert-93."""
    zoning, data = plan.state.zoning, plan.data
    frames = [data.zones[zoning] if plan.state.scope == "region" else data.france_zones[zoning]]
    outside = (data.outside_zones or {}).get(zoning)
    if outside is not None and len(outside):
        frames.append(outside)
    boxes = np.array([f.to_crs(2154).total_bounds for f in frames], dtype=float)
    return (float(boxes[:, 0].min()), float(boxes[:, 1].min()), float(boxes[:, 2].max()),
            float(boxes[:, 3].max()))  # fmt: skip


def map_axes(fig: Figure, frame: Frame) -> Axes:
    """An axes with no decoration covering `frame`, in Lambert-93 metres."""
    ax = fig.add_axes(frame.rect)
    xmin, xmax, ymin, ymax = frame.extent
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_axis_off()
    return ax


def draw_plan(ax: Axes, layers: list[DataLayer]) -> Marks:
    """The plan's layers in drawing order; the names and symbols left for the layout."""
    marks = Marks()
    for z, layer in enumerate(layers):
        paint_layer(ax, layer, zorder=1 + z, marks=marks)
    return marks


def zone_at(zones: dict[str, Any], x: float, y: float) -> tuple[str | None, Any]:
    """The zone (code, outline) under a point, if any."""
    import shapely

    for code in sorted(zones):
        if shapely.contains_xy(zones[code], x, y):
            return code, zones[code]
    return None, None


def lay_out(ax: Axes, marks: Marks, selected: str | None, boxes: list[Any]) -> list[Any]:
    """Finish a map whose limits are final: symbols not wholly inside the frame are taken
    off (no half circles), then the names are placed clear of symbols, `boxes` (display
    pixels: the scale bar) and the frame's edge."""
    fig = cast("Figure", ax.figure)
    renderer = renderer_of(fig)
    left, bottom, width, height = ax.get_position().bounds
    frame = Frame((left, bottom, width, height), (*ax.get_xlim(), *ax.get_ylim()))
    size = (fig.get_figwidth(), fig.get_figheight())
    px = fig.dpi / 72
    circles = []
    for x, y, diameter, artists in marks.symbols:
        if not whole(frame, size, (x, y, diameter)):
            for artist in artists:
                artist.remove()
            continue
        cx, cy = ax.transData.transform((x, y))
        circles.append(Circle(float(cx), float(cy), diameter / 2 * px))
    specs = []
    for x, y, text in marks.labels:
        code, zone = zone_at(marks.zones, x, y)
        specs.append(LabelSpec(x, y, text, zone, first=code is not None and code == selected))
    return place_labels(
        ax, specs, circles, boxes, renderer, LabelStyle(size=LABEL_PT, color=TEXT_COLOR)
    )


def draw_neatline(ax: Axes) -> None:
    """A thin border round a map that is cut from a larger whole."""
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False,
                           edgecolor="#8c8c8c", linewidth=0.7, zorder=200, gid="neatline"))  # fmt: skip


NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200)


def draw_scale_bar(ax: Axes, frame: Frame, lang: str) -> Any:
    """A scale bar at the map's bottom left, a nice length near a fifth of its width."""
    xmin, xmax, ymin, ymax = frame.extent
    km = max((k for k in NICE_KM if k * 1000 <= 0.2 * (xmax - xmin)), default=NICE_KM[0])
    x0, y0 = xmin + 0.03 * (xmax - xmin), ymin + 0.03 * (ymax - ymin)
    tick = 0.006 * (ymax - ymin)
    from matplotlib.patches import Rectangle

    pad = 0.012 * (xmax - xmin)
    box = ax.add_patch(Rectangle((x0 - pad, y0 - pad), km * 1000 + 2 * pad, 6 * tick + pad,
                                 facecolor="white", alpha=0.8, edgecolor="none", zorder=99))  # fmt: skip
    ax.plot([x0, x0, x0 + km * 1000, x0 + km * 1000], [y0 + tick, y0, y0, y0 + tick],
            color=TEXT_COLOR, linewidth=1.2, zorder=100, solid_capstyle="butt", gid="scale-bar")  # fmt: skip
    ax.text(x0 + km * 500, y0 + 2 * tick, t("static.scale_km", lang, km=km), ha="center",
            va="bottom", fontsize=7, color=TEXT_COLOR, zorder=100)  # fmt: skip
    return box  # what names keep clear of


# -- text blocks ---------------------------------------------------------------------------

CHAR_EM = 0.56  # mean advance of a DejaVu Sans character, in em (wrapping estimate)


def wrap(text: str, width: float, size: float, figwidth: float) -> list[str]:
    """`text` in lines that fit `width` (figure fraction) at `size` points."""
    chars = max(8, int(width * figwidth * 72 / (size * CHAR_EM)))
    return textwrap.wrap(text, chars, break_on_hyphens=False) or [""]


class Column:
    """A top-down text column in figure fraction, `y` the next line's top."""

    def __init__(self, fig: Figure, x: float, y: float, width: float) -> None:
        self.fig, self.x, self.y, self.width = fig, x, y, width
        self.h = fig.get_figheight() * 72  # points per figure height

    def gap(self, points: float) -> None:
        self.y -= points / self.h

    def text(self, text: str, size: float, indent: float = 0.0, lead: float = 1.3,
             **kwargs: Any) -> None:  # fmt: skip
        """Wrapped text; each line one `fig.text`."""
        for line in wrap(text, self.width - indent, size, self.fig.get_figwidth()):
            self.fig.text(self.x + indent, self.y, line, fontsize=size, va="top",
                          **elision_features(line), **kwargs)  # fmt: skip
            self.gap(size * lead)


def legend_blocks(entries: tuple[LegendEntry, ...], lang: str) -> list[LegendItem]:
    """The legend of the layers shown, as the HTML legend orders it: the zones, the other
    layers, then the S3 domains under their shared heading."""
    items: list[LegendItem] = []
    s3: list[LegendItem] = []
    for e in entries:
        (s3 if e.layer and e.layer.startswith("s3_") else items).extend(legend_items(e.html))
    if s3:
        items += [LegendItem("lg-sub", t("s3_legend", lang)), *s3]
    return items


def _px(value: str) -> float:
    return float(value.removesuffix("px"))


def _swatch(col: Column, item: LegendItem, size: float) -> None:
    """The swatch of a legend row, in a 14 pt box left of its text."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    fig = col.fig
    if item.swatch is None:
        return
    kind, style = item.swatch
    w_fig = 14 / (fig.get_figwidth() * 72)
    cy = col.y - size * 0.65 / col.h
    cx = col.x + w_fig / 2
    if kind == "sw":
        hh = size * 0.45 / col.h
        fig.add_artist(Rectangle((col.x, cy - hh), w_fig, 2 * hh, transform=fig.transFigure,
                                 facecolor=style["background"], edgecolor="#777777",
                                 linewidth=0.4, gid="legend-swatch"))  # fmt: skip
    elif kind == "ln":
        width, dash, color = style["border-top"].split()
        lw = _px(width) * PX
        ls: Any = (0, (5 * PX / lw, 4 * PX / lw)) if dash == "dashed" else "solid"
        fig.add_artist(Line2D([col.x, col.x + w_fig], [cy, cy], transform=fig.transFigure,
                              color=color, linewidth=lw, linestyle=ls))  # fmt: skip
    else:  # mk: a disc of the marker's size; cartohdf-s3: a numbered disc
        diameter = _px(style.get("width", "16px")) * PX
        bg = style["background"][:7]  # the legend's circle swatch adds a transparency suffix
        edge = TEXT_COLOR if kind == "cartohdf-s3" else "white"
        fig.add_artist(Line2D([cx], [cy], transform=fig.transFigure, marker="o",
                              markersize=diameter, markerfacecolor=bg, markeredgecolor=edge,
                              markeredgewidth=0.8, linestyle="none"))  # fmt: skip
        if item.number:
            fig.text(cx, cy, item.number, fontsize=6.5, fontweight="bold", ha="center",
                     va="center_baseline", color=style.get("color", TEXT_COLOR))  # fmt: skip


def draw_legend(col: Column, items: list[LegendItem]) -> None:
    """Legend lines, top-down in a column."""
    for item in items:
        if item.kind == "lg-title":
            col.text(item.text, 10, fontweight="bold", color=TEXT_COLOR)
        elif item.kind == "lg-sub":
            col.gap(5)
            col.text(item.text, 8.5, fontweight="bold", color=TEXT_COLOR)
        elif item.kind == "unit":
            col.text(item.text, 8, color=GREY)
            col.gap(2)
        elif item.kind == "src":
            col.gap(2)
            col.text(item.text, 6.5, color=GREY, lead=1.25)
            col.gap(6)
        else:  # row, s3row
            size = 8.0
            if item.swatch is not None:
                _swatch(col, item, size)
            indent = 20 / (col.fig.get_figwidth() * 72)
            col.text(item.text, size, indent=indent, lead=1.55, color=TEXT_COLOR)


def draw_sources(fig: Figure, plan: Plan, generated: dt.date, left: float, right: float,
                 top: float) -> None:  # fmt: skip
    """Sources and licences of everything drawn, the projection and the generation date (the
    HTML map's texts: the static map has no basemap)."""
    lang = plan.state.lang
    texts = html_texts(sources_html(plan.data, "none", lang, generated), ("summary", "li", "div"))
    heading, *items, day = texts
    col = Column(fig, left, top, right - left)
    col.text(t("static.sources_line", lang, title=heading, items=" · ".join(items)), 6.5,
             color=GREY)  # fmt: skip
    col.text(f"{t('static.projection', lang)} · {day}", 6.5, color=GREY)


# -- the page ------------------------------------------------------------------------------


def subtitle_of(plan: Plan, subtitle: str) -> str:
    """The map's subtitle, naming the selected zone first."""
    zone = plan.state.zone
    if zone is None:
        return subtitle
    name = plan.data.zone_name(plan.state.zoning, zone)
    return t("static.zone_subtitle", plan.state.lang, name=name, code=zone, rest=subtitle)


def map_figure(plan: Plan, generated: dt.date) -> Figure:
    """The A4 landscape page of a plan: title, map, legend, scale bar, sources."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4_LANDSCAPE)
    lang = plan.state.lang
    title, subtitle = html_texts(title_html(plan.state.zoning, plan.values, lang), ("h1", "p"))
    fig.text(MAP_BOX[0], 0.955, title, fontsize=15, fontweight="bold", color=TEXT_COLOR,
             va="top", gid="title", **elision_features(title))  # fmt: skip
    subtitle = subtitle_of(plan, subtitle)
    fig.text(MAP_BOX[0], 0.918, subtitle, fontsize=10, color=GREY, va="top", gid="subtitle",
             **elision_features(subtitle))  # fmt: skip
    layers = plan_layers(plan, generated)
    frame = map_frame(plan, layers=layers)
    ax = map_axes(fig, frame)
    marks = draw_plan(ax, layers)
    if plan.state.zone is not None:  # a zone's map is cut from the région's: say so
        draw_neatline(ax)
    scale = draw_scale_bar(ax, frame, lang)
    lay_out(ax, marks, plan.state.zone, [scale.get_window_extent(renderer_of(fig))])
    x = frame.rect[0] + frame.rect[2] + 0.025
    draw_legend(Column(fig, x, MAP_BOX[1] + MAP_BOX[3], LEGEND_RIGHT - x),
                legend_blocks(plan.legend_shown, lang))  # fmt: skip
    draw_sources(fig, plan, generated, MAP_BOX[0], LEGEND_RIGHT, MAP_BOX[1] - 0.02)
    return fig


def save(fig: Figure, fmt: str, dpi: float = PNG_DPI) -> bytes:
    """A figure's file, with no date in it (the same figure, the same bytes)."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi if fmt == "png" else 72, metadata=METADATA[fmt])
    return buf.getvalue()


def static_map(plan: Plan, fmt: str, generated: dt.date) -> bytes:
    """The plan's map as an SVG, PNG (300 dpi) or PDF file, for an A4 landscape page.

    Same plan, format and date: same bytes (SVG and PDF; PNG too, in one environment).

    Raises
    ------
    CartohdfError
        If `fmt` is not one of ``svg``, ``png``, ``pdf``.
    """
    if fmt not in STATIC_FORMATS:
        raise CartohdfError("static.bad_format", value=fmt, allowed=", ".join(MAP_FORMATS))
    with print_style():
        return save(map_figure(plan, generated), fmt)


def format_of(out: Path, asked: str | None) -> str:
    """The map format asked for, else the one the file's suffix names (html by default)."""
    fmt = asked.lower() if asked else (out.suffix.lower().lstrip(".") or "html")
    if fmt not in MAP_FORMATS:
        raise CartohdfError("static.bad_format", value=fmt, allowed=", ".join(MAP_FORMATS))
    return fmt
