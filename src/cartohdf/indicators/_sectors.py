"""Industrial A38 sectors of the ZE2020 zones: a zone's sector mix, its strongest
specialisations, one sector's values per zone (for a sector map), and the study's named
sector changes 2007-2017 beside what the open data say for 2019-2024.

Everything reads ``Dataset.sectors`` (the built-in URSSAF table, checked at load), whatever
the view's employment source: an URSSAF import has no pre-computed sector table. Shares,
changes and indices are fractions and ratios (0.026 = 2.6 %), formatted at display time.
"""

from __future__ import annotations

import pandas as pd

from cartohdf.core import FRANCE, INDUSTRIAL_A38, StateError, memo, t
from cartohdf.data import REGION_SUM, Dataset

SECTOR_MEASURES = ("jobs", "share", "change_jobs", "change", "specialisation", "industry_share")
SECTOR_COLUMNS = ("sector", "jobs", "in_source", "share", "change_jobs", "change",
                  "specialisation", "region_share", "france_share", "base_year", "year")  # fmt: skip
COMPARISON_COLUMNS = ("sector_id", "label_fr", "label_en", "a38_codes", "trend",
                      "study_change_jobs", "base_year", "year", "open_jobs_base", "open_jobs",
                      "open_change_jobs", "open_change", "open_change_jobs_whole_zones",
                      "source")  # fmt: skip


def sector_label(sector: str, lang: str) -> str:
    """An A38 sector's short label (French: as the URSSAF aggregation words it)."""
    _check_choice("sector", sector, INDUSTRIAL_A38)
    return t(f"a38.{sector}", lang)


def sector_years(data: Dataset) -> list[int]:
    """The years of the sector table (URSSAF: 2019, 2022, 2023, 2024).

    Raises
    ------
    StateError
        If the dataset has no sector table.
    """
    return sorted({year for _, year in _blocks(data)})


@memo.derived
def _blocks(data: Dataset) -> dict[tuple[str, int], pd.DataFrame]:
    """(area, year) -> its 16 rows indexed by sector in code order, split once per dataset (a
    profile then reads three blocks instead of filtering the whole table three times)."""
    if data.sectors.empty:
        raise StateError("state.no_sectors")
    return {(str(area), int(str(year))): rows.set_index("sector").reindex(list(INDUSTRIAL_A38))
            for (area, year), rows in data.sectors.groupby(["zone_code", "year"], sort=True)}  # fmt: skip


def _year(data: Dataset, year: int | None) -> int:
    years = sector_years(data)
    if year is None:
        return years[-1]
    if year not in years:
        raise StateError("state.year_absent", year=year, years=years)
    return year


def _area_rows(data: Dataset, area: str, year: int) -> pd.DataFrame:
    blocks = _blocks(data)
    if (area, year) not in blocks:
        allowed = sorted({a for a, _ in blocks})
        raise StateError("state.unknown_zone", value=area, zoning="ze2020", allowed=allowed)
    return blocks[(area, year)]


def sector_table(data: Dataset, zone: str, year: int | None = None) -> pd.DataFrame:
    """The industrial sectors of one ZE2020 zone (or ``REG`` / ``FR``) in `year` (default: the
    last), one row per A38 sector in code order.

    Columns: ``sector``, ``jobs``, ``in_source`` (False: the source cell was empty, counted as
    0 jobs), ``share`` (of the zone's private salaried jobs), ``change_jobs`` and ``change``
    (since ``base_year``, the table's first year; ``change`` is NaN when the sector had no
    jobs then), ``specialisation`` (share / France's share), ``region_share`` (the zones wholly
    in the région), ``france_share``, ``base_year``, ``year``.

    Raises
    ------
    StateError
        For a zone or a year the table does not hold.
    """
    y = _year(data, year)
    rows = _area_rows(data, zone, y)
    out = rows[["jobs", "in_source", "share", "change_jobs", "change", "specialisation"]].copy()
    out["region_share"] = _area_rows(data, REGION_SUM, y)["share"]
    out["france_share"] = _area_rows(data, FRANCE, y)["share"]
    out["base_year"] = rows["base_year"]
    out["year"] = y
    return out.rename_axis("sector").reset_index()[list(SECTOR_COLUMNS)]


def top_specialisations(
    data: Dataset, zone: str, n: int = 5, year: int | None = None, min_jobs: int = 1
) -> pd.DataFrame:
    """The `n` sectors of `zone` with the highest specialisation index in `year` (default: the
    last), among those with at least `min_jobs` jobs; ties go to the lower A38 code. Same
    columns as :func:`sector_table`, strongest first."""
    table = sector_table(data, zone, year)
    kept = table[table["jobs"] >= min_jobs]
    ranked = kept.sort_values(["specialisation", "sector"], ascending=[False, True], kind="stable")
    return ranked.head(max(n, 0)).reset_index(drop=True)


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise StateError("state.unknown_choice", name=name, value=value, allowed=list(allowed))


def _by_area(data: Dataset, sector: str, measure: str, year: int,
             base_year: int | None) -> pd.Series:  # fmt: skip
    """`measure` of one sector in `year` for every area (zones, REG, FR), index area code."""
    if data.sectors.empty:
        raise StateError("state.no_sectors")
    return sector_measure(data.sectors, sector, measure, year, base_year)


def sector_measure(table: pd.DataFrame, sector: str, measure: str, year: int,
                   base_year: int | None = None) -> pd.Series:  # fmt: skip
    """`measure` of one sector in `year` for every area of a sector table (the zones, ``REG``,
    ``FR``; index: area code, sorted): a column of :func:`sector_measures`.

    Raises
    ------
    StateError
        For an unknown sector, measure or year, or a base year not before `year`.
    """
    _check_choice("sector", sector, INDUSTRIAL_A38)
    return sector_measures(table, measure, year, base_year)[sector].rename(measure)


def sector_measures(table: pd.DataFrame, measure: str, year: int,
                    base_year: int | None = None) -> pd.DataFrame:  # fmt: skip
    """`measure` of every industrial sector in `year` for every area of a sector table: rows
    area codes (sorted), columns sectors in code order, read from the table's own columns;
    ``industry_share`` is a sector's jobs / the area's jobs in the 16 industrial sectors
    that year (the table's ``share`` is of all private salaried jobs); changes from another
    `base_year` than the table's are computed from the jobs. One pass for the 16 sectors.

    Raises
    ------
    StateError
        For an unknown measure or year, or a base year not before `year`.
    """
    _check_choice("measure", measure, SECTOR_MEASURES)
    years = sorted({int(y) for y in table["year"]})
    if year not in years:
        raise StateError("state.year_absent", year=year, years=years)
    at = table[table["year"] == year]

    def wide(rows: pd.DataFrame, column: str) -> pd.DataFrame:
        out = rows.pivot(index="zone_code", columns="sector", values=column).astype("float64")
        return out.reindex(columns=list(INDUSTRIAL_A38)).sort_index()

    if measure == "industry_share":
        jobs = wide(at, "jobs")
        return jobs.div(jobs.sum(axis=1).replace(0, float("nan")), axis=0)
    if measure not in ("change", "change_jobs") or base_year in (None, int(at["base_year"].iloc[0])):
        return wide(at, measure)
    if base_year not in years:
        raise StateError("state.year_absent", year=base_year, years=years)
    if base_year >= year:
        raise StateError("state.period_order", start=base_year, end=year)
    now, before = wide(at, "jobs"), wide(table[table["year"] == base_year], "jobs")
    if measure == "change_jobs":
        return now - before
    return now / before.replace(0, float("nan")) - 1


def sector_values(
    data: Dataset, sector: str, measure: str, year: int, base_year: int | None = None
) -> pd.Series:
    """One sector's `measure` for every zone of the région in `year` (index: zone code,
    sorted), for a sector map: ``jobs`` (circles), ``change`` / ``change_jobs`` (from
    `base_year`, by default the table's first year; NaN change where there were no jobs
    then) or ``specialisation`` / ``share`` (choropleth). The région and France values are
    given by :func:`sector_reference_values`; ``industry_share``: of the zone's industrial jobs.

    Raises
    ------
    StateError
        For an unknown sector, measure or year, or a base year not before `year`.
    """
    values = _by_area(data, sector, measure, year, base_year)
    return values.drop([REGION_SUM, FRANCE]).rename(measure)


def sector_reference_values(
    data: Dataset, sector: str, measure: str, year: int, base_year: int | None = None
) -> dict[str, float]:
    """The région (``REG``: the zones wholly in it) and France (``FR``) values of one sector's
    `measure` in `year` (changes from `base_year`), keyed by ``REG`` and ``FR``."""
    values = _by_area(data, sector, measure, year, base_year)
    return {area: float(values[area]) for area in (REGION_SUM, FRANCE)}


@memo.derived
def industry_shares(data: Dataset, year: int) -> pd.DataFrame:
    """Each area's (zones, ``REG``, ``FR``) share of its industrial jobs in each industrial
    A38 sector in `year`: rows area codes (sorted), columns sectors in code order; NaN for
    an area with no industrial jobs. Computed once per dataset and year."""
    if data.sectors.empty:
        raise StateError("state.no_sectors")
    return sector_measures(data.sectors, "industry_share", _year(data, year))


def study_sector_comparison(data: Dataset) -> pd.DataFrame:
    """The sectors the study names as losing or gaining jobs 2007-2017 (seed
    ``sector_figures.csv``; in the study's text, ``shared/seed/000_33ed9e8307b95f9d.txt``
    lines 51-57, the period on line 49) beside the open data's change from
    the sector table's first year to its last, for the matching A38 sector(s).

    Columns `COMPARISON_COLUMNS`: the study's wording (``label_fr``), our ``label_en`` and
    A38 mapping (``a38_codes``, ``;``-separated), ``trend`` (loss / gain), the study's
    ``study_change_jobs`` (NaN when it gives none), then ``open_*`` for the région (the zones
    wholly in it), ``open_change_jobs_whole_zones`` with the whole inter-regional zones
    added (they reach outside the région), and the seed's ``source`` citation. The
    two are not comparable as a series: see :func:`study_comparison_note`.
    """
    figures = data.study.sector_figures
    named = figures[figures["trend_2007_2017"].isin(["loss", "gain"])]
    years = sector_years(data)
    y0, y1 = years[0], years[-1]
    table = data.sectors
    zones = table[~table["zone_code"].isin([REGION_SUM, FRANCE])]
    rows = []
    for _, fig in named.iterrows():
        codes = [c for c in str(fig["a38_codes"]).split(";") if c]
        reg = table[(table["zone_code"] == REGION_SUM) & table["sector"].isin(codes)]
        whole = zones[zones["sector"].isin(codes)]
        base = int(reg.loc[reg["year"] == y0, "jobs"].sum())
        last = int(reg.loc[reg["year"] == y1, "jobs"].sum())
        rows.append({
            "sector_id": fig["sector_id"], "label_fr": fig["label_fr"], "label_en": fig["label_en"],
            "a38_codes": ";".join(codes), "trend": fig["trend_2007_2017"],
            "study_change_jobs": float(fig["change_2007_2017"]), "base_year": y0, "year": y1,
            "open_jobs_base": base, "open_jobs": last, "open_change_jobs": last - base,
            "open_change": last / base - 1 if base else float("nan"),
            "open_change_jobs_whole_zones": int(whole.loc[whole["year"] == y1, "jobs"].sum()
                                                - whole.loc[whole["year"] == y0, "jobs"].sum()),
            "source": fig["source"],
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def study_comparison_note(data: Dataset, lang: str) -> str:
    """The definitional difference between the study's sector changes and the open data's,
    in `lang` (from the text catalogue)."""
    years = sector_years(data)
    return t("sect.def.study_open", lang, n=len(data.regional_zones("ze2020")), y0=years[0],
             y1=years[-1])  # fmt: skip
