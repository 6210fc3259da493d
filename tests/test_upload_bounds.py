"""Indicator files: every bound enforced while reading (XLSX parts, cells, rows, columns,
line ends of any kind), numbers that cannot exist refused plainly; memory checked under an
address-space limit in a subprocess."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from cartohdf.core import MAX_UPLOAD_COLUMNS, MAX_UPLOAD_ROWS, InputError
from cartohdf.data import _xlsxsheet as xlsxsheet
from cartohdf.data import parse_indicator

ZE2010 = ["0055", "0056", "2201", "2202", "2203", "2204", "2205", "2206", "2207", "2208",
          "2209", "2210", "2211", "2212", "2213", "3111", "3112", "3113", "3114", "3115",
          "3116", "3117", "3118", "3119", "3120", "3121", "3122", "3123"]  # fmt: skip
ZONES = {"ze2010": ZE2010, "ze2020": ["3201", "3216"]}
ROOT = Path(__file__).resolve().parents[1]


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def replace_part(raw: bytes, part: str, edit) -> bytes:
    """The workbook with one part's bytes changed by `edit`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, edit(body) if info.filename == part else body)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
ZONE_ROWS = [["code", "valeur"], *[[c, i] for i, c in enumerate(ZE2010)]]


def test_an_xlsx_is_read_whole_whatever_its_dimension_says():
    raw = workbook(ZONE_ROWS)
    lying = replace_part(
        raw, SHEET, lambda b: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', b)
    )
    assert b'ref="A1:B2"' in zipfile.ZipFile(io.BytesIO(lying)).read(SHEET)
    ind = parse_indicator(lying, "dim.xlsx", ZONES)
    assert len(ind.values) == 28 and ind.values["3123"] == 27


def test_malformed_or_doctype_xml_is_a_plain_refusal():
    raw = workbook(ZONE_ROWS)
    for edit in (lambda b: b[: len(b) // 2], lambda b: b.replace(b"<sheetData>", b"<sheetData><row>"),
                 lambda b: b.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1)):  # fmt: skip
        with pytest.raises(InputError) as err:
            parse_indicator(replace_part(raw, SHEET, edit), "abime.xlsx", ZONES)
        assert err.value.message("en").startswith(
            "abime.xlsx: damaged XLSX workbook: invalid XML in"
        )


def test_xlsx_columns_rows_and_cells_at_their_bounds(monkeypatch):
    wide = [["code", "valeur", *[None] * (MAX_UPLOAD_COLUMNS - 3), "note"],
            *[[c, 1, *[None] * (MAX_UPLOAD_COLUMNS - 3), "x"] for c in ZE2010[:3]]]  # fmt: skip
    assert parse_indicator(workbook(wide), "w.xlsx", ZONES, column="valeur").values.sum() == 3
    wide[1].append("trop")
    with pytest.raises(InputError, match="trop de colonnes"):
        parse_indicator(workbook(wide), "w.xlsx", ZONES, column="valeur")
    monkeypatch.setattr(xlsxsheet, "MAX_UPLOAD_ROWS", 3)
    rows = ZONE_ROWS[:4]
    assert len(parse_indicator(workbook(rows), "r.xlsx", ZONES).values) == 3
    with pytest.raises(InputError, match="trop de lignes"):
        parse_indicator(workbook(ZONE_ROWS[:5]), "r.xlsx", ZONES)
    monkeypatch.setattr(xlsxsheet, "MAX_UPLOAD_CELLS", 8)  # empty cells count: they cost reading
    assert len(parse_indicator(workbook(rows), "c.xlsx", ZONES).values) == 3
    with pytest.raises(InputError, match="trop de cellules"):
        parse_indicator(workbook([*rows[:3], [rows[3][0], rows[3][1], None, "x"]]), "c.xlsx", ZONES)


def test_the_unzipped_bytes_are_counted_as_read(monkeypatch):
    raw = workbook(ZONE_ROWS)
    parse_indicator(raw, "z.xlsx", ZONES)
    monkeypatch.setattr(xlsxsheet, "MAX_XLSX_EXPANDED_BYTES", 2_000)  # the declared sizes pass
    with pytest.raises(InputError, match="classeur trop gros une fois décompressé"):
        parse_indicator(raw, "z.xlsx", ZONES)


def _under_memory_limit(make: str, headroom_mb: int = 120) -> subprocess.CompletedProcess[str]:
    """Build a file with bench/upload_memory.py's `make`, then parse it with the address space
    limited to what the process maps once the file is built plus `headroom_mb`."""
    script = "\n".join([
        "import resource, sys",
        f"sys.path.insert(0, {str(ROOT / 'bench')!r})",
        "from cartohdf.core import CartohdfError",
        "from cartohdf.data import parse_indicator",
        f"from upload_memory import {make}",
        f"raw = {make}()",
        "pages = int(open('/proc/self/statm').read().split()[0])",
        f"limit = pages * resource.getpagesize() + {headroom_mb} * 2**20",
        "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))",
        "try:",
        f"    print('accepted', len(parse_indicator(raw, 'f.xlsx', {ZONES!r}).values))",
        "except CartohdfError as exc:",
        "    print('refused', exc.message('en'))",
    ])  # fmt: skip
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env={"PYTHONPATH": str(ROOT / "src"), "OPENBLAS_NUM_THREADS": "1"})  # fmt: skip


def test_one_row_of_a_million_and_a_half_cells_is_refused_in_bounded_memory():
    # 48 KB zipped, 24 MB unzipped: the row was built cell by cell before the column bound
    run = _under_memory_limit("wide_row_sheet")
    assert (
        run.stdout.strip() == "refused f.xlsx: too many columns; expected: 200 columns at most"
    ), run.stderr[-500:]


def test_a_huge_styles_part_is_never_parsed():
    run = _under_memory_limit("big_styles_xlsx")
    assert run.stdout.strip() == "accepted 5", run.stderr[-500:]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_csv_rows_are_bounded_whatever_the_line_ends(end):
    body = "".join(f"{c};{i}{end}" for i, c in enumerate(ZE2010))
    assert len(parse_indicator(f"code;v{end}{body}".encode(), "f.csv", ZONES).values) == 28
    at_bound = f"code;v{end}" + f"0055;1{end}" * MAX_UPLOAD_ROWS
    with pytest.raises(InputError) as err:
        parse_indicator(at_bound.encode(), "f.csv", ZONES)
    assert err.value.problem == "err.duplicate_code"  # read whole: the bound is not reached
    with pytest.raises(InputError) as err:
        parse_indicator((at_bound + f"0056;1{end}").encode(), "f.csv", ZONES)
    assert err.value.problem == "err.too_many_rows"


def test_a_csv_line_with_too_many_fields_is_refused_before_it_is_split():
    line = "code;" + ";".join(["1"] * MAX_UPLOAD_COLUMNS)
    with pytest.raises(InputError, match="trop de colonnes"):
        parse_indicator(f"{line}\n0055;1\n".encode(), "f.csv", ZONES)
    ok = "code;valeur;" + ";".join(f"h{i}" for i in range(MAX_UPLOAD_COLUMNS - 2))
    row = "0055;1;" + ";".join(["x"] * (MAX_UPLOAD_COLUMNS - 2))
    assert (
        parse_indicator(f"{ok}\n{row}\n".encode(), "f.csv", ZONES, column="valeur").values["0055"]
        == 1
    )


@pytest.mark.parametrize(
    ("cell", "problem"),
    [("1e19", "err.value_too_large"), ("123456789012345678901234567890", "err.value_too_large"),
     ("1e400", "err.value_too_large"), ("9" * 400, "err.value_too_large"), ("-1e400", "err.value_too_large"),
     ("inf", "err.not_a_number"), ("-Infinity", "err.not_a_number"), ("nan", "err.not_a_number")],
    ids=["1e19", "30-digits", "1e400", "400-digits", "-1e400", "inf", "-Infinity", "nan"],
)  # fmt: skip
def test_numbers_that_cannot_exist_are_refused_naming_row_column_value(cell, problem):
    for raw, name in ((f"code;taux\n0055;1\n2203;{cell}\n".encode(), "f.csv"),
                      (workbook([["code", "taux"], ["0055", 1], ["2203", cell]]), "f.xlsx")):  # fmt: skip
        with pytest.raises(InputError) as err:
            parse_indicator(raw, name, ZONES, column="taux")
        e = err.value
        assert (e.problem, e.file, e.row, e.column, e.value) == (problem, name, 3, "taux", cell)


def test_an_xlsx_number_beyond_floats_is_out_of_bounds():
    raw = workbook([["code", "taux"], ["0055", 1], ["2203", 7]])
    huge = replace_part(raw, SHEET, lambda b: b.replace(b"<v>7</v>", b"<v>1E+400</v>"))
    with pytest.raises(InputError) as err:
        parse_indicator(huge, "f.xlsx", ZONES)
    assert (err.value.problem, err.value.row, err.value.value) == (
        "err.value_too_large",
        3,
        "1E+400",
    )
