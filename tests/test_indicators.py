"""Indicator maths on tiny tables (hypothesis) and on the real data."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cartohdf.core import StateError
from cartohdf.data import EmploymentTable
from cartohdf.indicators import build_indicator_set, components, export_frame, indicator_set

SECTORS = ("AZ", "BE", "FZ", "GU", "OQ")


def _table(counts: dict[str, list[list[int]]], years=(2007, 2017)) -> EmploymentTable:
    rows = []
    for zone, per_year in counts.items():
        for year, values in zip(years, per_year, strict=True):
            for sector, jobs in zip(SECTORS, values, strict=True):
                rows.append(
                    {"zone_code": zone, "level": "a5", "sector": sector, "year": year, "jobs": jobs}
                )
            rows.append(
                {
                    "zone_code": zone,
                    "level": "a5",
                    "sector": "TT",
                    "year": year,
                    "jobs": sum(values),
                }
            )
    df = pd.DataFrame(rows)
    ref = (
        df.groupby(["level", "sector", "year"], as_index=False)["jobs"]
        .sum()
        .assign(zone_code="FRM")
    )
    return EmploymentTable("ze2010", df, ref, "estel")


jobs = st.integers(min_value=0, max_value=200_000)
zone_counts = st.dictionaries(
    st.sampled_from(["0001", "0002", "0003", "0004", "0005"]),
    st.lists(st.lists(jobs, min_size=5, max_size=5), min_size=2, max_size=2),
    min_size=1,
)


@settings(max_examples=60, deadline=None)
@given(zone_counts)
def test_shares_are_fractions_and_sectors_sum_to_total(counts):
    table = _table(counts)
    iset = build_indicator_set(table, list(counts))
    comps = components(table.jobs)
    a5 = table.jobs[table.jobs["sector"] != "TT"].groupby(["zone_code", "year"])["jobs"].sum()
    assert (comps["total"] == a5.astype(float)).all()
    for ind in ("industrial_share", "industrial_share_market"):
        values = iset.values(ind, 2017).dropna()
        assert ((values >= 0) & (values <= 1)).all()
        assert iset.values(ind, 2017).index.tolist() == sorted(counts)
    frame = export_frame(iset, (2007, 2017))
    assert len(frame) == len(counts)  # the join keeps every zone, once


@settings(max_examples=40, deadline=None)
@given(zone_counts)
def test_region_value_is_the_ratio_of_sums_not_the_mean_of_ratios(counts):
    iset = build_indicator_set(_table(counts), list(counts))
    industry = sum(v[1][1] for v in counts.values())
    total = sum(sum(v[1]) for v in counts.values())
    expected = industry / total if total else math.nan
    got = iset.region_value("industrial_share", 2017)
    assert (math.isnan(expected) and math.isnan(got)) or got == pytest.approx(expected)


def test_specialisation_of_the_reference_is_one():
    iset = build_indicator_set(_table({"0001": [[1, 5, 2, 8, 3], [1, 4, 2, 9, 3]]}), ["0001"])
    assert iset.reference_value("specialisation", 2017) == pytest.approx(1.0)


def test_change_uses_both_years():
    iset = build_indicator_set(_table({"0001": [[0, 100, 0, 0, 0], [0, 80, 0, 0, 0]]}), ["0001"])
    assert iset.values("industrial_change", 2017, 2007)["0001"] == pytest.approx(-0.2)


def test_unknown_year_and_indicator_are_state_errors():
    iset = build_indicator_set(_table({"0001": [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1]]}), ["0001"])
    with pytest.raises(StateError, match="2030"):
        iset.values("industrial_share", 2030)
    with pytest.raises(StateError, match="industrial_share"):
        iset.values("nope", 2017)


def test_real_data_regional_figures(data):
    e10 = indicator_set(data, "ze2010")
    # sums of the 26 HdF-coded zones, as checked in PROVENANCE.md
    assert e10.region_value("industrial_jobs", 2007) == 341_821
    assert e10.region_value("industrial_jobs", 2017) == 268_360
    assert e10.region_value("industrial_change", 2017, 2007) == pytest.approx(-0.2149, abs=1e-4)
    assert e10.reference_value("industrial_share", 2017) == pytest.approx(0.127, abs=5e-4)
    u = indicator_set(data, "ze2020")
    assert u.region_value("industrial_jobs", 2019) == 260_011
    assert u.values("industrial_share", 2019)["0058"] == pytest.approx(0.554, abs=5e-4)
    assert "specialisation_ch" in u.indicators and "specialisation_ch" not in e10.indicators


def test_export_columns(data):
    frame = export_frame(indicator_set(data, "ze2010"))
    assert "industrial_share_2017" in frame and "industrial_jobs_1998" in frame
    assert "industrial_change_2007_2017" in frame
    assert len(frame) == 28
