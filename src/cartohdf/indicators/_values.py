"""One indicator's values per zone for a view, with ranks and the region and France references."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cartohdf.indicators._definitions import Indicator
from cartohdf.indicators._maths import IndicatorSet


def ranks(values: pd.Series) -> pd.Series:
    """1 = highest value; ties share the best rank; zones without a value get none."""
    return values.dropna().rank(ascending=False, method="min").astype(int)


@dataclass(frozen=True)
class ZoneValues:
    """The indicator of one view, per zone, ranked once (popups and profiles read it)."""

    indicator: Indicator
    year: int
    base_year: int | None
    values: pd.Series  # index zone code
    ranks: pd.Series  # index zone code, 1 = highest
    region: float
    reference: float
    source: str  # estel (reference: metropolitan France), urssaf (France), import (the file)
    n_regional: int

    @property
    def n_ranked(self) -> int:
        return len(self.ranks)


def zone_values(
    iset: IndicatorSet, indicator_id: str, year: int, base_year: int | None = None
) -> ZoneValues:
    """Values, ranks and references of `indicator_id` in `year` (from `base_year` for changes)."""
    values = iset.values(indicator_id, year, base_year)
    return ZoneValues(
        indicator=iset.get(indicator_id),
        year=year,
        base_year=base_year,
        values=values,
        ranks=ranks(values),
        region=iset.region_value(indicator_id, year, base_year),
        reference=iset.reference_value(indicator_id, year, base_year),
        source=iset.table.source,
        n_regional=len(iset.regional_zones),
    )
