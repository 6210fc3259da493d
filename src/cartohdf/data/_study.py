"""The 2019 study's tables (data/seed/), loaded and checked like every other source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cartohdf.core import InputError
from cartohdf.data._schema import Column, Schema, check_codes, read_csv_table

ZONE_FACTS = frozenset(
    {
        "industrial_share_stated",
        "most_industrial_jobs",
        "hardest_hit",
        "stabilising",
        "growing_slightly",
        "spec_metallurgy",
        "spec_rubber_plastics",
        "spec_chemistry_pharma",
        "spec_textiles",
        "spec_agrifood",
    }
)

S3_SCHEMA = Schema(
    (
        Column("domain_id"),
        Column("domain_order", "int"),
        Column("domain_fr"),
        Column("domain_en"),
        Column("territory_order", "int", allowed=frozenset({"1", "2"})),
        Column("territory"),
        Column("anchor_commune_code", "code5"),
        Column("anchor_commune_name"),
        Column("ze2010_code", "code4"),
        Column("ze2020_code", "code4"),
        Column("anchor_note", required=False),
        Column("source"),
    ),
    key=("domain_id", "territory_order"),
)
EMPLOYER_SCHEMA = Schema(
    (
        Column("rank", "int"),
        Column("name"),
        Column("zone_study"),
        Column("ze2010_code", "code4"),
        Column("naf_code", "naf"),
        Column("naf_label"),
        Column("size_band"),
        Column("size_min", "int"),
        Column("size_max", "int"),
        Column("source"),
    ),
    key=("rank",),
)
FACT_SCHEMA = Schema(
    (
        Column("ze2010_code", "code4"),
        Column("zone_study"),
        Column("fact", allowed=ZONE_FACTS),
        Column("value", "float", required=False),
        Column("unit", required=False),
        Column("year", required=False),  # "2017" or a period such as "2016-2017"
        Column("wording"),
        Column("note", required=False),
        Column("source"),
    ),
    key=("ze2010_code", "fact"),
)
FIGURE_SCHEMA = Schema(
    (
        Column("figure_id"),
        Column("label_fr"),
        Column("label_en"),
        Column("value", "float"),
        Column("unit"),
        Column("period", required=False),
        Column("scope", required=False),
        Column("stat_source", required=False),
        Column("approx", "bool"),
        Column("wording"),
        Column("source"),
    ),
    key=("figure_id",),
)
SECTOR_FIGURE_SCHEMA = Schema(
    (
        Column("sector_id"),
        Column("label_fr"),
        Column("label_en"),
        Column("a38_codes", required=False),
        Column("jobs_2017", "float", required=False),
        Column("change_2007_2017", "float", required=False),
        Column("trend_2007_2017", allowed=frozenset({"loss", "gain"}), required=False),
        Column("approx", "bool"),
        Column("wording"),
        Column("source"),
    ),
    key=("sector_id",),
)
DISCREPANCY_SCHEMA = Schema(
    (
        Column("topic"),
        Column("study_value"),
        Column("study_wording"),
        Column("open_data_value", required=False),
        Column("open_data_source", required=False),
        Column("map_uses"),
        Column("explanation"),
        Column("source"),
    ),
    key=("topic",),
)


@dataclass(frozen=True)
class StudyTables:
    """Facts transcribed from the 2019 study, each row citing its section."""

    s3_domains: pd.DataFrame
    employers: pd.DataFrame
    zone_facts: pd.DataFrame
    regional_figures: pd.DataFrame
    sector_figures: pd.DataFrame
    discrepancies: pd.DataFrame

    def figure(self, figure_id: str) -> float:
        """A regional figure's value, by id."""
        rows = self.regional_figures.loc[self.regional_figures["figure_id"] == figure_id, "value"]
        if rows.empty:
            raise InputError("err.missing_figure", column="figure_id", value=figure_id)
        return float(rows.iloc[0])


def load_study(
    seed_dir: Path, ze2010_codes: set[str], communes_known: Iterable[str] | None = None
) -> StudyTables:
    """Load every seed table; zone and commune codes must exist in the embedded data."""
    s3 = read_csv_table(seed_dir / "s3_domains.csv", S3_SCHEMA)
    check_codes(s3, "ze2010_code", ze2010_codes, seed_dir / "s3_domains.csv")
    if communes_known is not None:
        check_codes(
            s3, "anchor_commune_code", communes_known, seed_dir / "s3_domains.csv", "commune"
        )
    employers = read_csv_table(seed_dir / "major_employers.csv", EMPLOYER_SCHEMA)
    check_codes(employers, "ze2010_code", ze2010_codes, seed_dir / "major_employers.csv")
    facts = read_csv_table(seed_dir / "zone_facts.csv", FACT_SCHEMA)
    check_codes(facts, "ze2010_code", ze2010_codes, seed_dir / "zone_facts.csv")
    return StudyTables(
        s3_domains=s3.sort_values(["domain_order", "territory_order"]).reset_index(drop=True),
        employers=employers.sort_values("rank").reset_index(drop=True),
        zone_facts=facts,
        regional_figures=read_csv_table(seed_dir / "regional_figures.csv", FIGURE_SCHEMA),
        sector_figures=read_csv_table(seed_dir / "sector_figures.csv", SECTOR_FIGURE_SCHEMA),
        discrepancies=read_csv_table(seed_dir / "discrepancies.csv", DISCREPANCY_SCHEMA),
    )
