"""What the app shows for one zone (profile) or for the région (overview). Pure functions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cartohdf import fmt
from cartohdf.dataset import Dataset
from cartohdf.i18n import t
from cartohdf.layers import ranks

FACT_LABELS = {
    "industrial_share_stated": ("Part de l'industrie citée par l'étude", "Industry share stated by the study"),
    "most_industrial_jobs": ("Parmi les zones concentrant le plus d'emplois industriels", "Among the zones with the most industrial jobs"),
    "hardest_hit": ("Parmi les territoires les plus touchés", "Among the hardest-hit areas"),
    "stabilising": ("Effectifs industriels stabilisés", "Industrial jobs stabilising"),
    "growing_slightly": ("Effectifs industriels en légère hausse", "Industrial jobs growing slightly"),
    "spec_metallurgy": ("Spécificité : métallurgie et produits métalliques", "Specialisation: metallurgy and metal products"),
    "spec_rubber_plastics": ("Spécificité : caoutchouc et plastiques", "Specialisation: rubber and plastics"),
    "spec_chemistry_pharma": ("Spécificité : chimie et pharmacie", "Specialisation: chemicals and pharmaceuticals"),
    "spec_textiles": ("Spécificité : textile et habillement", "Specialisation: textiles and clothing"),
    "spec_agrifood": ("Spécificité : industries agro-alimentaires", "Specialisation: agri-food industries"),
}  # fmt: skip


@dataclass(frozen=True)
class ZoneProfile:
    """Everything the profile panel shows for one zone."""

    code: str
    name: str
    zoning: str
    interregional: bool
    study_zones: list[str]  # ZE2010 codes the study's statements refer to
    indicators: pd.DataFrame  # Indicateur, Valeur, Rang, Région, France
    jobs_series: pd.Series  # industrial jobs by year
    change_text: str
    statements: pd.DataFrame  # Constat, Citation, Source
    employers: pd.DataFrame
    s3_roles: pd.DataFrame
    territoires: pd.DataFrame


def study_zones_for(data: Dataset, zoning: str, code: str) -> list[str]:
    """ZE2010 zones the study's statements apply to: the zone itself, or for a ZE2020 zone the
    ZE2010 zones holding at least a fifth of its communes."""
    if zoning == "ze2010":
        return [code]
    communes = data.communes[data.communes["ze2020"] == code]
    shares = communes["ze2010"].value_counts(normalize=True)
    return sorted(str(c) for c, s in shares.items() if s >= 0.2)


def zone_profile(data: Dataset, zoning: str, code: str, lang: str = "fr") -> ZoneProfile:
    """Build the profile of one zone from the data (nothing typed here)."""
    zones = data.zones[zoning].set_index("code")
    iset = data.indicators[zoning]
    last = iset.years[-1]
    y0, y1 = iset.default_change
    rows = []
    for ind in iset.indicators.values():
        year, base = (y1, y0) if ind.kind == "change" else (last, None)
        values = iset.values(ind.id, year, base)
        rank = ranks(values.dropna()).get(code)
        rows.append({
            "Indicateur" if lang == "fr" else "Indicator": ind.label(lang) if ind.kind == "value"
            else f"{ind.label(lang)} ({f'{base}–{year}' if base else year})",
            "Valeur" if lang == "fr" else "Value": fmt.value(values.get(code), ind.kind, lang),
            t("rank", lang): f"{int(rank)} / {int(values.notna().sum())}" if rank is not None else "—",
            t("region", lang): fmt.value(iset.region_value(ind.id, year, base), ind.kind, lang),
            iset.table.reference_label: fmt.value(iset.reference_value(ind.id, year, base), ind.kind, lang),
        })  # fmt: skip
    series = iset.jobs_series(code).copy()
    series.index = series.index.astype(str)  # years as labels, not numbers (no "1,998" on the axis)
    change = iset.values("industrial_change", y1, y0).get(code)
    jobs0, jobs1 = series.get(str(y0)), series.get(str(y1))
    change_text = f"{fmt.number(jobs0, lang=lang)} → {fmt.number(jobs1, lang=lang)} ({fmt.percent(change, 1, lang, signed=True)}), {y0}–{y1}"
    study = study_zones_for(data, zoning, code)
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
        employers=_employers(data, study),
        s3_roles=_s3_roles(data, study, lang),
        territoires=_territoires(data, zoning, code),
    )


def _statements(data: Dataset, study: list[str], lang: str) -> pd.DataFrame:
    facts = data.study.zone_facts[data.study.zone_facts["ze2010_code"].isin(study)]
    rows = []
    for _, f in facts.iterrows():
        label = FACT_LABELS[f["fact"]][1 if lang == "en" else 0]
        if pd.notna(f["value"]):
            label += f" : {fmt.number(f['value'], 1, lang)} {f['unit']} ({f['year']})"
        rows.append({"Constat": label, "Citation": f"« {f['wording']} »", "Source": f["source"]})
    frame = pd.DataFrame(rows, columns=["Constat", "Citation", "Source"])
    return (
        frame.rename(columns={"Constat": "Statement", "Citation": "Quote"})
        if lang == "en"
        else frame
    )


def _employers(data: Dataset, study: list[str]) -> pd.DataFrame:
    emp = data.study.employers[data.study.employers["ze2010_code"].isin(study)]
    return emp[["name", "naf_code", "naf_label", "size_band"]].rename(
        columns={
            "name": "Établissement",
            "naf_code": "NAF",
            "naf_label": "Activité",
            "size_band": "Salariés",
        }
    )


def _s3_roles(data: Dataset, study: list[str], lang: str) -> pd.DataFrame:
    s3 = data.study.s3_domains
    mine = s3[s3["ze2010_code"].isin(study)]
    rows = []
    for _, r in mine.iterrows():
        pair = s3[s3["domain_id"] == r["domain_id"]].sort_values("territory_order")["territory"]
        rows.append({
            "Domaine": r["domain_en"] if lang == "en" else r["domain_fr"],
            "Tête de réseau": r["territory"],
            "Binôme": " / ".join(pair),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["Domaine", "Tête de réseau", "Binôme"])


def _territoires(data: Dataset, zoning: str, code: str) -> pd.DataFrame:
    zt = data.zone_territoires
    mine = zt[(zt["zoning"] == zoning) & (zt["zone_code"] == code)]
    return pd.DataFrame({
        "Programme": mine["programme"].map({"2018": "2018-2022", "2023": "2023-2027"}),
        "Territoire d'industrie": mine["ti_name"],
        "Part de la zone": mine["share_of_zone_area"].map(lambda s: fmt.percent(s, 0)),
    }).reset_index(drop=True)  # fmt: skip


def key_figures(data: Dataset) -> pd.DataFrame:
    """The study's headline regional figures, with their source (for the overview)."""
    ids = [
        "industrial_private_jobs_2017", "industrial_jobs_national_rank_2017",
        "industrial_share_private_jobs_2017", "industrial_share_private_jobs_2017_france_metro",
        "industrial_jobs_change_pct_2007_2017", "industrial_jobs_change_pct_2007_2017_france_metro",
        "industrial_jobs_lost_2007_2017", "manufacturing_value_added_2015", "territoires_industrie_hdf",
    ]  # fmt: skip
    figs = data.study.regional_figures.set_index("figure_id")
    rows = []
    for fid in ids:
        if fid not in figs.index:
            continue
        f = figs.loc[fid]
        number = fmt.stated(float(str(f["value"])))
        value = f"{number}e rang" if f["unit"] == "rang" else f"{number} {f['unit']}"
        value = ("près de " if f["approx"] else "") + value
        rows.append(
            {
                "Chiffre": f["label_fr"],
                "Valeur": value,
                "Période": f["period"],
                "Source": f["source"],
            }
        )
    return pd.DataFrame(rows)
