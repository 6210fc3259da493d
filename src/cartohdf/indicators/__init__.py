"""Stage 2 — indicators: shares, changes, specialisation (pure pandas), classification into
classes and colours, and one indicator's values per zone with ranks and references."""

from cartohdf.indicators._areas import (
    area_employment,
    level_set,
    unit_codes,
    unit_status,
    unit_values,
)
from cartohdf.indicators._classify import NEUTRAL, NO_DATA_COLOR, Classes, breaks, classify
from cartohdf.indicators._context import N_SIMILAR, NationalContext, national_context, similar_zones
from cartohdf.indicators._definitions import (
    BASE_INDICATORS,
    KINDS,
    Indicator,
    sector_indicator,
    user_indicator,
)
from cartohdf.indicators._maths import (
    IndicatorSet,
    build_indicator_set,
    components,
    evaluate,
    export_frame,
    with_user_values,
)
from cartohdf.indicators._sectors import (
    COMPARISON_COLUMNS,
    SECTOR_COLUMNS,
    SECTOR_MEASURES,
    sector_label,
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
    "SECTOR_MEASURES",
    "Classes",
    "Indicator",
    "IndicatorSet",
    "NationalContext",
    "ZoneValues",
    "area_employment",
    "breaks",
    "build_indicator_set",
    "classify",
    "components",
    "evaluate",
    "export_frame",
    "indicator_set",
    "level_set",
    "national_context",
    "national_set",
    "ranks",
    "sector_indicator",
    "sector_label",
    "sector_reference_values",
    "sector_table",
    "sector_values",
    "sector_years",
    "similar_zones",
    "study_comparison_note",
    "study_sector_comparison",
    "top_specialisations",
    "unit_codes",
    "unit_status",
    "unit_values",
    "user_indicator",
    "with_user_values",
    "zone_values",
]
