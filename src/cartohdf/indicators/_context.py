"""A zone among all of France's metropolitan zones: its ranks, national percentile, the whole
distribution (for a strip), and the zones most like it. Pure: computed from the national tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cartohdf.core import FRANCE, FRANCE_METRO, StateError
from cartohdf.data import Dataset
from cartohdf.indicators._definitions import Indicator
from cartohdf.indicators._maths import IndicatorSet
from cartohdf.indicators._sets import national_set
from cartohdf.indicators._values import ranks

N_SIMILAR = 5


@dataclass(frozen=True)
class NationalContext:
    """One zone's indicator among the region's zones and France's metropolitan zones.

    Ranks: 1 = highest value, ties share the best rank (as the profile's rank); counts are the
    zones that have a value. ``percentile``: share of the metropolitan zones whose value is at
    most the zone's, in % (100 = the highest zone). ``distribution``: one row per metropolitan
    zone, sorted by value then code, columns ``code``, ``name``, ``region`` (INSEE code, ``INT``
    inter-regional), ``value``, ``in_region`` (a zone of the région's map, inter-regional ones
    included), ``selected``. ``similar``: the `N_SIMILAR` metropolitan zones closest to this one
    on industrial share and size (all salaried jobs) in ``similar_year``, nearest first, columns
    ``code``, ``name``, ``region``, ``industrial_share``, ``jobs``, ``industrial_jobs``,
    ``value`` (the indicator), ``distance`` (see :func:`similar_zones`).
    """

    zoning: str
    code: str
    indicator: Indicator
    year: int
    base_year: int | None
    value: float
    rank_region: int | None
    n_region: int
    rank_france: int | None
    n_france: int
    percentile: float | None
    region: float  # the région as a whole (its zones wholly inside it)
    reference: float  # the indicator's own national reference (see reference_code)
    reference_code: str  # FRM (metropolitan France, Estel) or FR (France incl. overseas, URSSAF)
    metro_reference: float  # metropolitan France (FRM)
    distribution: pd.DataFrame
    similar: pd.DataFrame
    similar_year: int


def similar_zones(
    iset: IndicatorSet, code: str, year: int, n: int = N_SIMILAR
) -> tuple[pd.DataFrame, pd.Series]:
    """The `n` zones of `iset` closest to `code` on industrial share and size in `year`.

    Distance: Euclidean, on the industrial share and on log10 of all salaried jobs, each
    standardised over the zones (z-scores, population standard deviation), so that one
    standard deviation of share weighs as much as one of (log) size; ties go to the lower code.
    Returns (the rows, nearest first: code, industrial_share, jobs, industrial_jobs, distance;
    the distance of every zone).
    """
    table, zs, zj = iset._remember(("similar", year), lambda: _standardised(iset, year))
    if code not in zs.index:
        raise StateError("state.zone_not_ranked", zone=code)
    distance = np.sqrt((zs - zs[code]) ** 2 + (zj - zj[code]) ** 2).rename("distance")
    table = table.assign(distance=distance.to_numpy())
    others = table[table["code"] != code].sort_values(["distance", "code"])
    return others.head(n).reset_index(drop=True), distance


def _standardised(iset: IndicatorSet, year: int) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Every zone's share and size in `year` (a table), and both as z-scores: what
    `similar_zones` measures distances on, the same for every zone."""
    comps = iset.comps.xs(year, level="year")
    comps = comps[comps["total"] > 0]
    share = comps["industry"] / comps["total"]
    size = np.log10(comps["total"])

    def z(s: pd.Series) -> pd.Series:
        sd = float(s.std(ddof=0))
        return (s - s.mean()) / sd if sd > 0 else s * 0.0

    table = pd.DataFrame({
        "code": share.index.astype(str),
        "industrial_share": share.to_numpy(),
        "jobs": comps["total"].to_numpy(),
        "industrial_jobs": comps["industry"].to_numpy(),
    })  # fmt: skip
    return table, z(share), z(size)


def national_context(
    data: Dataset, zoning: str, code: str, indicator_id: str, year: int,
    base_year: int | None = None,
) -> NationalContext:  # fmt: skip
    """Where zone `code` stands among the région's zones and France's metropolitan zones for
    one indicator (from `base_year` for a change), and the zones most like it.

    Computed from the built-in national tables (whatever employment source a view uses); the
    région's zones have there the values of the regional tables.

    Raises
    ------
    StateError
        No national tables, an indicator they do not have (a user's), or a zone not in them.
    """
    iset = national_set(data, zoning)
    if indicator_id not in iset.indicators:
        raise StateError("state.unknown_indicator", zoning=zoning, value=indicator_id,
                         allowed=list(iset.indicators))  # fmt: skip
    national = data.national
    if national is None:
        raise StateError("state.no_national")
    values = iset.values(indicator_id, year, base_year)
    if code not in values.index:
        raise StateError("state.zone_not_ranked", zone=code)
    names, regions = national.names(zoning), national.regions(zoning)

    def every_zone() -> tuple[pd.Series, pd.Series, pd.Series, pd.DataFrame]:
        """What is the same for every zone of the view: ranks, values, the distribution."""
        in_region = values.index.isin(sorted(set(data.zones[zoning]["code"])))
        table = pd.DataFrame({
            "code": values.index.astype(str),
            "name": [names[c] for c in values.index],
            "region": [regions[c] for c in values.index],
            "value": values.to_numpy(dtype=float),
            "in_region": in_region,
        }).sort_values(["value", "code"], na_position="first").reset_index(drop=True)  # fmt: skip
        return ranks(values), ranks(values[in_region]), values.dropna(), table

    key = ("context", indicator_id, year, base_year, tuple(data.zones[zoning]["code"]))
    france_ranks, region_ranks, valid, table = iset._remember(key, every_zone)
    mine = float(values[code])
    percentile = None if np.isnan(mine) else float(100 * (valid <= mine).sum() / len(valid))
    distribution = table.assign(selected=table["code"] == code)
    similar, _ = similar_zones(iset, code, year)
    similar.insert(1, "name", [names[c] for c in similar["code"]])
    similar.insert(2, "region", [regions[c] for c in similar["code"]])
    similar.insert(6, "value", values.reindex(similar["code"]).to_numpy(dtype=float))
    return NationalContext(
        zoning=zoning,
        code=code,
        indicator=iset.get(indicator_id),
        year=year,
        base_year=base_year,
        value=mine,
        rank_region=_int_or_none(region_ranks.get(code)),
        n_region=len(region_ranks),
        rank_france=_int_or_none(france_ranks.get(code)),
        n_france=len(france_ranks),
        percentile=percentile,
        region=iset.region_value(indicator_id, year, base_year),
        reference=iset.reference_value(indicator_id, year, base_year),
        reference_code=FRANCE_METRO if iset.table.source == "estel" else FRANCE,
        metro_reference=iset.metro_reference_value(indicator_id, year, base_year),
        distribution=distribution,
        similar=similar,
        similar_year=year,
    )


def _int_or_none(v: Any) -> int | None:
    return None if v is None else int(v)
