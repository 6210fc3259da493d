"""The study's figures set against the same figures recomputed from open data."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cartohdf import fmt
from cartohdf.dataset import Dataset

ESTEL_VS_ACOSS = (
    "étude : ACOSS, salariés du secteur privé ; recalcul : Insee Estel, tous salariés "
    "(public compris) au 31 décembre"
)


@dataclass(frozen=True)
class Row:
    figure: str
    study: str
    open_data: str
    gap: str
    difference: str


def _pct_points(study_pct: float, ours: float) -> str:
    return fmt.number(ours * 100 - study_pct, 1, signed=True) + " pt"


def _rel(study: float, ours: float) -> str:
    return fmt.percent(ours / study - 1, 1, signed=True)


def compare(data: Dataset) -> pd.DataFrame:
    """One row per study figure that open data can support (French wording)."""
    used: set[str] = set()

    def fig(figure_id: str) -> float:
        used.add(figure_id)
        return data.study.figure(figure_id)

    e10 = data.indicators["ze2010"]
    rows: list[Row] = []

    jobs17 = e10.region_value("industrial_jobs", 2017)
    rows.append(
        Row(
            "Emplois industriels, région, 2017",
            fmt.number(fig("industrial_private_jobs_2017")),
            fmt.number(jobs17),
            _rel(fig("industrial_private_jobs_2017"), jobs17),
            ESTEL_VS_ACOSS + " ; région = 26 zones entièrement régionales",
        )
    )
    for fid, label, ours_fn in (
        (
            "industrial_share_private_jobs_2017",
            "Part de l'industrie, région, 2017",
            e10.region_value,
        ),
        (
            "industrial_share_private_jobs_2017_france_metro",
            "Part de l'industrie, France métropolitaine, 2017",
            e10.reference_value,
        ),
    ):
        share = ours_fn("industrial_share", 2017)
        market = ours_fn("industrial_share_market", 2017)
        rows.append(
            Row(
                label,
                fmt.number(fig(fid), 1) + fmt.NNBSP + "%",
                f"{fmt.percent(share)} (tous salariés) ; {fmt.percent(market)} (champ marchand)",
                f"{_pct_points(fig(fid), share)} ; {_pct_points(fig(fid), market)}",
                ESTEL_VS_ACOSS + " ; le champ marchand (industrie + construction + tertiaire "
                "marchand) s'approche du champ privé",
            )
        )
    for fid, label, ours_fn in (
        (
            "industrial_jobs_change_pct_2007_2017",
            "Évolution de l'emploi industriel 2007-2017, région",
            e10.region_value,
        ),
        (
            "industrial_jobs_change_pct_2007_2017_france_metro",
            "Évolution de l'emploi industriel 2007-2017, France métropolitaine",
            e10.reference_value,
        ),
    ):
        change = ours_fn("industrial_change", 2017, 2007)
        rows.append(
            Row(
                label,
                fmt.number(fig(fid), 1, signed=True) + fmt.NNBSP + "%",
                fmt.percent(change, 1, signed=True),
                _pct_points(fig(fid), change),
                ESTEL_VS_ACOSS,
            )
        )
    lost = e10.region_value("industrial_jobs", 2017) - e10.region_value("industrial_jobs", 2007)
    rows.append(
        Row(
            "Emplois industriels perdus 2007-2017, région",
            "près de " + fmt.number(fig("industrial_jobs_lost_2007_2017")),
            fmt.number(lost, signed=True),
            _rel(-fig("industrial_jobs_lost_2007_2017"), lost),
            ESTEL_VS_ACOSS,
        )
    )
    c1617 = e10.region_value("industrial_change", 2017, 2016)
    rows.append(
        Row(
            "Évolution de l'emploi industriel 2016-2017, région",
            fmt.number(fig("industrial_jobs_change_pct_2016_2017"), 2, signed=True)
            + fmt.NNBSP
            + "%",
            fmt.percent(c1617, 2, signed=True),
            _pct_points(fig("industrial_jobs_change_pct_2016_2017"), c1617),
            ESTEL_VS_ACOSS,
        )
    )
    d1617 = e10.region_value("industrial_jobs", 2017) - e10.region_value("industrial_jobs", 2016)
    rows.append(
        Row(
            "Emplois industriels perdus 2016-2017, région",
            fmt.number(fig("industrial_jobs_change_2016_2017"), signed=True),
            fmt.number(d1617, signed=True),
            _rel(fig("industrial_jobs_change_2016_2017"), d1617),
            ESTEL_VS_ACOSS,
        )
    )
    rows += _zone_rows(data)
    rows += _sector_rows(data)
    ti_study = fig("territoires_industrie_hdf")
    ti_open = len(data.territoires["2018"])
    rows.append(
        Row(
            "Territoires d'industrie dans la région",
            fmt.number(ti_study) + " (liste non définitive)",
            fmt.number(ti_open) + " (liste consolidée, 1er programme)",
            fmt.number(ti_open - ti_study, signed=True),
            "liste ANCT consolidée après l'étude ; la carte utilise les 14",
        )
    )
    table = pd.DataFrame([r.__dict__ for r in rows]).rename(
        columns={
            "figure": "Chiffre",
            "study": "Étude (2019)",
            "open_data": "Données ouvertes",
            "gap": "Écart",
            "difference": "Différence de définition",
        }
    )
    table.attrs["figure_ids"] = sorted(used)  # which regional figures were recomputed
    return table


def _zone_rows(data: Dataset) -> list[Row]:
    e10 = data.indicators["ze2010"]
    facts = data.study.zone_facts
    share = e10.values("industrial_share", 2017)
    market = e10.values("industrial_share_market", 2017)
    rows = []
    stated = facts[facts["fact"] == "industrial_share_stated"].sort_values("value", ascending=False)
    for _, f in stated.iterrows():
        code = f["ze2010_code"]
        rows.append(
            Row(
                f"Part de l'industrie, {data.zone_name('ze2010', code)} ({code}), {f['year']}",
                fmt.number(f["value"], 1) + fmt.NNBSP + "%",
                f"{fmt.percent(share[code])} (tous salariés) ; {fmt.percent(market[code])} (champ marchand)",
                f"{_pct_points(f['value'], share[code])} ; {_pct_points(f['value'], market[code])}",
                ESTEL_VS_ACOSS
                + (" ; zone entière, y compris hors région" if _interregional(data, code) else ""),
            )
        )
    named = sorted(facts.loc[facts["fact"] == "most_industrial_jobs", "ze2010_code"])
    jobs = e10.values("industrial_jobs", 2017)
    # whole inter-regional zones (Roissy) count jobs outside the region: rank regional zones only
    jobs = jobs[jobs.index.isin(e10.regional_zones)].sort_values(ascending=False)
    top = list(jobs.index[: len(named)])
    rows.append(
        Row(
            "Zones concentrant le plus d'emplois industriels",
            ", ".join(data.zone_name("ze2010", c) for c in named),
            f"{len(named)} premières zones régionales en 2017 : "
            + ", ".join(data.zone_name("ze2010", c) for c in top),
            f"{len(set(named) & set(top))} sur {len(named)} en commun",
            ESTEL_VS_ACOSS,
        )
    )
    return rows


def _sector_rows(data: Dataset) -> list[Row]:
    u = data.indicators["ze2020"]
    region = u.region
    rows = []
    for _, s in data.study.sector_figures.iterrows():
        if pd.isna(s["jobs_2017"]) or not s["a38_codes"]:
            continue
        cols = [f"a38_{c}" for c in str(s["a38_codes"]).split(";")]
        ours = float(region.xs(2019, level="year")[cols].to_numpy().sum())
        rows.append(
            Row(
                f"Emplois salariés privés, {s['label_fr']} ({s['a38_codes']})",
                fmt.number(s["jobs_2017"]) + " (2017)",
                fmt.number(ours) + " (2019)",
                _rel(s["jobs_2017"], ours),
                "étude : ACOSS 2017, zones de 2010 ; recalcul : Urssaf 2019 (agrégation tierce), "
                "22 zones 2020 entièrement régionales ; deux ans d'écart",
            )
        )
    return rows


def _interregional(data: Dataset, code: str) -> bool:
    zones = data.zones["ze2010"]
    return bool(zones.loc[zones["code"] == code, "interregional"].iloc[0])


def verbatim(data: Dataset, compared_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The study's regional figures carried as stated (no open data to recompute them)."""
    table = compared_table if compared_table is not None else compare(data)
    compared = set(table.attrs["figure_ids"])
    figs = data.study.regional_figures
    return figs[~figs["figure_id"].isin(compared)][
        ["figure_id", "label_fr", "value", "unit", "period", "source"]
    ]
