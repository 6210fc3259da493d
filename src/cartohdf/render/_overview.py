"""The région overview: the study's key figures, and the study set against open data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from cartohdf.core import NNBSP, number, percent, stated, t
from cartohdf.data import Dataset
from cartohdf.indicators import indicator_set, study_sector_comparison

KEY_FIGURES = (
    "industrial_private_jobs_2017", "industrial_jobs_national_rank_2017",
    "industrial_share_private_jobs_2017", "industrial_share_private_jobs_2017_france_metro",
    "industrial_jobs_change_pct_2007_2017", "industrial_jobs_change_pct_2007_2017_france_metro",
    "industrial_jobs_lost_2007_2017", "manufacturing_value_added_2015", "territoires_industrie_hdf",
)  # fmt: skip


def _before_percent(lang: str) -> str:
    """« 19,5 % » in French (narrow no-break space), "19.5%" in English, as `core.percent`."""
    return NNBSP if lang == "fr" else ""


YEAR_UNIT = "année"  # a year (« à l’horizon 2050 »): printed without a thousands separator
ONE_IN_N_UNIT = "1 emploi sur N"  # « un emploi sur deux »: the value is N


def figure_text(value: float, unit: str, approx: bool, lang: str) -> str:
    """A study figure with its unit, as a sentence fragment (« près de 74 000 emplois »,
    « 1 emploi sur 2 », « 2050 »)."""
    n = stated(value, lang)
    if unit == YEAR_UNIT:
        text = f"{value:.0f}"
    elif unit == ONE_IN_N_UNIT:
        text = t("one_in_n", lang, n=n)
    elif unit == "rang":
        text = t("first_rank" if value == 1 else "nth_rank", lang, n=n)
    else:
        text = f"{n}{_before_percent(lang) if unit == '%' else ' '}{t(f'funit.{unit}', lang)}"
    return t("approx", lang, value=text) if approx else text


def key_figures(data: Dataset, lang: str = "fr") -> pd.DataFrame:
    """The study's headline regional figures, with their period and source."""
    figs = data.study.regional_figures.set_index("figure_id")
    rows = []
    for fid in KEY_FIGURES:
        if fid not in figs.index:
            continue
        f = figs.loc[fid]
        rows.append([
            f["label_en"] if lang == "en" else f["label_fr"],
            figure_text(float(str(f["value"])), str(f["unit"]), bool(f["approx"]), lang),
            f["period"] or t("undated", lang),
            f["source"],
        ])  # fmt: skip
    return pd.DataFrame(
        rows, columns=[t(f"col.{c}", lang) for c in ("figure", "value", "period", "source")]
    )


@dataclass(frozen=True)
class Row:
    figure: str
    study: str
    open_data: str
    gap: str
    difference: str


def compare(data: Dataset, lang: str = "fr") -> pd.DataFrame:
    """One row per study figure that open data can support; ``attrs["figure_ids"]`` lists them."""
    used: set[str] = set()

    def fig(figure_id: str) -> float:
        used.add(figure_id)
        return data.study.figure(figure_id)

    def pct(v: float, decimals: int = 1, signed: bool = False) -> str:
        return number(v, decimals, lang, signed) + _before_percent(lang) + "%"

    def pts(study_pct: float, ours: float) -> str:
        return number(ours * 100 - study_pct, 1, lang, signed=True) + " " + t("unit.pt", lang)

    def rel(study: float, ours: float) -> str:
        return percent(ours / study - 1, 1, lang, signed=True)

    e10 = indicator_set(data, "ze2010")
    estel = t("cmp.def.estel_acoss", lang)
    rows: list[Row] = []
    jobs17 = e10.region_value("industrial_jobs", 2017)
    study_jobs = fig("industrial_private_jobs_2017")
    rows.append(Row(t("cmp.jobs_region_2017", lang), number(study_jobs, 0, lang), number(jobs17, 0, lang),
                    rel(study_jobs, jobs17), t("cmp.def.region_zones", lang, base=estel, n=len(e10.regional_zones))))  # fmt: skip
    scopes: tuple[tuple[str, str, Callable[..., float]], ...] = (
        ("industrial_share_private_jobs_2017", "cmp.share_region_2017", e10.region_value),
        (
            "industrial_share_private_jobs_2017_france_metro",
            "cmp.share_france_2017",
            e10.reference_value,
        ),
    )
    for fid, key, ours in scopes:
        share, market = ours("industrial_share", 2017), ours("industrial_share_market", 2017)
        rows.append(Row(t(key, lang), pct(fig(fid)),
                        t("cmp.share_both", lang, all=percent(share, 1, lang), market=percent(market, 1, lang)),
                        f"{pts(fig(fid), share)} ; {pts(fig(fid), market)}",
                        t("cmp.def.market_field", lang, base=estel)))  # fmt: skip
    scopes = (
        ("industrial_jobs_change_pct_2007_2017", "cmp.change_region", e10.region_value),
        (
            "industrial_jobs_change_pct_2007_2017_france_metro",
            "cmp.change_france",
            e10.reference_value,
        ),
    )
    for fid, key, ours in scopes:
        change: float = ours("industrial_change", 2017, 2007)
        rows.append(Row(t(key, lang), pct(fig(fid), signed=True), percent(change, 1, lang, signed=True),
                        pts(fig(fid), change), estel))  # fmt: skip
    # the study states a loss (« la perte de près de 74 000 emplois »): ours is shown as a loss too
    lost = e10.region_value("industrial_jobs", 2007) - e10.region_value("industrial_jobs", 2017)
    study_lost = fig("industrial_jobs_lost_2007_2017")
    rows.append(Row(t("cmp.lost_2007_2017", lang), t("approx", lang, value=number(study_lost, 0, lang)),
                    number(lost, 0, lang), rel(study_lost, lost), estel))  # fmt: skip
    c1617 = e10.region_value("industrial_change", 2017, 2016)
    f1617 = fig("industrial_jobs_change_pct_2016_2017")
    rows.append(Row(t("cmp.change_2016_2017", lang), pct(f1617, 2, signed=True),
                    percent(c1617, 2, lang, signed=True), pts(f1617, c1617), estel))  # fmt: skip
    d1617 = e10.region_value("industrial_jobs", 2017) - e10.region_value("industrial_jobs", 2016)
    s1617 = fig("industrial_jobs_change_2016_2017")
    rows.append(Row(t("cmp.lost_2016_2017", lang), number(s1617, 0, lang, signed=True),
                    number(d1617, 0, lang, signed=True), rel(s1617, d1617), estel))  # fmt: skip
    rows += _zone_rows(data, lang, pts)
    rows += _sector_rows(data, lang, rel)
    ti_study, ti_open = fig("territoires_industrie_hdf"), len(data.territoires["2018"])
    rows.append(Row(t("cmp.ti", lang), t("cmp.ti_study", lang, n=number(ti_study, 0, lang)),
                    t("cmp.ti_open", lang, n=number(ti_open, 0, lang)),
                    number(ti_open - ti_study, 0, lang, signed=True), t("cmp.def.ti", lang, n=ti_open)))  # fmt: skip
    columns = [t(f"col.{c}", lang) for c in ("figure", "study", "open_data", "gap", "definition")]
    table = pd.DataFrame([list(r.__dict__.values()) for r in rows], columns=columns)
    table.attrs["figure_ids"] = sorted(used)  # which regional figures were recomputed
    return table


def _zone_rows(data: Dataset, lang: str, pts: Callable[[float, float], str]) -> list[Row]:
    e10 = indicator_set(data, "ze2010")
    facts = data.study.zone_facts
    share = e10.values("industrial_share", 2017)
    market = e10.values("industrial_share_market", 2017)
    estel = t("cmp.def.estel_acoss", lang)
    zones = data.zones["ze2010"].set_index("code")
    rows = []
    stated_shares = facts[facts["fact"] == "industrial_share_stated"]  # the study's order
    for _, f in stated_shares.iterrows():
        code = f["ze2010_code"]
        whole = bool(zones.loc[code, "interregional"])
        rows.append(Row(
            t("cmp.share_zone", lang, zone=data.zone_name("ze2010", code), code=code, year=f["year"]),
            number(f["value"], 1, lang) + _before_percent(lang) + "%",
            t("cmp.share_both", lang, all=percent(share[code], 1, lang), market=percent(market[code], 1, lang)),
            f"{pts(f['value'], share[code])} ; {pts(f['value'], market[code])}",
            t("cmp.def.whole_zone", lang, base=estel) if whole else estel,
        ))  # fmt: skip
    # in the study's order (the seed keeps the order of the text), not in code order
    named = list(facts.loc[facts["fact"] == "most_industrial_jobs", "ze2010_code"])
    jobs = e10.values("industrial_jobs", 2017)
    # whole inter-regional zones (Roissy) count jobs outside the region: rank regional zones only
    jobs = jobs[jobs.index.isin(e10.regional_zones)].sort_values(ascending=False)
    top = list(jobs.index[: len(named)])
    rows.append(Row(
        t("cmp.most_jobs", lang),
        ", ".join(data.zone_name("ze2010", c) for c in named),
        t("cmp.most_jobs_open", lang, n=len(named), zones=", ".join(data.zone_name("ze2010", c) for c in top)),
        t("cmp.in_common", lang, k=len(set(named) & set(top)), n=len(named)),
        estel,
    ))  # fmt: skip
    return rows


def _sector_rows(data: Dataset, lang: str, rel: Callable[[float, float], str]) -> list[Row]:
    u = indicator_set(data, "ze2020")
    rows = []
    for _, s in data.study.sector_figures.iterrows():
        if pd.isna(s["jobs_2017"]) or not s["a38_codes"]:
            continue
        cols = [f"a38_{c}" for c in str(s["a38_codes"]).split(";")]
        ours = float(u.region.xs(2019, level="year")[cols].to_numpy().sum())
        label = s["label_en"] if lang == "en" else s["label_fr"]
        rows.append(Row(
            t("cmp.sector_jobs", lang, sector=label, codes=s["a38_codes"]),
            t("with_year", lang, value=number(s["jobs_2017"], 0, lang), year=2017),
            t("with_year", lang, value=number(ours, 0, lang), year=2019),
            rel(s["jobs_2017"], ours),
            t("cmp.def.sectors", lang, n=len(u.regional_zones)),
        ))  # fmt: skip
    return rows


def verbatim(data: Dataset, compared_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The study's regional figures carried as stated (no open data to recompute them)."""
    table = compared_table if compared_table is not None else compare(data)
    compared = set(table.attrs["figure_ids"])
    figs = data.study.regional_figures
    return figs[~figs["figure_id"].isin(compared)][
        ["figure_id", "label_fr", "label_en", "value", "unit", "approx", "period", "source"]
    ]


def sector_losses(data: Dataset, lang: str = "fr") -> pd.DataFrame:
    """The sectors the study names as losing or gaining jobs 2007-2017, its figure beside
    the open data's change over the sector table's years (`study_sector_comparison`), for
    people: the study's words, our A38 mapping, jobs and percents in `lang`. Not the same
    series: `study_comparison_note` says why (shown with the table)."""
    cmp = study_sector_comparison(data)
    rows = []
    for _, r in cmp.iterrows():
        label = str(r["label_en"] if lang == "en" else r["label_fr"])
        study = (t("sect.study_gain", lang) if pd.isna(r["study_change_jobs"])
                 else number(float(r["study_change_jobs"]), 0, lang, signed=True))  # fmt: skip
        opened = t("sect.open_change", lang, jobs=number(float(r["open_change_jobs"]), 0, lang, signed=True),
                   pct=percent(float(r["open_change"]), 1, lang, signed=True))  # fmt: skip
        rows.append([label[:1].upper() + label[1:], str(r["a38_codes"]).replace(";", ", "), study, opened,
                     number(float(r["open_change_jobs_whole_zones"]), 0, lang, signed=True)])  # fmt: skip
    y0, y1 = (int(cmp["base_year"].iloc[0]), int(cmp["year"].iloc[0])) if len(cmp) else (0, 0)
    columns = [t("sect.col.sector", lang), t("sect.col.a38", lang), t("sect.col.study", lang),
               t("sect.col.open", lang, y0=y0, y1=y1), t("sect.col.whole", lang)]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
