"""Legend, title and sources of a map, as pre-escaped HTML.

The legend is a list of entries; an entry tagged with a layer is shown only while that
layer is on the map (cartohdf.js keeps it so in the app and in the exported file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cartohdf.core import bound_texts, number, t
from cartohdf.data import Dataset
from cartohdf.indicators import NO_DATA_COLOR, Classes, ZoneValues
from cartohdf.render._circles import CIRCLE_STYLE, MAX_CIRCLE_PX
from cartohdf.render._employers import EMPLOYER_COLOR, employer_bands
from cartohdf.render._html import esc
from cartohdf.render._outlines import OUTLINE_COLOR
from cartohdf.render._s3 import domain_name, domains, s3_icon
from cartohdf.render._territoires import TI_COLORS
from cartohdf.render._words import source_label, year_label


@dataclass(frozen=True)
class LegendEntry:
    """One block of the legend; ``layer`` is None for the zones (always shown)."""

    layer: str | None
    html: str


def _row(swatch: str, text: str) -> str:
    return f"<div class='row'>{swatch}<span>{esc(text)}</span></div>"


def zones_entry(
    data: Dataset, zoning: str, zv: ZoneValues, classes: Classes | None, lang: str,
    scope: str = "region", typed_bounds: tuple[float, ...] = (),
) -> LegendEntry:  # fmt: skip
    """Title, unit, year, classes (or circle sizes), no-data swatch and source of the zones;
    `typed_bounds`: the class bounds the user typed, shown as typed."""
    kind = zv.indicator.kind
    parts = [
        f"<h2 class='lg-title'>{esc(zv.indicator.label(lang))}</h2>",
        f"<div class='unit'>{esc(zv.indicator.unit(lang))} · {esc(year_label(zv, lang))}</div>",
    ]
    if classes is None:
        vmax = float(zv.values.max())
        for share in (1.0, 0.25, 0.0625):
            size = 2 * MAX_CIRCLE_PX * share**0.5
            swatch = (f"<span class='mk' style='width:{size:.0f}px;height:{size:.0f}px;"
                      f"background:{CIRCLE_STYLE['fillColor']}88'></span>")  # fmt: skip
            parts.append(_row(swatch, number(vmax * share, 0, lang)))
        parts.append(f"<div class='unit'>{esc(t('circle_legend', lang))}</div>")
    else:
        bounds = classes.bounds()
        texts = bound_texts([b for pair in bounds for b in pair], kind, lang, typed_bounds)
        for i, color in enumerate(classes.colors):
            lo, hi = texts[2 * i], texts[2 * i + 1]
            text = t("class_at_most", lang, value=hi) if i == 0 and lo == hi else f"{lo} – {hi}"
            parts.append(_row(f"<span class='sw' style='background:{color}'></span>", text))
        parts.append(
            _row(f"<span class='sw' style='background:{NO_DATA_COLOR}'></span>", t("no_data", lang))
        )
    outside = (data.outside_zones or {}).get(zoning) if scope == "region" else None
    if outside is not None and not outside.empty:  # the inter-regional zones' outside parts
        swatch = "<span class='sw' style='background:#ffffff;border:1px dashed #4d4d4d'></span>"
        parts.append(_row(swatch, t("outside_legend", lang)))
    source = (
        zv.indicator.definition(lang)
        if kind == "value"
        else source_label(data.employment[zoning], lang)
    )
    parts.append(f"<div class='src'>{esc(t('source_colon', lang, source=source))}</div>")
    return LegendEntry(None, "".join(parts))


def employers_entry(data: Dataset, lang: str) -> LegendEntry:
    rows = [f"<h3 class='lg-sub'>{esc(t('employers_layer', lang))}</h3>"]
    for band, r in employer_bands(data, lang):
        swatch = (f"<span class='mk' style='width:{2 * r:.0f}px;height:{2 * r:.0f}px;"
                  f"background:{EMPLOYER_COLOR}'></span>")  # fmt: skip
        rows.append(_row(swatch, t("size_band_label", lang, band=band)))
    return LegendEntry("employers", "".join(rows))


def s3_entries(data: Dataset, lang: str) -> list[LegendEntry]:
    """One line per S3 domain (its pair in the hover title), under a shared heading."""
    out = []
    for order, domain_id, rows in domains(data):
        pair = " / ".join(rows["territory"])
        out.append(LegendEntry(
            f"s3_{domain_id}",
            f"<div class='s3row' title='{esc(pair)}'>{s3_icon(order)}"
            f"<span>{esc(domain_name(rows.iloc[0], lang))}</span></div>",
        ))  # fmt: skip
    return out


def outline_entries(lang: str) -> list[LegendEntry]:
    """Swatches for the outline layers: Territoires d'industrie (dashed) and départements."""
    out = []
    for programme, color in TI_COLORS.items():
        swatch = f"<span class='ln' style='border-top:2.5px dashed {color}'></span>"
        out.append(LegendEntry(f"ti{programme}", _row(swatch, t(f"ti{programme}_layer", lang))))
    swatch = f"<span class='ln' style='border-top:2px solid {OUTLINE_COLOR}'></span>"
    out.append(LegendEntry("departements", _row(swatch, t("departements_layer", lang))))
    return out


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


def title_html(zoning: str, zv: ZoneValues, lang: str, scope: str = "region") -> str:
    """Title: indicator, year, zoning, and the extent (the région, or France with the région
    outlined)."""
    where = "Hauts-de-France" if scope == "region" else t("title_france", lang)
    return (
        f"<h1>{esc(zv.indicator.label(lang))} · {esc(year_label(zv, lang))}</h1>"
        f"<p>{esc(t('zoning_' + zoning, lang))} · {esc(where)}</p>"
    )


def sources_html(
    data: Dataset, basemap: str, lang: str, generated: dt.date, scope: str = "region"
) -> str:
    """Sources and licences of everything drawn, and the generation date."""
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
    if basemap != "none":
        items.append(t(f"sources.basemap_{basemap}", lang))
    day = generated.strftime("%d/%m/%Y") if lang == "fr" else generated.isoformat()
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return (
        f"<details class='cartohdf-sources'><summary>{esc(t('sources_title', lang))}</summary>"
        f"<ul>{lis}</ul></details><div>{esc(t('generated', lang, date=day))}</div>"
    )
