"""MapState: everything one view of the map depends on — the whole view, nothing beside it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from cartohdf.core import (
    BASEMAPS,
    IMPORT_COMMAND,
    K_RANGE,
    LANGS,
    LAYERS,
    LEVELS,
    PALETTES,
    S3_LAYERS,
    SCHEMES,
    SCOPES,
    USER_ID,
    ZONINGS,
    StateError,
)
from cartohdf.data import IMPORT_NAME, UPLOAD_KEY

DEFAULT_LAYERS = frozenset({*S3_LAYERS, "departements", "labels"})
DEFAULT_INDICATOR = "industrial_share"
MAX_BREAKS = 12  # more bounds than a palette can tell apart
COMPARE_RANGE = (2, 6)  # zones side by side: fewer compares nothing, more do not fit a panel


@dataclass(frozen=True)
class MapState:
    """What the user asked to see. Immutable; derive a new one with `dataclasses.replace`.

    ``year`` is the year shown; for ``industrial_change`` ``base_year`` is the start year.
    ``None`` years mean "the zoning's default" and are filled by :func:`resolve`.
    ``source`` names an URSSAF import (``""``: the built-in data); ``upload`` is the content key
    of an uploaded indicator file (``""``: none). Hashable: caches key on the state itself.

    ``level``: what the map's features are — the zones, or the communes, EPCI or départements
    of the région (an URSSAF import's tables: ``source`` needed); ``zone`` is then the selected
    unit of that level. ``within``: with ``level="commune"``, the code of the zone (of
    ``zoning``) whose communes only are drawn (``""``: the whole région).
    """

    zoning: str = "ze2010"
    indicator: str = DEFAULT_INDICATOR
    year: int | None = None
    base_year: int | None = None
    scheme: str = "quantiles"
    k: int = 5
    breaks: tuple[float, ...] = ()
    palette: str = "auto"
    layers: frozenset[str] = field(default_factory=lambda: DEFAULT_LAYERS)
    zone: str | None = None
    basemap: str = "none"
    lang: str = "fr"
    source: str = ""
    upload: str = ""
    scope: str = "region"  # region: the région's zones; france: every metropolitan zone
    compare: tuple[str, ...] = ()  # zones compared side by side (2 to 6 codes of the zoning)
    level: str = "zone"
    within: str = ""

    def __post_init__(self) -> None:
        _check_choice("zoning", self.zoning, ZONINGS)
        _check_choice("scheme", self.scheme, SCHEMES)
        _check_choice("palette", self.palette, PALETTES)
        _check_choice("basemap", self.basemap, BASEMAPS)
        _check_choice("lang", self.lang, LANGS)
        _check_choice("scope", self.scope, SCOPES)
        _check_choice("level", self.level, LEVELS)
        if self.level != "zone" and not self.source:
            raise StateError("state.level_needs_import", level=self.level, command=IMPORT_COMMAND)
        if self.within and self.level != "commune":
            raise StateError("state.within_communes_only")
        if self.scope == "france" and (self.source or self.upload):
            raise StateError("state.france_builtin_only")
        if not K_RANGE[0] <= self.k <= K_RANGE[1]:
            raise StateError(
                "state.k_range", value=self.k, allowed=list(range(K_RANGE[0], K_RANGE[1] + 1))
            )
        for layer in self.layers:
            _check_choice("layers", layer, LAYERS)
        if self.scheme == "user" and len(self.breaks) < 1:
            raise StateError("state.breaks_needed")
        if len(self.breaks) > MAX_BREAKS:
            raise StateError("state.breaks_count", n=len(self.breaks), max=MAX_BREAKS)
        if list(self.breaks) != sorted(set(self.breaks)):
            raise StateError("state.breaks_order")
        if self.source and (not IMPORT_NAME.fullmatch(self.source) or ".." in self.source):
            raise StateError("state.bad_source", value=self.source)
        if self.upload and not UPLOAD_KEY.fullmatch(self.upload):
            raise StateError("state.bad_upload", value=self.upload)
        if self.indicator == USER_ID and not self.upload:
            raise StateError("state.user_needs_upload")
        _check_compare(self.compare)

    def to_query(self, defaults: bool = False, base: MapState | None = None) -> dict[str, str]:
        """URL query parameters (see `state.to_query`)."""
        from cartohdf.state._codec import to_query

        return to_query(self, defaults, base)

    def to_cli_args(self) -> list[str]:
        """The `cartohdf export` flags that rebuild this state."""
        from cartohdf.state._codec import to_cli_args

        return to_cli_args(self)

    def with_layer(self, layer: str, visible: bool) -> MapState:
        """A copy with one layer shown or hidden."""
        layers = set(self.layers)
        (layers.add if visible else layers.discard)(layer)
        return replace(self, layers=frozenset(layers))


def _check_choice(name: str, value: object, allowed: Iterable[object]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise StateError(
            "state.unknown_choice", name=name, value=str(value), allowed=[str(a) for a in allowed]
        )


def _check_compare(codes: tuple[str, ...]) -> None:
    """The compared zones: none, or 2 to 6 distinct codes (whether the zoning has them is
    checked against the data, by `resolve`)."""
    if not codes:
        return
    lo, hi = COMPARE_RANGE
    if not lo <= len(codes) <= hi:
        raise StateError("state.compare_count", n=len(codes), min=lo, max=hi)
    seen: set[str] = set()
    for code in codes:
        if not isinstance(code, str) or not code:
            raise StateError("state.compare_bad_code", value=str(code))
        if code in seen:
            raise StateError("state.compare_duplicate", value=code)
        seen.add(code)
