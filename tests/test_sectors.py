"""Industrial A38 sectors of the ZE2020 zones (issue 21, « Secteurs »): the built table equals a
recomputation from the raw pivot for every zone, sector and year; the build refuses raw files
that disagree with themselves; the loader refuses a damaged table naming file, line, column and
value; the sector functions on known zones."""

from __future__ import annotations

import csv
import dataclasses
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cartohdf.build.geometry import load_communes
from cartohdf.build.sectors import SECTOR_FILE, sector_table, write_sector_table
from cartohdf.core import FRANCE, INDUSTRIAL_A38, InputError, StateError, paths
from cartohdf.data import REGION_SUM, load_sector_table
from cartohdf.indicators import (
    COMPARISON_COLUMNS,
    SECTOR_COLUMNS,
    indicator_set,
    sector_label,
    sector_reference_values,
    sector_values,
    study_comparison_note,
    study_sector_comparison,
    top_specialisations,
)
from cartohdf.indicators import (
    sector_table as zone_sectors,
)

URSSAF = Path("emploi") / "urssaf_ze2020"
YEARS = {"eff_19": 2019, "eff_22": 2022, "eff_23": 2023, "eff_24": 2024}
FLOAT_TOLERANCE = 5e-11 + 1e-15  # the file keeps 10 decimals


# -- the built table against the raw pivot ------------------------------------------------------


def _raw_cells(raw_dir: Path) -> tuple[dict, dict]:
    """(zone, a38, year) -> jobs for every filled cell; (zone, year) -> total of the A5 sectors.
    Read with the csv module, cell by cell: nothing shared with the build's pandas code."""
    cells: dict[tuple[str, str, int], float] = {}
    with open(raw_dir / URSSAF / "exdeco_pivot_urssaf_a38.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for col, year in YEARS.items():
                if row[col] != "":
                    cells[(row["code_ze"], row["a38"], year)] = float(row[col])
    totals: dict[tuple[str, int], float] = {}
    with open(raw_dir / URSSAF / "exdeco_pivot_urssaf_a5.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for col, year in YEARS.items():
                key = (row["code_ze"], year)
                totals[key] = totals.get(key, 0.0) + (float(row[col]) if row[col] else 0.0)
    return cells, totals


@pytest.mark.raw
def test_every_zone_sector_and_year_equals_a_recomputation_from_the_raw_pivot(data, raw_dir):
    cells, totals = _raw_cells(raw_dir)
    zones = list(data.zones["ze2020"]["code"])
    every_zone = sorted({z for z, _ in totals})
    areas = {z: [z] for z in zones} | {REGION_SUM: data.regional_zones("ze2020"), FRANCE: every_zone}

    def jobs(area: str, sector: str, year: int) -> float:
        return sum(cells.get((z, sector, year), 0.0) for z in areas[area])

    def share(area: str, sector: str, year: int) -> float:
        return jobs(area, sector, year) / sum(totals[(z, year)] for z in areas[area])

    built = data.sectors.set_index(["zone_code", "sector", "year"])
    assert len(built) == len(areas) * len(INDUSTRIAL_A38) * len(YEARS) == 26 * 16 * 4
    for area in areas:
        for sector in INDUSTRIAL_A38:
            for year in YEARS.values():
                row = built.loc[(area, sector, year)]
                here = (area, sector, year)
                assert row["jobs"] == jobs(*here), here
                present = any((z, sector, year) in cells for z in areas[area])
                assert bool(row["in_source"]) is present, here
                assert row["total_jobs"] == sum(totals[(z, year)] for z in areas[area]), here
                assert abs(row["share"] - share(*here)) <= FLOAT_TOLERANCE, here
                spec = share(*here) / share(FRANCE, sector, year)
                assert abs(row["specialisation"] - spec) <= FLOAT_TOLERANCE, here
                base = jobs(area, sector, 2019)
                assert row["base_year"] == 2019
                assert row["change_jobs"] == jobs(*here) - base, here
                if base == 0:
                    assert math.isnan(row["change"]), here
                else:
                    assert abs(row["change"] - (jobs(*here) / base - 1)) <= FLOAT_TOLERANCE, here


@pytest.mark.raw
def test_the_sector_table_is_rebuilt_byte_for_byte(raw_dir, tmp_path):
    communes = load_communes(raw_dir).frame
    for out in (tmp_path / "a", tmp_path / "b"):
        out.mkdir()
        assert write_sector_table(raw_dir, communes, out) == 1664
    first = (tmp_path / "a" / SECTOR_FILE).read_bytes()
    assert first == (tmp_path / "b" / SECTOR_FILE).read_bytes()
    assert first == (paths.DATA_DIR / SECTOR_FILE).read_bytes()


def _raw_copy(raw_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "raw" / URSSAF
    folder.mkdir(parents=True)
    for name in ("exdeco_pivot_urssaf_a38.csv", "exdeco_pivot_urssaf_a5.csv"):
        shutil.copy(raw_dir / URSSAF / name, folder / name)
    return tmp_path / "raw"


def _edit_raw(raw: Path, name: str, zone: str, sector_col: str, sector: str, col: str, value: str) -> None:
    path = raw / URSSAF / name
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[(df["code_ze"] == zone) & (df[sector_col] == sector), col] = value
    df.to_csv(path, index=False)


ZONES = [f"32{i:02d}" for i in range(1, 23)] + ["0054", "0058"]


@pytest.mark.raw
def test_the_build_refuses_a38_sectors_that_do_not_add_up_to_the_a5_total(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path)
    _edit_raw(raw, "exdeco_pivot_urssaf_a5.csv", "3218", "a5", "BE", "eff_22", "1")
    with pytest.raises(InputError) as err:
        sector_table(raw, ZONES, ZONES[:22])
    assert err.value.problem == "err.sector_total" and err.value.value == "3218 2022"


@pytest.mark.raw
def test_the_build_refuses_counts_that_disagree_with_the_published_share(raw_dir, tmp_path):
    raw = _raw_copy(raw_dir, tmp_path)
    # moving 100 jobs from one sector to another keeps every total: only the published 2024
    # share, change and index of the zone can tell
    path = raw / URSSAF / "exdeco_pivot_urssaf_a38.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for sector, delta in (("CH", 100), ("GZ", -100)):
        at = (df["code_ze"] == "3209") & (df["a38"] == sector)
        df.loc[at, "eff_24"] = str(float(df.loc[at, "eff_24"].iloc[0]) + delta)
    df.to_csv(path, index=False)
    with pytest.raises(InputError) as err:
        sector_table(raw, ZONES, ZONES[:22])
    assert err.value.problem == "err.published_mismatch"
    assert err.value.column == "pct_24" and str(err.value.value).startswith("3209 CH")


# -- the loader refuses a damaged table ---------------------------------------------------------


def _damaged(tmp_path: Path, edit) -> Path:
    df = pd.read_csv(paths.DATA_DIR / SECTOR_FILE, dtype=str, keep_default_na=False)
    df = edit(df)
    df.to_csv(tmp_path / SECTOR_FILE, index=False, lineterminator="\n")
    return tmp_path


def _set(row: int, column: str, value: str):
    def edit(df: pd.DataFrame) -> pd.DataFrame:
        df.loc[row, column] = value
        return df

    return edit


@pytest.mark.parametrize(
    ("edit", "problem", "line", "column", "value"),
    [
        (_set(5, "jobs", "12a"), "err.invalid_value", 7, "jobs", "12a"),
        (_set(9, "sector", "GZ"), "err.invalid_value", 11, "sector", "GZ"),
        (_set(3, "zone_code", "9999"), "err.unknown_zone_code", 5, "zone_code", "9999"),
        (_set(0, "year", ""), "err.empty_cell", 2, "year", None),
        (_set(40, "share", "0.5"), "err.invalid_value", 42, "share", 0.5),
        (_set(6, "base_year", "2022"), "err.invalid_value", 8, "base_year", 2022),
        (_set(7, "jobs", "99999999"), "err.invalid_value", 9, "jobs", 99999999),
        (_set(8, "in_source", "yes"), "err.invalid_value", 10, "in_source", "yes"),
        (lambda df: pd.concat([df, df.iloc[[12]]]), "err.duplicate_key", 1666, "zone_code+sector+year", None),
        (lambda df: df.drop(index=20), "err.sector_row_missing", None, "zone_code+sector+year", "0054 / CE / 2019"),
        (lambda df: df.drop(columns="specialisation"), "err.missing_column", None, "specialisation", None),
        (lambda df: df[df["zone_code"] != REGION_SUM], "err.zone_missing_in", None, None, ["REG"]),
    ],
)  # fmt: skip
def test_the_loader_names_file_line_column_and_value(tmp_path, data, edit, problem, line, column, value):
    folder = _damaged(tmp_path, edit)
    with pytest.raises(InputError) as err:
        load_sector_table(folder, list(data.zones["ze2020"]["code"]))
    e = err.value
    assert (e.problem, e.row, e.column) == (problem, line, column)
    assert Path(e.file).name == SECTOR_FILE and SECTOR_FILE in e.message("en")
    if value is not None:
        assert e.value == value
    if e.expected:
        assert "; expected: " in e.message("en")


def test_the_committed_table_loads_and_a_zone_of_another_zoning_is_refused(data):
    table = load_sector_table()
    pd.testing.assert_frame_equal(table, data.sectors)
    with pytest.raises(InputError) as err:
        load_sector_table(zone_codes=list(data.zones["ze2020"]["code"])[:-1])  # 3222 unknown
    assert err.value.problem == "err.unknown_zone_code" and err.value.value == "3222"


# -- the table agrees with the rest of the data -------------------------------------------------


def test_jobs_are_the_urssaf_table_and_indices_the_regional_indicators(data):
    urssaf = data.employment["ze2020"]
    a38 = pd.concat([urssaf.jobs, urssaf.reference])
    a38 = a38[(a38["level"] == "a38") & a38["sector"].isin(INDUSTRIAL_A38)]
    known = a38.set_index(["zone_code", "sector", "year"])["jobs"]
    table = data.sectors[data.sectors["zone_code"] != REGION_SUM]
    mine = table.set_index(["zone_code", "sector", "year"])["jobs"]
    assert known.sort_index().equals(mine[mine.index.isin(known.index)].sort_index())
    assert (mine[~mine.index.isin(known.index)] == 0).all()  # absent rows are 0 jobs in both
    iset = indicator_set(data, "ze2020")
    for sector in ("CH", "CG", "CB"):
        for year in (2019, 2024):
            expected = iset.values(f"specialisation_{sector.lower()}", year)
            got = sector_values(data, sector, "specialisation", year)
            assert (got - expected.reindex(got.index)).abs().max() < 1e-6
            region = sector_reference_values(data, sector, "specialisation", year)["REG"]
            assert abs(region - iset.region_value(f"specialisation_{sector.lower()}", year)) < 1e-6


def test_region_rows_are_the_sum_of_the_zones_wholly_in_the_region(data):
    s = data.sectors
    regional = s[s["zone_code"].isin(data.regional_zones("ze2020"))]
    summed = regional.groupby(["sector", "year"], as_index=False)[["jobs", "total_jobs"]].sum()
    reg = s[s["zone_code"] == REGION_SUM][["sector", "year", "jobs", "total_jobs"]]
    assert summed.to_numpy().tolist() == reg.to_numpy().tolist()
    assert set(data.regional_zones("ze2020")) == {f"32{i:02d}" for i in range(1, 23)}


def test_figures_stated_in_the_provenance_notes(data):
    """PROVENANCE.md (urssaf_ze2020) gives France's 2019 total and four sectors' 2019 jobs,
    summed over the 22 regional zones / with the whole 0054 and 0058."""
    s = data.sectors.set_index(["zone_code", "sector", "year"])
    assert s.loc[(FRANCE, "CH", 2019), "total_jobs"] == 18_748_962
    zones = data.sectors[~data.sectors["zone_code"].isin([REGION_SUM, FRANCE])]
    whole = zones[zones["year"] == 2019].groupby("sector")["jobs"].sum()
    for sector, regional, with_whole in (("CH", 36_411, 42_379), ("CG", 26_560, 34_159),
                                         ("CL", 32_262, 35_821), ("CB", 10_577, 10_659)):  # fmt: skip
        assert s.loc[(REGION_SUM, sector, 2019), "jobs"] == regional
        assert whole[sector] == with_whole


# -- the functions the views call ---------------------------------------------------------------


def test_sector_table_of_a_zone(data):
    table = zone_sectors(data, "3218")
    assert list(table.columns) == list(SECTOR_COLUMNS)
    assert list(table["sector"]) == list(INDUSTRIAL_A38)
    assert set(table["year"]) == {2024} and set(table["base_year"]) == {2019}
    cd = table.set_index("sector").loc["CD"]  # no coke and refining in the source: 0, flagged
    assert cd["jobs"] == 0 and not cd["in_source"] and math.isnan(cd["change"])
    fr = zone_sectors(data, FRANCE, 2022)
    assert (fr["specialisation"] - 1).abs().max() < 1e-9
    assert (fr["share"] == fr["france_share"]).all()
    reg = zone_sectors(data, REGION_SUM)
    assert (reg["share"] == table["region_share"]).all()


def test_top_specialisations_of_dunkerque_and_the_vimeu(data):
    """The study names Dunkerque and the Vimeu / Vallées de la Bresle among the metallurgy
    zones, the Vimeu also for rubber and plastics (Beauvais, Saint-Omer…)."""
    top = top_specialisations(data, "3213")
    table = zone_sectors(data, "3213")
    assert len(top) == 5 and top["sector"].iloc[0] == "CH"
    assert list(top["specialisation"]) == sorted(table["specialisation"], reverse=True)[:5]
    assert set(top_specialisations(data, "0058", n=2)["sector"]) == {"CG", "CH"}
    assert top_specialisations(data, "0058", n=2, year=2019)["year"].eq(2019).all()
    big = top_specialisations(data, "3217", min_jobs=1000)
    assert "BZ" in set(top_specialisations(data, "3217")["sector"])  # 276 jobs, index 6.0
    assert (big["jobs"] >= 1000).all() and "BZ" not in set(big["sector"])


def test_sector_values_map_every_zone(data):
    values = sector_values(data, "CH", "specialisation", 2024)
    assert list(values.index) == sorted(data.zones["ze2020"]["code"])
    assert values.idxmax() == "0058"
    jobs = sector_values(data, "CL", "jobs", 2019)
    change = sector_values(data, "CL", "change", 2024)
    later = sector_values(data, "CL", "jobs", 2024)
    ok = jobs > 0
    assert ((later[ok] / jobs[ok] - 1) - change[ok]).abs().max() < 1e-6


@pytest.mark.parametrize(
    ("sector", "measure", "year", "name"),
    [("GZ", "jobs", 2024, "sector"), ("CH", "index", 2024, "measure"), ("CH", "jobs", 2020, None)],
)
def test_sector_values_refuse_what_the_table_does_not_hold(data, sector, measure, year, name):
    with pytest.raises(StateError) as err:
        sector_values(data, sector, measure, year)
    assert err.value.params.get("name") == name
    with pytest.raises(StateError):
        zone_sectors(data, "2203")  # a ZE2010 code


def test_the_study_named_losses_beside_the_open_data(data):
    table = study_sector_comparison(data)
    assert list(table.columns) == list(COMPARISON_COLUMNS)
    losses = table[table["trend"] == "loss"]
    assert list(zip(losses["a38_codes"], losses["study_change_jobs"], strict=True)) == [
        ("CH", -15_600), ("CG", -12_700), ("CL", -12_000), ("CB", -8_600), ("CC", -7_400)
    ]
    assert list(table.loc[table["trend"] == "gain", "a38_codes"]) == ["CF", "CI"]
    s = data.sectors.set_index(["zone_code", "sector", "year"])["jobs"]
    for _, row in table.iterrows():
        code = row["a38_codes"]
        assert row["open_jobs_base"] == s[(REGION_SUM, code, 2019)]
        assert row["open_change_jobs"] == s[(REGION_SUM, code, 2024)] - s[(REGION_SUM, code, 2019)]
    for lang in ("fr", "en"):
        note = study_comparison_note(data, lang)
        assert "22" in note and "2019-2024" in note and "2007-2017" in note and "ACOSS" in note


def test_sector_labels_are_the_publishers_in_french(data):
    labels = data.sector_labels[data.sector_labels["level"] == "a38"].set_index("sector")
    for code in INDUSTRIAL_A38:
        assert sector_label(code, "fr") == labels.loc[code, "label_fr"]
        assert sector_label(code, "en") and sector_label(code, "en") != code


def test_changes_from_another_base_year_are_computed_from_the_jobs(data):
    jobs22 = sector_values(data, "CG", "jobs", 2022)
    jobs24 = sector_values(data, "CG", "jobs", 2024)
    change = sector_values(data, "CG", "change", 2024, base_year=2022)
    ok = jobs22 > 0
    assert ((jobs24[ok] / jobs22[ok] - 1) - change[ok]).abs().max() < 1e-12
    assert change[~ok].isna().all()
    diff = sector_values(data, "CG", "change_jobs", 2024, base_year=2022)
    assert (diff == jobs24 - jobs22).all()
    ref = sector_reference_values(data, "CG", "change_jobs", 2024, base_year=2022)
    s = data.sectors.set_index(["zone_code", "sector", "year"])["jobs"]
    assert ref == {a: float(s[(a, "CG", 2024)] - s[(a, "CG", 2022)]) for a in (REGION_SUM, FRANCE)}
    same = sector_values(data, "CG", "change", 2024, base_year=2019)
    assert same.equals(sector_values(data, "CG", "change", 2024))
    with pytest.raises(StateError) as err:
        sector_values(data, "CG", "change", 2022, base_year=2024)
    assert err.value.key == "state.period_order"


def test_a_dataset_without_a_sector_table_says_so(data):
    empty = dataclasses.replace(data, sectors=pd.DataFrame())
    for call in (lambda: zone_sectors(empty, "3218"), lambda: study_sector_comparison(empty),
                 lambda: sector_values(empty, "CH", "jobs", 2024)):  # fmt: skip
        with pytest.raises(StateError) as err:
            call()
        assert err.value.key == "state.no_sectors" and "build-data" in err.value.message("en")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from([f"32{i:02d}" for i in range(1, 23)] + ["0054", "0058", REGION_SUM]),
    year=st.sampled_from([2019, 2022, 2023, 2024]),
)
def test_shares_are_fractions_and_indices_are_share_ratios(data, zone, year):
    table = zone_sectors(data, zone, year)
    assert len(table) == 16
    assert ((table["share"] >= 0) & (table["share"] <= 1)).all()
    assert table["share"].sum() <= 1
    ratio = table["share"] / table["france_share"]
    assert ((table["specialisation"] - ratio).abs() <= 1e-4 * ratio + 1e-9).all()
    assert (table.loc[~table["in_source"], "jobs"] == 0).all()
