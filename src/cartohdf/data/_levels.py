"""The levels below the zone: communes (COG 2024), EPCI and départements of the région.

Committed tables (built by ``cartohdf build-data``, see data/README.md) say what each unit is
(a commune's name, département, EPCI and zones; an EPCI's name and Territoires d'industrie);
an URSSAF import adds their jobs (``employment_<area>.csv``), read back here as
:class:`AreaEmployment`. Outlines are read only when a level is asked for
(:func:`load_level_outlines`), never with the dataset.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from cartohdf.core import HDF_DEPS, INDUSTRIAL_A38, TI_PROGRAMMES, InputError, memo, paths
from cartohdf.data._schema import Column, Schema, check_codes, read_csv_table, validate_frame

if TYPE_CHECKING:
    import geopandas as gpd

AREAS = ("commune", "epci", "departement")  # the levels below the zone, finest first
AREA_FILES = {"commune": "employment_communes.csv", "epci": "employment_epci.csv",
              "departement": "employment_departements.csv"}  # fmt: skip
OUTLINE_FILES = {"commune": "communes_2024.geojson", "epci": "epci_2024.geojson",
                 "departement": "departements_2024.geojson"}  # fmt: skip
A5_SECTORS = ("BE", "FZ", "GU", "OQ")  # what URSSAF's grand sectors give (no agriculture)
SECTORS = {"a5": A5_SECTORS, "a38": INDUSTRIAL_A38}  # what an import keeps below the zone
JOBS, SECRET = "jobs", "secret"  # the measures of an area table
STATUS_VALUE, STATUS_SECRET, STATUS_ZERO = "value", "secret", "zero"
MAX_AREA_JOBS = 10**12  # beyond it a count is not jobs (a damaged table)

COMMUNE_2024_SCHEMA = Schema(
    (Column("commune_code", "code5"), Column("commune_name"), Column("dep", allowed=frozenset(HDF_DEPS)),
     Column("epci"), Column("ze2010", "code4"), Column("ze2020", "code4")),
    key=("commune_code",),
)  # fmt: skip
COMMUNE_CODES_SCHEMA = Schema((Column("code", "code5"), Column("commune_code", "code5")), key=("code",))
EPCI_SCHEMA = Schema(
    (Column("epci"), Column("epci_name", required=False), Column("n_communes", "int"), Column("deps")),
    key=("epci",),
)  # fmt: skip
EPCI_TI_SCHEMA = Schema(
    (Column("programme", allowed=frozenset(TI_PROGRAMMES)), Column("ti_id"), Column("ti_name"),
     Column("epci"), Column("share_of_communes", "float")),
    key=("programme", "ti_id", "epci"),
)  # fmt: skip
_YEAR = re.compile(r"^[0-9]{4}$")


def load_communes_2024(data_dir: Path | None = None) -> pd.DataFrame:
    """The région's 3,788 communes of COG 2024: name, département, EPCI, ZE2010 and ZE2020."""
    return read_csv_table((data_dir or paths.DATA_DIR) / "communes_2024.csv", COMMUNE_2024_SCHEMA)


def load_commune_codes(data_dir: Path | None = None) -> pd.DataFrame:
    """Every commune code of the région since COG 2018 (``code``) -> its 2024 commune."""
    return read_csv_table((data_dir or paths.DATA_DIR) / "commune_codes.csv", COMMUNE_CODES_SCHEMA)


def load_epci(data_dir: Path | None = None) -> pd.DataFrame:
    """The région's EPCI of 2024: SIREN, name (empty where no source names it), communes, départements."""
    return read_csv_table((data_dir or paths.DATA_DIR) / "epci.csv", EPCI_SCHEMA)


def load_epci_territoires(data_dir: Path | None = None) -> pd.DataFrame:
    """Territoire(s) d'industrie of each 2024 EPCI, with the share of its communes in it."""
    return read_csv_table((data_dir or paths.DATA_DIR) / "epci_territoires_industrie.csv", EPCI_TI_SCHEMA)


@memo.memoized(size=8)
def load_level_outlines(area: str, geo_dir: Path | None = None) -> gpd.GeoDataFrame:
    """Outlines of one level below the zone (``commune``, ``epci`` or ``departement``).

    Simplified as one coverage with shared borders (geo/README.md), EPSG:4326, columns
    ``code`` and ``name``, sorted by code. Read on first use and kept: call it only when that
    level is drawn (the communes weigh 2.6 MB).
    """
    from cartohdf.data._schema import read_geo  # geopandas: only when outlines are drawn

    if area not in AREAS:
        raise InputError("err.unknown_area", value=area, expected="exp.one_of", allowed=AREAS)
    schema = Schema((Column("code"), Column("name", required=False)), key=("code",))
    gdf = read_geo((geo_dir or paths.GEO_DIR) / OUTLINE_FILES[area], schema)
    return gdf.sort_values("code").reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class AreaEmployment:
    """Jobs of every unit of one level below the zone, from an URSSAF import.

    ``area``: ``commune`` (COG 2024), ``epci`` or ``departement``. ``jobs`` and ``secret`` are
    indexed by (code, level, sector) (``level`` ``a5`` with BE, FZ, GU, OQ, or ``a38`` with
    the 16 industrial sectors) with one int64 column per year: published jobs, and the number
    of withheld cells (an establishment whose jobs URSSAF does not publish: statistical secret).
    A unit, sector and year absent from ``jobs`` has no job (status ``zero``), not a missing value.
    """

    area: str
    codes: tuple[str, ...]
    years: tuple[int, ...]
    jobs: pd.DataFrame
    secret: pd.DataFrame

    def sector_jobs(self, level: str, sector: str, year: int) -> pd.Series:
        """Published jobs of every unit (0 where none) in one sector and year, by code."""
        return self._column(self.jobs, level, sector, year)

    def withheld_cells(self, level: str, sector: str, year: int) -> pd.Series:
        """Number of withheld (secret) cells of every unit in one sector and year, by code."""
        return self._column(self.secret, level, sector, year)

    def total_jobs(self, year: int) -> pd.Series:
        """Published jobs of every unit, all A5 sectors, by code."""
        return sum((self.sector_jobs("a5", s, year) for s in A5_SECTORS), pd.Series(0, index=list(self.codes)))

    def status(self, level: str, sector: str, year: int) -> pd.Series:
        """``secret`` (some jobs withheld: the figure is a lower bound), ``zero`` (no job) or
        ``value``, for every unit; with ``sector="TT"`` for all A5 sectors together."""
        if sector == "TT":
            jobs = self.total_jobs(year)
            withheld = sum((self.withheld_cells("a5", s, year) for s in A5_SECTORS), pd.Series(0, index=list(self.codes)))
        else:
            jobs, withheld = self.sector_jobs(level, sector, year), self.withheld_cells(level, sector, year)
        out = pd.Series(STATUS_VALUE, index=jobs.index)
        out[jobs == 0] = STATUS_ZERO
        out[withheld > 0] = STATUS_SECRET
        return out

    def _column(self, table: pd.DataFrame, level: str, sector: str, year: int) -> pd.Series:
        index = pd.Index(self.codes, name="code")
        if year not in table.columns:
            raise InputError("err.unknown_year", value=year, expected="exp.one_of", allowed=list(self.years))
        try:
            part = table.xs((level, sector), level=("level", "sector"))[year]
        except KeyError:
            return pd.Series(0, index=index, dtype="int64", name=year)
        return part.reindex(index, fill_value=0).astype("int64")


def area_units(area: str, communes_2024: pd.DataFrame) -> list[str]:
    """The codes of every unit of a level, from the committed communes of 2024."""
    column = {"commune": "commune_code", "epci": "epci", "departement": "dep"}[area]
    return sorted(set(communes_2024[column]))


def read_area_table(text: str, path: Path, area: str, units: Sequence[str]) -> AreaEmployment:
    """An ``employment_<area>.csv`` of an import, checked (raises InputError naming the cell)."""
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    years = [c for c in df.columns if _YEAR.fullmatch(c)]
    if not years:
        raise InputError("err.no_year_column", file=path, expected="exp.run_import")
    levels = frozenset(SECTORS)
    schema = Schema(
        (Column("code"), Column("level", allowed=levels), Column("sector"),
         Column("measure", allowed=frozenset({JOBS, SECRET})), *(Column(y, "int") for y in years)),
        key=("code", "level", "sector", "measure"),
    )  # fmt: skip
    df = validate_frame(df, schema, path)
    check_codes(df, "code", units, path, {"commune": "commune", "epci": "epci", "departement": "zone"}[area])
    known = {(lv, s) for lv, sectors in SECTORS.items() for s in sectors}
    pairs = list(zip(df["level"], df["sector"], strict=True))
    if bad := [i for i, p in enumerate(pairs) if p not in known]:
        raise InputError("err.invalid_value", file=path, row=bad[0] + 2, column="sector",
                         value=pairs[bad[0]][1], expected="exp.run_import")  # fmt: skip
    values = df[years].astype("int64")
    if ((values < 0) | (values > MAX_AREA_JOBS)).any().any():
        row = int(((values < 0) | (values > MAX_AREA_JOBS)).any(axis=1).to_numpy().nonzero()[0][0])
        raise InputError("err.jobs_impossible", file=path, row=row + 2, column=years[0],
                         value=str(df[years].iloc[row].tolist()), expected="exp.run_import")  # fmt: skip
    values.columns = pd.Index([int(y) for y in years])
    values.index = pd.MultiIndex.from_frame(df[["code", "level", "sector"]])
    measure = df["measure"].to_numpy()
    return AreaEmployment(area=area, codes=tuple(units), years=tuple(int(y) for y in years),
                          jobs=values[measure == JOBS], secret=values[measure == SECRET])  # fmt: skip


def area_tables(communes: pd.DataFrame, years: Sequence[int], units: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The import's area tables from its sums by 2024 commune.

    `communes`: one row per (commune_code, level, sector) with ``y<year>`` (published jobs) and
    ``s<year>`` (withheld cells) columns; `units`: the committed communes of 2024. Each table
    has the columns code, level, sector, measure, then one per year; a ``secret`` row is written
    only where some cell is withheld, a unit and sector with neither jobs nor secret not at all.
    """
    keep = pd.Series(False, index=communes.index)
    for level, sectors in SECTORS.items():
        keep |= (communes["level"] == level) & communes["sector"].isin(sectors)
    frame = communes[keep].merge(units[["commune_code", "epci", "dep"]], on="commune_code",
                                 how="left", validate="many_to_one")  # fmt: skip
    jobs, secret = [f"y{y}" for y in years], [f"s{y}" for y in years]
    out = {}
    for area, key in (("commune", "commune_code"), ("epci", "epci"), ("departement", "dep")):
        sums = frame.groupby([key, "level", "sector"], sort=True)[jobs + secret].sum().reset_index()
        sums = sums.rename(columns={key: "code"})
        parts = []
        for measure, cols in ((JOBS, jobs), (SECRET, secret)):
            part = sums[(sums[cols] > 0).any(axis=1)]
            part = part[["code", "level", "sector", *cols]].astype({c: "int64" for c in cols})
            part.columns = pd.Index(["code", "level", "sector", *(str(y) for y in years)])
            parts.append(part.assign(measure=measure))
        table = pd.concat(parts).sort_values(["code", "level", "sector", "measure"])
        out[area] = table[["code", "level", "sector", "measure", *(str(y) for y in years)]].reset_index(drop=True)
    return out


def load_area_employment(import_dir: Path, communes_2024: pd.DataFrame) -> dict[str, AreaEmployment]:
    """The area tables of an import, by level; empty if the import predates them."""
    from cartohdf.data._imports_store import damaged, read_import_file

    if not all((import_dir / name).is_file() for name in AREA_FILES.values()):
        return {}
    out = {}
    for area, name in AREA_FILES.items():
        path = import_dir / name
        text = read_import_file(path)
        try:
            out[area] = read_area_table(text, path, area, area_units(area, communes_2024))
        except InputError as exc:
            raise damaged(exc) from None
        except (ValueError, TypeError, OverflowError):  # unparsable, or a count beyond int64
            raise InputError("err.csv_unreadable", file=path, expected="exp.run_import") from None
    return out
