"""Property: a valid indicator file, damaged (cut, duplicated, bytes swapped, line ends changed,
huge or negative numbers put in), is either read exactly as an independent reference reading
says, or refused with a CartohdfError (a plain message): never another exception."""

from __future__ import annotations

import io
import re
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cartohdf.core import MAX_ABS_VALUE, CartohdfError, parse_number
from cartohdf.data import parse_indicator

ZONES = {
    "ze2010": ["0055", "0056", "2201", "2203", "3111", "3117"],
    "ze2020": ["0054", "0058", "3201", "3216"],
}
VALID_CSV = b"code;valeur\n0055;12,5\n2203;7\n3111;-3,25\n0056;1 234\n"
NUMBERS = [b"1e19", b"-1e19", b"1e400", b"9" * 30, b"-5", b"-0", b"1e15", b"-1000000000000001",
           b"nan", b"inf", b"0,000001", b"+7"]  # fmt: skip
Outcome = tuple[str, dict[str, float]] | None  # (zoning, values) or refused


def reference_csv(raw: bytes) -> Outcome | str:
    """What the file means, read the plain way: (zoning, values), None when it must be refused,
    or "unknown" where this reading does not model the parser (quotes, another header)."""
    if b"\x00" in raw[:4096]:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            return None
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if '"' in text:
        return "unknown"
    lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip()]
    if not lines or not text.endswith(("\n", "\r")):
        return None
    sep = max((";", "\t", ","), key=lines[0].count)
    rows = [line.split(sep) for line in lines]
    if [h.strip() for h in rows[0]] != ["code", "valeur"]:
        return "unknown"
    if len(rows) < 2 or any(len(r) != 2 for r in rows):
        return None
    values: dict[str, float] = {}
    for code_cell, cell in rows[1:]:
        code = code_cell.strip().split(" ")[0].split(".")[0]
        code = code.zfill(4) if code.isdigit() and len(code) < 4 else code
        try:
            v = parse_number(cell)
        except ValueError:
            return None
        if code in values or (v is not None and abs(v) > MAX_ABS_VALUE):
            return None
        values[code] = float("nan") if v is None else v
    fits = [z for z, codes in ZONES.items() if set(values) <= set(codes)]
    if not fits or all(v != v for v in values.values()):
        return None
    return fits[0], values


def outcome(raw: bytes, name: str) -> Outcome:
    try:
        ind = parse_indicator(raw, name, ZONES)
    except CartohdfError:
        return None
    return ind.zoning, ind.values.to_dict()


def same(a: Outcome | str, b: Outcome) -> bool:
    if a is None or b is None or isinstance(a, str):
        return a is b
    return a[0] == b[0] and a[1].keys() == b[1].keys() and all(
        (a[1][k] == b[1][k]) or (a[1][k] != a[1][k] and b[1][k] != b[1][k]) for k in a[1]
    )


@st.composite
def mutated(draw: st.DrawFn, raw: bytes, numbers: bool = True) -> bytes:
    """`raw` after one to three damages."""
    kinds = ["cut", "duplicate", "swap", "line_ends", "insert_number"]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(kinds if numbers else kinds[:3]))
        n = len(raw)
        if kind == "cut" and n:
            i, j = sorted(draw(st.tuples(st.integers(0, n), st.integers(0, n))))
            raw = raw[:i] + raw[j:] if draw(st.booleans()) else raw[:i]
        elif kind == "duplicate" and n:
            i, j = sorted(draw(st.tuples(st.integers(0, n), st.integers(0, n))))
            k = draw(st.integers(0, n))
            raw = raw[:k] + raw[i:j] + raw[k:]
        elif kind == "swap" and n > 1:
            i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
            b = bytearray(raw)
            b[i], b[j] = b[j], b[i]
            raw = bytes(b)
        elif kind == "line_ends":
            end = draw(st.sampled_from([b"\r\n", b"\r", b"\n\n", b"\r\r\n"]))
            raw = re.sub(rb"\r\n|\r|\n", end, raw)
        elif kind == "insert_number":
            cells = [m.span() for m in re.finditer(rb"(?<=;)[^;\r\n]+", raw)]
            if cells:
                i, j = draw(st.sampled_from(cells))
                raw = raw[:i] + draw(st.sampled_from(NUMBERS)) + raw[j:]
    return raw


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(VALID_CSV))
def test_a_damaged_csv_is_read_as_the_reference_says_or_refused(raw):
    got = outcome(raw, "f.csv")  # any exception but a CartohdfError fails here
    expected = reference_csv(raw)
    if got is not None and expected != "unknown":
        assert same(expected, got), (expected, got)


def test_the_reference_reading_agrees_on_the_valid_file():
    expected = reference_csv(VALID_CSV)
    assert expected == ("ze2010", {"0055": 12.5, "2203": 7.0, "3111": -3.25, "0056": 1234.0})
    assert same(expected, outcome(VALID_CSV, "f.csv"))
    assert reference_csv(VALID_CSV.replace(b"\n", b"\r")) == expected  # CR-only line ends
    assert outcome(VALID_CSV.replace(b"7\n", b"1e400\n"), "f.csv") is None


def _valid_xlsx() -> bytes:
    book = Workbook()
    for row in (["code", "valeur"], ["0055", 12.5], [2203, 7], ["3111", -3.25]):
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


VALID_XLSX = _valid_xlsx()
XLSX_REFERENCE = ("ze2010", {"0055": 12.5, "2203": 7.0, "3111": -3.25})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(VALID_XLSX, numbers=False))
def test_a_damaged_xlsx_file_is_read_whole_or_refused(raw):
    # every part read is checked against its CRC: a workbook still read is the same workbook
    got = outcome(raw, "f.xlsx")
    assert got is None or same(XLSX_REFERENCE, got), got


def _with_sheet(sheet: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID_XLSX)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            dst.writestr(info.filename, body)
    return out.getvalue()


SHEET_XML = zipfile.ZipFile(io.BytesIO(VALID_XLSX)).read("xl/worksheets/sheet1.xml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(SHEET_XML, numbers=False))
def test_a_workbook_with_a_damaged_sheet_gives_zone_values_or_a_plain_refusal(sheet):
    got = outcome(_with_sheet(sheet), "f.xlsx")
    if got is not None:
        zoning, values = got
        assert set(values) <= set(ZONES[zoning])
        assert all(v != v or abs(v) <= MAX_ABS_VALUE for v in values.values())
