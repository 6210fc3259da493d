"""Class breaks (mapclassify) and colours (ColorBrewer, colour-blind safe) for the choropleth."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from branca.utilities import color_brewer

from cartohdf.core import DIVERGING_PALETTES, StateError

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "Numba not installed": pure Python is fine for 28 values
    import mapclassify

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


def breaks(
    values: np.ndarray, scheme: str, k: int, user_breaks: tuple[float, ...] = ()
) -> np.ndarray:
    """Upper class bounds from mapclassify; k is lowered when there are fewer distinct values."""
    k = max(1, min(k, len(np.unique(values))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if scheme == "quantiles":
            c = mapclassify.Quantiles(values, k=k)
        elif scheme == "fisher_jenks":
            c = mapclassify.FisherJenks(values, k=k)
        elif scheme == "equal_interval":
            c = mapclassify.EqualInterval(values, k=k)
        elif scheme == "user":
            c = mapclassify.UserDefined(values, bins=list(user_breaks))
        else:
            raise StateError("state.unknown_choice", name="scheme", value=scheme)
    return np.asarray(c.bins, dtype=float)


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
    lower = float(arr.min())
    bounds = list(zip([lower, *bins[:-1]], bins, strict=True))
    colors = palette_colors(palette, kind, [(float(a), float(b)) for a, b in bounds])
    return Classes(
        lower=lower,
        bins=tuple(float(b) for b in bins),
        colors=tuple(colors),
        zone_class={str(c): int(i) for c, i in zip(valid.index, idx, strict=True)},
    )
