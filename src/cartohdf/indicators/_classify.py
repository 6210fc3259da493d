"""Class breaks and colours (ColorBrewer, colour-blind safe) for the choropleth.

Quantiles, equal intervals and user bounds are computed here, with mapclassify's definitions
(tests check the same bounds on the real data and on generated data); only Fisher-Jenks needs
mapclassify's optimiser, which brings scipy and scikit-learn (about 0.7 s to import): it is
imported when that scheme is asked for, not before.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from branca.utilities import color_brewer

from cartohdf.core import DIVERGING_PALETTES, StateError

NO_DATA_COLOR = "#d9d9d9"
NEUTRAL = "#f7f7f7"
CENTRES = {"change": 0.0, "index": 1.0}  # diverging palettes are centred here
DEFAULT_PALETTE = {
    "share": "Blues",
    "count": "Blues",
    "change": "PuOr",
    "index": "BrBG",
    "value": "YlGnBu",
}


@dataclass(frozen=True)
class Classes:
    """Classes of one map: upper bounds, the lowest value, one colour per class, class per zone."""

    lower: float
    bins: tuple[float, ...]
    colors: tuple[str, ...]
    zone_class: dict[str, int]

    def color_of(self, code: str) -> str:
        return self.colors[self.zone_class[code]] if code in self.zone_class else NO_DATA_COLOR

    def bounds(self) -> list[tuple[float, float]]:
        """(lower, upper) of every class."""
        lows = [self.lower, *self.bins[:-1]]
        return list(zip(lows, self.bins, strict=True))


def quantile_bins(y: np.ndarray, k: int) -> np.ndarray:
    """mapclassify's quantiles: the score at each k-th percentile, interpolated as scipy's
    ``scoreatpercentile`` does (weights j - idx and idx - i), repeated scores merged."""
    w = 100.0 / k
    p = np.arange(w, 100 + w, w)
    if p[-1] > 100.0:
        p[-1] = 100.0
    ordered = np.sort(np.asarray(y, dtype=float))
    scores = []
    for per in p:
        idx = per / 100.0 * (len(ordered) - 1)
        i = int(idx)
        if i == idx:
            scores.append(ordered[i] / 1.0)
        else:
            weights = np.array([(i + 1 - idx), (idx - i)], float)
            scores.append(np.add.reduce(ordered[i : i + 2] * weights) / weights.sum())
    return np.unique(np.array(scores))


def equal_interval_bins(y: np.ndarray, k: int) -> np.ndarray:
    """mapclassify's equal intervals: k classes of equal width from the minimum, the last
    bound the maximum."""
    max_y, min_y = max(y), min(y)
    if max_y == min_y:
        return np.array([max_y], dtype=float)
    width = (max_y - min_y) * 1.0 / k
    if width == 0 or not np.isfinite((max_y - min_y) / width):  # a range too small to split
        return np.array([max_y], dtype=float)
    cuts = np.arange(min_y + width, max_y + width, width)
    if len(cuts) > k:  # floating point overshoot
        cuts = cuts[0:k]
    cuts[-1] = max_y
    return cuts.astype(float)


def user_bins(y: np.ndarray, user_breaks: tuple[float, ...]) -> np.ndarray:
    """The bounds given, and the maximum as a last bound when values go beyond them."""
    bins = np.asarray(user_breaks, dtype=float)
    return np.append(bins, max(y)) if bins[-1] < max(y) else bins


def breaks(
    values: np.ndarray, scheme: str, k: int, user_breaks: tuple[float, ...] = ()
) -> np.ndarray:
    """Upper class bounds; k is lowered when there are fewer distinct values."""
    k = max(1, min(k, len(np.unique(values))))
    if scheme == "quantiles":
        return quantile_bins(values, k)
    if scheme == "equal_interval":
        return equal_interval_bins(values, k)
    if scheme == "user":
        return user_bins(values, user_breaks)
    if scheme == "fisher_jenks":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Numba not installed": pure Python is fine here
            import mapclassify

            return np.asarray(mapclassify.FisherJenks(values, k=k).bins, dtype=float)
    raise StateError("state.unknown_choice", name="scheme", value=scheme)


def palette_colors(palette: str, kind: str, bounds: list[tuple[float, float]]) -> list[str]:
    """One colour per class. Diverging palettes are centred: equal steps from the centre get
    equal intensity, and a class containing the centre is neutral."""
    name = DEFAULT_PALETTE[kind] if palette == "auto" else palette
    centre = CENTRES.get(kind)
    n = len(bounds)
    if centre is None or name not in DIVERGING_PALETTES:
        return list(color_brewer(name, max(n, 3)))[-n:] if n < 3 else list(color_brewer(name, n))
    below = [i for i, (_lo, hi) in enumerate(bounds) if hi <= centre]
    above = [i for i, (lo, _hi) in enumerate(bounds) if lo >= centre]
    side = max(len(below), len(above), 1)
    full = list(color_brewer(name, min(2 * side + 1, 11)))
    mid = len(full) // 2
    colors = [NEUTRAL] * n
    for rank, i in enumerate(reversed(below)):
        colors[i] = full[max(mid - 1 - rank, 0)]
    for rank, i in enumerate(above):
        colors[i] = full[min(mid + 1 + rank, len(full) - 1)]
    return colors


def classify(
    values: pd.Series, scheme: str, k: int, user_breaks: tuple[float, ...], palette: str, kind: str
) -> Classes:
    """Classify zone values (index = zone code); zones with no value get no class."""
    valid = values.dropna().astype(float)
    if valid.empty:
        return Classes(lower=float("nan"), bins=(), colors=(), zone_class={})
    arr = valid.to_numpy()
    bins = breaks(arr, scheme, k, user_breaks)
    idx = np.searchsorted(bins, arr, side="left")
    # user bounds may start below the data: the first class then starts at its own bound
    # (empty), never above it (« 6,5 % – 0,1 % »)
    lower = float(min(arr.min(), bins[0]))
    bounds = list(zip([lower, *bins[:-1]], bins, strict=True))
    colors = palette_colors(palette, kind, [(float(a), float(b)) for a, b in bounds])
    return Classes(
        lower=lower,
        bins=tuple(float(b) for b in bins),
        colors=tuple(colors),
        zone_class={str(c): int(i) for c, i in zip(valid.index, idx, strict=True)},
    )
