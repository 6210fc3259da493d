"""The static map: SVG, PDF or PNG of a plan, laid out for an A4 landscape page.

Drawn with matplotlib (Agg and the vector backends; no browser, no pyplot state) from the same
plan as the HTML map: its zones, overlays, legend, title and sources are the plan's drawing
(`Plan.drawing`), the very objects folium builds the HTML map from (`_paint`).
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
from dataclasses import dataclass
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
    Marks,
    drawn_bounds,
    paint_layer,
    project,
    shown_layers,
    symbols,
)
from cartohdf.export._typeset import elision_features
from cartohdf.render import day_text
from cartohdf.view import HATCH_COLOR, Drawing, LegendBlock, Sources, Swatch

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


def view_bounds_l93(drawing: Drawing) -> tuple[float, float, float, float]:
    """The view (south-west, north-east in degrees) in Lambert-93: the box of its projected
    outline."""
    (s, w), (n, e) = drawing.bounds
    steps = np.linspace(0, 1, 9)
    lat = np.concatenate([s + (n - s) * steps, np.full(9, n), s + (n - s) * steps, np.full(9, s)])
    lng = np.concatenate([np.full(9, w), w + (e - w) * steps, np.full(9, e), w + (e - w) * steps])
    x, y = project(lat, lng)
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def map_frame(plan: Plan, figsize: tuple[float, float] = A4_LANDSCAPE,
              box: tuple[float, float, float, float] = MAP_BOX) -> Frame:  # fmt: skip
    """Where `static_map` puts the plan's view on its page (for tests and readers of the PNG):
    the région at true scale beside its legend; a selected zone and its neighbours filling
    the map's box; both widened to hold their symbols whole."""
    drawing = plan.drawing
    marks = [s for layer in shown_layers(drawing) for s in symbols(layer)]
    if drawing.selection is None:
        return frame_with_symbols(view_bounds_l93(drawing), marks, box, figsize)
    within = drawn_bounds(drawing)
    view = clipped(view_bounds_l93(drawing), within)
    return frame_with_symbols(view, marks, box, figsize, ZONE_PAD, True, within)


def map_axes(fig: Figure, frame: Frame) -> Axes:
    """An axes with no decoration covering `frame`, in Lambert-93 metres."""
    ax = fig.add_axes(frame.rect)
    xmin, xmax, ymin, ymax = frame.extent
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_axis_off()
    return ax


def draw_plan(ax: Axes, drawing: Drawing) -> Marks:
    """The drawing's shown layers in order; the names and symbols left for the layout."""
    marks = Marks()
    for z, layer in enumerate(shown_layers(drawing)):
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


@dataclass(frozen=True)
class LegendLine:
    """One line of the printed legend: ``kind`` says how it is set (lg-title, lg-sub, unit,
    row, src, as the HTML legend's classes)."""

    kind: str
    text: str
    swatch: Swatch | None = None


def legend_lines(blocks: tuple[LegendBlock, ...], lang: str) -> list[LegendLine]:
    """The legend of the layers shown, as the HTML legend orders it: the zones, the other
    layers, then the S3 domains under their shared heading."""
    lines: list[LegendLine] = []
    s3: list[LegendLine] = []
    for b in blocks:
        out = s3 if b.layer and b.layer.startswith("s3_") else lines
        if b.title:
            out.append(LegendLine("lg-title" if b.layer is None else "lg-sub", b.title))
        if b.unit:
            out.append(LegendLine("unit", b.unit))
        out += [LegendLine("row" if r.swatch else "unit", r.text, r.swatch) for r in b.rows]
        if b.source:
            out.append(LegendLine("src", b.source))
    if s3:
        lines += [LegendLine("lg-sub", t("s3_legend", lang)), *s3]
    return lines


NUMBER_SWATCH_PX = 16.0  # an S3 disc in the legend


def _swatch(col: Column, swatch: Swatch, size: float) -> None:
    """The swatch of a legend row, in a 14 pt box left of its text."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    fig = col.fig
    w_fig = 14 / (fig.get_figwidth() * 72)
    cy = col.y - size * 0.65 / col.h
    cx = col.x + w_fig / 2
    if swatch.shape == "box":
        hh = size * 0.45 / col.h
        box = Rectangle((col.x, cy - hh), w_fig, 2 * hh, transform=fig.transFigure,
                        facecolor=swatch.color, edgecolor="#777777", linewidth=0.4, gid="legend-swatch")  # fmt: skip
        if swatch.hatch:
            box.set_hatch("/////")
            box.set_hatchcolor(HATCH_COLOR)
            box.set_hatch_linewidth(0.4)
        fig.add_artist(box)
    elif swatch.shape == "line":
        lw = swatch.size * PX
        ls: Any = (0, (5 * PX / lw, 4 * PX / lw)) if swatch.dash else "solid"
        fig.add_artist(Line2D([col.x, col.x + w_fig], [cy, cy], transform=fig.transFigure,
                              color=swatch.color, linewidth=lw, linestyle=ls))  # fmt: skip
    else:  # a disc of the marker's size (opaque on paper), or a numbered S3 disc
        number = swatch.shape == "number"
        diameter = (NUMBER_SWATCH_PX if number else swatch.size) * PX
        edge = TEXT_COLOR if number else "white"
        fig.add_artist(Line2D([cx], [cy], transform=fig.transFigure, marker="o",
                              markersize=diameter, markerfacecolor=swatch.color,
                              markeredgecolor=edge, markeredgewidth=0.8, linestyle="none"))  # fmt: skip
        if swatch.text:
            fig.text(cx, cy, swatch.text, fontsize=6.5, fontweight="bold", ha="center",
                     va="center_baseline", color=swatch.text_color or TEXT_COLOR)  # fmt: skip


def draw_legend(col: Column, items: list[LegendLine]) -> None:
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
                _swatch(col, item.swatch, size)
            indent = 20 / (col.fig.get_figwidth() * 72)
            col.text(item.text, size, indent=indent, lead=1.55, color=TEXT_COLOR)


def draw_sources(fig: Figure, sources: Sources, lang: str, generated: dt.date, left: float,
                 right: float, top: float) -> None:  # fmt: skip
    """Sources and licences of everything drawn, the projection and the generation date (the
    static map has no basemap)."""
    col = Column(fig, left, top, right - left)
    col.text(t("static.sources_line", lang, title=sources.title, items=" · ".join(sources.items)),
             6.5, color=GREY)  # fmt: skip
    day = t("generated", lang, date=day_text(generated, lang))
    col.text(f"{t('static.projection', lang)} · {day}", 6.5, color=GREY)


# -- the page ------------------------------------------------------------------------------


def subtitle_of(plan: Plan, subtitle: str) -> str:
    """The map's subtitle, naming the selected zone first."""
    selection = plan.drawing.selection
    if selection is None:
        return subtitle
    return t("static.zone_subtitle", plan.state.lang, name=selection.name, code=selection.code,
             rest=subtitle)  # fmt: skip


def map_figure(plan: Plan, generated: dt.date) -> Figure:
    """The A4 landscape page of a plan: title, map, legend, scale bar, sources."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4_LANDSCAPE)
    lang, drawing = plan.state.lang, plan.drawing
    title = drawing.title.text
    fig.text(MAP_BOX[0], 0.955, title, fontsize=15, fontweight="bold", color=TEXT_COLOR,
             va="top", gid="title", **elision_features(title))  # fmt: skip
    subtitle = subtitle_of(plan, drawing.title.subtitle)
    fig.text(MAP_BOX[0], 0.918, subtitle, fontsize=10, color=GREY, va="top", gid="subtitle",
             **elision_features(subtitle))  # fmt: skip
    frame = map_frame(plan)
    ax = map_axes(fig, frame)
    marks = draw_plan(ax, drawing)
    if drawing.selection is not None:  # a zone's map is cut from the région's: say so
        draw_neatline(ax)
    scale = draw_scale_bar(ax, frame, lang)
    lay_out(ax, marks, plan.state.zone, [scale.get_window_extent(renderer_of(fig))])
    x = frame.rect[0] + frame.rect[2] + 0.025
    draw_legend(Column(fig, x, MAP_BOX[1] + MAP_BOX[3], LEGEND_RIGHT - x),
                legend_lines(drawing.legend_shown(), lang))  # fmt: skip
    draw_sources(fig, drawing.sources, lang, generated, MAP_BOX[0], LEGEND_RIGHT,
                 MAP_BOX[1] - 0.02)  # fmt: skip
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
