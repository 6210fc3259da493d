"""Levels below the zone: an import's commune, EPCI and département tables, and their outlines.

The synthetic file has the format sample's layout (its 53 columns, `;`, BOM, CRLF) with
communes of the région's 2024 geography, rows elsewhere in France, withheld cells (an
establishment, no published jobs) and explicit zeros.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pandas as pd
import pytest
import shapely

from cartohdf.core import INDUSTRIAL_A38, InputError, paths
from cartohdf.data import (
    AREAS,
    import_urssaf,
    load_dataset_from,
    load_level_outlines,
    with_employment_import,
)
from cartohdf.data._imports import aggregate, aggregate_pandas, read_header

SAMPLE = paths.DEFAULT_RAW_DIR / "emploi" / "format_sample" / "urssaf_commune_x_ape_rouen_extract.csv"
SECTORS = [("GS1 Industrie", "CH Métallurgie"), ("GS1 Industrie", "CA Industries alimentaires"),
           ("GS1 Industrie", "DZ Électricité"), ("GS2 Construction", "FZ Construction"),
           ("GS3 Commerce", "GZ Commerce"), ("GS6 Intérim", "NZ Services administratifs"),
           ("GS7 Services non marchands", "QB Action sociale")]  # fmt: skip


def sample_header() -> list[str]:
    if not SAMPLE.is_file():
        pytest.skip("format sample not present")
    return SAMPLE.read_text(encoding="utf-8-sig").splitlines()[0].split(";")


def write_file(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    frame = pd.DataFrame([{**dict.fromkeys(header, ""), **r} for r in rows], columns=header)
    body = frame.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + body)


def row(code: str, sector: tuple[str, str], cells: dict[int, tuple[str, str]]) -> dict[str, str]:
    """One commune x APE row: `cells` year -> (establishments, jobs)."""
    out = {"Code commune": code, "Code département": code[:2], "Grand secteur d'activité": sector[0],
           "Secteur NA38": sector[1], "Code zone d'emploi": "9999"}  # fmt: skip
    for year, (est, jobs) in cells.items():
        out[f"Nombre d'établissements {year}"] = est
        out[f"Effectifs salariés {year}"] = jobs
    return out


def generated_rows(communes: list[str], header: list[str], n: int = 3000, seed: int = 3) -> list[dict[str, str]]:
    rng = random.Random(seed)
    years = [int(h.rsplit(" ", 1)[1]) for h in header if h.startswith("Effectifs salariés")]
    rows = []
    for i in range(n):
        code = rng.choice(communes) if i % 7 else rng.choice(["76540", "13055", "75056"])
        cells = {}
        for y in years:
            draw = rng.random()
            if draw < 0.25:
                continue  # no establishment that year
            est = str(rng.randint(1, 4))
            cells[y] = (est, "" if draw < 0.30 else "0" if draw < 0.35 else str(rng.randint(1, 900)))
        rows.append(row(code, rng.choice(SECTORS), cells))
    return rows


@pytest.fixture(scope="module")
def imported(tmp_path_factory, data):
    header = sample_header()
    folder = tmp_path_factory.mktemp("levels")
    source = folder / "national.csv"
    write_file(source, generated_rows(list(data.communes_2024["commune_code"]), header), header)
    target, summary = import_urssaf(source, data.communes, folder / "imports")
    return source, target, summary, with_employment_import(data, target)


@pytest.mark.raw
def test_commune_epci_and_departement_tables_add_up_exactly_to_the_zone_tables(imported, data):
    _, _, summary, view = imported
    assert set(view.areas) == set(AREAS) and summary.withheld_cells_region > 0
    units = data.communes_2024.set_index("commune_code")
    for zoning in ("ze2010", "ze2020"):
        zones = view.employment[zoning].jobs
        for year in summary.years:
            for level, sector in [("a5", s) for s in ("BE", "FZ", "GU", "OQ")] + [("a38", s) for s in INDUSTRIAL_A38]:
                rows = zones[(zones["year"] == year) & (zones["level"] == level) & (zones["sector"] == sector)]
                by_zone = rows.set_index("zone_code")["jobs"]
                communes = view.areas["commune"].sector_jobs(level, sector, year)
                summed = communes.groupby(units.loc[communes.index, zoning]).sum()
                # every zone, exactly (a zone with no row in the zone table has no job)
                assert summed.reindex(by_zone.index, fill_value=0).tolist() == by_zone.tolist()
                assert summed[~summed.index.isin(by_zone.index)].eq(0).all()
                total = int(by_zone.sum())
                for area in ("epci", "departement"):
                    assert int(view.areas[area].sector_jobs(level, sector, year).sum()) == total


@pytest.mark.raw
def test_both_engines_give_the_same_area_tables(imported, data):
    source, _, _, _ = imported
    arrow, summary_a = aggregate(source, data.communes)
    pandas_, summary_p = aggregate_pandas(source, read_header(source), data.communes)
    for area in AREAS:
        pd.testing.assert_frame_equal(arrow[area], pandas_[area], check_dtype=False)
    assert summary_a.withheld_cells_region == summary_p.withheld_cells_region > 0


@pytest.mark.raw
def test_withheld_and_zero_job_communes_are_kept_as_such(tmp_path, data):
    header = sample_header()
    metal, commerce = SECTORS[0], SECTORS[4]
    rows = [row("59350", metal, {2019: ("1", ""), 2020: ("1", "40")}),  # 2019 withheld
            row("59350", metal, {2019: ("2", "25")}),  # published beside it: a lower bound
            row("80021", metal, {2019: ("1", "0")}),  # an establishment, no salaried job
            row("62041", commerce, {2019: ("3", "17")}),  # jobs in another sector only
            row("02408", metal, {2019: ("1", "120")})]  # fmt: skip
    source = tmp_path / "few.csv"
    write_file(source, rows, header)
    target, summary = import_urssaf(source, data.communes, tmp_path / "imports")
    assert summary.withheld_cells_region == 1
    communes = with_employment_import(data, target).areas["commune"]
    status = communes.status("a5", "BE", 2019)
    assert status["59350"] == "secret" and communes.sector_jobs("a5", "BE", 2019)["59350"] == 25
    assert status["80021"] == "zero" and status["62041"] == "zero" and status["60057"] == "zero"
    assert status["02408"] == "value" and communes.sector_jobs("a38", "CH", 2019)["02408"] == 120
    assert communes.status("a5", "BE", 2020)["59350"] == "value"
    assert communes.status("a5", "TT", 2019)["62041"] == "value"
    assert len(status) == len(data.communes_2024)  # every commune has a status, none is missing
    epci = with_employment_import(data, target).areas["epci"]
    lille = data.communes_2024.set_index("commune_code").loc["59350", "epci"]
    assert epci.withheld_cells("a5", "BE", 2019)[lille] == 1 and epci.status("a5", "BE", 2019)[lille] == "secret"
    departements = with_employment_import(data, target).areas["departement"]
    assert departements.sector_jobs("a5", "BE", 2019).to_dict() == {"02": 120, "59": 25, "60": 0, "62": 0, "80": 0}


@pytest.mark.raw
def test_a_former_commune_code_is_carried_to_its_2024_commune(tmp_path, data):
    header = sample_header()
    rows = [row("02301", SECTORS[0], {2019: ("1", "30")}), row("02018", SECTORS[0], {2019: ("1", "12")})]
    source = tmp_path / "old_codes.csv"
    write_file(source, rows, header)
    target, summary = import_urssaf(source, data.communes, tmp_path / "imports")
    assert summary.communes_carried_forward == {"02301": "02018"}
    assert json.loads((target / "meta.json").read_text())["communes_carried_forward"] == {"02301": "02018"}
    communes = with_employment_import(data, target).areas["commune"]
    assert communes.sector_jobs("a5", "BE", 2019)["02018"] == 42 and "02301" not in communes.codes


@pytest.mark.raw
def test_an_import_without_area_tables_still_loads_and_a_damaged_one_is_refused(imported, data, tmp_path):
    _, target, _, _ = imported
    old = tmp_path / "old"
    old.mkdir()
    for f in target.iterdir():
        if not f.name.startswith("employment_") or f.name.endswith(("ze2010.csv", "ze2020.csv")):
            (old / f.name).write_bytes(f.read_bytes())
    assert with_employment_import(data, old).areas == {}
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for f in target.iterdir():
        (damaged / f.name).write_bytes(f.read_bytes())
    text = (damaged / "employment_epci.csv").read_text().splitlines()
    text[1] = "123," + text[1].split(",", 1)[1]
    (damaged / "employment_epci.csv").write_text("\n".join(text) + "\n")
    with pytest.raises(InputError) as err:
        with_employment_import(data, damaged)
    assert err.value.row == 2 and err.value.column == "code" and "import-urssaf" in err.value.message("fr")


def test_outlines_of_each_level_cover_the_region_without_gaps_or_overlaps(data):
    region = shapely.union_all(data.region.geometry.values)
    counts = {"commune": len(data.communes_2024), "epci": len(data.epci), "departement": 5}
    for area in AREAS:
        outlines = load_level_outlines(area)
        assert len(outlines) == counts[area] and outlines.crs.to_epsg() == 4326
        assert outlines["code"].is_monotonic_increasing and outlines.geometry.is_valid.all()
        assert shapely.coverage_is_valid(outlines.geometry.values)  # no overlap between units
        union = shapely.union_all(outlines.geometry.values)
        # the same communes as the région outline, simplified apart: within 0.5 % of its area
        assert union.symmetric_difference(region).area < 0.005 * region.area
        holes = [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
        assert all(h.area < 1e-6 for h in holes)  # no gap inside the région (under ~1 ha)
    assert set(load_level_outlines("commune")["code"]) == set(data.communes_2024["commune_code"])
    assert set(load_level_outlines("epci")["code"]) == set(data.epci["epci"])


def test_outlines_are_not_read_with_the_dataset(monkeypatch):
    import geopandas

    read: list[str] = []
    real = geopandas.read_file
    monkeypatch.setattr(geopandas, "read_file", lambda path, *a, **k: read.append(Path(path).name) or real(path, *a, **k))
    data = load_dataset_from(paths.ROOT)
    assert "zones_ze2020.geojson" in read and not any(name.endswith("_2024.geojson") for name in read)
    assert data.areas == {} and len(data.communes_2024) == 3788 and len(data.epci) == 92
    with pytest.raises(InputError):
        load_level_outlines("canton")


def test_the_import_command_loads_neither_geopandas_nor_the_dataset():
    """`cartohdf import-urssaf`'s start-up counts in its time: it imports what it uses only."""
    import subprocess
    import sys

    code = ("import sys; from cartohdf.front.cli import main; from cartohdf.data import import_urssaf, load_communes;"
            " import cartohdf.data._imports_arrow; print(sorted(m for m in ('geopandas', 'shapely', 'pyproj',"
            " 'cartohdf.data._dataset', 'cartohdf.data._study') if m in sys.modules))")  # fmt: skip
    env = {"PYTHONPATH": str(paths.PACKAGE_DIR.parent), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "[]"
