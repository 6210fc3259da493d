"""The atlas of the zones (PDF): a cover with the regional map and the study's key figures, a
contents page, one portrait page per zone, a sources page; bookmarks and page numbers.

A zone's portrait is the app's zone profile on paper (`render.zone_profile`: the same values,
ranks, references and wording), with a locator map coloured by the default map's classes
(`compose.plan`) and the jobs series as a chart scaled to its own range. Deterministic: no
creation date, the same bytes for the same data, zoning, language and date.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cartohdf.compose import ZONE_MARGIN, Plan, plan
from cartohdf.core import StateError, memo, number, t, value
from cartohdf.data import Dataset
from cartohdf.export._frame import Frame, clipped, frame_with_symbols
from cartohdf.export._labels import LabelSpec, LabelStyle, place_labels, renderer_of
from cartohdf.export._paint import TEXT_COLOR, polygon_path, shown_layers, symbols
from cartohdf.export._static import (
    A4_LANDSCAPE,
    GREY,
    Column,
    draw_legend,
    draw_plan,
    lay_out,
    legend_lines,
    map_axes,
    print_style,
    view_bounds_l93,
)
from cartohdf.export._typeset import elision_features
from cartohdf.indicators import study_comparison_note
from cartohdf.render import (
    ZoneProfile,
    context_text,
    day_text,
    key_figures,
    sector_losses,
    similar_table,
    zone_profile,
)
from cartohdf.state import MapState
from cartohdf.view import Area

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

A4_PORTRAIT = (2480 / 300, 3508 / 300)  # inches
LEFT, RIGHT = 0.07, 0.93
LOCATOR_BOX = (0.07, 0.64, 0.42, 0.23)  # left, bottom, width, height (figure fraction)
CHART_BOX = (0.60, 0.715, 0.33, 0.13)
BOTTOM = 0.06  # content stops above the footer
SIMPLIFY_M = 60.0  # outlines on a portrait page: well under a printed point
NEIGHBOUR_FILL, LAND_EDGE = "#e8e8e8", "#ffffff"
SCALES = (1.0, 0.9, 0.8, 0.7)  # a page too full is drawn again, smaller


@dataclass(frozen=True)
class Shapes:
    """Outlines of one zoning in Lambert-93, simplified for print (zones as one coverage)."""

    zones: gpd.GeoDataFrame
    departements: gpd.GeoSeries
    region: gpd.GeoSeries
    points: dict[str, tuple[float, float]]  # each zone's inside point


@memo.derived
def shapes(data: Dataset, zoning: str) -> Shapes:
    """The print outlines of a zoning (computed once per dataset and zoning)."""
    zones = data.zones[zoning].to_crs(2154)
    inside = zones.geometry.representative_point()  # before simplifying, as the HTML map
    points = {c: (p.x, p.y) for c, p in zip(zones["code"], inside, strict=True)}
    zones = zones.set_geometry(shapely.coverage_simplify(zones.geometry.values, SIMPLIFY_M))
    return Shapes(
        zones=zones,
        departements=data.departements.to_crs(2154).geometry.simplify(SIMPLIFY_M),
        region=data.region.to_crs(2154).geometry.simplify(SIMPLIFY_M),
        points=points,
    )


def geometry_path(geom: Any) -> Any:
    """A shapely (multi)polygon as one matplotlib Path (`_paint.polygon_path`)."""
    return polygon_path([[np.asarray(ring.coords) for ring in (poly.exterior, *poly.interiors)]
                         for poly in getattr(geom, "geoms", [geom])])  # fmt: skip


@dataclass
class Atlas:
    """What every page of one atlas shares."""

    data: Dataset
    zoning: str
    lang: str
    day: dt.date
    plan: Plan  # the view's map (by default the zoning's): classes and legend of the locator maps
    shapes: Shapes
    total: int = 0
    bookmarks: list[tuple[str, int]] = field(default_factory=list)

    def date_text(self) -> str:
        return day_text(self.day, self.lang)

    def zone(self, code: str) -> Area:
        """A zone as the atlas' map draws it: its class and fill."""
        return next(a for a in self.plan.parts.zones.areas if a.code == code)


def atlas_context(data: Dataset, zoning: str, lang: str, day: dt.date,
                  view: MapState | None = None) -> Atlas:  # fmt: skip
    """The shared parts of an atlas (raises StateError for an unknown zoning or language);
    `view`: the map the atlas follows (its indicator — a sector's included —, years, classes,
    palette), drawn with the départements and no basemap; by default the zoning's."""
    base = view or MapState(zoning=zoning)
    state = replace(base, zoning=zoning, lang=lang, zone=None, basemap="none",
                    layers=frozenset({"departements"}))  # fmt: skip
    return Atlas(data, zoning, lang, day, plan(state, data), shapes(data, zoning))


# -- locator map ---------------------------------------------------------------------------


def locator_frame(data: Dataset, zoning: str, code: str,
                  figsize: tuple[float, float] = A4_PORTRAIT) -> Frame:  # fmt: skip
    """Where a zone's portrait page draws its locator map: the zone with half its extent
    around it (as the app frames a selected zone), filling the locator's box."""
    zones = shapes(data, zoning).zones
    xmin, ymin, xmax, ymax = zones.set_index("code").geometry[code].bounds
    dx, dy = (xmax - xmin) * ZONE_MARGIN, (ymax - ymin) * ZONE_MARGIN
    x0, y0, x1, y1 = (float(v) for v in zones.total_bounds)
    bounds = clipped((xmin - dx, ymin - dy, xmax + dx, ymax + dy), (x0, y0, x1, y1))
    return frame_with_symbols(bounds, [], LOCATOR_BOX, figsize, 0.0, True, (x0, y0, x1, y1))


def _patch(ax: Axes, geom: Any, gid: str, **style: Any) -> None:
    from matplotlib.patches import PathPatch

    ax.add_patch(PathPatch(geometry_path(geom), gid=gid, joinstyle="round", **style))


def draw_locator(fig: Figure, atlas: Atlas, code: str) -> Frame:
    """The zone in its class colour, its neighbours in grey with their names, département and
    région outlines."""
    frame = locator_frame(atlas.data, atlas.zoning, code, (fig.get_figwidth(), fig.get_figheight()))
    ax = map_axes(fig, frame)
    xmin, xmax, ymin, ymax = frame.extent
    box = shapely.box(xmin, ymin, xmax, ymax)
    zones = atlas.shapes.zones
    near = zones[zones.intersects(box)]
    for c, geom in zip(near["code"], near.geometry, strict=True):
        if c != code:
            _patch(ax, geom, f"locator-{c}", facecolor=NEIGHBOUR_FILL, edgecolor=LAND_EDGE,
                   linewidth=0.8, zorder=1)  # fmt: skip
    fill = atlas.zone(code).fill
    for geom in atlas.shapes.departements[atlas.shapes.departements.intersects(box)]:
        _patch(
            ax, geom, "departement", facecolor="none", edgecolor="#9a9a9a", linewidth=0.9, zorder=2
        )
    _patch(ax, zones.set_index("code").geometry[code], f"locator-{code}", facecolor=fill,
           edgecolor="#000000", linewidth=2.2, zorder=3)  # fmt: skip
    specs = [LabelSpec(*atlas.shapes.points[c], name, geom)
             for c, name, geom in zip(near["code"], near["name"], near.geometry, strict=True)
             if c != code]  # fmt: skip
    style = LabelStyle(size=6.5, weight="normal", color="#4d4d4d", gid="locator-label", zorder=4)
    place_labels(ax, specs, [], [], renderer_of(fig), style)
    ax.add_patch(_frame_border(ax))
    return frame


def _frame_border(ax: Axes) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False, edgecolor="#bbbbbb",
                     linewidth=0.6, zorder=10)  # fmt: skip


def class_label(atlas: Atlas, code: str) -> str:
    """The legend line of the zone's class, as the map's legend writes it; on a map of
    circles (a count), the zone's own figure."""
    if atlas.plan.classes is None:
        zv = atlas.plan.values
        return f"{value(zv.values.get(code), zv.indicator.kind, atlas.lang)} {zv.indicator.unit(atlas.lang)}"
    klass = atlas.zone(code).klass
    zones = atlas.plan.parts.legend[0]
    found = [r.text for r in zones.rows if klass is not None and r.klass == klass]
    return found[0] if found else t("no_data", atlas.lang)


# -- jobs chart ----------------------------------------------------------------------------


def draw_jobs_chart(fig: Figure, profile: ZoneProfile, lang: str, scale: float) -> None:
    """Industrial jobs by year (the profile's series), the axis scaled to its own range."""
    chart = profile.jobs
    ax = fig.add_axes(CHART_BOX)
    if chart is None:  # no figure for this zone: an empty frame, as the panel draws none
        ax.set_axis_off()
        return
    years = [int(y) for y in chart.years]
    values = np.asarray(chart.values, dtype=float)
    ax.plot(years, values, color="#08519c", linewidth=1.4, marker="o", markersize=2.2)
    lo, hi = chart.lo, chart.hi
    pad = (hi - lo) * 0.12 or max(hi * 0.05, 1.0)
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ticks = np.linspace(lo, hi, 3)
    ax.set_yticks(ticks, [number(v, 0, lang) for v in ticks])
    step = max(1, round(len(years) / 5))
    ax.set_xticks(years[::step], [str(y) for y in years[::step]])
    ax.tick_params(labelsize=6.5 * scale, colors=GREY, length=2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.5)
    top = CHART_BOX[1] + CHART_BOX[3] + 0.035
    fig.text(CHART_BOX[0], top, t("jobs_chart", lang), fontsize=9 * scale, fontweight="bold",
             va="top", color=TEXT_COLOR)  # fmt: skip
    col = Column(fig, CHART_BOX[0] - 0.03, CHART_BOX[1] - 0.03, RIGHT - CHART_BOX[0] + 0.03)
    col.text(t("change_title", lang), 7.5 * scale, color=GREY)
    col.text(profile.change_text, 8 * scale, fontweight="bold", color=TEXT_COLOR)


# -- tables --------------------------------------------------------------------------------


def draw_table(col: Column, table: pd.DataFrame, widths: list[float], size: float) -> None:
    """A table: bold header, wrapped cells, a thin rule under each row."""
    from matplotlib.lines import Line2D

    from cartohdf.export._static import wrap

    figw = col.fig.get_figwidth()
    xs = np.concatenate([[0.0], np.cumsum(widths)[:-1]]) * col.width + col.x
    rows = [(list(table.columns), True), *[(list(r), False) for r in table.itertuples(index=False)]]
    for cells, header in rows:
        wrapped = [
            wrap(str(v), w * col.width - 0.01, size, figw)
            for v, w in zip(cells, widths, strict=True)
        ]
        for x, lines in zip(xs, wrapped, strict=True):
            for i, line in enumerate(lines):
                col.fig.text(x, col.y - i * size * 1.25 / col.h, line, fontsize=size, va="top",
                             color=GREY if header else TEXT_COLOR,
                             fontweight="bold" if header else "normal")  # fmt: skip
        col.gap(max(len(lines) for lines in wrapped) * size * 1.25 + 2)
        col.fig.add_artist(Line2D([col.x, col.x + col.width], [col.y + 1 / col.h] * 2,
                                  transform=col.fig.transFigure, color="#d0d0d0", linewidth=0.4))  # fmt: skip
        col.gap(2.5)


def section(col: Column, title: str, size: float) -> None:
    col.gap(size * 0.9)
    col.text(title, size * 1.2, fontweight="bold", color=TEXT_COLOR)
    col.gap(1)


def draw_statements(col: Column, profile: ZoneProfile, lang: str, size: float) -> None:
    """What the study says: each statement, its quote, where in the study."""
    if profile.zoning == "ze2020":
        col.text(t("statements_ze2020", lang, zones=", ".join(profile.study_zones)), size * 0.9,
                 color=GREY)  # fmt: skip
    if profile.statements.empty:
        col.text(t("none_found", lang), size, color=GREY)
    indent = 0.015
    for statement, quote, source in profile.statements.itertuples(index=False):
        col.text(f"• {statement}", size, fontweight="bold", color=TEXT_COLOR)
        col.text(str(quote), size * 0.95, indent=indent, color=TEXT_COLOR)  # one face less to embed
        col.text(str(source), size * 0.8, indent=indent, color=GREY)
        col.gap(2)


def draw_context(col: Column, profile: ZoneProfile, lang: str, size: float) -> None:
    """The zone among France's metropolitan zones: its ranks and percentile, a strip of every
    zone (the région's taller and blue, this one marked), the five most similar zones."""
    ctx, strip = profile.context, profile.strip
    if ctx is None or strip is None:
        return
    section(col, t("context_title", lang, indicator=ctx.indicator.label(lang), year=ctx.year), size)
    col.text(context_text(ctx, lang), size, color=TEXT_COLOR)
    col.gap(size * 1.4)  # room for the value over the mark
    height = 26 / col.h  # points
    ax = col.fig.add_axes((col.x, col.y - height, col.width * 0.6, height))
    ax.set_axis_off()
    lo, hi = strip.lo, strip.hi
    ax.set_xlim(lo - (hi - lo) * 0.01, hi + (hi - lo) * 0.01)
    ax.set_ylim(0, 1.6)
    ax.vlines(strip.france, 0.15, 0.55, color="#a9acb5", linewidth=0.5)
    ax.vlines(strip.region, 0.15, 1.0, color="#1f5fa8", linewidth=0.7)
    ax.plot([strip.value], [1.2], marker="v", color="#000000", markersize=4)
    ax.text(strip.value, 1.35, strip.value_text, fontsize=size * 0.9, ha="center",
            va="bottom", fontweight="bold", color=TEXT_COLOR)  # fmt: skip
    ax.text(lo, -0.05, strip.lo_text, fontsize=size * 0.8, va="top", color=GREY)
    ax.text(hi, -0.05, strip.hi_text, fontsize=size * 0.8, va="top", ha="right", color=GREY)
    col.gap(26 + size * 1.4)
    col.text(t("strip_key_print", lang, value=strip.value_text), size * 0.8, color=GREY)
    col.text(
        t("similar_title", lang, year=ctx.similar_year), size, fontweight="bold", color=TEXT_COLOR
    )
    draw_table(col, similar_table(ctx, lang), [0.40, 0.26, 0.16, 0.18], size)


def _table_or_none(col: Column, table: pd.DataFrame, widths: list[float], size: float,
                   lang: str) -> None:  # fmt: skip
    if table.empty:
        col.text(t("none_found", lang), size, color=GREY)
    else:
        draw_table(col, table, widths, size)


# -- pages ---------------------------------------------------------------------------------


def footer(fig: Figure, atlas: Atlas, page: int | None) -> None:
    """The page's footer: what the document is, its date, the page number."""
    left = t("atlas.footer", atlas.lang, zoning=t(f"zoning_{atlas.zoning}", atlas.lang),
             date=atlas.date_text())  # fmt: skip
    fig.text(LEFT, 0.03, left, fontsize=6.5, color=GREY, va="bottom")
    if page is not None:
        fig.text(RIGHT, 0.03, t("atlas.page", atlas.lang, n=page, total=atlas.total),
                 fontsize=7, color=GREY, va="bottom", ha="right", gid="page-number")  # fmt: skip


def zone_page(fig: Figure, atlas: Atlas, code: str) -> None:
    """One zone's portrait; drawn smaller when its text would run into the footer."""
    lang = atlas.lang
    profile = zone_profile(atlas.data, atlas.zoning, code, lang)
    for scale in SCALES:
        fig.clear()
        end = _zone_content(fig, atlas, profile, scale)
        if end >= BOTTOM:
            break


def _zone_content(fig: Figure, atlas: Atlas, profile: ZoneProfile, scale: float) -> float:
    lang, size = atlas.lang, 7.5 * scale
    title = f"{profile.name} ({profile.code})"
    fig.text(LEFT, 0.965, title, fontsize=17, fontweight="bold", va="top", color=TEXT_COLOR,
             gid="zone-title", **elision_features(title))  # fmt: skip
    fig.text(LEFT, 0.935, f"{t(f'zoning_{atlas.zoning}', lang)} · Hauts-de-France", fontsize=9,
             va="top", color=GREY)  # fmt: skip
    if profile.interregional:
        fig.text(LEFT, 0.915, t("interregional_note", lang), fontsize=7.5, va="top",
                 color="#7a5c00", bbox={"facecolor": "#fff3cd", "edgecolor": "#c9a227",
                                        "boxstyle": "round,pad=0.3", "linewidth": 0.6})  # fmt: skip
    frame = draw_locator(fig, atlas, profile.code)
    zv = atlas.plan.values
    key = "atlas.locator_class" if atlas.plan.classes is not None else "sect.locator_value"
    caption = t(key, lang, indicator=zv.indicator.label(lang), year=zv.year,
                label=class_label(atlas, profile.code))  # fmt: skip
    Column(fig, LEFT, frame.rect[1] - 0.008, LOCATOR_BOX[2]).text(caption, 7, color=GREY)
    draw_jobs_chart(fig, profile, lang, scale)
    col = Column(fig, LEFT, LOCATOR_BOX[1] - 0.035, RIGHT - LEFT)
    section(col, t("indicators_title", lang), size)
    draw_table(col, profile.indicators, [0.40, 0.12, 0.12, 0.14, 0.22], size)
    draw_context(col, profile, lang, size)
    section(col, t("statements", lang), size)
    draw_statements(col, profile, lang, size)
    section(col, t("employers_title", lang), size)
    _table_or_none(col, profile.employers, [0.34, 0.08, 0.38, 0.20], size, lang)
    section(col, t("s3_roles", lang), size)
    _table_or_none(col, profile.s3_roles, [0.36, 0.30, 0.34], size, lang)
    section(col, t("ti_title", lang), size)
    _table_or_none(col, profile.territoires, [0.20, 0.56, 0.24], size, lang)
    return col.y


def cover_page(fig: Figure, atlas: Atlas, generated: dt.date) -> None:
    """Title, the regional map with its legend, the study's key figures."""
    lang = atlas.lang
    head = Column(fig, LEFT, 0.955, RIGHT - LEFT)
    head.text(t("app_title", lang), 17, fontweight="bold", color=TEXT_COLOR)
    head.gap(3)
    head.text(t("atlas.subtitle", lang, zoning=t(f"zoning_{atlas.zoning}", lang)), 11, color=GREY)
    size = (fig.get_figwidth(), fig.get_figheight())
    drawing = atlas.plan.drawing
    marks = [s for layer in shown_layers(drawing) for s in symbols(layer)]
    frame = frame_with_symbols(view_bounds_l93(drawing), marks, (LEFT, 0.46, 0.58, 0.42), size)
    ax = map_axes(fig, frame)
    lay_out(ax, draw_plan(ax, drawing), None, [])
    x = frame.rect[0] + frame.rect[2] + 0.03
    draw_legend(Column(fig, x, 0.86, RIGHT - x), legend_lines(drawing.legend_shown(), lang))
    col = Column(fig, LEFT, 0.43, RIGHT - LEFT)
    section(col, t("overview", lang), 9)
    figures = key_figures(atlas.data, lang)
    draw_table(col, figures.iloc[:, [1, 0, 2]], [0.22, 0.6, 0.18], 8)
    col.gap(4)
    col.text(t("study_field_note", lang), 7, color=GREY)


def level_page(fig: Figure, atlas: Atlas, level_plan: Plan) -> None:
    """The map of a level below the zone (communes, EPCI, départements of an import), whole
    page, with its legend under it (secret and zero-job units included)."""
    lang = atlas.lang
    drawing = level_plan.drawing
    head = Column(fig, LEFT, 0.955, RIGHT - LEFT)
    head.text(drawing.title.subtitle, 17, fontweight="bold", color=TEXT_COLOR)
    head.gap(3)
    head.text(drawing.title.text, 11, color=GREY)
    size = (fig.get_figwidth(), fig.get_figheight())
    marks = [s for layer in shown_layers(drawing) for s in symbols(layer)]
    frame = frame_with_symbols(view_bounds_l93(drawing), marks, (LEFT, 0.33, RIGHT - LEFT, 0.56), size)
    ax = map_axes(fig, frame)
    lay_out(ax, draw_plan(ax, drawing), None, [])
    draw_legend(Column(fig, LEFT, 0.31, RIGHT - LEFT), legend_lines(drawing.legend_shown(), lang))


def contents_page(fig: Figure, atlas: Atlas, entries: list[tuple[str, str, int]]) -> None:
    """Every zone, with its page."""
    col = Column(fig, LEFT, 0.955, RIGHT - LEFT)
    col.text(t("atlas.contents", atlas.lang), 17, fontweight="bold", color=TEXT_COLOR)
    col.gap(10)
    for code, name, page in entries:
        y = col.y
        fig.text(LEFT, y, code, fontsize=10, va="top", color=GREY)
        fig.text(LEFT + 0.08, y, name, fontsize=10, va="top", color=TEXT_COLOR)
        fig.text(RIGHT, y, str(page), fontsize=10, va="top", ha="right", color=TEXT_COLOR)
        col.gap(10 * 1.75)


def sectors_page(fig: Figure, atlas: Atlas) -> None:
    """The sectors the study names as losing jobs 2007-2017 beside the open data's change
    (URSSAF, ZE2020), with how the two differ: not one series."""
    lang = atlas.lang
    col = Column(fig, LEFT, 0.955, RIGHT - LEFT)
    col.text(t("sect.study_title", lang), 15, fontweight="bold", color=TEXT_COLOR)
    col.gap(8)
    col.text(study_comparison_note(atlas.data, lang), 8.5, color=GREY, lead=1.4)
    col.gap(8)
    draw_table(col, sector_losses(atlas.data, lang), [0.28, 0.06, 0.18, 0.26, 0.22], 8.5)


def sources_page(fig: Figure, atlas: Atlas) -> None:
    """Sources and licences of everything in the atlas."""
    lang = atlas.lang
    sources = atlas.plan.parts.sources
    col = Column(fig, LEFT, 0.955, RIGHT - LEFT)
    col.text(sources.title, 17, fontweight="bold", color=TEXT_COLOR)
    col.gap(8)
    for item in sources.items:
        col.text(f"• {item}", 9, color=TEXT_COLOR, lead=1.4)
        col.gap(4)
    col.gap(6)
    for key in ("study_field_note", "interregional_note", "employer_note", "static.projection"):
        col.text(t(key, lang), 8.5, color=GREY, lead=1.4)
        col.gap(3)
    col.gap(6)
    col.text(t("atlas.generated", lang, date=atlas.date_text()), 8.5, color=GREY)


# -- the document --------------------------------------------------------------------------


Page = tuple[Callable[["Figure"], None], int | None]  # draws a page; its number, if shown


def _pdf(atlas: Atlas, pages: list[Page], title: str, bookmarks: list[tuple[str, int]],
         landscape: frozenset[int] = frozenset()) -> bytes:  # fmt: skip
    """Draw each page on a fresh A4 portrait figure, with its footer, into one PDF; then add
    the bookmarks and page labels. No creation date anywhere. The pages numbered in
    `landscape` (a comparison's, drawn as its own report draws them, with their own source
    line where the footer would be) are A4 landscape, without the footer."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    buf = io.BytesIO()
    meta = {"Title": title, "CreationDate": None, "ModDate": None}
    with print_style(), PdfPages(buf, metadata=meta) as pdf:
        for draw, number in pages:
            wide = number in landscape
            fig = Figure(figsize=A4_LANDSCAPE if wide else A4_PORTRAIT)
            draw(fig)
            if not wide:
                footer(fig, atlas, number)
            pdf.savefig(fig)
    return with_outline(buf.getvalue(), bookmarks)


def with_outline(pdf: bytes, bookmarks: list[tuple[str, int]]) -> bytes:
    """The PDF with an outline (title, page index) and page labels 1, 2, 3… (pypdf)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for title, page in bookmarks:
        writer.add_outline_item(title=title, page_number=page)
    writer.set_page_label(0, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=1)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def atlas_pdf(data: Dataset, zoning: str, lang: str, generated: dt.date,
              view: MapState | None = None) -> bytes:  # fmt: skip
    """The atlas of a zoning's zones as one PDF: cover (regional map, key figures), contents,
    one portrait page per zone, the study's sector losses beside the open data, sources and
    licences; bookmarks and page numbers. `view`: the map it follows (see `atlas_context`);
    at a level below the zone (its communes, EPCI or départements), that level's map is a
    page of its own after the cover, and the zones' pages follow the zones' map; when it
    compares zones, the comparison's two pages (table, charts) come before the sources.

    Raises
    ------
    StateError
        If `zoning` or `lang` is not one cartohdf knows.
    """
    day = generated
    level = view if view is not None and view.level != "zone" else None
    if level is not None:
        view = replace(level, level="zone", within="", zone=None)
    atlas = atlas_context(data, zoning, lang, day, view)
    codes = list(atlas.shapes.zones["code"])
    extra = 0 if level is None else 1
    compared = _compared_pages(data, view) if view is not None and view.compare else []
    atlas.total = len(codes) + 4 + extra + len(compared)
    names = data.zone_names(zoning)
    entries = [(c, names[c], i + 3 + extra) for i, c in enumerate(codes)]
    pages: list[Page] = [(partial(cover_page, atlas=atlas, generated=day), 1)]
    title = t("atlas.title", lang)
    bookmarks = [(title, 0)]
    if level is not None and extra:
        # as the cover: the outlines and names, no marker (their legend would not fit)
        level_plan = plan(replace(level, zone=None, layers=frozenset({"departements", "labels"})), data)
        pages.append((partial(level_page, atlas=atlas, level_plan=level_plan), 2))
        bookmarks.append((level_plan.drawing.title.subtitle, 1))
    pages.append((partial(contents_page, atlas=atlas, entries=entries), 2 + extra))
    pages += [(partial(zone_page, atlas=atlas, code=c), n) for c, _, n in entries]
    sectors = atlas.total - 1 - len(compared)  # its page number
    pages.append((partial(sectors_page, atlas=atlas), sectors))
    pages += [(draw, sectors + 1 + i) for i, draw in enumerate(compared)]
    pages.append((partial(sources_page, atlas=atlas), atlas.total))
    bookmarks.append((t("atlas.contents", lang), 1 + extra))
    bookmarks += [(f"{name} ({code})", page - 1) for code, name, page in entries]
    bookmarks.append((t("sect.study_title", lang), sectors - 1))
    if compared:
        bookmarks.append((t("cmpz.pdf_title", lang), sectors))
    bookmarks.append((t("sources_title", lang), atlas.total - 1))
    landscape = frozenset(range(sectors + 1, sectors + 1 + len(compared)))
    return _pdf(atlas, pages, f"{title} · {t(f'zoning_{zoning}', lang)}", bookmarks, landscape)


def _compared_pages(data: Dataset, view: MapState) -> list[Callable[[Figure], None]]:
    """The comparison's pages (table, charts) of a view that compares zones, in its years, as
    its own report draws them but for their page numbers (the atlas numbers them)."""
    from cartohdf.export._comparison import charts_page, table_page, view_comparison

    compared = view_comparison(data, view)
    return [partial(table_page, view=compared), partial(charts_page, view=compared)]


def portrait_pdf(data: Dataset, zoning: str, code: str, lang: str, generated: dt.date,
                 view: MapState | None = None) -> bytes:  # fmt: skip
    """One zone's portrait as a one-page PDF (the atlas page of that zone; `view`: the map
    its locator follows).

    Raises
    ------
    StateError
        If the zoning has no zone `code` (or `zoning`, `lang` are unknown).
    """
    atlas = atlas_context(data, zoning, lang, generated, view)
    codes = list(atlas.shapes.zones["code"])
    if code not in codes:
        raise StateError("state.unknown_zone", value=code, zoning=zoning, allowed=codes)
    atlas.total = 1
    name = f"{data.zone_name(zoning, code)} ({code})"
    return _pdf(atlas, [(partial(zone_page, atlas=atlas, code=code), None)], name, [(name, 0)])
