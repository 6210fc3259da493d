"""A zone among France's metropolitan zones: ranks, percentile, distribution, similar zones."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from cartohdf.core import StateError
from cartohdf.indicators import indicator_set, national_context, zone_values
from cartohdf.render import zone_profile


def _nearest(data, zoning: str, code: str, year: int, n: int = 5) -> list[str]:
    """The n nearest zones, recomputed from the national jobs rows with plain pandas."""
    jobs = data.national.employment[zoning].jobs
    rows = jobs[(jobs["year"] == year) & (jobs["level"] == "a5")]
    wide = rows.pivot_table(index="zone_code", columns="sector", values="jobs", aggfunc="sum")
    wide = wide.fillna(0)
    total = wide["TT"] if "TT" in wide else wide.sum(axis=1)
    share, size = wide["BE"] / total, np.log10(total)
    zs = (share - share.mean()) / share.std(ddof=0)
    zj = (size - size.mean()) / size.std(ddof=0)
    d = np.hypot(zs - zs[code], zj - zj[code]).drop(code)
    return list(pd.DataFrame({"d": d, "c": d.index}).sort_values(["d", "c"])["c"][:n])


@pytest.mark.parametrize(
    ("zoning", "code", "n_france", "n_region"),
    [("ze2010", "2203", 304, 28), ("ze2010", "0055", 304, 28), ("ze2020", "3216", 287, 24)],
)
def test_context_of_a_zone_of_the_region(data, zoning, code, n_france, n_region):
    iset = indicator_set(data, zoning)
    year = iset.years[-1]
    ctx = national_context(data, zoning, code, "industrial_share", year)
    zv = zone_values(iset, "industrial_share", year)
    # the rank among the region's zones is the profile's rank
    assert (ctx.rank_region, ctx.n_region) == (
        zv.ranks[code],
        zv.n_ranked,
    ) and n_region == ctx.n_region
    assert ctx.value == pytest.approx(zv.values[code]) and ctx.region == pytest.approx(zv.region)
    dist = ctx.distribution
    assert len(dist) == ctx.n_france == n_france and dist["code"].is_unique
    assert dist["in_region"].sum() == n_region and set(dist.loc[dist["in_region"], "code"]) == set(
        data.zones[zoning]["code"]
    )
    assert dist.loc[dist["selected"], "code"].tolist() == [code]
    assert dist["value"].is_monotonic_increasing
    assert ctx.rank_france == (dist["value"] > ctx.value).sum() + 1
    assert ctx.percentile == pytest.approx(100 * (dist["value"] <= ctx.value).mean())
    assert 0 < ctx.percentile <= 100
    sim = ctx.similar
    assert list(sim.columns) == ["code", "name", "region", "industrial_share", "jobs",
                                 "industrial_jobs", "value", "distance"]  # fmt: skip
    assert len(sim) == 5 and code not in set(sim["code"])
    assert sim["distance"].is_monotonic_increasing
    assert list(sim["code"]) == _nearest(data, zoning, code, year)
    assert np.allclose(sim["value"], sim["industrial_share"])  # the indicator is the share here
    assert all(sim["name"] == [data.national.names(zoning)[c] for c in sim["code"]])


def test_ze2020_has_both_references_and_works_from_the_tables_only(data):
    ctx = national_context(data, "ze2020", "0058", "specialisation_ch", 2024)
    assert ctx.reference_code == "FR" and ctx.reference == pytest.approx(1.0)
    assert ctx.metro_reference != pytest.approx(1.0)  # metropolitan France next to it
    assert ctx.n_france == 287 and ctx.rank_region == 1
    change = national_context(data, "ze2020", "3216", "industrial_change", 2024, 2019)
    assert change.base_year == 2019 and change.n_france == 287
    ze2010 = national_context(data, "ze2010", "2203", "industrial_share", 2017)
    assert ze2010.reference_code == "FRM" and ze2010.metro_reference == ze2010.reference


def test_context_errors(data):
    with pytest.raises(StateError):
        national_context(data, "ze2010", "9999", "industrial_share", 2017)
    with pytest.raises(StateError):
        national_context(data, "ze2010", "2203", "user", 2017)
    with pytest.raises(StateError):
        national_context(replace(data, national=None), "ze2010", "2203", "industrial_share", 2017)


def test_profile_carries_the_context_of_the_default_indicator(data):
    profile = zone_profile(data, "ze2010", "2203")
    ctx = profile.context
    assert ctx is not None and ctx.indicator.id == "industrial_share" and ctx.year == 2017
    assert ctx.code == "2203" and ctx.n_france == 304
    # the existing fields are as before
    assert len(profile.indicators) == 5 and profile.jobs_series.index[0] == "1998"
    u = zone_profile(data, "ze2020", "0054")
    assert u.context is not None and u.context.n_france == 287 and u.context.year == 2024
    # with an import as the employment source the built-in national tables are not mixed in
    assert zone_profile(replace(data, source="mine"), "ze2010", "2203").context is None
