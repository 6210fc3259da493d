"""What the app shows for one zone: its profile. Pure; every header from the text catalogue."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cartohdf.core import FRANCE, INDUSTRIAL_A38, number, percent, t, value
from cartohdf.data import REGION_SUM, Dataset
from cartohdf.indicators import (
    NationalContext,
    indicator_set,
    industry_shares,
    national_context,
    sector_label,
    sector_years,
    top_specialisations,
    zone_values,
)
from cartohdf.render._employers import size_band
from cartohdf.render._overview import figure_text
from cartohdf.render._s3 import domain_name
from cartohdf.render._words import reference_label
from cartohdf.render._zones import region_shares
from cartohdf.state import DEFAULT_INDICATOR
from cartohdf.view import SectorMix, Series, Strip

N_SPECIALISATIONS = 5  # the zone's strongest specialisations the profile names


@dataclass(frozen=True)
class ZoneProfile:
    """Everything the profile panel shows for one zone (tables with headers in `lang`)."""

    code: str
    name: str
    zoning: str
    interregional: bool
    study_zones: list[str]  # ZE2010 codes the study's statements refer to
    indicators: pd.DataFrame
    jobs_series: pd.Series  # industrial jobs by year (index: year as text)
    change_text: str
    statements: pd.DataFrame
    employers: pd.DataFrame
    s3_roles: pd.DataFrame
    territoires: pd.DataFrame
    # the zone among France's metropolitan zones for the default indicator in the last year
    # (None with an URSSAF import as the employment source: the national tables are built-in)
    context: NationalContext | None = None
    region_share: float | None = None  # inter-regional zone: the share of its area in the région
    jobs: Series | None = None  # the jobs series as drawn (None: no figure)
    strip: Strip | None = None  # the zone among France's, as drawn (None: no context)
    # its industrial sectors (ZE2020, built-in data; else None): the mix against the région
    # and France, and its strongest specialisations (a table with headers in `lang`)
    sector_mix: SectorMix | None = None
    specialisations: pd.DataFrame | None = None


def jobs_chart(series: pd.Series, title: str, lang: str = "fr") -> Series | None:
    """A yearly series (index: years as text) as its chart draws it: scaled to its own range,
    its first and last values and its range written out; None with no data."""
    s = series.dropna()
    if s.empty:
        return None
    values = tuple(float(v) for v in s)
    years = tuple(str(y) for y in s.index)
    lo, hi = min(values), max(values)
    first, last = number(values[0], lang=lang), number(values[-1], lang=lang)
    label = t("spark_label", lang, title=title, y0=years[0], v0=first, y1=years[-1], v1=last,
              lo=number(lo, lang=lang), hi=number(hi, lang=lang))  # fmt: skip
    return Series(years, values, lo, hi, first, last, number(lo, lang=lang),
                  number(hi, lang=lang), label)  # fmt: skip


def national_strip(ctx: NationalContext, lang: str = "fr") -> Strip | None:
    """The zone among every metropolitan zone on the indicator's axis (the région's and the
    others' values apart, the axis' ends), worded in `lang`; None with no values."""
    dist = ctx.distribution.dropna(subset=["value"])
    if dist.empty:
        return None
    kind = ctx.indicator.kind
    mine = dist["in_region"].astype(bool)
    lo, hi = float(dist["value"].min()), float(dist["value"].max())
    shown = value(ctx.value, kind, lang)
    label = t("strip_label", lang, n=len(dist), indicator=ctx.indicator.label(lang), value=shown,
              lo=value(lo, kind, lang), hi=value(hi, kind, lang))  # fmt: skip
    return Strip(tuple(float(v) for v in dist["value"][~mine]),
                 tuple(float(v) for v in dist["value"][mine]), float(ctx.value), lo, hi, shown,
                 value(lo, kind, lang), value(hi, kind, lang), label)  # fmt: skip


def study_zones_for(data: Dataset, zoning: str, code: str) -> list[str]:
    """ZE2010 zones the study's statements apply to: the zone itself, or for a ZE2020 zone the
    ZE2010 zones holding at least a fifth of its communes."""
    if zoning == "ze2010":
        return [code]
    communes = data.communes[data.communes["ze2020"] == code]
    shares = communes["ze2010"].value_counts(normalize=True)
    return sorted(str(c) for c, s in shares.items() if s >= 0.2)


def zone_profile(data: Dataset, zoning: str, code: str, lang: str = "fr",
                 year: int | None = None, base_year: int | None = None) -> ZoneProfile:  # fmt: skip
    """Build the profile of one zone from the data (nothing typed here).

    The profile shows the map's years: levels in `year` (default: the last year), changes from
    `base_year` to `year` when the map shows a change (default: the zoning's default period).
    """
    zones = data.zones[zoning].set_index("code")
    iset = indicator_set(data, zoning)
    last = year if year in iset.years else iset.years[-1]
    y0, y1 = iset.default_change
    if base_year in iset.years and year in iset.years and base_year < year:
        y0, y1 = base_year, year
    rows = []
    for ind in iset.indicators.values():
        if ind.sector is not None and iset.sectors is not None:
            continue  # the sector section says them (64 rows in this table were unreadable)
        year, base = (y1, y0) if ind.kind == "change" else (last, None)
        zv = zone_values(iset, ind.id, year, base)
        rank = zv.ranks.get(code)
        label = (
            ind.label(lang)
            if ind.kind == "value"
            else f"{ind.label(lang)} ({f'{base}–{year}' if base else year})"
        )
        rows.append({
            t("col.indicator", lang): label,
            t("col.value", lang): value(zv.values.get(code), ind.kind, lang),
            t("rank", lang): f"{int(rank)} / {zv.n_ranked}" if rank is not None else "—",
            t("region", lang): value(zv.region, ind.kind, lang),
            reference_label(zv.source, lang): value(zv.reference, ind.kind, lang),
        })  # fmt: skip
    series = iset.jobs_series(code).copy()
    series.index = series.index.astype(str)  # years as labels, not numbers (no "1,998" on the axis)
    change = iset.values("industrial_change", y1, y0).get(code)
    jobs0, jobs1 = series.get(str(y0)), series.get(str(y1))
    change_text = t("change_text", lang, start=number(jobs0, lang=lang), end=number(jobs1, lang=lang),
                    change=percent(change, 1, lang, signed=True), y0=y0, y1=y1)  # fmt: skip
    study = study_zones_for(data, zoning, code)
    context = _context(data, zoning, code, last)
    sectors = iset.sectors is not None
    return ZoneProfile(
        code=code,
        name=str(zones.loc[code, "name"]),
        zoning=zoning,
        interregional=bool(zones.loc[code, "interregional"]),
        study_zones=study,
        indicators=pd.DataFrame(rows),
        jobs_series=series,
        change_text=change_text,
        statements=_statements(data, study, lang),
        employers=_employers(data, study, lang),
        s3_roles=_s3_roles(data, study, lang),
        territoires=_territoires(data, zoning, code, lang),
        context=context,
        region_share=region_shares(data, zoning).get(code),
        jobs=jobs_chart(series, t("jobs_chart", lang), lang),
        strip=national_strip(context, lang) if context is not None else None,
        sector_mix=sector_mix(data, code, last) if sectors else None,
        specialisations=_specialisations(data, code, last, lang) if sectors else None,
    )


def _sector_year(data: Dataset, year: int) -> int:
    years = sector_years(data)
    return year if year in years else years[-1]


def sector_mix(data: Dataset, code: str, year: int) -> SectorMix:
    """A ZE2020 zone's share of industrial jobs in each industrial A38 sector in `year`
    (the sector table's last year when it lacks `year`), beside the région's and France's."""
    y = _sector_year(data, year)
    shares = industry_shares(data, y)

    def series(area: str) -> tuple[float, ...]:
        return tuple(float(v) for v in shares.loc[area, list(INDUSTRIAL_A38)].to_numpy(dtype="float64"))

    return SectorMix(y, INDUSTRIAL_A38, series(code), series(REGION_SUM), series(FRANCE))


def _specialisations(data: Dataset, code: str, year: int, lang: str) -> pd.DataFrame:
    """The zone's strongest specialisations: sector, index (France = 1), jobs."""
    top = top_specialisations(data, code, N_SPECIALISATIONS, _sector_year(data, year))
    return pd.DataFrame({
        t("col.sector", lang): [f"{sector_label(c, lang)} ({c})" for c in top["sector"]],
        t("col.spec_index", lang): [number(v, 2, lang) for v in top["specialisation"]],
        t("col.sector_jobs", lang): [number(v, 0, lang) for v in top["jobs"]],
    })  # fmt: skip


def strip_indicator(data: Dataset, zoning: str, year: int | None = None) -> tuple[str, int] | None:
    """The indicator and year a profile shown with the map's `year` places the zone in France
    with (its national strip), or None when the data have no national context (an import)."""
    if data.source or data.national is None:
        return None
    years = indicator_set(data, zoning).years
    return DEFAULT_INDICATOR, year if year in years else years[-1]


def _context(data: Dataset, zoning: str, code: str, year: int) -> NationalContext | None:
    """The national context of the default indicator, when the view uses the built-in data."""
    if strip_indicator(data, zoning, year) is None:
        return None
    return national_context(data, zoning, code, DEFAULT_INDICATOR, year)


def _columns(lang: str, *keys: str) -> list[str]:
    return [t(f"col.{k}", lang) for k in keys]


def _statements(data: Dataset, study: list[str], lang: str) -> pd.DataFrame:
    facts = data.study.zone_facts[data.study.zone_facts["ze2010_code"].isin(study)]
    rows = []
    for _, f in facts.iterrows():
        label = t(f"fact.{f['fact']}", lang)
        if pd.notna(f["value"]):
            shown = figure_text(float(f["value"]), str(f["unit"]), False, lang)
            label = t("fact_with_value", lang, fact=label, value=shown, year=f["year"])
        rows.append([label, t("quote", lang, text=f["wording"]), f["source"]])
    return pd.DataFrame(rows, columns=_columns(lang, "statement", "quote", "source"))


def _employers(data: Dataset, study: list[str], lang: str) -> pd.DataFrame:
    emp = data.study.employers[data.study.employers["ze2010_code"].isin(study)]
    rows = [
        [r["name"], r["naf_code"], r["naf_label"], size_band(r, lang)] for _, r in emp.iterrows()
    ]
    return pd.DataFrame(
        rows, columns=_columns(lang, "establishment", "naf", "activity", "employees")
    )


def _s3_roles(data: Dataset, study: list[str], lang: str) -> pd.DataFrame:
    s3 = data.study.s3_domains
    rows = []
    for _, r in s3[s3["ze2010_code"].isin(study)].iterrows():
        pair = s3[s3["domain_id"] == r["domain_id"]].sort_values("territory_order")["territory"]
        rows.append([domain_name(r, lang), r["territory"], " / ".join(pair)])
    return pd.DataFrame(rows, columns=_columns(lang, "domain", "head_network", "pair"))


def _territoires(data: Dataset, zoning: str, code: str, lang: str) -> pd.DataFrame:
    zt = data.zone_territoires
    mine = zt[(zt["zoning"] == zoning) & (zt["zone_code"] == code)]
    rows = [[t(f"programme_{r['programme']}", lang), r["ti_name"], percent(r["share_of_zone_area"], 0, lang)]
            for _, r in mine.iterrows()]  # fmt: skip
    return pd.DataFrame(rows, columns=_columns(lang, "programme", "territoire", "zone_share"))
