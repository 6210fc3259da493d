"""Zones compared, taken away: the table as CSV (French Excel) and XLSX, and a PDF report
(the table, then the index chart and the scatter), drawn with matplotlib from the same objects
the app's panel draws (`indicators.compare_zones`, `compare_scatter`). Deterministic: no
creation date, the same bytes for the same data, zones and language.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cartohdf.compose import Plan
from cartohdf.core import InputError, number, t, value, write_atomic
from cartohdf.data import Dataset
from cartohdf.export._paint import TEXT_COLOR
from cartohdf.export._static import A4_LANDSCAPE, GREY, print_style, static_map
from cartohdf.export._tables import _csv_fr, _neutralised, _quiet_library_cleanup, _xlsx
from cartohdf.indicators import (
    FRANCE_CODE,
    REGION_CODE,
    Comparison,
    Scatter,
    compare_scatter,
    compare_zones,
    indicator_set,
    scatter_axes,
)
from cartohdf.render import (
    FRANCE_COLOUR,
    OTHER_COLOUR,
    REGION_COLOUR,
    ZONE_COLOURS,
    comparison_table,
    index_table,
    rank_note,
    rank_text,
    scatter_label,
    scatter_table,
    series_name,
    source_text,
    tick_text,
    when,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from cartohdf.state import MapState

COMPARE_FORMATS = ("pdf", "csv", "xlsx")


@dataclass(frozen=True)
class ComparedView:
    """What a comparison file shows: the comparison, its scatter, the language."""

    comparison: Comparison
    scatter: Scatter
    lang: str
    import_file: str = ""
    numbered: bool = True  # the report's own page numbers (not after a map's page)


def compared_view(data: Dataset, zoning: str, codes: tuple[str, ...], lang: str = "fr",
                  year: int | None = None, axes: tuple[str | None, str | None] = (None, None),
                  period: tuple[int, int] | None = None) -> ComparedView:  # fmt: skip
    """The comparison of `codes` in `year` (the latest by default; changes over `period`, the
    zoning's default period by default) and its scatter (`axes`: the indicators asked, the
    defaults otherwise)."""
    c = compare_zones(data, zoning, codes, year, period)
    x, y = scatter_axes(indicator_set(data, zoning), axes)
    s = compare_scatter(data, zoning, codes, x, y, c.year, c.period)
    file = data.employment[zoning].import_file if c.source == "import" else ""
    return ComparedView(c, s, lang, file)


def comparison_csv(view: ComparedView) -> bytes:
    """The comparison table as French Excel opens it: UTF-8 with a BOM, « ; », decimal comma."""
    return _csv_fr(_neutralised(comparison_table(view.comparison, view.lang)))


def comparison_xlsx(view: ComparedView) -> bytes:
    """A workbook: the comparison table, the index series, the scatter's figures (one sheet
    each, numbers as numbers, header frozen)."""
    lang = view.lang
    return _xlsx({
        t("cmpz.sheet_table", lang): _neutralised(comparison_table(view.comparison, lang)),
        t("cmpz.sheet_index", lang): _neutralised(index_table(view.comparison, lang)),
        t("cmpz.sheet_scatter", lang): _neutralised(_scatter_numbers(view.scatter, lang)),
    })  # fmt: skip


def _scatter_numbers(s: Scatter, lang: str) -> pd.DataFrame:
    """The scatter's figures as numbers (shares and changes in percent)."""
    def scaled(v: float, kind: str) -> float:
        return round(v * (100.0 if kind in ("share", "change") else 1.0), 6)

    frame = scatter_table(s, lang)
    points = sorted(s.points, key=lambda p: (not p.compared, p.code))
    frame[frame.columns[1]] = [scaled(p.x, s.x.kind) for p in points]
    frame[frame.columns[2]] = [scaled(p.y, s.y.kind) for p in points]
    return frame


# -- the PDF ---------------------------------------------------------------------------------


def _title(fig: Figure, view: ComparedView, page: int) -> None:
    """The page's title, the zones compared and, in the report of its own, its number."""
    c, lang = view.comparison, view.lang
    zones = ", ".join(f"{n} ({code})" for code, n in zip(c.codes, c.names, strict=True))
    fig.text(0.04, 0.96, t("cmpz.pdf_title", lang), fontsize=16, fontweight="bold", va="top", color=TEXT_COLOR)
    fig.text(0.04, 0.915, t("cmpz.pdf_zones", lang, zoning=t(f"zoning_{c.zoning}", lang), zones=zones),
             fontsize=9.5, va="top", color=GREY, wrap=True)  # fmt: skip
    if view.numbered:
        fig.text(0.96, 0.02, f"{page}/2", fontsize=8, ha="right", color=GREY)


def table_page(fig: Figure, view: ComparedView) -> None:
    """Page 1: every indicator (rows) for each zone, the région and France (columns), each
    zone's cell with its ranks; how to read the ranks; the source."""
    c, lang = view.comparison, view.lang
    _title(fig, view, 1)
    heads = [t("cmpz.indicator", lang), *(f"{n}\n({code})" for code, n in zip(c.codes, c.names, strict=True)),
             t("cmpz.region_short", lang), t("cmpz.france", lang)]  # fmt: skip
    cells = []
    for r in c.rows:
        kind = r.indicator.kind
        row = [f"{r.indicator.label(lang)}, {when(r.indicator, r.year, r.base_year)}"]
        row += [f"{value(v, kind, lang)}\n{rank_text(rr, r.n_region, lang)} · {rank_text(rf, r.n_france, lang)}"
                for v, rr, rf in zip(r.values, r.rank_region, r.rank_france, strict=True)]  # fmt: skip
        row += [value(r.region, kind, lang), value(r.france, kind, lang)]
        cells.append(row)
    top, bottom = 0.86, 0.11
    ax = fig.add_axes((0.04, bottom, 0.92, top - bottom))
    ax.set_axis_off()
    n = len(c.codes)
    first = 0.30 if n > 3 else 0.36
    rest = (1 - first) / (n + 2)
    table = ax.table(cellText=cells, colLabels=heads, loc="upper left", cellLoc="right",
                     colWidths=[first] + [rest] * (n + 2))  # fmt: skip
    table.auto_set_font_size(False)
    size = 8.5 if len(cells) <= 10 else 7.0 if n <= 4 else 6.5
    table.set_fontsize(size)
    row_h = min(0.9 / (len(cells) + 1), 0.09)
    for (i, j), cell in table.get_celld().items():
        cell.set_height(row_h * (1.25 if i == 0 else 1.0))
        cell.set_edgecolor("#d0d0d0")
        cell.set_linewidth(0.4)
        cell.get_text().set_color(TEXT_COLOR)
        if j == 0:
            cell.get_text().set_horizontalalignment("left")
            cell.PAD = 0.02
        if i == 0:
            cell.set_facecolor("#f0f2f6")
            cell.get_text().set_fontweight("bold")
    fig.text(0.04, 0.085, t("cmpz.pdf_cell", lang) + " " + rank_note(c, lang), fontsize=7.5, color=GREY, va="top", wrap=True)
    fig.text(0.04, 0.045, source_text(c, lang, view.import_file), fontsize=7.5, color=GREY, va="top", wrap=True)


def _style(ax: Axes, xlabel: str, ylabel: str, title: str) -> None:
    ax.set_xlabel(xlabel, fontsize=8.5, color=TEXT_COLOR)
    ax.set_ylabel(ylabel, fontsize=8.5, color=TEXT_COLOR)
    ax.set_title(title, fontsize=11, fontweight="bold", color=TEXT_COLOR, loc="left", wrap=True)
    ax.tick_params(labelsize=7.5, colors=GREY)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(color="#e5e5e5", linewidth=0.5)


def draw_index(ax: Axes, c: Comparison, lang: str) -> None:
    """Industrial jobs as an index, one line per zone, the région (dashed) and France (dotted)."""
    for i, s in enumerate(c.index):
        style = {REGION_CODE: ("--", REGION_COLOUR), FRANCE_CODE: (":", FRANCE_COLOUR)}.get(
            s.code, ("-", ZONE_COLOURS[i % len(ZONE_COLOURS)])
        )
        ax.plot(s.years, s.values, linestyle=style[0], color=style[1], linewidth=1.6,
                marker="o" if len(s.years) < 8 else None, markersize=2.5,
                label=series_name(s.code, s.name, lang))  # fmt: skip
    years = list(c.index[0].years)
    step = max(1, math.ceil(len(years) / 6))
    ax.set_xticks(years[::step], [str(y) for y in years[::step]])
    ticks = ax.get_yticks()
    ax.set_yticks(ticks, [number(v, 0, lang) for v in ticks])
    _style(ax, t("cmpz.year_axis", lang), t("cmpz.index_axis", lang, year=c.index_base),
           t("cmpz.index_title", lang, year=c.index_base))  # fmt: skip
    ax.legend(fontsize=7, frameon=False, loc="best")


def draw_scatter(ax: Axes, s: Scatter, c: Comparison, lang: str) -> None:
    """Every zone of the map as a grey point; the compared ones coloured and named."""
    colours = {code: ZONE_COLOURS[i % len(ZONE_COLOURS)] for i, code in enumerate(c.codes)}
    others = [p for p in s.points if not p.compared]
    ax.scatter([p.x for p in others], [p.y for p in others], s=12, color=OTHER_COLOUR,
               label=t("cmpz.other_zones", lang))  # fmt: skip
    for p in (p for p in s.points if p.compared):
        ax.scatter([p.x], [p.y], s=34, color=colours[p.code], edgecolors="white", linewidths=0.6, zorder=3)
        ax.annotate(p.name, (p.x, p.y), xytext=(5, 4), textcoords="offset points", fontsize=7.5,
                    fontweight="bold", color=colours[p.code])  # fmt: skip
    for get, kind in ((ax.get_xticks, s.x.kind), (ax.get_yticks, s.y.kind)):
        ticks = get()
        setter = ax.set_xticks if get == ax.get_xticks else ax.set_yticks
        setter(ticks, [tick_text(v, kind, lang) for v in ticks])
    end = c.period[1]
    _style(ax, scatter_label(s.x, s.x_base, s.year if s.x_base is None else end, lang),
           scatter_label(s.y, s.y_base, s.year if s.y_base is None else end, lang),
           t("cmpz.scatter_title", lang, x=s.x.label(lang), y=s.y.label(lang), year=s.year))  # fmt: skip
    ax.legend(fontsize=7, frameon=False, loc="best")


def charts_page(fig: Figure, view: ComparedView) -> None:
    """Page 2: the index chart and the scatter side by side, the source under them."""
    c, lang = view.comparison, view.lang
    _title(fig, view, 2)
    draw_index(fig.add_axes((0.07, 0.17, 0.38, 0.62)), c, lang)
    draw_scatter(fig.add_axes((0.56, 0.17, 0.40, 0.62)), view.scatter, c, lang)
    fig.text(0.04, 0.06, source_text(c, lang, view.import_file), fontsize=7.5, color=GREY, va="top", wrap=True)


def comparison_pdf(view: ComparedView) -> bytes:
    """The comparison report: the table page, then the charts page (A4 landscape)."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    buf = io.BytesIO()
    meta = {"Title": t("cmpz.pdf_title", view.lang), "CreationDate": None, "ModDate": None}
    with print_style(), PdfPages(buf, metadata=meta) as pdf:
        for draw in (table_page, charts_page):
            fig = Figure(figsize=A4_LANDSCAPE)
            draw(fig, view)
            pdf.savefig(fig)
    return buf.getvalue()


def view_comparison(data: Dataset, state: MapState) -> ComparedView:
    """The comparison a view asks for (its zones, years, language), as a report placed after
    other pages draws it: without its own page numbers."""
    s = state
    period = (s.base_year, s.year) if s.base_year is not None and s.year is not None else None
    view = compared_view(data, s.zoning, s.compare, s.lang, s.year, period=period)
    return replace(view, numbered=False)


def map_file(plan: Plan, fmt: str, generated: dt.date) -> bytes:
    """The plan's map as `static_map` draws it; as a PDF of a view that compares zones, with
    the comparison's pages after the map (the report the view asks for, in one file)."""
    body = static_map(plan, fmt, generated)
    s = plan.state
    if fmt != "pdf" or not s.compare:
        return body
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(body)))
    writer.append(PdfReader(io.BytesIO(comparison_pdf(view_comparison(plan.data, s)))))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def comparison_bytes(view: ComparedView, fmt: str) -> bytes:
    """The comparison in one of COMPARE_FORMATS."""
    if fmt not in COMPARE_FORMATS:
        raise InputError("err.unknown_format", value=fmt, expected="exp.one_of", allowed=COMPARE_FORMATS)
    if fmt == "csv":
        return comparison_csv(view)
    if fmt == "xlsx":
        with _quiet_library_cleanup():
            return comparison_xlsx(view)
    return comparison_pdf(view)


def write_comparison(view: ComparedView, out: Path) -> int:
    """Write the comparison in the format of `out`'s extension, whole or not at all."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in COMPARE_FORMATS:
        raise InputError("err.unknown_format", value=out.suffix or out.name, expected="exp.one_of",
                         allowed=[f".{f}" for f in COMPARE_FORMATS])  # fmt: skip
    return write_atomic(out, comparison_bytes(view, fmt))
