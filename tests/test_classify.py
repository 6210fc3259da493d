"""Class breaks come from mapclassify on the real data; colours are centred where they should be."""

from __future__ import annotations

import mapclassify
import numpy as np
import pytest

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
    assert np.allclose(classes.bins, expected.bins)
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
