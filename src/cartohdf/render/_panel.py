"""The app's side panel as HTML: the zone profile and the région overview.

Plain tables that wrap (readable at 1280 px with no horizontal scrolling), numbers right-aligned
in tabular figures, and the jobs series as an inline SVG scaled to its own range with its first
and last values written out. No charting library, no data grid: the panel is the cheapest thing
to redraw on a click.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence

import pandas as pd

from cartohdf.core import NNBSP, REGION_NAMES, number, t, value
from cartohdf.indicators import NationalContext, sector_label
from cartohdf.render._html import esc
from cartohdf.render._profile import ZoneProfile
from cartohdf.render._zones import whole_zone_note
from cartohdf.view import SectorMix, Series, Strip

SPARK_W, SPARK_H, SPARK_PAD = 320, 84, 6  # viewBox units; the SVG scales to the panel width

PANEL_CSS = """
.cartohdf-panel-html{font-size:0.875rem;line-height:1.4;color:#262730}
.cartohdf-panel-html h3{font-size:1rem;margin:1rem 0 0.35rem;font-weight:600}
.cartohdf-panel-html table{width:100%;border-collapse:collapse;table-layout:auto;margin:0 0 0.5rem;
  font-size:0.8125rem}
.cartohdf-panel-html th,.cartohdf-panel-html td{padding:0.2rem 0.25rem;border-bottom:1px solid #d5d7dd;
  text-align:left;vertical-align:top;overflow-wrap:anywhere;hyphens:auto}
.cartohdf-panel-html td:first-child{min-width:5.5rem}
.cartohdf-panel-html th{font-weight:600;background:#f0f2f6}
.cartohdf-panel-html td.n,.cartohdf-panel-html th.n{text-align:right;font-variant-numeric:tabular-nums}
.cartohdf-panel-html td.n,.cartohdf-panel-html th.nw{white-space:nowrap}
.cartohdf-panel-html .note{color:#4a4d57;margin:0.25rem 0}
.cartohdf-panel-html .warn{background:#fff6d6;border-left:4px solid #b78300;padding:0.4rem 0.6rem}
.cartohdf-panel-html img.chart{width:100%;height:auto;max-width:28rem;display:block}
.cartohdf-panel-html ul.figures{padding-left:1.1rem;margin:0 0 0.5rem}
.cartohdf-panel-html ul.figures li{margin:0 0 0.3rem}
.cartohdf-panel-html sup.ref{color:#4a4d57;font-size:0.7em;margin-left:0.15em}
.cartohdf-panel-html details.fold{margin:0 0 0.5rem}
.cartohdf-panel-html details.fold>summary{cursor:pointer;color:#262730}
.cartohdf-panel-html details.fold>summary h3{display:inline;margin:0}
.cartohdf-panel-html details.compare{margin-top:1rem}
.cartohdf-panel-html ol.note{padding-left:1.3rem;font-size:0.8125rem}
.cartohdf-panel-html ul.cards{list-style:none;padding:0;margin:0.5rem 0}
.cartohdf-panel-html ul.cards>li{border:1px solid #d5d7dd;border-radius:0.375rem;padding:0.4rem 0.6rem;
  margin:0 0 0.5rem}
.cartohdf-panel-html .card-title{font-weight:600;margin:0 0 0.2rem}
.cartohdf-panel-html dl{display:grid;grid-template-columns:minmax(5rem,max-content) minmax(0,1fr);
  gap:0.1rem 0.6rem;margin:0 0 0.2rem}
.cartohdf-panel-html dt{color:#4a4d57}
.cartohdf-panel-html dd{margin:0;font-variant-numeric:tabular-nums;overflow-wrap:break-word;min-width:0}
.cartohdf-panel-html ul.cards .note{font-size:0.8125rem}
.cartohdf-panel-html .card-key{font-weight:600}
.cartohdf-panel-html p,.cartohdf-panel-html li{overflow-wrap:break-word}
.cartohdf-panel-html figure.cartohdf-sector-figure{margin:0 0 0.5rem}
.cartohdf-panel-html svg.cartohdf-sector-chart{width:100%;height:auto;max-width:32rem;display:block}
.cartohdf-panel-html tbody th{font-weight:400;background:none}
.cartohdf-panel-html .sector-cards dl{grid-template-columns:minmax(5rem,50%) minmax(0,1fr)}
"""


SVG_ROOT = ("<svg xmlns='http://www.w3.org/2000/svg' font-family='Source Sans Pro, DejaVu Sans, "
            "sans-serif' font-size='11' fill='#262730' ")  # fmt: skip


def chart_img(svg: str, label: str) -> str:
    """An SVG chart as an image (the page's HTML sanitiser keeps images, not inline SVG), its
    text as the image's alternative."""
    if not svg:
        return ""
    standalone = svg.replace("<svg ", SVG_ROOT, 1)
    data = base64.b64encode(standalone.encode("utf-8")).decode("ascii")
    return f"<img class='chart' alt='{esc(label)}' src='data:image/svg+xml;base64,{data}'>"


def table_html(frame: pd.DataFrame, numeric: Iterable[int] = (), caption: str = "") -> str:
    """A DataFrame as an escaped HTML table; columns at the `numeric` positions right-aligned."""
    right = set(numeric)

    def cls(i: int) -> str:
        return " class='n'" if i in right else ""

    head = "".join(f"<th scope='col'{cls(i)}>{esc(c)}</th>" for i, c in enumerate(frame.columns))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(i)}>{esc(v)}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    cap = f"<caption class='note'>{esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def sparkline_svg(chart: Series | None, lang: str = "fr") -> str:
    """A series (`_profile.jobs_chart`) as a line scaled to its own minimum and maximum, the
    first and last values labelled, the range on the left; empty string with no data."""
    if chart is None:
        return ""
    values, years, lo = chart.values, chart.years, chart.lo
    span = (chart.hi - lo) or 1.0
    left, right, top, bottom = 44.0, SPARK_W - 44.0, 16.0, SPARK_H - 18.0
    step = (right - left) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, bottom - (v - lo) / span * (bottom - top)

    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
    (x0, y0), (x1, y1) = xy(0, values[0]), xy(len(values) - 1, values[-1])
    sep = " : " if lang == "fr" else ": "
    label = chart.label
    return (
        f"<svg viewBox='0 0 {SPARK_W} {SPARK_H}' role='img' aria-label='{esc(label)}'>"
        f"<title>{esc(label)}</title>"
        f"<line x1='{left}' x2='{right}' y1='{top}' y2='{top}' stroke='#d5d7dd'/>"
        f"<line x1='{left}' x2='{right}' y1='{bottom}' y2='{bottom}' stroke='#d5d7dd'/>"
        f"<text x='{left - 4}' y='{top + 4}' text-anchor='end'>{esc(chart.hi_text)}</text>"
        f"<text x='{left - 4}' y='{bottom + 4}' text-anchor='end'>{esc(chart.lo_text)}</text>"
        f"<polyline points='{points}' fill='none' stroke='#1f5fa8' stroke-width='2'/>"
        f"<circle cx='{x0:.1f}' cy='{y0:.1f}' r='3' fill='#1f5fa8'/>"
        f"<circle cx='{x1:.1f}' cy='{y1:.1f}' r='3' fill='#1f5fa8'/>"
        f"<text x='{left}' y='{SPARK_H - 3}'>{esc(years[0])}{sep}{esc(chart.first_text)}</text>"
        f"<text x='{right}' y='{SPARK_H - 3}' text-anchor='end'>{esc(years[-1])}{sep}{esc(chart.last_text)}</text>"
        "</svg>"
    )


STRIP_W, STRIP_H = 320, 64


def strip_svg(strip: Strip | None, breaks: tuple[float, ...] = ()) -> str:
    """Every metropolitan zone as a tick on the indicator's axis (`_profile.national_strip`):
    the région's zones tall and blue, the others short and grey, the selected zone marked with
    its value; the map's class breaks as dashed lines; the axis' ends labelled."""
    if strip is None:
        return ""
    lo, hi = strip.lo, strip.hi
    span = (hi - lo) or 1.0
    left, right, base = 8.0, STRIP_W - 8.0, 44.0

    def x(v: float) -> float:
        return left + (v - lo) / span * (right - left)

    parts = [f"<line x1='{left}' x2='{right}' y1='{base}' y2='{base}' stroke='#8a8d96'/>"]
    for b in breaks:
        if lo < b < hi:
            parts.append(f"<line x1='{x(b):.1f}' x2='{x(b):.1f}' y1='14' y2='{base + 4}' "
                         "stroke='#6b6e78' stroke-dasharray='2 2'/>")  # fmt: skip
    # one path per colour, a move and a vertical stroke per zone: 304 ticks in a few kB
    for values, mine, height, colour in ((strip.france, False, 8, "#a9acb5"),
                                         (strip.region, True, 18, "#1f5fa8")):  # fmt: skip
        ticks = "".join(f"M{x(v):.1f} {base - height:g}v{height}" for v in values)
        if ticks:
            parts.append(f"<path class='{'region' if mine else 'france'}' d='{ticks}' "
                         f"stroke='{colour}' stroke-width='1'/>")  # fmt: skip
    sx = x(strip.value)
    anchor = "start" if sx < STRIP_W * 0.25 else "end" if sx > STRIP_W * 0.75 else "middle"
    parts.append(f"<path d='M{sx:.1f},{base - 20} l-5,-8 h10 z' fill='#000'/>")
    parts.append(f"<text x='{sx:.1f}' y='11' text-anchor='{anchor}' font-weight='bold'>"
                 f"{esc(strip.value_text)}</text>")  # fmt: skip
    parts.append(f"<text x='{left}' y='{STRIP_H - 4}'>{esc(strip.lo_text)}</text>")
    parts.append(
        f"<text x='{right}' y='{STRIP_H - 4}' text-anchor='end'>{esc(strip.hi_text)}</text>"
    )
    return (f"<svg viewBox='0 0 {STRIP_W} {STRIP_H}' role='img' aria-label='{esc(strip.label)}'>"
            f"<title>{esc(strip.label)}</title>{''.join(parts)}</svg>")  # fmt: skip


def context_text(ctx: NationalContext, lang: str = "fr") -> str:
    """The zone's ranks in the région and in France, its percentile (and both national
    references when the table's own includes overseas)."""
    kind = ctx.indicator.kind
    rank_fr = f"{ctx.rank_france} / {ctx.n_france}" if ctx.rank_france else "—"
    rank_region = f"{ctx.rank_region} / {ctx.n_region}" if ctx.rank_region else "—"
    pct = number(ctx.percentile, 0, lang) if ctx.percentile is not None else "—"
    text = t("context_ranks", lang, region=rank_region, france=rank_fr, pct=pct)
    if ctx.reference_code != "FRM":  # URSSAF's reference includes overseas: both, named
        text += " " + t("context_refs", lang, metro=value(ctx.metro_reference, kind, lang),
                        full=value(ctx.reference, kind, lang))  # fmt: skip
    return text


def similar_table(ctx: NationalContext, lang: str = "fr") -> pd.DataFrame:
    """The five zones most like this one, with their région, industry share and jobs."""
    similar = ctx.similar
    return pd.DataFrame({
        t("col.zone", lang): [f"{n} ({c})" for n, c in zip(similar["name"], similar["code"], strict=True)],
        t("col.region_name", lang): [REGION_NAMES.get(str(r), t("interregional_short", lang)) for r in similar["region"]],
        t("col.industrial_share", lang): [value(v, "share", lang) for v in similar["industrial_share"]],
        t("col.salaried_jobs", lang): [number(v, lang=lang) for v in similar["jobs"]],
    })  # fmt: skip


def context_html(ctx: NationalContext, strip: Strip | None, lang: str = "fr",
                 breaks: tuple[float, ...] = ()) -> str:  # fmt: skip
    """The zone among France's metropolitan zones: ranks, percentile, the strip, a legend for
    it, and the five zones most like it."""
    head = t("context_title", lang, indicator=ctx.indicator.label(lang), year=ctx.year)
    shown = value(ctx.value, ctx.indicator.kind, lang)
    return (
        f"<h3>{esc(head)}</h3><p>{esc(context_text(ctx, lang))}</p>"
        f"{chart_img(strip_svg(strip, breaks), strip.label if strip else '')}"
        f"<p class='note'>{esc(t('strip_key', lang, value=shown))}</p>"
        f"<h3>{esc(t('similar_title', lang, year=ctx.similar_year))}</h3>"
        f"<p class='note'>{esc(t('similar_note', lang))}</p>{table_html(similar_table(ctx, lang), (2, 3))}"
    )


def _section(title: str, frame: pd.DataFrame, lang: str, numeric: Sequence[int] = ()) -> str:
    body = (
        table_html(frame, numeric)
        if not frame.empty
        else f"<p class='note'>{esc(t('none_found', lang))}</p>"
    )
    return f"<h3>{esc(title)}</h3>{body}"


def profile_html(
    p: ZoneProfile, lang: str = "fr", study_note: str = "", breaks: tuple[float, ...] = (),
    n_region: int = 0,
) -> str:
    """The body of a zone's profile (below its name): indicators, the zone in France, jobs
    series, study, roles.

    `study_note` says which 2010 zones the study's statements refer to (ZE2020 profiles);
    `breaks`: the map's class bounds, drawn on the strip when the map shows its indicator;
    `n_region`: the zones wholly in the région (said under the sector chart)."""
    parts = [f"<div class='cartohdf-panel-html' lang='{lang}'>",
             f"<p class='note'>{esc(t(f'zoning_{p.zoning}', lang))}</p>"]  # fmt: skip
    if p.interregional:
        parts.append(f"<p class='warn'>{esc(whole_zone_note(p.region_share, lang))}</p>")
    # the reference column is headed « France » (room at 1280 px); the note names it in full
    indicators = p.indicators.copy()
    reference = str(indicators.columns[4])
    indicators.columns = [*indicators.columns[:4], t("col.france_short", lang)]
    parts.append(_section(t("indicators_title", lang), indicators, lang, (1, 2, 3, 4)))
    parts.append(f"<p class='note'>{esc(t('france_is', lang, reference=reference))}</p>")
    if p.context is not None:
        parts.append(context_html(p.context, p.strip, lang, breaks))
    parts.append(f"<h3>{esc(t('jobs_chart', lang))}</h3>")
    parts.append(chart_img(sparkline_svg(p.jobs, lang), p.jobs.label if p.jobs else ""))
    parts.append(
        f"<p><strong>{esc(t('change_title', lang))}</strong>"
        f"{' :' if lang == 'fr' else ':'} {esc(p.change_text)}</p>"
    )
    if p.sector_mix is not None and p.specialisations is not None:
        parts.append(sectors_html(p.sector_mix, p.specialisations, n_region, lang))
    parts.append(f"<h3>{esc(t('statements', lang))}</h3>")
    if study_note:
        parts.append(f"<p class='note'>{esc(study_note)}</p>")
    parts.append(
        table_html(p.statements)
        if not p.statements.empty
        else f"<p class='note'>{esc(t('none_found', lang))}</p>"
    )
    parts.append(_section(t("employers_title", lang), p.employers, lang))
    parts.append(_section(t("s3_roles", lang), p.s3_roles, lang))
    parts.append(_section(t("ti_title", lang), p.territoires, lang, (2,)))
    parts.append("</div>")
    return "".join(parts)


SECTOR_MIX_CLASS = "cartohdf-sector-mix"  # where the side panel draws a zone's sector chart


def sectors_html(mix: SectorMix, top: pd.DataFrame, n_region: int, lang: str = "fr") -> str:
    """A zone's industrial sectors: a place for its chart against the région and France
    (drawn by the side panel from `sector_chart_data`, with its figures as a table), and its
    strongest specialisations as a table."""
    source = t("sect.source_year", lang, year=mix.year)
    return (
        f"<h3>{esc(t('sect.profile_title', lang, year=mix.year))}</h3>"
        f"<p class='note'>{esc(t('sect.mix_note', lang, n=n_region))}</p>"
        f"<div class='{SECTOR_MIX_CLASS}'></div>"
        f"<h3>{esc(t('sect.top_title', lang, n=len(top), year=mix.year))}</h3>"
        f"{table_html(top, (1, 2))}<p class='note'>{esc(t('sect.top_note', lang))}</p>"
        f"<p class='note'>{esc(source)}</p>"
    )


def per_mille(values: Sequence[float]) -> list[int | None]:
    """Shares as whole tenths of a percent (0.1344 -> 134), None for no value: a chart's
    figures, compact and written the same by every renderer."""
    return [None if v != v else round(v * 1000) for v in values]


def sector_chart_data(mix: SectorMix, lang: str = "fr") -> dict[str, object]:
    """What every zone's sector chart of a view shares: sector labels, the région's and
    France's series, the words (plain text: the panel writes them as text, never as HTML),
    the year and the number format."""
    return {
        "labels": [sector_label(c, lang) for c in mix.sectors], "codes": list(mix.sectors),
        "region": per_mille(mix.region), "france": per_mille(mix.france),
        "series": [t("sect.series.region", lang), t("sect.series.france", lang)],
        "axis": t("sect.mix_axis", lang), "alt": t("sect.mix_alt", lang, year=mix.year, zone="{zone}"),
        "table": t("sect.mix_table", lang), "sector": t("col.sector", lang),
        "source": t("sect.source_year", lang, year=mix.year),
        "dec": "," if lang == "fr" else ".", "pct": f"{NNBSP}%" if lang == "fr" else "%",
    }  # fmt: skip


def overview_html(figures: pd.DataFrame, comparison: pd.DataFrame, lang: str = "fr",
                  sectors: tuple[pd.DataFrame, str] | None = None) -> str:
    """The région overview: the study's key figures (value, period, a note number for their
    source, the sources listed once, folded), then the study set against open data, folded:
    one card per figure, readable in the narrow side panel (a five-column table there was
    1,000 px wide and 30,000 px tall); `sectors`: the study's named sector losses beside
    the open data (`sector_losses`) and the note on how they differ."""
    label, value, period, source = figures.columns
    sources = list(dict.fromkeys(str(s) for s in figures[source]))
    items = "".join(
        f"<li><strong>{esc(f[value])}</strong> {esc(f[label])} ({esc(f[period])})"
        f"<sup class='ref'>{sources.index(str(f[source])) + 1}</sup></li>"
        for _, f in figures.iterrows()
    )
    notes = "".join(f"<li>{esc(s)}</li>" for s in sources)
    return (
        f"<div class='cartohdf-panel-html' lang='{lang}'><ul class='figures'>{items}</ul>"
        f"<details class='fold'><summary>{esc(t('study_sources', lang))}</summary>"
        f"<ol class='note'>{notes}</ol></details>"
        f"<details class='fold compare'><summary><h3>{esc(t('compare', lang))}</h3></summary>"
        f"<p class='note'>{esc(t('study_field_note', lang))}</p>{cards_html(comparison, lang)}</details>"
        f"{sector_losses_html(*sectors, lang) if sectors is not None else ''}</div>"
    )


def sector_losses_html(table: pd.DataFrame, note: str, lang: str = "fr") -> str:
    """The study's named sector losses beside the open data's change, folded: one card per
    sector, the definitional difference said first."""
    return (f"<details class='fold compare'><summary><h3>{esc(t('sect.study_title', lang))}</h3></summary>"
            f"<p class='note'>{esc(note)}</p><div class='sector-cards'>{cards_html(table, lang)}</div></details>")  # fmt: skip


def cards_html(frame: pd.DataFrame, lang: str = "fr") -> str:
    """A table as one card per row, for a narrow column: the first cell as the card's title,
    the middle ones as named values (two columns: name, value; long values wrap), the last
    as a note under them. The last column's most frequent text is said once, above the
    cards, and only the cards that differ from it repeat their own."""
    first, *middle, last = frame.columns
    usual = str(frame[last].mode().iloc[0]) if len(frame) else ""
    cards = []
    for row in frame.itertuples(index=False):
        cells = dict(zip(frame.columns, row, strict=True))
        pairs = "".join(f"<dt>{esc(c)}</dt><dd>{esc(cells[c])}</dd>" for c in middle)
        note = ("" if str(cells[last]) == usual else
                f"<p class='note'><span class='card-key'>{esc(last)}</span> {esc(cells[last])}</p>")  # fmt: skip
        cards.append(f"<li><p class='card-title'>{esc(cells[first])}</p><dl>{pairs}</dl>{note}</li>")
    head = f"<p class='note'>{esc(t('unless_stated', lang, label=last, text=usual))}</p>" if usual else ""
    return f"{head}<ul class='cards'>{''.join(cards)}</ul>"
