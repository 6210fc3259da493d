"""Load and validate the committed data (geo/ and data/): the only module that reads them.

Every loader returns a frame already checked against its schema: columns present, codes as
strings of the right shape, numbers numeric, keys unique, zone codes known, CRS set.
Errors name the file, line, column, value and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cartohdf import paths
from cartohdf.errors import InputError, first_true

ZONINGS = ("ze2010", "ze2020")
FRANCE_METRO = "FRM"
FRANCE = "FR"


@dataclass(frozen=True)
class Column:
    """One expected column: its kind and, optionally, the values it may take."""

    name: str
    kind: str = "str"  # str | code4 | zone_or_ref | code5 | naf | int | float | bool
    allowed: frozenset[str] | None = None
    required: bool = True  # False: empty cells allowed


@dataclass(frozen=True)
class Schema:
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    extra_ok: bool = True

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


_PATTERNS = {
    "code4": re.compile(r"^[0-9]{4}$"),
    "zone_or_ref": re.compile(r"^(?:[0-9]{4}|FRM|FR)$"),
    "code5": re.compile(r"^[0-9][0-9AB][0-9]{3}$"),
    "naf": re.compile(r"^[0-9]{4}[A-Z]$"),
}
_EXPECT = {
    "code4": "un code de zone à 4 caractères, en texte (ex. « 0055 »)",
    "zone_or_ref": "un code de zone à 4 chiffres, ou FRM / FR pour la France",
    "code5": "un code commune INSEE à 5 caractères (ex. « 59350 »)",
    "naf": "un code NAF rév. 2 (ex. « 2910Z »)",
    "int": "un nombre entier",
    "float": "un nombre",
    "bool": "true ou false",
}


def _line(i: int) -> int:
    """File line of data row i (0-based), counting the header as line 1."""
    return i + 2


def validate_frame(df: pd.DataFrame, schema: Schema, file: Path | str) -> pd.DataFrame:
    """Check and convert a frame read as text; return it with typed columns."""
    for col in schema.columns:
        if col.name not in df.columns:
            raise InputError(
                "colonne manquante", file=file, column=col.name, expected=f"colonnes {schema.names}"
            )
    out = df.copy()
    for col in schema.columns:
        values = out[col.name].astype("string").fillna("").str.strip()
        empty = values == ""
        if col.required and empty.any():
            i = first_true(empty)
            raise InputError(
                "cellule vide",
                file=file,
                row=_line(i),
                column=col.name,
                expected=_EXPECT.get(col.kind, "une valeur"),
            )
        if col.kind in _PATTERNS:
            bad = ~empty & ~values.str.fullmatch(_PATTERNS[col.kind].pattern).fillna(False)
            _raise_first(bad, values, file, col, _EXPECT[col.kind])
        if col.allowed is not None:
            bad = ~empty & ~values.isin(col.allowed)
            _raise_first(bad, values, file, col, f"une des valeurs {sorted(col.allowed)}")
        if col.kind in ("int", "float"):
            nums = pd.to_numeric(values.where(~empty), errors="coerce")
            _raise_first(~empty & nums.isna(), values, file, col, _EXPECT[col.kind])
            if col.kind == "int":
                _raise_first(~empty & (nums % 1 != 0), values, file, col, _EXPECT["int"])
                out[col.name] = nums.astype("Int64")
            else:
                out[col.name] = nums.astype("float64")
        elif col.kind == "bool":
            low = values.str.lower()
            _raise_first(~empty & ~low.isin(["true", "false"]), values, file, col, _EXPECT["bool"])
            out[col.name] = low == "true"
        else:
            out[col.name] = values.astype(object)
    if schema.key:
        dup = out.duplicated(list(schema.key), keep="first")
        if dup.any():
            i = first_true(dup)
            raise InputError(
                "clé en double",
                file=file,
                row=_line(i),
                column="+".join(schema.key),
                value=" / ".join(str(out[k].iloc[i]) for k in schema.key),
                expected="une seule ligne par clé",
            )
    return out


def _raise_first(
    mask: pd.Series, values: pd.Series, file: Path | str, col: Column, expected: str
) -> None:
    mask = mask.fillna(False).astype(bool)
    if mask.any():
        i = first_true(mask)
        raise InputError(
            "valeur invalide",
            file=file,
            row=_line(i),
            column=col.name,
            value=values.iloc[i],
            expected=expected,
        )


def check_codes(
    df: pd.DataFrame, column: str, known: Iterable[str], file: Path | str, what: str = "zone"
) -> None:
    """Every code of `column` must be one of `known`."""
    known_set = set(known)
    bad = ~df[column].isin(known_set)
    if bad.any():
        i = first_true(bad)
        raise InputError(
            f"code de {what} inconnu",
            file=file,
            row=_line(i),
            column=column,
            value=df[column].iloc[i],
            expected=f"un des {len(known_set)} codes connus",
        )


def read_csv_table(path: Path, schema: Schema) -> pd.DataFrame:
    """Read a committed CSV as text, then validate it."""
    if not path.is_file():
        raise InputError("fichier introuvable", file=path, expected="lancer `cartohdf build-data`")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return validate_frame(df, schema, path)


def read_geo(path: Path, schema: Schema) -> gpd.GeoDataFrame:
    """Read a committed GeoJSON; its CRS must be EPSG:4326."""
    if not path.is_file():
        raise InputError("fichier introuvable", file=path, expected="lancer `cartohdf build-data`")
    gdf = gpd.read_file(path)
    if gdf.crs is None:
        raise InputError("aucun système de coordonnées", file=path, expected="EPSG:4326")
    if gdf.crs.to_epsg() != 4326:
        raise InputError(
            "système de coordonnées inattendu", file=path, value=str(gdf.crs), expected="EPSG:4326"
        )
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        i = first_true(invalid)
        raise InputError(
            "géométrie invalide",
            file=path,
            row=i + 1,
            column="geometry",
            expected="un polygone valide",
        )
    text_cols = [c for c in gdf.columns if c != "geometry"]
    as_text = pd.DataFrame(
        {
            c: gdf[c].map(
                lambda v: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
            )
            for c in text_cols
        }
    )
    checked = validate_frame(as_text, schema, path)
    for c in schema.names:
        gdf[c] = checked[c].values
    return gdf


ZONE_SCHEMA = Schema(
    (
        Column("code", "code4"),
        Column("name"),
        Column("interregional", "bool"),
        Column("n_communes_region", "int"),
        Column("n_communes_zone", "int"),
        Column("area_km2_region", "float"),
    ),
    key=("code",),
)


def load_zones(zoning: str, geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The region's employment zones of one zoning (``ze2010`` or ``ze2020``), sorted by code."""
    if zoning not in ZONINGS:
        raise InputError("zonage inconnu", value=zoning, expected=" ou ".join(ZONINGS))
    path = (geo_dir or paths.GEO_DIR) / f"zones_{zoning}.geojson"
    return read_geo(path, ZONE_SCHEMA).sort_values("code").reset_index(drop=True)


OUTLINE_SCHEMA = Schema((Column("code"), Column("name")), key=("code",))
TI_SCHEMA = Schema(
    (Column("id"), Column("name"), Column("programme", allowed=frozenset({"2018", "2023"}))),
    key=("id",),
)


def load_departements(geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The five départements of the region."""
    return read_geo((geo_dir or paths.GEO_DIR) / "departements.geojson", OUTLINE_SCHEMA)


def load_region(geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The région outline."""
    return read_geo((geo_dir or paths.GEO_DIR) / "region.geojson", OUTLINE_SCHEMA)


def load_territoires(programme: str, geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Territoires d'industrie of one programme (``2018`` or ``2023``)."""
    return read_geo(
        (geo_dir or paths.GEO_DIR) / f"territoires_industrie_{programme}.geojson", TI_SCHEMA
    )


ESTEL_SECTORS = frozenset({"AZ", "BE", "FZ", "GU", "OQ", "TT"})
ESTEL_SALARIED_SCHEMA = Schema(
    (
        Column("zone_code", "zone_or_ref"),
        Column("sector", allowed=ESTEL_SECTORS),
        Column("year", "int"),
        Column("jobs", "int"),
    ),
    key=("zone_code", "sector", "year"),
)
ESTEL_NONSALARIED_SCHEMA = Schema(
    (Column("zone_code", "zone_or_ref"), Column("year", "int"), Column("jobs", "int")),
    key=("zone_code", "year"),
)
URSSAF_SCHEMA = Schema(
    (
        Column("zone_code", "zone_or_ref"),
        Column("level", allowed=frozenset({"a5", "a38"})),
        Column("sector"),
        Column("year", "int"),
        Column("jobs", "int"),
    ),
    key=("zone_code", "level", "sector", "year"),
)


@dataclass(frozen=True)
class EmploymentTable:
    """Jobs by zone x sector x year for one zoning, with the reference area's figures.

    ``jobs`` is long: zone_code, level, sector, year, jobs (the region's zones only);
    ``reference`` has the same columns for the national reference area.
    """

    zoning: str
    jobs: pd.DataFrame
    reference: pd.DataFrame
    reference_label: str
    source: str
    field: str


def _employment_table(
    df: pd.DataFrame, zoning: str, ref_code: str, reference_label: str, source: str, field: str
) -> EmploymentTable:
    """Split a validated long jobs table into the region's zones and the reference area."""
    df["jobs"] = df["jobs"].astype("int64")
    df["year"] = df["year"].astype("int64")
    ref = df["zone_code"] == ref_code
    return EmploymentTable(
        zoning=zoning,
        jobs=df[~ref].reset_index(drop=True),
        reference=df[ref].reset_index(drop=True),
        reference_label=reference_label,
        source=source,
        field=field,
    )


def load_estel(
    data_dir: Path | None = None, zone_codes: Sequence[str] | None = None
) -> EmploymentTable:
    """INSEE ESTEL salaried jobs by ZE2010 x A5 sector, 1998-2017."""
    path = (data_dir or paths.DATA_DIR) / "estel_salaried_ze2010.csv"
    df = read_csv_table(path, ESTEL_SALARIED_SCHEMA)
    known = set(zone_codes or load_zones("ze2010")["code"]) | {FRANCE_METRO}
    check_codes(df, "zone_code", known, path)
    df["level"] = "a5"
    return _employment_table(
        df, "ze2010", FRANCE_METRO, "France métropolitaine",
        "Insee, Estimations d'emploi (Estel), emploi salarié au 31 décembre",
        "emploi salarié total (public et privé)",
    )  # fmt: skip


def load_estel_nonsalaried(
    data_dir: Path | None = None, zone_codes: Sequence[str] | None = None
) -> pd.DataFrame:
    """INSEE ESTEL non-salaried jobs by ZE2010, 1998-2017 (FRM = metropolitan France)."""
    path = (data_dir or paths.DATA_DIR) / "estel_nonsalaried_ze2010.csv"
    df = read_csv_table(path, ESTEL_NONSALARIED_SCHEMA)
    check_codes(
        df, "zone_code", set(zone_codes or load_zones("ze2010")["code"]) | {FRANCE_METRO}, path
    )
    return df


def load_urssaf(
    data_dir: Path | None = None, zone_codes: Sequence[str] | None = None
) -> EmploymentTable:
    """URSSAF private salaried jobs by ZE2020 x A5/A38 sector, 2019 and 2022-2024."""
    path = (data_dir or paths.DATA_DIR) / "urssaf_ze2020.csv"
    df = read_csv_table(path, URSSAF_SCHEMA)
    check_codes(df, "zone_code", set(zone_codes or load_zones("ze2020")["code"]) | {FRANCE}, path)
    return _employment_table(
        df, "ze2020", FRANCE, "France",
        "Urssaf, effectifs salariés du secteur privé, agrégés par zone d'emploi par un tiers (ODbL)",
        "emploi salarié privé (hors agriculture)",
    )  # fmt: skip


COMMUNE_SCHEMA = Schema(
    (
        Column("commune_code", "code5"),
        Column("commune_name"),
        Column("dep", allowed=frozenset({"02", "59", "60", "62", "80"})),
        Column("epci"),
        Column("ze2010", "code4"),
        Column("commune_code_2019", "code5"),
        Column("ze2020", "code4"),
        Column("lon", "float"),
        Column("lat", "float"),
    ),
    key=("commune_code",),
)


def load_communes(data_dir: Path | None = None) -> pd.DataFrame:
    """The 3,808 communes (COG 2018) with their zones and an inside point."""
    return read_csv_table((data_dir or paths.DATA_DIR) / "communes.csv", COMMUNE_SCHEMA)


ZONE_TI_SCHEMA = Schema(
    (
        Column("zoning", allowed=frozenset(ZONINGS)),
        Column("zone_code", "code4"),
        Column("programme", allowed=frozenset({"2018", "2023"})),
        Column("ti_id"),
        Column("ti_name"),
        Column("share_of_zone_area", "float"),
    ),
    key=("zoning", "zone_code", "programme", "ti_id"),
)


def load_zone_territoires(data_dir: Path | None = None) -> pd.DataFrame:
    """Which Territoires d'industrie cover each zone, with the share of the zone's area."""
    return read_csv_table(
        (data_dir or paths.DATA_DIR) / "zone_territoires_industrie.csv", ZONE_TI_SCHEMA
    )


SECTOR_SCHEMA = Schema(
    (
        Column("level", allowed=frozenset({"a5", "a38"})),
        Column("sector"),
        Column("a5"),
        Column("label_fr"),
    ),
    key=("level", "sector"),
)


def load_sector_labels(data_dir: Path | None = None) -> pd.DataFrame:
    """A5/A38 sector codes and their French labels (as published with the URSSAF aggregation)."""
    return read_csv_table((data_dir or paths.DATA_DIR) / "urssaf_sectors.csv", SECTOR_SCHEMA)


IMPORTS_DIR = paths.ROOT / "imports"


def load_import(import_dir: Path, zoning: str, zone_codes: Sequence[str]) -> EmploymentTable:
    """Employment tables written by `cartohdf import-urssaf` (same layout as urssaf_ze2020.csv)."""
    import json

    meta_path = import_dir / "meta.json"
    if not meta_path.is_file():
        raise InputError(
            "dossier d'import incomplet",
            file=import_dir,
            expected="meta.json (lancer cartohdf import-urssaf)",
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except ValueError:
        raise InputError("meta.json illisible", file=meta_path) from None
    path = import_dir / f"employment_{zoning}.csv"
    df = read_csv_table(path, URSSAF_SCHEMA)
    check_codes(df, "zone_code", set(zone_codes) | {FRANCE}, path)
    if (df["zone_code"] != FRANCE).sum() == 0:
        raise InputError("aucune commune de la région dans cet import", file=import_dir,
                         expected="un fichier Urssaf contenant des communes des Hauts-de-France")  # fmt: skip
    return _employment_table(
        df, zoning, FRANCE, "Ensemble du fichier importé",
        f"Urssaf, effectifs salariés privés, fichier importé « {meta.get('source_file', import_dir.name)} » (ODbL)",
        "emploi salarié privé (hors agriculture)",
    )  # fmt: skip


def list_imports(base: Path | None = None) -> list[Path]:
    """Import folders available (each holds a meta.json), sorted by name."""
    from cartohdf.urssaf_import import IMPORT_NAME

    root = base or IMPORTS_DIR
    if not root.is_dir():
        return []
    # temporary folders of an import in progress (or killed) start with a dot: never listed
    return sorted(
        p.parent for p in root.glob("*/meta.json") if IMPORT_NAME.fullmatch(p.parent.name)
    )
