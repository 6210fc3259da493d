"""A state checked against the data it names: the data loaded, the years filled in."""

from __future__ import annotations

from dataclasses import replace

from cartohdf.core import INDUSTRIAL_A38, CartohdfError, StateError
from cartohdf.data import Dataset, dataset_for
from cartohdf.indicators import (
    IndicatorSet,
    indicator_set,
    level_set,
    sector_of,
    sector_table_applies,
    unit_codes,
)
from cartohdf.state._mapstate import MapState


def data_for(state: MapState) -> Dataset:
    """The dataset a state names: built-in, or with its import and upload applied.

    Raises StateError saying what is missing (and how to get it back) when it is not there.
    """
    return dataset_for(state.source, state.upload)


def resolve(state: MapState, data: Dataset) -> MapState:
    """Check the data-dependent parts of a state and fill its default years.

    Raises StateError listing the allowed values (indicators and years of the zoning, zones).
    """
    check_sector(state, data)
    iset = view_set(state, data)
    ind = iset.get(state.indicator)
    years = iset.years
    year = state.year if state.year is not None else years[-1]
    base = state.base_year
    if ind.kind == "change":
        default0, default1 = iset.default_change
        year = state.year if state.year is not None else default1
        base = base if base is not None else default0
        if base >= year:
            raise StateError("state.period_order", start=base, end=year)
    else:
        base = None
    for y in (year, base):
        if y is not None and y not in years:
            raise StateError("state.year_absent", year=y, years=_span(years))
    codes = list(data.zones[state.zoning]["code"])
    if state.within and state.within not in codes:
        raise StateError("state.unknown_zone", value=state.within, zoning=state.zoning, allowed=codes)
    if state.level != "zone":
        units = unit_codes(data, state.level, state.zoning, state.within)
        if state.zone is not None and state.zone not in set(units):
            raise StateError("state.unknown_unit", value=state.zone, level=state.level)
    elif state.zone is not None and state.zone not in codes:
        raise StateError("state.unknown_zone", value=state.zone, zoning=state.zoning, allowed=codes)
    for code in state.compare:
        if code not in codes:
            raise StateError("state.compare_unknown", value=code, zoning=state.zoning, allowed=codes)
    return replace(state, year=year, base_year=base)


def check_sector(state: MapState, data: Dataset) -> None:
    """A sector map names a known A38 sector, and is drawn from the built-in ZE2020 sector
    table over the région: anywhere else it is refused, saying what it needs (never
    replaced by another map). The specialisation indices alone also exist elsewhere (in
    the national tables and in an import's A38 rows)."""
    named = sector_of(state.indicator)
    if named is None:
        return
    code, measure = named
    if code not in INDUSTRIAL_A38:
        raise StateError("state.unknown_sector", value=state.indicator, code=code,
                         allowed=list(INDUSTRIAL_A38))  # fmt: skip
    if measure == "specialisation":
        return
    if state.scope != "region" or not sector_table_applies(data, state.zoning):
        raise StateError("state.sector_needs_ze2020", value=state.indicator)


def view_set(state: MapState, data: Dataset) -> IndicatorSet:
    """The indicators a view draws from: its zoning's zones, or the units of its level
    (StateError when the data have no such level: built-in data, an old import)."""
    if state.level == "zone":
        return indicator_set(data, state.zoning)
    return level_set(data, state.level, state.zoning)


def open_state(state: MapState) -> tuple[MapState, Dataset, CartohdfError | None]:
    """The state resolved with its data; if it cannot be drawn, the default view and why.

    What a front door calls with a state it did not build itself (a link, CLI flags): the
    view is either drawn as asked or replaced by the default one with a message, never an
    exception.
    """
    try:
        data = data_for(state)
        return resolve(state, data), data, None
    except CartohdfError as exc:
        fallback = MapState(lang=state.lang)
        data = data_for(fallback)
        return resolve(fallback, data), data, exc


def _span(years: list[int]) -> str | list[int]:
    """« 1998–2017 » for consecutive years, else the list."""
    return f"{years[0]}–{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else years
