"""Zones compared side by side, as the app's side panel shows them and as a table: every
indicator with its ranks, the industrial jobs index and the scatter, drawn as inline SVG
charts (axes, units, source) with their text alternatives (<title>, <desc> and the figures as a
table). Every text is escaped here; the figures come from `indicators.compare_zones`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from cartohdf.core import number, t, value
from cartohdf.indicators import (
    FRANCE_CODE,
    REGION_CODE,
    ComparedIndicator,
    Comparison,
    Indicator,
    Scatter,
)
from cartohdf.render._html import esc
from cartohdf.render._panel import table_html

# Okabe–Ito: told apart with the common colour-vision deficiencies; each ≥ 3:1 on white
ZONE_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#5e4fa2")
REGION_COLOUR, FRANCE_COLOUR, OTHER_COLOUR = "#262730", "#6b6e78", "#9a9da6"
CHART_W, CHART_H = 420, 290  # viewBox units; the SVG scales to the panel's width (text ≥ 9 px on a phone)
MARGIN = (58, 16, 22, 44)  # left, right, top, bottom
NUMERIC = " class='n'"


@dataclass(frozen=True)
class Axis:
    """One axis of a chart: its range, ticks and their texts, and its title."""

    lo: float
    hi: float
    ticks: tuple[float, ...]
    texts: tuple[str, ...]
    title: str


def nice_ticks(lo: float, hi: float, n: int = 5) -> tuple[float, ...]:
    """About `n` round ticks covering [lo, hi] (1, 2, 2.5 or 5 times a power of ten apart)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return (0.0,)
    if hi <= lo:
        lo, hi = lo - (abs(lo) or 1.0) * 0.1, hi + (abs(hi) or 1.0) * 0.1
    raw = (hi - lo) / max(n - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(lo / step) * step
    count = math.ceil((hi - first) / step - 1e-9) + 1
    return tuple(round(first + i * step, 12) for i in range(count))


def axis(values: Sequence[float], kind: str, title: str, lang: str) -> Axis:
    """An axis over `values` (NaN ignored), its ticks written as the indicator's kind is."""
    finite = [v for v in values if math.isfinite(v)] or [0.0]
    ticks = nice_ticks(min(finite), max(finite))
    return Axis(ticks[0], ticks[-1], ticks, tuple(tick_text(v, kind, lang) for v in ticks), title)


def tick_text(v: float, kind: str, lang: str) -> str:
    """A tick as the axis reads it: shares and changes in percent without decimals when round."""
    if kind in ("share", "change"):
        decimals = 0 if abs(v * 100 - round(v * 100)) < 1e-9 else 1
        return number(v * 100, decimals, lang, signed=kind == "change") + (" %" if lang == "fr" else "%")
    if kind == "count":
        return number(v, 0, lang)
    return number(v, 0 if float(v).is_integer() else 1 if round(v, 1) == v else 2, lang)


def when(ind: Indicator, year: int, base: int | None) -> str:
    """« 2017 », or « 2007–2017 » for a change."""
    return f"{base}–{year}" if base is not None else str(year)


def zone_heading(c: Comparison, i: int) -> str:
    return f"{c.names[i]} ({c.codes[i]})"


def series_name(code: str, name: str, lang: str) -> str:
    if code == REGION_CODE:
        return t("cmpz.region", lang)
    if code == FRANCE_CODE:
        return t("cmpz.france", lang)
    return f"{name} ({code})"


def source_text(c: Comparison, lang: str, file: str = "") -> str:
    """The source line of the comparison's figures."""
    if c.source == "import":
        employment = t("sources.import", lang, file=file)
    else:
        employment = t("sources.estel" if c.source == "estel" else "sources.urssaf", lang)
    if c.national_ranks:
        return t("cmpz.source", lang, source=t("cmpz.source_builtin", lang, employment=employment))
    return t("cmpz.source", lang, source=employment)


# -- the table -----------------------------------------------------------------------------


def rank_text(rank: int | None, n: int, lang: str) -> str:
    """« 3/28 » (the rank and how many are ranked), « — » without a rank."""
    return "—" if rank is None or not n else f"{rank}/{number(n, 0, lang)}"


def comparison_table(c: Comparison, lang: str) -> pd.DataFrame:
    """The comparison as a spreadsheet reads it: one row per indicator and area (each compared
    zone, then the région and France), with the year or period, the unit, the value (shares
    and changes in percent), the ranks and how many zones are ranked."""
    rows = []
    for r in c.rows:
        ind, percent = r.indicator, r.indicator.kind in ("share", "change")
        scale = 100.0 if percent else 1.0
        base = {t("cmpz.indicator", lang): ind.label(lang), t("cmpz.col_period", lang): when(ind, r.year, r.base_year),
                t("cmpz.unit", lang): "%" if percent else ind.unit(lang)}  # fmt: skip
        for i, code in enumerate(c.codes):
            rows.append({**base, t("col.code", lang): code, t("col.zone_name", lang): c.names[i],
                         t("cmpz.value", lang): _rounded(r.values[i] * scale),
                         t("cmpz.rank_region", lang): r.rank_region[i], "n_region": r.n_region,
                         t("cmpz.rank_france", lang): r.rank_france[i], "n_france": r.n_france or None})  # fmt: skip
        for code, v in ((REGION_CODE, r.region), (FRANCE_CODE, r.france)):
            rows.append({**base, t("col.code", lang): code, t("col.zone_name", lang): series_name(code, "", lang),
                         t("cmpz.value", lang): _rounded(v * scale)})  # fmt: skip
    table = pd.DataFrame(rows)
    counts = {"n_region": t("cmpz.n_region", lang), "n_france": t("cmpz.n_france", lang)}
    table = table.rename(columns=counts)
    for column in (t("cmpz.rank_region", lang), t("cmpz.rank_france", lang), *counts.values()):
        table[column] = table[column].astype("Int64")
    return table


def index_table(c: Comparison, lang: str) -> pd.DataFrame:
    """The index chart's figures: one row per year, one column per series (index, 1 decimal)."""
    years = c.index[0].years
    columns: dict[str, list[object]] = {t("cmpz.year", lang): [str(y) for y in years]}
    for s in c.index:
        columns[series_name(s.code, s.name, lang)] = [_rounded(v, 1) for v in s.values]
    return pd.DataFrame(columns)


def _rounded(v: float, decimals: int = 4) -> float | None:
    return None if v is None or not math.isfinite(v) else round(float(v), decimals)


def _group(r: ComparedIndicator, c: Comparison, lang: str) -> str:
    """One indicator: a heading row, then a row per compared zone (value, ranks) and the
    région's and France's values."""
    kind = r.indicator.kind
    label = f"{r.indicator.label(lang)}, {when(r.indicator, r.year, r.base_year)}"
    rows = [f"<tr class='ind'><th scope='colgroup' colspan='4'>{esc(label)}</th></tr>"]
    for i in range(len(c.codes)):
        swatch = f"<span class='dot' style='background:{ZONE_COLOURS[i % len(ZONE_COLOURS)]}'></span>"
        rows.append(f"<tr><th scope='row'>{swatch}{esc(c.names[i])}</th><td class='n'>{esc(value(r.values[i], kind, lang))}</td>"
                    f"<td class='n'>{esc(rank_text(r.rank_region[i], r.n_region, lang))}</td>"
                    f"<td class='n'>{esc(rank_text(r.rank_france[i], r.n_france, lang))}</td></tr>")  # fmt: skip
    for name, v in ((t("cmpz.region_short", lang), r.region), (t("cmpz.france", lang), r.france)):
        rows.append(f"<tr class='ref'><th scope='row'>{esc(name)}</th><td class='n'>{esc(value(v, kind, lang))}</td>"
                    "<td class='n'>—</td><td class='n'>—</td></tr>")  # fmt: skip
    return f"<tbody>{''.join(rows)}</tbody>"


def _indicator_table(c: Comparison, rows: Sequence[ComparedIndicator], lang: str, caption: str) -> str:
    heads = (t("cmpz.zone", lang), t("cmpz.value", lang), t("cmpz.rank_region", lang), t("cmpz.rank_france", lang))
    head = "".join(f"<th scope='col'{NUMERIC if i else ''}>{esc(h)}</th>" for i, h in enumerate(heads))
    return (f"<table class='cmp'><caption class='note'>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
            + "".join(_group(r, c, lang) for r in rows) + "</table>")  # fmt: skip


def rank_note(c: Comparison, lang: str) -> str:
    """How to read the ranks (how many zones each counts among)."""
    n_france = max((r.n_france for r in c.rows), default=0)
    key = "cmpz.rank_note" if c.national_ranks else "cmpz.rank_note_region"
    return t(key, lang, n_region=c.rows[0].n_region, n_france=number(n_france, 0, lang))


def indicators_html(c: Comparison, lang: str) -> str:
    """Every indicator, one group of rows each (the zones, the région, France): a table that
    stays readable in a narrow panel. Per-sector specialisations, when there are, folded."""
    main = [r for r in c.rows if r.indicator.sector is None]
    sectors = [r for r in c.rows if r.indicator.sector is not None]
    html = _indicator_table(c, main, lang, rank_note(c, lang))
    if sectors:
        html += (f"<details class='fold'><summary>{esc(t('cmpz.sectors', lang, n=len(sectors)))}</summary>"
                 f"{_indicator_table(c, sectors, lang, t('cmpz.sectors', lang, n=len(sectors)))}</details>")  # fmt: skip
    return html


# -- the charts ----------------------------------------------------------------------------


Scale = Callable[[float], float]


def _frame(x: Axis, y: Axis, width: int = CHART_W, height: int = CHART_H) -> tuple[list[str], Scale, Scale]:
    """A chart's axes, grid and tick texts; the functions from data to the viewBox."""
    left, right, top, bottom = MARGIN[0], width - MARGIN[1], MARGIN[2], height - MARGIN[3]

    def px(v: float) -> float:
        return left + (v - x.lo) / ((x.hi - x.lo) or 1.0) * (right - left)

    def py(v: float) -> float:
        return bottom - (v - y.lo) / ((y.hi - y.lo) or 1.0) * (bottom - top)

    parts = []
    for v, text in zip(y.ticks, y.texts, strict=True):
        parts.append(f"<line x1='{left}' x2='{right}' y1='{py(v):.1f}' y2='{py(v):.1f}' stroke='#e1e3e8'/>"
                     f"<text x='{left - 5}' y='{py(v) + 4:.1f}' text-anchor='end'>{esc(text)}</text>")  # fmt: skip
    for v, text in zip(x.ticks, x.texts, strict=True):
        parts.append(f"<line x1='{px(v):.1f}' x2='{px(v):.1f}' y1='{bottom}' y2='{bottom + 4}' stroke='#6b6e78'/>"
                     f"<text x='{px(v):.1f}' y='{bottom + 16}' text-anchor='middle'>{esc(text)}</text>")  # fmt: skip
    parts.append(f"<line x1='{left}' x2='{right}' y1='{bottom}' y2='{bottom}' stroke='#6b6e78'/>"
                 f"<line x1='{left}' x2='{left}' y1='{top}' y2='{bottom}' stroke='#6b6e78'/>"
                 f"<text x='{(left + right) / 2:.1f}' y='{height - 6}' text-anchor='middle'>{esc(x.title)}</text>"
                 f"<text transform='translate(13 {(top + bottom) / 2:.1f}) rotate(-90)' text-anchor='middle'>"
                 f"{esc(y.title)}</text>")  # fmt: skip
    return parts, px, py


def _svg(uid: str, title: str, desc: str, parts: list[str], height: int = CHART_H) -> str:
    return (f"<svg class='cmp-chart' viewBox='0 0 {CHART_W} {height}' role='img' "
            f"aria-labelledby='{uid}-t {uid}-d' font-size='12' fill='#262730'>"
            f"<title id='{uid}-t'>{esc(title)}</title><desc id='{uid}-d'>{esc(desc)}</desc>"
            + "".join(parts) + "</svg>")  # fmt: skip


def series_colour(i: int, code: str) -> str:
    if code == REGION_CODE:
        return REGION_COLOUR
    return FRANCE_COLOUR if code == FRANCE_CODE else ZONE_COLOURS[i % len(ZONE_COLOURS)]


def index_svg(c: Comparison, lang: str) -> str:
    """Industrial jobs as an index (first year = 100): a line per zone, the région and France."""
    years = c.index[0].years
    base = c.index_base
    x = Axis(years[0], years[-1], *_year_ticks(years), t("cmpz.year_axis", lang))
    y = axis([v for s in c.index for v in s.values], "index", t("cmpz.index_axis", lang, year=base), lang)
    parts, px, py = _frame(x, y)
    for i, s in enumerate(c.index):
        colour = series_colour(i, s.code)
        dash = " stroke-dasharray='6 3'" if s.code == REGION_CODE else " stroke-dasharray='2 3'" if s.code == FRANCE_CODE else ""
        pts = " ".join(f"{px(yr):.1f},{py(v):.1f}" for yr, v in zip(s.years, s.values, strict=True) if math.isfinite(v))
        parts.append(f"<polyline points='{pts}' fill='none' stroke='{colour}' stroke-width='2'{dash}/>")
    names = [series_name(s.code, s.name, lang) for s in c.index]
    desc = t("cmpz.index_desc", lang, years=f"{years[0]}–{years[-1]}", series=", ".join(names))
    return _svg(f"cmpi-{c.zoning}", t("cmpz.index_title", lang, year=base), desc, parts)


def _year_ticks(years: Sequence[int]) -> tuple[tuple[float, ...], tuple[str, ...]]:
    step = max(1, math.ceil(len(years) / 6))
    shown = list(years[::step])
    if shown[-1] != years[-1]:
        shown.append(years[-1])
    return tuple(float(y) for y in shown), tuple(str(y) for y in shown)


def legend_zones(c: Comparison) -> str:
    """The compared zones, each with its colour (the same in every chart and table)."""
    return " ".join(f"<span class='zn'><span class='dot' style='background:{ZONE_COLOURS[i % len(ZONE_COLOURS)]}'></span>"
                    f"{esc(zone_heading(c, i))}</span>" for i in range(len(c.codes)))  # fmt: skip


def legend_html(c: Comparison, lang: str) -> str:
    """The index chart's key: each line's colour and dash, and its name."""
    items = []
    for i, s in enumerate(c.index):
        dash = "dashed" if s.code == REGION_CODE else "dotted" if s.code == FRANCE_CODE else "solid"
        items.append(f"<li><span class='sw' style='border-top:3px {dash} {series_colour(i, s.code)}'></span>"
                     f"{esc(series_name(s.code, s.name, lang))}</li>")  # fmt: skip
    return f"<ul class='cmp-key'>{''.join(items)}</ul>"


def scatter_label(ind: Indicator, base: int | None, year: int, lang: str) -> str:
    unit = ind.unit(lang)
    return f"{ind.label(lang)}, {when(ind, year, base)}" + (f" ({unit})" if unit else "")


def scatter_svg(s: Scatter, c: Comparison, lang: str) -> str:
    """Every zone of the map as a point (grey), the compared ones coloured and named."""
    xl = scatter_label(s.x, s.x_base, s.year if s.x_base is None else c.period[1], lang)
    yl = scatter_label(s.y, s.y_base, s.year if s.y_base is None else c.period[1], lang)
    x = axis([p.x for p in s.points], s.x.kind, xl, lang)
    y = axis([p.y for p in s.points], s.y.kind, yl, lang)
    parts, px, py = _frame(x, y)
    colours = {code: ZONE_COLOURS[i % len(ZONE_COLOURS)] for i, code in enumerate(c.codes)}
    for p in sorted(s.points, key=lambda p: p.compared):  # the compared ones on top
        if p.compared:
            anchor = "end" if px(p.x) > CHART_W * 0.7 else "start"
            dx = -7 if anchor == "end" else 7
            parts.append(f"<circle cx='{px(p.x):.1f}' cy='{py(p.y):.1f}' r='5' fill='{colours[p.code]}' stroke='#fff'/>"
                         f"<text x='{px(p.x) + dx:.1f}' y='{py(p.y) - 6:.1f}' text-anchor='{anchor}' font-weight='600'"
                         f" fill='{colours[p.code]}'>{esc(p.name)}</text>")  # fmt: skip
        else:
            parts.append(f"<circle cx='{px(p.x):.1f}' cy='{py(p.y):.1f}' r='3' fill='{OTHER_COLOUR}'/>")
    title = t("cmpz.scatter_title", lang, x=s.x.label(lang), y=s.y.label(lang), year=s.year)
    named = ", ".join(p.name for p in s.points if p.compared)
    desc = t("cmpz.scatter_desc", lang, n=len(s.points), x=xl, y=yl, zones=named)
    return _svg(f"cmps-{c.zoning}", title, desc, parts)


def scatter_table(s: Scatter, lang: str) -> pd.DataFrame:
    """The scatter's figures: every zone (compared ones first), both values as shown."""
    points = sorted(s.points, key=lambda p: (not p.compared, p.code))
    return pd.DataFrame({
        t("cmpz.zone", lang): [f"{p.name} ({p.code})" + (" ★" if p.compared else "") for p in points],
        s.x.label(lang): [value(p.x, s.x.kind, lang) for p in points],
        s.y.label(lang): [value(p.y, s.y.kind, lang) for p in points],
    })  # fmt: skip


def picker_html(axis_name: str, chosen: str, options: Sequence[tuple[str, str]], lang: str) -> str:
    """A select of the scatter's indicators (the panel sends the choice to the server)."""
    uid = f"cmp-scatter-{axis_name}"
    opts = "".join(f"<option value='{esc(i)}'{' selected' if i == chosen else ''}>{esc(label)}</option>"
                   for i, label in options)  # fmt: skip
    return (f"<label for='{uid}'>{esc(t(f'cmpz.scatter_{axis_name}', lang))}</label>"
            f"<select id='{uid}' data-cartohdf-scatter='{axis_name}'>{opts}</select>")  # fmt: skip


def _figures(frame: pd.DataFrame, lang: str) -> str:
    numeric = range(1, len(frame.columns))
    shown = frame.astype(object).where(frame.notna(), "—")
    return (f"<details class='fold'><summary>{esc(t('cmpz.data_table', lang))}</summary>"
            f"{table_html(shown, numeric)}</details>")  # fmt: skip


def comparison_html(c: Comparison, s: Scatter, options: Sequence[tuple[str, str]], lang: str,
                    file: str = "") -> str:  # fmt: skip
    """The comparison page of the side panel: indicators with ranks, the index chart and the
    scatter (with their pickers), each chart followed by its source and its figures."""
    source = f"<p class='note'>{esc(source_text(c, lang, file))}</p>"
    index_frame = index_table(c, lang)
    index_frame = index_frame.map(lambda v: number(v, 1, lang) if isinstance(v, float) else v)
    return (
        f"<div class='cartohdf-panel-html cmp-page' data-compare='{esc(','.join(c.codes))}'>"
        f"<p class='cmp-zones'>{legend_zones(c)}</p>"
        f"<h3>{esc(t('cmpz.indicators', lang))}</h3>{indicators_html(c, lang)}"
        f"<h3>{esc(t('cmpz.index_title', lang, year=c.index_base))}</h3>"
        f"<figure class='cmp-fig'>{index_svg(c, lang)}{legend_html(c, lang)}<figcaption>{source}</figcaption></figure>"
        f"{_figures(index_frame, lang)}"
        f"<h3>{esc(t('cmpz.scatter_title', lang, x=s.x.label(lang), y=s.y.label(lang), year=s.year))}</h3>"
        f"<div class='cmp-pickers'>{picker_html('x', s.x.id, options, lang)}{picker_html('y', s.y.id, options, lang)}</div>"
        f"<figure class='cmp-fig'>{scatter_svg(s, c, lang)}<figcaption>{source}</figcaption></figure>"
        f"{_figures(scatter_table(s, lang), lang)}</div>"
    )  # fmt: skip


COMPARE_CSS = """
.cmp-page table.cmp{font-size:0.8125rem}
.cmp-page table.cmp caption{caption-side:bottom;text-align:left}
.cmp-page table.cmp tr.ind th{background:#f0f2f6;font-weight:600;padding-top:0.35rem}
.cmp-page table.cmp th[scope='row']{font-weight:400;background:none}
.cmp-page table.cmp tr.ref th,.cmp-page table.cmp tr.ref td{color:#4a4d57}
.cmp-page .dot{display:inline-block;width:0.6rem;height:0.6rem;border-radius:50%;margin-right:0.3rem}
.cmp-page .cmp-zones{display:flex;flex-wrap:wrap;gap:0.2rem 0.8rem;margin:0.3rem 0}
.cmp-page svg.cmp-chart{width:100%;height:auto;max-width:36rem;display:block}
.cmp-page figure.cmp-fig{margin:0 0 0.4rem}
.cmp-page figcaption .note{font-size:0.8125rem}
.cmp-page ul.cmp-key{list-style:none;padding:0;margin:0.2rem 0;display:flex;flex-wrap:wrap;gap:0.2rem 0.8rem;
  font-size:0.8125rem}
.cmp-page ul.cmp-key .sw{display:inline-block;width:1.4rem;margin-right:0.3rem;vertical-align:middle}
.cmp-page .cmp-pickers{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:0.3rem 0.5rem;
  align-items:center;margin:0 0 0.4rem}
.cmp-page .cmp-pickers select{min-width:0;max-width:100%;font:inherit;padding:0.15rem}
"""
