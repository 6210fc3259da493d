"""The indicator sets of a dataset, computed once per dataset."""

from __future__ import annotations

import weakref

from cartohdf.data import Dataset
from cartohdf.indicators._definitions import user_indicator
from cartohdf.indicators._maths import IndicatorSet, build_indicator_set, with_user_values

_SETS: weakref.WeakKeyDictionary[Dataset, dict[str, IndicatorSet]] = weakref.WeakKeyDictionary()


def indicator_set(data: Dataset, zoning: str) -> IndicatorSet:
    """The IndicatorSet of one zoning (the user's indicator added to its zoning), built once
    per dataset and zoning: a map of one zoning never computes the other."""
    sets = _SETS.setdefault(data, {})
    if zoning not in sets:
        iset = build_indicator_set(data.employment[zoning], data.regional_zones(zoning))
        user = data.user
        if user is not None and user.zoning == zoning:
            iset = with_user_values(
                iset, user_indicator(user.label, user.unit, user.file_name), user.values
            )
        sets[zoning] = iset
    return sets[zoning]
