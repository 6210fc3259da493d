"""URSSAF commune x APE import: the real format sample and a generated HdF file, end to end."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cartohdf import data as sources
from cartohdf.core import InputError, paths
from cartohdf.data import import_urssaf, with_employment_import
from cartohdf.data._imports import aggregate
from cartohdf.front.cli import main
from cartohdf.indicators import indicator_set
from tests.conftest import export_html

SAMPLE = (
    paths.DEFAULT_RAW_DIR / "emploi" / "format_sample" / "urssaf_commune_x_ape_rouen_extract.csv"
)
SECTORS = [("GS1 Industrie", "CH Métallurgie"), ("GS1 Industrie", "CA Industries alimentaires"),
           ("GS2 Construction", "FZ Construction"), ("GS3 Commerce", "GZ Commerce"),
           ("GS6 Intérim", "NZ Services administratifs"), ("GS7 Services non marchands", "QB Action sociale")]  # fmt: skip


def sample_header() -> list[str]:
    if not SAMPLE.is_file():
        pytest.skip("format sample not present")
    return SAMPLE.read_text(encoding="utf-8-sig").splitlines()[0].split(";")


def write_generated(
    path: Path, communes: pd.DataFrame, header: list[str], n: int = 2000, seed: int = 1
) -> pd.DataFrame:
    """A file in the real layout: HdF communes, one unknown HdF code, rows outside the région."""
    rng = random.Random(seed)
    years = [int(h.rsplit(" ", 1)[1]) for h in header if h.startswith("Effectifs salariés")]
    codes = list(communes["commune_code"])
    rows = []
    for i in range(n):
        code = rng.choice(codes) if i % 50 else ("59999" if i % 100 == 0 else "76540")
        gs, na38 = rng.choice(SECTORS)
        row = dict.fromkeys(header, "")
        row.update({"Code commune": code, "Code département": code[:2], "Grand secteur d'activité": gs,
                    "Secteur NA38": na38, "Code zone d'emploi": "9999"})  # fmt: skip
        for y in years:
            if rng.random() < 0.8:
                row[f"Effectifs salariés {y}"] = str(rng.randint(0, 400))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=header)
    path.write_bytes(
        b"\xef\xbb\xbf" + frame.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8")
    )
    return frame


@pytest.mark.raw
def test_the_format_sample_totals_match_pandas_and_its_import_is_refused(tmp_path, data):
    tables, summary = aggregate(SAMPLE, data.communes)
    assert summary.rows == 9338 and summary.rows_region == 0 and len(summary.years) == 17
    totals = tables["file_zones"]
    raw = pd.read_csv(SAMPLE, sep=";", encoding="utf-8-sig", dtype={"Code zone d'emploi": str})
    assert set(totals["zone_code"]) == {"2815"}
    for year in (2006, 2015, 2022):
        col = f"Effectifs salariés {year}"
        ours = totals[totals["year"] == year]
        assert ours["jobs"].sum() == round(raw[col].sum())
        industry = raw.loc[raw["Grand secteur d'activité"].str.startswith("GS1"), col].sum()
        assert ours.loc[ours["sector"] == "BE", "jobs"].item() == round(industry)
    # Rouen is not in the région: an import of it would map nothing, so none is written
    with pytest.raises(InputError, match="aucune ligne des 9338 lues"):
        import_urssaf(SAMPLE, data.communes, tmp_path / "imports")
    assert not (tmp_path / "imports").exists() or sources.list_imports(tmp_path / "imports") == []


@pytest.mark.raw
def test_a_generated_hdf_file_maps_end_to_end(tmp_path, data):
    source = tmp_path / "national.csv"
    frame = write_generated(source, data.communes, sample_header())
    target, summary = import_urssaf(source, data.communes, tmp_path / "imports", chunk_rows=700)
    assert summary.unplaced_communes == ["59999"] and summary.rows_unplaced == 20
    assert summary.zones["ze2010"] > 20 and summary.empty_cells_region > 0

    # independent computation with pandas
    year = 2019
    col = f"Effectifs salariés {year}"
    frame[col] = pd.to_numeric(frame[col])
    placed = frame.merge(data.communes[["commune_code", "ze2010", "ze2020"]], left_on="Code commune",
                         right_on="commune_code")  # fmt: skip
    industry = placed[placed["Grand secteur d'activité"].str.startswith("GS1")]
    expected = industry.groupby("ze2010")[col].sum()

    imported = with_employment_import(data, target)
    iset = indicator_set(imported, "ze2010")
    got = iset.values("industrial_jobs", year)
    for code, value in expected.items():
        assert got[code] == value
    total_jobs = frame[col].sum()
    ref = iset.table.reference
    assert ref[(ref["level"] == "a5") & (ref["year"] == year)]["jobs"].sum() == total_jobs
    metal = placed[placed["Secteur NA38"].str.startswith("CH")].groupby("ze2020")[col].sum()
    assert indicator_set(imported, "ze2020").comps.xs(year, level="year")[
        "a38_CH"
    ].to_dict() == pytest.approx(
        metal.reindex(
            indicator_set(imported, "ze2020").comps.xs(year, level="year").index, fill_value=0
        ).to_dict()
    )
    html = export_html({"year": str(year), "indicator": "industrial_jobs"}, imported)
    assert "fichier importé « national.csv »" in html


@pytest.mark.raw
def test_bad_file_is_a_clear_error_and_changes_nothing(tmp_path, data):
    header = sample_header()
    good = tmp_path / "good.csv"
    write_generated(good, data.communes, header, n=300)
    imports = tmp_path / "imports"
    target, _ = import_urssaf(good, data.communes, imports, name="mine")
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    missing = tmp_path / "missing.csv"
    missing.write_text(";".join(h for h in header if h != "Secteur NA38") + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="Secteur NA38"):
        import_urssaf(missing, data.communes, imports, name="mine")

    broken = tmp_path / "broken.csv"
    write_generated(broken, data.communes, header, n=300)
    text = broken.read_text(encoding="utf-8-sig").splitlines()
    cells = text[150].split(";")
    cells[header.index("Effectifs salariés 2010")] = "douze"
    text[150] = ";".join(cells)
    broken.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_urssaf(broken, data.communes, imports, name="mine", chunk_rows=100)
    assert (
        err.value.row == 151
        and err.value.column == "Effectifs salariés 2010"
        and err.value.value == "douze"
    )
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in imports.iterdir()) in (
        ["mine"],
        [".lock", "mine"],
    )  # nothing half-written


@pytest.mark.raw
def test_cli_import_then_export(tmp_path, data):
    source = tmp_path / "urssaf.csv"
    write_generated(source, data.communes, sample_header(), n=500)
    result = CliRunner().invoke(
        main, ["import-urssaf", str(source), "--out", str(tmp_path / "imp")]
    )
    assert result.exit_code == 0, result.output
    assert "non placées" in result.output and "59999" in result.output
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["export", "--out", str(out), "--source", "urssaf", "--year", "2020"],
                                env={"CARTOHDF_IMPORTS_DIR": str(tmp_path / "imp")})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "fichier importé" in out.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["import-urssaf", str(tmp_path / "nope.csv")])
    assert (
        result.exit_code == 2
        and "introuvable" in result.output
        and "Traceback" not in result.output
    )


def test_sources_list_imports(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "meta.json").write_text("{}")
    (tmp_path / "b").mkdir()
    assert sources.list_imports(tmp_path) == ["a"]


def _tiny_urssaf(path: Path) -> None:
    """A minimal valid file in the national layout: two communes of the région."""
    header = ["Code département", "Code commune", "Grand secteur d'activité", "Secteur NA38",
              "Effectifs salariés 2019"]  # fmt: skip
    rows = [["59", "59350", "GS1 Industrie", "CH Métallurgie", "120"],
            ["80", "80021", "GS3 Commerce", "GZ Commerce", "40"]]  # fmt: skip
    text = "\r\n".join(";".join(r) for r in [header, *rows]) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


@pytest.fixture()
def project(tmp_path):
    """A project-like tree: imports/ beside data/ and a file above, each with a sentinel."""
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "keep.csv").write_text("sentinel")
    (root / "imports").mkdir()
    (tmp_path / "outside.txt").write_text("sentinel")
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "name", ["./../data", "..", ".", "../x", "/abs", "../../outside.txt", "a/b", ".hidden", "x" * 65, ""]
)  # fmt: skip
def test_an_import_name_never_escapes_the_imports_folder(project, name):
    source = project.parent / "urssaf.csv"
    _tiny_urssaf(source)
    before = _snapshot(project.parent)
    result = CliRunner().invoke(
        main, ["import-urssaf", str(source), "--out", str(project / "imports"), "--name", name]
    )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "nom d’import refusé" in result.output
    assert _snapshot(project.parent) == before
    assert list((project / "imports").iterdir()) == []


def test_a_name_derived_from_a_dotted_file_name_is_refused_or_made_safe(project, data):
    dots = project.parent / "...csv"
    _tiny_urssaf(dots)
    before = _snapshot(project)
    result = CliRunner().invoke(
        main, ["import-urssaf", str(dots), "--out", str(project / "imports")]
    )
    assert result.exit_code == 2 and "--name" in result.output and "Traceback" not in result.output
    assert _snapshot(project) == before
    odd = project.parent / "..été 2024 (v2).csv"
    _tiny_urssaf(odd)
    target, _ = import_urssaf(odd, data.communes, project / "imports")
    assert target.parent == project / "imports" and target.name == "ete_2024_v2_"
    assert (project / "data" / "keep.csv").read_text() == "sentinel"


def test_reimport_replaces_only_that_import_and_only_once_complete(project, data):
    source = project.parent / "urssaf.csv"
    _tiny_urssaf(source)
    imports = project / "imports"
    first, _ = import_urssaf(source, data.communes, imports, name="mine")
    other, _ = import_urssaf(source, data.communes, imports, name="other")
    other_bytes = _snapshot(other)
    (project.parent / "bad.csv").write_bytes(source.read_bytes().replace(b";120", b";douze"))
    with pytest.raises(InputError):
        import_urssaf(project.parent / "bad.csv", data.communes, imports, name="mine")
    assert (first / "meta.json").is_file()  # the failed import left the previous one in place
    again, _ = import_urssaf(source, data.communes, imports, name="mine")
    assert again == first and _snapshot(other) == other_bytes
    assert sorted(p.name for p in imports.iterdir()) == [".lock", "mine", "other"]
    # a folder of that name that is not an import is never removed
    (imports / "notes").mkdir()
    (imports / "notes" / "x.txt").write_text("mine")
    with pytest.raises(InputError, match="autre chose"):
        import_urssaf(source, data.communes, imports, name="notes")
    assert (imports / "notes" / "x.txt").read_text() == "mine"


def test_hidden_partial_folders_are_never_listed(tmp_path):
    (tmp_path / ".mine-abc123").mkdir()
    (tmp_path / ".mine-abc123" / "meta.json").write_text("{}")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "meta.json").write_text("{}")
    assert sources.list_imports(tmp_path) == ["mine"]


def _both_engines(path: Path, communes):
    from cartohdf.data._imports import aggregate_pandas, read_header
    from cartohdf.data._imports_arrow import aggregate_arrow

    header = read_header(path)
    return aggregate_arrow(path, header, communes), aggregate_pandas(
        path, header, communes, chunk_rows=333
    )


@pytest.mark.raw
def test_the_arrow_engine_gives_the_pandas_engines_tables(tmp_path, data):
    source = tmp_path / "national.csv"
    write_generated(source, data.communes, sample_header(), n=3000, seed=7)
    fast, reference = _both_engines(source, data.communes)
    assert fast is not None
    (tables, summary), (ref_tables, ref_summary) = fast, reference
    assert summary == ref_summary and summary.unplaced_communes == ["59999"]
    for name in ref_tables:
        assert tables[name].to_csv(index=False) == ref_tables[name].to_csv(index=False), name


def test_counts_arrow_cannot_read_go_to_the_one_number_parser(tmp_path, data):
    from cartohdf.data._imports import aggregate

    plain = tmp_path / "plain.csv"
    _tiny_urssaf(plain)
    french = tmp_path / "french.csv"
    french.write_bytes(plain.read_bytes().replace(b";120\r\n", b";1 20,0\r\n"))
    fast, _ = _both_engines(french, data.communes)
    assert fast is None  # Arrow gives way...
    tables, _ = aggregate(french, data.communes)  # ...and the file is read all the same
    jobs = tables["ze2010"].set_index(["zone_code", "level", "sector"])["jobs"]
    assert jobs[("3111", "a5", "BE")] == 120
    for bad in (b";inf\r\n", b";nan\r\n", b";1e999\r\n", b";douze\r\n"):
        cut = tmp_path / "bad.csv"
        cut.write_bytes(plain.read_bytes().replace(b";120\r\n", bad))
        with pytest.raises(InputError) as err:
            aggregate(cut, data.communes)
        assert err.value.row == 2 and err.value.column == "Effectifs salariés 2019"


def test_both_engines_name_the_same_row_for_an_unknown_grand_sector(tmp_path, data):
    from cartohdf.data._imports import aggregate_pandas, read_header
    from cartohdf.data._imports_arrow import aggregate_arrow

    bad = tmp_path / "bad.csv"
    _tiny_urssaf(bad)
    bad.write_bytes(bad.read_bytes().replace(b"GS3 Commerce", b"GS9 Autre"))
    rows = []
    for engine in (aggregate_arrow, aggregate_pandas):
        with pytest.raises(InputError) as err:
            engine(bad, read_header(bad), data.communes)
        rows.append((err.value.row, err.value.value))
    assert rows[0] == rows[1] == (3, "GS9 Autre")
