"""Everything a view draws from, loaded once and validated; and the same with the user's data
(an URSSAF import as employment source, an uploaded indicator) applied."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import stat
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from cartohdf.core import (
    TI_PROGRAMMES,
    ZONINGS,
    StateError,
    WriteError,
    memo,
    paths,
    write_atomic,
)
from cartohdf.data import _files as files
from cartohdf.data._datacache import CacheRefused, decode, encode, own_folder, read_own_file
from cartohdf.data._files import EmploymentTable
from cartohdf.data._france import load_france_zones, load_interregional, load_outside_zones
from cartohdf.data._imports import IMPORT_NAME, load_import
from cartohdf.data._levels import (
    AreaEmployment,
    load_area_employment,
    load_commune_codes,
    load_communes_2024,
    load_epci,
    load_epci_territoires,
)
from cartohdf.data._national import NationalTables, load_national
from cartohdf.data._schema import check_codes
from cartohdf.data._sectors import load_sector_table
from cartohdf.data._study import StudyTables, load_study
from cartohdf.data._uploads import read_upload
from cartohdf.data._userfiles import UserIndicator, parse_indicator


@dataclass(frozen=True, eq=False)
class Dataset:
    """All the data of one view, validated. Read-only; share it freely.

    ``source`` is ``""`` for the built-in employment data, else the name of the URSSAF import
    whose tables replace them; ``user`` is the uploaded indicator, if any (``upload`` its key).
    ``national`` holds every metropolitan zone's jobs (built-in data, whatever the source).
    ``france_zones[zoning]``: every metropolitan zone (code, name, region), simplified for a
    national view; ``outside_zones[zoning]``: the part outside the région of each
    inter-regional zone (code, name), to draw those zones whole; ``interregional``: their
    whole-zone figures (zoning, code, area_km2_region, area_km2_outside, share_in_region,
    lon, lat: a point inside the whole zone). All GeoDataFrames in EPSG:4326.
    ``sectors``: the built-in ZE2020 industrial A38 table (whatever the source; see
    ``load_sector_table``): per area (the région's zones, ``REG``, ``FR``) x sector x year,
    jobs, in_source, total_jobs, share, base_year, change_jobs, change, specialisation.

    Levels below the zone: ``communes_2024`` (the région's communes of COG 2024: commune_code,
    commune_name, dep, epci, ze2010, ze2020), ``commune_codes`` (every code since COG 2018 ->
    its 2024 commune), ``epci`` (epci, epci_name, n_communes, deps), ``epci_territoires``
    (programme, ti_id, ti_name, epci, share_of_communes) are always there; ``areas`` holds the
    jobs of each level (``commune``, ``epci``, ``departement``: :class:`AreaEmployment`) only
    when an URSSAF import made with them is the source, else it is empty. Their outlines are
    not loaded here: :func:`cartohdf.data.load_level_outlines`.
    Compared by identity: later stages memoise what they derive from it.
    """

    zones: dict[str, gpd.GeoDataFrame]
    employment: dict[str, EmploymentTable]
    sector_labels: pd.DataFrame
    departements: gpd.GeoDataFrame
    region: gpd.GeoDataFrame
    territoires: dict[str, gpd.GeoDataFrame]
    zone_territoires: pd.DataFrame
    communes: pd.DataFrame
    study: StudyTables
    source: str = ""
    user: UserIndicator | None = None
    upload: str = ""
    national: NationalTables | None = None
    france_zones: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    outside_zones: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    interregional: pd.DataFrame = field(default_factory=pd.DataFrame)
    sectors: pd.DataFrame = field(default_factory=pd.DataFrame)
    communes_2024: pd.DataFrame = field(default_factory=pd.DataFrame)
    commune_codes: pd.DataFrame = field(default_factory=pd.DataFrame)
    epci: pd.DataFrame = field(default_factory=pd.DataFrame)
    epci_territoires: pd.DataFrame = field(default_factory=pd.DataFrame)
    areas: dict[str, AreaEmployment] = field(default_factory=dict)

    def zone_name(self, zoning: str, code: str) -> str:
        """A zone's name (its code if unknown)."""
        return self.zone_names(zoning).get(code, code)

    @memo.derived
    def zone_names(self, zoning: str) -> dict[str, str]:
        """Code -> name of every zone of a zoning (computed once per dataset)."""
        zones = self.zones[zoning]
        return dict(zip(zones["code"], zones["name"], strict=True))

    def zone_codes(self) -> dict[str, list[str]]:
        """Zone codes of each zoning (what user files are checked against)."""
        return {z: list(frame["code"]) for z, frame in self.zones.items()}

    def area_units(self, area: str) -> pd.DataFrame:
        """Every unit of a level below the zone, by code: ``code``, ``name`` and, for a
        commune, its dep, epci, ze2010, ze2020; for an EPCI, n_communes and deps."""
        if area == "commune":
            units = self.communes_2024.rename(columns={"commune_code": "code", "commune_name": "name"})
        elif area == "epci":
            units = self.epci.rename(columns={"epci": "code", "epci_name": "name"})
        else:
            units = self.departements[["code", "name"]]
        return pd.DataFrame(units).sort_values("code").reset_index(drop=True)

    def regional_zones(self, zoning: str) -> list[str]:
        """Zones lying wholly in the région (inter-regional zones excluded)."""
        zones = self.zones[zoning]
        return list(zones.loc[~zones["interregional"], "code"])


def load_dataset_from(root: Path) -> Dataset:
    """Load and validate every committed file under `root` (which holds geo/ and data/)."""
    geo_dir, data_dir = root / "geo", root / "data"
    zones = {z: files.load_zones(z, geo_dir) for z in ZONINGS}
    communes = files.load_communes(data_dir)
    national = load_national(data_dir, {z: list(frame["code"]) for z, frame in zones.items()})
    inter = {z: list(frame.loc[frame["interregional"], "code"]) for z, frame in zones.items()}
    levels = _levels(data_dir, zones)
    return Dataset(
        zones=zones,
        employment={
            "ze2010": files.load_estel(data_dir, list(zones["ze2010"]["code"])),
            "ze2020": files.load_urssaf(data_dir, list(zones["ze2020"]["code"])),
        },
        sector_labels=files.load_sector_labels(data_dir),
        departements=files.load_departements(geo_dir),
        region=files.load_region(geo_dir),
        territoires={p: files.load_territoires(p, geo_dir) for p in TI_PROGRAMMES},
        zone_territoires=files.load_zone_territoires(data_dir),
        communes=communes,
        study=load_study(data_dir / "seed", set(zones["ze2010"]["code"]), communes["commune_code"]),
        national=national,
        france_zones={z: load_france_zones(z, geo_dir, national.regions(z)) for z in ZONINGS},
        outside_zones={z: load_outside_zones(z, geo_dir, inter[z]) for z in ZONINGS},
        interregional=load_interregional(data_dir, inter),
        sectors=load_sector_table(data_dir, list(zones["ze2020"]["code"])),
        communes_2024=levels["communes_2024"],
        commune_codes=levels["commune_codes"],
        epci=levels["epci"],
        epci_territoires=levels["epci_territoires"],
    )


def _levels(data_dir: Path, zones: dict[str, gpd.GeoDataFrame]) -> dict[str, pd.DataFrame]:
    """The committed tables of the levels below the zone, checked against each other."""
    communes_2024 = load_communes_2024(data_dir)
    path = data_dir / "communes_2024.csv"
    for zoning in ZONINGS:
        check_codes(communes_2024, zoning, set(zones[zoning]["code"]), path)
    codes = load_commune_codes(data_dir)
    check_codes(codes, "commune_code", set(communes_2024["commune_code"]), data_dir / "commune_codes.csv", "commune")
    epci = load_epci(data_dir)
    check_codes(communes_2024, "epci", set(epci["epci"]), path, "epci")
    territoires = load_epci_territoires(data_dir)
    check_codes(territoires, "epci", set(epci["epci"]), data_dir / "epci_territoires_industrie.csv", "epci")
    return {"communes_2024": communes_2024, "commune_codes": codes, "epci": epci,
            "epci_territoires": territoires}  # fmt: skip


@memo.memoized()
def load_dataset() -> Dataset:
    """The embedded dataset, validated (kept for the process, and between processes in the
    user's cache folder: see :func:`load_dataset_cached`)."""
    return load_dataset_cached(paths.ROOT)


def load_dataset_cached(root: Path, folder: Path | None = None) -> Dataset:
    """The dataset of `root`, from a data-only cache file written the first time it was
    loaded and validated (`_datacache`: Parquet tables and a JSON manifest, never pickle).

    The file's name and key are a digest of every file of ``geo/`` and ``data/`` (their
    bytes), of the code that reads and checks them, and of the library versions: change any of
    them and the files are read and validated again. A cache file that is not a regular file
    of this user, too big, damaged or of another key is not read; a cache that cannot be
    written is simply not used. Validation is the slow part of a cold start.
    """
    folder = folder or paths.user_cache_dir() / "dataset"
    key = _digest(root)
    path = folder / f"{key}{CACHE_SUFFIX}"
    if own_folder(folder):
        try:
            data = decode(read_own_file(path), key, _CACHED_CLASSES)
            if isinstance(data, Dataset):
                return data
        except CacheRefused:
            pass
    data = load_dataset_from(root)
    _store(data, folder, path, key)
    return data


def _store(data: Dataset, folder: Path, path: Path, key: str) -> None:
    """Write the cache file whole (or not at all), then remove the other datasets' files."""
    try:
        body = encode(data, key, _CACHED_CLASSES)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not own_folder(folder):
            return
        write_atomic(path, body)
    except (CacheRefused, OSError, WriteError):
        return
    for old in folder.iterdir():  # one dataset at a time; files of older versions too
        if old != path and old.name.endswith((CACHE_SUFFIX, ".pickle")):
            with contextlib.suppress(OSError):
                if stat.S_ISREG(os.lstat(old).st_mode):
                    old.unlink()


CACHE_SUFFIX = ".dataset.zip"
_CACHED_CLASSES: dict[str, type] = {
    "Dataset": Dataset,
    "EmploymentTable": EmploymentTable,
    "NationalTables": NationalTables,
    "StudyTables": StudyTables,
}


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    versions = [sys.version, *(f"{m}={importlib.metadata.version(m)}" for m in _LIBRARIES)]
    h.update("\n".join(versions).encode())
    sources = sorted(Path(__file__).parent.glob("*.py")) + sorted(
        (Path(__file__).parents[1] / "core").glob("*.py")
    )
    files = sorted(p for d in ("geo", "data") for p in (root / d).rglob("*") if p.is_file())
    for f in [*sources, *files]:
        h.update(str(f.name).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:32]


_LIBRARIES = ("pandas", "geopandas", "shapely", "numpy", "pyarrow", "pyogrio")


def with_employment_import(data: Dataset, import_dir: Path) -> Dataset:
    """A copy of `data` whose employment tables come from an URSSAF import, for both zonings."""
    employment = {
        zoning: load_import(import_dir, zoning, list(zones["code"]))
        for zoning, zones in data.zones.items()
    }
    areas = load_area_employment(import_dir, data.communes_2024)
    return replace(data, employment=employment, source=import_dir.name, areas=areas)


def with_user_indicator(data: Dataset, user: UserIndicator, key: str = "") -> Dataset:
    """A copy of `data` that offers the user's indicator (id ``user``) in its zoning."""
    return replace(data, user=user, upload=key)


def dataset_for(
    source: str = "",
    upload: str = "",
    imports_dir: Path | None = None,
    uploads: Path | None = None,
) -> Dataset:
    """The data a view names: built-in, or with an import and/or an upload applied.

    Raises
    ------
    StateError
        If the import or the upload is not there (any more); the message says how to get
        it back. A damaged import raises the InputError that names what is wrong with it.
    """
    data = load_dataset()
    if source:
        folder = (imports_dir or paths.imports_dir()) / source
        if not IMPORT_NAME.fullmatch(source) or not (folder / "meta.json").is_file():
            raise StateError("state.missing_import", name=source)
        data = with_employment_import(data, folder)
    if upload:
        stored = read_upload(upload, uploads)
        if stored is None:
            raise StateError("state.missing_upload", key=upload)
        user = parse_indicator(stored.raw, stored.name, data.zone_codes(), stored.column,
                               stored.zoning)  # fmt: skip
        data = with_user_indicator(data, user, upload)
    return data
