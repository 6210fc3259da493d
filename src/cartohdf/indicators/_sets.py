"""The indicator sets of a dataset, computed once per dataset."""

from __future__ import annotations

from cartohdf.core import StateError, memo
from cartohdf.data import Dataset
from cartohdf.indicators._definitions import user_indicator
from cartohdf.indicators._maths import (
    IndicatorSet,
    build_indicator_set,
    with_sectors,
    with_user_values,
)


def sector_table_applies(data: Dataset, zoning: str) -> bool:
    """Whether a zoning's sector measures come from the built-in sector table (ZE2020, the
    built-in employment data): the indicator set, the sector maps' check and their legend."""
    return zoning == "ze2020" and not data.source and not data.sectors.empty


@memo.derived
def indicator_set(data: Dataset, zoning: str) -> IndicatorSet:
    """The IndicatorSet of one zoning (the user's indicator added to its zoning), built once
    per dataset and zoning: a map of one zoning never computes the other.

    With the built-in data, metropolitan France (from the national tables) is known as a
    second reference (``metro_reference_value``), and the ZE2020 set offers every sector
    measure from the sector table (`with_sectors`)."""
    metro = None
    if data.national is not None and not data.source:
        metro = data.national.metro_reference[zoning]
    iset = build_indicator_set(data.employment[zoning], data.regional_zones(zoning), metro)
    if sector_table_applies(data, zoning):
        iset = with_sectors(iset, data.sectors)  # sector maps: the built-in sector table
    user = data.user
    if user is not None and user.zoning == zoning:
        iset = with_user_values(
            iset, user_indicator(user.label, user.unit, user.file_name), user.values
        )
    return iset


@memo.derived
def national_set(data: Dataset, zoning: str) -> IndicatorSet:
    """The IndicatorSet of every metropolitan zone of a zoning (built-in national tables, with
    the same reference as the regional set of the built-in data); its region is the same
    (the zones wholly in the région), built once per dataset.

    Raises
    ------
    StateError
        If the dataset has no national tables.
    """
    if data.national is None:
        raise StateError("state.no_national")
    return build_indicator_set(
        data.national.employment[zoning],
        data.regional_zones(zoning),
        data.national.metro_reference[zoning],
    )
