"""MapState: everything one view of the map depends on, and its URL / CLI round trip.

The app, the command line and a shared link all build a MapState; `build_map` takes only
this state and the data. Parameter names are the same everywhere: zoning, indicator, year,
scheme, k, breaks, palette, layers, zone, basemap, lang.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from cartohdf.errors import StateError

ZONINGS = ("ze2010", "ze2020")
SCHEMES = ("quantiles", "fisher_jenks", "equal_interval", "user")
K_RANGE = (3, 7)
SEQUENTIAL_PALETTES = ("Blues", "Purples", "YlGnBu", "YlOrBr", "Oranges")
DIVERGING_PALETTES = ("PuOr", "BrBG", "RdBu")
PALETTES = ("auto", *SEQUENTIAL_PALETTES, *DIVERGING_PALETTES)
BASEMAPS = ("none", "osm", "light")
LANGS = ("fr", "en")
S3_DOMAINS = (
    "land_river_mobility",
    "health_nutrition",
    "robotics_digital",
    "creative_industries",
    "bioeconomy",
    "energy",
    "chemistry_materials",
)
S3_LAYERS = tuple(f"s3_{d}" for d in S3_DOMAINS)
OTHER_LAYERS = ("employers", "ti2018", "ti2023", "departements", "labels")
LAYERS = (*S3_LAYERS, *OTHER_LAYERS)
LAYER_ALIASES = {"s3": S3_LAYERS}
DEFAULT_LAYERS = frozenset({*S3_LAYERS, "departements", "labels"})
DEFAULT_INDICATOR = "industrial_share"
PARAMS = (
    "zoning",
    "indicator",
    "year",
    "scheme",
    "k",
    "breaks",
    "palette",
    "layers",
    "zone",
    "basemap",
    "lang",
)


@dataclass(frozen=True)
class MapState:
    """What the user asked to see. Immutable; derive a new one with `dataclasses.replace`.

    ``year`` is the year shown; for ``industrial_change`` ``base_year`` is the start year.
    ``None`` years mean "the zoning's default" and are filled by :func:`resolve`.
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

    def __post_init__(self) -> None:
        _check_choice("zoning", self.zoning, ZONINGS)
        _check_choice("scheme", self.scheme, SCHEMES)
        _check_choice("palette", self.palette, PALETTES)
        _check_choice("basemap", self.basemap, BASEMAPS)
        _check_choice("lang", self.lang, LANGS)
        if not K_RANGE[0] <= self.k <= K_RANGE[1]:
            raise StateError(f"k : {self.k} hors limites ; valeurs possibles : 3, 4, 5, 6, 7")
        for layer in self.layers:
            _check_choice("layers", layer, LAYERS)
        if self.scheme == "user" and len(self.breaks) < 1:
            raise StateError(
                "breaks : le schéma « user » demande au moins une borne (ex. breaks=0.1,0.2,0.3)"
            )
        if list(self.breaks) != sorted(set(self.breaks)):
            raise StateError("breaks : les bornes doivent être croissantes et distinctes")

    def with_layer(self, layer: str, visible: bool) -> MapState:
        """A copy with one layer shown or hidden."""
        layers = set(self.layers)
        (layers.add if visible else layers.discard)(layer)
        return replace(self, layers=frozenset(layers))

    def to_query(self, defaults: bool = False, base: MapState | None = None) -> dict[str, str]:
        """URL query parameters: those that differ from `base` (the default state), or all."""
        base = base or MapState()
        out: dict[str, str] = {}
        for name in PARAMS:
            text = _to_text(self, name)
            if defaults or text != _to_text(base, name):
                out[name] = text
        return out

    def to_cli_args(self) -> list[str]:
        """The `cartohdf export` flags that rebuild this state."""
        args: list[str] = []
        for name, text in self.to_query(defaults=True).items():
            if text != "":
                args += [f"--{name}", text]
        return args


def _check_choice(name: str, value: object, allowed: Iterable[object]) -> None:
    allowed = tuple(allowed)
    if value not in allowed:
        raise StateError(
            f"{name} : valeur {value!r} inconnue ; valeurs possibles : {', '.join(map(str, allowed))}"
        )


def _to_text(state: MapState, name: str) -> str:
    if name == "year":
        if state.year is None:
            return ""
        return f"{state.base_year}-{state.year}" if state.base_year is not None else str(state.year)
    if name == "layers":
        layers = set(state.layers)
        parts = []
        if set(S3_LAYERS) <= layers:
            parts.append("s3")
            layers -= set(S3_LAYERS)
        parts += sorted(layers)
        return ",".join(parts) if parts else "none"
    if name == "breaks":
        return ",".join(f"{b:g}" for b in state.breaks)
    value = getattr(state, name)
    return "" if value is None else str(value)


def _parse_year(text: str) -> tuple[int | None, int | None]:
    text = text.strip()
    if not text:
        return None, None
    try:
        if "-" in text:
            y0, y1 = (int(p) for p in text.split("-", 1))
            return y1, y0
        return int(text), None
    except ValueError:
        raise StateError(
            f"year : {text!r} n'est pas une année (ex. 2017) ni une période (ex. 2007-2017)"
        ) from None


def _parse_layers(text: str) -> frozenset[str]:
    text = text.strip()
    if text in ("", "none"):
        return frozenset()
    out: set[str] = set()
    for part in (p.strip() for p in text.split(",") if p.strip()):
        if part in LAYER_ALIASES:
            out |= set(LAYER_ALIASES[part])
        else:
            _check_choice("layers", part, (*LAYERS, *LAYER_ALIASES, "none"))
            out.add(part)
    return frozenset(out)


def from_query(params: Mapping[str, str | list[str]]) -> MapState:
    """Build a state from URL query parameters (or CLI flags); unknown values raise StateError."""
    values: dict[str, object] = {}
    for name, raw in params.items():
        text = raw[-1] if isinstance(raw, list) else raw
        if name not in PARAMS:
            raise StateError(
                f"paramètre inconnu : {name!r} ; paramètres possibles : {', '.join(PARAMS)}"
            )
        if name == "year":
            values["year"], values["base_year"] = _parse_year(text)
        elif name == "k":
            try:
                values["k"] = int(text)
            except ValueError:
                raise StateError(f"k : {text!r} n'est pas un entier entre 3 et 7") from None
        elif name == "breaks":
            try:
                values["breaks"] = tuple(
                    float(b.replace(" ", "")) for b in text.split(",") if b.strip()
                )
            except ValueError:
                raise StateError(
                    f"breaks : {text!r} ; attendu des nombres séparés par des virgules"
                ) from None
        elif name == "layers":
            values["layers"] = _parse_layers(text)
        elif name == "zone":
            values["zone"] = text.strip() or None
        else:
            values[name] = text.strip()
    return MapState(**values)  # type: ignore[arg-type]
