"""Zones compared side by side: every indicator with its ranks, industrial jobs as an index,
and two indicators across all the map's zones. Pure: computed from the indicator sets.

The app's panel, the CSV/XLSX table and the PDF page all read these objects: a rank or an
index point is computed once, here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from cartohdf.core import StateError
from cartohdf.data import Dataset
from cartohdf.indicators._definitions import Indicator
from cartohdf.indicators._maths import IndicatorSet
from cartohdf.indicators._sets import indicator_set, national_set
from cartohdf.indicators._values import ranks

REGION_CODE = "REG"  # the région's series in an index chart
FRANCE_CODE = "FR"  # France's (metropolitan France for Estel, France for URSSAF)
DEFAULT_SCATTER = ("industrial_share", "industrial_change")


@dataclass(frozen=True)
class ComparedIndicator:
    """One indicator for the compared zones (in their order), with the région and France.

    Ranks: 1 = highest value, ties share the best rank; ``None`` where a zone has no value or
    no national rank is known (the data are not the built-in ones, or a user's indicator).
    ``n_region``/``n_france``: how many zones are ranked (0: no national ranking).
    """

    indicator: Indicator
    year: int
    base_year: int | None
    values: tuple[float, ...]
    rank_region: tuple[int | None, ...]
    n_region: int
    rank_france: tuple[int | None, ...]
    n_france: int
    region: float
    france: float


@dataclass(frozen=True)
class IndexSeries:
    """Industrial jobs of one area as an index: ``values[i] = 100 * jobs[i] / jobs[0]`` (NaN
    for every year when the first year has no jobs). ``code``: a zone, `REGION_CODE` or
    `FRANCE_CODE`."""

    code: str
    name: str
    years: tuple[int, ...]
    jobs: tuple[float, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class ScatterPoint:
    code: str
    name: str
    x: float
    y: float
    compared: bool


@dataclass(frozen=True)
class Scatter:
    """Two indicators for every zone of the map that has both (sorted by code); the compared
    zones flagged."""

    x: Indicator
    y: Indicator
    year: int
    x_base: int | None
    y_base: int | None
    points: tuple[ScatterPoint, ...]


@dataclass(frozen=True)
class Comparison:
    """What the comparison of zones shows: the zones (codes and names, in the order given),
    each indicator's row, the index series (the zones, then the région and France)."""

    zoning: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    year: int
    period: tuple[int, int]
    rows: tuple[ComparedIndicator, ...]
    index: tuple[IndexSeries, ...]
    national_ranks: bool
    source: str  # the employment table's source: estel, urssaf, import

    @property
    def index_base(self) -> int:
        return self.index[0].years[0]


def index_series(code: str, name: str, jobs: pd.Series) -> IndexSeries:
    """Jobs by year (index: year) as an index, first year = 100."""
    jobs = jobs.sort_index()
    years = tuple(int(y) for y in jobs.index)
    values = tuple(float(v) for v in jobs.to_numpy(dtype=float))
    first = values[0] if values else math.nan
    if not first or math.isnan(first):
        index = tuple(math.nan for _ in values)
    else:
        index = tuple(100.0 * v / first for v in values)
    return IndexSeries(code=code, name=name, years=years, jobs=values, values=index)


def _one_area(comps: pd.DataFrame) -> pd.Series:
    """The industrial jobs of a one-area components frame (the région, France), by year."""
    return comps["industry"].groupby(level="year").sum()


def _indicator_row(iset: IndicatorSet, nset: IndicatorSet | None, ind: Indicator,
                   codes: Sequence[str], year: int, base: int | None) -> ComparedIndicator:  # fmt: skip
    """One indicator for the compared zones: values, ranks in the région and in France."""
    values = iset.values(ind.id, year, base)
    regional = ranks(values)
    nat_ranks: pd.Series | None = None
    if nset is not None and ind.id in nset.indicators and ind.id not in iset.user_values:
        nat_ranks = ranks(nset.values(ind.id, year, base))
    mine = tuple(float(values.get(c, math.nan)) for c in codes)
    return ComparedIndicator(
        indicator=ind,
        year=year,
        base_year=base,
        values=mine,
        rank_region=tuple(_rank(regional, c) for c in codes),
        n_region=len(regional),
        rank_france=tuple(_rank(nat_ranks, c) for c in codes),
        n_france=0 if nat_ranks is None else len(nat_ranks),
        region=iset.region_value(ind.id, year, base),
        france=iset.reference_value(ind.id, year, base),
    )


def _rank(table: pd.Series | None, code: str) -> int | None:
    if table is None or code not in table.index:
        return None
    return int(table[code])


def _when(ind: Indicator, year: int, period: tuple[int, int]) -> tuple[int, int | None]:
    """The year (and start year) an indicator is compared in: a change over `period`."""
    return (period[1], period[0]) if ind.kind == "change" else (year, None)


def compare_zones(data: Dataset, zoning: str, codes: Sequence[str], year: int | None = None,
                  period: tuple[int, int] | None = None) -> Comparison:  # fmt: skip
    """Zones `codes` of `zoning` side by side: every indicator of the zoning in `year` (the
    latest by default; changes over `period`, the zoning's default period by default), with
    its ranks in the région (the map's zones) and in France (the built-in national tables,
    when the data are the built-in ones), and the industrial jobs index of each zone, the
    région and France.

    Raises
    ------
    StateError
        A code the zoning does not have, a year or period the data do not have.
    """
    iset = indicator_set(data, zoning)
    names = data.zone_names(zoning)
    for code in codes:
        if code not in names:
            raise StateError("state.compare_unknown", value=code, zoning=zoning, allowed=list(names))
    years = iset.years
    year = years[-1] if year is None else year
    period = period or iset.default_change
    for y in (year, *period):
        if y not in years:
            raise StateError("state.year_absent", year=y, years=years)
    builtin = not data.source and data.national is not None
    nset = national_set(data, zoning) if builtin else None
    rows = []
    for ind in iset.indicators.values():
        y, base = _when(ind, year, period)
        rows.append(_indicator_row(iset, nset, ind, codes, y, base))
    index = [index_series(c, names[c], iset.jobs_series(c)) for c in codes]
    index.append(index_series(REGION_CODE, "", _one_area(iset.region)))
    index.append(index_series(FRANCE_CODE, "", _one_area(iset.reference)))
    return Comparison(
        zoning=zoning,
        codes=tuple(codes),
        names=tuple(names[c] for c in codes),
        year=year,
        period=period,
        rows=tuple(rows),
        index=tuple(index),
        national_ranks=nset is not None,
        source=iset.table.source,
    )


def scatter_axes(iset: IndicatorSet, asked: Sequence[str | None] = ()) -> tuple[str, str]:
    """The two indicators of the scatter: those asked when the zoning has them (and they
    differ), else the defaults (industrial share across, its change up)."""
    x, y = [*asked, None, None][:2]
    x = x if x in iset.indicators else DEFAULT_SCATTER[0]
    y = y if y in iset.indicators else DEFAULT_SCATTER[1]
    if x == y:
        y = next(i for i in (*DEFAULT_SCATTER, *iset.indicators) if i != x)
    return x, y


def compare_scatter(data: Dataset, zoning: str, codes: Sequence[str], x_id: str, y_id: str,
                    year: int | None = None, period: tuple[int, int] | None = None,
                    ) -> Scatter:  # fmt: skip
    """Indicators `x_id` and `y_id` (in `year`; a change over `period`) for every zone of the
    map that has both, the zones `codes` flagged.

    Raises
    ------
    StateError
        An indicator the zoning does not have.
    """
    iset = indicator_set(data, zoning)
    names: Mapping[str, str] = data.zone_names(zoning)
    x_ind, y_ind = iset.get(x_id), iset.get(y_id)
    year = iset.years[-1] if year is None else year
    period = period or iset.default_change
    xy, xb = _when(x_ind, year, period)
    yy, yb = _when(y_ind, year, period)
    frame = pd.DataFrame({"x": iset.values(x_id, xy, xb), "y": iset.values(y_id, yy, yb)}).dropna()
    chosen = set(codes)
    points = tuple(
        ScatterPoint(str(c), names.get(str(c), str(c)), float(r.x), float(r.y), str(c) in chosen)
        for c, r in frame.sort_index().iterrows()
    )
    return Scatter(x=x_ind, y=y_ind, year=year, x_base=xb, y_base=yb, points=points)
