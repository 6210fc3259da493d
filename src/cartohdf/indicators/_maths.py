"""Industrial-intensity indicators per zone and year (pure pandas, no I/O).

Shares and changes are fractions (0.195 = 19,5 %); formatting happens at display time.
The region's reference value is computed on the sum of the zones that lie wholly in the
region (inter-regional zones are whole zones in the employment data, so adding them would
count jobs outside the region).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
import pandas as pd

from cartohdf.core import (
    DEFAULT_CHANGE,
    INDUSTRIAL_A38,
    INDUSTRY,
    MARKET_SECTORS,
    REFERENCE_CODES,
    StateError,
    memo,
)
from cartohdf.data import EmploymentTable
from cartohdf.indicators._definitions import (
    BASE_INDICATORS,
    SECTOR_MAP_MEASURES,
    Indicator,
    sector_indicator,
)
from cartohdf.indicators._sectors import sector_measures

T = TypeVar("T")


def _wide(jobs: pd.DataFrame) -> pd.DataFrame:
    """Jobs by (zone_code, year) x sector, 0 where a sector has no row (a pivot table, faster)."""
    return (
        jobs.groupby(["zone_code", "year", "sector"])["jobs"].sum().unstack("sector", fill_value=0)
    )


def components(jobs: pd.DataFrame) -> pd.DataFrame:
    """Aggregate long jobs rows into per (zone_code, year) totals used by every indicator.

    Columns: ``industry``, ``total`` (A5 "TT" when published, else the sum of A5 sectors),
    ``market`` (BE + FZ + GU) and one ``a38_XX`` column per A38 sector present.
    A sector absent for a zone (empty cell in the source) counts as 0 jobs.
    """
    a5 = _wide(jobs[jobs["level"] == "a5"])
    out = pd.DataFrame(index=a5.index)
    out["industry"] = a5.get(INDUSTRY, 0)
    if "TT" in a5:
        out["total"] = a5["TT"]
    else:
        out["total"] = a5.sum(axis=1)
    out["market"] = a5[[s for s in MARKET_SECTORS if s in a5]].sum(axis=1)
    a38 = jobs[jobs["level"] == "a38"]
    if not a38.empty:
        wide = _wide(a38)
        wide.columns = [f"a38_{c}" for c in wide.columns]
        out = out.join(wide, how="left").fillna(0)
    return out.astype("float64")


def _at(comps: pd.DataFrame, column: str, year: int) -> pd.Series:
    # a boolean mask, not `xs`: a comparison evaluates every indicator for two sets and three
    # areas, and `xs` (with a set of the years each time) made that 1.4 s instead of 0.2 s
    years = comps.index.get_level_values("year")
    mask = years == year
    if not mask.any():
        raise StateError("state.year_absent", year=year, years=sorted(set(years)))
    out = comps[column][mask]
    return out.droplevel("year")


def _safe_div(a: pd.Series, b: pd.Series) -> pd.Series:
    return (a / b.replace(0, np.nan)).astype("float64")


def evaluate(
    comps: pd.DataFrame,
    ref: pd.DataFrame,
    indicator: Indicator,
    year: int,
    base_year: int | None = None,
) -> pd.Series:
    """Indicator value per zone (index zone_code) from components and reference components."""
    if indicator.id == "industrial_jobs":
        return _at(comps, "industry", year)
    if indicator.id == "industrial_share":
        return _safe_div(_at(comps, "industry", year), _at(comps, "total", year))
    if indicator.id == "industrial_share_market":
        return _safe_div(_at(comps, "industry", year), _at(comps, "market", year))
    if indicator.id == "industrial_change":
        if base_year is None:
            raise StateError("state.change_needs_two_years")
        return _safe_div(_at(comps, "industry", year), _at(comps, "industry", base_year)) - 1
    col = "industry" if indicator.sector is None else f"a38_{indicator.sector}"
    if col not in comps.columns:
        raise StateError("state.indicator_unavailable", indicator=indicator.id)
    share = _safe_div(_at(comps, col, year), _at(comps, "total", year))
    ref_share = _safe_div(_at(ref, col, year), _at(ref, "total", year))
    return share / float(ref_share.iloc[0])


@dataclass(frozen=True)
class IndicatorSet:
    """One zoning's employment data, ready to evaluate any of its indicators."""

    table: EmploymentTable
    comps: pd.DataFrame  # the region's zones
    region: pd.DataFrame  # one pseudo-zone "REG": sum of the zones wholly in the region
    reference: pd.DataFrame  # one pseudo-zone: France (metropolitan for ESTEL)
    regional_zones: tuple[str, ...]
    indicators: dict[str, Indicator]
    # indicators read from user files
    user_values: dict[str, pd.Series] = field(default_factory=dict)
    # metropolitan France (FRM) when known, as a second reference next to ``reference``
    metro_reference: pd.DataFrame | None = None
    # the built-in sector table (`Dataset.sectors`, ZE2020): every sector indicator reads it
    sectors: pd.DataFrame | None = None

    def _remember(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """Results are pure functions of the (immutable) tables: compute each once."""
        return memo.remember(self, key, compute)

    @property
    def zoning(self) -> str:
        return self.table.zoning

    @property
    def years(self) -> list[int]:
        return sorted(set(self.comps.index.get_level_values("year")))

    @property
    def default_change(self) -> tuple[int, int]:
        """The period of `industrial_change` by default: the study's (or URSSAF's), else the span."""
        y0, y1 = DEFAULT_CHANGE[self.zoning]
        years = self.years
        return (y0, y1) if y0 in years and y1 in years else (years[0], years[-1])

    def get(self, indicator_id: str) -> Indicator:
        if indicator_id not in self.indicators:
            raise StateError("state.unknown_indicator", zoning=self.zoning, value=indicator_id,
                             allowed=self.allowed_ids())  # fmt: skip
        return self.indicators[indicator_id]

    def allowed_ids(self) -> list[str]:
        """The indicator ids, each sector measure said once (« sector_jobs_<a38> »: 16 ids)."""
        out: list[str] = []
        for ind in self.indicators.values():
            named = ind.id if ind.sector is None else ind.id.removesuffix(ind.sector.lower()) + "<a38>"
            if named not in out:
                out.append(named)
        return out

    def values(self, indicator_id: str, year: int, base_year: int | None = None) -> pd.Series:
        """Indicator per zone code."""
        if indicator_id in self.user_values:
            zones = self.comps.index.get_level_values("zone_code").unique()
            return self.user_values[indicator_id].reindex(sorted(zones)).rename(indicator_id)
        ind = self.get(indicator_id)
        if self._from_sectors(ind):
            return self._remember(
                ("values", indicator_id, year, base_year),
                lambda: self._sector(ind, year, base_year).reindex(self._zone_codes()),
            )
        return self._remember(
            ("values", indicator_id, year, base_year),
            lambda: evaluate(self.comps, self.reference, ind, year, base_year).rename(indicator_id),
        )

    def _zone_codes(self) -> list[str]:
        """The zones of the set, sorted (computed once)."""
        return self._remember(("zone_codes",),
                              lambda: sorted(self.comps.index.get_level_values("zone_code").unique()))  # fmt: skip

    def _from_sectors(self, ind: Indicator) -> bool:
        return ind.sector is not None and self.sectors is not None

    def _sector(self, ind: Indicator, year: int, base_year: int | None) -> pd.Series:
        """A sector indicator for every area of the sector table (zones, REG, FR)."""
        assert self.sectors is not None and ind.sector is not None  # _from_sectors
        table, measure = self.sectors, ind.measure
        every = self._remember(  # the 16 sectors at once: a zone table asks for them all
            ("sectors", measure, year, base_year),
            lambda: sector_measures(table, measure, year, base_year),
        )
        return every[ind.sector].rename(ind.id)

    def region_value(self, indicator_id: str, year: int, base_year: int | None = None) -> float:
        """The indicator for the region as a whole (sum of its wholly regional zones)."""
        if indicator_id in self.user_values:
            return float("nan")  # a user value cannot be aggregated without knowing what it is
        ind = self.get(indicator_id)
        if self._from_sectors(ind):
            return float(self._sector(ind, year, base_year)["REG"])
        return self._remember(
            ("region", indicator_id, year, base_year),
            lambda: float(evaluate(self.region, self.reference, ind, year, base_year).iloc[0]),
        )

    def reference_value(self, indicator_id: str, year: int, base_year: int | None = None) -> float:
        """The indicator for the national reference area."""
        if indicator_id in self.user_values:
            return float("nan")
        ind = self.get(indicator_id)
        if self._from_sectors(ind):
            return float(self._sector(ind, year, base_year)[REFERENCE_CODES[self.zoning]])
        return self._remember(
            ("reference", indicator_id, year, base_year),
            lambda: float(evaluate(self.reference, self.reference, ind, year, base_year).iloc[0]),
        )

    def metro_reference_value(
        self, indicator_id: str, year: int, base_year: int | None = None
    ) -> float:
        """The indicator for metropolitan France (NaN when unknown). A location quotient keeps
        the set's own reference: for URSSAF, France including overseas."""
        if indicator_id in self.user_values or self.metro_reference is None:
            return float("nan")
        ind = self.get(indicator_id)
        if self._from_sectors(ind):
            return float("nan")  # the sector table's France includes overseas only
        metro = self.metro_reference
        return self._remember(
            ("metro", indicator_id, year, base_year),
            lambda: float(evaluate(metro, self.reference, ind, year, base_year).iloc[0]),
        )

    def jobs_series(self, code: str) -> pd.Series:
        """Industrial jobs of one zone, every year (index: year); empty for a zone the table
        has no row of (an import covering part of the région)."""
        if code not in self.comps.index.get_level_values("zone_code"):
            return pd.Series([], dtype=float, name=code)
        return self.comps.xs(code, level="zone_code")["industry"].rename(code)


def build_indicator_set(
    table: EmploymentTable,
    regional_zones: Sequence[str],
    metro_reference: pd.DataFrame | None = None,
) -> IndicatorSet:
    """Prepare the components of one zoning; per-A38 indicators when the table has A38 rows.

    `metro_reference`: jobs rows of metropolitan France, when the table's own reference is
    another area (URSSAF: France including overseas)."""
    comps = components(table.jobs)
    in_region = table.jobs[table.jobs["zone_code"].isin(regional_zones)]
    region_jobs = pd.DataFrame(
        in_region.groupby(["level", "sector", "year"], as_index=False)["jobs"].sum()
    )
    region_jobs["zone_code"] = "REG"
    indicators = dict(BASE_INDICATORS)
    a38 = set(table.jobs.loc[table.jobs["level"] == "a38", "sector"])
    for code in INDUSTRIAL_A38:
        if code in a38:
            ind = sector_indicator(code)
            indicators[ind.id] = ind
    return IndicatorSet(
        table=table,
        comps=comps,
        region=components(region_jobs),
        reference=components(table.reference),
        regional_zones=tuple(sorted(regional_zones)),
        indicators=indicators,
        metro_reference=None if metro_reference is None else components(metro_reference),
    )


def with_sectors(iset: IndicatorSet, sectors: pd.DataFrame) -> IndicatorSet:
    """A copy of `iset` (ZE2020, built-in data) whose sector indicators — every measure of
    every industrial A38 sector, the specialisation indices included — read the sector
    table `sectors` (`Dataset.sectors`), so that a sector map shows that file's figures."""
    indicators = {i.id: i for i in iset.indicators.values() if i.sector is None}
    for measure in SECTOR_MAP_MEASURES:
        for code in INDUSTRIAL_A38:
            ind = sector_indicator(code, measure)
            indicators[ind.id] = ind
    return replace(iset, indicators=indicators, sectors=sectors)


def export_frame(iset: IndicatorSet, change_years: tuple[int, int] | None = None) -> pd.DataFrame:
    """One row per zone: every indicator for every year, then the change column.

    Columns are named ``<indicator>_<year>``, ``industrial_change_<y0>_<y1>`` and (ZE2020,
    built-in) ``sector_change_<a38>_<y0>_<y1>``.
    """
    y0, y1 = change_years or iset.default_change
    columns: dict[str, pd.Series] = {}
    for ind in iset.indicators.values():
        if ind.id in iset.user_values:
            columns[ind.id] = iset.values(ind.id, iset.years[-1])
            continue
        if ind.kind == "change":
            continue
        for year in iset.years:
            columns[f"{ind.id}_{year}"] = iset.values(ind.id, year)
    columns[f"industrial_change_{y0}_{y1}"] = iset.values("industrial_change", y1, y0)
    for ind in iset.indicators.values():  # the sectors' changes, after the industry's
        if ind.kind == "change" and ind.sector is not None:
            columns[f"{ind.id}_{y0}_{y1}"] = iset.values(ind.id, y1, y0)
    return pd.DataFrame(columns)


def with_user_values(iset: IndicatorSet, indicator: Indicator, values: pd.Series) -> IndicatorSet:
    """A copy of `iset` that also offers `indicator`, whose values come from a user file."""
    return replace(
        iset,
        indicators={**iset.indicators, indicator.id: indicator},
        user_values={**iset.user_values, indicator.id: values},
    )
