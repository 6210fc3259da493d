"""Indicators of the levels below the zone (communes, EPCI, départements of an URSSAF import):
the same maths as the zones', on the import's area tables, and each unit's statistical status."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from cartohdf.core import IMPORT_COMMAND, INDUSTRY, StateError, memo
from cartohdf.data import (
    STATUS_SECRET,
    STATUS_VALUE,
    STATUS_ZERO,
    AreaEmployment,
    Dataset,
    EmploymentTable,
)
from cartohdf.indicators._definitions import Indicator
from cartohdf.indicators._maths import IndicatorSet, build_indicator_set
from cartohdf.indicators._values import ZoneValues, ranks


def area_employment(data: Dataset, area: str) -> AreaEmployment:
    """The import's table of one level; StateError when the data have none (built-in data,
    or an import made before these tables)."""
    if area not in data.areas:
        if data.source:
            raise StateError("state.level_old_import", source=data.source, command=IMPORT_COMMAND)
        raise StateError("state.level_needs_import", level=area, command=IMPORT_COMMAND)
    return data.areas[area]


def _long_jobs(table: AreaEmployment) -> pd.DataFrame:
    """The area table as the zones' long rows: zone_code (the unit's code), level, sector,
    year, jobs."""
    jobs = table.jobs.copy()
    jobs.columns = pd.Index(list(jobs.columns), name="year")
    stacked: pd.Series = jobs.stack()  # type: ignore[assignment]  # one column of years: a Series
    long = stacked.rename("jobs").reset_index()
    return long.rename(columns={"code": "zone_code"})[["zone_code", "level", "sector", "year", "jobs"]]


@memo.derived
def level_set(data: Dataset, area: str, zoning: str) -> IndicatorSet:
    """The IndicatorSet of every unit of a level (its région: all of them; its reference: the
    import's France), built once per dataset. A unit with no row has 0 jobs every year."""
    table = area_employment(data, area)
    zones = data.employment[zoning]
    source = EmploymentTable(zoning, _long_jobs(table), zones.reference, zones.source, zones.import_file)
    iset = build_indicator_set(source, table.codes)
    full = pd.MultiIndex.from_product([list(table.codes), list(table.years)], names=["zone_code", "year"])
    return replace(iset, comps=iset.comps.reindex(full, fill_value=0.0))


def unit_codes(data: Dataset, area: str, zoning: str, within: str = "") -> list[str]:
    """The units a map of a level draws: every one, or the communes of one zone (`within`)."""
    codes = list(area_employment(data, area).codes)
    if not within:
        return codes
    communes = data.communes_2024
    inside = set(communes.loc[communes[zoning] == within, "commune_code"])
    return [c for c in codes if c in inside]


def unit_values(iset: IndicatorSet, indicator_id: str, year: int, base_year: int | None,
                codes: list[str]) -> ZoneValues:  # fmt: skip
    """One indicator over the units drawn (`codes`), ranked among them; the région's value is
    every unit's together."""
    values = iset.values(indicator_id, year, base_year).reindex(codes)
    return ZoneValues(
        indicator=iset.get(indicator_id), year=year, base_year=base_year, values=values,
        ranks=ranks(values), region=iset.region_value(indicator_id, year, base_year),
        reference=iset.reference_value(indicator_id, year, base_year),
        source=iset.table.source, n_regional=len(codes),
    )  # fmt: skip


def jobs_sector(indicator: Indicator) -> tuple[str, str]:
    """The (level, sector) of the jobs an indicator counts: industry, or its A38 sector."""
    return ("a38", indicator.sector) if indicator.sector else ("a5", INDUSTRY)


@memo.derived  # asked by the plan's classes and by the units drawn: computed once
def unit_status(table: AreaEmployment, indicator: Indicator, year: int,
                base_year: int | None) -> pd.Series:  # fmt: skip
    """Each unit's status for an indicator's jobs (industry, or its A38 sector): ``secret``
    when some jobs are withheld in a year shown (the figure is a lower bound), ``zero`` when
    no job is published in any year shown, else ``value`` (a shared Series: not to be changed)."""
    level, sector = jobs_sector(indicator)
    years = [y for y in (year, base_year) if y is not None]
    statuses = [table.status(level, sector, y) for y in years]
    table_ = pd.concat(statuses, axis=1).to_numpy()
    out = pd.Series(STATUS_VALUE, index=statuses[0].index)
    out[(table_ == STATUS_ZERO).all(axis=1)] = STATUS_ZERO
    out[(table_ == STATUS_SECRET).any(axis=1)] = STATUS_SECRET
    return out
