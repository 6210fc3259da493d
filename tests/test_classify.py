"""Class breaks are mapclassify's (ours for quantiles and equal intervals, checked bit for bit on the
real data and on generated data); colours are centred where they should be."""

from __future__ import annotations

import mapclassify
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cartohdf.indicators import NEUTRAL, classify, indicator_set


@pytest.mark.parametrize(
    ("scheme", "cls"),
    [
        ("quantiles", mapclassify.Quantiles),
        ("fisher_jenks", mapclassify.FisherJenks),
        ("equal_interval", mapclassify.EqualInterval),
    ],
)
@pytest.mark.parametrize("k", [3, 5, 7])
def test_breaks_match_mapclassify_on_real_data(data, scheme, cls, k):
    values = indicator_set(data, "ze2010").values("industrial_share", 2017)
    classes = classify(values, scheme, k, (), "auto", "share")
    expected = cls(values.to_numpy(), k=k)
    assert list(classes.bins) == list(expected.bins)  # the same floats, not only close ones
    assert [classes.zone_class[c] for c in values.index] == list(expected.yb)
    assert len(set(classes.colors)) == k


def test_user_breaks(data):
    values = indicator_set(data, "ze2010").values("industrial_share", 2017)
    classes = classify(values, "user", 5, (0.1, 0.2), "Purples", "share")
    assert classes.bins[:2] == (0.1, 0.2) and classes.bins[-1] == pytest.approx(values.max())
    assert classes.zone_class["3111"] == 0  # Lille, 6.5 %
    assert classes.zone_class["0055"] == 2  # Bresle-Vimeu, 40 %


def test_change_palette_is_centred_on_zero():
    import pandas as pd

    values = pd.Series({"a": -0.4, "b": -0.2, "c": -0.05, "d": 0.1, "e": 0.3})
    c = classify(values, "user", 5, (-0.3, -0.1, 0.0, 0.2), "PuOr", "change")
    # equal distance from 0 gets mirrored colours of PuOr; no class contains 0 here
    assert c.colors[2] != NEUTRAL and c.colors[3] != NEUTRAL
    assert c.colors[0] != c.colors[4]


def test_missing_values_get_no_class():
    import pandas as pd

    c = classify(
        pd.Series({"a": 0.1, "b": np.nan, "c": 0.3, "d": 0.2}), "quantiles", 3, (), "auto", "share"
    )
    assert "b" not in c.zone_class and c.color_of("b") == "#d9d9d9"


values_strategy = st.lists(
    st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.integers(-1000, 1000).map(float), st.sampled_from([0.0, 0.5, 1.0])),
    min_size=2, max_size=80,
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(values_strategy, st.integers(3, 7))
def test_our_quantiles_and_equal_intervals_are_mapclassifys(values, k):
    import warnings

    from cartohdf.indicators._classify import equal_interval_bins, quantile_bins

    y = np.array(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert list(quantile_bins(y, k)) == list(mapclassify.Quantiles(y, k=k).bins)
        if len(np.unique(y)) > 1:
            try:
                expected = list(mapclassify.EqualInterval(y, k=k).bins)
            except ValueError:  # a range too small to split (e.g. 0 and 5e-324): one class
                expected = [max(y)]
            assert list(equal_interval_bins(y, k)) == expected


@settings(max_examples=100, deadline=None)
@given(
    values_strategy,
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=6, unique=True),
)
def test_our_user_bounds_are_mapclassifys(values, bounds):
    from cartohdf.indicators._classify import user_bins

    y, b = np.array(values), sorted(bounds)
    assert list(user_bins(y, tuple(b))) == list(mapclassify.UserDefined(y, bins=b).bins)


def test_the_maps_need_no_scipy_until_fisher_jenks():
    import subprocess
    import sys

    code = ("import sys, datetime as dt; from cartohdf.state import MapState, data_for; from cartohdf.compose import plan;"
            "from cartohdf.export import map_html; s = MapState(); map_html(plan(s, data_for(s)), dt.date(2026, 1, 1));"
            "print('scipy' in sys.modules, 'mapclassify' in sys.modules)")  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]
