"""The side panel's pages at a level below the zone: each commune's, EPCI's or département's
profile (its figures from the import, its zone, département, EPCI and Territoires d'industrie),
and the level's overview (with the way back to the zones)."""

from __future__ import annotations

import numpy as np

from cartohdf.core import DEP_NAMES, INDUSTRY, t, value
from cartohdf.data import STATUS_SECRET, STATUS_ZERO, Dataset
from cartohdf.indicators import IndicatorSet, area_employment
from cartohdf.render._html import esc
from cartohdf.render._units import unit_names

Page = tuple[str, str]  # heading (plain text), HTML (escaped)


def within_button(code: str, label: str) -> str:
    """A button of the side panel that draws a zone's communes (`code`) or, with no code,
    goes back to the zones (panel.js sends it to the app)."""
    return (f"<p><button type='button' class='cartohdf-within' data-cartohdf-within='{esc(code)}'>"
            f"{esc(label)}</button></p>")  # fmt: skip


def _dl(rows: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"


def _table(rows: list[tuple[str, str, str]], kind: str, lang: str) -> str:
    head = (f"<tr><td></td><th class='n nw'>{esc(kind)}</th>"
            f"<th class='n'>{esc(t('unit_region_ref', lang))}</th></tr>")  # fmt: skip
    body = "".join(f"<tr><td>{esc(a)}</td><td class='n'>{esc(b)}</td><td class='n'>{esc(c)}</td></tr>"
                   for a, b, c in rows)  # fmt: skip
    return f"<table>{head}{body}</table>"


def _territoires(data: Dataset, lang: str) -> dict[str, list[str]]:
    """Each EPCI's Territoires d'industrie, worded (« Sud Oise (2018-2022) »)."""
    out: dict[str, list[str]] = {}
    ti = data.epci_territoires
    for epci, name, programme in zip(ti["epci"], ti["ti_name"], ti["programme"], strict=True):
        out.setdefault(str(epci), []).append(
            t("unit_ti_item", lang, name=name, programme=t(f"programme_{programme}", lang)))
    return out


def where_rows(data: Dataset, area: str, zoning: str, lang: str) -> dict[str, list[tuple[str, str]]]:
    """Where each unit of a level lies: its zone(s), département(s), EPCI and Territoire(s)
    d'industrie, or how many communes it has (every unit at once: one pass over the communes)."""
    communes = data.communes_2024
    column = {"commune": "commune_code", "epci": "epci", "departement": "dep"}[area]
    zone_names, epci_names = data.zone_names(zoning), unit_names(data, "epci")
    territoires = _territoires(data, lang)
    groups: dict[str, dict[str, set[str]]] = {}
    for row in zip(communes[column], communes[zoning], communes["dep"], communes["epci"], strict=True):
        mine = groups.setdefault(str(row[0]), {"zones": set(), "deps": set(), "epci": set(), "n": set()})
        mine["zones"].add(row[1])
        mine["deps"].add(row[2])
        mine["epci"].add(row[3])
        mine["n"].add(str(len(mine["n"])))  # one per commune: counts them
    out = {}
    for code, mine in groups.items():
        zones = sorted(mine["zones"])
        rows = [(t("unit_zone" if len(zones) == 1 else "unit_zones", lang),
                 ", ".join(f"{zone_names[z]} ({z})" for z in zones))]  # fmt: skip
        if area != "departement":
            rows.append((t("unit_dep", lang), ", ".join(f"{DEP_NAMES[d]} ({d})" for d in sorted(mine["deps"]))))
        if area == "commune":
            rows.append((t("unit_epci", lang), epci_names[next(iter(mine["epci"]))]))
        if area != "departement":
            items = sorted({i for e in mine["epci"] for i in territoires.get(e, [])})
            rows.append((t("unit_ti", lang), ", ".join(items) or t("unit_ti_none", lang)))
        if area != "commune":
            rows.append((t("unit_n_communes", lang), str(len(mine["n"]))))
        out[code] = rows
    return out


def unit_pages(data: Dataset, iset: IndicatorSet, area: str, codes: list[str], zoning: str,
               year: int, lang: str) -> dict[str, Page]:  # fmt: skip
    """Every unit's page: industrial jobs (a lower bound under statistical secrecy, « none »
    for a unit with none), private salaried jobs, industrial share and change over the
    default period, each beside the région's; then where it lies."""
    table = area_employment(data, area)
    y0, y1 = iset.default_change
    jobs, status = table.sector_jobs("a5", INDUSTRY, year), table.status("a5", INDUSTRY, year)
    total = table.total_jobs(year)
    share, change = iset.values("industrial_share", year), iset.values("industrial_change", y1, y0)
    ref_share = iset.region_value("industrial_share", year)
    ref_change = iset.region_value("industrial_change", y1, y0)
    ref_jobs = float(iset.region_value("industrial_jobs", year))
    ref_total = float(total.sum())
    names, kind = unit_names(data, area), t(f"unit_kind.{area}", lang)
    where = where_rows(data, area, zoning, lang)
    back = within_button("", t("back_to_zones", lang))
    pages = {}
    for code in codes:
        s = str(status.get(code, ""))
        jobs_text = value(jobs.get(code, 0), "count", lang)
        if s == STATUS_SECRET:
            jobs_text = t("unit_at_least", lang, value=jobs_text)
        rows = [(t("unit_jobs", lang, year=year), jobs_text, value(ref_jobs, "count", lang)),
                (t("unit_total", lang, year=year), value(total.get(code, 0), "count", lang),
                 value(ref_total, "count", lang)),
                (f"{t('ind.industrial_share.label', lang)} ({year})",
                 value(share.get(code, np.nan), "share", lang), value(ref_share, "share", lang)),
                (f"{t('ind.industrial_change.label', lang)} ({y0}–{y1})",
                 value(change.get(code, np.nan), "change", lang), value(ref_change, "change", lang))]  # fmt: skip
        note = {STATUS_SECRET: "unit_secret_note", STATUS_ZERO: "unit_zero_note"}.get(s)
        html = (f"<div class='cartohdf-panel-html'><p class='note'>{esc(kind)}</p>"
                f"<h3>{esc(t('unit_figures', lang))}</h3>{_table(rows, kind, lang)}"
                + (f"<p class='note warn'>{esc(t(note, lang))}</p>" if note else "")
                + f"<h3>{esc(t('unit_where', lang))}</h3>{_dl(where[code])}{back}</div>")  # fmt: skip
        pages[code] = (f"{names[code]} ({code})", html)
    return pages


def level_overview(data: Dataset, area: str, zoning: str, within: str, n: int, lang: str) -> Page:
    """The side panel with no unit chosen: what the map shows, how to read it, the way back."""
    heading = (t("unit_within", lang, zone=f"{data.zone_name(zoning, within)} ({within})") if within
               else t(f"unit_title.{area}", lang))  # fmt: skip
    html = (f"<div class='cartohdf-panel-html'><p>{esc(t('unit_click', lang))}</p>"
            f"<p class='note'>{esc(t('unit_overview', lang, n=n))}</p>"
            f"{within_button('', t('back_to_zones', lang))}</div>")  # fmt: skip
    return heading, html

