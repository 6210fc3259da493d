"""The indicator sets of a dataset, computed once per dataset."""

from __future__ import annotations

import weakref

from cartohdf.core import ZONINGS
from cartohdf.data import Dataset
from cartohdf.indicators._definitions import user_indicator
from cartohdf.indicators._maths import IndicatorSet, build_indicator_set, with_user_values

_SETS: weakref.WeakKeyDictionary[Dataset, dict[str, IndicatorSet]] = weakref.WeakKeyDictionary()


def indicator_sets(data: Dataset) -> dict[str, IndicatorSet]:
    """One IndicatorSet per zoning, the user's indicator added to its zoning (memoised)."""
    if data not in _SETS:
        sets = {z: build_indicator_set(data.employment[z], data.regional_zones(z)) for z in ZONINGS}
        if data.user is not None:
            u = data.user
            sets[u.zoning] = with_user_values(
                sets[u.zoning], user_indicator(u.label, u.unit, u.file_name), u.values
            )
        _SETS[data] = sets
    return _SETS[data]


def indicator_set(data: Dataset, zoning: str) -> IndicatorSet:
    """The IndicatorSet of one zoning."""
    return indicator_sets(data)[zoning]
