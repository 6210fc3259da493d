"""Stage 2 — indicators: shares, changes, specialisation (pure pandas), classification into
classes and colours, and one indicator's values per zone with ranks and references."""

from cartohdf.indicators._classify import NEUTRAL, NO_DATA_COLOR, Classes, breaks, classify
from cartohdf.indicators._context import N_SIMILAR, NationalContext, national_context, similar_zones
from cartohdf.indicators._definitions import (
    BASE_INDICATORS,
    KINDS,
    SECTOR_MAP_MEASURES,
    Indicator,
    sector_indicator,
    sector_of,
    user_indicator,
)
from cartohdf.indicators._maths import (
    IndicatorSet,
    build_indicator_set,
    components,
    evaluate,
    export_frame,
    with_sectors,
    with_user_values,
)
from cartohdf.indicators._sectors import (
    COMPARISON_COLUMNS,
    SECTOR_COLUMNS,
    SECTOR_MEASURES,
    industry_shares,
    sector_label,
    sector_measure,
    sector_reference_values,
    sector_table,
    sector_values,
    sector_years,
    study_comparison_note,
    study_sector_comparison,
    top_specialisations,
)
from cartohdf.indicators._sets import indicator_set, national_set
from cartohdf.indicators._values import ZoneValues, ranks, zone_values

__all__ = [
    "BASE_INDICATORS",
    "COMPARISON_COLUMNS",
    "KINDS",
    "NEUTRAL",
    "NO_DATA_COLOR",
    "N_SIMILAR",
    "SECTOR_COLUMNS",
    "SECTOR_MAP_MEASURES",
    "SECTOR_MEASURES",
    "Classes",
    "Indicator",
    "IndicatorSet",
    "NationalContext",
    "ZoneValues",
    "breaks",
    "build_indicator_set",
    "classify",
    "components",
    "evaluate",
    "export_frame",
    "indicator_set",
    "industry_shares",
    "national_context",
    "national_set",
    "ranks",
    "sector_indicator",
    "sector_label",
    "sector_measure",
    "sector_of",
    "sector_reference_values",
    "sector_table",
    "sector_values",
    "sector_years",
    "similar_zones",
    "study_comparison_note",
    "study_sector_comparison",
    "top_specialisations",
    "user_indicator",
    "with_sectors",
    "with_user_values",
    "zone_values",
]
