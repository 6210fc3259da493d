"""Legend, title and sources of a map: described as data (`cartohdf.view`), written here as
pre-escaped HTML for the Leaflet map.

The legend is a list of blocks; a block tagged with a layer is shown only while that layer is
on the map (cartohdf.js keeps it so in the app and in the exported file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cartohdf.core import bound_texts, number, t
from cartohdf.data import Dataset
from cartohdf.indicators import NO_DATA_COLOR, Classes, ZoneValues, sector_table_applies
from cartohdf.render._circles import CIRCLE_FILL, MAX_CIRCLE_PX
from cartohdf.render._employers import EMPLOYER_COLOR, employer_bands
from cartohdf.render._html import esc
from cartohdf.render._outlines import OUTLINE_COLOR
from cartohdf.render._s3 import domain_color, domain_name, domains, s3_icon, text_color
from cartohdf.render._territoires import TI_COLORS
from cartohdf.render._words import source_label, year_label
from cartohdf.view import HATCH_COLOR, LegendBlock, LegendRow, Sources, Swatch, Title

CIRCLE_SWATCH_OPACITY = 0x88 / 255  # the legend's discs: see-through, as the map's circles
OUTSIDE_SWATCH = Swatch("box", "#ffffff", dash=True, edge="#4d4d4d")


@dataclass(frozen=True)
class LegendEntry:
    """One block of the legend as HTML; ``layer`` is None for the zones (always shown)."""

    layer: str | None
    html: str


def zones_block(
    data: Dataset, zoning: str, zv: ZoneValues, classes: Classes | None, lang: str,
    scope: str = "region", typed_bounds: tuple[float, ...] = (),
) -> LegendBlock:  # fmt: skip
    """Title, unit, year, classes (or circle sizes), no-data swatch and source of the zones;
    `typed_bounds`: the class bounds the user typed, shown as typed."""
    kind = zv.indicator.kind
    rows = []
    if classes is None:
        vmax = float(zv.values.max())
        for share in (1.0, 0.25, 0.0625):
            size = 2 * MAX_CIRCLE_PX * share**0.5
            swatch = Swatch("disc", CIRCLE_FILL, size, opacity=CIRCLE_SWATCH_OPACITY)
            rows.append(LegendRow(number(vmax * share, 0, lang), swatch))
        rows.append(LegendRow(t("circle_legend", lang)))  # a note: no swatch
    else:
        bounds = classes.bounds()
        texts = bound_texts([b for pair in bounds for b in pair], kind, lang, typed_bounds)
        for i, color in enumerate(classes.colors):
            lo, hi = texts[2 * i], texts[2 * i + 1]
            text = t("class_at_most", lang, value=hi) if i == 0 and lo == hi else f"{lo} – {hi}"
            rows.append(LegendRow(text, Swatch("box", color), klass=i))
        rows.append(LegendRow(t("no_data", lang), Swatch("box", NO_DATA_COLOR)))
    outside = (data.outside_zones or {}).get(zoning) if scope == "region" else None
    if outside is not None and not outside.empty:  # the inter-regional zones' outside parts
        rows.append(LegendRow(t("outside_legend", lang), OUTSIDE_SWATCH))
    if kind == "value":
        source = zv.indicator.definition(lang)
    elif zv.indicator.sector and sector_table_applies(data, zoning):
        source = t("sect.legend_source", lang)  # the sector table (`indicator_set`)
    else:
        source = source_label(data.employment[zoning], lang)
    return LegendBlock(None, zv.indicator.label(lang),
                       f"{zv.indicator.unit(lang)} · {year_label(zv, lang)}", tuple(rows),
                       t("source_colon", lang, source=source))  # fmt: skip


def employers_block(data: Dataset, lang: str) -> LegendBlock:
    rows = tuple(
        LegendRow(t("size_band_label", lang, band=band), Swatch("disc", EMPLOYER_COLOR, 2 * r))
        for band, r in employer_bands(data, lang)
    )
    return LegendBlock("employers", t("employers_layer", lang), rows=rows)


def s3_blocks(data: Dataset, lang: str) -> list[LegendBlock]:
    """One line per S3 domain (its pair said on hover); they share a heading."""
    out = []
    for order, domain_id, rows in domains(data):
        color = domain_color(order)
        swatch = Swatch("number", color, text=str(order), text_color=text_color(color))
        row = LegendRow(domain_name(rows.iloc[0], lang), swatch, hint=" / ".join(rows["territory"]))
        out.append(LegendBlock(f"s3_{domain_id}", rows=(row,)))
    return out


def outline_blocks(lang: str) -> list[LegendBlock]:
    """Swatches for the outline layers: Territoires d'industrie (dashed) and départements."""
    out = []
    for programme, color in TI_COLORS.items():
        swatch = Swatch("line", color, 2.5, dash=True)
        row = LegendRow(t(f"ti{programme}_layer", lang), swatch)
        out.append(LegendBlock(f"ti{programme}", rows=(row,)))
    swatch = Swatch("line", OUTLINE_COLOR, 2)
    out.append(LegendBlock("departements", rows=(LegendRow(t("departements_layer", lang), swatch),)))
    return out


# -- HTML ------------------------------------------------------------------------------------


def swatch_html(s: Swatch) -> str:
    """A legend row's symbol as the legend's CSS draws it."""
    if s.shape == "box":
        border = f";border:1px {'dashed' if s.dash else 'solid'} {s.edge}" if s.edge else ""
        stripes = f"repeating-linear-gradient(135deg,{HATCH_COLOR} 0 1.5px,transparent 1.5px 4px)," if s.hatch else ""
        return f"<span class='sw' style='background:{stripes}{s.color}{border}'></span>"
    if s.shape == "line":
        return f"<span class='ln' style='border-top:{s.size:g}px {'dashed' if s.dash else 'solid'} {s.color}'></span>"
    if s.shape == "disc":
        alpha = "" if s.opacity == 1.0 else f"{round(s.opacity * 255):02x}"
        return (f"<span class='mk' style='width:{s.size:.0f}px;height:{s.size:.0f}px;"
                f"background:{s.color}{alpha}'></span>")  # fmt: skip
    return s3_icon(s.text, s.color, s.text_color)


def _row(row: LegendRow) -> str:
    if row.swatch is None:  # a note under the rows above
        return f"<div class='unit'>{esc(row.text)}</div>"
    swatch = swatch_html(row.swatch)
    if row.swatch.shape == "number":
        return f"<div class='s3row' title='{esc(row.hint)}'>{swatch}<span>{esc(row.text)}</span></div>"
    return f"<div class='row'>{swatch}<span>{esc(row.text)}</span></div>"


def block_html(block: LegendBlock) -> str:
    """One legend block: its heading (the zones': the legend's title), unit, rows, source."""
    parts = []
    if block.title:
        tag, cls = ("h2", "lg-title") if block.layer is None else ("h3", "lg-sub")
        parts.append(f"<{tag} class='{cls}'>{esc(block.title)}</{tag}>")
    if block.unit:
        parts.append(f"<div class='unit'>{esc(block.unit)}</div>")
    parts += [_row(r) for r in block.rows]
    if block.source:
        parts.append(f"<div class='src'>{esc(block.source)}</div>")
    return "".join(parts)


def legend_entry(block: LegendBlock) -> LegendEntry:
    return LegendEntry(block.layer, block_html(block))


def legend_html(entries: list[LegendEntry], lang: str) -> str:
    """The legend: zones first, then the other entries, each tagged with its layer. The S3
    domains share a heading (shown only while one of them is on the map), in the legend
    itself: not a second fold to open."""
    html, s3 = [], []
    for e in entries:
        if e.layer is None:
            html.append(f"<div class='lg-zones'>{e.html}</div>")
        elif e.layer.startswith("s3_"):
            s3.append(f"<div data-layer='{esc(e.layer)}' hidden>{e.html}</div>")
        else:
            html.append(f"<div data-layer='{esc(e.layer)}' hidden>{e.html}</div>")
    if s3:
        html.append(f"<div class='lg-group' data-group hidden><h3 class='lg-sub'>"
                    f"{esc(t('s3_legend', lang))}</h3>{''.join(s3)}</div>")  # fmt: skip
    return "".join(html)


def map_title(zoning: str, zv: ZoneValues, lang: str, scope: str = "region") -> Title:
    """Title: indicator, year, zoning, and the extent (the région, or France with the région
    outlined)."""
    where = "Hauts-de-France" if scope == "region" else t("title_france", lang)
    return Title(f"{zv.indicator.label(lang)} · {year_label(zv, lang)}",
                 f"{t('zoning_' + zoning, lang)} · {where}")  # fmt: skip


def title_html(title: Title) -> str:
    return f"<h1>{esc(title.text)}</h1><p>{esc(title.subtitle)}</p>"


def map_sources(data: Dataset, basemap: str, lang: str, scope: str = "region") -> Sources:
    """Sources and licences of everything drawn (the basemap's apart: a print has none)."""
    items = [
        t(k, lang)
        for k in ("sources.zones", "sources.estel", "sources.urssaf", "sources.study", "sources.ti")
    ]
    if scope == "france":
        items.insert(1, t("sources.france_zones", lang))
    if data.source:
        items.append(t("sources.import", lang, file=data.employment["ze2020"].import_file))
    if data.user is not None:
        items.append(t("sources.upload", lang, file=data.user.file_name))
    tiles = t(f"sources.basemap_{basemap}", lang) if basemap != "none" else ""
    return Sources(t("sources_title", lang), tuple(items), tiles)


def day_text(day: dt.date, lang: str) -> str:
    """A date as the maps write it (« 26/11/2026 », « 2026-11-26 »)."""
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def sources_html(sources: Sources, lang: str, generated: dt.date) -> str:
    """Sources and licences of everything drawn, and the generation date."""
    items = [*sources.items, *([sources.basemap] if sources.basemap else [])]
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    day = day_text(generated, lang)
    return (
        f"<details class='cartohdf-sources'><summary>{esc(sources.title)}</summary>"
        f"<ul>{lis}</ul></details><div>{esc(t('generated', lang, date=day))}</div>"
    )
